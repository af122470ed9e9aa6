#!/usr/bin/env bash
# Line coverage of the library (src/ and capi/) by the whole test suite, with gcovr.
#
# Usage: scripts/coverage.sh [build-dir=build/coverage]
#   Builds the `coverage` preset (gcc --coverage -O0, CPU only) into build-dir, runs every ctest test, and
#   writes build-dir/coverage/index.html (per-line detail) and coverage.txt (per file), printing the summary.
#   COVERAGE_MIN=<percent> makes it fail when line coverage is below that figure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/coverage}
[ "${build#/}" = "$build" ] && build=$root/$build

cmake --preset coverage -B "$build" >/dev/null
cmake --build "$build" -j"$(nproc)"
find "$build" -name '*.gcda' -delete  # counts from earlier runs would inflate the figure
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" || echo "coverage.sh: some tests failed (coverage still reported)" >&2

mkdir -p "$build/coverage"
gcovr --root "$root" "$build" --gcov-executable gcov \
  --filter "$root/src/" --filter "$root/capi/" \
  --html-details "$build/coverage/index.html" --txt "$build/coverage/coverage.txt" \
  --print-summary --fail-under-line "${COVERAGE_MIN:-0}"
