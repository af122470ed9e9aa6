// CPU kernels of the pools (rows pool2d, pool2d_backward of LT_BACKEND_KERNELS; the CUDA side is
// cuda/pool.cu). Operands are contiguous stacks of P = N * C planes; the planes are shared among the
// threads (parallel_for), each plane done whole by one thread so its output and grad stay in its cache.
// The windows and the per-window rules are core/pool_args.h, the same code CUDA runs. One fast path:
// the 2x2 stride-2 max pool without padding or dilation (LeNet/ResNet's pool), written branch-free over a
// row so the compiler vectorises it; it picks exactly what the generic rule picks (first of equal maxima,
// last NaN).
#include <algorithm>
#include <cstring>

#include "core/parallel.h"
#include "core/pool_args.h"
#include "core/status.h"
#include "cpu/kernels.h"

namespace lt::cpu {

namespace {

// Calls f(plane) for each plane, planes split among the threads.
template <typename F>
void for_each_plane(int64_t planes, int64_t plane_elems, F&& f) {
  const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(plane_elems, 1));
  parallel_for(planes, grain, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) f(p);
  });
}

bool is_max_2x2(const Pool2dArgs& a) {
  return a.kh == 2 && a.kw == 2 && a.sh == 2 && a.sw == 2 && a.ph == 0 && a.pw == 0 && a.dh == 1 && a.dw == 1 &&
         2 * a.out_h <= a.in_h && 2 * a.out_w <= a.in_w;
}

// One output row of the 2x2 stride-2 max pool: candidates in PyTorch's scan order (r0[0], r0[1], r1[0],
// r1[1]), each taking over when greater or NaN. `base` is the plane index of r0[0] of the row.
// The winner is kept as a 32-bit code (its place in the window), not as an int64 index: float compares
// and 32-bit selects vectorise together, int64 ones beside floats do not (the int64 version ran
// branchy and scalar, 30x slower than the pool without indices). A second loop widens the codes.
template <typename T, bool kIndices>
void max_2x2_row(const T* r0, const T* r1, T* out, int64_t* idx, int64_t ow, int64_t in_w, int64_t base) {
  constexpr int64_t kChunk = 256;
  int32_t code[kChunk];
  for (int64_t j0 = 0; j0 < ow; j0 += kChunk) {
    const int64_t n = std::min(kChunk, ow - j0);
    const T* a0 = r0 + 2 * j0;
    const T* a1 = r1 + 2 * j0;
    for (int64_t j = 0; j < n; ++j) {
      T m = a0[2 * j];
      int32_t c = 0;
      const T b = a0[2 * j + 1], d = a1[2 * j], e = a1[2 * j + 1];
      bool take = (b > m) | (b != b);
      m = take ? b : m;
      c = take ? 1 : c;
      take = (d > m) | (d != d);
      m = take ? d : m;
      c = take ? 2 : c;
      take = (e > m) | (e != e);
      m = take ? e : m;
      c = take ? 3 : c;
      out[j0 + j] = m;
      if (kIndices) code[j] = c;
    }
    if (kIndices) {
      const int64_t first = base + 2 * j0;
      for (int64_t j = 0; j < n; ++j)
        idx[j0 + j] = first + 2 * j + (code[j] & 1) + static_cast<int64_t>(code[j] >> 1) * in_w;
    }
  }
}

template <typename T>
void pool_forward(const Tensor& out, const Tensor& indices, const Tensor& in, const Pool2dArgs& a) {
  const T* x = in.data_as<const T>();
  T* y = out.data_as<T>();
  int64_t* ix = indices.defined() ? indices.data_as<int64_t>() : nullptr;
  const int64_t in_plane = a.in_h * a.in_w, out_plane = a.out_h * a.out_w;
  const bool fast = a.kind == PoolKind::Max && is_max_2x2(a);
  for_each_plane(a.planes, in_plane + out_plane, [&](int64_t p) {
    const T* xp = x + p * in_plane;
    T* yp = y + p * out_plane;
    int64_t* ip = ix ? ix + p * out_plane : nullptr;
    if (fast) {
      for (int64_t oh = 0; oh < a.out_h; ++oh) {
        const T* r0 = xp + 2 * oh * a.in_w;
        if (ip)
          max_2x2_row<T, true>(r0, r0 + a.in_w, yp + oh * a.out_w, ip + oh * a.out_w, a.out_w, a.in_w,
                               2 * oh * a.in_w);
        else
          max_2x2_row<T, false>(r0, r0 + a.in_w, yp + oh * a.out_w, nullptr, a.out_w, a.in_w, 2 * oh * a.in_w);
      }
      return;
    }
    for (int64_t oh = 0; oh < a.out_h; ++oh)
      for (int64_t ow = 0; ow < a.out_w; ++ow) {
        const int64_t o = oh * a.out_w + ow;
        if (a.kind == PoolKind::Max) {
          int64_t best;
          max_pool_one(xp, a, max_pool_window(a, oh, ow), yp + o, &best);
          if (ip) ip[o] = best;
        } else {
          yp[o] = avg_pool_one(xp, a, avg_kind_window(a, oh, ow));
        }
      }
  });
}

template <typename T>
void pool_backward(const Tensor& grad_in, const Tensor& grad_out, const Tensor& indices, const Pool2dArgs& a) {
  T* gi = grad_in.data_as<T>();
  const T* go = grad_out.data_as<const T>();
  const int64_t* ix = indices.defined() ? indices.data_as<const int64_t>() : nullptr;
  const int64_t in_plane = a.in_h * a.in_w, out_plane = a.out_h * a.out_w;
  for_each_plane(a.planes, in_plane + out_plane, [&](int64_t p) {
    T* gp = gi + p * in_plane;
    const T* gop = go + p * out_plane;
    std::memset(static_cast<void*>(gp), 0, static_cast<size_t>(in_plane) * sizeof(T));
    if (a.kind == PoolKind::Max) {
      const int64_t* ip = ix + p * out_plane;
      // A window holding no input element (dilation with padding can make one) has PyTorch's index
      // of its first row / column, outside the plane: it read nothing, so its grad is dropped (PyTorch
      // adds it out of bounds).
      for (int64_t o = 0; o < out_plane; ++o)
        if (static_cast<uint64_t>(ip[o]) < static_cast<uint64_t>(in_plane)) gp[ip[o]] += gop[o];
      return;
    }
    for (int64_t oh = 0; oh < a.out_h; ++oh)
      for (int64_t ow = 0; ow < a.out_w; ++ow) {
        const PoolWindow w = avg_kind_window(a, oh, ow);
        const T g = gop[oh * a.out_w + ow];
        // PyTorch's share of each window element: adaptive g / kh / kw, avg g / divisor.
        const T d = a.kind == PoolKind::AdaptiveAvg
                        ? g / static_cast<T>(w.h1 - w.h0) / static_cast<T>(w.w1 - w.w0)
                        : g / static_cast<T>(w.divisor);
        for (int64_t h = w.h0; h < w.h1; ++h)
          for (int64_t x = w.w0; x < w.w1; ++x) gp[h * a.in_w + x] += d;
      }
  });
}

}  // namespace

void pool2d(const Tensor& out, const Tensor& indices, const Tensor& in, const Pool2dArgs& args) {
  if (out.numel() == 0) return;
  LT_DISPATCH_FLOATING(in.dtype(), "pool2d", { pool_forward<scalar_t>(out, indices, in, args); });
}

void pool2d_backward(const Tensor& grad_in, const Tensor& grad_out, const Tensor& indices, const Pool2dArgs& args) {
  if (grad_in.numel() == 0) return;
  LT_DISPATCH_FLOATING(grad_in.dtype(), "pool2d_backward",
                       { pool_backward<scalar_t>(grad_in, grad_out, indices, args); });
}

}  // namespace lt::cpu
