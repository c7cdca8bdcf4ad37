#!/usr/bin/env bash
# Installs what Workdeck needs, builds it in release mode and starts it on its default database.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release
cmake --build --preset release
exec build/release/app/workdeck "$@"
