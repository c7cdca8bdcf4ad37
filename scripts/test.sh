#!/usr/bin/env bash
# Installs what the tests need, builds the dev preset and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
export QT_QPA_PLATFORM=offscreen
cmake --preset dev
cmake --build --preset dev
ctest --preset dev -j"$(nproc)"
