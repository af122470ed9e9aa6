// Recording: attaching grad nodes to op outputs.
#include <new>

#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "core/shape.h"

namespace lt {

AutogradMeta& autograd_meta(const Tensor& t) {
  TensorImpl* impl = t.impl();
  if (!impl->autograd) {
    maybe_inject_allocation_failure(sizeof(AutogradMeta));
    impl->autograd = new AutogradMeta();
  }
  return *meta_of(impl);
}

bool any_requires_grad(std::initializer_list<const Tensor*> inputs) {
  if (!grad_mode_enabled()) return false;
  for (const Tensor* t : inputs)
    if (t->defined() && requires_grad(*t)) return true;
  return false;
}

namespace {

Edge edge_for(const Tensor& t) {
  if (!t.defined() || !requires_grad(t)) return Edge{};
  AutogradMeta& m = autograd_meta(t);
  if (m.grad_fn) return Edge{m.grad_fn, m.output_nr};
  std::lock_guard<std::mutex> lock(m.mu);
  std::shared_ptr<Node> acc = m.accumulator.lock();
  if (!acc) {
    acc = std::make_shared<AccumulateGrad>(t);
    m.accumulator = acc;
  }
  return Edge{acc, 0};
}

void add_input(Node& node, const Tensor& t) {
  node.next_edges.push_back(edge_for(t));
  InputMeta meta;
  if (t.defined()) {
    meta.shape = t.shape();
    meta.dtype = t.dtype();
  }
  node.input_meta.push_back(std::move(meta));
}

}  // namespace

void collect_inputs(Node& node, std::initializer_list<const Tensor*> inputs) {
  node.next_edges.reserve(inputs.size());
  node.input_meta.reserve(inputs.size());
  for (const Tensor* t : inputs) add_input(node, *t);
}

void collect_inputs(Node& node, const std::vector<Tensor>& inputs) {
  node.next_edges.reserve(inputs.size());
  node.input_meta.reserve(inputs.size());
  for (const Tensor& t : inputs) add_input(node, t);
}

void set_history(const Tensor& out, const std::shared_ptr<Node>& node, uint32_t output_nr) {
  AutogradMeta& m = autograd_meta(out);
  if (!m.grad_fn) {  // a leaf (an in-place op's output) becomes a non-leaf: Note [orphaned accumulator]
    std::shared_ptr<Node> acc;
    {
      std::lock_guard<std::mutex> lock(m.mu);
      acc = m.accumulator.lock();
      m.accumulator.reset();
    }
    if (acc) static_cast<AccumulateGrad&>(*acc).orphan();
  }
  m.grad_fn = node;
  m.output_nr = output_nr;
  m.requires_grad = false;  // implied by grad_fn
}

void set_view_history(const Tensor& out, const std::shared_ptr<Node>& node) {
  set_history(out, node);
  autograd_meta(out).is_view = true;
}

void check_inplace(const Tensor& t, const char* what) {
  // Several elements sharing one location (an expanded view, a stride-0 import) make the result of a
  // write depend on the order the kernel happens to visit them, and parallel kernels race on them.
  // PyTorch refuses the same; stricter than PyTorch, fill_ and zero_ are refused too (their parallel
  // kernel would still race).
  LT_CHECK(t.is_contiguous() || !has_internal_overlap(t.shape(), t.strides()), Status::InvalidArgument,
           what << ": unsupported operation: more than one element of the written-to tensor of shape "
                << shape_str(t.shape()) << " and strides " << shape_str(t.strides())
                << " refers to a single memory location; clone() it first");
  const AutogradMeta* m = meta_of(t.impl());
  if (!m || !grad_mode_enabled()) return;
  LT_CHECK(!(m->requires_grad && !m->grad_fn), Status::Autograd,
           what << ": a leaf tensor that requires grad is being used in an in-place operation; "
                   "disable grad mode (tensor_set_grad_enabled(false)) for parameter updates");
  LT_CHECK(!(m->is_view && m->grad_fn), Status::Autograd,
           what << ": in-place operation on a view of a tensor that requires grad is not supported; "
                   "clone the view first");
}

}  // namespace lt
