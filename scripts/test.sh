#!/usr/bin/env bash
# The layers of the house, then the whole suite on SQLite (browser tests included), then on PostgreSQL.
set -uo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_BROWSERS_PATH=0 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
echo "== import layers (import-linter)"
.venv/bin/lint-imports --no-cache >/tmp/liuhen-lint-imports.$$ 2>&1; lint_rc=$?
grep -vE '^[╔╚ ║└]' /tmp/liuhen-lint-imports.$$ | sed '/^$/d'; rm -f /tmp/liuhen-lint-imports.$$
echo "== tests on SQLite"
.venv/bin/pytest -q; sqlite_rc=$?
echo "== tests on PostgreSQL"
scripts/with-postgres.sh .venv/bin/pytest -q -m "not browser"; pg_rc=$?
echo "lint-imports rc=$lint_rc sqlite rc=$sqlite_rc postgres rc=$pg_rc"
[ $lint_rc -eq 0 ] && [ $sqlite_rc -eq 0 ] && [ $pg_rc -eq 0 ]
