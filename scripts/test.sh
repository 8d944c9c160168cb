#!/usr/bin/env bash
# The whole suite on SQLite (browser tests included), then on PostgreSQL.
set -uo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_BROWSERS_PATH=0 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
echo "== tests on SQLite"
.venv/bin/pytest -q; sqlite_rc=$?
echo "== tests on PostgreSQL"
scripts/with-postgres.sh .venv/bin/pytest -q -m "not browser"; pg_rc=$?
echo "sqlite rc=$sqlite_rc postgres rc=$pg_rc"
[ $sqlite_rc -eq 0 ] && [ $pg_rc -eq 0 ]
