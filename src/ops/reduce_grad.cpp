// Backward formulas of the reductions, after PyTorch's derivatives.yaml / FunctionsManual.cpp. They run
// under the engine's NoGradGuard and are built from ops only, so they work on every device. Each formula
// first restores the reduced dims of the incoming grad (size 1, the keepdim layout) so that it
// broadcasts against the input.
#include <cmath>
#include <limits>

#include "autograd/node.h"
#include "ops/ops.h"
#include "ops/reduce_grad.h"

namespace lt {

namespace {

DimVector keepdim_shape_of(const DimVector& in_shape, const DimVector& rd) {
  DimVector s = in_shape;
  for (int64_t d : rd) s[static_cast<int32_t>(d)] = 1;
  return s;
}

// g (the op's output shape) viewed in the keepdim layout.
Tensor keep(const Tensor& g, const DimVector& kshape) { return g.shape() == kshape ? g : reshape(g, kshape); }

std::vector<int32_t> dims_list(const DimVector& rd) {
  std::vector<int32_t> r;
  for (int64_t d : rd) r.push_back(static_cast<int32_t>(d));
  return r;
}

Tensor scalar_like(double v, const Tensor& t) { return scalar_tensor(v, t.dtype(), t.device()); }

// Common state of the reductions over a set of dims.
class ReduceNode : public Node {
 public:
  ReduceNode(const char* name, const Tensor& in, const DimVector& rd)
      : name_(name), in_shape_(in.shape()), kshape_(keepdim_shape_of(in.shape(), rd)), dims_(dims_list(rd)) {}
  const char* name() const override { return name_; }

 protected:
  const char* name_;
  DimVector in_shape_, kshape_;
  std::vector<int32_t> dims_;  // empty only for a 0-d input
};

// sum: every input element receives the grad of its output element.
class SumBackward final : public ReduceNode {
 public:
  using ReduceNode::ReduceNode;
  TensorList apply(TensorList&& grads) override { return {expand(keep(grads[0], kshape_), in_shape_)}; }
};

// mean: the same, divided by the number of elements folded.
class MeanBackward final : public ReduceNode {
 public:
  MeanBackward(const char* name, const Tensor& in, const DimVector& rd, int64_t count)
      : ReduceNode(name, in, rd), count_(count) {}
  TensorList apply(TensorList&& grads) override {
    Tensor g = binary_scalar(BinaryOp::Div, keep(grads[0], kshape_), static_cast<double>(count_));
    return {expand(g, in_shape_)};
  }

 private:
  int64_t count_;
};

// prod: d out / d x_i is the product of the other elements of x_i's fold. Dividing out by x_i fails at
// zeros, so (as PyTorch's prod_backward) zeros are handled apart: with no zero in the fold the grad is
// P / x_i; with exactly one zero, only that element gets a grad (the product of the nonzero others);
// with two or more every grad is 0. P is the product of the fold's nonzero elements.
class ProdBackward final : public ReduceNode {
 public:
  ProdBackward(const char* name, const Tensor& in, const DimVector& rd) : ReduceNode(name, in, rd), in_(in) {}
  void release_saved() override { in_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor x = in_.unpack(name());
    Tensor g = keep(grads[0], kshape_);
    if (x.ndim() == 0 || x.numel() == 0) return {expand(g, in_shape_)};
    Tensor zero = scalar_like(0.0, x), one = scalar_like(1.0, x);
    Tensor is_zero = binary_scalar(BinaryOp::Eq, x, 0.0);
    Tensor zeros_in_fold = sum(is_zero, dims_, true);
    Tensor x_nonzero = where(is_zero, one, x);
    Tensor p = prod(x_nonzero, dims_, true);
    Tensor grad_of_nonzero = where(binary_scalar(BinaryOp::Eq, zeros_in_fold, 0.0), div(p, x_nonzero), zero);
    Tensor grad_of_zero = where(binary_scalar(BinaryOp::Eq, zeros_in_fold, 1.0), p, zero);
    return {mul(g, where(is_zero, grad_of_zero, grad_of_nonzero))};
  }

 private:
  SavedTensor in_;
};

// var: 2 / (N - correction) * g * (x - mean). std: the var formula with g / (2 std), 0 where std is 0.
// With N - correction <= 0 over all elements PyTorch gives inf, or nan where x equals the mean.
class VarBackward final : public ReduceNode {
 public:
  VarBackward(const char* name, const Tensor& in, const DimVector& rd, const Tensor& out, bool is_std,
              int64_t correction, bool all_dims)
      : ReduceNode(name, in, rd), in_(in), is_std_(is_std), correction_(correction), all_dims_(all_dims) {
    if (is_std) out_ = SavedTensor(out);
    count_ = 1;
    for (int64_t d : rd) count_ *= in.size(static_cast<int32_t>(d));
  }
  void release_saved() override {
    in_.reset();
    out_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    Tensor x = in_.unpack(name());
    Tensor g = keep(grads[0], kshape_);
    if (is_std_) {
      Tensor s = keep(out_.unpack(name()), kshape_);
      g = where(binary_scalar(BinaryOp::Eq, s, 0.0), scalar_like(0.0, g), div(g, binary_scalar(BinaryOp::Mul, s, 2.0)));
    }
    Tensor mu = mean(x, dims_, true);
    const double dof = static_cast<double>(count_) - static_cast<double>(correction_);
    if (dof <= 0 && (all_dims_ || x.ndim() == 0)) {
      Tensor inf_or_nan = where(binary(BinaryOp::Eq, x, mu), scalar_like(std::numeric_limits<double>::quiet_NaN(), x),
                                scalar_like(std::numeric_limits<double>::infinity(), x));
      return {mul(g, inf_or_nan)};
    }
    return {mul(binary_scalar(BinaryOp::Mul, g, 2.0 / dof), sub(x, mu))};
  }

 private:
  SavedTensor in_, out_;
  bool is_std_;
  int64_t correction_, count_;
  bool all_dims_;
};

// max()/min() over all elements: the grad is shared evenly by every element equal to the result (every
// NaN when the result is NaN), as PyTorch's evenly_distribute_backward.
class ExtremeAllBackward final : public Node {
 public:
  ExtremeAllBackward(bool is_max, const Tensor& in, const Tensor& out) : is_max_(is_max), in_(in), out_(out) {}
  const char* name() const override { return is_max_ ? "MaxBackward1" : "MinBackward1"; }
  void release_saved() override {
    in_.reset();
    out_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    Tensor x = in_.unpack(name()), v = out_.unpack(name());
    // bool add is logical or, bool mul logical and; x != x is isnan(x).
    Tensor both_nan = mul(binary(BinaryOp::Ne, x, x), binary(BinaryOp::Ne, v, v));
    Tensor winners = add(binary(BinaryOp::Eq, x, v), both_nan);
    Tensor share = div(grads[0], sum(winners, {}, false));
    return {where(winners, share, scalar_like(0.0, share))};
  }

 private:
  bool is_max_;
  SavedTensor in_, out_;
};

// max(dim)/min(dim): the grad of each output goes to the element whose index was reported.
class ExtremeDimBackward final : public Node {
 public:
  ExtremeDimBackward(bool is_max, const Tensor& in, const Tensor& indices, int32_t dim)
      : is_max_(is_max), in_shape_(in.shape()), indices_(indices), dim_(dim), device_(in.device()) {
    DimVector rd;
    if (in.ndim() > 0) rd.push_back(dim);
    kshape_ = keepdim_shape_of(in_shape_, rd);
  }
  const char* name() const override { return is_max_ ? "MaxBackward0" : "MinBackward0"; }
  void release_saved() override { indices_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor idx = indices_.unpack(name());
    if (in_shape_.empty()) return {grads[0]};
    Tensor g = keep(grads[0], kshape_), i = keep(idx, kshape_);
    // positions along dim, shaped [1, ..., n, ..., 1] to broadcast against the kept indices
    TensorOptions o;
    o.dtype = DType::Int64;
    o.device = device_;
    DimVector pshape(in_shape_.size(), 1);
    pshape[dim_] = in_shape_[dim_];
    Tensor positions = reshape(arange(0, static_cast<double>(in_shape_[dim_]), 1, o), pshape);
    return {where(binary(BinaryOp::Eq, positions, i), g, scalar_like(0.0, g))};
  }

 private:
  bool is_max_;
  DimVector in_shape_, kshape_;
  SavedTensor indices_;
  int32_t dim_;
  Device device_;
};

}  // namespace

void record_sum_grad(const Tensor& out, const Tensor& in, const DimVector& rd, bool, bool all_dims) {
  record<SumBackward>(out, {&in}, all_dims ? "SumBackward0" : "SumBackward1", in, rd);
}

void record_mean_grad(const Tensor& out, const Tensor& in, const DimVector& rd, bool, bool all_dims,
                      int64_t count) {
  record<MeanBackward>(out, {&in}, all_dims ? "MeanBackward0" : "MeanBackward1", in, rd, count);
}

void record_prod_grad(const Tensor& out, const Tensor& in, const DimVector& rd, bool, bool all_dims) {
  record<ProdBackward>(out, {&in}, all_dims ? "ProdBackward0" : "ProdBackward1", in, rd);
}

void record_var_grad(const Tensor& out, const Tensor& in, const DimVector& rd, bool, int64_t correction,
                     bool is_std, bool all_dims) {
  record<VarBackward>(out, {&in}, is_std ? "StdBackward0" : "VarBackward0", in, rd, out, is_std, correction,
                      all_dims);
}

void record_extreme_all_grad(bool is_max, const Tensor& out, const Tensor& in) {
  record<ExtremeAllBackward>(out, {&in}, is_max, in, out);
}

void record_extreme_dim_grad(bool is_max, const Tensor& values, const Tensor& indices, const Tensor& in,
                             int32_t dim, bool) {
  const int32_t d = in.ndim() == 0 ? 0 : normalize_dim(dim, in.ndim());
  record<ExtremeDimBackward>(values, {&in}, is_max, in, indices, d);
}

}  // namespace lt
