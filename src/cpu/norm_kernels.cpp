// CPU kernels of the normalisation family (rows layer_norm_*, group_norm_*, batch_norm_* of
// LT_BACKEND_KERNELS; the CUDA side is cuda/norm.cu). Every operand is contiguous.
//
// Note [norm kernels]: the three norms reduce over contiguous segments (a row; the C / groups channels of
// a group; the N planes of S elements of a channel) and then apply a per-segment linear map, so each
// forward is one statistics pass (shifted sums: sum(x - k) and sum((x - k)^2) with k the segment's first
// element, which keeps var = E[d^2] - E[d]^2 free of cancellation when |mean| >> std) and one writing
// pass y = x * a + b; each backward is one pass of sums (sum(g), sum(g * (x - mean))) and one writing pass
// dx = g * a + x * b + c. With dy = g * w, A = sum(dy), B = sum(dy * (x - mean)) over D elements:
//   dx = rstd * dy - rstd * A / D - (x - mean) * rstd^3 * B / D,
//   dw = sum(g * (x - mean)) * rstd, db = sum(g)   (the sums taken over everything but the channel).
// float32 sums run in float lanes over chunks of kFlush elements and are added into double, so the
// accumulated error stays that of double over the segment; the coefficients are computed in double.
// The loops are compiled twice (x86-64 baseline and AVX2+FMA, picked at run time: Note [norm loop
// widths]) and split over threads by rows / groups / channels with parallel_for. float32 runs the
// explicit vector loops of cpu/vec_norm.h instead (baseline, AVX2+FMA, AVX-512): the generic lanes above
// spilled their accumulators and a layer_norm row took four passes backward (measured, 1 thread,
// (4096, 1024): forward 2.8 -> 0.9 ms, forward + backward 16.4 -> 3.0 ms).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "core/parallel.h"
#include "core/status.h"
#include "cpu/kernels.h"
#include "cpu/vec_dispatch.h"
#include "cpu/vec_norm.h"

namespace lt::cpu {

namespace {

#define LT_NORM_INLINE __attribute__((always_inline)) inline

// Independent accumulators per loop (two AVX2 float vectors; the compiler vectorises the fixed width).
constexpr int kLanes = 16;
// Elements summed in T's lanes before the partial sums are added into double.
constexpr int64_t kFlush = 512;

// s1 += sum(x - k), s2 += sum((x - k)^2) over n contiguous elements.
template <typename T>
LT_NORM_INLINE void shifted_moments(const T* __restrict x, int64_t n, T k, double& s1, double& s2) {
  for (int64_t c = 0; c < n; c += kFlush) {
    const int64_t len = std::min(kFlush, n - c);
    const T* xc = x + c;
    T a[kLanes] = {}, b[kLanes] = {};
    int64_t i = 0;
    for (; i + kLanes <= len; i += kLanes) {
      for (int l = 0; l < kLanes; ++l) {
        const T d = xc[i + l] - k;
        a[l] += d;
        b[l] += d * d;
      }
    }
    double r1 = 0, r2 = 0;
    for (; i < len; ++i) {
      const double d = static_cast<double>(xc[i] - k);
      r1 += d;
      r2 += d * d;
    }
    for (int l = 0; l < kLanes; ++l) {
      r1 += static_cast<double>(a[l]);
      r2 += static_cast<double>(b[l]);
    }
    s1 += r1;
    s2 += r2;
  }
}

// sg += sum(g), sgx += sum(g * (x - m)) over n contiguous elements.
template <typename T>
LT_NORM_INLINE void grad_sums(const T* __restrict g, const T* __restrict x, int64_t n, T m, double& sg, double& sgx) {
  for (int64_t c = 0; c < n; c += kFlush) {
    const int64_t len = std::min(kFlush, n - c);
    const T* gc = g + c;
    const T* xc = x + c;
    T a[kLanes] = {}, b[kLanes] = {};
    int64_t i = 0;
    for (; i + kLanes <= len; i += kLanes) {
      for (int l = 0; l < kLanes; ++l) {
        a[l] += gc[i + l];
        b[l] += gc[i + l] * (xc[i + l] - m);
      }
    }
    double r1 = 0, r2 = 0;
    for (; i < len; ++i) {
      r1 += static_cast<double>(gc[i]);
      r2 += static_cast<double>(gc[i] * (xc[i] - m));
    }
    for (int l = 0; l < kLanes; ++l) {
      r1 += static_cast<double>(a[l]);
      r2 += static_cast<double>(b[l]);
    }
    sg += r1;
    sgx += r2;
  }
}

// y = x * a + b.
template <typename T>
LT_NORM_INLINE void affine(const T* __restrict x, T* __restrict y, int64_t n, T a, T b) {
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] * a + b;
}

// dx = g * a + x * b + c.
template <typename T>
LT_NORM_INLINE void lin3(const T* __restrict g, const T* __restrict x, T* __restrict dx, int64_t n, T a, T b, T c) {
  for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * a + x[i] * b + c;
}

// float32 takes the explicit vector loops of vec_norm.h (the widest the CPU runs, AVX-512 included);
// these overloads are declared before their callers so that the templates below pick them.
LT_NORM_INLINE void shifted_moments(const float* x, int64_t n, float k, double& s1, double& s2) {
  vec_norm_moments(x, n, k, &s1, &s2);
}
LT_NORM_INLINE void grad_sums(const float* g, const float* x, int64_t n, float m, double& sg, double& sgx) {
  vec_norm_grad_sums(g, x, nullptr, m, 0.0f, nullptr, nullptr, n, &sg, &sgx);
}
LT_NORM_INLINE void affine(const float* x, float* y, int64_t n, float a, float b) {
  vec_norm_affine(x, a, b, nullptr, nullptr, y, n);
}
LT_NORM_INLINE void lin3(const float* g, const float* x, float* dx, int64_t n, float a, float b, float c) {
  vec_norm_grad_apply(g, x, nullptr, a, b, c, dx, n);
}

// Mean and 1 / sqrt(var + eps) from shifted sums over `count` elements (count >= 1).
struct Stats {
  double mean, var, rstd;
};
inline Stats finish_stats(double k, double s1, double s2, double count, double eps) {
  const double dm = s1 / count;
  const double var = std::max(0.0, s2 / count - dm * dm);
  return {k + dm, var, 1.0 / std::sqrt(var + eps)};
}

// ---- layer norm ----

// Note [layer_norm row prefetch]: a row's first pass is the first touch of its data, and the CPU's
// stream prefetchers stop at every 4 KiB page, which a (.., 1024) float32 row fills exactly: each row
// began with a run of demand misses (the forward's moments pass took 39% of a forward + backward in
// perf, its writing pass 7%). So the next row's first kPrefetchBytes are requested while this one is
// worked on. Not in the backward: there the prefetches of g and x stalled on full fill buffers and the
// forward + backward got slower (1 thread, 8 alternating runs, medians: 9.1 ms with, 7.7 ms without).
constexpr int64_t kPrefetchBytes = 8192;

template <typename T>
LT_NORM_INLINE void prefetch_row(const T* p, int64_t n) {
  const char* c = reinterpret_cast<const char*>(p);
  const int64_t bytes = std::min<int64_t>(n * static_cast<int64_t>(sizeof(T)), kPrefetchBytes);
  for (int64_t k = 0; k < bytes; k += 64) __builtin_prefetch(c + k, 0, 3);
}

struct LayerNormArgs {
  int64_t m, n;
  double eps;
};

template <typename T>
LT_NORM_INLINE void layer_norm_rows(const T* __restrict x, T* __restrict y, T* mean, T* rstd, const T* w, const T* b,
                                    const LayerNormArgs& a, int64_t r0, int64_t r1) {
  const int64_t n = a.n;
  for (int64_t r = r0; r < r1; ++r) {
    const T* xr = x + r * n;
    T* yr = y + r * n;
    if (r + 1 < r1) prefetch_row(xr + n, n);
    double s1 = 0, s2 = 0;
    shifted_moments(xr, n, xr[0], s1, s2);
    const Stats st = finish_stats(static_cast<double>(xr[0]), s1, s2, static_cast<double>(n), a.eps);
    mean[r] = static_cast<T>(st.mean);
    rstd[r] = static_cast<T>(st.rstd);
    const T sc = static_cast<T>(st.rstd), sh = static_cast<T>(-st.mean * st.rstd);
    if constexpr (std::is_same_v<T, float>) {
      vec_norm_affine(xr, sc, sh, w, b, yr, n);
    } else if (w && b) {
      for (int64_t j = 0; j < n; ++j) yr[j] = (xr[j] * sc + sh) * w[j] + b[j];
    } else if (w) {
      for (int64_t j = 0; j < n; ++j) yr[j] = (xr[j] * sc + sh) * w[j];
    } else if (b) {
      for (int64_t j = 0; j < n; ++j) yr[j] = (xr[j] * sc + sh) + b[j];
    } else {
      affine(xr, yr, n, sc, sh);
    }
  }
}

// Rows [r0, r1): dx (when wanted) and this range's sums of dw, db added into dw_acc, db_acc (double, n).
// dw/db go through T partials (pw, pb: n each) flushed into double every kRowFlush rows.
constexpr int64_t kRowFlush = 32;

template <typename T>
LT_NORM_INLINE void layer_norm_backward_rows(const T* __restrict g, const T* __restrict x, T* dx, const T* mean,
                                             const T* rstd, const T* w, double* dw_acc, double* db_acc,
                                             T* __restrict pw, T* __restrict pb, const LayerNormArgs& a, int64_t r0,
                                             int64_t r1) {
  const int64_t n = a.n;
  const bool params = dw_acc != nullptr;
  std::fill(pw, pw + n, T(0));
  std::fill(pb, pb + n, T(0));
  for (int64_t r = r0; r < r1; ++r) {
    const T* gr = g + r * n;
    const T* xr = x + r * n;
    const T m = mean[r], rs = rstd[r];
    if constexpr (std::is_same_v<T, float>) {
      // Two passes: the sums A, B fused with this row's dw/db partials, then dx.
      double sa = 0, sb = 0;
      vec_norm_grad_sums(gr, xr, w, m, rs, params ? pw : nullptr, pb, n, &sa, &sb);
      if (params && ((r - r0) % kRowFlush == kRowFlush - 1 || r == r1 - 1)) {
        for (int64_t j = 0; j < n; ++j) {
          dw_acc[j] += static_cast<double>(pw[j]);
          db_acc[j] += static_cast<double>(pb[j]);
          pw[j] = T(0);
          pb[j] = T(0);
        }
      }
      if (!dx) continue;
      const double rd = static_cast<double>(rs), inv_n = 1.0 / static_cast<double>(n);
      const double c2 = -rd * rd * rd * sb * inv_n;
      const double c3 = -c2 * static_cast<double>(m) - rd * sa * inv_n;
      vec_norm_grad_apply(gr, xr, w, rs, static_cast<T>(c2), static_cast<T>(c3), dx + r * n, n);
      continue;
    }
    if (params) {
      for (int64_t j = 0; j < n; ++j) {
        pw[j] += gr[j] * ((xr[j] - m) * rs);
        pb[j] += gr[j];
      }
      if ((r - r0) % kRowFlush == kRowFlush - 1 || r == r1 - 1) {
        for (int64_t j = 0; j < n; ++j) {
          dw_acc[j] += static_cast<double>(pw[j]);
          db_acc[j] += static_cast<double>(pb[j]);
          pw[j] = T(0);
          pb[j] = T(0);
        }
      }
    }
    if (!dx) continue;
    // A = sum(g * w), B = sum(g * w * (x - mean)) in T lanes per chunk, double across chunks.
    double sa = 0, sb = 0;
    if (w) {
      for (int64_t c = 0; c < n; c += kFlush) {
        const int64_t len = std::min(kFlush, n - c);
        T p1[kLanes] = {}, p2[kLanes] = {};
        int64_t i = c;
        for (; i + kLanes <= c + len; i += kLanes) {
          for (int l = 0; l < kLanes; ++l) {
            const T dy = gr[i + l] * w[i + l];
            p1[l] += dy;
            p2[l] += dy * (xr[i + l] - m);
          }
        }
        for (; i < c + len; ++i) {
          const T dy = gr[i] * w[i];
          sa += static_cast<double>(dy);
          sb += static_cast<double>(dy * (xr[i] - m));
        }
        for (int l = 0; l < kLanes; ++l) {
          sa += static_cast<double>(p1[l]);
          sb += static_cast<double>(p2[l]);
        }
      }
    } else {
      grad_sums(gr, xr, n, m, sa, sb);
    }
    const double rd = static_cast<double>(rs), inv_n = 1.0 / static_cast<double>(n);
    const double c2 = -rd * rd * rd * sb * inv_n;
    const double c3 = -c2 * static_cast<double>(m) - rd * sa * inv_n;
    T* dr = dx + r * n;
    const T tc2 = static_cast<T>(c2), tc3 = static_cast<T>(c3);
    if (w) {
      for (int64_t j = 0; j < n; ++j) dr[j] = gr[j] * w[j] * rs + xr[j] * tc2 + tc3;
    } else {
      lin3(gr, xr, dr, n, rs, tc2, tc3);
    }
  }
}

// ---- group norm ----

struct GroupNormArgs {
  int64_t n, c, s, groups;
  double eps;
};

// Groups [i0, i1) of the N * groups.
template <typename T>
LT_NORM_INLINE void group_norm_groups(const T* x, T* y, T* mean, T* rstd, const T* w, const T* b,
                                      const GroupNormArgs& a, int64_t i0, int64_t i1) {
  const int64_t cg = a.c / a.groups, d = cg * a.s;
  for (int64_t i = i0; i < i1; ++i) {
    const int64_t c0 = (i % a.groups) * cg;
    const T* xg = x + i * d;
    T* yg = y + i * d;
    double s1 = 0, s2 = 0;
    if (d > 0) shifted_moments(xg, d, xg[0], s1, s2);
    const double k = d > 0 ? static_cast<double>(xg[0]) : 0.0;
    const Stats st = finish_stats(k, s1, s2, static_cast<double>(std::max<int64_t>(d, 1)), a.eps);
    mean[i] = static_cast<T>(st.mean);
    rstd[i] = static_cast<T>(st.rstd);
    for (int64_t c = 0; c < cg; ++c) {
      const double wc = w ? static_cast<double>(w[c0 + c]) : 1.0, bc = b ? static_cast<double>(b[c0 + c]) : 0.0;
      const double sc = st.rstd * wc;
      affine(xg + c * a.s, yg + c * a.s, a.s, static_cast<T>(sc), static_cast<T>(bc - st.mean * sc));
    }
  }
}

// Groups [i0, i1): per (sample, channel) sums into sg, sgx (N * C each) and dx when wanted.
template <typename T>
LT_NORM_INLINE void group_norm_backward_groups(const T* g, const T* x, T* dx, const T* mean, const T* rstd, const T* w,
                                               double* sg, double* sgx, const GroupNormArgs& a, int64_t i0,
                                               int64_t i1) {
  const int64_t cg = a.c / a.groups, d = cg * a.s;
  for (int64_t i = i0; i < i1; ++i) {
    const int64_t c0 = (i % a.groups) * cg, nc0 = (i / a.groups) * a.c + c0;
    const T m = mean[i];
    double sa = 0, sb = 0;
    for (int64_t c = 0; c < cg; ++c) {
      double s1 = 0, s2 = 0;
      grad_sums(g + i * d + c * a.s, x + i * d + c * a.s, a.s, m, s1, s2);
      sg[nc0 + c] = s1;
      sgx[nc0 + c] = s2;
      const double wc = w ? static_cast<double>(w[c0 + c]) : 1.0;
      sa += wc * s1;
      sb += wc * s2;
    }
    if (!dx) continue;
    const double rd = static_cast<double>(rstd[i]), inv_d = 1.0 / static_cast<double>(std::max<int64_t>(d, 1));
    const double c2 = -rd * rd * rd * sb * inv_d;
    const double c3 = -c2 * static_cast<double>(m) - rd * sa * inv_d;
    for (int64_t c = 0; c < cg; ++c) {
      const double wc = w ? static_cast<double>(w[c0 + c]) : 1.0;
      const int64_t off = i * d + c * a.s;
      lin3(g + off, x + off, dx + off, a.s, static_cast<T>(wc * rd), static_cast<T>(c2), static_cast<T>(c3));
    }
  }
}

// ---- batch norm ----

struct BatchNormArgs {
  int64_t n, c, s;
  bool training;
  double momentum, eps;
};

// Channels [c0, c1).
template <typename T>
LT_NORM_INLINE void batch_norm_channels(const T* x, T* y, T* save_mean, T* save_invstd, const T* w, const T* b,
                                        T* run_mean, T* run_var, const BatchNormArgs& a, int64_t c0, int64_t c1) {
  const int64_t plane = a.c * a.s;
  const double count = static_cast<double>(a.n * a.s);
  for (int64_t c = c0; c < c1; ++c) {
    double mean, invstd;
    if (a.training) {
      const T k = x[c * a.s];
      double s1 = 0, s2 = 0;
      for (int64_t i = 0; i < a.n; ++i) shifted_moments(x + i * plane + c * a.s, a.s, k, s1, s2);
      const Stats st = finish_stats(static_cast<double>(k), s1, s2, count, a.eps);
      mean = st.mean;
      invstd = st.rstd;
      // PyTorch's update and order of operations (accumulated in double, as its CPU kernel).
      if (run_mean)
        run_mean[c] = static_cast<T>(a.momentum * mean + (1 - a.momentum) * static_cast<double>(run_mean[c]));
      if (run_var) {
        const double unbiased = st.var * count / (count - 1);
        run_var[c] = static_cast<T>(a.momentum * unbiased + (1 - a.momentum) * static_cast<double>(run_var[c]));
      }
    } else {
      mean = static_cast<double>(run_mean[c]);
      invstd = 1.0 / std::sqrt(static_cast<double>(run_var[c]) + a.eps);
    }
    save_mean[c] = static_cast<T>(mean);
    save_invstd[c] = static_cast<T>(invstd);
    const double wc = w ? static_cast<double>(w[c]) : 1.0, bc = b ? static_cast<double>(b[c]) : 0.0;
    const T sc = static_cast<T>(invstd * wc), sh = static_cast<T>(bc - mean * invstd * wc);
    for (int64_t i = 0; i < a.n; ++i) affine(x + i * plane + c * a.s, y + i * plane + c * a.s, a.s, sc, sh);
  }
}

template <typename T>
LT_NORM_INLINE void batch_norm_backward_channels(const T* g, const T* x, T* dx, const T* mean, const T* invstd,
                                                 const T* w, T* dw, T* db, const BatchNormArgs& a, int64_t c0,
                                                 int64_t c1) {
  const int64_t plane = a.c * a.s;
  const double count = static_cast<double>(std::max<int64_t>(a.n * a.s, 1));
  for (int64_t c = c0; c < c1; ++c) {
    const T m = mean[c];
    double sg = 0, sgx = 0;
    for (int64_t i = 0; i < a.n; ++i) grad_sums(g + i * plane + c * a.s, x + i * plane + c * a.s, a.s, m, sg, sgx);
    const double rd = static_cast<double>(invstd[c]);
    if (dw) dw[c] = static_cast<T>(sgx * rd);
    if (db) db[c] = static_cast<T>(sg);
    if (!dx) continue;
    const double wc = w ? static_cast<double>(w[c]) : 1.0;
    double c2 = 0, c3 = 0;
    if (a.training) {
      c2 = -rd * rd * rd * wc * sgx / count;
      c3 = -c2 * static_cast<double>(m) - rd * wc * sg / count;
    }
    for (int64_t i = 0; i < a.n; ++i) {
      const int64_t off = i * plane + c * a.s;
      lin3(g + off, x + off, dx + off, a.s, static_cast<T>(wc * rd), static_cast<T>(c2), static_cast<T>(c3));
    }
  }
}

// Note [norm loop widths]: each range function above is instantiated in a baseline wrapper and in an
// AVX2+FMA one (the always_inline bodies take the wrapper's target), and the widest the CPU runs is used.
#ifdef LT_HAVE_WIDE_VECTORS
#define LT_NORM_WIDTHS(fn)                                                                    \
  template <typename T, typename... A>                                                        \
  LT_AVX2 void fn##_avx2(A... args) {                                                         \
    fn<T>(args...);                                                                           \
  }                                                                                           \
  template <typename T, typename... A>                                                        \
  void fn##_base(A... args) {                                                                 \
    fn<T>(args...);                                                                           \
  }                                                                                           \
  template <typename T, typename... A>                                                        \
  void fn##_run(A... args) {                                                                  \
    static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); \
    if (avx2)                                                                                 \
      fn##_avx2<T>(args...);                                                                  \
    else                                                                                      \
      fn##_base<T>(args...);                                                                  \
  }
#else
#define LT_NORM_WIDTHS(fn)             \
  template <typename T, typename... A> \
  void fn##_run(A... args) {           \
    fn<T>(args...);                    \
  }
#endif

LT_NORM_WIDTHS(layer_norm_rows)
LT_NORM_WIDTHS(layer_norm_backward_rows)
LT_NORM_WIDTHS(group_norm_groups)
LT_NORM_WIDTHS(group_norm_backward_groups)
LT_NORM_WIDTHS(batch_norm_channels)
LT_NORM_WIDTHS(batch_norm_backward_channels)
#undef LT_NORM_WIDTHS

template <typename T>
const T* opt(const Tensor& t) {
  return t.defined() ? t.data_as<T>() : nullptr;
}
template <typename T>
T* opt_mut(const Tensor& t) {
  return t.defined() ? t.data_as<T>() : nullptr;
}

// Items per parallel_for chunk so that each chunk holds about kGrainSize elements.
int64_t grain_for(int64_t elements_per_item) {
  return std::max<int64_t>(1, kGrainSize / std::max<int64_t>(elements_per_item, 1));
}

}  // namespace

void layer_norm_forward(const Tensor& out, const Tensor& mean, const Tensor& rstd, const Tensor& in,
                        const Tensor& weight, const Tensor& bias, double eps) {
  const LayerNormArgs a{in.size(0), in.size(1), eps};
  if (a.m == 0 || a.n == 0) return;
  LT_DISPATCH_FLOATING(in.dtype(), "layer_norm", {
    using T = scalar_t;
    const T* x = in.data_as<T>();
    T* y = out.data_as<T>();
    T* mu = mean.data_as<T>();
    T* rs = rstd.data_as<T>();
    const T* w = opt<T>(weight);
    const T* b = opt<T>(bias);
    parallel_for(a.m, grain_for(a.n),
                 [&](int64_t r0, int64_t r1) { layer_norm_rows_run<T>(x, y, mu, rs, w, b, a, r0, r1); });
  });
}

void layer_norm_backward(const Tensor& grad_in, const Tensor& grad_weight, const Tensor& grad_bias,
                         const Tensor& grad_out, const Tensor& in, const Tensor& mean, const Tensor& rstd,
                         const Tensor& weight) {
  const LayerNormArgs a{in.size(0), in.size(1), 0.0};
  LT_DISPATCH_FLOATING(in.dtype(), "layer_norm_backward", {
    using T = scalar_t;
    const bool params = grad_weight.defined() || grad_bias.defined();
    // One block of rows per thread, each with its own double sums of dw and db, added up at the end.
    const int64_t work = a.m * a.n;
    const int64_t blocks =
        a.m == 0 || a.n == 0 ? 0 : std::clamp<int64_t>(work / kGrainSize, 1, std::min<int64_t>(get_num_threads(), a.m));
    std::vector<double> acc(params ? static_cast<size_t>(2 * a.n * std::max<int64_t>(blocks, 1)) : 0, 0.0);
    if (blocks > 0) {
      const T* g = grad_out.data_as<T>();
      const T* x = in.data_as<T>();
      T* dx = opt_mut<T>(grad_in);
      const T* mu = mean.data_as<T>();
      const T* rs = rstd.data_as<T>();
      const T* w = opt<T>(weight);
      parallel_for(blocks, 1, [&](int64_t b0, int64_t b1) {
        std::vector<T> partial(static_cast<size_t>(2 * a.n));
        for (int64_t blk = b0; blk < b1; ++blk) {
          const int64_t r0 = a.m * blk / blocks, r1 = a.m * (blk + 1) / blocks;
          double* dw_acc = params ? acc.data() + 2 * a.n * blk : nullptr;
          layer_norm_backward_rows_run<T>(g, x, dx, mu, rs, w, dw_acc, params ? dw_acc + a.n : nullptr, partial.data(),
                                          partial.data() + a.n, a, r0, r1);
        }
      });
    }
    if (params) {
      T* dw = opt_mut<T>(grad_weight);
      T* db = opt_mut<T>(grad_bias);
      for (int64_t j = 0; j < a.n; ++j) {
        double sw = 0, sb = 0;
        for (int64_t blk = 0; blk < blocks; ++blk) {
          sw += acc[static_cast<size_t>(2 * a.n * blk + j)];
          sb += acc[static_cast<size_t>(2 * a.n * blk + a.n + j)];
        }
        if (dw) dw[j] = static_cast<T>(sw);
        if (db) db[j] = static_cast<T>(sb);
      }
    }
  });
}

void group_norm_forward(const Tensor& out, const Tensor& mean, const Tensor& rstd, const Tensor& in,
                        const Tensor& weight, const Tensor& bias, int64_t groups, double eps) {
  const GroupNormArgs a{in.size(0), in.size(1), in.size(2), groups, eps};
  if (a.n == 0 || a.c == 0) return;
  LT_DISPATCH_FLOATING(in.dtype(), "group_norm", {
    using T = scalar_t;
    const T* x = in.data_as<T>();
    T* y = out.data_as<T>();
    T* mu = mean.data_as<T>();
    T* rs = rstd.data_as<T>();
    const T* w = opt<T>(weight);
    const T* b = opt<T>(bias);
    parallel_for(a.n * groups, grain_for(a.c / groups * a.s),
                 [&](int64_t i0, int64_t i1) { group_norm_groups_run<T>(x, y, mu, rs, w, b, a, i0, i1); });
  });
}

void group_norm_backward(const Tensor& grad_in, const Tensor& grad_weight, const Tensor& grad_bias,
                         const Tensor& grad_out, const Tensor& in, const Tensor& mean, const Tensor& rstd,
                         const Tensor& weight, int64_t groups) {
  const GroupNormArgs a{in.size(0), in.size(1), in.size(2), groups, 0.0};
  LT_DISPATCH_FLOATING(in.dtype(), "group_norm_backward", {
    using T = scalar_t;
    std::vector<double> sg(static_cast<size_t>(a.n * a.c)), sgx(static_cast<size_t>(a.n * a.c));
    const T* mu = mean.data_as<T>();
    const T* rs = rstd.data_as<T>();
    if (a.n > 0 && a.c > 0) {
      const T* g = grad_out.data_as<T>();
      const T* x = in.data_as<T>();
      T* dx = opt_mut<T>(grad_in);
      const T* w = opt<T>(weight);
      parallel_for(a.n * groups, grain_for(a.c / groups * a.s), [&](int64_t i0, int64_t i1) {
        group_norm_backward_groups_run<T>(g, x, dx, mu, rs, w, sg.data(), sgx.data(), a, i0, i1);
      });
    }
    // dw[c] = sum over samples of rstd * sum(g * (x - mean)), db[c] = sum of sum(g).
    T* dw = opt_mut<T>(grad_weight);
    T* db = opt_mut<T>(grad_bias);
    const int64_t cg = a.c / groups;
    for (int64_t c = 0; c < a.c && (dw || db); ++c) {
      double sw = 0, sb = 0;
      for (int64_t i = 0; i < a.n; ++i) {
        const size_t k = static_cast<size_t>(i * a.c + c);
        sw += sgx[k] * static_cast<double>(rs[i * groups + c / cg]);
        sb += sg[k];
      }
      if (dw) dw[c] = static_cast<T>(sw);
      if (db) db[c] = static_cast<T>(sb);
    }
  });
}

void batch_norm_forward(const Tensor& out, const Tensor& save_mean, const Tensor& save_invstd, const Tensor& in,
                        const Tensor& weight, const Tensor& bias, const Tensor& running_mean, const Tensor& running_var,
                        bool training, double momentum, double eps) {
  const BatchNormArgs a{in.size(0), in.size(1), in.size(2), training, momentum, eps};
  if (a.c == 0 || (training && a.n * a.s == 0)) return;
  LT_DISPATCH_FLOATING(in.dtype(), "batch_norm", {
    using T = scalar_t;
    const T* x = in.data_as<T>();
    T* y = out.data_as<T>();
    T* sm = save_mean.data_as<T>();
    T* si = save_invstd.data_as<T>();
    const T* w = opt<T>(weight);
    const T* b = opt<T>(bias);
    T* rm = opt_mut<T>(running_mean);
    T* rv = opt_mut<T>(running_var);
    parallel_for(a.c, grain_for(a.n * a.s),
                 [&](int64_t c0, int64_t c1) { batch_norm_channels_run<T>(x, y, sm, si, w, b, rm, rv, a, c0, c1); });
  });
}

void batch_norm_backward(const Tensor& grad_in, const Tensor& grad_weight, const Tensor& grad_bias,
                         const Tensor& grad_out, const Tensor& in, const Tensor& save_mean, const Tensor& save_invstd,
                         const Tensor& weight, bool training) {
  const BatchNormArgs a{in.size(0), in.size(1), in.size(2), training, 0.0, 0.0};
  if (a.c == 0) return;
  LT_DISPATCH_FLOATING(in.dtype(), "batch_norm_backward", {
    using T = scalar_t;
    const T* g = grad_out.data_as<T>();
    const T* x = in.data_as<T>();
    T* dx = opt_mut<T>(grad_in);
    const T* sm = save_mean.data_as<T>();
    const T* si = save_invstd.data_as<T>();
    const T* w = opt<T>(weight);
    T* dw = opt_mut<T>(grad_weight);
    T* db = opt_mut<T>(grad_bias);
    parallel_for(a.c, grain_for(a.n * a.s), [&](int64_t c0, int64_t c1) {
      batch_norm_backward_channels_run<T>(g, x, dx, sm, si, w, dw, db, a, c0, c1);
    });
  });
}

}  // namespace lt::cpu
