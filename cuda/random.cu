// The Philox random fills (rand, randn): bitwise the same floats as the CPU (src/cpu/random_kernels.cpp)
// from the same (seed, offset) (Note [random stream layout] in core/philox.h).
#include <cuda_runtime.h>

#include <cub/device/device_radix_sort.cuh>

#include <cmath>
#include <type_traits>

#include "core/philox.h"
#include "core/shape.h"
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

// ---- the random family (Note [random stream layout] in core/philox.h): the same values as the CPU's
// src/cpu/random_kernels.cpp, element by element (multinomial without replacement up to the device log).

namespace {

#define LT_GRID_LOOP(i, total) \
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < (total); i += int64_t(gridDim.x) * blockDim.x)

unsigned grid_for(int64_t n) {
  const int64_t b = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 65535 * 8 ? b : 65535 * 8);
}

__global__ void randint_kernel(int64_t* out, int64_t n, int64_t low, uint64_t range, uint64_t seed, uint64_t offset) {
  LT_GRID_LOOP(i, n) out[i] = philox_randint(seed, offset, i, low, range);
}

__global__ void perm_keys_kernel(uint64_t* keys, int64_t* index, int64_t n, uint64_t seed, uint64_t offset) {
  LT_GRID_LOOP(i, n) {
    keys[i] = philox_u64(seed, offset, i);
    index[i] = i;
  }
}

template <typename T, typename P>
__global__ void bernoulli_kernel(T* out, const P* probs, double p, int64_t n, uint64_t seed, uint64_t offset) {
  LT_GRID_LOOP(i, n) {
    const double pi = probs ? static_cast<double>(probs[i]) : p;
    out[i] = static_cast<T>(philox_uniform_f64(seed, offset, i) < pi ? 1 : 0);
  }
}

// One thread per row; work (R, C) float64 scratch: the running sums (with replacement) or the keys.
template <typename P>
__global__ void multinomial_kernel(int64_t* out, const P* w, double* work, int64_t R, int64_t C, int64_t S,
                                   bool replacement, uint64_t seed, uint64_t offset) {
  LT_GRID_LOOP(r, R) {
    const P* wr = w + r * C;
    double* k = work + r * C;
    int64_t* o = out + r * S;
    if (replacement) {
      double total = 0;
      int64_t last_positive = 0;
      for (int64_t c = 0; c < C; ++c) {
        total += static_cast<double>(wr[c]);
        k[c] = total;
        if (wr[c] > 0) last_positive = c;
      }
      for (int64_t s = 0; s < S; ++s) {
        const double target = philox_uniform_f64(seed, offset, r * S + s) * total;
        int64_t lo = 0, hi = C;  // first c with k[c] > target (std::upper_bound)
        while (lo < hi) {
          const int64_t mid = lo + (hi - lo) / 2;
          if (k[mid] > target) hi = mid;
          else lo = mid + 1;
        }
        o[s] = lo < C ? lo : last_positive;
      }
    } else {
      for (int64_t c = 0; c < C; ++c) {
        const double u = philox_uniform_f64(seed, offset, r * C + c);
        const double wc = static_cast<double>(wr[c]);
        k[c] = wc > 0 ? -log1p(-u) / wc : INFINITY;
      }
      // The S smallest (key, c) in increasing order: each pass takes the least pair above the last taken.
      double last_key = -1.0;
      int64_t last_c = -1;
      for (int64_t s = 0; s < S; ++s) {
        double best_key = INFINITY;
        int64_t best_c = -1;
        for (int64_t c = 0; c < C; ++c) {
          const bool after = k[c] > last_key || (k[c] == last_key && c > last_c);
          const bool before = best_c < 0 || k[c] < best_key || (k[c] == best_key && c < best_c);
          if (after && before) {
            best_key = k[c];
            best_c = c;
          }
        }
        o[s] = best_c;
        last_key = best_key;
        last_c = best_c;
      }
    }
  }
}

}  // namespace

void random_int(const Tensor& out, int64_t low, uint64_t range, uint64_t seed, uint64_t offset) {
  const int64_t n = out.numel();
  if (n == 0) return;
  cudaStream_t s = stream(out.device().index);
  randint_kernel<<<grid_for(n), kThreads, 0, s>>>(out.data_as<int64_t>(), n, low, range, seed, offset);
  check_launch("randint");
}

// Note [device randperm]: keys and iota, then CUB's radix sort of the pairs on all 64 key bits. CUB's
// radix sort is stable, so equal keys keep index order, the CPU's (key, index) order.
void random_perm(const Tensor& out, uint64_t seed, uint64_t offset) {
  const int64_t n = out.numel();
  if (n == 0) return;
  const Device dev = out.device();
  cudaStream_t s = stream(dev.index);
  Tensor keys_in = make_empty(DimVector{n}, DType::Int64, dev), keys_out = make_empty(DimVector{n}, DType::Int64, dev);
  Tensor index_in = make_empty(DimVector{n}, DType::Int64, dev);
  uint64_t* kin = reinterpret_cast<uint64_t*>(keys_in.data());
  uint64_t* kout = reinterpret_cast<uint64_t*>(keys_out.data());
  perm_keys_kernel<<<grid_for(n), kThreads, 0, s>>>(kin, index_in.data_as<int64_t>(), n, seed, offset);
  check_launch("randperm");
  size_t bytes = 0;
  check(cub::DeviceRadixSort::SortPairs(nullptr, bytes, kin, kout, index_in.data_as<int64_t>(),
                                        out.data_as<int64_t>(), n, 0, 64, s),
        "randperm: sizing the radix sort");
  Tensor temp = make_empty(DimVector{static_cast<int64_t>(bytes) + 1}, DType::Bool, dev);
  check(cub::DeviceRadixSort::SortPairs(temp.data(), bytes, kin, kout, index_in.data_as<int64_t>(),
                                        out.data_as<int64_t>(), n, 0, 64, s),
        "randperm: radix sort");
  check_launch("randperm");
}

void random_bernoulli(const Tensor& out, const Tensor& probs, double p, uint64_t seed, uint64_t offset) {
  const int64_t n = out.numel();
  if (n == 0) return;
  // Probabilities are read as float32 or float64; the ops layer widens float16/bfloat16 ones.
  LT_CHECK(!probs.defined() || probs.dtype() == DType::Float32 || probs.dtype() == DType::Float64, Status::Internal,
           "bernoulli kernel: probabilities of dtype " << dtype_name(probs.dtype()));
  cudaStream_t s = stream(out.device().index);
  const unsigned grid = grid_for(n);
  LT_DISPATCH_ALL(out.dtype(), "bernoulli", {
    scalar_t* o = out.data_as<scalar_t>();
    if (!probs.defined())
      bernoulli_kernel<scalar_t, double><<<grid, kThreads, 0, s>>>(o, nullptr, p, n, seed, offset);
    else if (probs.dtype() == DType::Float32)
      bernoulli_kernel<<<grid, kThreads, 0, s>>>(o, probs.data_as<float>(), p, n, seed, offset);
    else
      bernoulli_kernel<<<grid, kThreads, 0, s>>>(o, probs.data_as<double>(), p, n, seed, offset);
  });
  check_launch("bernoulli");
}

void random_multinomial(const Tensor& out, const Tensor& probs, bool replacement, uint64_t seed, uint64_t offset) {
  const int64_t R = out.size(0), S = out.size(1), C = probs.size(1);
  if (R == 0 || S == 0) return;
  cudaStream_t s = stream(out.device().index);
  Tensor work = make_empty(DimVector{R, C}, DType::Float64, out.device());
  LT_DISPATCH_FLOATING(probs.dtype(), "multinomial",
                       multinomial_kernel<scalar_t><<<grid_for(R), kThreads, 0, s>>>(
                           out.data_as<int64_t>(), probs.data_as<scalar_t>(), work.data_as<double>(), R, C, S,
                           replacement, seed, offset));
  check_launch("multinomial");
}

}  // namespace lt::cuda
