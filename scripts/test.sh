#!/usr/bin/env bash
# The test command (README, "Building by hand"; CI runs it through .ci/run). Four passes:
#   1. dev preset: the whole suite.
#   2. asan preset: the suite again under AddressSanitizer + UndefinedBehaviorSanitizer, leak
#      detection on (the packaging test runs once, in the first pass).
#   3. fuzz preset (clang): each libFuzzer target for FUZZ_SECONDS (default 20) from its seeds,
#      in a scratch directory; a crash, leak, timeout or out-of-memory fails the run.
#   4. tsan preset (clang): the core suites (label "core") under ThreadSanitizer, with
#      tests/tsan/QtSynchronisation.cpp and tests/tsan/suppressions.txt (README, "Reliability
#      checks"); a data race fails the run.
# The fuzz and tsan passes build only what they run: workdeck_core and the fuzz targets, and
# workdeck_core and the core suites (core_tests).
#
# Usage: scripts/test.sh [--quick]     --quick: the first pass only
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
export QT_QPA_PLATFORM=offscreen

pass() { printf '== %s (%s)\n' "$1" "$(date +%T)"; }

pass dev
cmake --preset dev
cmake --build --preset dev
ctest --preset dev -j"$(nproc)"
if [[ "${1:-}" == "--quick" ]]; then
    exit 0
fi

pass asan
cmake --preset asan
cmake --build --preset asan
ctest --preset asan -j"$(nproc)" --label-exclude packaging

pass fuzz
scripts/install-deps.sh --fuzz
tests/fuzz/run-campaign.sh "${FUZZ_SECONDS:-20}"

pass tsan
cmake --preset tsan
cmake --build --preset tsan
ctest --preset tsan -j"$(nproc)"
pass done
