// CPU reduction kernels: pick the reducer for (op, input dtype) and run it over the plan. Dtype contract
// (checked here, decided in src/ops/reduce.cpp): see Backend::reduce in core/backend.h.
#include "core/reduce_plan.h"
#include "cpu/cpu_backend.h"
#include "cpu/reduce_loops.h"
#include "cpu/reduce_ops.h"

namespace lt::cpu {

namespace {

const char* op_name(ReduceOp op) {
  switch (op) {
    case ReduceOp::Sum: return "sum";
    case ReduceOp::Prod: return "prod";
    case ReduceOp::Mean: return "mean";
    case ReduceOp::Var: return "var";
    case ReduceOp::Std: return "std";
    case ReduceOp::Max: return "max";
    case ReduceOp::Min: return "min";
    case ReduceOp::All: return "all";
    case ReduceOp::Any: return "any";
    case ReduceOp::ArgMax: return "argmax";
    case ReduceOp::ArgMin: return "argmin";
  }
  return "?";
}

// The dtype `op` writes for input dtype `in` (Backend::reduce's contract).
DType expected_out_dtype(ReduceOp op, DType in) {
  switch (op) {
    case ReduceOp::Sum:
    case ReduceOp::Prod: return is_floating(in) ? in : DType::Int64;
    case ReduceOp::All:
    case ReduceOp::Any: return DType::Bool;
    default: return in;
  }
}

template <class R>
void run(const Tensor& out, const Tensor& in, const DimVector& dims, const R& r) {
  const Tensor* outs[] = {&out};
  ReducePlan plan(in, outs, 1, dims);
  run_reduction(plan, r);
}

}  // namespace

void reduce(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims, int64_t correction) {
  LT_CHECK(out.dtype() == expected_out_dtype(op, in.dtype()), Status::Internal,
           op_name(op) << " kernel: output dtype " << dtype_name(out.dtype()) << " for input dtype "
                       << dtype_name(in.dtype()));
  int64_t count = 1;
  for (int64_t d : dims) count *= in.size(static_cast<int32_t>(d));
  const double inv_count = 1.0 / static_cast<double>(count);
  switch (op) {
    case ReduceOp::Sum: LT_DISPATCH_ALL(in.dtype(), "sum", run(out, in, dims, SumReducer<scalar_t, false>{count, inv_count})); break;
    case ReduceOp::Mean: LT_DISPATCH_FLOATING(in.dtype(), "mean", run(out, in, dims, SumReducer<scalar_t, true>{count, inv_count})); break;
    case ReduceOp::Prod: LT_DISPATCH_ALL(in.dtype(), "prod", run(out, in, dims, ProdReducer<scalar_t>{})); break;
    case ReduceOp::Var: LT_DISPATCH_FLOATING(in.dtype(), "var", run(out, in, dims, VarReducer<scalar_t, false>{correction})); break;
    case ReduceOp::Std: LT_DISPATCH_FLOATING(in.dtype(), "std", run(out, in, dims, VarReducer<scalar_t, true>{correction})); break;
    case ReduceOp::Max: LT_DISPATCH_ALL(in.dtype(), "max", run(out, in, dims, ExtremeReducer<scalar_t, true>{})); break;
    case ReduceOp::Min: LT_DISPATCH_ALL(in.dtype(), "min", run(out, in, dims, ExtremeReducer<scalar_t, false>{})); break;
    case ReduceOp::All: LT_DISPATCH_ALL(in.dtype(), "all", run(out, in, dims, LogicalReducer<scalar_t, true>{})); break;
    case ReduceOp::Any: LT_DISPATCH_ALL(in.dtype(), "any", run(out, in, dims, LogicalReducer<scalar_t, false>{})); break;
    default: throw_error(Status::Internal, std::string("reduce kernel: ") + op_name(op) + " has no plain reduction; use arg_reduce");
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
           op_name(op) << " kernel: bad output dtypes for input dtype " << dtype_name(in.dtype()));
  const bool is_max = op == ReduceOp::Max || op == ReduceOp::ArgMax;
  LT_CHECK(is_max || op == ReduceOp::Min || op == ReduceOp::ArgMin, Status::Internal,
           "arg_reduce kernel: " << op_name(op) << " has no index");
  if (is_max) {
    LT_DISPATCH_ALL(in.dtype(), "argmax", (run_arg<scalar_t, true>(values, indices, in, dim)));
  } else {
    LT_DISPATCH_ALL(in.dtype(), "argmin", (run_arg<scalar_t, false>(values, indices, in, dim)));
  }
}

}  // namespace lt::cpu
