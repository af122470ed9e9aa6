// Unary ops (neg, abs, exp, log, sqrt, sin, cos, tanh, sigmoid, relu) with core/scalar_ops.h's semantics.
// Integer tensors reach only neg, abs and relu (the ops promote the others to float32).
#include "core/scalar_ops.h"
#include "cuda/elementwise.cuh"
#include "cuda/kernels.h"

namespace lt::cuda {

namespace {

template <typename T>
struct Unary {
  using out_t = T;
  using in1_t = T;
  using in2_t = char;
  using in3_t = char;
  static constexpr int nin = 1;
  int32_t op;
  __device__ T operator()(T x, char, char) const {
    switch (static_cast<UnaryOp>(op)) {
      case UnaryOp::Neg: return unary_fn<UnaryOp::Neg, T>(x);
      case UnaryOp::Abs: return unary_fn<UnaryOp::Abs, T>(x);
      case UnaryOp::Relu: return unary_fn<UnaryOp::Relu, T>(x);
      default: break;
    }
    if constexpr (std::is_floating_point<T>::value) {
      switch (static_cast<UnaryOp>(op)) {
        case UnaryOp::Exp: return unary_fn<UnaryOp::Exp, T>(x);
        case UnaryOp::Log: return unary_fn<UnaryOp::Log, T>(x);
        case UnaryOp::Sqrt: return unary_fn<UnaryOp::Sqrt, T>(x);
        case UnaryOp::Sin: return unary_fn<UnaryOp::Sin, T>(x);
        case UnaryOp::Cos: return unary_fn<UnaryOp::Cos, T>(x);
        case UnaryOp::Tanh: return unary_fn<UnaryOp::Tanh, T>(x);
        default: return unary_fn<UnaryOp::Sigmoid, T>(x);
      }
    }
    return x;
  }
};

}  // namespace

void unary(UnaryOp op, const Tensor& out, const Tensor& a) {
  EwInput in[1] = {{&a, 0}};
  LT_DISPATCH_NUMERIC(a.dtype(), "unary", launch_elementwise(Unary<scalar_t>{static_cast<int32_t>(op)}, out, in, 1, "unary"));
}

}  // namespace lt::cuda
