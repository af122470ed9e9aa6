#!/usr/bin/env bash
# What CI runs for hardening, from a fresh clone, as root on Debian 12 / Ubuntu (2 cores, no GPU):
#   1. ASan + UBSan build (preset asan, CPU only): the whole ctest suite, with zero reports.
#   2. valgrind memcheck over the C consumer test and the examples: zero errors, zero leaks.
#   3. TSan build (preset tsan): the thread stress test.
#   4. The libFuzzer harness from the seed corpus: seed $FUZZ_SEED (1), $FUZZ_RUNS (100000) inputs, at most
#      $FUZZ_SECONDS (180) seconds.
# Any report fails the script. Build directories: ${HARDENING_BUILD_PREFIX:-build/}{asan,valgrind,tsan,fuzz};
# step 2 reuses build/dev (scripts/test.sh's build) when it exists.
# Usage: scripts/ci_hardening.sh [asan] [valgrind] [tsan] [fuzz]   (no argument: all four)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
prefix=${HARDENING_BUILD_PREFIX:-build/}
case $prefix in /*) ;; *) prefix=$root/$prefix ;; esac
jobs=$(nproc)
start=$(date +%s)
step() { echo "--- [hardening $(( $(date +%s) - start ))s] $*"; }
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(asan valgrind tsan fuzz)
wants() { [[ " ${steps[*]} " == *" $1 "* ]]; }

# ---- packages -------------------------------------------------------------------------------------------
pkgs=(cmake ninja-build g++ pkg-config libopenblas-dev zlib1g-dev nlohmann-json3-dev catch2 python3-numpy valgrind clang-14 libclang-rt-14-dev
      libomp-14-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Names of the ctest tests run by a Python interpreter (ctypes tests), as an alternation for ctest -R/-E.
python_tests() {
  ctest --test-dir "$1" --show-only=json-v1 | /usr/bin/python3 -c '
import json, sys
tests = json.load(sys.stdin)["tests"]
def labels(t):
    return next((p["value"] for p in t.get("properties", []) if p["name"] == "LABELS"), [])
# a Python command, or a wrapper (cmake -P) labelled python that starts one (digits_python)
names = [t["name"] for t in tests if "python" in t.get("command", [""])[0] or "python" in labels(t)]
print("|".join("^%s$" % n for n in names))'
}

# ---- 1. ASan + UBSan: the whole suite ----------------------------------------------------------------------
if wants asan; then
  step "ASan+UBSan build"
  cmake --preset asan -B "${prefix}asan" >/dev/null
  cmake --build "${prefix}asan" -j"$jobs"
  # allocator_may_return_null: tests of huge sizes must see a failed allocation (TENSOR_ERR_OUT_OF_MEMORY),
  # not an ASan abort. Every other report aborts the test (UBSan: -fno-sanitize-recover).
  export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:strict_string_checks=1:detect_stack_use_after_return=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  py=$(python_tests "${prefix}asan")
  step "ASan+UBSan: ctest"
  if [ -n "$py" ]; then
    ctest --test-dir "${prefix}asan" --output-on-failure -j"$jobs" -E "$py"
    # ctypes tests load the instrumented library into an uninstrumented interpreter: the ASan runtime must
    # be preloaded (with libstdc++, or its __cxa_throw interceptor finds nothing to wrap), and leak
    # checking stays with the C/C++ tests (CPython keeps memory until exit).
    step "ASan+UBSan: ctest (Python/ctypes tests)"
    LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libstdc++.so)" \
      ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
      ctest --test-dir "${prefix}asan" --output-on-failure -j"$jobs" -R "$py"
  else
    ctest --test-dir "${prefix}asan" --output-on-failure -j"$jobs"
  fi
  unset ASAN_OPTIONS UBSAN_OPTIONS
fi

# ---- 2. valgrind memcheck: the C consumer and the examples ----------------------------------------------
if wants valgrind; then
  vbuild=${prefix}valgrind
  # scripts/test.sh's build serves as it is, CUDA backend compiled in or not: libtensor links no CUDA library
  # (it opens the driver and cuBLAS at run time), so on a machine without a GPU the programs run the CPU
  # code valgrind should see, plus the failed open, which must be clean too. A second full build of the
  # library only for valgrind cost CI about 10 minutes.
  if [ -f build/dev/CMakeCache.txt ]; then
    vbuild=build/dev
  else
    step "plain build for valgrind"
    cmake -S . -B "$vbuild" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTENSOR_CUDA=OFF >/dev/null
  fi
  cmake --build "$vbuild" -j"$jobs" --target test_c_consumer examples/all
  programs=("$vbuild/tests/test_c_consumer")
  while IFS= read -r exe; do programs+=("$exe"); done < <(find "$vbuild/examples" -maxdepth 1 -type f -executable | sort)
  # One BLAS thread: OpenBLAS's pool threads are still running at exit, and their thread-local blocks
  # would read as "possibly lost". libtensor's own OpenMP team (for the larger tensors of the examples)
  # leaves the same for libgomp's pool threads: tests/valgrind.supp names exactly that record.
  for exe in "${programs[@]}"; do
    # The digits classifiers train 30 epochs by default (~20 s each under valgrind): one epoch, which saves a
    # checkpoint, is enough, into a scratch folder (the resume path was checked by hand: clean).
    args=()
    case $(basename "$exe") in digits | digits_cpp) args=(--epochs 1 --out "$(mktemp -d)") ;; esac
    # The digits CNNs (C, C++): 1 epoch takes ~87 s under valgrind (> 60 s); checked clean by hand.
    case $(basename "$exe") in digits_cnn | digits_cnn_cpp) continue ;; esac
    step "valgrind $exe ${args[*]}"
    (cd "$(dirname "$exe")" && OPENBLAS_NUM_THREADS=1 valgrind --quiet --error-exitcode=99 --leak-check=full \
      --suppressions="$root/tests/valgrind.supp" \
      --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
      --track-origins=yes "./$(basename "$exe")" "${args[@]}" >/dev/null)
  done
fi

# ---- 3. TSan: the thread stress test ----------------------------------------------------------------------
if wants tsan; then
  step "TSan build"
  cmake --preset tsan -B "${prefix}tsan" >/dev/null
  cmake --build "${prefix}tsan" -j"$jobs" --target test_threads test_hostile
  step "TSan: test_threads, test_hostile"
  # [openmp] cases are left out: libgomp is not instrumented, so TSan cannot see its barriers.
  # setarch -R: kernels with 32 bits of mmap randomisation break TSan's fixed memory layout.
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    setarch "$(uname -m)" -R "${prefix}tsan/tests/test_threads" '~[openmp]'
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    setarch "$(uname -m)" -R "${prefix}tsan/tests/test_hostile" '~[openmp]'
fi

# ---- 4. libFuzzer: a bounded run from the seed corpus ------------------------------------------------------
if wants fuzz; then
  # A reproducible run: fixed seed and count (about a minute here), so CI's verdict is the same on every
  # run of one commit; random campaigns are scripts/fuzz.sh's job (tests/fuzz/README.md).
  step "fuzzer (seed ${FUZZ_SEED:-1}, ${FUZZ_RUNS:-100000} runs, at most ${FUZZ_SECONDS:-180} s)"
  work=$(mktemp -d)
  FUZZ_SEED=${FUZZ_SEED:-1} FUZZ_RUNS=${FUZZ_RUNS:-100000} FUZZ_BUILD_DIR="${prefix}fuzz" FUZZ_WORK="$work" \
    scripts/fuzz.sh "${FUZZ_SECONDS:-180}" 1
  rm -rf "$work"
  step "file reader fuzzer (seed ${FUZZ_SEED:-1}, ${FUZZ_FILES_RUNS:-50000} runs, at most 90 s)"
  work=$(mktemp -d)
  FUZZ_TARGET=fuzz_files FUZZ_SEED=${FUZZ_SEED:-1} FUZZ_RUNS=${FUZZ_FILES_RUNS:-50000} FUZZ_BUILD_DIR="${prefix}fuzz" \
    FUZZ_WORK="$work" scripts/fuzz.sh 90 1
  rm -rf "$work"
fi
step "hardening passed"
