// The Philox random fills (rand, randn): bitwise the same floats as the CPU (src/cpu/random_kernels.cpp)
// from the same (seed, offset) (Note [random stream layout] in core/philox.h).
#include <cuda_runtime.h>

#include <type_traits>

#include "core/philox.h"
#include "cuda/cuda_check.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

constexpr int kThreads = 256;

unsigned blocks_for(int64_t n) { return static_cast<unsigned>((n + kThreads - 1) / kThreads); }

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
