#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL cluster reached through a Unix-domain socket:
#   scripts/with-postgres.sh .venv/bin/pytest
# DATABASE_URL is exported for the command (and the processes it starts); the cluster is removed
# afterwards.
# - A Unix-domain socket, no TCP: a test makes hundreds of small queries, each a round trip to the
#   server; the socket skips loopback TCP's work on both sides (less system CPU for the client and
#   the server). The URL's host is the socket's directory, percent-encoded (libpq, dj-database-url).
# - Settings for a cluster that lives one run: fsync=off (nothing needs to survive a crash) and
#   autovacuum=off (the tests' rolled-back rows woke it for tens of vacuums and analyzes a minute,
#   on the cores the tests need; no test reads the statistics it keeps).
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
# Lower-case only: URL parsers lower-case a host name (urllib's hostname, so dj-database-url), and
# this directory is the URL's host.
DIR=/tmp/liuhen-pg.$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
mkdir -m 700 "$DIR"
PORT=5432  # names the socket file in $DIR, which is the run's own: no other server listens there
AS=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$DIR"; AS=(runuser -u postgres --); fi
cleanup() {
    "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT
"${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U liuhen --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
    -o "-p $PORT -k $DIR -c listen_addresses= -c fsync=off -c autovacuum=off -c max_connections=50" start >/dev/null
export DATABASE_URL="postgres://liuhen@${DIR//\//%2F}:$PORT/postgres"
echo "with-postgres: PostgreSQL on $DIR/.s.PGSQL.$PORT"
"$@"
