// max and min over dims (values only): NaN propagates, as on the CPU.
#include <limits>

#include "core/scalar_ops.h"
#include "cuda/reduce.cuh"

namespace lt::cuda {

namespace {

template <typename T>
struct MinMaxReducer {
  using in_t = T;
  using acc_t = T;
  int32_t op;

  __device__ bool is_max() const { return op == static_cast<int32_t>(ReduceOp::Max); }
  __device__ T identity() const {
    if constexpr (std::is_same<T, bool>::value) return !is_max();
    else if constexpr (std::is_floating_point<T>::value)
      return is_max() ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    else return is_max() ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
  }
  __device__ T combine(T a, T b) const {
    if (is_nan_value(a)) return a;
    if (is_nan_value(b)) return b;
    return is_max() ? (b > a ? b : a) : (b < a ? b : a);
  }
  template <int N, int VW>
  __device__ void accumulate(acc_t& acc, const in_t* v, int64_t, int64_t) const {
#pragma unroll
    for (int n = 0; n < N; ++n) acc = combine(acc, v[n]);
  }
  __device__ void store(const ReduceArgs& a, int64_t off, const acc_t& acc) const {
    store_as(a.out_dtype[0], a.out[0], off, acc);
  }
};

}  // namespace

void reduce_minmax(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims) {
  LT_DISPATCH_ALL(in.dtype(), "max/min",
                  launch_reduce(MinMaxReducer<scalar_t>{static_cast<int32_t>(op)}, in, out, Tensor(), dims, 0, "max/min"));
}

}  // namespace lt::cuda
