// Linear algebra shims.
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

extern "C" {

TENSOR_API tensor_status tensor_matmul(tensor** out, const tensor* a, const tensor* b) {
  return produce("tensor_matmul", out, [&] {
    LT_ARG(a);
    LT_ARG(b);
    return matmul(a_t, b_t);
  });
}

}  // extern "C"
