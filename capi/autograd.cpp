// Autograd shims.
#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

extern "C" {

TENSOR_API tensor_status tensor_set_requires_grad(tensor* t, bool requires) {
  return guard("tensor_set_requires_grad", [&] {
    LT_ARG(t);
    const AutogradMeta* m = t_t.get()->autograd;
    LT_CHECK(!(m && m->grad_fn), Status::Autograd,
             "you can only change requires_grad of leaf tensors (this one was produced by "
                 << m->grad_fn->name() << "); use tensor_detach to get a leaf");
    if (!requires) {
      if (m) autograd_meta(t_t).requires_grad = false;
      return;
    }
    LT_CHECK(is_floating(t_t.get().dtype()), Status::DType,
             "only tensors of floating dtype can require gradients, got " << dtype_name(t_t.get().dtype()));
    autograd_meta(t_t).requires_grad = true;
  });
}

TENSOR_API bool tensor_requires_grad(const tensor* t) { return valid_handle(t) && requires_grad(impl_of(t)); }

TENSOR_API bool tensor_is_leaf(const tensor* t) {
  if (!valid_handle(t)) return false;
  const AutogradMeta* m = impl_of(t)->autograd;
  return !m || !m->grad_fn;
}

TENSOR_API tensor_status tensor_backward(tensor* t, const tensor* grad, bool retain_graph) {
  return guard("tensor_backward", [&] {
    LT_ARG(t);
    if (grad) {
      LT_ARG(grad);
      backward(t_t, grad_t, retain_graph);
    } else {
      backward(t_t, Tensor(), retain_graph);
    }
  });
}

TENSOR_API tensor_status tensor_grad(tensor** out, const tensor* t) {
  return guard("tensor_grad", [&] {
    check_out(out, "out");
    LT_ARG(t);
    AutogradMeta* m = t_t.get()->autograd;
    if (!m) return;
    std::lock_guard<std::mutex> lock(m->mu);
    if (m->grad.defined()) *out = to_handle(Tensor(m->grad));
  });
}

TENSOR_API tensor_status tensor_zero_grad(tensor* t) {
  return guard("tensor_zero_grad", [&] {
    LT_ARG(t);
    AutogradMeta* m = t_t.get()->autograd;
    if (!m) return;
    std::lock_guard<std::mutex> lock(m->mu);
    m->grad = Tensor();
  });
}

TENSOR_API tensor_status tensor_detach(tensor** out, const tensor* t) {
  return produce("tensor_detach", out, [&] {
    LT_ARG(t);
    return detach(t_t);
  });
}

}  // extern "C"
