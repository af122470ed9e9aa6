// CPU reduction entry point: checks the dtype contract of Backend::reduce (core/backend.h; decided in
// src/ops/reduce.cpp) and hands the op to its family's kernels (cpu/reduce_families.h).
#include "cpu/kernels.h"
#include "cpu/reduce_families.h"

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

// The dtype `op` writes for input dtype `in`.
DType expected_out_dtype(ReduceOp op, DType in) {
  switch (op) {
    case ReduceOp::Sum:
    case ReduceOp::Prod: return is_floating(in) ? in : DType::Int64;
    case ReduceOp::All:
    case ReduceOp::Any: return DType::Bool;
    default: return in;
  }
}

}  // namespace

void reduce(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims, int64_t correction) {
  LT_CHECK(out.dtype() == expected_out_dtype(op, in.dtype()), Status::Internal,
           op_name(op) << " kernel: output dtype " << dtype_name(out.dtype()) << " for input dtype "
                       << dtype_name(in.dtype()));
  switch (op) {
    case ReduceOp::Sum:
    case ReduceOp::Mean:
    case ReduceOp::Prod: reduce_sums(op, out, in, dims); break;
    case ReduceOp::Var:
    case ReduceOp::Std: reduce_moments(op, out, in, dims, correction); break;
    case ReduceOp::Max:
    case ReduceOp::Min: reduce_minmax(op, out, in, dims); break;
    case ReduceOp::All:
    case ReduceOp::Any: reduce_logical(op, out, in, dims); break;
    default:
      throw_error(Status::Internal, std::string("reduce kernel: ") + op_name(op) + " has no plain reduction; use arg_reduce");
  }
}

void arg_reduce(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim) {
  LT_CHECK(indices.dtype() == DType::Int64 && (!values.defined() || values.dtype() == in.dtype()), Status::Internal,
           "arg_reduce kernel: bad output dtypes for input dtype " << dtype_name(in.dtype()));
  reduce_arg(op, values, indices, in, dim);
}

}  // namespace lt::cpu
