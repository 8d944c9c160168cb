"""The four settings the profile replaced (issue 15) stop `liuhen check` — and so every management
command and wsgi.py — while they are still set in the environment, each with its stable id naming
the profile section that replaced it; unset, the check passes."""
import os
import subprocess
import sys

RETIRED = {"LIUHEN_RETENTION": ('{"raw_months": 12}', "liuhen.retention.E001"),
           "LIUHEN_COPIES": ('{"approve_roles": ["agency_head"]}', "liuhen.copies.E001"),
           "LIUHEN_INSPECTION_CHECKLIST": ('{"footage": []}', "liuhen.inspections.E001"),
           "LIUHEN_INSPECTION_ROLES": ("supervisor,agency_head", "liuhen.inspections.E002"),
           "LIUHEN_DEVICES": ('{"check_every_days": 30}', "liuhen.devices.E001")}


def test_each_retired_setting_in_the_environment_stops_the_check(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in RETIRED}
    env["LIUHEN_HOME"] = str(tmp_path)
    env.update({name: value for name, (value, _) in RETIRED.items()})
    run = subprocess.run([sys.executable, "-m", "liuhen", "check"], env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    for name, (_, check_id) in RETIRED.items():
        assert check_id in run.stderr and f"{name} 已停用" in run.stderr, name
    for name in RETIRED:
        del env[name]
    ok = subprocess.run([sys.executable, "-m", "liuhen", "check"], env=env, capture_output=True, text=True,
                        timeout=120)
    assert ok.returncode == 0, ok.stderr
