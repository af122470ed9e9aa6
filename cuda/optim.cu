// CUDA kernels of the optimizers (rows sgd_step, adam_step of LT_BACKEND_KERNELS; the CPU side is
// src/cpu/optim_kernels.cpp). One fused kernel per parameter: a thread per element (grid-stride) reads the
// parameter, its grad and its state once and writes them once, with the element formulas of
// core/optim_math.h (the CPU's), resolved to template flags on the host. The step count and the bias
// corrections arrive as kernel arguments (computed on the host in double, as torch's non-capturable path).
#include <cuda_runtime.h>

#include "core/optim_math.h"
#include "core/status.h"
#include "cuda/cuda_check.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

constexpr int kThreads = 256;

unsigned blocks_for(int64_t n) {
  const int64_t b = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 65535 * 32 ? b : 65535 * 32);  // grid-stride loops cover the rest
}

template <class F, typename T>
__global__ void sgd_kernel(T* __restrict__ p, const T* __restrict__ g, T* __restrict__ buf, int64_t n,
                           SgdScalars<T> s) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    T b = F::momentum && !F::first ? buf[i] : T(0);
    p[i] = sgd_element<F>(p[i], g[i], b, s);
    if (F::momentum) buf[i] = b;
  }
}

template <class F, typename T>
__global__ void adam_kernel(T* __restrict__ p, const T* __restrict__ g, T* __restrict__ m, T* __restrict__ v,
                            T* __restrict__ vmax, int64_t n, AdamScalars<T> s) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    T mi = m[i], vi = v[i];
    T vm = F::amsgrad ? vmax[i] : T(0);
    p[i] = adam_element<F>(p[i], g[i], mi, vi, vm, s);
    m[i] = mi;
    v[i] = vi;
    if (F::amsgrad) vmax[i] = vm;
  }
}

}  // namespace

void sgd_step(const Tensor& param, const Tensor& grad, const Tensor& buf, const SgdStepArgs& args) {
  const int64_t n = param.numel();
  if (n == 0) return;
  cudaStream_t st = stream(param.device().index);
  LT_DISPATCH_FLOATING(param.dtype(), "sgd_step", {
    using T = scalar_t;
    const SgdScalars<T> s(args);
    dispatch_sgd_flags(args, [&](auto flags) {
      using F = decltype(flags);
      sgd_kernel<F, T><<<blocks_for(n), kThreads, 0, st>>>(param.data_as<T>(), grad.data_as<T>(), optional_data<T>(buf),
                                                          n, s);
    });
  });
  check_launch("sgd_step");
}

void adam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
               const Tensor& max_exp_avg_sq, const AdamStepArgs& args) {
  const int64_t n = param.numel();
  if (n == 0) return;
  cudaStream_t st = stream(param.device().index);
  LT_DISPATCH_FLOATING(param.dtype(), "adam_step", {
    using T = scalar_t;
    const AdamScalars<T> s(args);
    dispatch_adam_flags(args, [&](auto flags) {
      using F = decltype(flags);
      adam_kernel<F, T><<<blocks_for(n), kThreads, 0, st>>>(param.data_as<T>(), grad.data_as<T>(),
                                                           exp_avg.data_as<T>(), exp_avg_sq.data_as<T>(),
                                                           optional_data<T>(max_exp_avg_sq), n, s);
    });
  });
  check_launch("adam_step");
}

}  // namespace lt::cuda
