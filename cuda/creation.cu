// Creation kernels: arange, linspace and the Philox random fills. Each computes exactly the CPU's
// formula (src/cpu/copy_kernels.cpp) in double with explicitly rounded operations (__dmul_rn and
// __dadd_rn: no fused multiply-add), so both backends give the same values; rand gives bitwise the
// same floats from the same (seed, offset) (Note [random stream layout] in core/philox.h).
#include <cuda_runtime.h>

#include "core/philox.h"
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

// One Philox block per thread: 4 float32 or 2 float64 uniforms.
template <typename T>
__global__ void uniform_kernel(T* out, int64_t n, uint64_t seed, uint64_t offset) {
  constexpr int per = std::is_same<T, float>::value ? 4 : 2;
  const int64_t blk = int64_t(blockIdx.x) * kThreads + threadIdx.x;
  const int64_t first = blk * per;
  if (first >= n) return;
  const PhiloxBlock b = philox4x32_10(seed, offset + static_cast<uint64_t>(blk));
#pragma unroll
  for (int j = 0; j < per; ++j) {
    if (first + j < n) {
      if constexpr (per == 4) out[first + j] = static_cast<float>(b.w[j] >> 8) * (1.0f / 16777216.0f);
      else out[first + j] = u53(b.w[2 * j], b.w[2 * j + 1]);
    }
  }
}

template <typename T>
__global__ void normal_kernel(T* out, int64_t n, uint64_t seed, uint64_t offset) {
  const int64_t i = int64_t(blockIdx.x) * kThreads + threadIdx.x;
  if (i < n) out[i] = static_cast<T>(philox_normal(seed, offset, i));
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

void random_uniform(const Tensor& out, uint64_t seed, uint64_t offset) {
  const int64_t n = out.numel();
  if (n == 0) return;
  cudaStream_t s = stream(out.device().index);
  LT_DISPATCH_FLOATING(out.dtype(), "rand", {
    const int64_t per = std::is_same<scalar_t, float>::value ? 4 : 2;
    uniform_kernel<scalar_t><<<blocks_for((n + per - 1) / per), kThreads, 0, s>>>(out.data_as<scalar_t>(), n, seed, offset);
  });
  check_launch("rand");
}

void random_normal(const Tensor& out, uint64_t seed, uint64_t offset) {
  const int64_t n = out.numel();
  if (n == 0) return;
  cudaStream_t s = stream(out.device().index);
  LT_DISPATCH_FLOATING(out.dtype(), "randn",
                       normal_kernel<scalar_t><<<blocks_for(n), kThreads, 0, s>>>(out.data_as<scalar_t>(), n, seed, offset));
  check_launch("randn");
}

}  // namespace lt::cuda
