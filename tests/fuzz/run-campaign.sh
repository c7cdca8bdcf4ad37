#!/usr/bin/env bash
# Builds the libFuzzer targets (the "fuzz" preset) and fuzzes each in turn.
#
# Usage: tests/fuzz/run-campaign.sh [SECONDS_PER_TARGET]      (default 600)
#
# Environment:
#   FUZZ_TARGETS   the targets to fuzz, default "jsonl json csv user settings search"
#   FUZZ_WORKDIR   the scratch directory, default a new one under ${TMPDIR:-/tmp}, removed after
#                  a run without findings unless FUZZ_KEEP=1
#
# Each target starts from a copy of tests/fuzz/corpus/<format> in the scratch directory, so
# the tree's seeds are never touched; crashes land there as crash-*/leak-*/timeout-* files.
# To keep inputs that add coverage, merge them into the seeds by hand:
#   build/fuzz/tests/fuzz/fuzz_csv -merge=1 tests/fuzz/corpus/csv "$FUZZ_WORKDIR/csv/corpus"
set -euo pipefail
"$(dirname "$0")/../../scripts/install-deps.sh" --fuzz

seconds=${1:-600}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds == 0)); then
    echo "usage: $0 [SECONDS_PER_TARGET]" >&2
    exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
targets=${FUZZ_TARGETS:-jsonl json csv user settings search}
workdir=${FUZZ_WORKDIR:-$(mktemp -d "${TMPDIR:-/tmp}/workdeck-fuzz.XXXXXX")}
mkdir -p "$workdir"

cd "$source_dir"
cmake --preset fuzz >"$workdir/configure.log" 2>&1 || { cat "$workdir/configure.log" >&2; exit 1; }
cmake --build --preset fuzz >"$workdir/build.log" 2>&1 || { tail -n 50 "$workdir/build.log" >&2; exit 1; }

# Stop at the first error of any sanitizer; libFuzzer itself looks for leaks after each input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

echo "fuzzing ${targets} for ${seconds} s each in ${workdir}"
failed=()
for target in $targets; do
    binary="$source_dir/build/fuzz/tests/fuzz/fuzz_$target"
    dir="$workdir/$target"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    cp -- "$source_dir/tests/fuzz/corpus/$target/"* "$dir/corpus/"
    # A target without a dictionary of its own (the short-text ones) fuzzes without one.
    dict=()
    [[ -s "$source_dir/tests/fuzz/$target.dict" ]] && dict=(-dict="$source_dir/tests/fuzz/$target.dict")
    status=0
    "$binary" "$dir/corpus" \
        "${dict[@]}" \
        -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
        -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" >"$dir/fuzz.log" 2>&1 || status=$?
    echo "== fuzz_$target (exit $status, log $dir/fuzz.log)"
    # The last status line (#runs DONE cov: ft: corp: exec/s: rss:) and the final stats.
    grep -E '^#[0-9]+' "$dir/fuzz.log" | tail -n 1 || true
    grep -E '^(stat::|Done )' "$dir/fuzz.log" || true
    if ((status != 0)) || compgen -G "$dir/artifacts/*" >/dev/null; then
        failed+=("$target")
        grep -E 'ERROR|SUMMARY|runtime error|fuzz_batch:' "$dir/fuzz.log" | head -n 5 || true
        ls -l "$dir/artifacts/"
    fi
done

if ((${#failed[@]})); then
    echo "findings in: ${failed[*]} (reproduce with build/fuzz/tests/fuzz/fuzz_<format> FILE)"
    exit 1
fi
echo "no findings"
# A scratch directory of our own is not kept when there is nothing in it to look at.
[[ -z ${FUZZ_WORKDIR:-} && ${FUZZ_KEEP:-} != 1 ]] && rm -rf -- "$workdir"
exit 0
