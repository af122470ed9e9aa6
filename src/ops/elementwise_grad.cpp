// Backward formulas for elementwise ops. They run under NoGradGuard (the engine's), on any device, and
// may return grads in the broadcast shape: the engine sums them back (Note [grad to input shape]).
#include "autograd/autograd_meta.h"
#include "autograd/node.h"
#include "ops/elementwise_grad.h"
#include "ops/ops.h"

namespace lt {

namespace {

Tensor mul_s(const Tensor& a, double s) { return binary_scalar(BinaryOp::Mul, a, s); }
Tensor zeros_like_t(const Tensor& t) { return full_like(t, 0.0); }
// 1 where cond is true, 0 elsewhere, in `like`'s dtype.
Tensor mask(const Tensor& cond, const Tensor& like) { return to_dtype(cond, like.dtype()); }

bool needs_a(BinaryOp op) { return op == BinaryOp::Mul || op == BinaryOp::Pow || op == BinaryOp::Maximum || op == BinaryOp::Minimum; }
bool needs_b(BinaryOp op) { return op != BinaryOp::Add && op != BinaryOp::Sub; }
bool needs_out(BinaryOp op) { return op == BinaryOp::Div || op == BinaryOp::Pow; }

const char* binary_grad_name(BinaryOp op) {
  switch (op) {
#define LT_NAME(name, Enum, grad, cmp) \
  case BinaryOp::Enum: return grad;
    LT_BINARY_OPS(LT_NAME)
#undef LT_NAME
  }
  return "";
}

class BinaryBackward final : public Node {
 public:
  BinaryBackward(BinaryOp op, const Tensor& a, const Tensor& b, const Tensor& out)
      : op_(op), self_mul_(op == BinaryOp::Mul && a.impl() == b.impl()) {
    if (needs_a(op)) a_ = SavedTensor(a);
    if (needs_b(op) && !self_mul_) b_ = SavedTensor(b);
    if (needs_out(op)) out_ = SavedTensor(out);
  }
  const char* name() const override { return binary_grad_name(op_); }
  void release_saved() override {
    a_.reset();
    b_.reset();
    out_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    const Tensor& g = grads[0];
    const bool want_a = next_edges[0].fn != nullptr, want_b = next_edges[1].fn != nullptr;
    Tensor ga, gb;
    switch (op_) {
      case BinaryOp::Add: ga = g; gb = g; break;
      case BinaryOp::Sub:
        ga = g;
        if (want_b) gb = unary(UnaryOp::Neg, g);
        break;
      case BinaryOp::Mul: {
        if (self_mul_) {  // x * x: 2 * g * x in one pass through the first edge (the second gets none);
          // bitwise what PyTorch's g*x + g*x gives, as doubling is exact
          Tensor x = a_.unpack(name());
          if (x.dtype() == g.dtype() && x.device() == g.device()) {
            ga = make_empty(g.shape(), g.dtype(), g.device());
            backend_for(g.device()).mul_scaled(ga, g, x, 2.0);
            break;
          }
          ga = mul(g, x);
          gb = ga;
          break;
        }
        if (want_a) ga = mul(g, b_.unpack(name()));
        if (want_b) gb = mul(g, a_.unpack(name()));
        break;
      }
      case BinaryOp::Div: {
        Tensor b = b_.unpack(name());
        if (want_a) ga = div(g, b);
        if (want_b) gb = unary(UnaryOp::Neg, div(mul(g, out_.unpack(name())), b));
        break;
      }
      case BinaryOp::Pow: {
        Tensor a = a_.unpack(name()), b = b_.unpack(name());
        if (want_a) {  // b * a^(b-1), with 0 where b == 0 (PyTorch's masking)
          Tensor d = mul(b, binary(BinaryOp::Pow, a, binary_scalar(BinaryOp::Sub, b, 1.0)));
          d = where(binary_scalar(BinaryOp::Eq, b, 0.0), zeros_like_t(d), d);
          ga = mul(g, d);
        }
        if (want_b) {  // a^b * log(a), with 0 where a == 0 and b >= 0
          Tensor out = out_.unpack(name());
          Tensor d = mul(out, unary(UnaryOp::Log, a));
          Tensor zero_base = binary(BinaryOp::Mul, to_dtype(binary_scalar(BinaryOp::Eq, a, 0.0), DType::Int32),
                                    to_dtype(binary_scalar(BinaryOp::Ge, b, 0.0), DType::Int32));
          d = where(to_dtype(zero_base, DType::Bool), zeros_like_t(d), d);
          gb = mul(g, d);
        }
        break;
      }
      case BinaryOp::Maximum:
      case BinaryOp::Minimum: {
        // as PyTorch: the winner gets the grad, ties split it in half
        Tensor a = a_.unpack(name()), b = b_.unpack(name());
        BinaryOp wins = op_ == BinaryOp::Maximum ? BinaryOp::Gt : BinaryOp::Lt;
        Tensor half = mul_s(mask(binary(BinaryOp::Eq, a, b), g), 0.5);
        if (want_a) ga = mul(g, add(mask(binary(wins, a, b), g), half));
        if (want_b) gb = mul(g, add(mask(binary(wins, b, a), g), half));
        break;
      }
      default: break;
    }
    return {ga, gb};
  }

 private:
  BinaryOp op_;
  bool self_mul_;  // a and b are the same tensor: one product serves both grads
  SavedTensor a_, b_, out_;
};

class ScalarBackward final : public Node {
 public:
  ScalarBackward(BinaryOp op, const Tensor& a, double s) : op_(op), s_(s) {
    if (op == BinaryOp::Pow) a_ = SavedTensor(a);
  }
  const char* name() const override {
    switch (op_) {
#define LT_NAME(n, Enum, grad) \
  case BinaryOp::Enum: return grad;
      LT_SCALAR_OPS(LT_NAME)
#undef LT_NAME
      default: return "";
    }
  }
  void release_saved() override { a_.reset(); }
  TensorList apply(TensorList&& grads) override {
    const Tensor& g = grads[0];
    switch (op_) {
      case BinaryOp::Add:
      case BinaryOp::Sub: return {g};
      case BinaryOp::Mul: return {mul_s(g, s_)};
      case BinaryOp::Div: return {mul_s(g, 1.0 / s_)};
      case BinaryOp::Pow: {
        if (s_ == 0.0) return {zeros_like_t(g)};
        Tensor a = a_.unpack(name());
        return {mul(g, mul_s(binary_scalar(BinaryOp::Pow, a, s_ - 1.0), s_))};
      }
      default: return {Tensor()};
    }
  }

 private:
  BinaryOp op_;
  double s_;
  SavedTensor a_;
};

const char* unary_grad_name(UnaryOp op) {
  switch (op) {
#define LT_NAME(name, Enum, grad, fo) \
  case UnaryOp::Enum: return grad;
    LT_UNARY_OPS(LT_NAME)
#undef LT_NAME
  }
  return "";
}

bool unary_saves_input(UnaryOp op) {
  return op == UnaryOp::Abs || op == UnaryOp::Log || op == UnaryOp::Sin || op == UnaryOp::Cos;
}

class UnaryBackward final : public Node {
 public:
  UnaryBackward(UnaryOp op, const Tensor& a, const Tensor& out) : op_(op) {
    if (op == UnaryOp::Neg) return;
    if (unary_saves_input(op)) saved_ = SavedTensor(a);
    else saved_ = SavedTensor(out);
  }
  const char* name() const override { return unary_grad_name(op_); }
  void release_saved() override { saved_.reset(); }
  TensorList apply(TensorList&& grads) override {
    const Tensor& g = grads[0];
    if (op_ == UnaryOp::Neg) return {unary(UnaryOp::Neg, g)};
    Tensor v = saved_.unpack(name());  // input for abs/log/sin/cos, output otherwise
    switch (op_) {
      case UnaryOp::Abs:  // sign(a)
        return {mul(g, sub(mask(binary_scalar(BinaryOp::Gt, v, 0.0), g), mask(binary_scalar(BinaryOp::Lt, v, 0.0), g)))};
      case UnaryOp::Exp: return {mul(g, v)};
      case UnaryOp::Log: return {div(g, v)};
      case UnaryOp::Sqrt: return {div(g, mul_s(v, 2.0))};
      case UnaryOp::Sin: return {mul(g, unary(UnaryOp::Cos, v))};
      case UnaryOp::Cos: return {unary(UnaryOp::Neg, mul(g, unary(UnaryOp::Sin, v)))};
      case UnaryOp::Tanh: return {sub(g, mul(g, mul(v, v)))};  // 1 - tanh^2
      case UnaryOp::Sigmoid:  // s * (1 - s)
        return {mul(g, sub(v, mul(v, v)))};
      case UnaryOp::Relu: return {mul(g, mask(binary_scalar(BinaryOp::Gt, v, 0.0), g))};
      default: return {Tensor()};
    }
  }

 private:
  UnaryOp op_;
  SavedTensor saved_;
};

class WhereBackward final : public Node {
 public:
  explicit WhereBackward(const Tensor& cond) : cond_(cond) {}
  const char* name() const override { return "WhereBackward0"; }
  void release_saved() override { cond_.reset(); }
  TensorList apply(TensorList&& grads) override {
    const Tensor& g = grads[0];
    Tensor c = cond_.unpack(name());
    Tensor z = zeros_like_t(g);
    return {where(c, g, z), where(c, z, g)};
  }

 private:
  SavedTensor cond_;
};

// copy_: the destination's old value is overwritten, so only src receives a grad.
class CopyBackward final : public Node {
 public:
  const char* name() const override { return "CopyBackwards"; }
  TensorList apply(TensorList&& grads) override { return {Tensor(), grads[0]}; }
};

// fill_: the result does not depend on anything.
class FillBackward final : public Node {
 public:
  const char* name() const override { return "FillBackward0"; }
  TensorList apply(TensorList&&) override { return {}; }
};

}  // namespace

void record_binary_grad(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
  record<BinaryBackward>(out, {&a, &b}, op, a, b, out);
}

void record_binary_scalar_grad(BinaryOp op, const Tensor& out, const Tensor& a, double s) {
  record<ScalarBackward>(out, {&a}, op, a, s);
}

void record_unary_grad(UnaryOp op, const Tensor& out, const Tensor& a) {
  record<UnaryBackward>(out, {&a}, op, a, out);
}

void record_where_grad(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) {
  record<WhereBackward>(out, {&a, &b}, cond);
}

Tensor inplace_saved_old_value(BinaryOp op, const Tensor& t) { return needs_a(op) ? clone(detach(t)) : Tensor(); }

std::shared_ptr<Node> prepare_inplace_binary_grad(BinaryOp op, const Tensor& t, const Tensor& old_value,
                                                  const Tensor& other) {
  // Edges come from t's history before it is replaced (the caller's set_history runs later). When other
  // shares t's memory (y.mul_(y)) the write would change the values saved for it, and the grad would use
  // the new ones: save a copy instead (this runs before the write).
  Tensor saved_other = needs_b(op) && other.storage() == t.storage() ? clone(detach(other)) : other;
  auto node = std::make_shared<BinaryBackward>(op, old_value, saved_other, t);
  collect_inputs(*node, {&t, &other});
  return node;
}

std::shared_ptr<Node> prepare_copy_grad(const Tensor& dst, const Tensor& src) {
  auto node = std::make_shared<CopyBackward>();
  collect_inputs(*node, {&dst, &src});
  return node;
}

std::shared_ptr<Node> prepare_fill_grad() { return std::make_shared<FillBackward>(); }

}  // namespace lt
