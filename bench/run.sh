#!/bin/sh
# The one benchmark command: builds libtensor (Release, CPU) with the benchmark programs, runs every CPU
# case side by side with libtorch (C++) and NumPy in one run, prints the table and writes
# bench/RESULTS.md. See bench/README.md.
#
#   bench/run.sh [BUILD_DIR]        (default BUILD_DIR: build-bench at the repository root)
#   BENCH_ROUNDS=N bench/run.sh     (rounds of every case, default 3; each cell is the median of its rounds)
#   BENCH_NICE=-15 bench/run.sh     (run the programs at that nice level: on a busy shared machine a negative
#                                    value, as root, keeps other load from preempting the 2 benchmark threads)
#
# Matmul cases run twice: with the OpenBLAS kernel the library picks itself, and with
# OPENBLAS_CORETYPE=SkylakeX (OpenBLAS 0.3.21 does not recognise recent CPUs and falls back to older
# kernels). Every program of a pass runs with the same kernel, 2 threads.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-"$ROOT/build-bench"}
PYTHON=/usr/bin/python3
THREADS=2

GENERATOR=""
if command -v ninja >/dev/null 2>&1; then GENERATOR="-G Ninja"; fi
mkdir -p "$BUILD"
# shellcheck disable=SC2086
cmake -S "$ROOT" -B "$BUILD" $GENERATOR -DCMAKE_BUILD_TYPE=Release -DTENSOR_CUDA=OFF -DTENSOR_BUILD_BENCH=ON \
  -DTENSOR_BUILD_TESTS=OFF -DTENSOR_BUILD_EXAMPLES=OFF >"$BUILD/bench-configure.log" 2>&1 ||
  { cat "$BUILD/bench-configure.log"; exit 1; }
cmake --build "$BUILD" --parallel "$THREADS" --target bench_libtensor
if ! cmake --build "$BUILD" --parallel "$THREADS" --target bench_libtorch; then
  echo "bench_libtorch did not build (is libtorch-dev installed?): its column will say 'missing'" >&2
fi

OUT="$BUILD/bench-results"  # the raw lines of every program, kept for a look after the run
rm -rf "$OUT"
mkdir -p "$OUT"
export OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS
cp /proc/loadavg "$OUT/loadavg.start" 2>/dev/null || true  # other load on the machine, for the report
NICE=${BENCH_NICE:-}
if [ -n "$NICE" ]; then echo "$NICE" >"$OUT/nice"; fi

# run_program PASS PROGRAM --only GROUP: one group of cases of one program, appended to $OUT/PASS.PROGRAM.tsv.
run_program() {
  pass=$1 prog=$2
  shift 2
  case $prog in
    libtensor) set -- "$BUILD/bench/bench_libtensor" --threads "$THREADS" "$@" ;;
    libtorch) set -- "$BUILD/bench/bench_libtorch" --threads "$THREADS" "$@" ;;
    numpy) set -- "$PYTHON" "$ROOT/bench/bench_numpy.py" "$@" ;;
  esac
  if [ "$prog" = libtorch ] && [ ! -x "$BUILD/bench/bench_libtorch" ]; then return 0; fi
  if [ -n "$NICE" ]; then set -- nice -n "$NICE" "$@"; fi
  echo "== round $round, $pass: $*" >&2
  if [ "$pass" = skylakex ]; then
    OPENBLAS_CORETYPE=SkylakeX "$@" >>"$OUT/$pass.$prog.tsv" || echo "$prog exited with status $?" >&2
  else
    env -u OPENBLAS_CORETYPE "$@" >>"$OUT/$pass.$prog.tsv" || echo "$prog exited with status $?" >&2
  fi
}

# ROUNDS rounds of: group by group, the three programs one after the other. Slow drifts of the machine
# (other load, temperature) thus spread over all columns of a row instead of landing on one program, and
# report.py takes the median of a case's rounds.
ROUNDS=${BENCH_ROUNDS:-3}
round=1
while [ "$round" -le "$ROUNDS" ]; do
  for group in foundation reductions math matmul autograd sorting optim random nn train index conv norm pool dtypes; do
    # dtypes (issue 14) runs only with the SkylakeX kernel: its targets are ratios within that pass.
    if [ "$group" != dtypes ]; then
      for prog in libtensor libtorch numpy; do run_program default "$prog" --only "$group"; done
    fi
    if [ "$group" = matmul ] || [ "$group" = dtypes ]; then
      for prog in libtensor libtorch numpy; do run_program skylakex "$prog" --only "$group"; done
    fi
  done
  round=$((round + 1))
done

"$PYTHON" "$ROOT/bench/report.py" "$OUT" "$ROOT/bench/RESULTS.md" "${NICE:+BENCH_NICE=$NICE }bench/run.sh"
echo "wrote $ROOT/bench/RESULTS.md" >&2
