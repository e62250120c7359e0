#!/usr/bin/env bash
# Load test: the portal under gunicorn (4 workers) on PostgreSQL (Debian's package, a throw-away
# cluster on loopback), 100 locust users for 3 minutes mixing policy pages, search and wizard
# steps; then a check that every simulated user's draft holds exactly the answers it saved.
#
#   bash loadtest/run.sh                # 100 users, 3 minutes
#   USERS=20 DURATION=60s bash loadtest/run.sh
#
# The accounts sign in once before locust starts (loadtest/signin.py, at most SIGNIN_RATE a
# second) and the simulated users reuse those sessions. Users are added SPAWN_RATE a second; the
# steady state is what starts WARMUP seconds after the first request (default: the ramp plus
# 10 s). With two or more cores locust runs on core 0 and gunicorn on core 1 (taskset; PIN=0
# switches it off); PostgreSQL is not pinned.
#
# locust is installed into its own virtualenv ($LOADTEST_VENV) from loadtest/requirements.txt,
# so the portal's own install stays lean. Results: printed, and kept in $WORK (printed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
USERS=${USERS:-100}
SPAWN_RATE=${SPAWN_RATE:-1}
SIGNIN_RATE=${SIGNIN_RATE:-2}
DURATION=${DURATION:-3m}
WARMUP=${WARMUP:-$(python3 -c "print(int($USERS / $SPAWN_RATE) + 10)")}
PIN=${PIN:-1}
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
export LOADTEST_REQUESTS="$WORK/requests.jsonl"
PIN_SERVER=(); PIN_LOCUST=()
if [ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  PIN_LOCUST=(taskset -c 0); PIN_SERVER=(taskset -c 1)
  echo "=== Pinned: locust on core 0, gunicorn on core 1 (PostgreSQL unpinned) ==="
else
  echo "=== Not pinned: locust and gunicorn share the cores ==="
fi

echo "=== Migrate, demo content, $USERS load users ==="
"$PY" manage.py migrate -v0
"$PY" manage.py load_demo >"$WORK/load_demo.log" 2>&1
"$PY" loadtest/prepare.py "$USERS" "$LOADTEST_USERS"

echo "=== gunicorn ($WORKERS workers, DEBUG=0) on 127.0.0.1:$PORT ==="
env "${PRODUCTION_OVER_HTTP[@]}" "$PY" manage.py collectstatic --noinput -v0
env "${PRODUCTION_OVER_HTTP[@]}" "${PIN_SERVER[@]}" "$ROOT/.venv/bin/gunicorn" portal.wsgi:application -w "$WORKERS" -b "127.0.0.1:$PORT" \
  --access-logfile /dev/null --error-logfile "$WORK/gunicorn.log" --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 1
done

echo "=== Sign-ins: $USERS accounts, at most $SIGNIN_RATE a second ==="
"$PY" loadtest/signin.py "http://127.0.0.1:$PORT" "$LOADTEST_USERS" "$SIGNIN_RATE"

echo "=== locust: $USERS users ($SPAWN_RATE a second), $DURATION ==="
"${PIN_LOCUST[@]}" "$LOADTEST_VENV/bin/locust" -f loadtest/locustfile.py --headless -u "$USERS" -r "$SPAWN_RATE" \
  -t "$DURATION" --host "http://127.0.0.1:$PORT" --csv "$WORK/locust" --only-summary \
  --stop-timeout 10 >"$WORK/locust.log" 2>&1 || true
tail -n 40 "$WORK/locust.log"

echo "=== Summary (whole run, steady state after ${WARMUP} s, per request, knee) ==="
"$PY" loadtest/summary.py "$LOADTEST_REQUESTS" "$WARMUP" | tee "$WORK/summary.jsonl"

echo "=== Drafts hold exactly the answers each user saved ==="
kill "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true; GUNICORN_PID=""
"$PY" loadtest/check.py "$LOADTEST_USERS" "$LOADTEST_LOG"
echo "(work files: $WORK)"
