#!/bin/bash
# The one command for a lent GPU machine: runs the CUDA tests, then the GPU benchmarks of libtensor and
# PyTorch side by side, and ends with a short table (bench/gpu/compare.py).
#
#   scripts/gpu_check.sh [BUILD_DIR | BUNDLE.tar.xz]
#   scripts/gpu_check.sh --bundle [BUILD_DIR]     (on the build machine: pack what the GPU run needs)
#
# BUILD_DIR (default: build-cuda at the repository root) holds libtensor.so, tests/test_cuda_* and
# bench_gpu from a CUDA build (cmake -DTENSOR_CUDA=ON -DCMAKE_BUILD_TYPE=Release). When it has no
# libtensor.so the script configures and builds it first (needs nvcc, cmake, a C++ compiler).
# A build directory is too large to carry to a lent machine (64 MiB); --bundle packs just those files,
# plus the OpenBLAS/libgomp it links (BUILD_DIR/gpu_libs, used only when the machine lacks them), into
# .gpu/bundle.tar.xz (ignored by git: add "/.gpu/" to .git/info/exclude), about 20 MiB. Then, with the
# device tool: run(command="bash scripts/gpu_check.sh .gpu/bundle.tar.xz", carry=[".gpu"]).
# GPU_TEST_TIMEOUT / GPU_BENCH_TIMEOUT / GPU_TUNE_TIMEOUT (seconds, default 100 / 150 / 120) bound each
# test / benchmark / tuning program.
# Logs and the table go to $OUT when set (the device tool returns that folder), else BUILD_DIR/gpu_check.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}

if [ "${1:-}" = "--bundle" ]; then
  SRC=$(cd "${2:-$ROOT/build-cuda}" && pwd) || exit 1
  STAGE=$(mktemp -d)
  mkdir -p "$STAGE/build/tests" "$STAGE/build/gpu_libs" "$ROOT/.gpu"
  cp -a "$SRC"/libtensor.so* "$SRC/bench_gpu" "$SRC/bench_launch_floor" "$STAGE/build/" || exit 1
  [ -x "$SRC/bench_tune_reduce" ] && cp "$SRC/bench_tune_reduce" "$STAGE/build/"
  for f in "$SRC"/tests/test_cuda_*; do [ -x "$f" ] && cp "$f" "$STAGE/build/tests/"; done
  strip --strip-unneeded "$STAGE"/build/tests/* "$STAGE"/build/bench_* 2>/dev/null
  ldd "$SRC/libtensor.so" | awk '/openblas|gfortran|quadmath|gomp/ {print $3}' | xargs -r -I{} cp -L {} "$STAGE/build/gpu_libs/"
  tar -C "$STAGE" -cf - build | xz -T0 -6 >"$ROOT/.gpu/bundle.tar.xz" || exit 1
  rm -rf "$STAGE"
  ls -l "$ROOT/.gpu/bundle.tar.xz"
  exit 0
fi

TARGET=${1:-$ROOT/build-cuda}
case "$TARGET" in
  *.tar.xz)  # a bundle made by --bundle: unpack it (Python's tarfile: no xz binary needed)
    UNPACK=${TMPDIR:-/tmp}/libtensor-gpu-bundle
    rm -rf "$UNPACK" && mkdir -p "$UNPACK"
    "$PYTHON" -c "import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" "$TARGET" "$UNPACK" || exit 1
    TARGET="$UNPACK/build" ;;
esac
BUILD=$(cd "$TARGET" 2>/dev/null && pwd || echo "$TARGET")
LOGS=${OUT:-$BUILD/gpu_check}
mkdir -p "$LOGS"

if [ ! -e "$BUILD/libtensor.so" ]; then
  echo "== building $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DTENSOR_CUDA=ON -DCMAKE_BUILD_TYPE=Release >"$LOGS/build.log" 2>&1 &&
    cmake --build "$BUILD" -j"$(nproc)" >>"$LOGS/build.log" 2>&1 || { tail -50 "$LOGS/build.log"; exit 1; }
fi

# The build may come from another machine: find libtensor.so and, if the system lacks them, the
# carried OpenBLAS/libgomp; cuBLAS from the toolkit when it is not on the loader path.
export LD_LIBRARY_PATH="$BUILD:${LD_LIBRARY_PATH:-}:/usr/local/cuda/lib64"
if ldd "$BUILD/libtensor.so" | grep -q "not found" && [ -d "$BUILD/gpu_libs" ]; then
  export LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$BUILD/gpu_libs"
fi
ldd "$BUILD/libtensor.so" | grep "not found" && echo "warning: libtensor.so has missing dependencies"

echo "== GPU"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>&1 | head -4
DEVICE=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)

echo "== CUDA tests"
FAILED=0
: >"$LOGS/tests.log"
# Every CUDA suite that was built (the list grows with each op family: conv, pool, norm, dtypes ...).
cuda_tests=$(cd "$BUILD/tests" 2>/dev/null && ls test_cuda_* 2>/dev/null | sort)
[ -n "$cuda_tests" ] || { echo "no tests/test_cuda_* in $BUILD: MISSING"; FAILED=1; }
for t in $cuda_tests; do
  exe="$BUILD/tests/$t"
  if [ ! -x "$exe" ]; then
    echo "$t: MISSING"
    FAILED=1
    continue
  fi
  start=$SECONDS
  timeout "${GPU_TEST_TIMEOUT:-100}" "$exe" >"$LOGS/$t.log" 2>&1
  rc=$?
  secs=$((SECONDS - start))
  { echo "===== $t (exit $rc)"; cat "$LOGS/$t.log"; } >>"$LOGS/tests.log"
  if [ $rc -eq 77 ]; then
    echo "$t: SKIPPED ($(head -1 "$LOGS/$t.log" | cut -c1-150))"
    FAILED=1  # on a GPU machine a skip means the GPU was not usable
  elif [ $rc -eq 0 ]; then
    echo "$t: passed ($(tail -2 "$LOGS/$t.log" | tr '\n' ' ' | sed 's/  */ /g' | cut -c1-120)) ${secs}s"
  else
    echo "$t: FAILED (exit $rc)"
    tail -40 "$LOGS/$t.log"
    FAILED=1
  fi
  rm -f "$LOGS/$t.log"
done

echo "== benchmarks"
BENCH="$BUILD/bench_gpu"
if [ -x "$BENCH" ]; then
  timeout "${GPU_BENCH_TIMEOUT:-150}" "$BENCH" >"$LOGS/bench_libtensor.txt" 2>&1
  echo "libtensor bench exit $?"
  [ -x "$BUILD/bench_launch_floor" ] && timeout 60 "$BUILD/bench_launch_floor" >>"$LOGS/bench_libtensor.txt" 2>&1
else
  echo "error all bench_gpu missing" >"$LOGS/bench_libtensor.txt"
fi
# PyTorch ships its own cuBLAS build; time our matmul with it too, so that a gap between the two
# libraries is not taken for a gap between the two callers.
TORCH_CUBLAS=$("$PYTHON" - <<'PY' 2>/dev/null
import glob, os, torch
root = os.path.dirname(os.path.dirname(torch.__file__))
hits = sorted(glob.glob(os.path.join(root, "nvidia", "**", "libcublas.so.*"), recursive=True))
print(hits[0] if hits else "")
PY
)
if [ -x "$BENCH" ] && [ -n "$TORCH_CUBLAS" ]; then
  echo "PyTorch's cuBLAS: $TORCH_CUBLAS"
  TENSOR_CUBLAS_LIBRARY="$TORCH_CUBLAS" BENCH_ONLY=matmul timeout 120 "$BENCH" | grep -v "^info" >>"$LOGS/bench_libtensor.txt" 2>&1
fi
timeout "${GPU_BENCH_TIMEOUT:-150}" "$PYTHON" "$ROOT/bench/gpu/bench_torch.py" >"$LOGS/bench_torch.txt" 2>&1
echo "PyTorch bench exit $?"
# The column reduction's tuning sweep (bench/gpu/tune_reduce.cu), when the build has it
# (-DTENSOR_BUILD_GPU_TUNING=ON): every variant to the log, the fastest here.
if [ -x "$BUILD/bench_tune_reduce" ]; then
  timeout "${GPU_TUNE_TIMEOUT:-120}" "$BUILD/bench_tune_reduce" >"$LOGS/tune_reduce.txt" 2>&1
  echo "tune_reduce exit $?"
  grep -E "^info tune (max_dim0 U=4 minblocks=3 pipe=0 stream=0 \(fits [0-9]+\) bx=64 by=4 waves=2 band=0|fastest|best)|WRONG|error" "$LOGS/tune_reduce.txt" | head -20
fi
grep -v "^result" "$LOGS/bench_libtensor.txt" "$LOGS/bench_torch.txt" | head -20
echo
"$PYTHON" "$ROOT/bench/gpu/compare.py" "$LOGS/bench_libtensor.txt" "$LOGS/bench_torch.txt" "$DEVICE" | tee "$LOGS/table.md"
echo
if [ $FAILED -ne 0 ]; then echo "CUDA tests: SOME FAILED"; else echo "CUDA tests: all passed"; fi
exit $FAILED
