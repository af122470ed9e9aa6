// CPU kernels of max and min over dims, values only (max_all, min_all); with indices: reduce_arg_kernels.cpp.
#include "cpu/reduce_families.h"
#include "cpu/reduce_loops.h"
#include "cpu/reduce_ops.h"

namespace lt::cpu {

void reduce_minmax(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims) {
  if (op == ReduceOp::Max) {
    LT_DISPATCH_ALL(in.dtype(), "max", run_reduction(out, in, dims, ExtremeReducer<scalar_t, true>{}));
  } else {
    LT_CHECK(op == ReduceOp::Min, Status::Internal, "reduce_minmax: not max or min");
    LT_DISPATCH_ALL(in.dtype(), "min", run_reduction(out, in, dims, ExtremeReducer<scalar_t, false>{}));
  }
}

}  // namespace lt::cpu
