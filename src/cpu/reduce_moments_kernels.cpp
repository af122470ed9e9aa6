// CPU kernels of var and std (Note [one-pass variance] in cpu/reduce_simd.h).
#include "cpu/reduce_families.h"
#include "cpu/reduce_loops.h"
#include "cpu/reduce_ops.h"

namespace lt::cpu {

void reduce_moments(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims, int64_t correction) {
  if (op == ReduceOp::Var) {
    LT_DISPATCH_FLOATING(in.dtype(), "var", run_reduction(out, in, dims, VarReducer<scalar_t, false>{correction}));
  } else {
    LT_CHECK(op == ReduceOp::Std, Status::Internal, "reduce_moments: not var or std");
    LT_DISPATCH_FLOATING(in.dtype(), "std", run_reduction(out, in, dims, VarReducer<scalar_t, true>{correction}));
  }
}

}  // namespace lt::cpu
