// Elementwise shims, generated from the op tables in core/op_kinds.h. Each shim first checks that
// include/tensor/tensor.h declares the call with the shape the table implies, so a table row whose C
// declaration is missing or different fails to compile here (naming the call).
#include <type_traits>

#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

namespace {
using BinaryCall = tensor_status (*)(tensor**, const tensor*, const tensor*);
using ScalarCall = tensor_status (*)(tensor**, const tensor*, double);
using UnaryCall = tensor_status (*)(tensor**, const tensor*);
using InplaceCall = tensor_status (*)(tensor*, const tensor*);
}  // namespace

extern "C" {

#define LT_BINARY_SHIM(name, Enum)                                                             \
  static_assert(std::is_same<decltype(&::tensor_##name), BinaryCall>::value, "tensor.h: tensor_" #name); \
  TENSOR_API tensor_status tensor_##name(tensor** out, const tensor* a, const tensor* b) {   \
    return produce("tensor_" #name, out, [&] {                                               \
      LT_ARG(a);                                                                             \
      LT_ARG(b);                                                                             \
      return binary(BinaryOp::Enum, a_t, b_t);                                               \
    });                                                                                      \
  }
LT_BINARY_OPS(LT_BINARY_SHIM)
#undef LT_BINARY_SHIM

#define LT_SCALAR_SHIM(name, Enum)                                                               \
  static_assert(std::is_same<decltype(&::tensor_##name##_scalar), ScalarCall>::value,           \
                "tensor.h: tensor_" #name "_scalar");                                            \
  TENSOR_API tensor_status tensor_##name##_scalar(tensor** out, const tensor* a, double s) {   \
    return produce("tensor_" #name "_scalar", out, [&] {                                       \
      LT_ARG(a);                                                                               \
      return binary_scalar(BinaryOp::Enum, a_t, s);                                            \
    });                                                                                        \
  }
LT_SCALAR_OPS(LT_SCALAR_SHIM)
#undef LT_SCALAR_SHIM

#define LT_UNARY_SHIM(name, Enum)                                            \
  static_assert(std::is_same<decltype(&::tensor_##name), UnaryCall>::value, "tensor.h: tensor_" #name); \
  TENSOR_API tensor_status tensor_##name(tensor** out, const tensor* a) {  \
    return produce("tensor_" #name, out, [&] {                             \
      LT_ARG(a);                                                           \
      return unary(UnaryOp::Enum, a_t);                                    \
    });                                                                    \
  }
LT_UNARY_OPS(LT_UNARY_SHIM)
#undef LT_UNARY_SHIM

#define LT_INPLACE_SHIM(name, Enum)                                            \
  static_assert(std::is_same<decltype(&::tensor_##name##_), InplaceCall>::value, "tensor.h: tensor_" #name "_"); \
  TENSOR_API tensor_status tensor_##name##_(tensor* t, const tensor* other) { \
    return guard("tensor_" #name "_", [&] {                                    \
      LT_ARG(t);                                                               \
      LT_ARG(other);                                                           \
      binary_(BinaryOp::Enum, t_t, other_t);                                   \
    });                                                                        \
  }
LT_INPLACE_OPS(LT_INPLACE_SHIM)
#undef LT_INPLACE_SHIM

TENSOR_API tensor_status tensor_where(tensor** out, const tensor* cond, const tensor* a, const tensor* b) {
  return produce("tensor_where", out, [&] {
    LT_ARG(cond);
    LT_ARG(a);
    LT_ARG(b);
    return where(cond_t, a_t, b_t);
  });
}

TENSOR_API tensor_status tensor_copy_(tensor* dst, const tensor* src) {
  return guard("tensor_copy_", [&] {
    LT_ARG(dst);
    LT_ARG(src);
    copy_(dst_t, src_t);
  });
}

TENSOR_API tensor_status tensor_fill_(tensor* t, double value) {
  return guard("tensor_fill_", [&] {
    LT_ARG(t);
    fill_(t_t, value);
  });
}

TENSOR_API tensor_status tensor_zero_(tensor* t) {
  return guard("tensor_zero_", [&] {
    LT_ARG(t);
    fill_(t_t, 0.0);
  });
}

}  // extern "C"
