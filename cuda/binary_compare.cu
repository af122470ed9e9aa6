// Comparisons (eq, ne, lt, le, gt, ge): bool results, IEEE semantics (NaN compares unequal), shared with
// the CPU through core/scalar_ops.h.
#include "core/scalar_ops.h"
#include "cuda/elementwise.cuh"
#include "cuda/kernels.h"

namespace lt::cuda {

namespace {

template <typename T>
struct Compare {
  using out_t = bool;
  using in1_t = T;
  using in2_t = T;
  using in3_t = char;
  static constexpr int nin = 2;
  int32_t op;
  __device__ bool operator()(T a, T b, char) const {
    switch (static_cast<BinaryOp>(op)) {
      case BinaryOp::Eq: return binary_fn<BinaryOp::Eq, T>(a, b);
      case BinaryOp::Ne: return binary_fn<BinaryOp::Ne, T>(a, b);
      case BinaryOp::Lt: return binary_fn<BinaryOp::Lt, T>(a, b);
      case BinaryOp::Le: return binary_fn<BinaryOp::Le, T>(a, b);
      case BinaryOp::Gt: return binary_fn<BinaryOp::Gt, T>(a, b);
      default: return binary_fn<BinaryOp::Ge, T>(a, b);
    }
  }
};

}  // namespace

void compare(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
  EwInput in[2] = {{&a, 0}, {&b, 0}};
  LT_DISPATCH_ALL(a.dtype(), "compare", launch_elementwise(Compare<scalar_t>{static_cast<int32_t>(op)}, out, in, 2, "compare"));
}

void compare_scalar(BinaryOp op, const Tensor& out, const Tensor& a, double s) {
  LT_DISPATCH_ALL(a.dtype(), "compare_scalar", {
    EwInput in[2] = {{&a, 0}, {nullptr, scalar_bits<scalar_t>(s)}};
    launch_elementwise(Compare<scalar_t>{static_cast<int32_t>(op)}, out, in, 2, "compare_scalar");
  });
}

}  // namespace lt::cuda
