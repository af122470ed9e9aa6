// TEMPORARY (replaced by the matmul work).
#include "cpu/cpu_backend.h"

namespace lt::cpu {
void matmul(const Tensor&, const Tensor&, const Tensor&) { throw_error(Status::Internal, "matmul: not yet implemented"); }
}  // namespace lt::cpu
