// The pooling kernels' arguments and their window rules (rows pool2d, pool2d_backward of
// LT_BACKEND_KERNELS), shared by both backends so the CPU and CUDA read exactly the same windows.
// Every rule is PyTorch 1.13's (aten/src/ATen/native/cpu/MaxPoolKernel.cpp, AvgPoolKernel.cpp,
// AdaptiveAvgPoolKernel.cpp): the same first element for an all -inf max window, the same divisor for
// avg pools with padding, the same adaptive bounds.
#pragma once
#include <cmath>
#include <cstdint>

#include "core/philox.h"  // LT_HOST_DEVICE

namespace lt {

enum class PoolKind : int32_t { Max = 0, Avg = 1, AdaptiveAvg = 2 };

// One pooling call over `planes` = N * C contiguous (in_h, in_w) planes into (out_h, out_w) planes.
// Adaptive pools use only the sizes; avg pools ignore the dilation (1).
struct Pool2dArgs {
  PoolKind kind = PoolKind::Max;
  int64_t planes = 0;
  int64_t in_h = 0, in_w = 0, out_h = 0, out_w = 0;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  bool count_include_pad = true;
};

// A window's rows [h0, h1) (every dh-th for max pools) and columns [w0, w1), clamped to the input.
struct PoolWindow {
  int64_t h0, h1, w0, w1;
  double divisor;  // avg pools: what the sum is divided by
};

LT_HOST_DEVICE int64_t pool_min(int64_t a, int64_t b) { return a < b ? a : b; }
LT_HOST_DEVICE int64_t pool_max(int64_t a, int64_t b) { return a > b ? a : b; }

// PyTorch's max pool window: the first row is the first non-negative one of the dilated sequence.
LT_HOST_DEVICE PoolWindow max_pool_window(const Pool2dArgs& a, int64_t oh, int64_t ow) {
  PoolWindow w;
  w.h0 = oh * a.sh - a.ph;
  w.w0 = ow * a.sw - a.pw;
  w.h1 = pool_min(w.h0 + (a.kh - 1) * a.dh + 1, a.in_h);
  w.w1 = pool_min(w.w0 + (a.kw - 1) * a.dw + 1, a.in_w);
  while (w.h0 < 0) w.h0 += a.dh;
  while (w.w0 < 0) w.w0 += a.dw;
  w.divisor = 1;
  return w;
}

// PyTorch's avg pool window: the divisor counts the padding inside the window (not beyond it) when
// count_include_pad, only the input elements otherwise.
LT_HOST_DEVICE PoolWindow avg_pool_window(const Pool2dArgs& a, int64_t oh, int64_t ow) {
  PoolWindow w;
  w.h0 = oh * a.sh - a.ph;
  w.w0 = ow * a.sw - a.pw;
  w.h1 = pool_min(w.h0 + a.kh, a.in_h + a.ph);
  w.w1 = pool_min(w.w0 + a.kw, a.in_w + a.pw);
  const int64_t padded = (w.h1 - w.h0) * (w.w1 - w.w0);
  w.h0 = pool_max(w.h0, 0);
  w.w0 = pool_max(w.w0, 0);
  w.h1 = pool_min(w.h1, a.in_h);
  w.w1 = pool_min(w.w1, a.in_w);
  w.divisor = static_cast<double>(a.count_include_pad ? padded : (w.h1 - w.h0) * (w.w1 - w.w0));
  return w;
}

// PyTorch's adaptive window: [floor(i * in / out), ceil((i + 1) * in / out)).
LT_HOST_DEVICE PoolWindow adaptive_pool_window(const Pool2dArgs& a, int64_t oh, int64_t ow) {
  PoolWindow w;
  w.h0 = oh * a.in_h / a.out_h;
  w.h1 = ((oh + 1) * a.in_h + a.out_h - 1) / a.out_h;
  w.w0 = ow * a.in_w / a.out_w;
  w.w1 = ((ow + 1) * a.in_w + a.out_w - 1) / a.out_w;
  w.divisor = static_cast<double>((w.h1 - w.h0) * (w.w1 - w.w0));
  return w;
}

LT_HOST_DEVICE PoolWindow avg_kind_window(const Pool2dArgs& a, int64_t oh, int64_t ow) {
  return a.kind == PoolKind::AdaptiveAvg ? adaptive_pool_window(a, oh, ow) : avg_pool_window(a, oh, ow);
}

// The max of one window as PyTorch picks it: a strictly greater value or any NaN takes over (so the
// first of equal maxima wins, and the last NaN), starting from -inf at the window's first element.
template <typename T>
LT_HOST_DEVICE void max_pool_one(const T* plane, const Pool2dArgs& a, const PoolWindow& w, T* value,
                                 int64_t* index) {
  int64_t best = w.h0 * a.in_w + w.w0;
  T m = -T(INFINITY);
  for (int64_t h = w.h0; h < w.h1; h += a.dh)
    for (int64_t x = w.w0; x < w.w1; x += a.dw) {
      const int64_t i = h * a.in_w + x;
      const T v = plane[i];
      if (v > m || v != v) {
        m = v;
        best = i;
      }
    }
  *value = m;
  *index = best;
}

// The mean of one avg / adaptive window (accumulated in T, as PyTorch's kernels).
template <typename T>
LT_HOST_DEVICE T avg_pool_one(const T* plane, const Pool2dArgs& a, const PoolWindow& w) {
  if (w.h0 >= w.h1 || w.w0 >= w.w1) return T(0);
  T s = T(0);
  for (int64_t h = w.h0; h < w.h1; ++h)
    for (int64_t x = w.w0; x < w.w1; ++x) s += plane[h * a.in_w + x];
  // PyTorch's adaptive kernel divides by the window's height, then its width.
  if (a.kind == PoolKind::AdaptiveAvg) return s / static_cast<T>(w.h1 - w.h0) / static_cast<T>(w.w1 - w.w0);
  return s / static_cast<T>(w.divisor);
}

}  // namespace lt
