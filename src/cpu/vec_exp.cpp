// Run-time choice of the vector width for exp_f32 (see vec_exp.h). The library is built for the x86-64
// baseline so it runs on every x86-64 CPU; the wider loops are compiled for AVX2+FMA and AVX-512 with
// target attributes and picked once from what the CPU reports. Results may differ by an ulp between
// widths (FMA contraction in the wider ones), as they do in PyTorch between its CPU capabilities.
#include "cpu/vec_exp.h"

namespace lt::cpu {

namespace {

template <int W>
__attribute__((always_inline)) inline void exp_loop(const float* in, float* out, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) exp_lanes<W>(in + i, out + i);
  if (i < n) {  // the tail goes through the same lanes, zero-padded
    float tail[W] = {};
    std::memcpy(tail, in + i, sizeof(float) * static_cast<size_t>(n - i));
    exp_lanes<W>(tail, tail);
    std::memcpy(out + i, tail, sizeof(float) * static_cast<size_t>(n - i));
  }
}

void exp_baseline(const float* in, float* out, int64_t n) { exp_loop<4>(in, out, n); }

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LT_HAVE_WIDE_EXP 1
__attribute__((target("avx2,fma"))) void exp_avx2(const float* in, float* out, int64_t n) {
  exp_loop<8>(in, out, n);
}
__attribute__((target("avx512f,avx2,fma"))) void exp_avx512(const float* in, float* out, int64_t n) {
  exp_loop<16>(in, out, n);
}
#endif

using ExpFn = void (*)(const float*, float*, int64_t);

ExpFn pick_exp() {
#ifdef LT_HAVE_WIDE_EXP
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) return exp_avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return exp_avx2;
#endif
  return exp_baseline;
}

const ExpFn g_exp = pick_exp();

}  // namespace

void exp_f32(const float* in, float* out, int64_t n) { g_exp(in, out, n); }

}  // namespace lt::cpu
