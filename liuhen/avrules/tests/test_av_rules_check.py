"""LIUHEN_AV_RULES (issue 13) is retired by the agency profiles of issue 15: the acts that need
audio-video recording are the profile's av_acts. A setting still present is refused at start (a
Django system check) with a pointer to the profile, never silently ignored."""
import json
import os
import subprocess
import sys

import pytest
from django.test import override_settings

from liuhen.avrules.checks import av_rules_setting


def ids(errors):
    return [e.id for e in errors]


def test_no_setting_passes():
    assert av_rules_setting() == []
    with override_settings(LIUHEN_AV_RULES={}):
        assert av_rules_setting() == []


@pytest.mark.parametrize("value", [
    "JSON 无效：Expecting value: line 1 column 1 (char 0)",
    ["本水"],
    {"本水": {"inquiry": {"required": True}}},
])
def test_any_setting_is_refused_and_points_to_the_profile(value):
    with override_settings(LIUHEN_AV_RULES=value):
        errors = av_rules_setting()
    assert ids(errors) == ["liuhen.avrules.E001"]
    assert "已停用" in errors[0].msg and "liuhen profile load" in errors[0].hint


def test_the_setting_in_the_environment_stops_a_command_with_the_check_not_a_traceback(tmp_path):
    env = {**os.environ, "LIUHEN_HOME": str(tmp_path),
           "LIUHEN_AV_RULES": json.dumps({"本水": {"inquiry": {"required": True}}})}
    run = subprocess.run([sys.executable, "-m", "liuhen", "check"], env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode != 0
    assert "liuhen.avrules.E001" in run.stderr and "Traceback" not in run.stderr
    del env["LIUHEN_AV_RULES"]
    assert subprocess.run([sys.executable, "-m", "liuhen", "check"], env=env, capture_output=True,
                          timeout=120).returncode == 0
