// The normalisation layers (batch_norm, layer_norm, group_norm) and their grad nodes, with PyTorch's
// semantics, error messages and grad_fn names (NativeBatchNormBackward0, NativeLayerNormBackward0,
// NativeGroupNormBackward0). Each norm runs one fused forward and one fused backward kernel of the backend
// (Note [norm kernels] in cpu/norm_kernels.cpp): the input is made contiguous and seen as (M, N) rows
// (layer_norm) or (N, C, S) (batch_norm, group_norm); the forward saves mean and rstd for the backward.
#include <string>

#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "ops/half_compute.h"
#include "ops/ops.h"

namespace lt {

namespace {

// The grad of the output (of shape `out_shape`) as a contiguous tensor of `dtype`, viewed as `as`.
Tensor grad_as(const Tensor& grad, const DimVector& out_shape, DType dtype, const DimVector& as) {
  Tensor g = to_dtype(grad, dtype);
  if (g.shape() != out_shape) g = expand(g, out_shape);
  return reshape(contiguous(g), as);
}

Tensor empty_if(bool wanted, const DimVector& shape, const Tensor& like) {
  return wanted ? make_empty(shape, like.dtype(), like.device()) : Tensor();
}

// A per-channel tensor (weight, bias, running stats) of `op`: same dtype and device as the input, 1-D with
// `c` elements (PyTorch: "weight should contain 3 elements not 4").
void check_channel_param(const Tensor& t, const Tensor& input, int64_t c, const char* op, const char* what) {
  if (!t.defined()) return;
  check_same_device(input, t);
  LT_CHECK(t.dtype() == input.dtype(), Status::DType,
           op << ": expected " << what << " of dtype " << dtype_name(input.dtype()) << " (the input's), got "
              << dtype_name(t.dtype()));
  LT_CHECK(t.ndim() == 1 && t.numel() == c, Status::Shape,
           op << ": " << what << " should contain " << c << " elements not " << t.numel() << " (shape "
              << shape_str(t.shape()) << ")");
}

// The input seen as (N, C, S) (contiguous).
Tensor as_ncs(const Tensor& x) {
  int64_t s = 1;
  for (int32_t d = 2; d < x.ndim(); ++d) s *= x.size(d);
  return reshape(contiguous(x), DimVector{x.size(0), x.size(1), s});
}

// An optional 1-D parameter as a contiguous tensor (undefined stays undefined).
Tensor flat_param(const Tensor& t) { return t.defined() ? contiguous(reshape(t, DimVector{t.numel()})) : Tensor(); }

// ---- the grad nodes ----

// The three norms' grad nodes differ only in their backend row and the shape of weight and bias: each
// saves x (as its kernel sees it: (N, C, S) or (M, N)), mean, rstd (batch_norm: invstd) and the flat
// weight, makes the grads its inputs want (dim 1 of x is the parameters' length) and reshapes them back.
class NormBackward : public Node {
 public:
  NormBackward(const char* name, const Tensor& x, const Tensor& mean, const Tensor& rstd, const Tensor& weight,
               const DimVector& shape, const DimVector& param_shape)
      : name_(name), x_(x), mean_(mean), rstd_(rstd), weight_(weight), shape_(shape), param_shape_(param_shape) {}
  const char* name() const override { return name_; }
  void release_saved() override {
    x_.reset();
    mean_.reset();
    rstd_.reset();
    weight_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    Tensor x = x_.unpack(name()), mean = mean_.unpack(name()), rstd = rstd_.unpack(name());
    Tensor w = weight_.defined() ? weight_.unpack(name()) : Tensor();
    Tensor g = grad_as(grads[0], shape_, x.dtype(), x.shape());
    const DimVector flat{x.size(1)};
    Tensor gi = empty_if(next_edges[0].fn != nullptr, x.shape(), x);
    Tensor gw = empty_if(next_edges[1].fn != nullptr, flat, x);
    Tensor gb = empty_if(next_edges[2].fn != nullptr, flat, x);
    run(gi, gw, gb, g, x, mean, rstd, w);
    const bool reshape_params = param_shape_ != flat;  // layer_norm's normalized_shape of several dims
    return {gi.defined() ? reshape(gi, shape_) : gi, gw.defined() && reshape_params ? reshape(gw, param_shape_) : gw,
            gb.defined() && reshape_params ? reshape(gb, param_shape_) : gb};
  }

 protected:
  // The backend's fused backward: fills the defined ones of gi, gw, gb.
  virtual void run(const Tensor& gi, const Tensor& gw, const Tensor& gb, const Tensor& g, const Tensor& x,
                   const Tensor& mean, const Tensor& rstd, const Tensor& w) const = 0;

 private:
  const char* name_;
  SavedTensor x_, mean_, rstd_, weight_;
  DimVector shape_, param_shape_;
};

class NativeBatchNormBackward final : public NormBackward {
 public:
  NativeBatchNormBackward(const Tensor& x, const Tensor& mean, const Tensor& invstd, const Tensor& weight,
                          const DimVector& shape, bool training)
      : NormBackward("NativeBatchNormBackward0", x, mean, invstd, weight, shape, DimVector{x.size(1)}),
        training_(training) {}

 private:
  void run(const Tensor& gi, const Tensor& gw, const Tensor& gb, const Tensor& g, const Tensor& x,
           const Tensor& mean, const Tensor& invstd, const Tensor& w) const override {
    backend_for(x.device()).batch_norm_backward(gi, gw, gb, g, x, mean, invstd, w, training_);
  }
  bool training_;
};

class NativeLayerNormBackward final : public NormBackward {
 public:
  NativeLayerNormBackward(const Tensor& x, const Tensor& mean, const Tensor& rstd, const Tensor& weight,
                          const DimVector& shape, const DimVector& param_shape)
      : NormBackward("NativeLayerNormBackward0", x, mean, rstd, weight, shape, param_shape) {}

 private:
  void run(const Tensor& gi, const Tensor& gw, const Tensor& gb, const Tensor& g, const Tensor& x,
           const Tensor& mean, const Tensor& rstd, const Tensor& w) const override {
    backend_for(x.device()).layer_norm_backward(gi, gw, gb, g, x, mean, rstd, w);
  }
};

class NativeGroupNormBackward final : public NormBackward {
 public:
  NativeGroupNormBackward(const Tensor& x, const Tensor& mean, const Tensor& rstd, const Tensor& weight,
                          const DimVector& shape, int64_t groups)
      : NormBackward("NativeGroupNormBackward0", x, mean, rstd, weight, shape, DimVector{x.size(1)}),
        groups_(groups) {}

 private:
  void run(const Tensor& gi, const Tensor& gw, const Tensor& gb, const Tensor& g, const Tensor& x,
           const Tensor& mean, const Tensor& rstd, const Tensor& w) const override {
    backend_for(x.device()).group_norm_backward(gi, gw, gb, g, x, mean, rstd, w, groups_);
  }
  int64_t groups_;
};

}  // namespace

Tensor batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                  const Tensor& running_var, bool training, double momentum, double eps) {
  const char* op = "batch_norm";
  check_floating_input(input, op, "input");
  LT_CHECK(input.ndim() >= 2, Status::Shape,
           op << ": expected an input of at least 2 dimensions (N, C, ...), got shape " << shape_str(input.shape()));
  const int64_t c = input.size(1);
  check_channel_param(weight, input, c, op, "weight");
  check_channel_param(bias, input, c, op, "bias");
  check_channel_param(running_mean, input, c, op, "running_mean");
  check_channel_param(running_var, input, c, op, "running_var");
  LT_CHECK(training || running_mean.defined(), Status::InvalidArgument,
           op << ": running_mean must be defined in evaluation mode");
  LT_CHECK(training || running_var.defined(), Status::InvalidArgument,
           op << ": running_var must be defined in evaluation mode");
  const int64_t per_channel = c == 0 ? 0 : input.numel() / c;
  LT_CHECK(!training || per_channel != 1, Status::Shape,
           op << ": Expected more than 1 value per channel when training, got input size " << shape_str(input.shape()));
  for (const Tensor* r : {&running_mean, &running_var})
    if (r->defined() && training) check_inplace(*r, op);
  if (runs_widened(input, {&weight, &bias, &running_mean, &running_var})) {  // Note [half compute]
    Tensor rm, rv;
    {
      NoGradGuard ng;
      if (running_mean.defined()) rm = to_dtype(running_mean, DType::Float32);
      if (running_var.defined()) rv = to_dtype(running_var, DType::Float32);
    }
    Tensor out = batch_norm(widened(input), widened(weight), widened(bias), rm, rv, training, momentum, eps);
    if (training && per_channel != 0) {  // the running stats, updated in float32, rounded once into theirs
      NoGradGuard ng;
      if (rm.defined()) copy_(running_mean, rm);
      if (rv.defined()) copy_(running_var, rv);
    }
    return half_result(out, input.dtype());
  }

  Tensor x, out, save_mean, save_invstd;
  {
    NoGradGuard ng;
    x = as_ncs(input);
    out = make_empty(x.shape(), x.dtype(), x.device());
    save_mean = make_empty(DimVector{c}, x.dtype(), x.device());
    save_invstd = make_empty(DimVector{c}, x.dtype(), x.device());
    Backend& be = backend_for(x.device());
    if (training && per_channel == 0) {
      // PyTorch leaves the running stats alone for an empty batch; nothing to normalise.
      be.fill(save_mean, 0.0);
      be.fill(save_invstd, 0.0);
    } else {
      // The kernel updates contiguous running stats in place; a strided one goes through a copy.
      Tensor rm = running_mean.defined() ? contiguous(running_mean) : Tensor();
      Tensor rv = running_var.defined() ? contiguous(running_var) : Tensor();
      be.batch_norm_forward(out, save_mean, save_invstd, x, flat_param(weight), flat_param(bias), rm, rv, training,
                            momentum, eps);
      if (training) {
        for (auto [src, dst] : {std::pair{rm, running_mean}, std::pair{rv, running_var}}) {
          if (!dst.defined()) continue;
          if (!src.same(dst))
            copy_(dst, src);  // bumps the version itself
          else
            dst.storage()->bump_version();
        }
      }
    }
    out = reshape(out, input.shape());
  }
  if (any_requires_grad({&input, &weight, &bias}))
    record<NativeBatchNormBackward>(out, {&input, &weight, &bias}, x, save_mean, save_invstd, flat_param(weight),
                                    input.shape(), training);
  return out;
}

Tensor layer_norm(const Tensor& input, const DimVector& normalized_shape, const Tensor& weight, const Tensor& bias,
                  double eps) {
  const char* op = "layer_norm";
  check_floating_input(input, op, "input");
  if (runs_widened(input, {&weight, &bias}))  // Note [half compute]
    return half_result(layer_norm(widened(input), normalized_shape, widened(weight), widened(bias), eps),
                       input.dtype());
  const int32_t k = static_cast<int32_t>(normalized_shape.size());
  LT_CHECK(k >= 1, Status::Shape,
           op << ": Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, "
                 "but got normalized_shape = []");
  bool match = input.ndim() >= k;
  for (int32_t i = 0; match && i < k; ++i) match = input.size(input.ndim() - k + i) == normalized_shape[i];
  LT_CHECK(match, Status::Shape,
           op << ": Given normalized_shape=" << shape_str(normalized_shape) << ", expected input with shape [*, "
              << shape_str(normalized_shape).substr(1) << ", but got input of size" << shape_str(input.shape()));
  for (const auto& [t, what] : {std::pair{&weight, "weight"}, std::pair{&bias, "bias"}}) {
    if (!t->defined()) continue;
    check_same_device(input, *t);
    LT_CHECK(t->dtype() == input.dtype(), Status::DType,
             op << ": expected " << what << " of dtype " << dtype_name(input.dtype()) << " (the input's), got "
                << dtype_name(t->dtype()));
    LT_CHECK(t->shape() == normalized_shape, Status::Shape,
             op << ": Expected " << what << " to be of same shape as normalized_shape, but got " << what << " of shape "
                << shape_str(t->shape()) << " and normalized_shape = " << shape_str(normalized_shape));
  }
  int64_t n = 1;
  for (int64_t d : normalized_shape) n *= d;
  Tensor x, out, mean, rstd;
  {
    NoGradGuard ng;
    int64_t rows = 1;
    for (int32_t d = 0; d + k < input.ndim(); ++d) rows *= input.size(d);
    x = reshape(contiguous(input), DimVector{rows, n});
    out = make_empty(x.shape(), x.dtype(), x.device());
    mean = make_empty(DimVector{rows}, x.dtype(), x.device());
    rstd = make_empty(DimVector{rows}, x.dtype(), x.device());
    backend_for(x.device()).layer_norm_forward(out, mean, rstd, x, flat_param(weight), flat_param(bias), eps);
    out = reshape(out, input.shape());
  }
  if (any_requires_grad({&input, &weight, &bias}))
    record<NativeLayerNormBackward>(out, {&input, &weight, &bias}, x, mean, rstd, flat_param(weight), input.shape(),
                                    normalized_shape);
  return out;
}

Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight, const Tensor& bias, double eps) {
  const char* op = "group_norm";
  check_floating_input(input, op, "input");
  if (runs_widened(input, {&weight, &bias}))  // Note [half compute]
    return half_result(group_norm(widened(input), num_groups, widened(weight), widened(bias), eps), input.dtype());
  LT_CHECK(input.ndim() >= 2, Status::Shape,
           op << ": expected an input of at least 2 dimensions (N, C, ...), got shape " << shape_str(input.shape()));
  LT_CHECK(num_groups > 0, Status::InvalidArgument,
           op << ": Expected num groups to be greater than 0, got " << num_groups);
  const int64_t c = input.size(1);
  LT_CHECK(c % num_groups == 0, Status::Shape,
           op << ": Expected number of channels in input to be divisible by num_groups, but got input of shape "
              << shape_str(input.shape()) << " and num_groups=" << num_groups);
  for (const auto& [t, what] : {std::pair{&weight, "weight"}, std::pair{&bias, "bias"}}) {
    if (!t->defined()) continue;
    check_same_device(input, *t);
    LT_CHECK(t->dtype() == input.dtype(), Status::DType,
             op << ": expected " << what << " of dtype " << dtype_name(input.dtype()) << " (the input's), got "
                << dtype_name(t->dtype()));
    LT_CHECK(t->ndim() == 1 && t->numel() == c, Status::Shape,
             op << ": Expected " << what << " to be a vector of size equal to the number of channels in input, but got "
                << what << " of shape " << shape_str(t->shape()) << " and input of shape " << shape_str(input.shape()));
  }
  Tensor x, out, mean, rstd;
  {
    NoGradGuard ng;
    x = as_ncs(input);
    out = make_empty(x.shape(), x.dtype(), x.device());
    mean = make_empty(DimVector{x.size(0), num_groups}, x.dtype(), x.device());
    rstd = make_empty(DimVector{x.size(0), num_groups}, x.dtype(), x.device());
    backend_for(x.device())
        .group_norm_forward(out, mean, rstd, x, flat_param(weight), flat_param(bias), num_groups, eps);
    out = reshape(out, input.shape());
  }
  if (any_requires_grad({&input, &weight, &bias}))
    record<NativeGroupNormBackward>(out, {&input, &weight, &bias}, x, mean, rstd, flat_param(weight), input.shape(),
                                    num_groups);
  return out;
}

}  // namespace lt
