// Normalisation shims (the "Normalisation layers" group of tensor.h): batch_norm, layer_norm, group_norm.
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

extern "C" {

TENSOR_API tensor_status tensor_batch_norm(tensor** out, const tensor* input, const tensor* weight, const tensor* bias,
                                           tensor* running_mean, tensor* running_var, bool training, double momentum,
                                           double eps) {
  return produce("tensor_batch_norm", out, [&] {
    LT_ARG(input);
    return batch_norm(input_t, optional_arg(weight, "weight"), optional_arg(bias, "bias"),
                      optional_arg(running_mean, "running_mean"), optional_arg(running_var, "running_var"), training,
                      momentum, eps);
  });
}

TENSOR_API tensor_status tensor_layer_norm(tensor** out, const tensor* input, const int64_t* normalized_shape,
                                           int32_t n, const tensor* weight, const tensor* bias, double eps) {
  return produce("tensor_layer_norm", out, [&] {
    LT_ARG(input);
    LT_CHECK(n >= 0, Status::InvalidArgument, "normalized_shape length must be >= 0, got " << n);
    LT_CHECK(n == 0 || normalized_shape != nullptr, Status::InvalidArgument,
             "normalized_shape is NULL but its length is " << n);
    return layer_norm(input_t, shape_from_c(normalized_shape, n), optional_arg(weight, "weight"),
                      optional_arg(bias, "bias"), eps);
  });
}

TENSOR_API tensor_status tensor_group_norm(tensor** out, const tensor* input, int64_t num_groups, const tensor* weight,
                                           const tensor* bias, double eps) {
  return produce("tensor_group_norm", out, [&] {
    LT_ARG(input);
    return group_norm(input_t, num_groups, optional_arg(weight, "weight"), optional_arg(bias, "bias"), eps);
  });
}

}  // extern "C"
