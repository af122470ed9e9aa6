// CUDA kernels of the pools (rows pool2d, pool2d_backward of LT_BACKEND_KERNELS; the CPU side is
// src/cpu/pool_kernels.cpp). One thread per output element, running the window rules the CPU runs
// (core/pool_args.h), so both pick the same max (first of equal values, last NaN) and the same divisor.
// Backward: grad_in is cleared, then one thread per grad_out element adds its share with atomicAdd (max
// pools: into the saved index; avg pools: over its window). Atomics, not a scan over the windows that
// cover each input element, because they need no inverse window arithmetic and the 2x2 / 3x3 pools of
// CNNs have at most a few writers per element; the float sum order of overlapping windows is therefore
// not fixed (as PyTorch's CUDA max pool backward).
#include <cuda_runtime.h>

#include <cstdint>

#include "core/pool_args.h"
#include "core/status.h"
#include "cuda/cuda_check.h"
#include "cuda/grid_stride.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

template <typename T>
__global__ void pool_forward_kernel(T* out, int64_t* indices, const T* in, Pool2dArgs a, int64_t total) {
  LT_GRID_LOOP(i, total) {
    const int64_t ow = i % a.out_w, oh = (i / a.out_w) % a.out_h, p = i / (a.out_w * a.out_h);
    const T* plane = in + p * a.in_h * a.in_w;
    if (a.kind == PoolKind::Max) {
      int64_t best;
      max_pool_one(plane, a, max_pool_window(a, oh, ow), out + i, &best);
      if (indices) indices[i] = best;
    } else {
      out[i] = avg_pool_one(plane, a, avg_kind_window(a, oh, ow));
    }
  }
}

template <typename T>
__global__ void pool_backward_kernel(T* grad_in, const T* grad_out, const int64_t* indices, Pool2dArgs a,
                                     int64_t total) {
  LT_GRID_LOOP(i, total) {
    const int64_t ow = i % a.out_w, oh = (i / a.out_w) % a.out_h, p = i / (a.out_w * a.out_h);
    T* plane = grad_in + p * a.in_h * a.in_w;
    const T g = grad_out[i];
    if (a.kind == PoolKind::Max) {
      // An index outside the plane marks a window that held no input element (see pool_kernels.cpp).
      if (static_cast<uint64_t>(indices[i]) < static_cast<uint64_t>(a.in_h * a.in_w)) atomicAdd(plane + indices[i], g);
      continue;
    }
    const PoolWindow w = avg_kind_window(a, oh, ow);
    // PyTorch's share of each window element: adaptive g / kh / kw, avg g / divisor.
    const T d = a.kind == PoolKind::AdaptiveAvg ? g / static_cast<T>(w.h1 - w.h0) / static_cast<T>(w.w1 - w.w0)
                                                : g / static_cast<T>(w.divisor);
    for (int64_t h = w.h0; h < w.h1; ++h)
      for (int64_t x = w.w0; x < w.w1; ++x) atomicAdd(plane + h * a.in_w + x, d);
  }
}

}  // namespace

void pool2d(const Tensor& out, const Tensor& indices, const Tensor& in, const Pool2dArgs& args) {
  const int64_t total = out.numel();
  if (total == 0 || args.planes == 0) return;
  cudaStream_t s = stream(out.device().index);
  int64_t* ix = indices.defined() ? indices.data_as<int64_t>() : nullptr;
  LT_DISPATCH_FLOATING(in.dtype(), "pool2d", {
    pool_forward_kernel<scalar_t><<<grid_blocks(total), kGridThreads, 0, s>>>(
        out.data_as<scalar_t>(), ix, in.data_as<const scalar_t>(), args, total);
  });
  check_launch("pool2d");
}

void pool2d_backward(const Tensor& grad_in, const Tensor& grad_out, const Tensor& indices, const Pool2dArgs& args) {
  if (grad_in.numel() == 0) return;
  cudaStream_t s = stream(grad_in.device().index);
  check(cudaMemsetAsync(grad_in.data(), 0, static_cast<size_t>(grad_in.numel()) * itemsize(grad_in.dtype()), s),
        "pool2d_backward: clearing the grad");
  const int64_t total = grad_out.numel();
  if (total == 0) return;
  const int64_t* ix = indices.defined() ? indices.data_as<const int64_t>() : nullptr;
  LT_DISPATCH_FLOATING(grad_in.dtype(), "pool2d_backward", {
    pool_backward_kernel<scalar_t><<<grid_blocks(total), kGridThreads, 0, s>>>(
        grad_in.data_as<scalar_t>(), grad_out.data_as<const scalar_t>(), ix, args, total);
  });
  check_launch("pool2d_backward");
}

}  // namespace lt::cuda
