"""Load benchmark of the production stack (issue 21 "Figures"): the case page, the record page and a
public portal page under 64 connections, on gunicorn + PostgreSQL + SeaweedFS, with demo data grown.

    .venv/bin/python bench/load.py            # 3 000 cases, 30 s per run (growth: tens of minutes)
    .venv/bin/python bench/load.py --quick    # a smoke run: no demo, 8 cases, 2 s per run (README: its time)
    .venv/bin/python bench/load.py --cases 1000 --duration 20 --connections 64 --keep

1. The stack: scripts/prod-up.sh with PROD_DEMO=1 (its own PostgreSQL cluster, SeaweedFS, migrate, the
   demo, the integrator, gunicorn with deploy/gunicorn.conf.py and 4 workers) under a fresh PROD_DIR;
   scripts/prod-down.sh at the end (--keep leaves it running). Its PostgreSQL cluster is a copy of a
   migrated one kept in ~/.cache/liuhen/bench/pg-template (PROD_PG_TEMPLATE; bench/support/pgtemplate.py:
   keyed by every migration file and PostgreSQL's major version, checked whole before use; the first run
   on a machine, or after a migration changed, makes it; --no-pg-template: initdb and migrate).
2. Growth (not timed as a figure): bench/support/grow.py opens cases through the services in an agency of
   its own until the database holds --cases, in --grow-procs processes; the integrator sequences them;
   `liuhen verify` must pass.
3. Load: `wrk` (Debian package; installed with apt-get when missing) on loopback, --connections
   connections, --duration seconds per run, bench/support/wrk.lua drawing each request's path from
   every case (every record) of the bench agency. The case and record pages are asked as the bench
   agency's 法制审核人员 (fazhi: sees every case), logged in through the real login form (requests); the
   portal page is /public/decisions/ (no login). Each of the two staff pages is also served by a second
   gunicorn (same database, same workers) started with the bench-only switch
   LIUHEN_BENCH_SKIP_READ_EVENTS=1 (settings.py: no page read event in the ledger), in the same run:
   the two servers loaded in turn A B B A, half the duration each (a shared machine's drifting load
   weighs on both alike); ledger_read_overhead = 1 - pages/s with events / pages/s without, and
   ledger_read_overhead_cpu the same from the server's CPU per page.
   Errors = answers other than 200 + socket errors (connect, read, write, and a timeout: no answer
   within --timeout, 30 s).
   The CPU the server side spent (gunicorn master and workers, PostgreSQL's processes, from /proc) and
   wrk's own are measured over each run: CPU ms per page, and the share of the machine's cores.
4. In-process: CPU ms (time.process_time) and queries (CaptureQueriesContext) per page, averaged over
   --samples pages, with Django's test Client in this process against the same database (with and
   without the read event).
5. The floor (not a target; why the p95 target is out of reach for a staff page on two cores): the
   smallest staff page, 我的账号 /account/ (the layout and its navigation, the session, the login and
   its checks, no case, no read event), loaded the same way as the reviewer: what any staff page costs
   before its own content. Left out of the headline figures.

--quick is a smoke run of the same path, marked "quick": true in the JSON: no demo data, 8 cases,
8 connections, 2 workers, 2 s runs without warm-up runs (a page per worker instead), the read overhead
from the measured run and one run without the event (A B), 3 pages in process; the cases grow while
gunicorn boots and SeaweedFS starts (prod-up.sh PROD_WAIT=0), the servers are warmed while `liuhen
verify` runs (in this process), and the stack is stopped in the background once the figures are out.
Its figures are not the issue's.

A table goes to stderr; the last line of stdout is one JSON object: p95_ms (worst page), errors (sum),
pages_per_s (worst page), ledger_read_overhead and ledger_read_overhead_cpu (worst page), per-page
details, why (the CPU per page against the cores), targets and met flags.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]
PY = REPO / ".venv" / "bin" / "python"
TARGETS = {"p95_ms": 300, "errors": 0, "ledger_read_overhead": 0.20}
NAMED = ("case", "record", "portal")  # the pages; "floor" is measured beside them (docstring, 5.)
STAFF = ("case", "record", "floor")  # asked logged in
FLOOR_PATH = "/account/"
CLK_TCK = os.sysconf("SC_CLK_TCK")


STARTED = time.monotonic()


def log(*args) -> None:
    """A line on stderr; a "load:" line with the seconds since the start."""
    if args and str(args[0]).startswith("load: "):
        args = (f"load [{time.monotonic() - STARTED:5.1f} s]: {str(args[0])[6:]}", *args[1:])
    print(*args, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    """wrk from Debian (as scripts/bootstrap.sh installs system packages): apt-get when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    log("load: installing wrk (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or sys.exit("load: wrk could not be installed")


# ---- the stack -----------------------------------------------------------------------------------


def template_cache() -> Path:
    """Where the migrated PostgreSQL cluster is kept between runs (bench/support/pgtemplate.py)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "liuhen" / "bench" / "pg-template"


def stack_up(prod_dir: Path, port: int, workers: int, demo: bool, template: Path | None, wait: bool) -> dict:
    env = {**os.environ, "PROD_DIR": str(prod_dir), "PROD_PORT": str(port), "PROD_WORKERS": str(workers),
           "PROD_DEMO": "1" if demo else "0"}
    for name in ("PROD_PG_TEMPLATE", "PROD_WAIT"):  # this run's choice, not the caller's environment
        env.pop(name, None)
    if not wait:  # --quick: the cases grow while gunicorn boots and SeaweedFS starts (s3_ready, answering)
        env["PROD_WAIT"] = "0"
    if template is not None:
        env["PROD_PG_TEMPLATE"] = str(template)
    subprocess.run([str(REPO / "scripts" / "prod-up.sh")], check=True, env=env, stdout=sys.stderr)
    stack = {}
    for line in (prod_dir / "liuhen.env").read_text().splitlines():
        key, _, value = line.partition("=")
        stack[key] = value.strip("'")
    return stack


def s3_ready(prod_dir: Path) -> None:
    """Wait (at most two minutes) for the stack's S3 bucket, which prod-up.sh with PROD_WAIT=0 does not
    wait for: the cases grow meanwhile (they store no files)."""
    deadline = time.monotonic() + 120
    while not (prod_dir / "s3-ready").exists():
        if (prod_dir / "s3-failed").exists() or time.monotonic() > deadline:
            sys.exit(f"load: SeaweedFS did not start (logs: {prod_dir / 'logs'})")
        time.sleep(0.25)


def stack_down(prod_dir: Path) -> None:
    subprocess.run([str(REPO / "scripts" / "prod-down.sh")], env={**os.environ, "PROD_DIR": str(prod_dir)},
                   stdout=sys.stderr, check=False)


def start_gunicorn(prod_dir: Path, env: dict, port: int, workers: int, name: str) -> int:
    """A second gunicorn on the same database (deploy/gunicorn.conf.py), in its own process group; its
    pid is added to PROD_DIR/pids so that prod-down stops it too. Not waited for: `answering`."""
    env = {**env, "LIUHEN_BIND": f"127.0.0.1:{port}", "LIUHEN_WORKERS": str(workers)}
    out = open(prod_dir / "logs" / f"{name}.log", "wb")
    proc = subprocess.Popen([str(PY), "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--pid",
                             str(prod_dir / f"{name}.pid"), "liuhen.wsgi"], cwd=REPO, env=env, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    with open(prod_dir / "pids", "a") as f:
        f.write(f"{name} {proc.pid}\n")
    return proc.pid


def answering(port: int, what: str) -> None:
    """Wait (at most a minute) until the server on `port` answers its login page."""
    import urllib.request

    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)
            return
        except OSError:
            time.sleep(0.25)
    sys.exit(f"load: {what} did not answer on port {port}")


def stop_group(pid: int) -> None:
    """Stop a gunicorn this process started, and its workers: SIGTERM, then SIGKILL after 10 s. The
    master is reaped here (a zombie would still answer kill(pid, 0))."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(40):
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
        except ChildProcessError:
            return
        time.sleep(0.25)
    os.killpg(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


# ---- CPU accounting from /proc ---------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, float]:
    """(parent pid, CPU seconds of the process and of its reaped children)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0, 0.0
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), sum(int(x) for x in fields[11:15]) / CLK_TCK


def tree_cpu(roots: list[int]) -> float:
    """CPU seconds of the processes `roots` and all their descendants (the living ones and, through
    their parents' cutime/cstime, the reaped ones: a gunicorn worker recycled after max_requests)."""
    parents, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            parents[int(entry)], cpu[int(entry)] = _stat(int(entry))
    total, todo, seen = 0.0, list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in cpu:
            continue
        seen.add(pid)
        total += cpu[pid]
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total


def server_roots(prod_dir: Path, names: list[str]) -> list[int]:
    """The gunicorn masters named (their pid files) and the PostgreSQL postmaster of the stack."""
    roots = [int((prod_dir / f"{n}.pid").read_text().strip()) for n in names if (prod_dir / f"{n}.pid").exists()]
    for line in (prod_dir / "pids").read_text().splitlines():
        what, *rest = line.split()
        if what == "pg":
            roots.append(int((Path(rest[1]) / "data" / "postmaster.pid").read_text().split()[0]))
    return roots


# ---- login and wrk ---------------------------------------------------------------------------------


def login_cookie(base: str, username: str, password: str) -> str:
    """Log in through the real login form; the Cookie header of the session."""
    import requests

    s = requests.Session()
    page = s.get(f"{base}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = s.post(f"{base}/login/", data={"csrfmiddlewaretoken": token, "username": username, "password": password},
               headers={"Referer": f"{base}/login/"}, timeout=30, allow_redirects=False)
    if r.status_code != 302 or "sessionid" not in s.cookies:
        sys.exit(f"load: the login of {username} failed ({r.status_code})")
    return "; ".join(f"{k}={v}" for k, v in s.cookies.items())


def check_paths(base: str, cookie: str, paths: list[str]) -> None:
    import requests

    for path in paths:
        r = requests.get(base + path, headers={"Cookie": cookie}, timeout=60, allow_redirects=False)
        if r.status_code != 200:
            sys.exit(f"load: {path} answers {r.status_code} before the load: nothing to measure")


def served(access_log: Path) -> int:
    """The GET requests gunicorn has answered so far (its access log, one line each)."""
    with open(access_log, "rb") as f:
        return sum(1 for line in f if b'"GET /' in line)


def read_overhead(run, with_events, without_events, duration: int, measured: dict | None = None) -> dict:
    """Pages/s with the read event against without it, the two servers loaded in turn A B B A (each run
    half the duration): a machine whose load drifts during the runs (a shared one) weighs on both alike.
    With `measured` (--quick) the page's measured run is the A and one B of the full duration follows:
    A B, the drift not balanced. ledger_read_overhead = 1 - pages/s with ÷ pages/s without; _cpu the
    same from server CPU per page."""
    sides = {"with": [measured] if measured else [], "without": []}
    for side in ("without",) if measured else ("with", "without", "without", "with"):
        sides[side].append(run(with_events if side == "with" else without_events,
                               duration if measured else max(2, duration // 2)))

    def pooled(runs):
        requests, seconds = sum(r["requests"] for r in runs), sum(r["seconds"] for r in runs)
        answered, cpu = sum(r["server_answered"] for r in runs), sum(r["server_cpu_s"] for r in runs)
        return {"requests": requests, "errors": sum(r["errors"] for r in runs),
                "pages_per_s": round(requests / seconds, 1),
                "server_cpu_ms_per_page": round(cpu * 1000 / max(1, answered), 2),
                "p95_ms_worst": max(r["p95_ms"] for r in runs), "runs_s": [r["seconds"] for r in runs]}

    a, b = pooled(sides["with"]), pooled(sides["without"])
    return {"read_event_abba": {"with": a, "without": b}, "read_event_turns": "A B" if measured else "A B B A",
            "ledger_read_overhead": round(1 - a["pages_per_s"] / b["pages_per_s"], 3),
            "ledger_read_overhead_cpu": round(1 - b["server_cpu_ms_per_page"] / a["server_cpu_ms_per_page"], 3)}


def settle(cpu_roots: list[int], limit: float = 180) -> None:
    """Wait until the server side is idle (under 5 % of a core for a quarter second), at most `limit`
    seconds: what one run left queued must not be counted in the next."""
    deadline, last = time.monotonic() + limit, tree_cpu(cpu_roots)
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = tree_cpu(cpu_roots)
        if now - last < 0.0125:
            return
        last = now


def run_wrk(wrk: str, base: str, paths_file: Path, cookie: str, args, duration: int, cpu_roots: list[int],
            access_log: Path) -> dict:
    env = {**os.environ, "WRK_PATHS": str(paths_file), "WRK_COOKIE": cookie}
    threads = max(1, min(2, os.cpu_count() or 1))
    server_before, served_before, started = tree_cpu(cpu_roots), served(access_log), time.monotonic()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([wrk, "-t", str(threads), "-c", str(args.connections), "-d", f"{duration}s",
                                 "--timeout", f"{args.timeout}s", "-s", str(REPO / "bench" / "support" / "wrk.lua"),
                                 base + "/"],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    wrk_done = time.monotonic()
    settle(cpu_roots)  # the requests wrk gave up on (timeouts) are still served: counted, with their CPU
    drain_s = time.monotonic() - wrk_done
    server_cpu, answered = tree_cpu(cpu_roots) - server_before, served(access_log) - served_before
    busy_s = time.monotonic() - started  # wrk's run and the backlog it left
    line = next((ln for ln in text.splitlines() if ln.startswith("WRKJSON ")), None)
    if os.waitstatus_to_exitcode(status) != 0 or line is None:
        sys.exit(f"load: wrk failed:\n{text}")
    w = json.loads(line[len("WRKJSON "):])
    seconds = w["duration_us"] / 1e6
    log(f"load:   {base}: {w['requests']} pages in {seconds:.1f} s, the server idle {drain_s:.1f} s after")
    n = max(1, w["requests"])
    errors = w["not_200"] + w["connect"] + w["read"] + w["write"] + w["timeout"]
    return {"requests": w["requests"], "errors": errors, "not_200": w["not_200"],
            "socket_errors": {k: w[k] for k in ("connect", "read", "write", "timeout")},
            "pages_per_s": round(w["requests"] / seconds, 1), "seconds": round(seconds, 2), "server_cpu_s": server_cpu,
            **{f"p{p}_ms": round(w[f"p{p}_us"] / 1000, 1) for p in (50, 90, 95, 99)},
            "max_ms": round(w["max_us"] / 1000, 1),
            # per page the server answered (wrk's timed-out requests included: the server did the work)
            "server_answered": answered,
            "server_cpu_ms_per_page": round(server_cpu * 1000 / max(1, answered), 2),
            "wrk_cpu_ms_per_page": round((usage.ru_utime + usage.ru_stime) * 1000 / n, 2),
            "server_cores_busy": round(server_cpu / busy_s, 2),
            "wrk_cores_busy": round((usage.ru_utime + usage.ru_stime) / seconds, 2),
            "drain_s": round(drain_s, 1)}


# ---- in-process CPU and queries ----------------------------------------------------------------------


class PartTimer:
    """While active, each registered case-page and record-page part, the case page's gates and the template
    rendering of the page views are timed (CPU ms and queries): where a page's cost goes. The bench's
    process only: the functions are wrapped in the registries' lists and restored after."""

    def __init__(self):
        self.stats: dict[str, list] = {}

    def _wrap(self, name: str, fn):
        from django.db import connection

        def timed(*args, **kwargs):
            t, n = time.process_time(), len(connection.queries)
            try:
                return fn(*args, **kwargs)
            finally:
                got = self.stats.setdefault(name, [0.0, 0])
                got[0] += time.process_time() - t
                got[1] += len(connection.queries) - n
        return timed

    def __enter__(self):
        from django.db import connection

        from liuhen.cases import pages as case_pages
        from liuhen.cases import services as case_services
        from liuhen.cases import views as case_views
        from liuhen.records import pages as record_pages
        from liuhen.records import views as record_views

        self.saved = [(lst, list(lst)) for lst in (case_pages._CASE_PAGE, record_pages._RECORD_PAGE)]
        for lst, fns in self.saved:
            lst[:] = [self._wrap(f"{f.__module__.removeprefix('liuhen.')}.{f.__name__}", f) for f in fns]
        self.attrs = [(case_services, "transition_blockers"), (case_views, "render"), (record_views, "render")]
        self.attrs = [(m, a, getattr(m, a)) for m, a in self.attrs]
        for m, a, fn in self.attrs:
            setattr(m, a, self._wrap(f"{m.__name__.removeprefix('liuhen.')}.{a}", fn))
        self.debug_cursor = connection.force_debug_cursor
        connection.force_debug_cursor = True  # connection.queries counts
        return self

    def __exit__(self, *exc):
        from django.db import connection

        for lst, fns in self.saved:
            lst[:] = fns
        for m, a, fn in self.attrs:
            setattr(m, a, fn)
        connection.force_debug_cursor = self.debug_cursor

    def per_page(self, pages: int) -> dict:
        ranked = sorted(self.stats.items(), key=lambda kv: -kv[1][0])
        return {name: {"cpu_ms": round(s * 1000 / pages, 2), "queries": round(q / pages, 1)}
                for name, (s, q) in ranked if s * 1000 / pages >= 0.05}


def in_process(paths: list[str], user, samples: int) -> dict:
    """CPU ms and queries per page, Django's test Client in this process, same database; with the read
    event and without it (the bench-only setting, overridden in this process only)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    chosen = [random.Random(7).choice(paths) for _ in range(samples)]
    out = {}
    for path in chosen[:3]:  # warm: templates compiled, caches filled
        client.get(path)
    for key, skip in (("", False), ("_no_read_event", True)):
        with override_settings(LIUHEN_BENCH_SKIP_READ_EVENTS=skip):
            # Django keeps the last 9 000 queries: the second pass of 100 case pages (60 each) would count
            # only what fit beside the first's.
            connection.queries_log.clear()
            t = time.process_time()
            with CaptureQueriesContext(connection) as queries:
                for path in chosen:
                    r = client.get(path)
                    if r.status_code != 200:
                        sys.exit(f"load: {path} answered {r.status_code} in process")
            out[f"cpu_ms{key}"] = round((time.process_time() - t) * 1000 / samples, 2)
            out[f"queries{key}"] = round(len(queries.captured_queries) / samples, 1)
    with PartTimer() as parts:  # where the time goes (the wrappers cost a little themselves)
        for path in chosen:
            client.get(path)
    out["parts"] = parts.per_page(samples)
    return out


# ---- main ------------------------------------------------------------------------------------------------


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="under a minute: no demo data, 8 cases, 8 connections, 2 workers, "
                   "2 s per run, no warm-up runs, read overhead from one A B pair, 3 pages in process; the stack "
                   "is stopped in the background after the figures")
    p.add_argument("--cases", type=int, help="cases in the database after growth (default 3000; quick 8)")
    p.add_argument("--duration", type=int, help="seconds per wrk run (default 30; quick 2)")
    p.add_argument("--connections", type=int, help="wrk's connections (default 64; quick 8: the backlog they leave "
                   "on a slow page, 4 a worker, takes seconds to drain after each run, and every run waits for it)")
    p.add_argument("--timeout", type=int, default=30, help="seconds wrk waits for an answer (default 30): a "
                   "slower one is a timeout error")
    p.add_argument("--warmup", type=int, help="seconds of unmeasured load before each run (default 5; quick 0: "
                   "a few pages per worker instead)")
    p.add_argument("--workers", type=int, help="gunicorn workers (default 4; quick 2: each worker imports Django "
                   "on start, seconds of CPU the two cores are short of)")
    p.add_argument("--samples", type=int, help="pages per in-process measure (default 100; quick 3)")
    p.add_argument("--grow-procs", type=int, default=2, help="processes that grow the cases (default 2)")
    p.add_argument("--no-pg-template", action="store_true", help="make the stack's PostgreSQL cluster with initdb "
                   "and migrate, not from the migrated copy kept in ~/.cache/liuhen/bench/pg-template (made by "
                   "the first run, keyed by the migrations and PostgreSQL's version)")
    p.add_argument("--keep", action="store_true", help="leave the stack running (PROD_DIR printed)")
    p.add_argument("--stack", metavar="PROD_DIR", help="use the stack `make prod-up` (or --keep) left running in "
                   "PROD_DIR: its gunicorn reloads this tree's code (SIGHUP), the cases are topped up to --cases, "
                   "and it is left running")
    args = p.parse_args(argv)
    args.cases = args.cases or (8 if args.quick else 3000)
    args.connections = args.connections or (8 if args.quick else 64)
    args.workers = args.workers or (2 if args.quick else 4)
    args.duration = args.duration or (2 if args.quick else 30)
    args.samples = args.samples or (3 if args.quick else 100)
    args.warmup = (0 if args.quick else 5) if args.warmup is None else args.warmup
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    wrk = ensure_wrk()
    prod_dir = Path(args.stack).resolve() if args.stack else Path(tempfile.mkdtemp(prefix="liuhen-load-"))
    t0 = time.perf_counter()
    figures = None
    try:
        figures = run(args, wrk, prod_dir, t0)
        print_table(figures)
        print(json.dumps(figures, ensure_ascii=False), flush=True)
    finally:
        if args.keep or args.stack:
            if (prod_dir / "liuhen.env").exists():
                log(f"load: the stack is left running under {prod_dir} (PROD_DIR={prod_dir} scripts/prod-down.sh)")
        elif args.quick and figures is not None:
            # prod-down waits up to 10 s for each process (gunicorn's graceful stop, the integrator, weed):
            # the figures are out, it need not be waited for.
            subprocess.Popen([str(REPO / "scripts" / "prod-down.sh")], env={**os.environ, "PROD_DIR": str(prod_dir)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            log(f"load: the stack under {prod_dir} is being stopped in the background")
        else:
            stack_down(prod_dir)


def reuse_stack(prod_dir: Path) -> tuple[dict, int]:
    """A running stack's environment and port; its gunicorn reloads its workers (this tree's code)."""
    env_file = prod_dir / "liuhen.env"
    if not env_file.exists():
        sys.exit(f"load: {prod_dir} holds no running stack (no liuhen.env)")
    stack = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    stack = {k: v.strip("'") for k, v in stack.items()}
    os.kill(int((prod_dir / "gunicorn.pid").read_text().strip()), signal.SIGHUP)
    time.sleep(3)
    return stack, int(stack["LIUHEN_BIND"].rsplit(":", 1)[1])


def run(args, wrk: str, prod_dir: Path, t0: float) -> dict:
    if args.stack:
        stack, port = reuse_stack(prod_dir)
    else:
        port = free_port()
        demo = not args.quick  # --quick: the grown cases only (the demo's load takes over a minute)
        log(f"load: starting the production stack under {prod_dir} ({'demo data, ' if demo else ''}"
            f"{'about a minute' if demo else 'seconds; half a minute when the migrated cluster is made'})")
        stack = stack_up(prod_dir, port, args.workers, demo, None if args.no_pg_template else template_cache(),
                         wait=not args.quick)
    os.environ.update(stack)
    os.environ["DJANGO_SETTINGS_MODULE"] = "liuhen.settings"
    os.environ.pop("LIUHEN_DEBUG", None)
    import django

    django.setup()

    # The server without read events starts while the cases grow.
    plain_port = free_port()
    stack_env = {**os.environ, "PYTHONPATH": str(REPO), "LIUHEN_BENCH_SKIP_READ_EVENTS": "1", "LIUHEN_BENCH_ONLY": "1"}
    plain_pid = start_gunicorn(prod_dir, stack_env, plain_port, args.workers, "gunicorn-no-read-events")
    try:
        return grow_and_measure(args, wrk, prod_dir, stack, port, plain_port, t0)
    finally:
        stop_group(plain_pid)
        log("load: the gunicorn without read events stopped")
        pids = prod_dir / "pids"  # stopped: prod-down must not signal its id again (it may be reused)
        lines = pids.read_text().splitlines(keepends=True)
        pids.write_text("".join(ln for ln in lines if ln.split()[1:2] != [str(plain_pid)]))


def grow_and_measure(args, wrk: str, prod_dir: Path, stack: dict, port: int, plain_port: int, t0: float) -> dict:
    from support import grow

    log(f"load: growing to {args.cases} cases ({args.grow_procs} processes)")
    grown = grow.grow(args.cases, procs=args.grow_procs, log=log)

    from liuhen.accounts.models import User
    from liuhen.cases.models import Case
    from liuhen.records.models import Record

    agency = grown["agency"]
    case_paths = [f"/cases/{pk}/" for pk in Case.objects.filter(agency_id=agency).values_list("pk", flat=True)]
    record_paths = [f"/records/{pk}/" for pk in
                    Record.objects.filter(case__agency_id=agency).values_list("pk", flat=True)]
    portal_paths = ["/public/decisions/"]
    reviewer = User.objects.get(username=grow.LOGIN_USER, agency_id=agency)
    targets = Targets(port, plain_port, args.workers, case_paths, record_paths, portal_paths)
    if args.quick:  # the servers answer, log in and are warmed while the integrator and `liuhen verify` run
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            ready = pool.submit(targets.ready, s3_of=None if args.stack else prod_dir)
            verify_s = wait_and_verify(stack, in_process=True)
            ready.result()
    else:
        verify_s = wait_and_verify(stack)
        targets.ready(warm=False)
    log(f"load: grown to {grown['cases']} cases in {grown['grow_s']} s; liuhen verify passed in {verify_s} s")
    return measure(args, wrk, prod_dir, targets, grown, verify_s, t0, reviewer)


class Targets:
    """The two servers and the three pages' paths; ready(): the bucket takes writes (`s3_of`: a stack started
    with PROD_WAIT=0), both servers answer, the bench's account is logged in (`cookie`) and, with `warm`,
    each server has served the first pages of each kind (`warmed`): a fresh worker imports and compiles
    templates on its first pages, and a page that does not answer 200 before the load leaves nothing to
    measure."""

    def __init__(self, port, plain_port, workers, case_paths, record_paths, portal_paths):
        self.base, self.base_plain = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{plain_port}"
        self.port, self.plain_port, self.workers = port, plain_port, workers
        self.paths = {"case": case_paths, "record": record_paths, "portal": portal_paths, "floor": [FLOOR_PATH]}
        self.cookie, self.warmed = None, set()

    def ready(self, warm: bool = True, s3_of: Path | None = None) -> None:
        from support import grow

        if s3_of is not None:
            s3_ready(s3_of)
        answering(self.port, "the stack's gunicorn")
        answering(self.plain_port, "the gunicorn without read events")
        self.cookie = login_cookie(self.base, grow.LOGIN_USER, grow.LOGIN_PASSWORD)
        for name in self.paths if warm else ():
            self.warm(name, self.base)
            if name in ("case", "record"):
                self.warm(name, self.base_plain)

    def warm(self, name: str, base: str) -> None:
        if (name, base) not in self.warmed:
            check_paths(base, self.cookie if name in STAFF else "", self.paths[name][:self.workers])
            self.warmed.add((name, base))


def measure(args, wrk, prod_dir, targets: Targets, grown, verify_s, t0, reviewer) -> dict:
    base, base_plain, cookie = targets.base, targets.base_plain, targets.cookie
    roots = server_roots(prod_dir, ["gunicorn", "gunicorn-no-read-events"])
    logs = prod_dir / "logs"

    pages = {}
    t_load = time.perf_counter()
    for name in (*NAMED, "floor"):
        ck, user = (cookie, reviewer) if name in STAFF else ("", None)
        # Each server warmed first (a fresh worker imports and compiles templates on its first pages): a
        # page per worker (Targets.warm: with --quick before, while `liuhen verify` runs), then --warmup
        # seconds of load (none with --quick).
        paths = targets.paths[name]
        targets.warm(name, base)
        paths_file = prod_dir / f"paths-{name}.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        log(f"load: {name} page: wrk {args.connections} connections × {args.duration} s over {len(paths)} paths")
        if args.warmup:
            run_wrk(wrk, base, paths_file, ck, args, args.warmup, roots, logs / "gunicorn.log")
        page = {"paths": len(paths), **run_wrk(wrk, base, paths_file, ck, args, args.duration, roots,
                                               logs / "gunicorn.log")}
        if name in ("case", "record"):  # the portal's pages append no read event (publicity.public_views), nor the floor
            plain_log = logs / "gunicorn-no-read-events.log"
            log(f"load: {name} page: without read events")
            targets.warm(name, base_plain)
            if args.warmup:
                run_wrk(wrk, base_plain, paths_file, ck, args, args.warmup, roots, plain_log)
            page.update(read_overhead(
                lambda server, seconds: run_wrk(wrk, server[0], paths_file, ck, args, seconds, roots, server[1]),
                (base, logs / "gunicorn.log"), (base_plain, plain_log), args.duration,
                measured=dict(page) if args.quick else None))
        else:
            page["ledger_read_overhead"] = None
        log(f"load: {name} page: {args.samples} pages in process")
        page.update(in_process(paths, user, args.samples))
        pages[name] = page
    load_s = time.perf_counter() - t_load

    named = [pages[n] for n in NAMED]
    overheads = [p["ledger_read_overhead"] for p in named if p["ledger_read_overhead"] is not None]
    figures = {
        "p95_ms": max(p["p95_ms"] for p in named),
        "errors": sum(page_errors(p) for p in pages.values()),  # the floor's too: an error is an error
        "pages_per_s": min(p["pages_per_s"] for p in named),
        "ledger_read_overhead": max(overheads),
        "ledger_read_overhead_cpu": max(p["ledger_read_overhead_cpu"] for p in named
                                        if "ledger_read_overhead_cpu" in p),
        "pages": pages,
        "cases": grown["cases"], "grown": grown, "verify_s": verify_s,
        "connections": args.connections, "duration_s": args.duration, "gunicorn_workers": args.workers,
        "cores": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2),
        "load_s": round(load_s, 1), "total_s": round(time.perf_counter() - t0, 1), "quick": args.quick,
        "targets": {"p95_ms": f"< {TARGETS['p95_ms']}", "errors": TARGETS["errors"],
                    "ledger_read_overhead": f"<= {TARGETS['ledger_read_overhead']}"},
    }
    figures["met"] = {"p95_ms": figures["p95_ms"] < TARGETS["p95_ms"], "errors": figures["errors"] == 0,
                      "ledger_read_overhead": figures["ledger_read_overhead"] <= TARGETS["ledger_read_overhead"]}
    figures["why"] = why(pages, args.connections)
    return figures


def page_errors(p: dict) -> int:
    """A page's errors over every run: its measured run and the read-overhead turns (with --quick the
    measured run is the A turn: counted once)."""
    turns = p.get("read_event_abba", {})
    return p["errors"] + sum(side["errors"] for key, side in turns.items()
                             if not (key == "with" and p.get("read_event_turns") == "A B"))


def wait_and_verify(stack: dict, in_process: bool = False) -> float:
    """Wait for the integrator to sequence what growth appended, then `liuhen verify` (must pass): a
    process of its own, or (`in_process`, --quick) the same command in this process, which has Django set
    up on the stack already (a process's start is seconds of CPU on the shared cores)."""
    from liuhen.ledger.models import Pending

    deadline = time.monotonic() + 600
    while Pending.objects.exists():
        if time.monotonic() > deadline:
            sys.exit("load: the integrator did not sequence the grown entries within 10 minutes")
        time.sleep(0.25)
    t = time.perf_counter()
    if in_process:
        import io

        from django.core.management import call_command

        out = io.StringIO()
        try:
            call_command("verify", stdout=out, stderr=out)
        except SystemExit:
            sys.exit(f"load: liuhen verify failed after growth:\n{out.getvalue()[-3000:]}")
        return round(time.perf_counter() - t, 1)
    env = {**os.environ, **stack, "PYTHONPATH": str(REPO)}
    r = subprocess.run([str(PY), "-m", "liuhen", "verify"], cwd=REPO, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"load: liuhen verify failed after growth:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return round(time.perf_counter() - t, 1)


def why(pages: dict, connections: int) -> dict:
    """Little's law on the machine: with the server's CPU per page (gunicorn + PostgreSQL) and wrk's,
    the pages/s the cores can give at most, and the p95 a queue of `connections` then needs at least."""
    cores = os.cpu_count() or 1
    out = {}
    for name, p in pages.items():
        per_page = p["server_cpu_ms_per_page"] + p["wrk_cpu_ms_per_page"]
        ceiling = cores * 1000 / per_page if per_page else None
        out[name] = {"cpu_ms_per_page_all": round(per_page, 2),
                     "max_pages_per_s_on_cores": round(ceiling, 1) if ceiling else None,
                     "min_mean_latency_ms": round(connections * 1000 / ceiling, 1) if ceiling else None,
                     "cpu_ms_needed_for_target": round(cores * TARGETS["p95_ms"] / connections, 2),
                     # the machine is shared: the cores the stack and wrk actually had during the run
                     "cores_obtained": round(p["server_cores_busy"] + p["wrk_cores_busy"], 2)}
    return out


def print_table(f: dict) -> None:
    log("")
    log(f"{'page':8} {'requests':>9} {'errors':>7} {'pages/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'srv CPU ms':>10} {'wrk CPU ms':>10} {'CPU ms*':>8} {'queries*':>9} {'no-read pages/s':>16} {'overhead':>9}")
    for name, p in f["pages"].items():
        plain = p.get("read_event_abba", {}).get("without")
        log(f"{name:8} {p['requests']:>9} {p['errors']:>7} {p['pages_per_s']:>8} {p['p50_ms']:>8} {p['p95_ms']:>8} "
            f"{p['p99_ms']:>8} {p['server_cpu_ms_per_page']:>10} {p['wrk_cpu_ms_per_page']:>10} {p['cpu_ms']:>8} "
            f"{p['queries']:>9} {plain['pages_per_s'] if plain else '-':>16} "
            f"{p['ledger_read_overhead'] if p['ledger_read_overhead'] is not None else '-':>9}")
    log("* in process (Django test Client, same database), mean per page; floor: 我的账号, the smallest staff "
        "page (not a target: what any staff page costs before its own content)")
    log(f"{'--quick: ' if f['quick'] else ''}{f['cases']} cases, {f['connections']} connections, {f['duration_s']} s per run, {f['gunicorn_workers']} "
        f"workers, {f['cores']} cores (load average {f['load_average_1m']})")
    for key, ok in f["met"].items():
        log(f"  {key}: {f[key]} (target {f['targets'][key]}) {'met' if ok else 'NOT met'}")
    for name, p in f["pages"].items():
        if "read_event_abba" in p:
            a, b = p["read_event_abba"]["with"], p["read_event_abba"]["without"]
            log(f"  {name} page, read event on / off (runs {p['read_event_turns']}): {a['pages_per_s']} / {b['pages_per_s']} pages/s "
                f"→ overhead {p['ledger_read_overhead']}; server CPU {a['server_cpu_ms_per_page']} / "
                f"{b['server_cpu_ms_per_page']} ms per page → {p['ledger_read_overhead_cpu']}")
    for name, p in f["pages"].items():
        top = list(p["parts"].items())[:8]
        if top:
            log(f"  {name} page, in process, the costliest parts (CPU ms, queries per page): "
                + "; ".join(f"{k} {v['cpu_ms']} ms {v['queries']} q" for k, v in top))
    for name, w in f["why"].items():
        log(f"  {name}: {w['cpu_ms_per_page_all']} ms CPU per page (server + wrk) → at most "
            f"{w['max_pages_per_s_on_cores']} pages/s on {f['cores']} cores, a mean latency of at least "
            f"{w['min_mean_latency_ms']} ms with {f['connections']} connections (the target needs ≤ "
            f"{w['cpu_ms_needed_for_target']} ms); it had {w['cores_obtained']} of the {f['cores']} cores")


if __name__ == "__main__":
    main()
