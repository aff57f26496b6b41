#!/usr/bin/env bash
# Install everything and start the demo (demo ministry, web UI, API, worker) on 127.0.0.1.
#   bash scripts/demo.sh [--port 8000]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/saraban demo "$@"
