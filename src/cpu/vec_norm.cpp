// The loops of vec_norm.h, each compiled for the baseline, AVX2+FMA and AVX-512 and picked once per CPU
// (pick_width). The last n % W elements go through the same lanes, padded so that they add nothing to a
// sum (the shift k for the moments, 0 for grads), and are stored back partially.
#include "cpu/vec_norm.h"

#include <algorithm>
#include <cstring>

#include "cpu/vec_dispatch.h"
#include "cpu/vec_lanes.h"

// The lanes pass vectors by value, always inlined (see vec_lanes.h).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lt::cpu {

namespace {

#define LT_VN_INLINE __attribute__((always_inline)) inline

// Elements summed in float lanes before the partial sums are added into double (as norm_kernels.cpp).
constexpr int64_t kFlush = 512;

template <int W>
using F = typename Lanes<W>::F;

template <int W>
LT_VN_INLINE F<W> load(const float* p) {
  F<W> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <int W>
LT_VN_INLINE F<W> load_tail(const float* p, int64_t n, float pad) {
  F<W> v = F<W>{} + pad;
  std::memcpy(&v, p, sizeof(float) * static_cast<size_t>(n));
  return v;
}

template <int W>
LT_VN_INLINE void store(float* p, const F<W>& v) {
  std::memcpy(p, &v, sizeof v);
}

template <int W>
LT_VN_INLINE void store_tail(float* p, const F<W>& v, int64_t n) {
  std::memcpy(p, &v, sizeof(float) * static_cast<size_t>(n));
}

// The lanes of v added in double.
template <int W>
LT_VN_INLINE double lane_sum(const F<W>& v) {
  double r = 0;
  for (int l = 0; l < W; ++l) r += static_cast<double>(v[l]);
  return r;
}

// Two accumulators per sum halve the dependency chains.
template <int W>
LT_VN_INLINE void moments_loop(const float* x, int64_t n, float k, double* s1, double* s2) {
  double r1 = 0, r2 = 0;
  for (int64_t c = 0; c < n; c += kFlush) {
    const int64_t end = std::min(n, c + kFlush);
    F<W> a0 = {}, a1 = {}, b0 = {}, b1 = {};
    int64_t i = c;
    for (; i + 2 * W <= end; i += 2 * W) {
      const F<W> d0 = load<W>(x + i) - k, d1 = load<W>(x + i + W) - k;
      a0 += d0;
      b0 += d0 * d0;
      a1 += d1;
      b1 += d1 * d1;
    }
    for (; i + W <= end; i += W) {
      const F<W> d = load<W>(x + i) - k;
      a0 += d;
      b0 += d * d;
    }
    if (i < end) {
      const F<W> d = load_tail<W>(x + i, end - i, k) - k;
      a1 += d;
      b1 += d * d;
    }
    r1 += lane_sum<W>(a0 + a1);
    r2 += lane_sum<W>(b0 + b1);
  }
  *s1 += r1;
  *s2 += r2;
}

template <int W, bool HasW, bool HasB>
LT_VN_INLINE F<W> affine_at(const float* x, float a, float c, const float* w, const float* b, int64_t i) {
  F<W> y = load<W>(x + i) * a + c;
  if constexpr (HasW) y = y * load<W>(w + i);
  if constexpr (HasB) y = y + load<W>(b + i);
  return y;
}

template <int W, bool HasW, bool HasB>
LT_VN_INLINE void affine_loop(const float* x, float a, float c, const float* w, const float* b, float* y, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) store<W>(y + i, affine_at<W, HasW, HasB>(x, a, c, w, b, i));
  if (i < n) {
    F<W> v = load_tail<W>(x + i, n - i, 0.0f) * a + c;
    if constexpr (HasW) v = v * load_tail<W>(w + i, n - i, 0.0f);
    if constexpr (HasB) v = v + load_tail<W>(b + i, n - i, 0.0f);
    store_tail<W>(y + i, v, n - i);
  }
}

// The grad sums of the t <= W elements at i (t < W: padded loads, partial stores) into sa, sb.
template <int W, bool HasW, bool Params, bool Tail>
LT_VN_INLINE void grad_vec(const float* g, const float* x, const float* w, float m, float rs, float* pw, float* pb,
                           int64_t i, int64_t t, F<W>& sa, F<W>& sb) {
  const F<W> gv = Tail ? load_tail<W>(g + i, t, 0.0f) : load<W>(g + i);
  const F<W> xm = (Tail ? load_tail<W>(x + i, t, m) : load<W>(x + i)) - m;
  F<W> dy = gv;
  if constexpr (HasW) dy = gv * (Tail ? load_tail<W>(w + i, t, 0.0f) : load<W>(w + i));
  sa += dy;
  sb += dy * xm;
  if constexpr (Params) {
    if constexpr (Tail) {
      store_tail<W>(pw + i, load_tail<W>(pw + i, t, 0.0f) + gv * (xm * rs), t);
      store_tail<W>(pb + i, load_tail<W>(pb + i, t, 0.0f) + gv, t);
    } else {
      store<W>(pw + i, load<W>(pw + i) + gv * (xm * rs));
      store<W>(pb + i, load<W>(pb + i) + gv);
    }
  }
}

template <int W, bool HasW, bool Params>
LT_VN_INLINE void grad_sums_loop(const float* g, const float* x, const float* w, float m, float rs, float* pw,
                                 float* pb, int64_t n, double* sa, double* sb) {
  double r1 = 0, r2 = 0;
  for (int64_t c = 0; c < n; c += kFlush) {
    const int64_t end = std::min(n, c + kFlush);
    F<W> a0 = {}, b0 = {}, a1 = {}, b1 = {};
    int64_t i = c;
    for (; i + 2 * W <= end; i += 2 * W) {
      grad_vec<W, HasW, Params, false>(g, x, w, m, rs, pw, pb, i, W, a0, b0);
      grad_vec<W, HasW, Params, false>(g, x, w, m, rs, pw, pb, i + W, W, a1, b1);
    }
    for (; i + W <= end; i += W) grad_vec<W, HasW, Params, false>(g, x, w, m, rs, pw, pb, i, W, a0, b0);
    if (i < end) grad_vec<W, HasW, Params, true>(g, x, w, m, rs, pw, pb, i, end - i, a1, b1);
    r1 += lane_sum<W>(a0 + a1);
    r2 += lane_sum<W>(b0 + b1);
  }
  *sa += r1;
  *sb += r2;
}

template <int W, bool HasW>
LT_VN_INLINE void grad_apply_loop(const float* g, const float* x, const float* w, float a, float b, float c, float* dx,
                                  int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) {
    F<W> gv = load<W>(g + i);
    if constexpr (HasW) gv = gv * load<W>(w + i);
    store<W>(dx + i, gv * a + load<W>(x + i) * b + c);
  }
  if (i < n) {
    F<W> gv = load_tail<W>(g + i, n - i, 0.0f);
    if constexpr (HasW) gv = gv * load_tail<W>(w + i, n - i, 0.0f);
    store_tail<W>(dx + i, gv * a + load_tail<W>(x + i, n - i, 0.0f) * b + c, n - i);
  }
}

struct Loops {
  void (*moments)(const float*, int64_t, float, double*, double*);
  void (*affine)(const float*, float, float, const float*, const float*, float*, int64_t);
  void (*grad_sums)(const float*, const float*, const float*, float, float, float*, float*, int64_t, double*, double*);
  void (*grad_apply)(const float*, const float*, const float*, float, float, float, float*, int64_t);
};

// LT_LOOPS(width, attributes, name) defines the four entry points of one width and its table; the
// optional operands pick a specialisation, so that no branch is left in the loops.
#define LT_LOOPS(W, ATTR, NAME)                                                                                       \
  ATTR void NAME##_moments(const float* x, int64_t n, float k, double* s1, double* s2) {                              \
    moments_loop<W>(x, n, k, s1, s2);                                                                                 \
  }                                                                                                                   \
  ATTR void NAME##_affine(const float* x, float a, float c, const float* w, const float* b, float* y, int64_t n) {    \
    if (w && b)                                                                                                       \
      affine_loop<W, true, true>(x, a, c, w, b, y, n);                                                                \
    else if (w)                                                                                                       \
      affine_loop<W, true, false>(x, a, c, w, b, y, n);                                                               \
    else if (b)                                                                                                       \
      affine_loop<W, false, true>(x, a, c, w, b, y, n);                                                               \
    else                                                                                                              \
      affine_loop<W, false, false>(x, a, c, w, b, y, n);                                                              \
  }                                                                                                                   \
  ATTR void NAME##_grad_sums(const float* g, const float* x, const float* w, float m, float rs, float* pw, float* pb, \
                             int64_t n, double* sa, double* sb) {                                                     \
    if (w && pw)                                                                                                      \
      grad_sums_loop<W, true, true>(g, x, w, m, rs, pw, pb, n, sa, sb);                                               \
    else if (w)                                                                                                       \
      grad_sums_loop<W, true, false>(g, x, w, m, rs, pw, pb, n, sa, sb);                                              \
    else if (pw)                                                                                                      \
      grad_sums_loop<W, false, true>(g, x, w, m, rs, pw, pb, n, sa, sb);                                              \
    else                                                                                                              \
      grad_sums_loop<W, false, false>(g, x, w, m, rs, pw, pb, n, sa, sb);                                             \
  }                                                                                                                   \
  ATTR void NAME##_grad_apply(const float* g, const float* x, const float* w, float a, float b, float c, float* dx,   \
                              int64_t n) {                                                                            \
    if (w)                                                                                                            \
      grad_apply_loop<W, true>(g, x, w, a, b, c, dx, n);                                                              \
    else                                                                                                              \
      grad_apply_loop<W, false>(g, x, w, a, b, c, dx, n);                                                             \
  }                                                                                                                   \
  const Loops NAME##_loops = {NAME##_moments, NAME##_affine, NAME##_grad_sums, NAME##_grad_apply};

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

void vec_norm_moments(const float* x, int64_t n, float k, double* s1, double* s2) { g_loops->moments(x, n, k, s1, s2); }
void vec_norm_affine(const float* x, float a, float c, const float* w, const float* b, float* y, int64_t n) {
  g_loops->affine(x, a, c, w, b, y, n);
}
void vec_norm_grad_sums(const float* g, const float* x, const float* w, float m, float rs, float* pw, float* pb,
                        int64_t n, double* sa, double* sb) {
  g_loops->grad_sums(g, x, w, m, rs, pw, pb, n, sa, sb);
}
void vec_norm_grad_apply(const float* g, const float* x, const float* w, float a, float b, float c, float* dx,
                         int64_t n) {
  g_loops->grad_apply(g, x, w, a, b, c, dx, n);
}

}  // namespace lt::cpu
