// CPU kernels of all and any.
#include "cpu/reduce_families.h"
#include "cpu/reduce_loops.h"
#include "cpu/reduce_ops.h"

namespace lt::cpu {

void reduce_logical(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims) {
  if (op == ReduceOp::All) {
    LT_DISPATCH_ALL(in.dtype(), "all", run_reduction(out, in, dims, LogicalReducer<scalar_t, true>{}));
  } else {
    LT_CHECK(op == ReduceOp::Any, Status::Internal, "reduce_logical: not all or any");
    LT_DISPATCH_ALL(in.dtype(), "any", run_reduction(out, in, dims, LogicalReducer<scalar_t, false>{}));
  }
}

}  // namespace lt::cpu
