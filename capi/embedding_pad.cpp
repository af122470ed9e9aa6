// Embedding and pad shims (the "Pooling, embedding and pad" group of tensor.h).
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

extern "C" {

TENSOR_API tensor_status tensor_embedding(tensor** out, const tensor* weight, const tensor* indices) {
  return produce("tensor_embedding", out, [&] {
    LT_ARG(weight);
    LT_ARG(indices);
    return lt::embedding(weight_t, indices_t);
  });
}

TENSOR_API tensor_status tensor_pad(tensor** out, const tensor* a, const int64_t* pads, int32_t npads, double value) {
  return produce("tensor_pad", out, [&] {
    LT_ARG(a);
    return lt::pad(a_t, pads, npads, value);
  });
}

}  // extern "C"
