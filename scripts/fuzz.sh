#!/usr/bin/env bash
# A fuzz campaign against the C API: tests/fuzz (libFuzzer, clang 14, ASan + UBSan).
#
# Usage: scripts/fuzz.sh [seconds=3600] [jobs=1]
#   Builds the harness into $FUZZ_BUILD_DIR (default build/fuzz) and fuzzes for the given time, starting from
#   the seed corpus tests/fuzz/corpus. New interesting inputs go to $FUZZ_WORK/corpus (default
#   build/fuzz-work/corpus; the repository's corpus is only read), crashes, leaks and timeouts to
#   $FUZZ_WORK/artifacts. jobs > 1 runs libFuzzer's fork mode with that many workers.
#   FUZZ_SEED=<n> and FUZZ_RUNS=<n>: a reproducible run (libFuzzer -seed, -runs; the time stays a cap).
#   CI uses them, so that its verdict does not depend on the luck of a random campaign.
#   FUZZ_MERGE=1: afterwards, merges the campaign's new inputs into tests/fuzz/corpus (libFuzzer -merge=1
#   keeps only inputs that add coverage), for committing.
#
# When it finds something: the input is in $FUZZ_WORK/artifacts (crash-*, leak-*, timeout-*). Reproduce
# with  build/fuzz/tests/fuzz_capi <file>  (or build-*/tests/fuzz_capi_replay <file> in any build), fix the
# library, then copy the input to tests/fuzz/corpus/regress-<short-name> so that every build's
# fuzz_corpus_replay test keeps replaying it, and add a focused test next to the behaviour.
# FUZZ_TARGET=fuzz_files: the tensor file readers (seed corpus tests/fuzz/corpus_files) instead of the
#   C API harness fuzz_capi.
# Needs: clang-14, libclang-rt-14-dev, libomp-14-dev (scripts/ci_hardening.sh installs them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-3600}
jobs=${2:-1}
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}
target=${FUZZ_TARGET:-fuzz_capi}
seeds=$root/tests/fuzz/corpus
[ "$target" = fuzz_files ] && seeds=$root/tests/fuzz/corpus_files
work=${FUZZ_WORK:-$root/build/fuzz-work}

CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTENSOR_CUDA=OFF -DTENSOR_SANITIZE=address -DTENSOR_FUZZ=ON -DTENSOR_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" --target "$target" -j"$(nproc)"

mkdir -p "$work/corpus" "$work/artifacts"
args=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1
      -artifact_prefix="$work/artifacts/")
[ "$jobs" -gt 1 ] && args+=(-fork="$jobs" -ignore_crashes=0)
[ -n "${FUZZ_SEED:-}" ] && args+=(-seed="$FUZZ_SEED")
[ -n "${FUZZ_RUNS:-}" ] && args+=(-runs="$FUZZ_RUNS")
status=0
"$build/tests/$target" "${args[@]}" "$work/corpus" "$seeds" || status=$?

if [ "${FUZZ_MERGE:-0}" = 1 ]; then
  "$build/tests/$target" -merge=1 "$seeds" "$work/corpus"
fi
if [ "$status" -ne 0 ]; then
  echo "fuzz.sh: the fuzzer stopped on a finding (exit $status); inputs in $work/artifacts:" >&2
  ls -l "$work/artifacts" >&2
fi
exit "$status"
