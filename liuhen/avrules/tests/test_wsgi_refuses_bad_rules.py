"""A WSGI server runs no system checks by itself: liuhen/wsgi.py runs them before it serves, so a
bad LIUHEN_AV_RULES stops the worker at start with what is wrong (and a good one starts)."""
import os
import subprocess
import sys


def boot(tmp_path, rules: str):
    env = {**os.environ, "LIUHEN_HOME": str(tmp_path), "LIUHEN_AV_RULES": rules}
    return subprocess.run([sys.executable, "-c", "import liuhen.wsgi"], env=env, capture_output=True, text=True,
                          timeout=120)


def test_a_bad_setting_stops_the_wsgi_application_at_start(tmp_path):
    bad = boot(tmp_path, '{"本水": {"inquiry": {"required": "false"}}}')
    assert bad.returncode != 0
    assert "拒绝启动" in bad.stderr and "liuhen.avrules.E002" in bad.stderr and "required" in bad.stderr
    assert boot(tmp_path, '{"本水": {"inquiry": {"required": true}}}').returncode == 0
