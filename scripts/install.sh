#!/usr/bin/env bash
# Install everything Saraban needs on Debian 12 (idempotent): system packages, then the Python
# environment in .venv from the lock file.  Run as root (or with sudo available) on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  poppler-utils qpdf            # pdftotext/pdftoppm/pdffonts/pdfsig for checks and previews
  postgresql                    # production database; tests start a private server
  chromium                      # browser tests (Debian chromium, never `playwright install`)
  softhsm2                      # PKCS#11 token for signer tests and the master keys (KMS) tests
  swift swift-proxy swift-account swift-container swift-object memcached  # a real S3 server (Swift + s3api)
  dovecot-imapd                 # IMAP server: the mail tests poll a private Dovecot on loopback
  fonts-thai-tlwg               # Thai fallback fonts for the browser
  nginx                         # deploy/nginx: `nginx -t` and mutual TLS through the proxy in tests
  tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng  # OCR of scanned letters (search)
  ca-certificates curl git
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3}
if ! command -v uv >/dev/null 2>&1; then
  echo "==> installing uv"
  "$PY" -m pip install -q uv 2>/dev/null || "$PY" -m pip install -q --break-system-packages uv
fi
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
echo "==> Python environment (.venv)"
# compiled to bytecode now: where PYTHONDONTWRITEBYTECODE is set (as on our machines) Python never writes
# its caches, and every process start would compile ~800 modules afresh (1.2 s of CPU per `saraban` command)
# `bench` is Locust, for bench/bench_load.py
"$UV" sync -q --python "$("$PY" -c 'import sys; print(sys.executable)')" --extra test --extra bench --compile-bytecode
.venv/bin/python -m compileall -q -j 0 src >/dev/null
echo "==> the empty schema a new data directory starts from (saraban.kernel.schema; once per migration set)"
schema_home=$(mktemp -d)
env -u DATABASE_URL SARABAN_HOME="$schema_home" .venv/bin/saraban shell -v 0 -c \
  "from saraban.kernel import schema; print('   ', schema.migrate(), schema.template_path())"
rm -rf "$schema_home"
if ! command -v npm >/dev/null 2>&1; then  # Debian ships npm apart from nodejs
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends npm
fi
echo "==> axe-core for the browser tests (tests/e2e/axe; injected by the tests, never served to users)"
(cd tests/e2e/axe && npm ci --no-audit --no-fund --silent)
echo "==> installed: $(.venv/bin/saraban --version 2>/dev/null || echo saraban)"
