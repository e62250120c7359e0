#!/usr/bin/env bash
# Load test: the portal under gunicorn (4 workers) on PostgreSQL (Debian's package, a throw-away
# cluster on loopback), 100 locust users for 2 minutes mixing policy pages, search and wizard
# steps; then a check that every simulated user's draft holds exactly the answers it saved.
#
#   bash loadtest/run.sh                # 100 users, 2 minutes
#   USERS=20 DURATION=30s bash loadtest/run.sh
#
# locust is installed into its own virtualenv ($LOADTEST_VENV) from loadtest/requirements.txt,
# so the portal's own install stays lean. Results: printed, and kept in $WORK (printed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
USERS=${USERS:-100}
SPAWN_RATE=${SPAWN_RATE:-20}
DURATION=${DURATION:-2m}
WORKERS=${WORKERS:-4}
PORT=${PORT:-8765}
PGPORT=${PGPORT:-54339}
PY=${PY:-$ROOT/.venv/bin/python}
LOADTEST_VENV=${LOADTEST_VENV:-/tmp/portal-loadtest-venv}
WORK=$(mktemp -d /tmp/portal-loadtest.XXXXXX)

if [ ! -x "$LOADTEST_VENV/bin/locust" ]; then
  echo "=== Installing locust into $LOADTEST_VENV ==="
  python3 -m venv "$LOADTEST_VENV"
  "$LOADTEST_VENV/bin/pip" install -q -r loadtest/requirements.txt >"$WORK/pip.log" 2>&1 \
    || { cat "$WORK/pip.log"; exit 1; }
fi

echo "=== PostgreSQL (temporary cluster on 127.0.0.1:$PGPORT) ==="
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
PGDATA=$(mktemp -d /tmp/portal-loadtest-pg.XXXXXX)  # its own directory: postgres must own it
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
$SUDO chown postgres "$PGDATA"
as_postgres "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
  -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
GUNICORN_PID=""
cleanup() {
  if [ -n "$GUNICORN_PID" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
  as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
  $SUDO rm -rf "$PGDATA"
}
trap cleanup EXIT
"$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -c "CREATE DATABASE portal" >/dev/null

# Set-up commands run with DEBUG on (load_demo refuses otherwise); gunicorn runs the production
# configuration (DEBUG=0, hashed static files) over plain HTTP on loopback: the HTTPS redirect,
# secure cookies and the TLS proxy header are switched off (see the README).
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/portal"
export DATA_DIR="$WORK/data" MEDIA_ROOT="$WORK/media" DEBUG=1
PRODUCTION_OVER_HTTP=(DEBUG=0 SECRET_KEY="loadtest-$(head -c 24 /dev/urandom | base64)"
  SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 BEHIND_TLS_PROXY=0 WEB_CONCURRENCY="$WORKERS")
export LOADTEST_USERS="$WORK/users.json" LOADTEST_LOG="$WORK/saved.json"

echo "=== Migrate, demo content, $USERS load users ==="
"$PY" manage.py migrate -v0
"$PY" manage.py load_demo >"$WORK/load_demo.log" 2>&1
"$PY" loadtest/prepare.py "$USERS" "$LOADTEST_USERS"

echo "=== gunicorn ($WORKERS workers, DEBUG=0) on 127.0.0.1:$PORT ==="
env "${PRODUCTION_OVER_HTTP[@]}" "$PY" manage.py collectstatic --noinput -v0
env "${PRODUCTION_OVER_HTTP[@]}" "$ROOT/.venv/bin/gunicorn" portal.wsgi:application -w "$WORKERS" -b "127.0.0.1:$PORT" \
  --access-logfile /dev/null --error-logfile "$WORK/gunicorn.log" --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 1
done

echo "=== locust: $USERS users, $DURATION ==="
"$LOADTEST_VENV/bin/locust" -f loadtest/locustfile.py --headless -u "$USERS" -r "$SPAWN_RATE" \
  -t "$DURATION" --host "http://127.0.0.1:$PORT" --csv "$WORK/locust" --only-summary \
  --stop-timeout 10 >"$WORK/locust.log" 2>&1 || true
tail -n 40 "$WORK/locust.log"

echo "=== Summary ==="
"$PY" - "$WORK/locust_stats.csv" <<'EOF'
import csv, json, sys
rows = {r["Name"]: r for r in csv.DictReader(open(sys.argv[1]))}
total = rows["Aggregated"]
print(json.dumps({
    "requests": int(total["Request Count"]),
    "failures": int(total["Failure Count"]),
    "requests_per_s": round(float(total["Requests/s"]), 1),
    "p50_ms": float(total["50%"]),
    "p95_ms": float(total["95%"]),
    "p99_ms": float(total["99%"]),
}))
for name, r in sorted(rows.items()):
    if name != "Aggregated":
        print(f'{r["Type"]:5} {name:45} n={r["Request Count"]:>6} fail={r["Failure Count"]:>4} '
              f'p50={r["50%"]:>5} p95={r["95%"]:>5} p99={r["99%"]:>5}')
EOF

echo "=== Drafts hold exactly the answers each user saved ==="
kill "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true; GUNICORN_PID=""
"$PY" loadtest/check.py "$LOADTEST_USERS" "$LOADTEST_LOG"
echo "(work files: $WORK)"
