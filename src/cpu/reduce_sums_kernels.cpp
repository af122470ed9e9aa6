// CPU kernels of sum, mean and prod.
#include "cpu/reduce_families.h"
#include "cpu/reduce_half.h"
#include "cpu/reduce_loops.h"
#include "cpu/reduce_ops.h"

namespace lt::cpu {

void reduce_sums(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims) {
  int64_t count = 1;
  for (int64_t d : dims) count *= in.size(static_cast<int32_t>(d));
  const double inv_count = 1.0 / static_cast<double>(count);
  // float16/bfloat16 sums and means read the half input directly (cpu/reduce_half.h).
  const DType dt = in.dtype();
  if ((dt == DType::Float16 || dt == DType::BFloat16) && (op == ReduceOp::Sum || op == ReduceOp::Mean)) {
    const bool mean = op == ReduceOp::Mean;
    if (dt == DType::Float16) {
      if (mean) run_reduction(out, in, dims, HalfSumReducer<Half, true>{count, inv_count});
      else run_reduction(out, in, dims, HalfSumReducer<Half, false>{count, inv_count});
    } else {
      if (mean) run_reduction(out, in, dims, HalfSumReducer<BFloat16, true>{count, inv_count});
      else run_reduction(out, in, dims, HalfSumReducer<BFloat16, false>{count, inv_count});
    }
    return;
  }
  switch (op) {
    case ReduceOp::Sum:
      LT_DISPATCH_ALL(in.dtype(), "sum", run_reduction(out, in, dims, SumReducer<scalar_t, false>{count, inv_count}));
      break;
    case ReduceOp::Mean:
      LT_DISPATCH_FLOATING(in.dtype(), "mean", run_reduction(out, in, dims, SumReducer<scalar_t, true>{count, inv_count}));
      break;
    case ReduceOp::Prod: LT_DISPATCH_ALL(in.dtype(), "prod", run_reduction(out, in, dims, ProdReducer<scalar_t>{})); break;
    default: throw_error(Status::Internal, "reduce_sums: not a sum");
  }
}

}  // namespace lt::cpu
