// Autograd shims.
#include "autograd/autograd_meta.h"
#include "autograd/node.h"
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

extern "C" {

TENSOR_API tensor_status tensor_set_requires_grad(tensor* t, bool requires) {
  return guard("tensor_set_requires_grad", [&] {
    LT_ARG(t);
    set_requires_grad(t_t, requires);
  });
}

TENSOR_API bool tensor_requires_grad(const tensor* t) { return valid_handle(t) && requires_grad(impl_of(t)); }

TENSOR_API bool tensor_is_leaf(const tensor* t) {
  if (!valid_handle(t)) return false;
  Borrowed b(t);
  return is_leaf(b);
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
    Tensor g = grad_of(t_t);
    if (g.defined()) *out = to_handle(std::move(g));
  });
}

TENSOR_API tensor_status tensor_zero_grad(tensor* t) {
  return guard("tensor_zero_grad", [&] {
    LT_ARG(t);
    zero_grad(t_t);
  });
}

TENSOR_API tensor_status tensor_detach(tensor** out, const tensor* t) {
  return produce("tensor_detach", out, [&] {
    LT_ARG(t);
    return detach(t_t);
  });
}

}  // extern "C"
