// CUDA kernels of the indexing family (rows index_select, gather, scatter, index_add of LT_BACKEND_KERNELS;
// the CPU side is src/cpu/index_kernels.cpp). Operands are contiguous and seen as (A, N, B) around the
// indexed dim; one thread per element of the indexed side. Copies move elements by size (1, 4 or 8
// bytes); accumulation uses atomicAdd (bool: an OR, which every writer performs as the same store).
//
// Note [device index check]: as the class-target check of cuda/nn.cu, an index outside [0, N) must be
// TENSOR_ERR_INDEX naming it, never a device assert. A check kernel runs first and records the first bad
// index it meets in a two-word device buffer (flag, value); the host reads it back at a sync and throws
// before the main kernel runs, so the destination (in place for index_add_) is never written.
#include <cuda_runtime.h>

#include <cstdint>
#include <string>

#include "core/element_bytes.h"
#include "core/shape.h"
#include "core/status.h"
#include "cuda/cuda_check.h"
#include "cuda/grid_stride.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

constexpr int kThreads = kGridThreads;

unsigned blocks_for(int64_t n) { return grid_blocks(n); }

__global__ void check_indices_kernel(const int64_t* __restrict__ ix, int64_t total, int64_t n,
                                     unsigned long long* err) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t v = ix[i];
    if (v < 0 || v >= n) {
      if (atomicCAS(err, 0ull, 1ull) == 0ull) err[1] = static_cast<unsigned long long>(v);
      return;
    }
  }
}

// Note [device index check].
void check_indices(const Tensor& index, int64_t n, int32_t dim, const char* what) {
  const int64_t total = index.numel();
  if (total == 0) return;
  cudaStream_t s = stream(index.device().index);
  Tensor err = make_empty(DimVector{2}, DType::Int64, index.device());
  check(cudaMemsetAsync(err.data(), 0, 2 * sizeof(int64_t), s), "index check: clearing the flag");
  check_indices_kernel<<<blocks_for(total), kThreads, 0, s>>>(index.data_as<int64_t>(), total, n,
                                                              reinterpret_cast<unsigned long long*>(err.data()));
  check_launch(what);
  int64_t host[2] = {0, 0};
  check(cudaMemcpyAsync(host, err.data(), sizeof host, cudaMemcpyDeviceToHost, s), "index check: reading the flag");
  check(cudaStreamSynchronize(s), "index check: synchronising");
  if (host[0] != 0) throw_index_out_of_range(host[1], dim, n);
}

// out (A, K, B) = in (A, N, B) at the middle-dim positions ix[k] (Select: one index per row, as
// index_select) or ix[a, k, b] (gather).
template <typename T, bool Select>
__global__ void gather_kernel(T* __restrict__ out, const T* __restrict__ in, const int64_t* __restrict__ ix,
                              int64_t total, int64_t n, int64_t k, int64_t b) {
  LT_GRID_LOOP(i, total) {
    const int64_t j = i % b, r = i / b, a = r / k;
    out[i] = in[(a * n + ix[Select ? r % k : i]) * b + j];
  }
}

template <typename T>
__global__ void scatter_kernel(T* __restrict__ out, const T* __restrict__ src, const int64_t* __restrict__ ix,
                               int64_t total, int64_t n, int64_t k, int64_t b) {
  LT_GRID_LOOP(i, total) {
    const int64_t j = i % b, a = i / (k * b);
    out[(a * n + ix[i]) * b + j] = src[i];
  }
}

__device__ __forceinline__ void atomic_add(float* p, float v) { atomicAdd(p, v); }
__device__ __forceinline__ void atomic_add(double* p, double v) { atomicAdd(p, v); }
__device__ __forceinline__ void atomic_add(int32_t* p, int32_t v) { atomicAdd(p, v); }
__device__ __forceinline__ void atomic_add(int64_t* p, int64_t v) {
  // Two's complement: the unsigned add wraps exactly as the CPU's wrap_add.
  atomicAdd(reinterpret_cast<unsigned long long*>(p), static_cast<unsigned long long>(v));
}
// bool accumulates as OR: every writer stores the same true, so no atomic is needed.
__device__ __forceinline__ void atomic_add(bool* p, bool v) {
  if (v) *p = true;
}

template <typename T>
__device__ __forceinline__ T scaled(T v, T alpha) {
  if constexpr (sizeof(T) == 1) return v && alpha;
  else return v * alpha;
}

// out (A, N, B) += alpha * src (A, K, B) at the middle-dim positions ix[k] (Select: index_add_) or
// ix[a, k, b] (scatter_add).
template <typename T, bool Select>
__global__ void add_at_kernel(T* out, const T* __restrict__ src, const int64_t* __restrict__ ix, int64_t total,
                              int64_t n, int64_t k, int64_t b, T alpha) {
  LT_GRID_LOOP(i, total) {
    const int64_t j = i % b, r = i / b, a = r / k;
    atomic_add(out + (a * n + ix[Select ? r % k : i]) * b + j, scaled(src[i], alpha));
  }
}

}  // namespace

void index_select(const Tensor& out, const Tensor& in, const Tensor& index, int32_t dim) {
  const DimSplit g = split_at_dim(in.shape(), dim);
  check_indices(index, g.size, dim, "index_select (index check)");
  const int64_t total = out.numel();
  if (total == 0) return;
  cudaStream_t s = stream(out.device().index);
  const int64_t k = index.numel();
  by_element_size(itemsize(in.dtype()), [&](auto tag) {
    using T = typename decltype(tag)::type;
    gather_kernel<T, true><<<blocks_for(total), kThreads, 0, s>>>(out.data_as<T>(),
                                                                  in.data_as<T>(),
                                                                  index.data_as<int64_t>(), total, g.size, k, g.inner);
  });
  check_launch("index_select");
}

void gather(const Tensor& out, const Tensor& in, const Tensor& index, int32_t dim) {
  const int64_t n = in.ndim() == 0 ? 1 : in.size(dim);
  check_indices(index, n, dim, "gather (index check)");
  const int64_t total = out.numel();
  if (total == 0) return;
  const DimSplit g = split_at_dim(index.shape(), dim);
  cudaStream_t s = stream(out.device().index);
  by_element_size(itemsize(in.dtype()), [&](auto tag) {
    using T = typename decltype(tag)::type;
    gather_kernel<T, false><<<blocks_for(total), kThreads, 0, s>>>(out.data_as<T>(),
                                                            in.data_as<T>(),
                                                            index.data_as<int64_t>(), total, n, g.size, g.inner);
  });
  check_launch("gather");
}

void scatter(const Tensor& out, const Tensor& index, const Tensor& src, int32_t dim, bool accumulate) {
  const int64_t n = out.ndim() == 0 ? 1 : out.size(dim);
  check_indices(index, n, dim, accumulate ? "scatter_add (index check)" : "scatter (index check)");
  const int64_t total = index.numel();
  if (total == 0) return;
  const DimSplit g = split_at_dim(index.shape(), dim);
  cudaStream_t s = stream(out.device().index);
  const int64_t* ix = index.data_as<int64_t>();
  if (!accumulate) {
    by_element_size(itemsize(out.dtype()), [&](auto tag) {
      using T = typename decltype(tag)::type;
      scatter_kernel<T><<<blocks_for(total), kThreads, 0, s>>>(out.data_as<T>(),
                                                               src.data_as<T>(), ix, total, n,
                                                               g.size, g.inner);
    });
    check_launch("scatter");
    return;
  }
  LT_DISPATCH_ALL(out.dtype(), "scatter_add", {
    add_at_kernel<scalar_t, false><<<blocks_for(total), kThreads, 0, s>>>(
        out.data_as<scalar_t>(), src.data_as<scalar_t>(), ix, total, n, g.size, g.inner, scalar_t(1));
  });
  check_launch("scatter_add");
}

void index_add(const Tensor& out, const Tensor& index, const Tensor& src, int32_t dim, double alpha) {
  const DimSplit g = split_at_dim(out.shape(), dim);
  check_indices(index, g.size, dim, "index_add_ (index check)");
  const int64_t total = src.numel();
  if (total == 0) return;
  cudaStream_t s = stream(out.device().index);
  const int64_t k = index.numel();
  LT_DISPATCH_ALL(out.dtype(), "index_add_", {
    add_at_kernel<scalar_t, true><<<blocks_for(total), kThreads, 0, s>>>(
        out.data_as<scalar_t>(), src.data_as<scalar_t>(), index.data_as<int64_t>(), total, g.size, k, g.inner,
        static_cast<scalar_t>(alpha));
  });
  check_launch("index_add_");
}

}  // namespace lt::cuda

// ---- nonzero ----
// Note [chunked compaction]: the true elements are written in row-major order in three launches, each
// simple enough to need no scan library: every thread counts the trues of one chunk of kChunk elements;
// one thread turns the counts into offsets (n / kChunk of them: 64k for 16M elements); every thread walks
// its chunk again and writes the coordinates of its trues from its offset on.

namespace lt::cuda {

namespace {

constexpr int64_t kChunk = 256;

struct Shape {
  int64_t size[kMaxNdim];
  int32_t ndim;
};

__global__ void chunk_count_kernel(int64_t* __restrict__ counts, const bool* __restrict__ m, int64_t total,
                                   int64_t chunks) {
  LT_GRID_LOOP(c, chunks) {
    const int64_t end = (c + 1) * kChunk < total ? (c + 1) * kChunk : total;
    int64_t n = 0;
    for (int64_t i = c * kChunk; i < end; ++i) n += m[i];
    counts[c] = n;
  }
}

__global__ void exclusive_scan_kernel(int64_t* counts, int64_t chunks) {
  int64_t run = 0;
  for (int64_t c = 0; c < chunks; ++c) {
    const int64_t v = counts[c];
    counts[c] = run;
    run += v;
  }
}

__global__ void chunk_write_kernel(int64_t* __restrict__ out, const int64_t* __restrict__ offsets,
                                   const bool* __restrict__ m, int64_t total, int64_t chunks, Shape shape) {
  LT_GRID_LOOP(c, chunks) {
    const int64_t end = (c + 1) * kChunk < total ? (c + 1) * kChunk : total;
    int64_t pos = offsets[c];
    for (int64_t i = c * kChunk; i < end; ++i) {
      if (!m[i]) continue;
      int64_t rest = i;
      for (int32_t d = shape.ndim - 1; d >= 0; --d) {
        out[pos * shape.ndim + d] = rest % shape.size[d];
        rest /= shape.size[d];
      }
      ++pos;
    }
  }
}

}  // namespace

void nonzero(const Tensor& out, const Tensor& in) {
  const int64_t total = in.numel();
  if (out.numel() == 0 || total == 0) return;
  cudaStream_t s = stream(in.device().index);
  Shape shape{};
  shape.ndim = in.ndim();
  for (int32_t d = 0; d < in.ndim(); ++d) shape.size[d] = in.size(d);
  const int64_t chunks = (total + kChunk - 1) / kChunk;
  Tensor offsets = make_empty(DimVector{chunks}, DType::Int64, in.device());
  // Note [chunked compaction].
  chunk_count_kernel<<<blocks_for(chunks), kThreads, 0, s>>>(offsets.data_as<int64_t>(), in.data_as<bool>(), total,
                                                              chunks);
  check_launch("nonzero (count)");
  exclusive_scan_kernel<<<1, 1, 0, s>>>(offsets.data_as<int64_t>(), chunks);
  check_launch("nonzero (offsets)");
  chunk_write_kernel<<<blocks_for(chunks), kThreads, 0, s>>>(out.data_as<int64_t>(), offsets.data_as<int64_t>(),
                                                              in.data_as<bool>(), total, chunks, shape);
  check_launch("nonzero (write)");
}

}  // namespace lt::cuda
