// CPU kernels of max and min: without indices (max_all, min_all) and with them (Backend::arg_reduce).
#include "cpu/cpu_backend.h"
#include "cpu/reduce_families.h"
#include "cpu/reduce_loops.h"
#include "cpu/reduce_ops.h"

namespace lt::cpu {

void reduce_extremes(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims) {
  if (op == ReduceOp::Max) {
    LT_DISPATCH_ALL(in.dtype(), "max", run_reduction(out, in, dims, ExtremeReducer<scalar_t, true>{}));
  } else {
    LT_CHECK(op == ReduceOp::Min, Status::Internal, "reduce_extremes: not max or min");
    LT_DISPATCH_ALL(in.dtype(), "min", run_reduction(out, in, dims, ExtremeReducer<scalar_t, false>{}));
  }
}

namespace {

template <typename T, bool is_max>
void run_arg(const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim) {
  DimVector dims;
  if (in.ndim() > 0) dims.push_back(dim);
  if (values.defined()) {
    const Tensor* outs[] = {&values, &indices};
    ReducePlan plan(in, outs, 2, dims);
    run_reduction(plan, ArgReducer<T, is_max, true>{});
  } else {
    const Tensor* outs[] = {&indices};
    ReducePlan plan(in, outs, 1, dims);
    run_reduction(plan, ArgReducer<T, is_max, false>{});
  }
}

}  // namespace

void arg_reduce(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim) {
  LT_CHECK(indices.dtype() == DType::Int64 && (!values.defined() || values.dtype() == in.dtype()), Status::Internal,
           "arg_reduce kernel: bad output dtypes for input dtype " << dtype_name(in.dtype()));
  const bool is_max = op == ReduceOp::Max || op == ReduceOp::ArgMax;
  LT_CHECK(is_max || op == ReduceOp::Min || op == ReduceOp::ArgMin, Status::Internal,
           "arg_reduce kernel: op " << static_cast<int>(op) << " has no index");
  if (is_max) {
    LT_DISPATCH_ALL(in.dtype(), "argmax", (run_arg<scalar_t, true>(values, indices, in, dim)));
  } else {
    LT_DISPATCH_ALL(in.dtype(), "argmin", (run_arg<scalar_t, false>(values, indices, in, dim)));
  }
}

}  // namespace lt::cpu
