// OpenBLAS configuration (thread count, kernel report). Matmul itself is in cpu/matmul.cpp.
//
// Note [OpenBLAS kernel choice]: a DYNAMIC_ARCH OpenBLAS (Debian's) picks its kernels once, when it is
// loaded, from the CPU it recognises, or from the OPENBLAS_CORETYPE environment variable when set.
// Version 0.3.21 does not know recent CPUs (e.g. AMD Zen 4/5) and falls back to older kernels (Haswell's
// AVX2, or even Prescott's SSE3) although the CPU runs AVX-512; OPENBLAS_CORETYPE=SkylakeX then selects
// the AVX-512 kernels. The choice cannot be changed after load, so we report it (and the fix) instead.
#include "cpu/blas.h"

#include <cblas.h>

#include <cstdlib>
#include <mutex>
#include <string>

#include "core/parallel.h"

namespace lt {

// Note [BLAS thread count]: openblas_set_num_threads resizes OpenBLAS's thread pool and is not safe while
// another thread is inside a BLAS call (it raced with a running gemm and crashed). Every BLAS call of
// libtensor holds this mutex shared (cpu::matmul takes it once per matmul, so concurrent matmuls do not
// serialise), and changing the count takes it exclusively: the change waits for running matmuls.
// BLAS calls made by other libraries in the same process are beyond our reach.
std::shared_mutex& blas_threads_mutex() {
  static std::shared_mutex mu;
  return mu;
}

void blas_set_num_threads(int32_t n) {
  std::unique_lock<std::shared_mutex> lock(blas_threads_mutex());
  openblas_set_num_threads(n);
}

std::string blas_library() { return openblas_get_config(); }

std::string blas_corename() { return openblas_get_corename(); }

namespace {

// The fastest OpenBLAS core this CPU can run, by instruction set (x86-64 only; "" elsewhere).
std::string best_core_for_this_cpu() {
#if defined(__x86_64__) && defined(__GNUC__)
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
  return "";
}

bool is_avx512_core(const std::string& core) {
  return core == "SkylakeX" || core == "Cooperlake" || core == "SapphireRapids";
}
bool is_avx2_core(const std::string& core) { return is_avx512_core(core) || core == "Haswell" || core == "Zen"; }

}  // namespace

std::string blas_core_report() {
  const std::string core = blas_corename();
  const char* env = std::getenv("OPENBLAS_CORETYPE");
  std::string s = core + " (" + (env && *env ? std::string("OPENBLAS_CORETYPE=") + env
                                              : std::string("detected, OPENBLAS_CORETYPE unset")) +
                  ", " + std::to_string(openblas_get_num_threads()) + " threads)";
  const std::string best = best_core_for_this_cpu();
  const bool slower = (best == "SkylakeX" && !is_avx512_core(core)) || (best == "Haswell" && !is_avx2_core(core));
  if (slower) s += "; this CPU runs faster kernels: start the program with OPENBLAS_CORETYPE=" + best;
  return s;
}

}  // namespace lt
