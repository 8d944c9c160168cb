"""A WSGI server runs no system checks by itself: liuhen/wsgi.py runs them before it serves, so the
retired LIUHEN_AV_RULES (replaced by the agency profile, issue 15) stops the worker at start with
what to do instead (and without it the worker starts)."""
import os
import subprocess
import sys


def boot(tmp_path, rules: str | None):
    env = {**os.environ, "LIUHEN_HOME": str(tmp_path)}
    env.pop("LIUHEN_AV_RULES", None)
    if rules is not None:
        env["LIUHEN_AV_RULES"] = rules
    return subprocess.run([sys.executable, "-c", "import liuhen.wsgi"], env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_retired_setting_stops_the_wsgi_application_at_start(tmp_path):
    bad = boot(tmp_path, '{"本水": {"inquiry": {"required": true}}}')
    assert bad.returncode != 0
    assert "拒绝启动" in bad.stderr and "liuhen.avrules.E001" in bad.stderr and "LIUHEN_AV_RULES" in bad.stderr
    assert boot(tmp_path, None).returncode == 0
