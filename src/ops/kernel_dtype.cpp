#include "ops/kernel_dtype.h"

#include "ops/ops.h"

namespace lt {

Tensor convert(const Tensor& t, DType dtype) {
  if (t.dtype() == dtype) return t;
  Tensor out = make_empty(t.shape(), dtype, t.device());
  backend_for(t.device()).copy(out, t);
  return out;
}

}  // namespace lt
