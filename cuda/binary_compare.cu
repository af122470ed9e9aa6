// Comparisons (the ops of the table whose definition says `comparison`): bool results, IEEE semantics,
// the element function of each op's definition (core/binary_defs.h).
#include "core/op_table.h"
#include "cuda/binary_ops.cuh"
#include "cuda/kernels.h"

namespace lt::cuda {

void compare(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
  EwInput in[2] = {{&a, 0}, {&b, 0}};
  LT_DISPATCH_ALL(a.dtype(), op_name(op), {
    check_binary_kernel<true, scalar_t>(op, a.dtype());
    launch_elementwise(BinaryKernel<true, scalar_t>{static_cast<int32_t>(op)}, out, in, 2, "compare");
  });
}

void compare_scalar(BinaryOp op, const Tensor& out, const Tensor& a, double s) {
  LT_DISPATCH_ALL(a.dtype(), op_name(op), {
    check_binary_kernel<true, scalar_t>(op, a.dtype());
    EwInput in[2] = {{&a, 0}, {nullptr, scalar_bits<scalar_t>(s)}};
    launch_elementwise(BinaryKernel<true, scalar_t>{static_cast<int32_t>(op)}, out, in, 2, "compare_scalar");
  });
}

}  // namespace lt::cuda
