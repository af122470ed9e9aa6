// The math of vec_math.h at the vector width this CPU runs best (cpu/vec_dispatch.h). Results may differ
// by an ulp between widths (FMA contraction in the wider ones), as they do in PyTorch between its CPU
// capabilities.
#include "cpu/vec_math.h"

#include <limits>
#include <type_traits>

#include "cpu/vec_dispatch.h"
#include "cpu/vec_lanes.h"
#include "cpu/vec_lanes64.h"
#include "cpu/vec_pow_lanes.h"

// apply() below passes vectors by value like the lanes (always inlined; see vec_lanes.h).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lt::cpu {

namespace {

// The vector of `Bytes` bytes of T.
template <typename T, int Bytes>
using Vec = std::conditional_t<std::is_same<T, float>::value, typename Lanes<Bytes / 4>::F,
                               typename Lanes64<Bytes / 8>::D>;

// float64 exp2 / expm1 / log1p / erf lane by lane through libm (the float32 lanes are the hot path; a
// float64 polynomial of each is left for when a benchmark asks for it).
template <VecOp op, class V>
__attribute__((always_inline)) inline V libm_lanes(V x) {
  V r;
  for (int k = 0; k < static_cast<int>(sizeof(V) / sizeof(x[0])); ++k) {
    if constexpr (op == VecOp::Exp2) r[k] = std::exp2(x[k]);
    else if constexpr (op == VecOp::Expm1) r[k] = std::expm1(x[k]);
    else if constexpr (op == VecOp::Log1p) r[k] = std::log1p(x[k]);
    else r[k] = std::erf(x[k]);
  }
  return r;
}

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
    else if constexpr (op == VecOp::Tanh) return tanh_v<W>(x);
    else if constexpr (op == VecOp::Exp2) return exp2_v<W>(x);
    else if constexpr (op == VecOp::Expm1) return expm1_v<W>(x);
    else if constexpr (op == VecOp::Log1p) return log1p_v<W>(x);
    else if constexpr (op == VecOp::Erf) return erf_v<W>(x);
    else return x * sigmoid_v<W>(x);  // Silu
  } else {
    constexpr int W = Bytes / 8;
    if constexpr (op == VecOp::Exp) return exp_v64<W>(x);
    else if constexpr (op == VecOp::Sigmoid) return sigmoid_v64<W>(x);
    else if constexpr (op == VecOp::Log) return log_v64<W>(x);
    else if constexpr (op == VecOp::Sqrt) return sqrt_lanes(x);
    else if constexpr (op == VecOp::Sin) return sincos_v64<W, false>(x);
    else if constexpr (op == VecOp::Cos) return sincos_v64<W, true>(x);
    else if constexpr (op == VecOp::Tanh) return tanh_v64<W>(x);
    else if constexpr (op == VecOp::Silu) return x * sigmoid_v64<W>(x);
    else return libm_lanes<op>(x);  // exp2, expm1, log1p, erf: float64 has no lanes of its own yet
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

// Blend: the exponents vary (a tensor), and lanes with a shortcut's exponent take it. `specials`
// collects the lanes left to libm (float32 only, see pow_v).
template <PowKind k, typename T, int Bytes, bool Blend, class M>
__attribute__((always_inline)) inline Vec<T, Bytes> pow_apply(Vec<T, Bytes> x, Vec<T, Bytes> y, M& specials) {
  constexpr int W = Bytes / static_cast<int>(sizeof(T));
  if constexpr (k != PowKind::General) {
    return pow_shortcut_v<k>(x);
  } else if constexpr (std::is_same<T, float>::value) {
    return pow_v<W, Blend>(x, y, specials);
  } else {
    Vec<T, Bytes> r;
    for (int j = 0; j < W; ++j) r[j] = pow_one64(x[j], y[j]);
    return r;
  }
}

// W elements from p + i, or W copies of *p when step is 0.
template <typename T, int Bytes>
__attribute__((always_inline)) inline Vec<T, Bytes> load_or_splat(const T* p, int64_t step, int64_t i) {
  Vec<T, Bytes> v;
  if (step == 0) {
    for (int j = 0; j < Bytes / static_cast<int>(sizeof(T)); ++j) v[j] = *p;
  } else {
    std::memcpy(&v, p + i, sizeof v);
  }
  return v;
}

// out[0, n) through the lanes, the tail padded with pow(1, 1); returns whether a lane was left to libm.
template <PowKind k, typename T, int Bytes, bool Blend>
__attribute__((always_inline)) inline bool pow_lanes(const T* x, int64_t xs, const T* y, int64_t ys, T* out,
                                                     int64_t n) {
  using V = Vec<T, Bytes>;
  using M = decltype(V{} == V{});
  constexpr int W = Bytes / static_cast<int>(sizeof(T));
  M specials = M{};
  int64_t i = 0;
  for (; i + W <= n; i += W) {
    const V r = pow_apply<k, T, Bytes, Blend>(load_or_splat<T, Bytes>(x, xs, i), load_or_splat<T, Bytes>(y, ys, i),
                                               specials);
    std::memcpy(out + i, &r, sizeof r);
  }
  if (i < n) {
    T xt[W], yt[W];
    for (int j = 0; j < W; ++j) xt[j] = yt[j] = T(1);
    for (int64_t j = i; j < n; ++j) {
      xt[j - i] = x[j * xs];
      yt[j - i] = y[j * ys];
    }
    const V r = pow_apply<k, T, Bytes, Blend>(load_or_splat<T, Bytes>(xt, 1, 0), load_or_splat<T, Bytes>(yt, 1, 0),
                                               specials);
    std::memcpy(out + i, &r, sizeof(T) * static_cast<size_t>(n - i));
  }
  return any_lane(specials);
}

// Rows go through a buffer of kPowChunk results, so that the elements left to libm can be recomputed
// from x and y before the results overwrite them (out may be x or y).
constexpr int64_t kPowChunk = 256;

template <PowKind k, typename T, int Bytes, bool Blend>
__attribute__((always_inline)) inline void pow_lanes_loop(const T* x, int64_t xs, const T* y, int64_t ys, T* out,
                                                          int64_t n) {
  if constexpr (k != PowKind::General || !std::is_same<T, float>::value) {
    pow_lanes<k, T, Bytes, Blend>(x, xs, y, ys, out, n);
  } else {
    T buf[kPowChunk];
    for (int64_t c0 = 0; c0 < n; c0 += kPowChunk) {
      const int64_t m = n - c0 < kPowChunk ? n - c0 : kPowChunk;
      const T* xc = x + c0 * xs;
      const T* yc = y + c0 * ys;
      if (pow_lanes<k, T, Bytes, Blend>(xc, xs, yc, ys, buf, m))
        for (int64_t j = 0; j < m; ++j)
          if (pow_special(xc[j * xs], yc[j * ys]) && (!Blend || pow_kind_of(yc[j * ys]) == PowKind::General))
            buf[j] = std::pow(xc[j * xs], yc[j * ys]);
      std::memcpy(out + c0, buf, sizeof(T) * static_cast<size_t>(m));
    }
  }
}

// `MachineBytes`: the vector width of the build; the general float32 power runs on float vectors of half
// of it (at least 16 bytes), whose float64 lanes fill one machine vector (Note [float32 pow]).
template <PowKind k, typename T, int MachineBytes>
__attribute__((always_inline)) inline void pow_loop(const T* x, int64_t xs, const T* y, int64_t ys, T* out,
                                                    int64_t n) {
  constexpr bool half = k == PowKind::General && std::is_same<T, float>::value && MachineBytes > 16;
  constexpr int Bytes = half ? MachineBytes / 2 : MachineBytes;
  if (ys == 0) pow_lanes_loop<k, T, Bytes, false>(x, xs, y, ys, out, n);
  else pow_lanes_loop<k, T, Bytes, true>(x, xs, y, ys, out, n);
}

template <typename T>
using RowFn = void (*)(const T*, T*, int64_t);
template <typename T>
using PowRowFn = void (*)(const T*, int64_t, const T*, int64_t, T*, int64_t);

template <VecOp op, typename T>
void row_baseline(const T* in, T* out, int64_t n) {
  lanes_loop<op, T, 16>(in, out, n);
}
template <PowKind k, typename T>
void pow_row_baseline(const T* x, int64_t xs, const T* y, int64_t ys, T* out, int64_t n) {
  pow_loop<k, T, 16>(x, xs, y, ys, out, n);
}

#ifdef LT_HAVE_WIDE_VECTORS
template <VecOp op, typename T>
LT_AVX2 void row_avx2(const T* in, T* out, int64_t n) {
  lanes_loop<op, T, 32>(in, out, n);
}
template <VecOp op, typename T>
LT_AVX512 void row_avx512(const T* in, T* out, int64_t n) {
  lanes_loop<op, T, 64>(in, out, n);
}
template <PowKind k, typename T>
LT_AVX2 void pow_row_avx2(const T* x, int64_t xs, const T* y, int64_t ys, T* out, int64_t n) {
  pow_loop<k, T, 32>(x, xs, y, ys, out, n);
}
template <PowKind k, typename T>
LT_AVX512 void pow_row_avx512(const T* x, int64_t xs, const T* y, int64_t ys, T* out, int64_t n) {
  pow_loop<k, T, 64>(x, xs, y, ys, out, n);
}
#endif

#ifdef LT_HAVE_WIDE_VECTORS
template <VecOp op, typename T>
RowFn<T> pick() {
  return pick_width<RowFn<T>>(row_baseline<op, T>, row_avx2<op, T>, row_avx512<op, T>);
}
template <PowKind k, typename T>
PowRowFn<T> pick_pow() {
  return pick_width<PowRowFn<T>>(pow_row_baseline<k, T>, pow_row_avx2<k, T>, pow_row_avx512<k, T>);
}
#else
template <VecOp op, typename T>
RowFn<T> pick() {
  return row_baseline<op, T>;
}
template <PowKind k, typename T>
PowRowFn<T> pick_pow() {
  return pow_row_baseline<k, T>;
}
#endif

// Indexed by VecOp.
template <typename T>
const RowFn<T> g_rows[] = {pick<VecOp::Exp, T>(), pick<VecOp::Sigmoid, T>(), pick<VecOp::Log, T>(),
                           pick<VecOp::Sqrt, T>(), pick<VecOp::Sin, T>(),    pick<VecOp::Cos, T>(),
                           pick<VecOp::Tanh, T>(), pick<VecOp::Exp2, T>(),    pick<VecOp::Expm1, T>(),
                           pick<VecOp::Log1p, T>(), pick<VecOp::Erf, T>(),     pick<VecOp::Silu, T>()};

// Indexed by PowKind.
template <typename T>
const PowRowFn<T> g_pow_rows[] = {pick_pow<PowKind::General, T>(), pick_pow<PowKind::Square, T>(),
                                  pick_pow<PowKind::Cube, T>(),    pick_pow<PowKind::Sqrt, T>(),
                                  pick_pow<PowKind::Rsqrt, T>(),   pick_pow<PowKind::Recip, T>(),
                                  pick_pow<PowKind::RecipSquare, T>()};

template <typename T>
void pow_rows(const T* x, int64_t xs, const T* y, int64_t ys, T* out, int64_t n) {
  if (n <= 0) return;
  const PowKind k = ys == 0 ? pow_kind_of(static_cast<double>(*y)) : PowKind::General;
  g_pow_rows<T>[static_cast<int>(k)](x, xs, y, ys, out, n);
}

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
    case VecOp::Tanh: return one<VecOp::Tanh>(x);
    case VecOp::Exp2: return one<VecOp::Exp2>(x);
    case VecOp::Expm1: return one<VecOp::Expm1>(x);
    case VecOp::Log1p: return one<VecOp::Log1p>(x);
    case VecOp::Erf: return one<VecOp::Erf>(x);
    case VecOp::Silu: return one<VecOp::Silu>(x);
    case VecOp::Pow:  // two-argument (vec_pow)
    case VecOp::None: break;
  }
  return std::numeric_limits<T>::quiet_NaN();  // not a one-argument form: callers never pass these
}

}  // namespace

void vec_math(VecOp op, const float* in, float* out, int64_t n) { g_rows<float>[static_cast<int>(op)](in, out, n); }
void vec_math(VecOp op, const double* in, double* out, int64_t n) { g_rows<double>[static_cast<int>(op)](in, out, n); }
float vec_math(VecOp op, float x) { return one_of(op, x); }
double vec_math(VecOp op, double x) { return one_of(op, x); }

void vec_pow(const float* x, int64_t x_step, const float* y, int64_t y_step, float* out, int64_t n) {
  pow_rows(x, x_step, y, y_step, out, n);
}
void vec_pow(const double* x, int64_t x_step, const double* y, int64_t y_step, double* out, int64_t n) {
  pow_rows(x, x_step, y, y_step, out, n);
}

}  // namespace lt::cpu
