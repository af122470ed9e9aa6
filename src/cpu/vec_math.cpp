// Run-time choice of the vector width for the math of vec_math.h. The library is built for the x86-64
// baseline so it runs on every x86-64 CPU; the wider loops are compiled for AVX2+FMA and AVX-512 with
// target attributes and picked once from what the CPU reports. Results may differ by an ulp between
// widths (FMA contraction in the wider ones), as they do in PyTorch between its CPU capabilities.
#include "cpu/vec_math.h"

#include <type_traits>

#include "cpu/vec_lanes.h"
#include "cpu/vec_lanes64.h"

// apply() below passes vectors by value like the lanes (always inlined; see vec_lanes.h).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lt::cpu {

namespace {

// The vector of `Bytes` bytes of T.
template <typename T, int Bytes>
using Vec = std::conditional_t<std::is_same<T, float>::value, typename Lanes<Bytes / 4>::F,
                               typename Lanes64<Bytes / 8>::D>;

template <VecOp op, typename T, int Bytes>
__attribute__((always_inline)) inline Vec<T, Bytes> apply(Vec<T, Bytes> x) {
  if constexpr (std::is_same<T, float>::value) {
    constexpr int W = Bytes / 4;
    if constexpr (op == VecOp::Exp) return exp_v<W>(x);
    else if constexpr (op == VecOp::Sigmoid) return sigmoid_v<W>(x);
    else if constexpr (op == VecOp::Log) return log_v<W>(x);
    else if constexpr (op == VecOp::Sqrt) return sqrt_lanes(x);
    else if constexpr (op == VecOp::Sin) return sincos_v<W, false>(x);
    else if constexpr (op == VecOp::Cos) return sincos_v<W, true>(x);
    else return tanh_v<W>(x);
  } else {
    constexpr int W = Bytes / 8;
    if constexpr (op == VecOp::Exp) return exp_v64<W>(x);
    else if constexpr (op == VecOp::Sigmoid) return sigmoid_v64<W>(x);
    else if constexpr (op == VecOp::Log) return log_v64<W>(x);
    else if constexpr (op == VecOp::Sqrt) return sqrt_lanes(x);
    else if constexpr (op == VecOp::Sin) return sincos_v64<W, false>(x);
    else if constexpr (op == VecOp::Cos) return sincos_v64<W, true>(x);
    else return tanh_v64<W>(x);
  }
}

template <VecOp op, typename T, int Bytes>
__attribute__((always_inline)) inline void lanes_loop(const T* in, T* out, int64_t n) {
  using V = Vec<T, Bytes>;
  constexpr int W = Bytes / static_cast<int>(sizeof(T));
  int64_t i = 0;
  for (; i + W <= n; i += W) {
    V x;
    std::memcpy(&x, in + i, sizeof x);
    const V y = apply<op, T, Bytes>(x);
    std::memcpy(out + i, &y, sizeof y);
  }
  if (i < n) {  // the tail goes through the same lanes, padded with ones (valid for every op)
    T tail[W];
    for (int k = 0; k < W; ++k) tail[k] = T(1);
    std::memcpy(tail, in + i, sizeof(T) * static_cast<size_t>(n - i));
    V x;
    std::memcpy(&x, tail, sizeof x);
    const V y = apply<op, T, Bytes>(x);
    std::memcpy(out + i, &y, sizeof(T) * static_cast<size_t>(n - i));
  }
}

template <typename T>
using RowFn = void (*)(const T*, T*, int64_t);

template <VecOp op, typename T>
void row_baseline(const T* in, T* out, int64_t n) {
  lanes_loop<op, T, 16>(in, out, n);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LT_HAVE_WIDE_VECTORS 1
template <VecOp op, typename T>
__attribute__((target("avx2,fma"))) void row_avx2(const T* in, T* out, int64_t n) {
  lanes_loop<op, T, 32>(in, out, n);
}
template <VecOp op, typename T>
__attribute__((target("avx512f,avx2,fma"))) void row_avx512(const T* in, T* out, int64_t n) {
  lanes_loop<op, T, 64>(in, out, n);
}
#endif

template <VecOp op, typename T>
RowFn<T> pick() {
#ifdef LT_HAVE_WIDE_VECTORS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) return row_avx512<op, T>;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return row_avx2<op, T>;
#endif
  return row_baseline<op, T>;
}

// Indexed by VecOp.
template <typename T>
const RowFn<T> g_rows[] = {pick<VecOp::Exp, T>(), pick<VecOp::Sigmoid, T>(), pick<VecOp::Log, T>(),
                           pick<VecOp::Sqrt, T>(), pick<VecOp::Sin, T>(),    pick<VecOp::Cos, T>(),
                           pick<VecOp::Tanh, T>()};

template <VecOp op, typename T>
T one(T x) {
  Vec<T, 16> v;
  for (int k = 0; k < 16 / static_cast<int>(sizeof(T)); ++k) v[k] = x;  // not {} + x, which turns -0 into +0
  return apply<op, T, 16>(v)[0];
}

template <typename T>
T one_of(VecOp op, T x) {
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

}  // namespace

void vec_math(VecOp op, const float* in, float* out, int64_t n) { g_rows<float>[static_cast<int>(op)](in, out, n); }
void vec_math(VecOp op, const double* in, double* out, int64_t n) { g_rows<double>[static_cast<int>(op)](in, out, n); }
float vec_math(VecOp op, float x) { return one_of(op, x); }
double vec_math(VecOp op, double x) { return one_of(op, x); }

}  // namespace lt::cpu
