// Convolution shims (the "Convolutions" group of tensor.h): NULL parameter arrays become PyTorch's
// defaults here; everything else is checked in src/ops/conv.cpp.
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

namespace {

// n entries of `v`, or `fallback` for each when v is NULL, into the last n entries of dst[2].
void take(int64_t dst[2], const int64_t* v, int32_t n, int64_t fallback) {
  for (int32_t i = 0; i < n; ++i) dst[2 - n + i] = v ? v[i] : fallback;
}

ConvArgs conv_args(const int64_t* stride, const int64_t* padding, const int64_t* dilation, int64_t groups) {
  ConvArgs a;
  take(a.stride, stride, 2, 1);
  take(a.padding, padding, 2, 0);
  take(a.dilation, dilation, 2, 1);
  a.groups = groups;
  return a;
}

}  // namespace

extern "C" {

TENSOR_API tensor_status tensor_conv2d(tensor** out, const tensor* input, const tensor* weight, const tensor* bias,
                                       const int64_t stride[2], const int64_t padding[2], const int64_t dilation[2],
                                       int64_t groups) {
  return produce("tensor_conv2d", out, [&] {
    LT_ARG(input);
    LT_ARG(weight);
    return conv2d(input_t, weight_t, optional_arg(bias, "bias"), conv_args(stride, padding, dilation, groups));
  });
}

TENSOR_API tensor_status tensor_conv1d(tensor** out, const tensor* input, const tensor* weight, const tensor* bias,
                                       const int64_t stride[1], const int64_t padding[1], const int64_t dilation[1],
                                       int64_t groups) {
  return produce("tensor_conv1d", out, [&] {
    LT_ARG(input);
    LT_ARG(weight);
    return conv1d(input_t, weight_t, optional_arg(bias, "bias"), stride ? stride[0] : 1, padding ? padding[0] : 0,
                  dilation ? dilation[0] : 1, groups);
  });
}

TENSOR_API tensor_status tensor_conv_transpose2d(tensor** out, const tensor* input, const tensor* weight,
                                                 const tensor* bias, const int64_t stride[2], const int64_t padding[2],
                                                 const int64_t output_padding[2], const int64_t dilation[2],
                                                 int64_t groups) {
  return produce("tensor_conv_transpose2d", out, [&] {
    LT_ARG(input);
    LT_ARG(weight);
    int64_t op[2] = {0, 0};
    take(op, output_padding, 2, 0);
    return conv_transpose2d(input_t, weight_t, optional_arg(bias, "bias"), conv_args(stride, padding, dilation, groups),
                            op);
  });
}

}  // extern "C"
