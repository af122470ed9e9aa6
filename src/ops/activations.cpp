// gelu, softplus, leaky_relu, elu, clamp and linear, with their grad nodes (PyTorch's semantics, defaults
// and grad_fn names). The activations and the scalar-bound clamp of floating tensors run the backend's
// fused activation kernels (forward and backward, one pass each); clamp with tensor bounds is maximum /
// minimum (their NaN propagation is clamp's) with ClampBackward0's formulas; linear is one fused GEMM
// (Backend::linear) on floating tensors.
//
// Forward computations run under NoGradGuard and the node is recorded afterwards on the caller's inputs.
#include <cmath>
#include <limits>

#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "ops/half_compute.h"
#include "ops/ops.h"

namespace lt {

namespace {

const double kInf = std::numeric_limits<double>::infinity();

// The grad of an activation, from the saved input through the backend's fused backward kernel.
class ActivationBackward final : public Node {
 public:
  ActivationBackward(const char* name, ActivationOp op, const Tensor& x, double p0, double p1)
      : name_(name), op_(op), x_(x), p0_(p0), p1_(p1) {}
  const char* name() const override { return name_; }
  void release_saved() override { x_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor x = x_.unpack(name());
    Tensor g = to_dtype(grads[0], x.dtype());
    if (g.shape() != x.shape()) g = expand(g, x.shape());
    g = contiguous(g);
    Tensor gi = make_empty(x.shape(), x.dtype(), x.device());
    backend_for(x.device()).activation_backward(op_, gi, g, x, p0_, p1_);
    return {gi};
  }

 private:
  const char* name_;
  ActivationOp op_;
  SavedTensor x_;
  double p0_, p1_;
};

// op(a) on a floating tensor, recorded as `grad_name`.
Tensor activation(const Tensor& a, ActivationOp op, double p0, double p1, const char* name, const char* grad_name) {
  check_floating_input(a, name, "input");
  if (runs_widened(a))  // Note [half compute]
    return half_result(activation(widened(a), op, p0, p1, name, grad_name), a.dtype());
  Tensor x, out;
  {
    NoGradGuard ng;
    x = contiguous(a);
    out = make_empty(a.shape(), a.dtype(), a.device());
    backend_for(a.device()).activation(op, out, x, p0, p1);
  }
  if (any_requires_grad({&a})) record<ActivationBackward>(out, {&a}, grad_name, op, x, p0, p1);
  return out;
}

// clamp with tensor bounds (PyTorch's clamp_backward_min_max): the input's grad passes where
// min <= x <= max; min's where x < min < max; max's where x > max or max < min (max wins when the bounds
// cross). The engine sums each grad back to its input's shape.
class ClampTensorBackward final : public Node {
 public:
  ClampTensorBackward(const Tensor& x, const Tensor& lo, const Tensor& hi) : x_(x) {
    if (lo.defined()) lo_ = SavedTensor(lo);
    if (hi.defined()) hi_ = SavedTensor(hi);
  }
  const char* name() const override { return "ClampBackward0"; }
  void release_saved() override {
    x_.reset();
    lo_.reset();
    hi_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    Tensor x = x_.unpack(name());
    Tensor lo = lo_.defined() ? lo_.unpack(name()) : Tensor();
    Tensor hi = hi_.defined() ? hi_.unpack(name()) : Tensor();
    const Tensor& g = grads[0];
    Tensor zero = scalar_tensor(0.0, g.dtype(), g.device());
    auto pass = [&](const Tensor& cond) { return where(cond, g, zero); };
    Tensor gx, glo, ghi;
    if (lo.defined() && hi.defined()) {
      gx = pass(binary(BinaryOp::LogicalAnd, binary(BinaryOp::Ge, x, lo), binary(BinaryOp::Le, x, hi)));
      glo = pass(binary(BinaryOp::LogicalAnd, binary(BinaryOp::Lt, x, lo), binary(BinaryOp::Lt, lo, hi)));
      ghi = pass(binary(BinaryOp::LogicalOr, binary(BinaryOp::Gt, x, hi), binary(BinaryOp::Lt, hi, lo)));
    } else if (lo.defined()) {
      gx = pass(binary(BinaryOp::Ge, x, lo));
      glo = pass(binary(BinaryOp::Lt, x, lo));
    } else {
      gx = pass(binary(BinaryOp::Le, x, hi));
      ghi = pass(binary(BinaryOp::Gt, x, hi));
    }
    return {gx, glo, ghi};
  }

 private:
  SavedTensor x_, lo_, hi_;
};

// linear's grads: x: g @ W (back to x's shape); W: g^T @ x; bias: g summed over the rows.
class LinearBackward final : public Node {
 public:
  LinearBackward(const char* name, const Tensor& x2, const Tensor& w, const DimVector& x_shape)
      : name_(name), x2_(x2), w_(w), x_shape_(x_shape) {}
  const char* name() const override { return name_; }
  void release_saved() override {
    x2_.reset();
    w_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    Tensor x2 = x2_.unpack(name()), w = w_.unpack(name());
    Tensor g2 = reshape(to_dtype(grads[0], x2.dtype()), DimVector{x2.size(0), w.size(0)});
    Tensor gx, gw, gb;
    if (next_edges[0].fn) gx = reshape(matmul(g2, w), x_shape_);
    if (next_edges[1].fn) gw = matmul(transpose(g2, 0, 1), x2);
    if (next_edges.size() > 2 && next_edges[2].fn) gb = sum(g2, {0}, false);
    return {gx, gw, gb};
  }

 private:
  const char* name_;
  SavedTensor x2_, w_;
  DimVector x_shape_;
};

}  // namespace

Tensor gelu(const Tensor& a, bool tanh_approximation) {
  return activation(a, tanh_approximation ? ActivationOp::GeluTanh : ActivationOp::Gelu, 0, 0, "gelu", "GeluBackward0");
}

Tensor softplus(const Tensor& a, double beta, double threshold) {
  return activation(a, ActivationOp::Softplus, beta, threshold, "softplus", "SoftplusBackward0");
}

Tensor leaky_relu(const Tensor& a, double negative_slope) {
  return activation(a, ActivationOp::LeakyRelu, negative_slope, 0, "leaky_relu", "LeakyReluBackward0");
}

Tensor elu(const Tensor& a, double alpha) {
  return activation(a, ActivationOp::Elu, alpha, 0, "elu", "EluBackward0");
}

Tensor clamp(const Tensor& a, const Tensor& min, const Tensor& max) {
  LT_CHECK(min.defined() || max.defined(), Status::InvalidArgument,
           "clamp: at least one of 'min' or 'max' must not be None (NULL)");
  if (min.defined()) check_same_device(a, min);
  if (max.defined()) check_same_device(a, max);
  Tensor out;
  {
    NoGradGuard ng;
    out = a;
    if (min.defined()) out = binary(BinaryOp::Maximum, out, min);
    if (max.defined()) out = binary(BinaryOp::Minimum, out, max);
  }
  if (any_requires_grad({&a, &min, &max})) record<ClampTensorBackward>(out, {&a, &min, &max}, a, min, max);
  return out;
}

Tensor clamp_scalar(const Tensor& a, double min, double max) {
  if (is_floating(a.dtype()))
    return activation(a, ActivationOp::Clamp, min, max, "clamp", "ClampBackward1");
  // Integer and bool tensors: a fractional or NaN bound promotes to float32 (PyTorch's result type for a
  // Python float); integral bounds keep the integer dtype (bool becomes int64). -inf / +inf are no bound.
  auto fractional = [](double v) { return std::isnan(v) || (std::isfinite(v) && v != std::floor(v)); };
  if (fractional(min) || fractional(max)) return clamp_scalar(to_dtype(a, DType::Float32), min, max);
  NoGradGuard ng;
  Tensor out = a.dtype() == DType::Bool ? to_dtype(a, DType::Int64) : a;
  if (min == -kInf && max == kInf) return clone(out);
  if (itemsize(out.dtype()) < 4) {
    // uint8 / int8 / int16 take an integral bound as PyTorch converts a Python int to them: it must fit
    // the type, except that uint8 also takes -255..-1, wrapped (clamp(uint8, -1, 1) clamps to [255, 1],
    // so every element becomes 1, as torch's); the wrapped bound runs in int32 (Note [kernel dtype]).
    const double lo = out.dtype() == DType::UInt8 ? -255.0 : out.dtype() == DType::Int8 ? -128.0 : -32768.0;
    const double hi = out.dtype() == DType::UInt8 ? 255.0 : out.dtype() == DType::Int8 ? 127.0 : 32767.0;
    auto wrapped = [&](double v) {
      LT_CHECK(
          v >= lo && v <= hi, Status::InvalidArgument,
          "clamp: value " << v << " cannot be converted to type " << dtype_name(out.dtype()) << " without overflow");
      return out.dtype() == DType::UInt8 && v < 0 ? v + 256.0 : v;
    };
    if (min != -kInf) out = binary_scalar(BinaryOp::Maximum, out, wrapped(min));
    if (max != kInf) out = binary_scalar(BinaryOp::Minimum, out, wrapped(max));
    return out;
  }
  // A bound beyond the dtype's range clamps nothing (or everything) at the range's end; converting it
  // unclipped would overflow.
  const double top = out.dtype() == DType::Int32 ? 2147483647.0 : 9223372036854774784.0;
  auto clip = [&](double v) { return std::fmin(std::fmax(v, -top - 1), top); };
  if (min != -kInf) out = binary_scalar(BinaryOp::Maximum, out, clip(min));
  if (max != kInf) out = binary_scalar(BinaryOp::Minimum, out, clip(max));
  return out;
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  check_same_device(x, weight);
  if (bias.defined()) check_same_device(x, bias);
  LT_CHECK(weight.ndim() == 2, Status::Shape,
           "linear: weight must be 2-D (out_features, in_features), got shape " << shape_str(weight.shape()));
  LT_CHECK(x.ndim() >= 1, Status::Shape, "linear: input must have at least 1 dimension (..., in_features), got a 0-d tensor");
  const int64_t k = x.size(x.ndim() - 1), n = weight.size(0);
  LT_CHECK(k == weight.size(1), Status::Shape,
           "linear: input of shape " << shape_str(x.shape()) << " and weight of shape " << shape_str(weight.shape())
                                     << " cannot be multiplied (in_features " << k << " vs " << weight.size(1) << ")");
  LT_CHECK(x.dtype() == weight.dtype() && (!bias.defined() || bias.dtype() == x.dtype()), Status::DType,
           "linear: expected input, weight and bias of one dtype, got input " << dtype_name(x.dtype()) << ", weight "
                                                                              << dtype_name(weight.dtype())
                                                                              << (bias.defined() ? ", bias " : "")
                                                                              << (bias.defined() ? dtype_name(bias.dtype()) : ""));
  if (bias.defined())
    LT_CHECK(bias.ndim() <= 1 && (bias.numel() == n || bias.numel() == 1), Status::Shape,
             "linear: bias of shape " << shape_str(bias.shape()) << " does not match weight of shape "
                                      << shape_str(weight.shape()) << " (expected [" << n << "])");
  LT_CHECK(x.dtype() != DType::Bool, Status::DType, "linear: bool tensors are not supported (PyTorch: \"addmm\" not implemented for 'Bool')");
  if (runs_widened(x, {&weight, &bias}))  // Note [half compute]: one float32 GEMM, rounded once
    return half_result(linear(widened(x), widened(weight), widened(bias)), x.dtype());
  DimVector out_shape;
  int64_t m = 1;
  for (int32_t d = 0; d + 1 < x.ndim(); ++d) {
    out_shape.push_back(x.size(d));
    m *= x.size(d);
  }
  out_shape.push_back(n);
  Tensor x2, out;
  {
    NoGradGuard ng;
    x2 = reshape(x, DimVector{m, k});
    if (is_floating(x.dtype())) {
      Tensor b = bias.defined() ? expand(reshape(bias, DimVector{bias.numel()}), DimVector{n}) : Tensor();
      Tensor out2 = make_empty(DimVector{m, n}, x.dtype(), x.device());
      backend_for(x.device()).linear(out2, x2, weight, b);
      out = reshape(out2, out_shape);
    } else {  // integers: the wrapping integer matmul, then the bias (PyTorch's CPU accepts them too)
      out = matmul(x2, transpose(weight, 0, 1));
      if (bias.defined()) out = binary(BinaryOp::Add, out, bias);
      out = reshape(out, out_shape);
    }
  }
  if (any_requires_grad({&x, &weight, &bias}))
    record<LinearBackward>(out, {&x, &weight, &bias}, bias.defined() ? "AddmmBackward0" : "MmBackward0", x2, weight,
                           x.shape());
  return out;
}

}  // namespace lt
