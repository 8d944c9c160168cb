"""`liuhen check`: system checks then the full scan; `--json` ends with one JSON object; exit 0
with findings; `--system` is Django's check; a bad option exits 2."""
import os
import subprocess
import sys

import pytest

from liuhen.oversight import vocabulary as v
from liuhen.oversight.finding_models import Finding
from liuhen.testing.cases import to_investigation
from liuhen.testing.commands import run_command

KEYS = {"code", "severity", "case", "stage", "article", "message", "fix"}


def test_json_last_line_lists_the_findings_and_exit_is_zero(world):
    case = to_investigation(world)
    run = run_command("check", "--json")
    assert run.code == 0, run.err
    rows = run.report["findings"]
    assert rows and all(set(r) == KEYS for r in rows)
    assert {r["case"] for r in rows} == {case.number}
    assert v.MISSING_RECORD in {r["code"] for r in rows}
    assert "问题扫描" in run.err and f"{1}/{1}" in run.err  # the progress bar, on stderr
    assert Finding.objects.filter(case=case).count() == len(rows)


def test_fail_on_findings_exits_one_only_for_errors(world):
    to_investigation(world)  # warnings only: the current stage's missing records
    assert run_command("check", "--fail-on-findings").code == 0
    from liuhen.accounts.models import Certificate

    from django.utils import timezone
    import datetime

    Certificate.objects.filter(holder=world.officer).update(valid_from=timezone.localdate() + datetime.timedelta(days=1))
    run = run_command("check", "--fail-on-findings")
    assert run.code == 1 and v.OFFICER_UNCERTIFIED in run.out


def test_system_runs_only_django_s_checks(world):
    run = run_command("check", "--system")
    assert run.code == 0 and "System check identified no issues" in run.out
    assert not Finding.objects.exists()


@pytest.mark.usefixtures("verified_world")
def test_verify_adds_what_liuhen_verify_found(world):
    from liuhen.accounts.models import Certificate

    Certificate.objects.filter(holder=world.officer2).update(number="TAMPERED")
    run = run_command("check", "--json", "--verify")
    assert run.code == 0
    verify_rows = [r for r in run.report["findings"] if r["case"] == "" and r["code"].startswith("accounts.")]
    assert verify_rows and all(set(r) == KEYS for r in verify_rows)


def test_a_bad_option_exits_two_and_help_says_zero_with_findings(tmp_path):
    env = {**os.environ, "LIUHEN_HOME": str(tmp_path)}
    bad = subprocess.run([sys.executable, "-m", "liuhen", "check", "--no-such-option"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--no-such-option" in bad.stderr
    helped = subprocess.run([sys.executable, "-m", "liuhen", "check", "--help"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert helped.returncode == 0 and "退出码仍为 0" in helped.stdout and "--system" in helped.stdout
    # an unmigrated home: the system checks pass, the scan says why it did not run, JSON still last
    empty = subprocess.run([sys.executable, "-m", "liuhen", "check", "--json"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert empty.returncode == 0 and empty.stdout.strip().splitlines()[-1] == '{"findings": []}'
