// The reduction kernel template (Note [reduction launch plan] in cuda/reduce_launch.h) and its launcher.
//
// A reducer R gives the element and state types and four operations:
//   using in_t, acc_t;      acc_t identity() const;     acc_t combine(acc_t, acc_t) const;
//   template <int N, int VW> void accumulate(acc_t&, const in_t* v, int64_t first, int64_t step) const;
//     (N elements; element n has reduced index first + (n / VW) * step + n % VW: VW-element vectors,
//     `step` indices apart)
//   void store(const ReduceArgs&, int64_t out_offset, const acc_t&) const;
// accumulate() sees a batch of loaded elements at once, which lets var/std use a two-pass formula over
// the registers (Note [single-pass moments] in reduce_moments.cu). combine() must not depend on the order
// of its arguments beyond what the reducer documents (arg reductions break ties by index), so that the
// result does not depend on the thread mapping.
#pragma once
#include <cuda_runtime.h>

#include <cstring>

#include "cuda/caching_allocator.h"
#include "cuda/cuda_check.h"
#include "cuda/reduce_families.h"
#include "cuda/reduce_launch.h"
#include "cuda/runtime.h"

namespace lt::cuda {

template <typename T, int W>
struct alignas(sizeof(T) * W) ReduceVec {
  T v[W];
};

template <typename T>
__device__ __forceinline__ T shfl_down_any(const T& v, int delta, int width) {
  constexpr int N = (sizeof(T) + 3) / 4;
  uint32_t w[N] = {};
  memcpy(w, &v, sizeof(T));
#pragma unroll
  for (int i = 0; i < N; ++i) w[i] = __shfl_down_sync(0xffffffffu, w[i], delta, width);
  T r;
  memcpy(&r, w, sizeof(T));
  return r;
}

// Reads another block's partial state around L1 (L1 is not coherent between blocks).
template <typename T>
__device__ __forceinline__ T load_cg(const T* p) {
  constexpr int N = (sizeof(T) + 3) / 4;
  static_assert(sizeof(T) % 4 == 0 || N == 1, "partial states are whole 32-bit words");
  if constexpr (sizeof(T) % 4 == 0) {
    uint32_t w[N];
    const unsigned int* q = reinterpret_cast<const unsigned int*>(p);
#pragma unroll
    for (int i = 0; i < N; ++i) w[i] = __ldcg(q + i);
    T r;
    memcpy(&r, w, sizeof(T));
    return r;
  } else {
    return *reinterpret_cast<const volatile T*>(p);
  }
}

template <typename V>
__device__ __forceinline__ void store_as(int32_t dtype, char* base, int64_t off, V v) {
  switch (static_cast<DType>(dtype)) {
    case DType::Float32: reinterpret_cast<float*>(base)[off] = static_cast<float>(v); break;
    case DType::Float64: reinterpret_cast<double*>(base)[off] = static_cast<double>(v); break;
    case DType::Int32: reinterpret_cast<int32_t*>(base)[off] = static_cast<int32_t>(v); break;
    case DType::Int64: reinterpret_cast<int64_t*>(base)[off] = static_cast<int64_t>(v); break;
    default: reinterpret_cast<bool*>(base)[off] = v != V(0); break;
  }
}

// Combines the states of threads that share threadIdx.y (red_x); the result is valid at threadIdx.x 0.
template <class R>
__device__ typename R::acc_t block_reduce_x(const R& r, typename R::acc_t acc, typename R::acc_t* smem) {
  const int bx = blockDim.x;
  const int width = bx < 32 ? bx : 32;
  for (int off = width / 2; off > 0; off >>= 1) acc = r.combine(acc, shfl_down_any(acc, off, width));
  if (bx > 32) {
    const int nw = bx / 32, warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    __syncthreads();
    if (lane == 0) smem[threadIdx.y * nw + warp] = acc;
    __syncthreads();
    if (warp == 0) {
      acc = lane < nw ? smem[threadIdx.y * nw + lane] : r.identity();
      for (int off = 16; off > 0; off >>= 1) acc = r.combine(acc, shfl_down_any(acc, off, 32));
    }
    __syncthreads();
  }
  return acc;
}

// Combines the states of threads that share threadIdx.x (out_x); the result is valid at threadIdx.y 0.
template <class R>
__device__ typename R::acc_t block_reduce_y(const R& r, typename R::acc_t acc, typename R::acc_t* smem) {
  const int bx = blockDim.x, by = blockDim.y, tx = threadIdx.x, ty = threadIdx.y;
  if (by == 1) return acc;
  smem[ty * bx + tx] = acc;
  __syncthreads();
  for (int s = by / 2; s > 0; s >>= 1) {
    if (ty < s) {
      acc = r.combine(acc, smem[(ty + s) * bx + tx]);
      smem[ty * bx + tx] = acc;
    }
    __syncthreads();
  }
  return acc;
}

template <typename T, int W>
__device__ __forceinline__ void load_vec(T* dst, const T* src) {
  const ReduceVec<T, W> v = *reinterpret_cast<const ReduceVec<T, W>*>(src);
#pragma unroll
  for (int j = 0; j < W; ++j) dst[j] = v.v[j];
}

__device__ __forceinline__ int64_t red_offset(const ReduceArgs& a, int64_t i) {
  int64_t off[1];
  a.red_calc.get(i, a.red32, off);
  return off[0];
}

// Returns true in the one block (per blockIdx.x) that arrives last, after every partial is visible.
__device__ __forceinline__ bool arrive_last(const ReduceArgs& a) {
  __shared__ bool is_last;
  __threadfence();
  __syncthreads();
  if (threadIdx.x == 0 && threadIdx.y == 0) is_last = atomicAdd(&a.sem[blockIdx.x], 1) == int(gridDim.y) - 1;
  __syncthreads();
  if (is_last) __threadfence();
  return is_last;
}

template <class R, int W>
__global__ void __launch_bounds__(kReduceMaxThreads, kReduceMinBlocks) reduce_red_x_kernel(R r, ReduceArgs a) {
  using in_t = typename R::in_t;
  using acc_t = typename R::acc_t;
  constexpr int U = kReduceUnroll;
  extern __shared__ __align__(16) unsigned char smem_raw[];
  acc_t* smem = reinterpret_cast<acc_t*>(smem_raw);
  const int tx = threadIdx.x, bx = blockDim.x;
  const ThreadWork work =
      red_x_work(blockDim.x, blockDim.y, gridDim.y, blockIdx.x, blockIdx.y, threadIdx.x, threadIdx.y, a.n_red_v);
  const int64_t o = work.out;
  const bool active = o < a.n_out_v;
  int64_t offs[2] = {0, 0};
  acc_t acc = r.identity();
  if (active) {
    a.out_calc.get(o, a.out32, offs);
    const in_t* base = reinterpret_cast<const in_t*>(a.in) + offs[0];
    const int64_t step = work.step;
    int64_t i = work.first;
    for (; i + (U - 1) * step < a.n_red_v; i += U * step) {
      in_t v[U * W];
#pragma unroll
      for (int u = 0; u < U; ++u) load_vec<in_t, W>(v + u * W, base + red_offset(a, i + u * step));
      r.template accumulate<U * W, W>(acc, v, i * W, step * W);
    }
    for (; i < a.n_red_v; i += step) {
      in_t v[W];
      load_vec<in_t, W>(v, base + red_offset(a, i));
      r.template accumulate<W, W>(acc, v, i * W, 0);
    }
  }
  acc = block_reduce_x(r, acc, smem);
  if (gridDim.y == 1) {
    if (tx == 0 && active) r.store(a, offs[1], acc);
    return;
  }
  acc_t* partials = static_cast<acc_t*>(a.partials);
  if (tx == 0 && active) partials[o * gridDim.y + blockIdx.y] = acc;
  if (!arrive_last(a)) return;
  acc = r.identity();
  if (active)
    for (int64_t j = tx; j < int64_t(gridDim.y); j += bx) acc = r.combine(acc, load_cg(partials + o * gridDim.y + j));
  acc = block_reduce_x(r, acc, smem);
  if (tx == 0 && active) r.store(a, offs[1], acc);
  if (tx == 0 && threadIdx.y == 0) a.sem[blockIdx.x] = 0;
}

// The out_x kernel's compile-time shape (the kReduceOutX* defaults; bench/gpu/tune_reduce.cu times
// others): U rows of W elements in flight per thread, MinBlocks resident per multiprocessor (the
// register cap), Pipelined: the next U rows are loaded before the current ones are combined, Streaming:
// loads marked evict-first (the data is read once).
template <int U_, int MinBlocks_, bool Pipelined_, bool Streaming_>
struct OutXShape {
  static constexpr int U = U_, MinBlocks = MinBlocks_;
  static constexpr bool Pipelined = Pipelined_, Streaming = Streaming_;
};
using DefaultOutXShape = OutXShape<kReduceOutXUnroll, kReduceOutXMinBlocks, kReduceOutXPipelined, false>;

template <typename T, int W, bool Streaming>
__device__ __forceinline__ void load_vec_hinted(T* dst, const T* src) {
  if constexpr (Streaming && sizeof(T) * W == 16) {
    const int4 q = __ldcs(reinterpret_cast<const int4*>(src));
    ReduceVec<T, W> v;
    memcpy(&v, &q, sizeof(q));
#pragma unroll
    for (int j = 0; j < W; ++j) dst[j] = v.v[j];
  } else {
    load_vec<T, W>(dst, src);
  }
}

template <class R, int W, class S>
__global__ void __launch_bounds__(kReduceOutXMaxThreads, S::MinBlocks) reduce_out_x_kernel(R r, ReduceArgs a) {
  using in_t = typename R::in_t;
  using acc_t = typename R::acc_t;
  constexpr int U = S::U;
  extern __shared__ __align__(16) unsigned char smem_raw[];
  acc_t* smem = reinterpret_cast<acc_t*>(smem_raw);
  const int ty = threadIdx.y, by = blockDim.y;
  const ThreadWork work = out_x_work(blockDim.x, blockDim.y, gridDim.y, blockIdx.x, blockIdx.y, threadIdx.x, threadIdx.y,
                                     a.n_red_v, a.band);
  const int64_t ov = work.out;
  const bool active = ov < a.n_out_v;
  int64_t offs[2] = {0, 0};
  acc_t acc[W];
#pragma unroll
  for (int w = 0; w < W; ++w) acc[w] = r.identity();
  if (active) {
    a.out_calc.get(ov, a.out32, offs);
    const in_t* base = reinterpret_cast<const in_t*>(a.in) + offs[0];
    const int64_t step = work.step, end = work.end;
    auto load_rows = [&](in_t* v, int64_t i) {
#pragma unroll
      for (int u = 0; u < U; ++u) load_vec_hinted<in_t, W, S::Streaming>(v + u * W, base + red_offset(a, i + u * step));
    };
    auto combine_rows = [&](const in_t* v, int64_t i) {
#pragma unroll
      for (int w = 0; w < W; ++w) {
        in_t col[U];
#pragma unroll
        for (int u = 0; u < U; ++u) col[u] = v[u * W + w];
        r.template accumulate<U, 1>(acc[w], col, i, step);
      }
    };
    int64_t i = work.first;
    if constexpr (S::Pipelined) {
      if (i + (U - 1) * step < end) {
        in_t cur[U * W];
        load_rows(cur, i);
        for (; i + (2 * U - 1) * step < end; i += U * step) {
          in_t next[U * W];
          load_rows(next, i + U * step);
          combine_rows(cur, i);
#pragma unroll
          for (int k = 0; k < U * W; ++k) cur[k] = next[k];
        }
        combine_rows(cur, i);
        i += U * step;
      }
    } else {
      for (; i + (U - 1) * step < end; i += U * step) {
        in_t v[U * W];
        load_rows(v, i);
        combine_rows(v, i);
      }
    }
    for (; i < end; i += step) {
      in_t v[W];
      load_vec<in_t, W>(v, base + red_offset(a, i));
#pragma unroll
      for (int w = 0; w < W; ++w) r.template accumulate<1, 1>(acc[w], v + w, i, 0);
    }
  }
#pragma unroll
  for (int w = 0; w < W; ++w) acc[w] = block_reduce_y(r, acc[w], smem);
  if (gridDim.y == 1) {
    if (ty == 0 && active)
#pragma unroll
      for (int w = 0; w < W; ++w) r.store(a, offs[1] + w * a.out_inner_stride, acc[w]);
    return;
  }
  acc_t* partials = static_cast<acc_t*>(a.partials);
  if (ty == 0 && active)
#pragma unroll
    for (int w = 0; w < W; ++w) partials[(ov * W + w) * gridDim.y + blockIdx.y] = acc[w];
  if (!arrive_last(a)) return;
  // The W outputs' partials are read together (W independent loads per step).
#pragma unroll
  for (int w = 0; w < W; ++w) acc[w] = r.identity();
  if (active)
    for (int64_t j = ty; j < int64_t(gridDim.y); j += by)
#pragma unroll
      for (int w = 0; w < W; ++w) acc[w] = r.combine(acc[w], load_cg(partials + (ov * W + w) * gridDim.y + j));
#pragma unroll
  for (int w = 0; w < W; ++w) {
    const acc_t s = block_reduce_y(r, acc[w], smem);
    if (ty == 0 && active) r.store(a, offs[1] + w * a.out_inner_stride, s);
  }
  if (threadIdx.x == 0 && ty == 0) a.sem[blockIdx.x] = 0;
}

// The vector width a reducer's loads use: 16 bytes, at most 4 elements (state registers grow with W).
template <class R>
constexpr int reduce_vec_width() {
  constexpr int w = static_cast<int>(16 / sizeof(typename R::in_t));
  return w > 4 ? 4 : w;
}

// Plans and launches R (the caller has set the device). Either output may be undefined. OutX: the
// column kernel's shape (OutXShape).
template <class R, class OutX = DefaultOutXShape>
void launch_reduce(const R& r, Tensor in, Tensor out0, Tensor out1, DimVector dims, int64_t correction,
                   const char* name) {
  using acc_t = typename R::acc_t;
  constexpr int W = reduce_vec_width<R>();
  ReducePlan p = plan_reduce(in, out0.defined() ? &out0 : nullptr, out1.defined() ? &out1 : nullptr, dims, W);
  if (p.too_many_dims) {
    canonicalize_reduction(&in, &out0, &out1, &dims);
    p = plan_reduce(in, out0.defined() ? &out0 : nullptr, out1.defined() ? &out1 : nullptr, dims, W);
  }
  if (p.n_out == 0) return;
  const int32_t dev = in.device().index;
  p.args.op = r.op;
  p.args.correction = correction;
  const size_t partial_bytes = p.gy > 1 ? static_cast<size_t>(p.n_out) * p.gy * sizeof(acc_t) : 0;
  DeviceBuffer partials(dev, partial_bytes);
  if (p.gy > 1) {
    p.args.partials = partials.get();
    p.args.sem = semaphores(dev, p.gx);
  }
  const dim3 grid(p.gx, p.gy), block(p.bx, p.by);
  const size_t smem = static_cast<size_t>(p.bx) * p.by * sizeof(acc_t);
  cudaStream_t s = stream(dev);
  if (p.red_x) {
    if (p.vec == W) reduce_red_x_kernel<R, W><<<grid, block, smem, s>>>(r, p.args);
    else reduce_red_x_kernel<R, 1><<<grid, block, smem, s>>>(r, p.args);
  } else {
    if (p.vec == W) reduce_out_x_kernel<R, W, OutX><<<grid, block, smem, s>>>(r, p.args);
    else reduce_out_x_kernel<R, 1, OutX><<<grid, block, smem, s>>>(r, p.args);
  }
  check_launch(name);
}

}  // namespace lt::cuda
