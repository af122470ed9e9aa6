// Creation shims.
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

extern "C" {

TENSOR_API tensor_status tensor_from_data(tensor** out, const void* data, const int64_t* shape, int32_t ndim,
                                          const tensor_options* opts) {
  return produce("tensor_from_data", out, [&] { return from_data(data, shape_from_c(shape, ndim), options_from_c(opts)); });
}

TENSOR_API tensor_status tensor_empty(tensor** out, const int64_t* shape, int32_t ndim, const tensor_options* opts) {
  return produce("tensor_empty", out, [&] { return empty(shape_from_c(shape, ndim), options_from_c(opts)); });
}

TENSOR_API tensor_status tensor_zeros(tensor** out, const int64_t* shape, int32_t ndim, const tensor_options* opts) {
  return produce("tensor_zeros", out, [&] { return full(shape_from_c(shape, ndim), 0.0, options_from_c(opts)); });
}

TENSOR_API tensor_status tensor_ones(tensor** out, const int64_t* shape, int32_t ndim, const tensor_options* opts) {
  return produce("tensor_ones", out, [&] { return full(shape_from_c(shape, ndim), 1.0, options_from_c(opts)); });
}

TENSOR_API tensor_status tensor_full(tensor** out, const int64_t* shape, int32_t ndim, double value,
                                     const tensor_options* opts) {
  return produce("tensor_full", out, [&] { return full(shape_from_c(shape, ndim), value, options_from_c(opts)); });
}

TENSOR_API tensor_status tensor_arange(tensor** out, double start, double end, double step, const tensor_options* opts) {
  return produce("tensor_arange", out, [&] { return arange(start, end, step, options_from_c(opts)); });
}

TENSOR_API tensor_status tensor_linspace(tensor** out, double start, double end, int64_t steps,
                                         const tensor_options* opts) {
  return produce("tensor_linspace", out, [&] { return linspace(start, end, steps, options_from_c(opts)); });
}

TENSOR_API tensor_status tensor_eye(tensor** out, int64_t n, const tensor_options* opts) {
  return produce("tensor_eye", out, [&] { return eye(n, options_from_c(opts)); });
}

TENSOR_API tensor_status tensor_rand(tensor** out, const int64_t* shape, int32_t ndim, const tensor_options* opts) {
  return produce("tensor_rand", out, [&] { return rand(shape_from_c(shape, ndim), options_from_c(opts)); });
}

TENSOR_API tensor_status tensor_randn(tensor** out, const int64_t* shape, int32_t ndim, const tensor_options* opts) {
  return produce("tensor_randn", out, [&] { return randn(shape_from_c(shape, ndim), options_from_c(opts)); });
}

TENSOR_API tensor_status tensor_zeros_like(tensor** out, const tensor* t) {
  return produce("tensor_zeros_like", out, [&] {
    LT_ARG(t);
    return full_like(t_t, 0.0);
  });
}

TENSOR_API tensor_status tensor_ones_like(tensor** out, const tensor* t) {
  return produce("tensor_ones_like", out, [&] {
    LT_ARG(t);
    return full_like(t_t, 1.0);
  });
}

}  // extern "C"
