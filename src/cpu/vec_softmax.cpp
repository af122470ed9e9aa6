// The loops of vec_softmax.h, each compiled for the baseline, AVX2+FMA and AVX-512 and picked once per
// CPU (pick_width). The last n % W elements go through the same lanes, padded with a value that leaves the
// result alone (-inf for max and exp sums, 0 for sums), so layout never changes a rounding.
#include "cpu/vec_softmax.h"

#include <cstring>
#include <limits>

#include "cpu/vec_dispatch.h"
#include "cpu/vec_lanes.h"

// The lanes pass vectors by value, always inlined (see vec_lanes.h).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lt::cpu {

namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

template <int W>
using F = typename Lanes<W>::F;

template <int W>
__attribute__((always_inline)) inline F<W> load(const float* p) {
  F<W> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The n < W elements at p, the other lanes `pad`.
template <int W>
__attribute__((always_inline)) inline F<W> load_tail(const float* p, int64_t n, float pad) {
  F<W> v = F<W>{} + pad;
  std::memcpy(&v, p, sizeof(float) * static_cast<size_t>(n));
  return v;
}

template <int W>
__attribute__((always_inline)) inline void store(float* p, const F<W>& v) {
  std::memcpy(p, &v, sizeof v);
}

template <int W>
__attribute__((always_inline)) inline void store_tail(float* p, const F<W>& v, int64_t n) {
  std::memcpy(p, &v, sizeof(float) * static_cast<size_t>(n));
}

template <int W>
__attribute__((always_inline)) inline float lane_sum(const F<W>& v) {
  float r = 0;
  for (int l = 0; l < W; ++l) r += v[l];
  return r;
}

template <int W>
__attribute__((always_inline)) inline F<W> lane_max(const F<W>& a, const F<W>& b) {
  return b > a ? b : a;
}

// Two accumulators halve the dependency chain of the cheap loops (max, sum, dot: one op per load).
template <int W>
__attribute__((always_inline)) inline float row_max_loop(const float* x, int64_t n) {
  F<W> m0 = F<W>{} + kNegInf, m1 = m0;
  int64_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    m0 = lane_max<W>(m0, load<W>(x + i));
    m1 = lane_max<W>(m1, load<W>(x + i + W));
  }
  for (; i + W <= n; i += W) m0 = lane_max<W>(m0, load<W>(x + i));
  if (i < n) m1 = lane_max<W>(m1, load_tail<W>(x + i, n - i, kNegInf));
  m0 = lane_max<W>(m0, m1);
  float r = kNegInf;
  for (int l = 0; l < W; ++l) r = m0[l] > r ? m0[l] : r;
  return r;
}

// Store false: the sum only (log_softmax and cross_entropy need no exp values).
template <int W, bool Store>
__attribute__((always_inline)) inline float exp_sum_loop(const float* x, float shift, float* y, int64_t n) {
  F<W> s = {};
  int64_t i = 0;
  for (; i + W <= n; i += W) {
    const F<W> e = exp_v<W>(load<W>(x + i) - shift);
    if constexpr (Store) store<W>(y + i, e);
    s += e;
  }
  if (i < n) {
    const F<W> e = exp_v<W>(load_tail<W>(x + i, n - i, kNegInf) - shift);
    if constexpr (Store) store_tail<W>(y + i, e, n - i);
    s += e;
  }
  return lane_sum<W>(s);
}

template <int W>
__attribute__((always_inline)) inline void scale_loop(const float* x, float a, float* y, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) store<W>(y + i, load<W>(x + i) * a);
  if (i < n) store_tail<W>(y + i, load_tail<W>(x + i, n - i, 0.0f) * a, n - i);
}

template <int W>
__attribute__((always_inline)) inline void shift_loop(const float* x, float a, float* y, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) store<W>(y + i, load<W>(x + i) - a);
  if (i < n) store_tail<W>(y + i, load_tail<W>(x + i, n - i, 0.0f) - a, n - i);
}

// x[i..i+W) * y[i..i+W), or x alone for Dot false. (A function, not a lambda: a lambda would not inherit
// the AVX target of the loop it is called from.)
template <int W, bool Dot>
__attribute__((always_inline)) inline F<W> term(const float* x, const float* y, int64_t i) {
  if constexpr (Dot)
    return load<W>(x + i) * load<W>(y + i);
  else
    return load<W>(x + i);
}

// sum(x * y), or sum(x) for Dot false (y unused).
template <int W, bool Dot>
__attribute__((always_inline)) inline float dot_loop(const float* x, const float* y, int64_t n) {
  F<W> s0 = {}, s1 = {};
  int64_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    s0 += term<W, Dot>(x, y, i);
    s1 += term<W, Dot>(x, y, i + W);
  }
  for (; i + W <= n; i += W) s0 += term<W, Dot>(x, y, i);
  if (i < n) s1 += load_tail<W>(x + i, n - i, 0.0f) * (Dot ? load_tail<W>(y + i, n - i, 0.0f) : F<W>{} + 1.0f);
  return lane_sum<W>(s0 + s1);
}

template <int W>
__attribute__((always_inline)) inline void softmax_grad_loop(const float* g, const float* y, float s, float* gi,
                                                             int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) store<W>(gi + i, load<W>(y + i) * (load<W>(g + i) - s));
  if (i < n) {
    const F<W> r = load_tail<W>(y + i, n - i, 0.0f) * (load_tail<W>(g + i, n - i, 0.0f) - s);
    store_tail<W>(gi + i, r, n - i);
  }
}

template <int W>
__attribute__((always_inline)) inline void log_softmax_grad_loop(const float* g, const float* y, float s, float* gi,
                                                                 int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) store<W>(gi + i, load<W>(g + i) - exp_v<W>(load<W>(y + i)) * s);
  if (i < n) {
    const F<W> r = load_tail<W>(g + i, n - i, 0.0f) - exp_v<W>(load_tail<W>(y + i, n - i, 0.0f)) * s;
    store_tail<W>(gi + i, r, n - i);
  }
}

template <int W>
__attribute__((always_inline)) inline void exp_affine_loop(const float* x, float shift, float a, float b, float* out,
                                                           int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) store<W>(out + i, a * exp_v<W>(load<W>(x + i) - shift) - b);
  if (i < n) store_tail<W>(out + i, a * exp_v<W>(load_tail<W>(x + i, n - i, 0.0f) - shift) - b, n - i);
}

// One function-pointer table per width: the three builds of every loop.
struct Loops {
  float (*row_max)(const float*, int64_t);
  float (*exp_sum)(const float*, float, float*, int64_t);
  void (*scale)(const float*, float, float*, int64_t);
  void (*shift)(const float*, float, float*, int64_t);
  float (*dot)(const float*, const float*, int64_t);
  void (*softmax_grad)(const float*, const float*, float, float*, int64_t);
  void (*log_softmax_grad)(const float*, const float*, float, float*, int64_t);
  void (*exp_affine)(const float*, float, float, float, float*, int64_t);
};

// LT_LOOPS(width, attributes) defines the eight entry points of one width and its table.
#define LT_LOOPS(W, ATTR, NAME)                                                                       \
  ATTR float NAME##_row_max(const float* x, int64_t n) { return row_max_loop<W>(x, n); }              \
  ATTR float NAME##_exp_sum(const float* x, float c, float* y, int64_t n) {                           \
    return y ? exp_sum_loop<W, true>(x, c, y, n) : exp_sum_loop<W, false>(x, c, y, n);                \
  }                                                                                                   \
  ATTR void NAME##_scale(const float* x, float a, float* y, int64_t n) { scale_loop<W>(x, a, y, n); } \
  ATTR void NAME##_shift(const float* x, float a, float* y, int64_t n) { shift_loop<W>(x, a, y, n); } \
  ATTR float NAME##_dot(const float* x, const float* y, int64_t n) {                                  \
    return y ? dot_loop<W, true>(x, y, n) : dot_loop<W, false>(x, y, n);                              \
  }                                                                                                   \
  ATTR void NAME##_softmax_grad(const float* g, const float* y, float s, float* gi, int64_t n) {      \
    softmax_grad_loop<W>(g, y, s, gi, n);                                                             \
  }                                                                                                   \
  ATTR void NAME##_log_softmax_grad(const float* g, const float* y, float s, float* gi, int64_t n) {  \
    log_softmax_grad_loop<W>(g, y, s, gi, n);                                                         \
  }                                                                                                   \
  ATTR void NAME##_exp_affine(const float* x, float c, float a, float b, float* o, int64_t n) {       \
    exp_affine_loop<W>(x, c, a, b, o, n);                                                             \
  }                                                                                                   \
  const Loops NAME##_loops = {                                                                        \
      NAME##_row_max,      NAME##_exp_sum,          NAME##_scale,     NAME##_shift, NAME##_dot,       \
      NAME##_softmax_grad, NAME##_log_softmax_grad, NAME##_exp_affine};

#define LT_NO_ATTR
LT_LOOPS(4, LT_NO_ATTR, baseline)
#ifdef LT_HAVE_WIDE_VECTORS
LT_LOOPS(8, LT_AVX2, avx2)
LT_LOOPS(16, LT_AVX512, avx512)
const Loops* const g_loops = pick_width<const Loops*>(&baseline_loops, &avx2_loops, &avx512_loops);
#else
const Loops* const g_loops = &baseline_loops;
#endif
#undef LT_LOOPS
#undef LT_NO_ATTR

}  // namespace

float vec_row_max(const float* x, int64_t n) { return g_loops->row_max(x, n); }
float vec_exp_sum(const float* x, float shift, float* y, int64_t n) { return g_loops->exp_sum(x, shift, y, n); }
void vec_scale(const float* x, float a, float* y, int64_t n) { g_loops->scale(x, a, y, n); }
void vec_shift(const float* x, float a, float* y, int64_t n) { g_loops->shift(x, a, y, n); }
float vec_sum(const float* x, int64_t n) { return g_loops->dot(x, nullptr, n); }
float vec_dot(const float* x, const float* y, int64_t n) { return g_loops->dot(x, y, n); }
void vec_softmax_grad(const float* g, const float* y, float s, float* gi, int64_t n) {
  g_loops->softmax_grad(g, y, s, gi, n);
}
void vec_log_softmax_grad(const float* g, const float* y, float s, float* gi, int64_t n) {
  g_loops->log_softmax_grad(g, y, s, gi, n);
}
void vec_exp_affine(const float* x, float shift, float a, float b, float* out, int64_t n) {
  g_loops->exp_affine(x, shift, a, b, out, n);
}

}  // namespace lt::cpu
