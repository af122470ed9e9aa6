// The elementwise kernel templates (Note [elementwise layouts] in ew_plan.h) and their launcher.
//
// A kernel family is a functor F with the element types (out_t, in1_t..in3_t; unused inputs are char),
// the input count `nin`, a run-time `op` (Note [run-time op dispatch]) and
//   __device__ out_t operator()(in1_t, in2_t, in3_t) const.
// Each family x dtype instantiates two kernels: the vectorised Rows kernel and the Nd kernel.
//
// Note [run-time op dispatch]: the op (add, sub, ...) is a switch inside the element function rather than
// a template argument: one kernel per family and dtype instead of one per op keeps the build small, and
// the uniform branch costs nothing next to the memory traffic of these bandwidth-bound kernels.
#pragma once
#include <cuda_runtime.h>

#include <cstring>
#include <type_traits>

#include "core/scalar_ops.h"
#include "cuda/cuda_check.h"
#include "cuda/ew_plan.h"
#include "cuda/runtime.h"

namespace lt::cuda {

template <typename T, int W>
struct alignas(sizeof(T) * W) AlignedVec {
  T v[W];
};

template <typename T>
__device__ __forceinline__ T bits_as(uint64_t bits) {
  T v;
  memcpy(&v, &bits, sizeof(T));
  return v;
}

// A value as the bits of a constant operand (EwInput::constant).
template <typename T>
inline uint64_t value_bits(T v) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof(T));
  return bits;
}

// A double scalar operand as the bits of a T, converted as the CPU's binary kernels do (scalar_value:
// integers wrap from int64, bool from nonzero).
template <typename T>
inline uint64_t scalar_bits(double s) {
  return value_bits(scalar_value<T>(s));
}

template <class F>
constexpr int vec_width() {
  size_t m = sizeof(typename F::out_t);
  if (F::nin >= 1 && sizeof(typename F::in1_t) > m) m = sizeof(typename F::in1_t);
  if (F::nin >= 2 && sizeof(typename F::in2_t) > m) m = sizeof(typename F::in2_t);
  if (F::nin >= 3 && sizeof(typename F::in3_t) > m) m = sizeof(typename F::in3_t);
  // 16-byte accesses, but at most 4 elements: 1-byte types would need 16 registers per operand and
  // vector, and they are never the bandwidth-critical case.
  return m >= 4 ? static_cast<int>(16 / m) : 4;
}

// Loads W consecutive elements of operand k for (row, col) in the Rows layout.
template <typename T, int W>
__device__ __forceinline__ AlignedVec<T, W> load_rows(const EwRowsArgs& a, int k, int64_t row, int64_t col) {
  AlignedVec<T, W> r;
  if ((a.const_mask >> k) & 1u) {
    const T c = bits_as<T>(a.constant[k]);
#pragma unroll
    for (int j = 0; j < W; ++j) r.v[j] = c;
  } else if ((a.bcast_mask >> k) & 1u) {
    const T c = *reinterpret_cast<const T*>(a.data[k] + row * a.row_stride[k]);
#pragma unroll
    for (int j = 0; j < W; ++j) r.v[j] = c;
  } else {
    r = *reinterpret_cast<const AlignedVec<T, W>*>(a.data[k] + row * a.row_stride[k] + col * int64_t(sizeof(T)));
  }
  return r;
}

template <class F, int W>
__global__ void __launch_bounds__(kEwThreads) ew_rows_kernel(F f, EwRowsArgs a) {
  using O = typename F::out_t;
  using I1 = typename F::in1_t;
  using I2 = typename F::in2_t;
  using I3 = typename F::in3_t;
  const int64_t first = int64_t(blockIdx.x) * (kEwThreads * kEwUnroll) + threadIdx.x;
  AlignedVec<I1, W> x1[kEwUnroll] = {};
  AlignedVec<I2, W> x2[kEwUnroll] = {};
  AlignedVec<I3, W> x3[kEwUnroll] = {};
  int64_t row[kEwUnroll], col[kEwUnroll];
  // All loads first, so that kEwUnroll independent 16-byte loads per operand are in flight.
#pragma unroll
  for (int u = 0; u < kEwUnroll; ++u) {
    const int64_t v = first + u * kEwThreads;
    if (v < a.nvec) {
      rows_position(a, W, v, &row[u], &col[u]);
      if constexpr (F::nin >= 1) x1[u] = load_rows<I1, W>(a, 1, row[u], col[u]);
      if constexpr (F::nin >= 2) x2[u] = load_rows<I2, W>(a, 2, row[u], col[u]);
      if constexpr (F::nin >= 3) x3[u] = load_rows<I3, W>(a, 3, row[u], col[u]);
    }
  }
#pragma unroll
  for (int u = 0; u < kEwUnroll; ++u) {
    const int64_t v = first + u * kEwThreads;
    if (v < a.nvec) {
      AlignedVec<O, W> o;
#pragma unroll
      for (int j = 0; j < W; ++j) o.v[j] = f(x1[u].v[j], x2[u].v[j], x3[u].v[j]);
      *reinterpret_cast<AlignedVec<O, W>*>(a.data[0] + row[u] * a.row_stride[0] + col[u] * int64_t(sizeof(O))) = o;
    }
  }
}

template <typename T>
__device__ __forceinline__ T load_nd(const EwNdArgs& a, int k, int64_t off) {
  if ((a.const_mask >> k) & 1u) return bits_as<T>(a.constant[k]);
  return *reinterpret_cast<const T*>(a.data[k] + off);
}

template <class F>
__global__ void __launch_bounds__(kEwThreads) ew_nd_kernel(F f, EwNdArgs a) {
  using O = typename F::out_t;
  using I1 = typename F::in1_t;
  using I2 = typename F::in2_t;
  using I3 = typename F::in3_t;
  constexpr int NOPS = F::nin + 1;
  const int64_t first = int64_t(blockIdx.x) * (kEwThreads * kEwUnroll) + threadIdx.x;
  I1 x1[kEwUnroll] = {};
  I2 x2[kEwUnroll] = {};
  I3 x3[kEwUnroll] = {};
  int64_t out_off[kEwUnroll];
#pragma unroll
  for (int u = 0; u < kEwUnroll; ++u) {
    const int64_t i = first + u * kEwThreads;
    if (i < a.numel) {
      int64_t off[kEwMaxOperands];
      a.calc.get(i, a.use32, off);
      out_off[u] = off[0];
      if constexpr (NOPS >= 2) x1[u] = load_nd<I1>(a, 1, off[1]);
      if constexpr (NOPS >= 3) x2[u] = load_nd<I2>(a, 2, off[2]);
      if constexpr (NOPS >= 4) x3[u] = load_nd<I3>(a, 3, off[3]);
    }
  }
#pragma unroll
  for (int u = 0; u < kEwUnroll; ++u) {
    const int64_t i = first + u * kEwThreads;
    if (i < a.numel) *reinterpret_cast<O*>(a.data[0] + out_off[u]) = f(x1[u], x2[u], x3[u]);
  }
}

// Plans and launches F over out and its inputs on out's device (the caller has set the device).
template <class F>
void launch_elementwise(const F& f, const Tensor& out, const EwInput* inputs, int nin, const char* name) {
  if (out.numel() == 0) return;
  constexpr int W = vec_width<F>();
  EwPlan p = plan_elementwise(out, inputs, nin, W, f.op);
  cudaStream_t s = stream(out.device().index);
  if (p.rows) ew_rows_kernel<F, W><<<static_cast<unsigned>(p.blocks), kEwThreads, 0, s>>>(f, p.r);
  else ew_nd_kernel<F><<<static_cast<unsigned>(p.blocks), kEwThreads, 0, s>>>(f, p.nd);
  check_launch(name);
}

}  // namespace lt::cuda
