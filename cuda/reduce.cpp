// Reduction entry points: route each ReduceOp to its reducer family (reduce_*.cu).
#include "cuda/kernels.h"
#include "cuda/reduce_families.h"
#include "cuda/reduce_launch.h"

namespace lt::cuda {

void reduce(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims, int64_t correction) {
  switch (op) {
    case ReduceOp::Sum:
    case ReduceOp::Prod:
    case ReduceOp::Mean: return reduce_sums(op, out, in, dims);
    case ReduceOp::Var:
    case ReduceOp::Std: return reduce_moments(op, out, in, dims, correction);
    case ReduceOp::Max:
    case ReduceOp::Min: return reduce_minmax(op, out, in, dims);
    case ReduceOp::All:
    case ReduceOp::Any: return reduce_logical(op, out, in, dims);
    default: throw_error(Status::Internal, "reduce: arg reductions go through arg_reduce");
  }
}

void arg_reduce(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim) {
  LT_CHECK(indices.defined() && indices.dtype() == DType::Int64, Status::Internal,
           "arg_reduce: indices must be an int64 tensor");
  reduce_arg(op, values, indices, in, dim < 0 ? dim + in.ndim() : dim);
}

}  // namespace lt::cuda
