// Run-time choice of the vector width for the float32 math of vec_math.h. The library is built for the
// x86-64 baseline so it runs on every x86-64 CPU; the wider loops are compiled for AVX2+FMA and AVX-512
// with target attributes and picked once from what the CPU reports. Results may differ by an ulp between
// widths (FMA contraction in the wider ones), as they do in PyTorch between its CPU capabilities.
#include "cpu/vec_math.h"

#include "cpu/vec_lanes.h"

// apply() below passes vectors by value like the lanes (always inlined; see vec_lanes.h).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lt::cpu {

namespace {

template <VecOp op, int W>
__attribute__((always_inline)) inline typename Lanes<W>::F apply(typename Lanes<W>::F x) {
  if constexpr (op == VecOp::Exp) return exp_v<W>(x);
  else if constexpr (op == VecOp::Sigmoid) return sigmoid_v<W>(x);
  else if constexpr (op == VecOp::Log) return log_v<W>(x);
  else if constexpr (op == VecOp::Sqrt) return sqrt_v<W>(x);
  else if constexpr (op == VecOp::Sin) return sincos_v<W, false>(x);
  else if constexpr (op == VecOp::Cos) return sincos_v<W, true>(x);
  else return tanh_v<W>(x);
}

template <VecOp op, int W>
__attribute__((always_inline)) inline void lanes_loop(const float* in, float* out, int64_t n) {
  using F = typename Lanes<W>::F;
  int64_t i = 0;
  for (; i + W <= n; i += W) {
    F x;
    std::memcpy(&x, in + i, sizeof x);
    const F y = apply<op, W>(x);
    std::memcpy(out + i, &y, sizeof y);
  }
  if (i < n) {  // the tail goes through the same lanes, padded with ones (valid for every op)
    float tail[W];
    for (int k = 0; k < W; ++k) tail[k] = 1.0f;
    std::memcpy(tail, in + i, sizeof(float) * static_cast<size_t>(n - i));
    F x;
    std::memcpy(&x, tail, sizeof x);
    const F y = apply<op, W>(x);
    std::memcpy(out + i, &y, sizeof(float) * static_cast<size_t>(n - i));
  }
}

using RowFn = void (*)(const float*, float*, int64_t);

template <VecOp op>
void row_baseline(const float* in, float* out, int64_t n) {
  lanes_loop<op, 4>(in, out, n);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LT_HAVE_WIDE_VECTORS 1
template <VecOp op>
__attribute__((target("avx2,fma"))) void row_avx2(const float* in, float* out, int64_t n) {
  lanes_loop<op, 8>(in, out, n);
}
template <VecOp op>
__attribute__((target("avx512f,avx2,fma"))) void row_avx512(const float* in, float* out, int64_t n) {
  lanes_loop<op, 16>(in, out, n);
}
#endif

template <VecOp op>
RowFn pick() {
#ifdef LT_HAVE_WIDE_VECTORS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) return row_avx512<op>;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return row_avx2<op>;
#endif
  return row_baseline<op>;
}

// Indexed by VecOp.
const RowFn g_rows[] = {pick<VecOp::Exp>(), pick<VecOp::Sigmoid>(), pick<VecOp::Log>(), pick<VecOp::Sqrt>(),
                        pick<VecOp::Sin>(), pick<VecOp::Cos>(),     pick<VecOp::Tanh>()};

template <VecOp op>
float one(float x) {
  typename Lanes<4>::F v;
  for (int k = 0; k < 4; ++k) v[k] = x;  // not F{} + x, which would turn -0 into +0
  return apply<op, 4>(v)[0];
}

}  // namespace

void vec_f32(VecOp op, const float* in, float* out, int64_t n) { g_rows[static_cast<int>(op)](in, out, n); }

float vec_f32(VecOp op, float x) {
  switch (op) {
    case VecOp::Exp: return one<VecOp::Exp>(x);
    case VecOp::Sigmoid: return one<VecOp::Sigmoid>(x);
    case VecOp::Log: return one<VecOp::Log>(x);
    case VecOp::Sqrt: return one<VecOp::Sqrt>(x);
    case VecOp::Sin: return one<VecOp::Sin>(x);
    case VecOp::Cos: return one<VecOp::Cos>(x);
    case VecOp::Tanh: break;
  }
  return one<VecOp::Tanh>(x);
}

}  // namespace lt::cpu
