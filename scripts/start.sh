#!/usr/bin/env bash
# Sets everything up and starts the portal with demo content on http://127.0.0.1:8000
# (embedded default: SQLite under data/, media under media/, console e-mail, no other services).
set -euo pipefail
cd "$(dirname "$0")/.."
# Development mode, explicitly: the portal's default is production (DEBUG off, SECRET_KEY
# required). In development a random key is generated into data/ on first run and reused.
export DEBUG=1
bash scripts/bootstrap.sh
echo ">> Migrating the database"
.venv/bin/python manage.py migrate --noinput -v0
echo ">> Loading the demo content"
.venv/bin/python manage.py load_demo
# Background work (imports, exports, report PDFs, e-mails) never runs inside a request: it is
# queued in the database and run by a task worker started here beside the web server, and
# stopped with it (it does not reload on code changes: restart the script after editing tasks).
export TASKS_BACKEND="${TASKS_BACKEND:-database}"
echo ">> Starting the task worker (manage.py db_worker)"
.venv/bin/python manage.py db_worker --no-reload -v0 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT
echo ">> Starting the portal on http://127.0.0.1:8000 (Ctrl+C stops it and the worker)"
.venv/bin/python manage.py runserver "${PORT:-127.0.0.1:8000}"
