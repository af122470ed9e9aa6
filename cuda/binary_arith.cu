// Binary arithmetic (every op of the table that is not a comparison), tensor-tensor and tensor-scalar:
// the element function of each op's definition (core/binary_defs.h), one kernel per dtype with the op
// chosen at run time (Note [run-time op dispatch] in elementwise.cuh).
#include "core/op_table.h"
#include "cuda/binary_ops.cuh"
#include "cuda/kernels.h"

namespace lt::cuda {

void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
  if (is_comparison(op)) return compare(op, out, a, b);
  EwInput in[2] = {{&a, 0}, {&b, 0}};
  LT_DISPATCH_ALL(a.dtype(), op_name(op), {
    check_binary_kernel<false, scalar_t>(op, a.dtype());
    launch_elementwise(BinaryKernel<false, scalar_t>{static_cast<int32_t>(op)}, out, in, 2, "binary");
  });
}

void binary_scalar(BinaryOp op, const Tensor& out, const Tensor& a, double s) {
  if (is_comparison(op)) return compare_scalar(op, out, a, s);
  LT_DISPATCH_ALL(a.dtype(), op_name(op), {
    check_binary_kernel<false, scalar_t>(op, a.dtype());
    EwInput in[2] = {{&a, 0}, {nullptr, scalar_bits<scalar_t>(s)}};
    launch_elementwise(BinaryKernel<false, scalar_t>{static_cast<int32_t>(op)}, out, in, 2, "binary_scalar");
  });
}

// g * x * s for the grad of x * x: the two launches the CPU fuses into one (a fused kernel would save one
// pass over `out`; measured need first).
void mul_scaled(const Tensor& out, const Tensor& a, const Tensor& b, double s) {
  binary(BinaryOp::Mul, out, a, b);
  binary_scalar(BinaryOp::Mul, out, out, s);
}

}  // namespace lt::cuda
