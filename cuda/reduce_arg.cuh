// The reducer of max/min with indices (cuda/reduce_arg.cu), in a header so that the tuning program
// (bench/gpu/tune_reduce.cu) launches the same reducer under other kernel shapes. The state is
// (value, index); ties keep the smaller index and NaN wins (the first NaN by index), so the result is the
// CPU's whatever order threads combine in.
#pragma once
#include <limits>
#include <type_traits>

#include "core/scalar_ops.h"
#include "cuda/reduce.cuh"

namespace lt::cuda {

template <typename T>
struct ArgState {
  T value;
  int64_t index;  // -1: empty
};

template <typename T>
struct ArgReducer {
  using in_t = T;
  using acc_t = ArgState<T>;
  int32_t op;

  __device__ bool is_max() const {
    return op == static_cast<int32_t>(ReduceOp::ArgMax) || op == static_cast<int32_t>(ReduceOp::Max);
  }
  __device__ acc_t identity() const { return {T(0), -1}; }
  __device__ acc_t combine(const acc_t& a, const acc_t& b) const {
    if (a.index < 0) return b;
    if (b.index < 0) return a;
    const bool an = is_nan_value(a.value), bn = is_nan_value(b.value);
    if (an || bn) {
      if (an && bn) return a.index <= b.index ? a : b;
      return an ? a : b;
    }
    if (a.value == b.value) return a.index <= b.index ? a : b;
    if (is_max()) return a.value > b.value ? a : b;
    return a.value < b.value ? a : b;
  }
  // Note [batched arg reduction]: a batch's elements come in increasing index order (and a thread's
  // batches too: kernels walk the reduced indices upwards), so a pairwise
  // tree that keeps the left element unless the right one is strictly better yields the first index of
  // the best value with log2(N) dependent steps of a compare and two selects, instead of N full
  // combine() calls. A batch holding a NaN (rare) takes the element-by-element path, which gives NaN
  // its priority.
  template <int N, int VW>
  __device__ void accumulate(acc_t& acc, const in_t* v, int64_t first, int64_t step) const {
    if constexpr (std::is_floating_point<T>::value) {
      bool nan = false;
#pragma unroll
      for (int n = 0; n < N; ++n) nan |= v[n] != v[n];
      if (nan) {
#pragma unroll
        for (int n = 0; n < N; ++n) acc = combine(acc, acc_t{v[n], first + (n / VW) * step + n % VW});
        return;
      }
    }
    const bool mx = is_max();
    T val[N];
    int pos[N];  // position in the batch: the index is computed once, for the winner
#pragma unroll
    for (int n = 0; n < N; ++n) {
      val[n] = v[n];
      pos[n] = n;
    }
#pragma unroll
    for (int s = 1; s < N; s *= 2) {
#pragma unroll
      for (int n = 0; n + s < N; n += 2 * s) {
        const bool take = mx ? val[n + s] > val[n] : val[n + s] < val[n];
        val[n] = take ? val[n + s] : val[n];
        pos[n] = take ? pos[n + s] : pos[n];
      }
    }
    // A thread's batches come in increasing index order, so a tie keeps acc and no index comparison is
    // needed (NaN never reaches here; a NaN already in acc compares false and stays).
    const bool take = acc.index < 0 || (mx ? val[0] > acc.value : val[0] < acc.value);
    if (take) acc = acc_t{val[0], first + (pos[0] / VW) * step + pos[0] % VW};
  }
  __device__ void store(const ReduceArgs& a, int64_t off, const acc_t& acc) const {
    if (a.out[0]) store_as(a.out_dtype[0], a.out[0], off, acc.value);
    reinterpret_cast<int64_t*>(a.out[1])[off] = acc.index < 0 ? 0 : acc.index;
  }
};


}  // namespace lt::cuda
