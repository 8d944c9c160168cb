"""bench/load.py's helper code, not its figures (never a timed test): the growth generator makes cases
through the services — each row with its ledger event, so `liuhen verify` passes after growth — the
bench's login account can log in with the configured hasher, and the bench-only switch that serves a
page without its read event is refused outside a benchmark and off by default."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))

from support import grow  # noqa: E402  (bench/support/grow.py)

pytestmark = pytest.mark.usefixtures("fresh_home")


def test_growth_makes_cases_that_verify(db, settings):
    from django.contrib.auth import authenticate

    from liuhen.cases.models import Case
    from liuhen.ledger.models import Entry
    from liuhen.ledger.verify import verify_log
    from liuhen.records.models import Record

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    out = grow.grow(6, seed=3, integrate_every=3)
    cases = Case.objects.filter(agency_id=out["agency"])
    assert out["cases"] == cases.count() == 6 and out["built"] == 6
    assert Record.objects.filter(case__in=cases).count() == out["records"] > 6
    # every case opened is in the log, and its reads too
    assert Entry.objects.filter(action="case.create").count() == 6
    assert Entry.objects.filter(action="case.view").count() == out["views"] == 12
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    assert report.pending == 0
    # the bench logs in as the agency's reviewer with a password hashed by the configured hasher
    user = authenticate(username=grow.LOGIN_USER, password=grow.LOGIN_PASSWORD)
    assert user is not None and user.password.startswith("pbkdf2_sha256$")
    # a second run on the same database finds the agency and only tops the cases up
    again = grow.grow(7, seed=3, integrate_every=1)
    assert again["cases_before"] == 6 and again["built"] == 1 and again["cases"] == 7
    assert verify_log().ok


def test_page_read_events_are_on_unless_the_bench_switch(settings, db, world):
    from liuhen.cases import services
    from liuhen.ledger.models import Entry

    case = world.open_case()
    assert services.page_reads_logged()
    services.log_view(world.officer, case)
    settings.LIUHEN_BENCH_SKIP_READ_EVENTS = True
    assert not services.page_reads_logged()
    services.log_view(world.officer, case)
    assert Entry.objects.filter(action="case.view", object_id=str(case.pk)).count() == 1


def _settings_with(env: dict) -> subprocess.CompletedProcess:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("LIUHEN_BENCH") and k != "LIUHEN_DEBUG"},
           "DJANGO_SETTINGS_MODULE": "liuhen.settings", "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                           "print(settings.LIUHEN_BENCH_SKIP_READ_EVENTS)"], env=env, capture_output=True, text=True,
                          cwd=ROOT)


def test_the_bench_switch_is_refused_outside_a_benchmark(tmp_path):
    home = {"LIUHEN_HOME": str(tmp_path)}
    assert _settings_with(home).stdout.strip() == "False"
    refused = _settings_with({**home, "LIUHEN_BENCH_SKIP_READ_EVENTS": "1"})
    assert refused.returncode != 0 and "LIUHEN_BENCH_ONLY" in refused.stderr
    allowed = _settings_with({**home, "LIUHEN_BENCH_SKIP_READ_EVENTS": "1", "LIUHEN_BENCH_ONLY": "1"})
    assert allowed.returncode == 0 and allowed.stdout.strip() == "True"


def _fake_run(calls: list):
    """A wrk run of `seconds` on `server` as bench/load.py's run_wrk reports it: 10 pages/s, one error,
    the server's CPU 50 ms a page with the read event (server "A") and 40 ms without (server "B")."""
    def run(server, seconds):
        calls.append((server, seconds))
        return {"requests": 10 * seconds, "seconds": seconds, "server_answered": 10 * seconds, "errors": 1,
                "server_cpu_s": (0.05 if server == "A" else 0.04) * 10 * seconds, "p95_ms": 5.0}
    return run


def test_read_overhead_turns_full_and_quick():
    import load  # bench/load.py

    calls = []
    full = load.read_overhead(_fake_run(calls), "A", "B", 6)
    assert calls == [("A", 3), ("B", 3), ("B", 3), ("A", 3)] and full["read_event_turns"] == "A B B A"
    assert full["ledger_read_overhead"] == 0.0 and full["ledger_read_overhead_cpu"] == 0.2
    assert load.page_errors({"errors": 1, **full}) == 5  # the measured run and the four turns

    # --quick: the page's measured run is the A turn, one B of the full duration follows
    calls = []
    measured = {"requests": 60, "seconds": 3, "server_answered": 60, "errors": 2, "server_cpu_s": 3.0, "p95_ms": 9.0}
    quick = load.read_overhead(_fake_run(calls), "A", "B", 3, measured=measured)
    assert calls == [("B", 3)] and quick["read_event_turns"] == "A B"
    assert quick["read_event_abba"]["with"]["pages_per_s"] == 20.0 and quick["ledger_read_overhead"] == -1.0
    assert quick["ledger_read_overhead_cpu"] == 0.2
    assert load.page_errors({"errors": 2, **quick}) == 3  # the measured run counted once


def test_quick_arguments():
    import load

    quick, full = load.parse_args(["--quick"]), load.parse_args([])
    assert (quick.cases, quick.duration, quick.warmup, quick.connections, quick.workers, quick.samples) == \
        (8, 2, 0, 8, 2, 3)
    assert (full.cases, full.duration, full.warmup, full.connections, full.workers, full.samples) == \
        (3000, 30, 5, 64, 4, 100)
    assert load.parse_args(["--quick", "--warmup", "1", "--cases", "30"]).warmup == 1
