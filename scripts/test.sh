#!/usr/bin/env bash
# The layers of the house, then the whole suite on SQLite (browser tests included), then on PostgreSQL.
set -uo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_BROWSERS_PATH=0 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# The tests wait more than they compute (SeaweedFS restarts, ffmpeg, fsync, a browser): four
# workers (pytest-xdist) halve the wall time even on two cores. LIUHEN_TEST_WORKERS=0 runs in one.
WORKERS=${LIUHEN_TEST_WORKERS:-4}
# This tree's code, whatever the venv was installed from (a worktree sharing another tree's venv).
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
# Each worker of each pass imports every test module: with bytecode writing off (an environment
# setting PYTHONDONTWRITEBYTECODE), each would compile the project and rewrite the tests' asserts
# again. The caches (__pycache__, ignored by git) are written once and read by the others.
unset PYTHONDONTWRITEBYTECODE
# The slowest steps of each pass are printed at its end: where the suite's time goes.
PAR=(-n "$WORKERS" --dist loadscope --durations=25 --durations-min=4)
[ "$WORKERS" = 0 ] && PAR=(--durations=25 --durations-min=4)
echo "== import layers (import-linter)"
.venv/bin/lint-imports --no-cache >/tmp/liuhen-lint-imports.$$ 2>&1; lint_rc=$?
grep -vE '^[╔╚ ║└]' /tmp/liuhen-lint-imports.$$ | sed '/^$/d'; rm -f /tmp/liuhen-lint-imports.$$
echo "== tests on SQLite"
.venv/bin/pytest -q "${PAR[@]}"; sqlite_rc=$?
echo "== tests on PostgreSQL"
# --db-only (conftest.py): the tests that never reach a database ran in the first pass; a test
# that reaches one, in this process or in a child, runs here again — but for those whose subject
# is a page's HTML (the pages_only marker: its rule and guard in conftest.py). A test that starts its
# own PostgreSQL whatever the pass's (the own_stack marker: the production stack) ran in the first
# pass: --db-only leaves it out (liuhen/testing/selection.py).
scripts/with-postgres.sh .venv/bin/pytest -q "${PAR[@]}" -m "not browser and not pages_only" --db-only; pg_rc=$?
echo "lint-imports rc=$lint_rc sqlite rc=$sqlite_rc postgres rc=$pg_rc"
[ $lint_rc -eq 0 ] && [ $sqlite_rc -eq 0 ] && [ $pg_rc -eq 0 ]
