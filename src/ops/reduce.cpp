// TEMPORARY (replaced by the reductions work): sum only, so that autograd's sum_to links.
#include "ops/ops.h"

namespace lt {

Tensor sum(const Tensor& t, const std::vector<int32_t>& dims, bool keepdim) {
  DimVector rd;
  for (int32_t d : dims) rd.push_back(normalize_dim(d, t.ndim()));
  DimVector shape = t.shape();
  for (int64_t d : rd) shape[static_cast<int32_t>(d)] = 1;
  DType dt = is_floating(t.dtype()) ? t.dtype() : DType::Int64;
  Tensor out = make_empty(shape, dt, t.device());
  backend_for(t.device()).reduce(ReduceOp::Sum, out, t, rd, 0);
  if (!keepdim) (void)0;
  return out;
}

}  // namespace lt
