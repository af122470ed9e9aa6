// CPU kernel for where(cond, a, b): a select per element, moved as raw bits of the element's width
// (where_row in cpu/loops.h), so one loop serves every dtype of that size.
#include "core/iterator.h"
#include "cpu/kernels.h"
#include "cpu/loops.h"

namespace lt::cpu {

void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) {
  const Tensor* ops[] = {&out, &cond, &a, &b};
  LT_DISPATCH_ALL(out.dtype(), "where", {
    if (!ElementwisePlan::try_flat(ops, 4, where_row<scalar_t>)) ElementwisePlan(ops, 4).for_each(where_row<scalar_t>);
  });
}

}  // namespace lt::cpu
