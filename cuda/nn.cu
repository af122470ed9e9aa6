// CUDA kernels of the softmax family and the class-index losses (rows softmax, softmax_backward,
// nll_forward, nll_backward of LT_BACKEND_KERNELS; the CPU side is src/cpu/nn_kernels.cpp). Operands are
// contiguous and seen as (outer, C, inner) around the reduced dim. inner == 1 runs one block per row
// (warp shuffles, then one value per warp through shared memory); inner > 1 one thread per column, the
// columns of a warp adjacent in memory. Sums accumulate in the element type (float32 as PyTorch's CUDA
// softmax).
//
// Note [device target check]: an out-of-range class target must become TENSOR_ERR_INDEX naming the value,
// never a device assert (which would kill the context). The forward kernel records the first offending
// target it meets in a two-word device buffer (flag, value); nll_forward copies it back on the stream and
// synchronises, then throws Error(Index). The backward runs only after a successful forward, so it needs
// no check.
#include <cuda_runtime.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/shape.h"
#include "core/status.h"
#include "cuda/cuda_check.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {


constexpr int kThreads = 256;

unsigned blocks_for(int64_t n) { return static_cast<unsigned>((n + kThreads - 1) / kThreads); }

// Threads of a row block: a warp for short rows, up to 512 for long ones.
int row_threads(int64_t c) {
  int t = 32;
  while (t < 512 && t * 4 < c) t *= 2;
  return t;
}

template <typename T>
__device__ __forceinline__ T nan_max(T a, T b) {
  return (b > a || b != b) ? b : a;  // a NaN once in `a` stays (b > NaN is false)
}

struct MaxOp {
  template <typename T>
  __device__ T operator()(T a, T b) const {
    return (a != a || b != b) ? (a != a ? a : b) : (a > b ? a : b);
  }
};
struct SumOp {
  template <typename T>
  __device__ T operator()(T a, T b) const {
    return a + b;
  }
};

// Reduces v over the block; every thread gets the result. smem holds 32 values.
template <typename T, class Op>
__device__ T block_all_reduce(T v, Op op, T* smem) {
  for (int d = 16; d > 0; d >>= 1) v = op(v, __shfl_xor_sync(0xffffffffu, v, d));
  const int warps = blockDim.x / 32;
  if (warps == 1) return v;
  const int lane = threadIdx.x & 31, wid = threadIdx.x >> 5;
  __syncthreads();  // smem may still be read from the previous reduction
  if (lane == 0) smem[wid] = v;
  __syncthreads();
  v = smem[0];
  for (int k = 1; k < warps; ++k) v = op(v, smem[k]);
  return v;
}

template <typename T>
__device__ __forceinline__ T dexp(T x) {
  return exp(x);
}
template <>
__device__ __forceinline__ float dexp<float>(float x) {
  return expf(x);
}
template <typename T>
__device__ __forceinline__ T dlog(T x) {
  return log(x);
}
template <>
__device__ __forceinline__ float dlog<float>(float x) {
  return logf(x);
}

template <typename T>
__global__ void softmax_rows_kernel(T* __restrict__ y, const T* __restrict__ x, int64_t c, bool log) {
  __shared__ T smem[32];
  const T* xr = x + int64_t(blockIdx.x) * c;
  T* yr = y + int64_t(blockIdx.x) * c;
  T m = -INFINITY;
  for (int64_t i = threadIdx.x; i < c; i += blockDim.x) m = nan_max(m, xr[i]);
  m = block_all_reduce(m, MaxOp{}, smem);
  T s = 0;
  for (int64_t i = threadIdx.x; i < c; i += blockDim.x) s += dexp(xr[i] - m);
  s = block_all_reduce(s, SumOp{}, smem);
  if (log) {
    const T ls = dlog(s);
    for (int64_t i = threadIdx.x; i < c; i += blockDim.x) yr[i] = (xr[i] - m) - ls;
  } else {
    const T inv = T(1) / s;
    for (int64_t i = threadIdx.x; i < c; i += blockDim.x) yr[i] = dexp(xr[i] - m) * inv;
  }
}

template <typename T>
__global__ void softmax_cols_kernel(T* __restrict__ y, const T* __restrict__ x, int64_t outer, int64_t c,
                                    int64_t inner, bool log) {
  const int64_t col = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (col >= outer * inner) return;
  const int64_t o = col / inner, j = col % inner;
  const T* xc = x + o * c * inner + j;
  T* yc = y + o * c * inner + j;
  T m = -INFINITY;
  for (int64_t k = 0; k < c; ++k) m = nan_max(m, xc[k * inner]);
  T s = 0;
  for (int64_t k = 0; k < c; ++k) s += dexp(xc[k * inner] - m);
  if (log) {
    const T ls = dlog(s);
    for (int64_t k = 0; k < c; ++k) yc[k * inner] = (xc[k * inner] - m) - ls;
  } else {
    const T inv = T(1) / s;
    for (int64_t k = 0; k < c; ++k) yc[k * inner] = dexp(xc[k * inner] - m) * inv;
  }
}

template <typename T>
__global__ void softmax_backward_rows_kernel(T* __restrict__ gi, const T* __restrict__ go, const T* __restrict__ y,
                                             int64_t c, bool log) {
  __shared__ T smem[32];
  const int64_t base = int64_t(blockIdx.x) * c;
  T s = 0;
  for (int64_t i = threadIdx.x; i < c; i += blockDim.x) s += log ? go[base + i] : go[base + i] * y[base + i];
  s = block_all_reduce(s, SumOp{}, smem);
  for (int64_t i = threadIdx.x; i < c; i += blockDim.x) {
    const T g = go[base + i], v = y[base + i];
    gi[base + i] = log ? g - dexp(v) * s : v * (g - s);
  }
}

template <typename T>
__global__ void softmax_backward_cols_kernel(T* __restrict__ gi, const T* __restrict__ go, const T* __restrict__ y,
                                             int64_t outer, int64_t c, int64_t inner, bool log) {
  const int64_t col = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (col >= outer * inner) return;
  const int64_t base = (col / inner) * c * inner + col % inner;
  T s = 0;
  for (int64_t k = 0; k < c; ++k) {
    const int64_t p = base + k * inner;
    s += log ? go[p] : go[p] * y[p];
  }
  for (int64_t k = 0; k < c; ++k) {
    const int64_t p = base + k * inner;
    gi[p] = log ? go[p] - dexp(y[p]) * s : y[p] * (go[p] - s);
  }
}

__device__ __forceinline__ bool bad_target(int64_t t, int64_t c, int64_t ignore_index, unsigned long long* err) {
  if (t == ignore_index || (t >= 0 && t < c)) return false;
  if (atomicCAS(err, 0ull, 1ull) == 0ull) err[1] = static_cast<unsigned long long>(t);
  return true;
}

// One block per sample (inner == 1, from logits).
template <typename T>
__global__ void ce_rows_kernel(T* __restrict__ loss, T* __restrict__ used, T* __restrict__ lse, const T* __restrict__ x,
                               const int64_t* __restrict__ target, const T* __restrict__ w, int64_t c,
                               int64_t ignore_index, T smoothing, unsigned long long* err) {
  __shared__ T smem[32];
  const int64_t i = blockIdx.x;
  const T* xr = x + i * c;
  const int64_t t = target[i];
  T m = -INFINITY;
  for (int64_t k = threadIdx.x; k < c; k += blockDim.x) m = nan_max(m, xr[k]);
  m = block_all_reduce(m, MaxOp{}, smem);
  T s = 0, wx = 0, ws = 0;
  for (int64_t k = threadIdx.x; k < c; k += blockDim.x) {
    s += dexp(xr[k] - m);
    if (smoothing != T(0)) {
      const T wk = w ? w[k] : T(1);
      wx += wk * xr[k];
      ws += wk;
    }
  }
  s = block_all_reduce(s, SumOp{}, smem);
  if (smoothing != T(0)) {
    wx = block_all_reduce(wx, SumOp{}, smem);
    ws = block_all_reduce(ws, SumOp{}, smem);
  }
  if (threadIdx.x != 0) return;
  const T l = m + dlog(s);
  lse[i] = l;
  if (t == ignore_index || bad_target(t, c, ignore_index, err)) {
    loss[i] = 0;
    used[i] = 0;
    return;
  }
  const T wt = w ? w[t] : T(1);
  T r = (T(1) - smoothing) * wt * (l - xr[t]);
  if (smoothing != T(0)) r += smoothing / static_cast<T>(c) * (l * ws - wx);
  loss[i] = r;
  used[i] = wt;
}

// One thread per sample (inner > 1, or log-probabilities in).
template <typename T>
__global__ void nll_samples_kernel(T* __restrict__ loss, T* __restrict__ used, T* __restrict__ lse,
                                   const T* __restrict__ x, const int64_t* __restrict__ target, const T* __restrict__ w,
                                   int64_t samples, int64_t c, int64_t inner, int64_t ignore_index, T smoothing,
                                   bool from_logits, unsigned long long* err) {
  const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= samples) return;
  const T* row = x + (i / inner) * c * inner + i % inner;
  const int64_t t = target[i];
  const bool skip = t == ignore_index || bad_target(t, c, ignore_index, err);
  if (!from_logits) {
    const T wt = skip ? T(0) : (w ? w[t] : T(1));
    loss[i] = skip ? T(0) : -wt * row[t * inner];
    used[i] = wt;
    return;
  }
  T m = -INFINITY;
  for (int64_t k = 0; k < c; ++k) m = nan_max(m, row[k * inner]);
  T s = 0, wx = 0, ws = 0;
  for (int64_t k = 0; k < c; ++k) {
    const T v = row[k * inner];
    s += dexp(v - m);
    const T wk = w ? w[k] : T(1);
    wx += wk * v;
    ws += wk;
  }
  const T l = m + dlog(s);
  lse[i] = l;
  if (skip) {
    loss[i] = 0;
    used[i] = 0;
    return;
  }
  const T wt = w ? w[t] : T(1);
  T r = (T(1) - smoothing) * wt * (l - row[t * inner]);
  if (smoothing != T(0)) r += smoothing / static_cast<T>(c) * (l * ws - wx);
  loss[i] = r;
  used[i] = wt;
}

// W = sum of the class weights (C when there are none), one block.
template <typename T>
__global__ void weight_sum_kernel(T* out, const T* w, int64_t c) {
  __shared__ T smem[32];
  T s = 0;
  for (int64_t k = threadIdx.x; k < c; k += blockDim.x) s += w ? w[k] : T(1);
  s = block_all_reduce(s, SumOp{}, smem);
  if (threadIdx.x == 0) *out = s;
}

// One thread per element of grad_input.
template <typename T>
__global__ void nll_backward_kernel(T* __restrict__ gi, const T* __restrict__ gl, const T* __restrict__ x,
                                    const T* __restrict__ lse, const int64_t* __restrict__ target,
                                    const T* __restrict__ w, const T* __restrict__ wsum, int64_t total, int64_t c,
                                    int64_t inner, int64_t ignore_index, T smoothing, bool from_logits) {
  const int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (e >= total) return;
  const int64_t j = e % inner, k = (e / inner) % c, nn = e / (inner * c);
  const int64_t i = nn * inner + j;
  const int64_t t = target[i];
  if (t == ignore_index) {
    gi[e] = 0;
    return;
  }
  const T g = gl[i];
  const T wt = w ? w[t] : T(1);
  if (!from_logits) {
    gi[e] = k == t ? -g * wt : T(0);
    return;
  }
  const T a = g * (T(1) - smoothing) * wt;
  const T b = g * smoothing / static_cast<T>(c);
  const T p = dexp(x[e] - lse[i]);
  T r = (a + b * *wsum) * p - b * (w ? w[k] : T(1));
  if (k == t) r -= a;
  gi[e] = r;
}

}  // namespace

void softmax(const Tensor& out, const Tensor& in, int32_t dim, bool log) {
  const DimSplit g = split_at_dim(in.shape(), dim);
  if (in.numel() == 0) return;
  cudaStream_t s = stream(out.device().index);
  LT_DISPATCH_FLOATING(in.dtype(), "softmax", {
    if (g.inner == 1)
      softmax_rows_kernel<scalar_t><<<static_cast<unsigned>(g.outer), row_threads(g.size), 0, s>>>(
          out.data_as<scalar_t>(), in.data_as<scalar_t>(), g.size, log);
    else
      softmax_cols_kernel<scalar_t><<<blocks_for(g.outer * g.inner), kThreads, 0, s>>>(
          out.data_as<scalar_t>(), in.data_as<scalar_t>(), g.outer, g.size, g.inner, log);
  });
  check_launch(log ? "log_softmax" : "softmax");
}

void softmax_backward(const Tensor& grad_in, const Tensor& grad_out, const Tensor& out, int32_t dim, bool log) {
  const DimSplit g = split_at_dim(out.shape(), dim);
  if (out.numel() == 0) return;
  cudaStream_t s = stream(out.device().index);
  LT_DISPATCH_FLOATING(out.dtype(), "softmax_backward", {
    if (g.inner == 1)
      softmax_backward_rows_kernel<scalar_t><<<static_cast<unsigned>(g.outer), row_threads(g.size), 0, s>>>(
          grad_in.data_as<scalar_t>(), grad_out.data_as<scalar_t>(), out.data_as<scalar_t>(), g.size, log);
    else
      softmax_backward_cols_kernel<scalar_t><<<blocks_for(g.outer * g.inner), kThreads, 0, s>>>(
          grad_in.data_as<scalar_t>(), grad_out.data_as<scalar_t>(), out.data_as<scalar_t>(), g.outer, g.size, g.inner,
          log);
  });
  check_launch(log ? "log_softmax_backward" : "softmax_backward");
}

void nll_forward(const Tensor& loss, const Tensor& used_weight, const Tensor& lse, const Tensor& input,
                 const Tensor& target, const Tensor& class_weight, int64_t ignore_index, double smoothing,
                 bool from_logits) {
  const int64_t n = input.size(0), c = input.size(1), inner = input.size(2);
  const int64_t samples = n * inner;
  if (samples == 0) return;
  const int32_t dev = input.device().index;
  cudaStream_t s = stream(dev);
  // Note [device target check].
  Tensor err = make_empty(DimVector{2}, DType::Int64, input.device());
  check(cudaMemsetAsync(err.data(), 0, 2 * sizeof(int64_t), s), "nll_loss: clearing the target check");
  auto* err_p = reinterpret_cast<unsigned long long*>(err.data());
  LT_DISPATCH_FLOATING(input.dtype(), "nll_loss", {
    const scalar_t* w = class_weight.defined() ? class_weight.data_as<scalar_t>() : nullptr;
    scalar_t* lse_p = from_logits ? lse.data_as<scalar_t>() : nullptr;
    if (from_logits && inner == 1)
      ce_rows_kernel<scalar_t><<<static_cast<unsigned>(samples), row_threads(c), 0, s>>>(
          loss.data_as<scalar_t>(), used_weight.data_as<scalar_t>(), lse_p, input.data_as<scalar_t>(),
          target.data_as<int64_t>(), w, c, ignore_index, static_cast<scalar_t>(smoothing), err_p);
    else
      nll_samples_kernel<scalar_t><<<blocks_for(samples), kThreads, 0, s>>>(
          loss.data_as<scalar_t>(), used_weight.data_as<scalar_t>(), lse_p, input.data_as<scalar_t>(),
          target.data_as<int64_t>(), w, samples, c, inner, ignore_index, static_cast<scalar_t>(smoothing),
          from_logits, err_p);
  });
  check_launch(from_logits ? "cross_entropy" : "nll_loss");
  int64_t host[2] = {0, 0};
  check(cudaMemcpyAsync(host, err.data(), sizeof host, cudaMemcpyDeviceToHost, s), "nll_loss: reading the target check");
  check(cudaStreamSynchronize(s), "nll_loss: synchronising for the target check");
  if (host[0] != 0)
    throw_error(Status::Index, "target " + std::to_string(host[1]) + " is out of bounds (expected a class index in [0, " +
                                   std::to_string(c) + ") or ignore_index " + std::to_string(ignore_index) + ")");
}

void nll_backward(const Tensor& grad_input, const Tensor& grad_loss, const Tensor& input, const Tensor& lse,
                  const Tensor& target, const Tensor& class_weight, int64_t ignore_index, double smoothing,
                  bool from_logits) {
  const int64_t c = input.size(1), inner = input.size(2);
  const int64_t total = input.numel();
  if (total == 0) return;
  cudaStream_t s = stream(input.device().index);
  LT_DISPATCH_FLOATING(input.dtype(), "nll_loss_backward", {
    const scalar_t* w = class_weight.defined() ? class_weight.data_as<scalar_t>() : nullptr;
    Tensor wsum = make_empty(DimVector{1}, input.dtype(), input.device());
    weight_sum_kernel<scalar_t><<<1, kThreads, 0, s>>>(wsum.data_as<scalar_t>(), w, c);
    check_launch("nll_loss_backward (weight sum)");
    nll_backward_kernel<scalar_t><<<blocks_for(total), kThreads, 0, s>>>(
        grad_input.data_as<scalar_t>(), grad_loss.data_as<scalar_t>(), input.data_as<scalar_t>(),
        from_logits ? lse.data_as<scalar_t>() : nullptr, target.data_as<int64_t>(), w, wsum.data_as<scalar_t>(),
        total, c, inner, ignore_index, static_cast<scalar_t>(smoothing), from_logits);
  });
  check_launch(from_logits ? "cross_entropy_backward" : "nll_loss_backward");
}

}  // namespace lt::cuda
