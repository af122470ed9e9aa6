// max_pool2d, avg_pool2d and adaptive_avg_pool2d with their grad nodes (PyTorch 1.13's semantics, shape
// checks, messages and grad_fn names). The input, (C, H, W) or (N, C, H, W) of any layout, is made
// contiguous and handed to the backend as P = N * C planes (rows pool2d / pool2d_backward); the window
// rules are core/pool_args.h.
#include <sstream>
#include <string>

#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "ops/half_compute.h"
#include "ops/ops.h"

namespace lt {

namespace {

// PyTorch's div_rtn: division rounding toward -inf.
int64_t div_floor(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// PyTorch's pooling_output_shape (aten/src/ATen/native/Pool.h), checks in its order.
int64_t pooled_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dilation, bool ceil_mode) {
  LT_CHECK(stride != 0, Status::Shape, "stride should not be zero");
  LT_CHECK(pad >= 0, Status::Shape, "pad must be non-negative, but got pad: " << pad);
  LT_CHECK(pad <= k / 2, Status::Shape,
           "pad should be at most half of kernel size, but got pad=" << pad << " and kernel_size=" << k);
  int64_t out = div_floor(in + 2 * pad - dilation * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0), stride) + 1;
  // The last window must start inside the input or its left padding.
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

// Hostile sizes (a kernel of 2^62 ...) must not overflow the formulas above: PyTorch's own checks bound
// them by the input's sizes for every meaningful call, so larger ones are refused up front.
void check_pool_param(const char* op, const char* what, const int64_t v[2]) {
  const int64_t limit = int64_t(1) << 30;
  LT_CHECK(v[0] < limit && v[1] < limit && v[0] > -limit && v[1] > -limit, Status::Shape,
           op << ": " << what << " (" << v[0] << ", " << v[1] << ") is out of range");
}

std::string dims_str(const DimVector& s) {
  std::ostringstream o;
  o << "[";
  for (int32_t i = 0; i < s.size(); ++i) o << (i ? ", " : "") << s[i];
  o << "]";
  return o.str();
}

// The (C, H, W) / (N, C, H, W) rule of pool2d_shape_check: the batch may be empty, nothing else.
void check_pool_input(const Tensor& x, const char* op) {
  check_floating_input(x, op, "input");
  const int32_t n = x.ndim();
  LT_CHECK(n == 3 || n == 4, Status::Shape,
           op << ": non-empty 3D or 4D (batch mode) tensor expected for input, but got shape " << shape_str(x.shape()));
  bool ok = true;
  for (int32_t d = n - 3; d < n; ++d) ok = ok && x.size(d) != 0;
  LT_CHECK(ok, Status::Shape,
           op << ": Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:"
              << dims_str(x.shape()));
}

struct PoolSetup {
  Pool2dArgs args;
  DimVector out_shape;
};

PoolSetup pool_setup(PoolKind kind, const Tensor& x, const char* op, const int64_t* kernel, const int64_t* stride,
                     const int64_t* padding, const int64_t* dilation, bool ceil_mode) {
  check_pool_input(x, op);
  LT_CHECK(kernel, Status::InvalidArgument, op << ": kernel_size is NULL");
  const int64_t one[2] = {1, 1}, zero[2] = {0, 0};
  if (!stride) stride = kernel;
  if (!padding) padding = zero;
  if (!dilation) dilation = one;
  check_pool_param(op, "kernel_size", kernel);
  check_pool_param(op, "stride", stride);
  check_pool_param(op, "padding", padding);
  check_pool_param(op, "dilation", dilation);
  const int32_t n = x.ndim();
  Pool2dArgs a;
  a.kind = kind;
  a.in_h = x.size(n - 2);
  a.in_w = x.size(n - 1);
  a.kh = kernel[0], a.kw = kernel[1], a.sh = stride[0], a.sw = stride[1];
  a.ph = padding[0], a.pw = padding[1], a.dh = dilation[0], a.dw = dilation[1];
  LT_CHECK(a.kh > 0 && a.kw > 0, Status::Shape,
           op << ": kernel size should be greater than zero, but got kH: " << a.kh << " kW: " << a.kw);
  LT_CHECK(a.sh > 0 && a.sw > 0, Status::Shape,
           op << ": stride should be greater than zero, but got dH: " << a.sh << " dW: " << a.sw);
  LT_CHECK(a.dh > 0 && a.dw > 0, Status::Shape,
           op << ": dilation should be greater than zero, but got dilationH: " << a.dh << " dilationW: " << a.dw);
  a.out_h = pooled_size(a.in_h, a.kh, a.ph, a.sh, a.dh, ceil_mode);
  a.out_w = pooled_size(a.in_w, a.kw, a.pw, a.sw, a.dw, ceil_mode);
  const int64_t c = x.size(n - 3);
  LT_CHECK(a.out_h >= 1 && a.out_w >= 1, Status::Shape,
           op << ": Given input size: (" << c << "x" << a.in_h << "x" << a.in_w << "). Calculated output size: ("
              << c << "x" << a.out_h << "x" << a.out_w << "). Output size is too small");
  a.planes = x.numel() / (a.in_h * a.in_w);
  PoolSetup s{a, x.shape()};
  s.out_shape[n - 2] = a.out_h;
  s.out_shape[n - 1] = a.out_w;
  return s;
}

class PoolBackward final : public Node {
 public:
  PoolBackward(const Pool2dArgs& args, const DimVector& in_shape, const Tensor& indices)
      : args_(args), in_shape_(in_shape), indices_(indices) {}
  const char* name() const override {
    switch (args_.kind) {
      case PoolKind::Max: return "MaxPool2DWithIndicesBackward0";
      case PoolKind::Avg: return "AvgPool2DBackward0";
      case PoolKind::AdaptiveAvg: return "AdaptiveAvgPool2DBackward0";
    }
    return "PoolBackward";
  }
  void release_saved() override { indices_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor idx;
    if (args_.kind == PoolKind::Max) idx = indices_.unpack(name());
    Tensor g = contiguous(grads[0]);
    // An adaptive pool to an empty output read nothing: its grad is zeros.
    if (args_.planes == 0) return {full(in_shape_, 0.0, TensorOptions{g.dtype(), g.device(), false})};
    Tensor gi = make_empty(in_shape_, g.dtype(), g.device());
    backend_for(g.device()).pool2d_backward(gi, g, idx, args_);
    return {gi};
  }

 private:
  Pool2dArgs args_;
  DimVector in_shape_;
  SavedTensor indices_;
};

// Runs the pool and records its node.
std::pair<Tensor, Tensor> run_pool(const Tensor& input, const PoolSetup& s, bool want_indices) {
  const bool grad = any_requires_grad({&input});
  const bool make_indices = s.args.kind == PoolKind::Max && (want_indices || grad);
  Tensor out, indices;
  {
    NoGradGuard ng;
    Tensor x = contiguous(input);
    out = make_empty(s.out_shape, input.dtype(), input.device());
    if (make_indices) indices = make_empty(s.out_shape, DType::Int64, input.device());
    if (s.args.planes > 0) backend_for(input.device()).pool2d(out, indices, x, s.args);
  }
  if (grad) record<PoolBackward>(out, {&input}, s.args, input.shape(), indices);
  return {out, indices};
}

}  // namespace

std::pair<Tensor, Tensor> max_pool2d(const Tensor& input, const int64_t* kernel, const int64_t* stride,
                                     const int64_t* padding, const int64_t* dilation, bool ceil_mode,
                                     bool with_indices) {
  const PoolSetup s = pool_setup(PoolKind::Max, input, "max_pool2d", kernel, stride, padding, dilation, ceil_mode);
  if (runs_widened(input)) {  // Note [half compute]: the max of rounded values is exact in float32
    std::pair<Tensor, Tensor> r =
        max_pool2d(widened(input), kernel, stride, padding, dilation, ceil_mode, with_indices);
    r.first = half_result(r.first, input.dtype());
    return r;
  }
  std::pair<Tensor, Tensor> r = run_pool(input, s, with_indices);
  if (!with_indices) r.second = Tensor();
  return r;
}

Tensor avg_pool2d(const Tensor& input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                  bool ceil_mode, bool count_include_pad) {
  PoolSetup s = pool_setup(PoolKind::Avg, input, "avg_pool2d", kernel, stride, padding, nullptr, ceil_mode);
  if (runs_widened(input))  // Note [half compute]
    return half_result(avg_pool2d(widened(input), kernel, stride, padding, ceil_mode, count_include_pad),
                       input.dtype());
  s.args.count_include_pad = count_include_pad;
  return run_pool(input, s, false).first;
}

Tensor adaptive_avg_pool2d(const Tensor& input, const int64_t* output_size) {
  const char* op = "adaptive_avg_pool2d";
  check_floating_input(input, op, "input");
  LT_CHECK(output_size, Status::InvalidArgument, op << ": output_size is NULL");
  if (runs_widened(input)) return half_result(adaptive_avg_pool2d(widened(input), output_size), input.dtype());
  const int32_t n = input.ndim();
  LT_CHECK(n == 3 || n == 4, Status::Shape, op << "(): Expected 3D or 4D tensor, but got " << dims_str(input.shape()));
  for (int32_t d = 1; d < n; ++d)
    LT_CHECK(input.size(d) != 0, Status::Shape,
             op << "(): Expected input to have non-zero size for non-batch dimensions, but input has sizes "
                << dims_str(input.shape()) << " with dimension " << d << " being empty");
  LT_CHECK(output_size[0] >= 0 && output_size[1] >= 0, Status::Shape,
           op << ": elements of output_size must be greater than or equal to 0 but received {" << output_size[0]
              << ", " << output_size[1] << "}");
  PoolSetup s;
  s.args.kind = PoolKind::AdaptiveAvg;
  s.args.in_h = input.size(n - 2);
  s.args.in_w = input.size(n - 1);
  s.args.out_h = output_size[0];
  s.args.out_w = output_size[1];
  s.out_shape = input.shape();
  s.out_shape[n - 2] = s.args.out_h;
  s.out_shape[n - 1] = s.args.out_w;
  checked_numel(s.out_shape);
  s.args.planes = input.numel() / (s.args.in_h * s.args.in_w);
  // An empty output has no windows to compute (and 0 output sizes must not reach the window division).
  if (s.args.out_h == 0 || s.args.out_w == 0) s.args.planes = 0;
  // PyTorch 1.13 computes a (1, 1) output as a mean over H and W (grad_fn MeanBackward1); so does this, for
  // the same grad_fn and the same summation.
  if (s.args.out_h == 1 && s.args.out_w == 1) return mean(input, {n - 2, n - 1}, true);
  return run_pool(input, s, false).first;
}

}  // namespace lt
