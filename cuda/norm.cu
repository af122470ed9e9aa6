// CUDA kernels of the normalisation family (rows layer_norm_*, group_norm_*, batch_norm_* of
// LT_BACKEND_KERNELS; the CPU side is src/cpu/norm_kernels.cpp, whose Note [norm kernels] gives the
// formulas). Operands are contiguous. One block per row (layer_norm), group (group_norm) or channel
// (batch_norm): each thread accumulates shifted sums (x - k, k the segment's first element) in double,
// the block combines them with warp shuffles and one value per warp in shared memory, and the same block
// then writes its segment, so statistics and output come from one launch. The backward of each is one
// launch for dx (and batch_norm's dw, db); the per-column sums of dw, db of layer_norm and group_norm
// (a reduction across rows / samples) are one small second launch.
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>

#include "core/status.h"
#include "cuda/cuda_check.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

// Threads of a segment block: a warp for short segments, up to 512 for long ones.
int seg_threads(int64_t n) {
  int t = 32;
  while (t < 512 && t * 4 < n) t *= 2;
  return t;
}

// Sum of v over the block; every thread gets the result. smem holds 32 doubles.
__device__ double block_sum(double v, double* smem) {
  for (int d = 16; d > 0; d >>= 1) v += __shfl_xor_sync(0xffffffffu, v, d);
  const int warps = blockDim.x / 32;
  if (warps == 1) return v;
  const int lane = threadIdx.x & 31, wid = threadIdx.x >> 5;
  __syncthreads();  // smem may still be read from the previous reduction
  if (lane == 0) smem[wid] = v;
  __syncthreads();
  v = smem[0];
  for (int k = 1; k < warps; ++k) v += smem[k];
  return v;
}

struct DevStats {
  double mean, var, rstd;
};

// Statistics of n elements of a segment reached through at(i), shifted by k.
template <typename T, class At>
__device__ DevStats segment_stats(At at, int64_t n, double k, double eps, double* smem) {
  double s1 = 0, s2 = 0;
  for (int64_t i = threadIdx.x; i < n; i += blockDim.x) {
    const double d = static_cast<double>(at(i)) - k;
    s1 += d;
    s2 += d * d;
  }
  s1 = block_sum(s1, smem);
  s2 = block_sum(s2, smem);
  const double cnt = n > 0 ? static_cast<double>(n) : 1.0;
  const double dm = s1 / cnt;
  const double var = fmax(0.0, s2 / cnt - dm * dm);
  return {k + dm, var, 1.0 / sqrt(var + eps)};
}

// ---- layer norm ----

template <typename T>
__global__ void layer_norm_forward_kernel(const T* __restrict__ x, T* __restrict__ y, T* mean, T* rstd,
                                          const T* __restrict__ w, const T* __restrict__ b, int64_t n, double eps) {
  __shared__ double smem[32];
  const int64_t r = blockIdx.x;
  const T* xr = x + r * n;
  T* yr = y + r * n;
  const DevStats st = segment_stats<T>([=](int64_t i) { return xr[i]; }, n, static_cast<double>(xr[0]), eps, smem);
  if (threadIdx.x == 0) {
    mean[r] = static_cast<T>(st.mean);
    rstd[r] = static_cast<T>(st.rstd);
  }
  const T sc = static_cast<T>(st.rstd), sh = static_cast<T>(-st.mean * st.rstd);
  for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
    T v = xr[j] * sc + sh;
    if (w) v *= w[j];
    if (b) v += b[j];
    yr[j] = v;
  }
}

template <typename T>
__global__ void layer_norm_backward_kernel(const T* __restrict__ g, const T* __restrict__ x, T* __restrict__ dx,
                                           const T* mean, const T* rstd, const T* __restrict__ w, int64_t n) {
  __shared__ double smem[32];
  const int64_t r = blockIdx.x;
  const T* gr = g + r * n;
  const T* xr = x + r * n;
  const T m = mean[r];
  double sa = 0, sb = 0;
  for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
    const T dy = w ? gr[j] * w[j] : gr[j];
    sa += static_cast<double>(dy);
    sb += static_cast<double>(dy * (xr[j] - m));
  }
  sa = block_sum(sa, smem);
  sb = block_sum(sb, smem);
  const double rd = static_cast<double>(rstd[r]);
  const double c2 = -rd * rd * rd * sb / static_cast<double>(n);
  const double c3 = -c2 * static_cast<double>(m) - rd * sa / static_cast<double>(n);
  const T trs = static_cast<T>(rd), tc2 = static_cast<T>(c2), tc3 = static_cast<T>(c3);
  for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
    const T dy = w ? gr[j] * w[j] : gr[j];
    dx[r * n + j] = dy * trs + xr[j] * tc2 + tc3;
  }
}

// dw[j] = sum_r g * (x - mean) * rstd, db[j] = sum_r g: blocks of 32 columns x 8 row lanes.
template <typename T>
__global__ void layer_norm_params_kernel(const T* __restrict__ g, const T* __restrict__ x, const T* mean, const T* rstd,
                                         T* dw, T* db, int64_t m, int64_t n) {
  __shared__ double sw[8][33], sb[8][33];
  const int64_t j = static_cast<int64_t>(blockIdx.x) * 32 + threadIdx.x;
  double aw = 0, ab = 0;
  if (j < n) {
    for (int64_t r = threadIdx.y; r < m; r += 8) {
      const T gv = g[r * n + j];
      aw += static_cast<double>(gv * (x[r * n + j] - mean[r]) * rstd[r]);
      ab += static_cast<double>(gv);
    }
  }
  sw[threadIdx.y][threadIdx.x] = aw;
  sb[threadIdx.y][threadIdx.x] = ab;
  __syncthreads();
  if (threadIdx.y == 0 && j < n) {
    for (int k = 1; k < 8; ++k) {
      aw += sw[k][threadIdx.x];
      ab += sb[k][threadIdx.x];
    }
    if (dw) dw[j] = static_cast<T>(aw);
    if (db) db[j] = static_cast<T>(ab);
  }
}

// ---- group norm ----

template <typename T>
__global__ void group_norm_forward_kernel(const T* __restrict__ x, T* __restrict__ y, T* mean, T* rstd,
                                          const T* __restrict__ w, const T* __restrict__ b, int64_t groups, int64_t cg,
                                          int64_t s, double eps) {
  __shared__ double smem[32];
  const int64_t i = blockIdx.x, d = cg * s, c0 = (i % groups) * cg;
  const T* xg = x + i * d;
  T* yg = y + i * d;
  const double k = d > 0 ? static_cast<double>(xg[0]) : 0.0;
  const DevStats st = segment_stats<T>([=](int64_t e) { return xg[e]; }, d, k, eps, smem);
  if (threadIdx.x == 0) {
    mean[i] = static_cast<T>(st.mean);
    rstd[i] = static_cast<T>(st.rstd);
  }
  for (int64_t e = threadIdx.x; e < d; e += blockDim.x) {
    const int64_t c = c0 + e / s;
    const double wc = w ? static_cast<double>(w[c]) : 1.0, bc = b ? static_cast<double>(b[c]) : 0.0;
    const double sc = st.rstd * wc;
    yg[e] = static_cast<T>(static_cast<double>(xg[e]) * sc + (bc - st.mean * sc));
  }
}

// One block per (sample, group): per-channel sums into sg, sgx (N * C doubles) and dx when wanted.
template <typename T>
__global__ void group_norm_backward_kernel(const T* __restrict__ g, const T* __restrict__ x, T* dx, const T* mean,
                                           const T* rstd, const T* __restrict__ w, double* sg, double* sgx,
                                           int64_t groups, int64_t c, int64_t cg, int64_t s) {
  __shared__ double smem[32];
  const int64_t i = blockIdx.x, d = cg * s, c0 = (i % groups) * cg, nc0 = (i / groups) * c + c0;
  const T m = mean[i];
  double sa = 0, sb = 0;
  for (int64_t cc = 0; cc < cg; ++cc) {
    double s1 = 0, s2 = 0;
    const T* gc = g + i * d + cc * s;
    const T* xc = x + i * d + cc * s;
    for (int64_t e = threadIdx.x; e < s; e += blockDim.x) {
      s1 += static_cast<double>(gc[e]);
      s2 += static_cast<double>(gc[e] * (xc[e] - m));
    }
    s1 = block_sum(s1, smem);
    s2 = block_sum(s2, smem);
    if (threadIdx.x == 0) {
      sg[nc0 + cc] = s1;
      sgx[nc0 + cc] = s2;
    }
    const double wc = w ? static_cast<double>(w[c0 + cc]) : 1.0;
    sa += wc * s1;
    sb += wc * s2;
  }
  if (!dx) return;
  const double rd = static_cast<double>(rstd[i]), inv_d = 1.0 / static_cast<double>(d > 0 ? d : 1);
  const double c2 = -rd * rd * rd * sb * inv_d;
  const double c3 = -c2 * static_cast<double>(m) - rd * sa * inv_d;
  for (int64_t e = threadIdx.x; e < d; e += blockDim.x) {
    const double wc = w ? static_cast<double>(w[c0 + e / s]) : 1.0;
    dx[i * d + e] =
        static_cast<T>(static_cast<double>(g[i * d + e]) * wc * rd + static_cast<double>(x[i * d + e]) * c2 + c3);
  }
}

// dw[c] = sum_n sgx * rstd, db[c] = sum_n sg: one thread per channel.
template <typename T>
__global__ void group_norm_params_kernel(const double* sg, const double* sgx, const T* rstd, T* dw, T* db, int64_t n,
                                         int64_t c, int64_t groups) {
  const int64_t ch = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (ch >= c) return;
  const int64_t cg = c / groups;
  double aw = 0, ab = 0;
  for (int64_t i = 0; i < n; ++i) {
    aw += sgx[i * c + ch] * static_cast<double>(rstd[i * groups + ch / cg]);
    ab += sg[i * c + ch];
  }
  if (dw) dw[ch] = static_cast<T>(aw);
  if (db) db[ch] = static_cast<T>(ab);
}

// ---- batch norm ----

template <typename T>
__global__ void batch_norm_forward_kernel(const T* __restrict__ x, T* __restrict__ y, T* save_mean, T* save_invstd,
                                          const T* __restrict__ w, const T* __restrict__ b, T* run_mean, T* run_var,
                                          int64_t n, int64_t c, int64_t s, bool training, double momentum, double eps) {
  __shared__ double smem[32];
  const int64_t ch = blockIdx.x, count = n * s;
  auto off = [=](int64_t e) { return (e / s) * c * s + ch * s + e % s; };
  double mean, invstd;
  if (training) {
    const DevStats st =
        segment_stats<T>([=](int64_t e) { return x[off(e)]; }, count, static_cast<double>(x[ch * s]), eps, smem);
    mean = st.mean;
    invstd = st.rstd;
    if (threadIdx.x == 0) {
      // PyTorch's update and order of operations.
      if (run_mean) run_mean[ch] = static_cast<T>(momentum * mean + (1 - momentum) * static_cast<double>(run_mean[ch]));
      if (run_var) {
        const double unbiased = st.var * static_cast<double>(count) / static_cast<double>(count - 1);
        run_var[ch] = static_cast<T>(momentum * unbiased + (1 - momentum) * static_cast<double>(run_var[ch]));
      }
    }
  } else {
    mean = static_cast<double>(run_mean[ch]);
    invstd = 1.0 / sqrt(static_cast<double>(run_var[ch]) + eps);
  }
  if (threadIdx.x == 0) {
    save_mean[ch] = static_cast<T>(mean);
    save_invstd[ch] = static_cast<T>(invstd);
  }
  const double wc = w ? static_cast<double>(w[ch]) : 1.0, bc = b ? static_cast<double>(b[ch]) : 0.0;
  const T sc = static_cast<T>(invstd * wc), sh = static_cast<T>(bc - mean * invstd * wc);
  for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
    const int64_t o = off(e);
    y[o] = x[o] * sc + sh;
  }
}

template <typename T>
__global__ void batch_norm_backward_kernel(const T* __restrict__ g, const T* __restrict__ x, T* dx, const T* mean,
                                           const T* invstd, const T* __restrict__ w, T* dw, T* db, int64_t n, int64_t c,
                                           int64_t s, bool training) {
  __shared__ double smem[32];
  const int64_t ch = blockIdx.x, count = n * s;
  auto off = [=](int64_t e) { return (e / s) * c * s + ch * s + e % s; };
  const T m = mean[ch];
  double sg = 0, sgx = 0;
  for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
    const int64_t o = off(e);
    sg += static_cast<double>(g[o]);
    sgx += static_cast<double>(g[o] * (x[o] - m));
  }
  sg = block_sum(sg, smem);
  sgx = block_sum(sgx, smem);
  const double rd = static_cast<double>(invstd[ch]);
  if (threadIdx.x == 0) {
    if (dw) dw[ch] = static_cast<T>(sgx * rd);
    if (db) db[ch] = static_cast<T>(sg);
  }
  if (!dx) return;
  const double wc = w ? static_cast<double>(w[ch]) : 1.0, cnt = static_cast<double>(count > 0 ? count : 1);
  double c2 = 0, c3 = 0;
  if (training) {
    c2 = -rd * rd * rd * wc * sgx / cnt;
    c3 = -c2 * static_cast<double>(m) - rd * wc * sg / cnt;
  }
  const T ta = static_cast<T>(wc * rd), tb = static_cast<T>(c2), tc = static_cast<T>(c3);
  for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
    const int64_t o = off(e);
    dx[o] = g[o] * ta + x[o] * tb + tc;
  }
}

template <typename T>
const T* opt(const Tensor& t) {
  return t.defined() ? t.data_as<T>() : nullptr;
}
template <typename T>
T* opt_mut(const Tensor& t) {
  return t.defined() ? t.data_as<T>() : nullptr;
}

}  // namespace

void layer_norm_forward(const Tensor& out, const Tensor& mean, const Tensor& rstd, const Tensor& in,
                        const Tensor& weight, const Tensor& bias, double eps) {
  const int64_t m = in.size(0), n = in.size(1);
  if (m == 0 || n == 0) return;
  cudaStream_t s = stream(in.device().index);
  LT_DISPATCH_FLOATING(in.dtype(), "layer_norm", {
    using T = scalar_t;
    layer_norm_forward_kernel<T><<<static_cast<unsigned>(m), seg_threads(n), 0, s>>>(
        in.data_as<T>(), out.data_as<T>(), mean.data_as<T>(), rstd.data_as<T>(), opt<T>(weight), opt<T>(bias), n, eps);
  });
  check_launch("layer_norm");
}

void layer_norm_backward(const Tensor& grad_in, const Tensor& grad_weight, const Tensor& grad_bias,
                         const Tensor& grad_out, const Tensor& in, const Tensor& mean, const Tensor& rstd,
                         const Tensor& weight) {
  const int64_t m = in.size(0), n = in.size(1);
  if (n == 0) return;
  cudaStream_t s = stream(in.device().index);
  LT_DISPATCH_FLOATING(in.dtype(), "layer_norm_backward", {
    using T = scalar_t;
    if (grad_in.defined() && m > 0)
      layer_norm_backward_kernel<T><<<static_cast<unsigned>(m), seg_threads(n), 0, s>>>(
          grad_out.data_as<T>(), in.data_as<T>(), grad_in.data_as<T>(), mean.data_as<T>(), rstd.data_as<T>(),
          opt<T>(weight), n);
    if (grad_weight.defined() || grad_bias.defined())
      layer_norm_params_kernel<T><<<static_cast<unsigned>((n + 31) / 32), dim3(32, 8), 0, s>>>(
          grad_out.data_as<T>(), in.data_as<T>(), mean.data_as<T>(), rstd.data_as<T>(), opt_mut<T>(grad_weight),
          opt_mut<T>(grad_bias), m, n);
  });
  check_launch("layer_norm_backward");
}

void group_norm_forward(const Tensor& out, const Tensor& mean, const Tensor& rstd, const Tensor& in,
                        const Tensor& weight, const Tensor& bias, int64_t groups, double eps) {
  const int64_t n = in.size(0), c = in.size(1), sp = in.size(2);
  if (n == 0 || c == 0) return;
  cudaStream_t s = stream(in.device().index);
  LT_DISPATCH_FLOATING(in.dtype(), "group_norm", {
    using T = scalar_t;
    group_norm_forward_kernel<T><<<static_cast<unsigned>(n * groups), seg_threads(c / groups * sp), 0, s>>>(
        in.data_as<T>(), out.data_as<T>(), mean.data_as<T>(), rstd.data_as<T>(), opt<T>(weight), opt<T>(bias), groups,
        c / groups, sp, eps);
  });
  check_launch("group_norm");
}

void group_norm_backward(const Tensor& grad_in, const Tensor& grad_weight, const Tensor& grad_bias,
                         const Tensor& grad_out, const Tensor& in, const Tensor& mean, const Tensor& rstd,
                         const Tensor& weight, int64_t groups) {
  const int64_t n = in.size(0), c = in.size(1), sp = in.size(2);
  if (c == 0) return;
  cudaStream_t s = stream(in.device().index);
  // Per (sample, channel) sums, read by the parameter kernel (zeros when there is no sample).
  Tensor sums = make_empty(DimVector{2, std::max<int64_t>(n, 1) * c}, DType::Float64, in.device());
  if (n == 0)
    check(cudaMemsetAsync(sums.data(), 0, static_cast<size_t>(2 * c) * sizeof(double), s), "group_norm_backward");
  double* sg = sums.data_as<double>();
  double* sgx = sg + std::max<int64_t>(n, 1) * c;
  LT_DISPATCH_FLOATING(in.dtype(), "group_norm_backward", {
    using T = scalar_t;
    if (n > 0)
      group_norm_backward_kernel<T><<<static_cast<unsigned>(n * groups), seg_threads(sp), 0, s>>>(
          grad_out.data_as<T>(), in.data_as<T>(), opt_mut<T>(grad_in), mean.data_as<T>(), rstd.data_as<T>(),
          opt<T>(weight), sg, sgx, groups, c, c / groups, sp);
    if (grad_weight.defined() || grad_bias.defined())
      group_norm_params_kernel<T><<<static_cast<unsigned>((c + 255) / 256), 256, 0, s>>>(
          sg, sgx, n > 0 ? rstd.data_as<T>() : nullptr, opt_mut<T>(grad_weight), opt_mut<T>(grad_bias), n, c, groups);
  });
  check_launch("group_norm_backward");
}

void batch_norm_forward(const Tensor& out, const Tensor& save_mean, const Tensor& save_invstd, const Tensor& in,
                        const Tensor& weight, const Tensor& bias, const Tensor& running_mean, const Tensor& running_var,
                        bool training, double momentum, double eps) {
  const int64_t n = in.size(0), c = in.size(1), sp = in.size(2);
  if (c == 0 || (training && n * sp == 0)) return;
  cudaStream_t s = stream(in.device().index);
  LT_DISPATCH_FLOATING(in.dtype(), "batch_norm", {
    using T = scalar_t;
    batch_norm_forward_kernel<T><<<static_cast<unsigned>(c), seg_threads(n * sp), 0, s>>>(
        in.data_as<T>(), out.data_as<T>(), save_mean.data_as<T>(), save_invstd.data_as<T>(), opt<T>(weight),
        opt<T>(bias), opt_mut<T>(running_mean), opt_mut<T>(running_var), n, c, sp, training, momentum, eps);
  });
  check_launch("batch_norm");
}

void batch_norm_backward(const Tensor& grad_in, const Tensor& grad_weight, const Tensor& grad_bias,
                         const Tensor& grad_out, const Tensor& in, const Tensor& save_mean, const Tensor& save_invstd,
                         const Tensor& weight, bool training) {
  const int64_t n = in.size(0), c = in.size(1), sp = in.size(2);
  if (c == 0) return;
  cudaStream_t s = stream(in.device().index);
  LT_DISPATCH_FLOATING(in.dtype(), "batch_norm_backward", {
    using T = scalar_t;
    batch_norm_backward_kernel<T><<<static_cast<unsigned>(c), seg_threads(n * sp), 0, s>>>(
        grad_out.data_as<T>(), in.data_as<T>(), opt_mut<T>(grad_in), save_mean.data_as<T>(), save_invstd.data_as<T>(),
        opt<T>(weight), opt_mut<T>(grad_weight), opt_mut<T>(grad_bias), n, c, sp, training);
  });
  check_launch("batch_norm_backward");
}

}  // namespace lt::cuda
