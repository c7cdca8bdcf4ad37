#!/usr/bin/env bash
# Installs what the tests need, builds the dev preset and runs the whole suite, then builds the
# asan preset and runs the suite again under AddressSanitizer + UndefinedBehaviorSanitizer with
# leak detection on (the packaging test runs once, in the first pass).
#
# Usage: scripts/test.sh [--quick]     --quick: the first pass only
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
export QT_QPA_PLATFORM=offscreen
cmake --preset dev
cmake --build --preset dev
ctest --preset dev -j"$(nproc)"
if [[ "${1:-}" == "--quick" ]]; then
    exit 0
fi
cmake --preset asan
cmake --build --preset asan
ctest --preset asan -j"$(nproc)" --label-exclude packaging
