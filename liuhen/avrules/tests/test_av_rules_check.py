"""LIUHEN_AV_RULES is checked when Liuhen starts (a Django system check): a mistyped agency rule is
refused with what is wrong, never met first in an officer's request or silently not applied."""
import json
import os
import subprocess
import sys

import pytest
from django.test import override_settings

from liuhen.avrules.checks import av_rules_setting


def ids(errors):
    return [e.id for e in errors]


def test_no_setting_and_a_good_one_pass():
    assert av_rules_setting() == []
    with override_settings(LIUHEN_AV_RULES={"本水": {"inquiry": {"required": True},
                                                     "detention": {"label": "限制人身自由", "records": ["seizure_record"]}}}):
        assert av_rules_setting() == []


@pytest.mark.parametrize("value, code, words", [
    ("JSON 无效：Expecting value: line 1 column 1 (char 0)", "liuhen.avrules.E001", "JSON 无效"),
    (["本水"], "liuhen.avrules.E001", "JSON 对象"),
    ({"本水": {"inquiry": True}}, "liuhen.avrules.E001", "JSON 对象"),
    ({"本水": {"inquiry": {"requird": True}}}, "liuhen.avrules.E002", "requird"),
    ({"本水": {"detention": {"label": "限制人身自由"}}}, "liuhen.avrules.E002", "须有 label 和 records"),
    ({"本水": {"inquiry": {"records": ["no_such_record"]}}}, "liuhen.avrules.E002", "no_such_record"),
    ({"本水": {"inquiry": {"kinds": ["video", "hologram"]}}}, "liuhen.avrules.E002", "hologram"),
])
def test_a_bad_setting_is_refused_with_what_is_wrong(value, code, words):
    with override_settings(LIUHEN_AV_RULES=value):
        errors = av_rules_setting()
    assert ids(errors) == [code]
    assert words in errors[0].msg


def test_bad_json_in_the_environment_stops_a_command_with_the_check_not_a_traceback(tmp_path):
    env = {**os.environ, "LIUHEN_HOME": str(tmp_path), "LIUHEN_AV_RULES": "{本水: 1"}
    run = subprocess.run([sys.executable, "-m", "liuhen", "check"], env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode != 0
    assert "liuhen.avrules.E001" in run.stderr and "JSON 无效" in run.stderr
    assert "Traceback" not in run.stderr
    good = {**env, "LIUHEN_AV_RULES": json.dumps({"本水": {"inquiry": {"required": True}}})}
    assert subprocess.run([sys.executable, "-m", "liuhen", "check"], env=good, capture_output=True,
                          timeout=120).returncode == 0
