"""The deployment files are what systemd and a shell accept: every unit passes `systemd-analyze
verify` (with /opt/liuhen pointing at this tree), and the env template sourced by a shell gives each
value whole (an unquoted & in the storage URL would not)."""
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
DEPLOY = REPO / "deploy"


def test_every_systemd_unit_verifies(tmp_path):
    assert shutil.which("systemd-analyze"), "systemd-analyze (Debian: systemd) is needed to check the units"
    units = sorted((DEPLOY / "systemd").iterdir())
    assert {u.name for u in units} >= {"liuhen-web.service", "liuhen-integrator.service", "liuhen-verify.timer",
                                       "liuhen-witness.timer", "liuhen-daily.timer", "liuhen-backup.timer"}
    for unit in units:
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/liuhen", str(REPO)))
    r = subprocess.run(["systemd-analyze", "verify", "--man=no", *sorted(p.name for p in tmp_path.iterdir())],
                       cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr.strip() == "", r.stderr
    # Every timer starts a unit that is there.
    for timer in tmp_path.glob("*.timer"):
        assert (tmp_path / timer.name.replace(".timer", ".service")).exists()


def test_the_env_template_sources_whole():
    script = f'set -a; . "{DEPLOY / "liuhen.env.example"}"; set +a; printf "%s\\n" "$LIUHEN_STORAGE_URL" "$LIUHEN_WORKERS"'
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:2] == ["s3://liuhen?endpoint=http://127.0.0.1:8333&region=us-east-1", "4"]
