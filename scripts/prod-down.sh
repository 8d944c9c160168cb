#!/usr/bin/env bash
# Stops what `make prod-up` started (the processes named in PROD_DIR/pids, by their ids) and
# removes PROD_DIR unless PROD_KEEP=1.
set -uo pipefail
cd "$(dirname "$0")/.."
PROD_DIR=$(realpath -m "${PROD_DIR:-var/prod}")
[ -f "$PROD_DIR/pids" ] || { echo "prod-down: nothing running under $PROD_DIR"; exit 0; }
tac "$PROD_DIR/pids" | while read -r what a b c; do
    case "$what" in
        pg)
            AS=(); [ "$(id -u)" -eq 0 ] && AS=(runuser -u postgres --)
            "${AS[@]}" "$a/pg_ctl" -D "$b/data" -m fast stop >/dev/null 2>&1
            rm -rf "$b" ;;
        *)
            # setsid made each its own process group: gunicorn's workers and weed's servers go with it.
            kill -TERM -- "-$a" 2>/dev/null
            for _ in $(seq 1 40); do kill -0 "$a" 2>/dev/null || break; sleep 0.25; done
            kill -KILL -- "-$a" 2>/dev/null ;;
    esac
done
rm -f "$PROD_DIR/pids"
[ "${PROD_KEEP:-0}" = 1 ] || rm -rf "$PROD_DIR"
echo "prod-down: stopped"
