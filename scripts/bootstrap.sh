#!/usr/bin/env bash
# Installs everything the portal needs on a Debian machine, idempotently:
# Debian packages (CJK fonts, HarfBuzz subsetting and Pango for WeasyPrint, gettext, Chromium
# for the browser tests, LibreOffice Calc without a GUI for the CSV export test), a virtualenv
# in .venv with the pinned requirements, compiled messages.
# Re-running is cheap: each step is skipped when it is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b
  gettext chromium poppler-utils libreoffice-calc-nogui
)
[ "${PORTAL_WITH_POSTGRES:-0}" = "1" ] && DEBIAN_PACKAGES+=(postgresql)
# Node.js only fetches axe-core for the accessibility tests; use the machine's one if present.
command -v npm >/dev/null || DEBIAN_PACKAGES+=(nodejs npm)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo ">> Installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo ">> Creating the virtualenv (.venv)"
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.requirements-$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo ">> Installing Python packages"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements-dev.txt
  rm -f .venv/.requirements-*
  touch "$stamp"
fi

if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo ">> Installing browser-test tools (axe-core)"
  npm ci --no-audit --no-fund --silent
fi

echo ">> Compiling translations"
# compilemessages loads the settings: development mode unless the caller chose otherwise.
DEBUG="${DEBUG:-1}" .venv/bin/python manage.py compilemessages --ignore=.venv -v0

echo ">> Preparing the PDF signing key"
# The configured PKCS#12 file (PDF_SIGNING_PKCS12), else a self-signed development key generated
# into DATA_DIR/signing/ once: issued PDFs are signed from the first one on.
DEBUG="${DEBUG:-1}" .venv/bin/python manage.py signing_key
