// Binary arithmetic (add, sub, mul, div, pow, maximum, minimum), tensor-tensor and tensor-scalar, with
// the per-element semantics of core/scalar_ops.h shared with the CPU.
#include "core/scalar_ops.h"
#include "cuda/elementwise.cuh"
#include "cuda/kernels.h"

namespace lt::cuda {

namespace {

template <typename T>
struct BinaryArith {
  using out_t = T;
  using in1_t = T;
  using in2_t = T;
  using in3_t = char;
  static constexpr int nin = 2;
  int32_t op;
  __device__ T operator()(T a, T b, char) const {
    switch (static_cast<BinaryOp>(op)) {
      case BinaryOp::Add: return binary_fn<BinaryOp::Add, T>(a, b);
      case BinaryOp::Sub: return binary_fn<BinaryOp::Sub, T>(a, b);
      case BinaryOp::Mul: return binary_fn<BinaryOp::Mul, T>(a, b);
      case BinaryOp::Div:
        if constexpr (std::is_floating_point<T>::value) return binary_fn<BinaryOp::Div, T>(a, b);
        else return T(0);  // ops promote integer division to float32
      case BinaryOp::Pow: return binary_fn<BinaryOp::Pow, T>(a, b);
      case BinaryOp::Maximum: return binary_fn<BinaryOp::Maximum, T>(a, b);
      default: return binary_fn<BinaryOp::Minimum, T>(a, b);
    }
  }
};

}  // namespace

void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
  if (is_comparison(op)) return compare(op, out, a, b);
  EwInput in[2] = {{&a, 0}, {&b, 0}};
  LT_DISPATCH_ALL(a.dtype(), "binary",
                  launch_elementwise(BinaryArith<scalar_t>{static_cast<int32_t>(op)}, out, in, 2, "binary"));
}

void binary_scalar(BinaryOp op, const Tensor& out, const Tensor& a, double s) {
  if (is_comparison(op)) return compare_scalar(op, out, a, s);
  LT_DISPATCH_ALL(a.dtype(), "binary_scalar", {
    EwInput in[2] = {{&a, 0}, {nullptr, scalar_bits<scalar_t>(s)}};
    launch_elementwise(BinaryArith<scalar_t>{static_cast<int32_t>(op)}, out, in, 2, "binary_scalar");
  });
}

}  // namespace lt::cuda
