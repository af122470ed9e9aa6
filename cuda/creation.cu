// Creation kernels: arange and linspace. Each computes exactly the CPU's formula
// (src/cpu/creation_kernels.cpp) in double with explicitly rounded operations (__dmul_rn and __dadd_rn:
// no fused multiply-add), so both backends give the same values.
#include <cuda_runtime.h>

#include "cuda/cuda_check.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

constexpr int kThreads = 256;

unsigned blocks_for(int64_t n) { return static_cast<unsigned>((n + kThreads - 1) / kThreads); }

template <typename T>
__global__ void arange_kernel(T* out, int64_t n, double start, double step) {
  const int64_t i = int64_t(blockIdx.x) * kThreads + threadIdx.x;
  if (i < n) out[i] = static_cast<T>(__dadd_rn(start, __dmul_rn(static_cast<double>(i), step)));
}

template <typename T>
__global__ void linspace_kernel(T* out, int64_t n, double start, double end, double step) {
  const int64_t i = int64_t(blockIdx.x) * kThreads + threadIdx.x;
  if (i >= n) return;
  const double v = i < n / 2 ? __dadd_rn(start, __dmul_rn(step, static_cast<double>(i)))
                             : __dsub_rn(end, __dmul_rn(step, static_cast<double>(n - 1 - i)));
  out[i] = static_cast<T>(v);
}

}  // namespace

void arange(const Tensor& out, double start, double step) {
  const int64_t n = out.numel();
  if (n == 0) return;
  cudaStream_t s = stream(out.device().index);
  LT_DISPATCH_NUMERIC(out.dtype(), "arange",
                      arange_kernel<scalar_t><<<blocks_for(n), kThreads, 0, s>>>(out.data_as<scalar_t>(), n, start, step));
  check_launch("arange");
}

void linspace(const Tensor& out, double start, double end) {
  const int64_t n = out.numel();
  if (n == 0) return;
  const double step = n > 1 ? (end - start) / static_cast<double>(n - 1) : 0.0;
  cudaStream_t s = stream(out.device().index);
  LT_DISPATCH_NUMERIC(out.dtype(), "linspace",
                      linspace_kernel<scalar_t><<<blocks_for(n), kThreads, 0, s>>>(out.data_as<scalar_t>(), n, start, end, step));
  check_launch("linspace");
}

}  // namespace lt::cuda
