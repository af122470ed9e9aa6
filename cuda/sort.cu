// CUDA kernels of the sort family (rows sort, topk of LT_BACKEND_KERNELS; the CPU side is
// src/cpu/sort_kernels.cpp). Note [CUDA sort]: every line of the (A, N, B) input becomes one segment of
// a (A * B, N) array of unsigned keys (Note [sort keys] in core/sort_keys.h: NaN last, -0.0 = +0.0,
// descending as the complemented key) with the positions 0..N-1 as values; CUB sorts the pairs (one
// segment: cub::DeviceRadixSort; several: cub::DeviceSegmentedSort::StableSortPairs), both stable, so
// equal elements keep their order, descending too. A last kernel writes the first k sorted positions of
// each line as the indices and reads the values from the input at them (the elements themselves, never
// decoded keys). topk is this sort and its first k (ties: the lowest indices first; always sorted).
#include <cuda_runtime.h>

#include <cstdint>
#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_segmented_sort.cuh>

#include "core/shape.h"
#include "core/sort_keys.h"
#include "core/status.h"
#include "cuda/cuda_check.h"
#include "cuda/grid_stride.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

// keys[l * n + j] = the directed key of in[a, j, b] (l = a * inner + b), pos[l * n + j] = j.
template <typename T>
__global__ void make_keys_kernel(SortKey<T>* keys, int64_t* pos, const T* in, int64_t total, int64_t n, int64_t inner,
                                 bool descending) {
  LT_GRID_LOOP(i, total) {
    const int64_t l = i / n, j = i % n, a = l / inner, b = l % inner;
    keys[i] = directed_sort_key(in[(a * n + j) * inner + b], descending);
    pos[i] = j;
  }
}

__global__ void offsets_kernel(int64_t* off, int64_t count, int64_t n) {
  LT_GRID_LOOP(i, count) off[i] = i * n;
}

// values / indices (A, k, B) from the first k sorted positions of each line.
template <typename T>
__global__ void write_kernel(T* values, int64_t* indices, const int64_t* sorted, const T* in, int64_t total, int64_t n,
                             int64_t k, int64_t inner) {
  LT_GRID_LOOP(i, total) {
    const int64_t a = i / (k * inner), r = i % (k * inner), j = r / inner, b = r % inner;
    const int64_t src = sorted[(a * inner + b) * n + j];
    if (indices) indices[i] = src;
    if (values) values[i] = in[(a * n + src) * inner + b];
  }
}

// Scratch of `count` elements of type E on the operand's device (from the caching allocator).
template <typename E>
E* scratch(Tensor& holder, int64_t count, Device device) {
  static_assert(sizeof(E) == 1 || sizeof(E) == 4 || sizeof(E) == 8, "scratch element size");
  const DType dt = sizeof(E) == 1 ? DType::Bool : sizeof(E) == 4 ? DType::Int32 : DType::Int64;
  holder = make_empty(DimVector{count > 0 ? count : 1}, dt, device);
  return reinterpret_cast<E*>(holder.data());
}

template <typename T>
void sort_lines(const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim, bool descending,
                int64_t k) {
  using K = SortKey<T>;
  const DimSplit g = split_at_dim(in.shape(), dim);
  const int64_t lines = g.outer * g.inner, n = g.size, total = lines * n;
  const Device dev = in.device();
  cudaStream_t s = stream(dev.index);
  Tensor hk[2], hp[2], hoff, htmp;
  K* keys_in = scratch<K>(hk[0], total, dev);
  K* keys_out = scratch<K>(hk[1], total, dev);
  int64_t* pos_in = scratch<int64_t>(hp[0], total, dev);
  int64_t* pos_out = scratch<int64_t>(hp[1], total, dev);
  make_keys_kernel<T><<<grid_blocks(total), kGridThreads, 0, s>>>(keys_in, pos_in, in.data_as<T>(), total, n, g.inner,
                                                              descending);
  check_launch("sort: keys");
  size_t bytes = 0;
  if (lines == 1) {
    check(cub::DeviceRadixSort::SortPairs(nullptr, bytes, keys_in, keys_out, pos_in, pos_out, total, 0,
                                          int(sizeof(K) * 8), s),
          "sort: cub::DeviceRadixSort (sizing)");
    void* tmp = scratch<unsigned char>(htmp, static_cast<int64_t>(bytes), dev);
    check(cub::DeviceRadixSort::SortPairs(tmp, bytes, keys_in, keys_out, pos_in, pos_out, total, 0,
                                          int(sizeof(K) * 8), s),
          "sort: cub::DeviceRadixSort");
  } else {
    int64_t* off = scratch<int64_t>(hoff, lines + 1, dev);
    offsets_kernel<<<grid_blocks(lines + 1), kGridThreads, 0, s>>>(off, lines + 1, n);
    check_launch("sort: segment offsets");
    check(cub::DeviceSegmentedSort::StableSortPairs(nullptr, bytes, keys_in, keys_out, pos_in, pos_out, total, lines,
                                                    off, off + 1, s),
          "sort: cub::DeviceSegmentedSort (sizing)");
    void* tmp = scratch<unsigned char>(htmp, static_cast<int64_t>(bytes), dev);
    check(cub::DeviceSegmentedSort::StableSortPairs(tmp, bytes, keys_in, keys_out, pos_in, pos_out, total, lines, off,
                                                    off + 1, s),
          "sort: cub::DeviceSegmentedSort");
  }
  const int64_t out_total = g.outer * k * g.inner;
  write_kernel<T><<<grid_blocks(out_total), kGridThreads, 0, s>>>(
      values.defined() ? values.data_as<T>() : nullptr, indices.defined() ? indices.data_as<int64_t>() : nullptr,
      pos_out, in.data_as<T>(), out_total, n, k, g.inner);
  check_launch("sort: results");
}

}  // namespace

void sort(const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim, bool descending) {
  if (in.numel() == 0) return;
  const int64_t n = split_at_dim(in.shape(), dim).size;
  LT_DISPATCH_ALL(in.dtype(), "sort", { sort_lines<scalar_t>(values, indices, in, dim, descending, n); });
}

void topk(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t k, int32_t dim, bool largest,
          bool /*sorted: always*/) {
  if (values.numel() == 0) return;
  LT_DISPATCH_ALL(in.dtype(), "topk", { sort_lines<scalar_t>(values, indices, in, dim, largest, k); });
}

}  // namespace lt::cuda
