// Softmax, log_softmax, logsumexp and the losses, with their grad nodes (PyTorch's semantics and grad_fn
// names). softmax/log_softmax and the class-index losses (nll_loss, cross_entropy) run fused kernels of the
// backend (rows softmax, softmax_backward, nll_forward, nll_backward); logsumexp, the probability-target
// cross_entropy and the elementwise losses are built from ops, with their own grad node where PyTorch
// has one (MseLossBackward0, SmoothL1LossBackward0, BinaryCrossEntropyWithLogitsBackward0).
//
// Forward computations run under NoGradGuard and the node is recorded afterwards on the inputs the caller
// gave, so the intermediate ops leave nothing in the graph.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "ops/half_compute.h"
#include "ops/ops.h"

namespace lt {

namespace {

const double kInf = std::numeric_limits<double>::infinity();

Tensor scalar_like(double v, const Tensor& t) { return scalar_tensor(v, t.dtype(), t.device()); }

// One dim, normalised; a 0-d tensor accepts 0 and -1 (and gives 0).
int32_t normalise_dim(const Tensor& t, int32_t dim, const char* op) {
  const int32_t n = std::max<int32_t>(t.ndim(), 1);
  LT_CHECK(dim >= -n && dim < n, Status::Index,
           op << ": dimension " << dim << " out of range (expected to be in [" << -n << ", " << n - 1
              << "]) for a tensor of shape " << shape_str(t.shape()));
  return t.ndim() == 0 ? 0 : (dim < 0 ? dim + n : dim);
}

// ---- softmax / log_softmax ----

class SoftmaxBackward final : public Node {
 public:
  SoftmaxBackward(const Tensor& out, int32_t dim, bool log) : out_(out), dim_(dim), log_(log) {}
  const char* name() const override { return log_ ? "LogSoftmaxBackward0" : "SoftmaxBackward0"; }
  void release_saved() override { out_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor y = out_.unpack(name());
    Tensor g = contiguous(to_dtype(grads[0], y.dtype()));
    if (g.shape() != y.shape()) g = contiguous(expand(g, y.shape()));
    Tensor gi = make_empty(y.shape(), y.dtype(), y.device());
    backend_for(y.device()).softmax_backward(gi, g, y, dim_, log_);
    return {gi};
  }

 private:
  SavedTensor out_;
  int32_t dim_;
  bool log_;
};

Tensor softmax_common(const Tensor& a, int32_t dim, bool log) {
  const char* op = log ? "log_softmax" : "softmax";
  check_floating_input(a, op, "input");
  if (runs_widened(a)) return half_result(softmax_common(widened(a), dim, log), a.dtype());  // Note [half compute]
  const int32_t d = normalise_dim(a, dim, op);
  Tensor out = make_empty(a.shape(), a.dtype(), a.device());
  {
    NoGradGuard ng;
    Tensor x = contiguous(a);
    backend_for(a.device()).softmax(out, x, d, log);
  }
  if (any_requires_grad({&a})) record<SoftmaxBackward>(out, {&a}, out, d, log);
  return out;
}

// ---- logsumexp ----

class LogsumexpBackward final : public Node {
 public:
  LogsumexpBackward(const Tensor& in, const Tensor& result_keepdim)
      : in_(in), res_(result_keepdim), kshape_(result_keepdim.shape()) {}
  const char* name() const override { return "LogsumexpBackward0"; }
  void release_saved() override {
    in_.reset();
    res_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    Tensor x = in_.unpack(name()), r = res_.unpack(name());
    Tensor g = grads[0].shape() == kshape_ ? grads[0] : reshape(grads[0], kshape_);
    return {mul(g, unary(UnaryOp::Exp, sub(x, r)))};
  }

 private:
  SavedTensor in_, res_;
  DimVector kshape_;
};

// ---- class-index nll / cross_entropy ----

class NllLossBackward final : public Node {
 public:
  NllLossBackward(const char* name, const Tensor& x3, const Tensor& t2, const Tensor& weight, const Tensor& lse,
                  const Tensor& total_weight, const DimVector& in_shape, int64_t ignore_index, double smoothing,
                  Reduction reduction, bool from_logits)
      : name_(name), x_(x3), t_(t2), in_shape_(in_shape), ignore_index_(ignore_index), smoothing_(smoothing),
        reduction_(reduction), from_logits_(from_logits) {
    if (weight.defined()) w_ = SavedTensor(weight);
    if (lse.defined()) lse_ = SavedTensor(lse);
    if (total_weight.defined()) total_ = SavedTensor(total_weight);
  }
  const char* name() const override { return name_; }
  void release_saved() override {
    x_.reset();
    t_.reset();
    w_.reset();
    lse_.reset();
    total_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    Tensor x = x_.unpack(name()), t = t_.unpack(name());
    Tensor w = w_.defined() ? w_.unpack(name()) : Tensor();
    Tensor lse = lse_.defined() ? lse_.unpack(name()) : Tensor();
    const DimVector nk{x.size(0), x.size(2)};
    Tensor g = to_dtype(grads[0], x.dtype());
    if (reduction_ == Reduction::None) {
      g = reshape(g, nk);
    } else {
      if (reduction_ == Reduction::Mean) g = div(g, total_.unpack(name()));
      g = expand(reshape(g, DimVector{1, 1}), nk);
    }
    g = contiguous(g);
    Tensor gi = make_empty(x.shape(), x.dtype(), x.device());
    backend_for(x.device()).nll_backward(gi, g, x, lse, t, w, ignore_index_, smoothing_, from_logits_);
    return {reshape(gi, in_shape_)};
  }

 private:
  const char* name_;
  SavedTensor x_, t_, w_, lse_, total_;
  DimVector in_shape_;
  int64_t ignore_index_;
  double smoothing_;
  Reduction reduction_;
  bool from_logits_;
};

Tensor reduce_loss(const Tensor& l, Reduction r) {
  if (r == Reduction::None) return l;
  return r == Reduction::Sum ? sum(l, {}, false) : mean(l, {}, false);
}

// input (N, C, d...) or (C); target int64 (N, d...) or 0-d.
Tensor class_loss(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t ignore_index,
                  double smoothing, Reduction reduction, bool from_logits, const char* op) {
  check_floating_input(input, op, "input");
  if (runs_widened(input, {&weight}))  // Note [half compute]
    return half_result(
        class_loss(widened(input), target, widened(weight), ignore_index, smoothing, reduction, from_logits, op),
        input.dtype());
  check_same_device(input, target);
  LT_CHECK(target.dtype() == DType::Int64, Status::DType,
           op << ": expected class-index targets of dtype int64, got " << dtype_name(target.dtype()) << " (shape "
              << shape_str(target.shape()) << ")");
  LT_CHECK(input.ndim() >= 1, Status::Shape,
           op << ": input must have at least 1 dimension (C) or (N, C, d1, ...), got shape " << shape_str(input.shape()));
  int64_t n = 1, c = 0, k = 1;
  DimVector want;
  if (input.ndim() == 1) {
    c = input.size(0);
  } else {
    n = input.size(0);
    c = input.size(1);
    want.push_back(n);
    for (int32_t d = 2; d < input.ndim(); ++d) {
      k *= input.size(d);
      want.push_back(input.size(d));
    }
  }
  LT_CHECK(target.shape() == want, Status::Shape,
           op << ": expected target of shape " << shape_str(want) << " for input of shape " << shape_str(input.shape())
              << ", got " << shape_str(target.shape()));
  Tensor w;
  if (weight.defined()) {
    check_same_device(input, weight);
    LT_CHECK(weight.ndim() == 1 && weight.numel() == c, Status::Shape,
             op << ": weight tensor should be defined either for all " << c
                << " classes or no classes but got weight tensor of shape " << shape_str(weight.shape()));
    check_floating_input(weight, op, "weight");
  }
  LT_CHECK(smoothing >= 0.0 && smoothing <= 1.0, Status::InvalidArgument,
           op << ": label_smoothing must be between 0.0 and 1.0, got " << smoothing);
  const DimVector nk{n, k};
  Tensor x3, t2, lse, loss, used;
  {
    NoGradGuard ng;
    if (weight.defined()) w = contiguous(to_dtype(weight, input.dtype()));
    x3 = reshape(contiguous(input), DimVector{n, c, k});
    t2 = reshape(contiguous(target), nk);
    loss = make_empty(nk, input.dtype(), input.device());
    used = make_empty(nk, input.dtype(), input.device());
    if (from_logits) lse = make_empty(nk, input.dtype(), input.device());
    backend_for(input.device()).nll_forward(loss, used, lse, x3, t2, w, ignore_index, smoothing, from_logits);
  }
  Tensor out, total;
  {
    NoGradGuard ng;
    switch (reduction) {
      case Reduction::None: out = reshape(loss, target.shape()); break;
      case Reduction::Sum: out = sum(loss, {}, false); break;
      case Reduction::Mean:
        total = sum(used, {}, false);
        out = div(sum(loss, {}, false), total);
        break;
    }
  }
  if (any_requires_grad({&input})) {
    // PyTorch composes label smoothing from generic ops (its grad_fn is the final add); the fused path
    // reports the same name.
    const char* name = (from_logits && smoothing > 0) ? "AddBackward0" : "NllLossBackward0";
    record<NllLossBackward>(out, {&input}, name, x3, t2, w, lse, total, input.shape(), ignore_index, smoothing,
                            reduction, from_logits);
  }
  return out;
}

// Probability targets: -(log_softmax(x) * target' * w).sum(class dim), target' smoothed; mean divides by
// the number of samples (numel / C), as PyTorch's cross_entropy with probabilities (built from ops, so
// the grads are theirs).
Tensor prob_cross_entropy(const Tensor& logits, const Tensor& target, const Tensor& weight, double smoothing,
                          Reduction reduction) {
  const char* op = "cross_entropy";
  check_floating_input(logits, op, "input");
  check_same_device(logits, target);
  LT_CHECK(target.shape() == logits.shape(), Status::Shape,
           op << ": class-probability targets must have the input's shape " << shape_str(logits.shape()) << ", got "
              << shape_str(target.shape()));
  LT_CHECK(logits.ndim() >= 1, Status::Shape, op << ": input must have at least 1 dimension, got a 0-d tensor");
  LT_CHECK(smoothing >= 0.0 && smoothing <= 1.0, Status::InvalidArgument,
           op << ": label_smoothing must be between 0.0 and 1.0, got " << smoothing);
  const int32_t cdim = logits.ndim() == 1 ? 0 : 1;
  const int64_t c = logits.size(cdim);
  Tensor tgt = to_dtype(target, logits.dtype());
  if (smoothing > 0)
    tgt = binary_scalar(BinaryOp::Add, binary_scalar(BinaryOp::Mul, tgt, 1.0 - smoothing), smoothing / static_cast<double>(c));
  Tensor prod = mul(log_softmax(logits, cdim), tgt);
  if (weight.defined()) {
    check_same_device(logits, weight);
    LT_CHECK(weight.ndim() == 1 && weight.numel() == c, Status::Shape,
             op << ": weight tensor should be defined either for all " << c
                << " classes or no classes but got weight tensor of shape " << shape_str(weight.shape()));
    DimVector ws(static_cast<size_t>(logits.ndim()), 1);
    ws[cdim] = c;
    prod = mul(prod, reshape(to_dtype(weight, logits.dtype()), ws));
  }
  switch (reduction) {
    case Reduction::None: return unary(UnaryOp::Neg, sum(prod, {cdim}, false));
    case Reduction::Sum: return unary(UnaryOp::Neg, sum(prod, {}, false));
    case Reduction::Mean:
    default: {
      const double samples = c == 0 ? 0.0 : static_cast<double>(logits.numel() / c);
      return binary_scalar(BinaryOp::Div, unary(UnaryOp::Neg, sum(prod, {}, false)), samples);
    }
  }
}

// ---- elementwise losses ----

// Shared checks: both floating, same device; the computation dtype is their result type.
DType loss_dtype(const Tensor& input, const Tensor& target, const char* op) {
  check_same_device(input, target);
  const DType dt = result_type(input, target);
  LT_CHECK(is_floating(dt), Status::DType,
           op << ": expected floating point input and target, got " << dtype_name(input.dtype()) << " and "
              << dtype_name(target.dtype()));
  return dt;
}

// The grad of an elementwise loss, from the per-element derivative d (w.r.t. input), the incoming grad
// and the reduction.
Tensor scale_grad(const Tensor& d, const Tensor& g, Reduction r, int64_t numel) {
  Tensor gi = mul(d, to_dtype(g, d.dtype()));
  if (r == Reduction::Mean) gi = binary_scalar(BinaryOp::Div, gi, static_cast<double>(numel));
  return gi;
}

class MseLossBackward final : public Node {
 public:
  MseLossBackward(const Tensor& a, const Tensor& b, Reduction r, int64_t numel) : a_(a), b_(b), r_(r), numel_(numel) {}
  const char* name() const override { return "MseLossBackward0"; }
  void release_saved() override {
    a_.reset();
    b_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    Tensor d = binary_scalar(BinaryOp::Mul, sub(a_.unpack(name()), b_.unpack(name())), 2.0);
    Tensor gi = scale_grad(d, grads[0], r_, numel_);
    return {gi, unary(UnaryOp::Neg, gi)};
  }

 private:
  SavedTensor a_, b_;
  Reduction r_;
  int64_t numel_;
};

class SmoothL1LossBackward final : public Node {
 public:
  SmoothL1LossBackward(const Tensor& a, const Tensor& b, Reduction r, int64_t numel, double beta)
      : a_(a), b_(b), r_(r), numel_(numel), beta_(beta) {}
  const char* name() const override { return "SmoothL1LossBackward0"; }
  void release_saved() override {
    a_.reset();
    b_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    Tensor d = sub(a_.unpack(name()), b_.unpack(name()));
    Tensor zero = scalar_like(0.0, d);
    Tensor sign = where(binary_scalar(BinaryOp::Gt, d, 0.0), scalar_like(1.0, d),
                        where(binary_scalar(BinaryOp::Lt, d, 0.0), scalar_like(-1.0, d), zero));
    Tensor der = sign;
    if (beta_ > 0)
      der = where(binary_scalar(BinaryOp::Lt, unary(UnaryOp::Abs, d), beta_), binary_scalar(BinaryOp::Div, d, beta_), sign);
    Tensor gi = scale_grad(der, grads[0], r_, numel_);
    return {gi, unary(UnaryOp::Neg, gi)};
  }

 private:
  SavedTensor a_, b_;
  Reduction r_;
  int64_t numel_;
  double beta_;
};

// softplus(-x) = max(-x, 0) + log(exp(-max(-x, 0)) + exp(-x - max(-x, 0))), PyTorch's stable spelling.
Tensor softplus_neg(const Tensor& x) {
  Tensor m = binary_scalar(BinaryOp::Maximum, unary(UnaryOp::Neg, x), 0.0);
  Tensor e = add(unary(UnaryOp::Exp, unary(UnaryOp::Neg, m)), unary(UnaryOp::Exp, sub(unary(UnaryOp::Neg, x), m)));
  return add(m, unary(UnaryOp::Log, e));
}

class BceWithLogitsBackward final : public Node {
 public:
  BceWithLogitsBackward(const Tensor& x, const Tensor& y, const Tensor& w, const Tensor& pw, Reduction r, int64_t numel)
      : x_(x), y_(y), r_(r), numel_(numel) {
    if (w.defined()) w_ = SavedTensor(w);
    if (pw.defined()) pw_ = SavedTensor(pw);
  }
  const char* name() const override { return "BinaryCrossEntropyWithLogitsBackward0"; }
  void release_saved() override {
    x_.reset();
    y_.reset();
    w_.reset();
    pw_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    Tensor x = x_.unpack(name()), y = y_.unpack(name());
    Tensor sig = unary(UnaryOp::Sigmoid, x);
    Tensor dx, dy;
    if (pw_.defined()) {
      Tensor pw = pw_.unpack(name());
      Tensor t = mul(pw, y);
      dx = sub(mul(sub(binary_scalar(BinaryOp::Add, t, 1.0), y), sig), t);  // (pw y + 1 - y) sig - pw y
      dy = add(unary(UnaryOp::Neg, x), mul(binary_scalar(BinaryOp::Sub, pw, 1.0), softplus_neg(x)));
    } else {
      dx = sub(sig, y);
      dy = unary(UnaryOp::Neg, x);
    }
    if (w_.defined()) {
      Tensor w = w_.unpack(name());
      dx = mul(dx, w);
      dy = mul(dy, w);
    }
    return {scale_grad(dx, grads[0], r_, numel_), scale_grad(dy, grads[0], r_, numel_), Tensor(), Tensor()};
  }

 private:
  SavedTensor x_, y_, w_, pw_;
  Reduction r_;
  int64_t numel_;
};

}  // namespace

void check_floating_input(const Tensor& t, const char* op, const char* what) {
  LT_CHECK(is_floating(t.dtype()), Status::DType,
           op << ": expected a floating point " << what << ", got " << dtype_name(t.dtype()) << " (shape "
              << shape_str(t.shape()) << "); PyTorch has no " << op
              << " for integer or bool tensors: convert with to_dtype first");
}

Tensor softmax(const Tensor& a, int32_t dim) { return softmax_common(a, dim, false); }
Tensor log_softmax(const Tensor& a, int32_t dim) { return softmax_common(a, dim, true); }

Tensor logsumexp(const Tensor& a, const std::vector<int32_t>& dims, bool keepdim) {
  if (runs_widened(a)) return half_result(logsumexp(widened(a), dims, keepdim), a.dtype());  // Note [half compute]
  // Small integers widen to float32 like int32 (PyTorch's logsumexp of integers is float32).
  Tensor x = is_floating(a.dtype()) ? a : to_dtype(a, DType::Float32);  // integers give float, as PyTorch
  // The dims, normalised and checked as the reductions do (a 0-d tensor takes 0 / -1).
  const int32_t nd = x.ndim();
  const int32_t n = std::max<int32_t>(nd, 1);
  std::vector<int32_t> rd;
  if (dims.empty()) {
    for (int32_t d = 0; d < nd; ++d) rd.push_back(d);
  } else {
    for (int32_t d : dims) {
      LT_CHECK(d >= -n && d < n, Status::Index,
               "logsumexp: dimension " << d << " out of range (expected to be in [" << -n << ", " << n - 1
                                       << "]) for a tensor of shape " << shape_str(x.shape()));
      const int32_t dn = d < 0 ? d + n : d;
      LT_CHECK(std::find(rd.begin(), rd.end(), dn) == rd.end(), Status::InvalidArgument,
               "logsumexp: dim " << dn << " appears multiple times in the list of dims");
      rd.push_back(dn);
    }
    if (nd == 0) rd.clear();
    std::sort(rd.begin(), rd.end());
  }
  DimVector kshape = x.shape();
  int64_t count = 1;
  for (int32_t d : rd) {
    count *= kshape[d];
    kshape[d] = 1;
  }
  Tensor r;
  {
    NoGradGuard ng;
    if (x.numel() == 0 || count == 0) {
      r = full(kshape, -kInf, TensorOptions{x.dtype(), x.device(), false});
    } else {
      DimVector rdv;
      for (int32_t d : rd) rdv.push_back(d);
      Tensor m = make_empty(kshape, x.dtype(), x.device());
      backend_for(x.device()).reduce(ReduceOp::Max, m, x, rdv, 0);
      // An infinite max would give inf - inf: PyTorch shifts by 0 there instead.
      m = where(binary_scalar(BinaryOp::Eq, unary(UnaryOp::Abs, m), kInf), scalar_like(0.0, m), m);
      r = add(unary(UnaryOp::Log, sum(unary(UnaryOp::Exp, sub(x, m)), rd, true)), m);
    }
  }
  Tensor out = r;
  if (!keepdim) {
    DimVector shape;
    for (int32_t d = 0; d < nd; ++d)
      if (std::find(rd.begin(), rd.end(), d) == rd.end()) shape.push_back(x.size(d));
    NoGradGuard ng;
    out = reshape(r, shape);
  }
  if (any_requires_grad({&a})) record<LogsumexpBackward>(out, {&a}, x, r);
  return out;
}

Tensor nll_loss(const Tensor& log_probs, const Tensor& target, const Tensor& weight, int64_t ignore_index,
                Reduction reduction) {
  return class_loss(log_probs, target, weight, ignore_index, 0.0, reduction, false, "nll_loss");
}

Tensor cross_entropy(const Tensor& logits, const Tensor& target, const Tensor& weight, int64_t ignore_index,
                     double label_smoothing, Reduction reduction) {
  if (is_floating(target.dtype())) return prob_cross_entropy(logits, target, weight, label_smoothing, reduction);
  return class_loss(logits, target, weight, ignore_index, label_smoothing, reduction, true, "cross_entropy");
}

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  const DType dt = loss_dtype(input, target, "mse_loss");
  Tensor out;
  int64_t numel;
  {
    NoGradGuard ng;
    Tensor d = sub(to_dtype(input, dt), to_dtype(target, dt));
    numel = d.numel();
    out = reduce_loss(mul(d, d), reduction);
  }
  if (any_requires_grad({&input, &target})) record<MseLossBackward>(out, {&input, &target}, input, target, reduction, numel);
  return out;
}

Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  const DType dt = loss_dtype(input, target, "l1_loss");
  // Built from ops, as PyTorch (its grad_fn is AbsBackward0 / MeanBackward0 / SumBackward0).
  return reduce_loss(unary(UnaryOp::Abs, sub(to_dtype(input, dt), to_dtype(target, dt))), reduction);
}

Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, double beta, Reduction reduction) {
  const DType dt = loss_dtype(input, target, "smooth_l1_loss");
  LT_CHECK(beta >= 0, Status::InvalidArgument, "smooth_l1_loss: does not support negative values for beta, got " << beta);
  Tensor out;
  int64_t numel;
  {
    NoGradGuard ng;
    Tensor d = sub(to_dtype(input, dt), to_dtype(target, dt));
    numel = d.numel();
    Tensor ad = unary(UnaryOp::Abs, d);
    Tensor l = ad;
    if (beta > 0)
      l = where(binary_scalar(BinaryOp::Lt, ad, beta), binary_scalar(BinaryOp::Mul, mul(d, d), 0.5 / beta),
                binary_scalar(BinaryOp::Sub, ad, 0.5 * beta));
    out = reduce_loss(l, reduction);
  }
  if (any_requires_grad({&input, &target}))
    record<SmoothL1LossBackward>(out, {&input, &target}, input, target, reduction, numel, beta);
  return out;
}

Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target, const Tensor& weight,
                                        const Tensor& pos_weight, Reduction reduction) {
  const char* op = "binary_cross_entropy_with_logits";
  check_floating_input(logits, op, "input");
  check_same_device(logits, target);
  LT_CHECK(target.shape() == logits.shape(), Status::Shape,
           op << ": target size " << shape_str(target.shape()) << " must be the same as input size "
              << shape_str(logits.shape()));
  if (weight.defined()) check_same_device(logits, weight);
  if (pos_weight.defined()) check_same_device(logits, pos_weight);
  const DType dt = logits.dtype();
  Tensor out, w, pw, y;
  int64_t numel;
  {
    NoGradGuard ng;
    const Tensor& x = logits;
    y = to_dtype(target, dt);
    if (weight.defined()) w = to_dtype(weight, dt);
    if (pos_weight.defined()) pw = to_dtype(pos_weight, dt);
    Tensor sp = softplus_neg(x);  // log(1 + exp(-x)), stable
    Tensor l;
    if (pw.defined()) {
      Tensor lw = binary_scalar(BinaryOp::Add, mul(binary_scalar(BinaryOp::Sub, pw, 1.0), y), 1.0);
      l = add(sub(x, mul(y, x)), mul(lw, sp));  // (1 - y) x + (1 + (pw - 1) y) softplus(-x)
    } else {
      l = add(sub(x, mul(y, x)), sp);
    }
    if (w.defined()) l = mul(l, w);
    numel = l.numel();
    out = reduce_loss(l, reduction);
  }
  if (any_requires_grad({&logits, &target, &weight, &pos_weight}))
    record<BceWithLogitsBackward>(out, {&logits, &target, &weight, &pos_weight}, logits, y, w, pw, reduction,
                                  numel);
  return out;
}

}  // namespace lt
