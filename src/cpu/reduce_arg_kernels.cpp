// Max/Min with indices along one dim (max_dim, min_dim, argmax, argmin): the CPU arg-reduction family.
#include "cpu/reduce_families.h"
#include "cpu/reduce_loops.h"
#include "cpu/reduce_ops.h"

namespace lt::cpu {

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

void reduce_arg(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim) {
  const bool is_max = op == ReduceOp::Max || op == ReduceOp::ArgMax;
  LT_CHECK(is_max || op == ReduceOp::Min || op == ReduceOp::ArgMin, Status::Internal,
           "reduce_arg: op " << static_cast<int>(op) << " has no index");
  if (is_max) {
    LT_DISPATCH_ALL(in.dtype(), "argmax", (run_arg<scalar_t, true>(values, indices, in, dim)));
  } else {
    LT_DISPATCH_ALL(in.dtype(), "argmin", (run_arg<scalar_t, false>(values, indices, in, dim)));
  }
}

}  // namespace lt::cpu
