// The leaf rules behind tensor_set_requires_grad / tensor_grad / tensor_zero_grad. They live here, next
// to the graph, so that the C shims stay mechanical and the AutogradMeta locking has one owner.
#include "autograd/autograd_meta.h"
#include "autograd/node.h"

namespace lt {

void set_requires_grad(const Tensor& t, bool requires) {
  const AutogradMeta* m = meta_of(t.impl());
  LT_CHECK(!(m && m->grad_fn), Status::Autograd,
           "you can only change requires_grad of leaf tensors (this one was produced by "
               << m->grad_fn->name() << "); use tensor_detach to get a leaf");
  if (!requires) {
    if (m) autograd_meta(t).requires_grad = false;  // no meta means it never required grad
    return;
  }
  LT_CHECK(is_floating(t.dtype()), Status::DType,
           "only tensors of floating dtype can require gradients, got " << dtype_name(t.dtype()));
  autograd_meta(t).requires_grad = true;
}

Tensor grad_of(const Tensor& t) {
  AutogradMeta* m = meta_of(t.impl());
  if (!m) return Tensor();
  std::lock_guard<std::mutex> lock(m->mu);
  return m->grad;
}

void zero_grad(const Tensor& t) {
  AutogradMeta* m = meta_of(t.impl());
  if (!m) return;
  std::lock_guard<std::mutex> lock(m->mu);
  m->grad = Tensor();
}

}  // namespace lt
