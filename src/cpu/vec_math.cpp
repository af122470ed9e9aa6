// Run-time choice of the vector width for exp_f32 and sigmoid_f32 (see vec_math.h). The library is built for the x86-64
// baseline so it runs on every x86-64 CPU; the wider loops are compiled for AVX2+FMA and AVX-512 with
// target attributes and picked once from what the CPU reports. Results may differ by an ulp between
// widths (FMA contraction in the wider ones), as they do in PyTorch between its CPU capabilities.
#include "cpu/vec_math.h"

namespace lt::cpu {

namespace {

// The lanes functions of vec_math.h, as types the loop can take as a template argument.
struct ExpOp {
  template <int W>
  __attribute__((always_inline)) static void lanes(const float* in, float* out) { exp_lanes<W>(in, out); }
};
struct SigmoidOp {
  template <int W>
  __attribute__((always_inline)) static void lanes(const float* in, float* out) { sigmoid_lanes<W>(in, out); }
};

template <class Op, int W>
__attribute__((always_inline)) inline void lanes_loop(const float* in, float* out, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) Op::template lanes<W>(in + i, out + i);
  if (i < n) {  // the tail goes through the same lanes, zero-padded
    float tail[W] = {};
    std::memcpy(tail, in + i, sizeof(float) * static_cast<size_t>(n - i));
    Op::template lanes<W>(tail, tail);
    std::memcpy(out + i, tail, sizeof(float) * static_cast<size_t>(n - i));
  }
}

using RowFn = void (*)(const float*, float*, int64_t);

template <class Op>
void row_baseline(const float* in, float* out, int64_t n) {
  lanes_loop<Op, 4>(in, out, n);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LT_HAVE_WIDE_VECTORS 1
template <class Op>
__attribute__((target("avx2,fma"))) void row_avx2(const float* in, float* out, int64_t n) {
  lanes_loop<Op, 8>(in, out, n);
}
template <class Op>
__attribute__((target("avx512f,avx2,fma"))) void row_avx512(const float* in, float* out, int64_t n) {
  lanes_loop<Op, 16>(in, out, n);
}
#endif

template <class Op>
RowFn pick() {
#ifdef LT_HAVE_WIDE_VECTORS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) return row_avx512<Op>;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return row_avx2<Op>;
#endif
  return row_baseline<Op>;
}

const RowFn g_exp = pick<ExpOp>();
const RowFn g_sigmoid = pick<SigmoidOp>();

}  // namespace

void exp_f32(const float* in, float* out, int64_t n) { g_exp(in, out, n); }
void sigmoid_f32(const float* in, float* out, int64_t n) { g_sigmoid(in, out, n); }

}  // namespace lt::cpu
