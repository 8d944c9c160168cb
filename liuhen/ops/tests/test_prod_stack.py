"""The production stack (issue 21 §3): `make prod-up`'s script starts PostgreSQL, SeaweedFS, migrate,
the integrator and gunicorn with 4 workers on a port; the pages answer, static files come from
WhiteNoise, an agency written through the stack is signed into the log by the integrator and
`liuhen verify` passes against it; `make prod-down`'s script stops every process it started.
"""
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from liuhen.testing.seaweedfs import free_ports

REPO = Path(__file__).resolve().parents[3]

# own_stack: its PostgreSQL is the stack's own, not the pass's: run once, in the SQLite pass
pytestmark = [pytest.mark.slow, pytest.mark.own_stack]

MAKE_AGENCY = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
django.setup()
from liuhen.accounts import services as acc
acc.create_agency(None, name="测试市水务局", short_name="测水")
"""


def _env_file(path: Path) -> dict:
    env = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value.strip("'")
    return env


def _get(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:  # follows the redirect to the login page
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper is gone: it holds nothing and serves nothing)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def _all_gone(pids, seconds: float = 15.0) -> bool:
    """The kernel takes a moment to tear a killed process down: poll, do not sample once."""
    deadline = time.monotonic() + seconds
    while any(_alive(p) for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_prod_up_serves_with_four_workers_and_prod_down_stops_it(tmp_path):
    prod = tmp_path / "prod"
    (port,) = free_ports(1)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LIUHEN_", "DATABASE_URL", "DJANGO_", "AWS_"))}
    env = {**base, "PROD_DIR": str(prod), "PROD_PORT": str(port), "PROD_WORKERS": "4"}
    up = subprocess.run([str(REPO / "scripts/prod-up.sh")], env=env, capture_output=True, text=True, timeout=300)
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        stack = {**base, "PYTHONPATH": env.get("PYTHONPATH", ""), **_env_file(prod / "liuhen.env")}
        assert stack["DATABASE_URL"].startswith("postgres://") and stack["LIUHEN_STORAGE_URL"].startswith("s3://")
        gunicorn = int((prod / "gunicorn.pid").read_text())
        workers = subprocess.run(["pgrep", "-P", str(gunicorn)], capture_output=True, text=True).stdout.split()
        assert len(workers) == 4

        site = f"http://127.0.0.1:{port}"
        status, body, _ = _get(site + "/")
        assert status == 200 and "登录".encode() in body
        status, body, _ = _get(site + "/api/openapi.json")
        assert status == 200 and b'"openapi"' in body
        status, _, headers = _get(site + "/static/liuhen/liuhen.css")
        assert status == 200 and "text/css" in headers["Content-Type"]
        # The portal answers once there is an agency: one written through the stack's database...
        assert _get(site + "/public/")[0] == 404
        r = subprocess.run([sys.executable, "-c", MAKE_AGENCY], env=stack, cwd=REPO, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        status, body, _ = _get(site + "/public/")
        assert status == 200 and "测试市水务局".encode() in body
        # ...and signed into the log by the stack's integrator: verify passes with nothing pending.
        r = subprocess.run([sys.executable, "-m", "liuhen", "verify"], env=stack, cwd=REPO, capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0 and "通过" in r.stdout, r.stdout + r.stderr
        assert (prod / "home" / "checkpoints" / "checkpoint").exists()
        pids = [int(line.split()[1]) for line in (prod / "pids").read_text().splitlines() if not line.startswith("pg ")]
        assert all(_alive(p) for p in pids)
    finally:
        down = subprocess.run([str(REPO / "scripts/prod-down.sh")], env=env, capture_output=True, text=True,
                              timeout=120)
    assert down.returncode == 0, down.stderr
    assert _all_gone(pids + [int(w) for w in workers])
    assert not prod.exists()
