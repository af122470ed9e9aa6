// cumsum and cumprod along any dim with their grad nodes (PyTorch's semantics: integer and bool inputs
// give int64, floating ones keep their dtype; CumsumBackward0 is the reversed cumsum of the grad,
// CumprodBackward0 PyTorch's formula that stays exact with zeros in the input).
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "ops/half_compute.h"
#include "ops/index_common.h"
#include "ops/ops.h"

namespace lt {

namespace {

class CumsumBackward final : public Node {
 public:
  explicit CumsumBackward(int32_t dim) : dim_(dim) {}
  const char* name() const override { return "CumsumBackward0"; }
  TensorList apply(TensorList&& grads) override {
    Tensor g = contiguous(grads[0]);
    Tensor gi = make_empty(g.shape(), g.dtype(), g.device());
    backend_for(g.device()).cumulative(as_1d(gi), as_1d(g), dim_, false, true);
    return {gi};
  }

 private:
  int32_t dim_;
};

class CumprodBackward final : public Node {
 public:
  CumprodBackward(int32_t dim, const Tensor& in, const Tensor& out) : dim_(dim), in_(in), out_(out) {}
  const char* name() const override { return "CumprodBackward0"; }
  void release_saved() override {
    in_.reset();
    out_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    Tensor x = in_.unpack(name()), y = out_.unpack(name());
    Tensor g = contiguous(to_dtype(grads[0], y.dtype()));
    Tensor gi = make_empty(y.shape(), y.dtype(), y.device());
    backend_for(y.device()).cumprod_backward(as_1d(gi), as_1d(g), as_1d(x), as_1d(y), dim_);
    return {gi};
  }

 private:
  int32_t dim_;
  SavedTensor in_, out_;
};

Tensor scan(const Tensor& a, int32_t dim, bool prod) {
  const int32_t d = normalise_index_dim(a, dim, prod ? "cumprod" : "cumsum");
  // Halves scan in float32 and round each output once (PyTorch: cumsum of float16 is float16); the small
  // integers widen to int64 below, as int32 does (PyTorch: cumsum of uint8 is int64).
  if (runs_widened(a)) return half_result(scan(widened(a), dim, prod), a.dtype());  // Note [half compute]
  const DType dt = is_floating(a.dtype()) ? a.dtype() : DType::Int64;
  Tensor x, out;
  {
    NoGradGuard ng;
    x = contiguous(to_dtype(a, dt));
    out = make_empty(a.shape(), dt, a.device());
    backend_for(a.device()).cumulative(as_1d(out), as_1d(x), d, prod, false);
  }
  if (any_requires_grad({&a}) && is_floating(dt)) {
    if (prod) record<CumprodBackward>(out, {&a}, d, x, out);
    else record<CumsumBackward>(out, {&a}, d);
  }
  return out;
}

}  // namespace

Tensor cumsum(const Tensor& a, int32_t dim) { return scan(a, dim, false); }
Tensor cumprod(const Tensor& a, int32_t dim) { return scan(a, dim, true); }

}  // namespace lt
