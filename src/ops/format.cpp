// TEMPORARY (replaced by the printing work).
#include "ops/ops.h"

namespace lt {
std::string format(const Tensor& t) { return "tensor(shape=" + shape_str(t.shape()) + ")"; }
}  // namespace lt
