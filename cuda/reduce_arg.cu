// max/min with indices along one dim (max_dim, min_dim, argmax, argmin); the reducer is in
// cuda/reduce_arg.cuh.
#include "cuda/reduce_arg.cuh"

namespace lt::cuda {

void reduce_arg(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim) {
  DimVector dims{dim};
  LT_DISPATCH_ALL(in.dtype(), "max/min with indices",
                  launch_reduce(ArgReducer<scalar_t>{static_cast<int32_t>(op)}, in, values, indices, dims, 0,
                                "max/min with indices"));
}

}  // namespace lt::cuda
