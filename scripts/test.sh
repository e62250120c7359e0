#!/usr/bin/env bash
# Runs the whole test suite (unit, integration, browser journeys), after the same set-up as
# scripts/start.sh. Extra arguments go to pytest, e.g. `scripts/test.sh -k wizard`.
# Set DATABASE_URL=postgres://... to run it against PostgreSQL instead of SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
echo ">> Static checks"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python manage.py makemigrations --check --dry-run -v0
echo ">> Tests"
exec .venv/bin/pytest "$@"
