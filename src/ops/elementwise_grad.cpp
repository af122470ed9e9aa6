// Backward formulas for elementwise ops. They run under NoGradGuard (the engine's), on any device, and
// may return grads in the broadcast shape: the engine sums them back (Note [grad to input shape]).
#include "autograd/autograd_meta.h"
#include "autograd/node.h"
#include "core/op_table.h"
#include "ops/elementwise_grad.h"
#include "ops/grad_math.h"
#include "ops/ops.h"

namespace lt {

namespace {

// Note [op grad nodes]: one node class per op, instantiated from the op's definition (saves, grad,
// grad_name in core/unary_defs.h / binary_defs.h), so the formula an op runs is chosen at compile time.
template <UnaryOp op>
class UnaryBackward final : public Node {
  using Def = UnaryDef<op>;

 public:
  UnaryBackward(const Tensor& a, const Tensor& out) {
    if constexpr (Def::saves == Saves::Input) saved_ = SavedTensor(a);
    else if constexpr (Def::saves == Saves::Output) saved_ = SavedTensor(out);
  }
  const char* name() const override { return Def::grad_name; }
  void release_saved() override { saved_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor saved;
    if constexpr (Def::saves != Saves::Nothing) saved = saved_.unpack(name());
    return {Def::grad(grads[0], saved)};
  }

 private:
  SavedTensor saved_;
};

template <BinaryOp op>
class BinaryBackward final : public Node {
  using Def = BinaryDef<op>;

 public:
  BinaryBackward(const Tensor& a, const Tensor& b, const Tensor& out)
      : self_mul_(op == BinaryOp::Mul && a.defined() && a.impl() == b.impl()) {
    if constexpr (Def::saves_a) a_ = SavedTensor(a);
    if constexpr (Def::saves_b) {
      if (!self_mul_) b_ = SavedTensor(b);
    }
    if constexpr (Def::saves_out) out_ = SavedTensor(out);
  }
  const char* name() const override { return Def::grad_name; }
  void release_saved() override {
    a_.reset();
    b_.reset();
    out_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    const Tensor& g = grads[0];
    if constexpr (op == BinaryOp::Mul) {
      // x * x: 2 * g * x in one fused pass through the first edge (the second gets none), bitwise what
      // PyTorch's g*x + g*x gives, as doubling is exact.
      if (self_mul_) {
        Tensor x = a_.unpack(name());
        if (x.dtype() == g.dtype() && is_kernel_dtype(g.dtype()) && x.device() == g.device()) {
          Tensor ga = make_empty(g.shape(), g.dtype(), g.device());
          backend_for(g.device()).mul_scaled(ga, g, x, 2.0);
          return {ga, Tensor()};
        }
        Tensor gx = mul(g, x);
        return {gx, gx};
      }
    }
    Tensor a, b, out;
    if constexpr (Def::saves_a) a = a_.unpack(name());
    if constexpr (Def::saves_b) b = b_.unpack(name());
    if constexpr (Def::saves_out) out = out_.unpack(name());
    GradPair<Tensor> r = Def::grad(g, a, b, out, next_edges[0].fn != nullptr, next_edges[1].fn != nullptr);
    return {r.a, r.b};
  }

 private:
  bool self_mul_;  // a and b are the same tensor: one product serves both grads
  SavedTensor a_, b_, out_;
};

// Grad::NotImplemented (floor_divide): recorded as PyTorch records it, so the result requires grad, and
// backward through it fails.
class NotImplementedBackward final : public Node {
 public:
  explicit NotImplementedBackward(const char* op) : op_(op) {}
  const char* name() const override { return "torch::autograd::NotImplemented"; }
  TensorList apply(TensorList&&) override {
    throw_error(Status::Autograd, std::string("the derivative for '") + op_ + "' is not implemented");
  }

 private:
  const char* op_;
};

template <BinaryOp op>
class ScalarBackward final : public Node {
  using Def = BinaryDef<op>;

 public:
  ScalarBackward(const Tensor& a, double s) : s_(s) {
    if constexpr (Def::scalar_saves_a) a_ = SavedTensor(a);
  }
  const char* name() const override { return Def::scalar_grad_name; }
  void release_saved() override { a_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor a;
    if constexpr (Def::scalar_saves_a) a = a_.unpack(name());
    return {Def::scalar_grad(grads[0], a, s_)};
  }

 private:
  double s_;
  SavedTensor a_;
};

constexpr bool has_scalar_form(BinaryOp op) {
#define LT_CASE(name, Enum) \
  if (op == BinaryOp::Enum) return true;
  LT_SCALAR_OPS(LT_CASE)
#undef LT_CASE
  return false;
}

template <typename Op>
[[noreturn]] void no_grad_for(Op op) {
  throw_error(Status::Internal, std::string(op_name(op)) + " has no grad (Grad::None)");
}

// `if constexpr` discards a branch only inside a template, so these per-op steps are templates.
template <BinaryOp op>
std::shared_ptr<Node> make_binary_node_of(const Tensor& a, const Tensor& b, const Tensor& out) {
  constexpr Grad grads = BinaryDef<op>::grads;
  if constexpr (grads == Grad::Formula) return std::make_shared<BinaryBackward<op>>(a, b, out);
  else if constexpr (grads == Grad::NotImplemented) return std::make_shared<NotImplementedBackward>(op_name(op));
  else no_grad_for(op);
}
template <UnaryOp op>
void record_unary_node_of(const Tensor& out, const Tensor& a) {
  constexpr Grad grads = UnaryDef<op>::grads;
  if constexpr (grads == Grad::Formula) record<UnaryBackward<op>>(out, {&a}, a, out);
  else if constexpr (grads == Grad::NotImplemented) record<NotImplementedBackward>(out, {&a}, op_name(op));
  else no_grad_for(op);
}
template <BinaryOp op>
void record_scalar_node_of(const Tensor& out, const Tensor& a, double s) {
  if constexpr (has_scalar_form(op)) record<ScalarBackward<op>>(out, {&a}, a, s);
  else throw_error(Status::Internal, std::string(op_name(op)) + " has no scalar form");
}

bool binary_saves_a(BinaryOp op) {
  return visit_def(op, [](auto def) { return decltype(def)::saves_a; });
}
bool binary_saves_b(BinaryOp op) {
  return visit_def(op, [](auto def) { return decltype(def)::saves_b; });
}

// The grad node of a binary op with a grad (Grad::Formula or NotImplemented) over inputs a, b with result out.
std::shared_ptr<Node> make_binary_node(BinaryOp op, const Tensor& a, const Tensor& b, const Tensor& out) {
  switch (op) {
#define LT_CASE(name, Enum) \
  case BinaryOp::Enum: return make_binary_node_of<BinaryOp::Enum>(a, b, out);
    LT_BINARY_OPS(LT_CASE)
#undef LT_CASE
  }
  no_grad_for(op);
}

class WhereBackward final : public Node {
 public:
  explicit WhereBackward(const Tensor& cond) : cond_(cond) {}
  const char* name() const override { return "WhereBackward0"; }
  void release_saved() override { cond_.reset(); }
  TensorList apply(TensorList&& grads) override {
    const Tensor& g = grads[0];
    Tensor c = cond_.unpack(name());
    Tensor z = zeros_like(g);
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
  std::shared_ptr<Node> node = make_binary_node(op, a, b, out);
  collect_inputs(*node, {&a, &b});
  set_history(out, node);
}

void record_binary_scalar_grad(BinaryOp op, const Tensor& out, const Tensor& a, double s) {
  switch (op) {
#define LT_CASE(name, Enum) \
  case BinaryOp::Enum: record_scalar_node_of<BinaryOp::Enum>(out, a, s); break;
    LT_BINARY_OPS(LT_CASE)
#undef LT_CASE
  }
}

void record_unary_grad(UnaryOp op, const Tensor& out, const Tensor& a) {
  switch (op) {
#define LT_CASE(name, Enum) \
  case UnaryOp::Enum: record_unary_node_of<UnaryOp::Enum>(out, a); break;
    LT_UNARY_OPS(LT_CASE)
#undef LT_CASE
  }
}

void record_where_grad(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) {
  record<WhereBackward>(out, {&a, &b}, cond);
}

Tensor inplace_saved_old_value(BinaryOp op, const Tensor& t) { return binary_saves_a(op) ? clone(detach(t)) : Tensor(); }

std::shared_ptr<Node> prepare_inplace_binary_grad(BinaryOp op, const Tensor& t, const Tensor& old_value,
                                                  const Tensor& other) {
  // Edges come from t's history before it is replaced (the caller's set_history runs later). When other
  // shares t's memory (y.mul_(y)) the write would change the values saved for it, and the grad would use
  // the new ones: save a copy instead (this runs before the write).
  Tensor saved_other = binary_saves_b(op) && other.storage() == t.storage() ? clone(detach(other)) : other;
  std::shared_ptr<Node> node = make_binary_node(op, old_value, saved_other, t);
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
