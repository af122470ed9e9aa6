// Activation, clamp and linear shims (the "Activations, clamp and linear" group of tensor.h).
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

extern "C" {

TENSOR_API tensor_status tensor_gelu(tensor** out, const tensor* a, bool tanh_approximation) {
  return produce("tensor_gelu", out, [&] {
    LT_ARG(a);
    return gelu(a_t, tanh_approximation);
  });
}

TENSOR_API tensor_status tensor_softplus(tensor** out, const tensor* a, double beta, double threshold) {
  return produce("tensor_softplus", out, [&] {
    LT_ARG(a);
    return softplus(a_t, beta, threshold);
  });
}

TENSOR_API tensor_status tensor_leaky_relu(tensor** out, const tensor* a, double negative_slope) {
  return produce("tensor_leaky_relu", out, [&] {
    LT_ARG(a);
    return leaky_relu(a_t, negative_slope);
  });
}

TENSOR_API tensor_status tensor_elu(tensor** out, const tensor* a, double alpha) {
  return produce("tensor_elu", out, [&] {
    LT_ARG(a);
    return elu(a_t, alpha);
  });
}

TENSOR_API tensor_status tensor_clamp(tensor** out, const tensor* a, const tensor* min, const tensor* max) {
  return produce("tensor_clamp", out, [&] {
    LT_ARG(a);
    return clamp(a_t, optional_arg(min, "min"), optional_arg(max, "max"));
  });
}

TENSOR_API tensor_status tensor_clamp_scalar(tensor** out, const tensor* a, double min, double max) {
  return produce("tensor_clamp_scalar", out, [&] {
    LT_ARG(a);
    return clamp_scalar(a_t, min, max);
  });
}

TENSOR_API tensor_status tensor_linear(tensor** out, const tensor* x, const tensor* weight, const tensor* bias) {
  return produce("tensor_linear", out, [&] {
    LT_ARG(x);
    LT_ARG(weight);
    return linear(x_t, weight_t, optional_arg(bias, "bias"));
  });
}

}  // extern "C"
