// all and any: nonzero counts as true (NaN too), bool result.
#include "cuda/reduce.cuh"

namespace lt::cuda {

namespace {

template <typename T>
struct LogicReducer {
  using in_t = T;
  using acc_t = bool;
  int32_t op;

  __device__ bool is_all() const { return op == static_cast<int32_t>(ReduceOp::All); }
  __device__ bool identity() const { return is_all(); }
  __device__ bool combine(bool a, bool b) const { return is_all() ? (a && b) : (a || b); }
  template <int N, int VW>
  __device__ void accumulate(acc_t& acc, const in_t* v, int64_t, int64_t) const {
#pragma unroll
    for (int n = 0; n < N; ++n) acc = combine(acc, v[n] != in_t(0));
  }
  __device__ void store(const ReduceArgs& a, int64_t off, const acc_t& acc) const {
    store_as(a.out_dtype[0], a.out[0], off, acc);
  }
};

}  // namespace

void reduce_logical(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims) {
  LT_DISPATCH_ALL(in.dtype(), "all/any",
                  launch_reduce(LogicReducer<scalar_t>{static_cast<int32_t>(op)}, in, out, Tensor(), dims, 0, "all/any"));
}

}  // namespace lt::cuda
