// Pooling shims (max_pool2d, avg_pool2d, adaptive_avg_pool2d: the "Pooling, embedding and pad" group of
// tensor.h).
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

extern "C" {

TENSOR_API tensor_status tensor_max_pool2d(tensor** out, tensor** indices, const tensor* input, const int64_t kernel[2],
                                           const int64_t stride[2], const int64_t padding[2],
                                           const int64_t dilation[2], bool ceil_mode) {
  // indices is optional: both outputs are cleared before anything can fail.
  return guard("tensor_max_pool2d", [&] {
    if (indices) *indices = nullptr;
    check_out(out, "out");
    LT_CHECK(!indices || static_cast<void*>(indices) != static_cast<void*>(out), Status::InvalidArgument,
             "out and indices must be different output pointers");
    LT_ARG(input);
    std::pair<Tensor, Tensor> r =
        lt::max_pool2d(input_t, kernel, stride, padding, dilation, ceil_mode, indices != nullptr);
    *out = to_handle(std::move(r.first));
    if (indices) *indices = to_handle(std::move(r.second));
  });
}

TENSOR_API tensor_status tensor_avg_pool2d(tensor** out, const tensor* input, const int64_t kernel[2],
                                           const int64_t stride[2], const int64_t padding[2], bool ceil_mode,
                                           bool count_include_pad) {
  return produce("tensor_avg_pool2d", out, [&] {
    LT_ARG(input);
    return lt::avg_pool2d(input_t, kernel, stride, padding, ceil_mode, count_include_pad);
  });
}

TENSOR_API tensor_status tensor_adaptive_avg_pool2d(tensor** out, const tensor* input, const int64_t output_size[2]) {
  return produce("tensor_adaptive_avg_pool2d", out, [&] {
    LT_ARG(input);
    return lt::adaptive_avg_pool2d(input_t, output_size);
  });
}

}  // extern "C"
