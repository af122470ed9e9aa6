// sum, prod and mean. Accumulators: float32 and float64 in their own type (as PyTorch on CUDA), integers
// and bool in int64 with wrap-around (core/scalar_ops.h). The result is written in out's dtype.
#include <type_traits>

#include "core/scalar_ops.h"
#include "cuda/reduce.cuh"

namespace lt::cuda {

namespace {

template <typename T>
struct ArithReducer {
  using in_t = T;
  using acc_t = std::conditional_t<std::is_floating_point<T>::value, T, int64_t>;
  int32_t op;

  __device__ bool is_prod() const { return op == static_cast<int32_t>(ReduceOp::Prod); }
  __device__ acc_t identity() const { return is_prod() ? acc_t(1) : acc_t(0); }
  __device__ acc_t combine(acc_t a, acc_t b) const { return is_prod() ? wrap_mul(a, b) : wrap_add(a, b); }
  template <int N, int VW>
  __device__ void accumulate(acc_t& acc, const in_t* v, int64_t, int64_t) const {
    if (is_prod()) {
#pragma unroll
      for (int n = 0; n < N; ++n) acc = wrap_mul(acc, static_cast<acc_t>(v[n]));
    } else {
      acc_t s = 0;  // the batch first: shorter dependency chains, a little less rounding
#pragma unroll
      for (int n = 0; n < N; ++n) s = wrap_add(s, static_cast<acc_t>(v[n]));
      acc = wrap_add(acc, s);
    }
  }
  __device__ void store(const ReduceArgs& a, int64_t off, const acc_t& acc) const {
    if constexpr (std::is_floating_point<acc_t>::value) {
      if (op == static_cast<int32_t>(ReduceOp::Mean)) {
        store_as(a.out_dtype[0], a.out[0], off, acc / static_cast<acc_t>(a.n_red));
        return;
      }
    }
    store_as(a.out_dtype[0], a.out[0], off, acc);
  }
};

}  // namespace

void reduce_sums(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims) {
  LT_DISPATCH_ALL(in.dtype(), "sum",
                  launch_reduce(ArithReducer<scalar_t>{static_cast<int32_t>(op)}, in, out, Tensor(), dims, 0, "sum"));
}

}  // namespace lt::cuda
