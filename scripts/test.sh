#!/usr/bin/env bash
# Runs the whole test suite after the same set-up as scripts/start.sh: static checks, the unit
# and integration tests (in parallel, one worker per core), then the browser tests (Playwright
# driving /usr/bin/chromium, in one process).
#   scripts/test.sh                 everything
#   scripts/test.sh -k wizard       extra arguments: one plain pytest run with them
#   PORTAL_SKIP_E2E=1 scripts/test.sh   skip the browser tests
# Set DATABASE_URL=postgres://... to run against PostgreSQL instead of SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
# Development mode for manage.py here (pytest turns it on in tests/settings.py).
export DEBUG=1
bash scripts/bootstrap.sh
echo ">> Static checks"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python manage.py makemigrations --check --dry-run -v0
if [ $# -gt 0 ]; then
  echo ">> Tests: pytest $*"
  exec .venv/bin/pytest "$@"
fi
echo ">> Unit and integration tests"
.venv/bin/pytest -q -m "not e2e" -n "${PYTEST_WORKERS:-auto}"
if [ "${PORTAL_SKIP_E2E:-0}" != "1" ]; then
  echo ">> Browser tests (Playwright + Chromium)"
  .venv/bin/pytest -q -m e2e
fi
