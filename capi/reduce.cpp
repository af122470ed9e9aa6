// Reduction shims (the Reductions group of tensor.h).
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

namespace {

// The shims of reductions over a set of dims share one shape: (out, t, dims, ndims, keepdim).
using DimsOp = Tensor (*)(const Tensor&, const std::vector<int32_t>&, bool);

tensor_status dims_reduction(const char* call, DimsOp op, tensor** out, const tensor* t, const int32_t* dims,
                             int32_t ndims, bool keepdim) {
  return produce(call, out, [&] {
    LT_ARG(t);
    return op(t_t, dims_from_c(dims, ndims), keepdim);
  });
}

// max_dim / min_dim: two outputs, both cleared before anything can fail.
using DimOp = std::pair<Tensor, Tensor> (*)(const Tensor&, int32_t, bool);

tensor_status values_indices(const char* call, DimOp op, tensor** values, tensor** indices, const tensor* t,
                             int32_t dim, bool keepdim) {
  return produce_pair(call, values, indices, [&] {
    LT_ARG(t);
    return op(t_t, dim, keepdim);
  });
}

}  // namespace

extern "C" {

TENSOR_API tensor_status tensor_sum(tensor** out, const tensor* t, const int32_t* dims, int32_t ndims, bool keepdim) {
  return dims_reduction("tensor_sum", &lt::sum, out, t, dims, ndims, keepdim);
}

TENSOR_API tensor_status tensor_mean(tensor** out, const tensor* t, const int32_t* dims, int32_t ndims, bool keepdim) {
  return dims_reduction("tensor_mean", &lt::mean, out, t, dims, ndims, keepdim);
}

TENSOR_API tensor_status tensor_prod(tensor** out, const tensor* t, const int32_t* dims, int32_t ndims, bool keepdim) {
  return dims_reduction("tensor_prod", &lt::prod, out, t, dims, ndims, keepdim);
}

TENSOR_API tensor_status tensor_all(tensor** out, const tensor* t, const int32_t* dims, int32_t ndims, bool keepdim) {
  return dims_reduction("tensor_all", &lt::all, out, t, dims, ndims, keepdim);
}

TENSOR_API tensor_status tensor_any(tensor** out, const tensor* t, const int32_t* dims, int32_t ndims, bool keepdim) {
  return dims_reduction("tensor_any", &lt::any, out, t, dims, ndims, keepdim);
}

TENSOR_API tensor_status tensor_var(tensor** out, const tensor* t, const int32_t* dims, int32_t ndims,
                                    int64_t correction, bool keepdim) {
  return produce("tensor_var", out, [&] {
    LT_ARG(t);
    return var(t_t, dims_from_c(dims, ndims), correction, keepdim);
  });
}

TENSOR_API tensor_status tensor_std(tensor** out, const tensor* t, const int32_t* dims, int32_t ndims,
                                    int64_t correction, bool keepdim) {
  return produce("tensor_std", out, [&] {
    LT_ARG(t);
    return std_dev(t_t, dims_from_c(dims, ndims), correction, keepdim);
  });
}

TENSOR_API tensor_status tensor_max(tensor** out, const tensor* t) {
  return produce("tensor_max", out, [&] {
    LT_ARG(t);
    return max_all(t_t);
  });
}

TENSOR_API tensor_status tensor_min(tensor** out, const tensor* t) {
  return produce("tensor_min", out, [&] {
    LT_ARG(t);
    return min_all(t_t);
  });
}

TENSOR_API tensor_status tensor_max_dim(tensor** values, tensor** indices, const tensor* t, int32_t dim,
                                        bool keepdim) {
  return values_indices("tensor_max_dim", &lt::max_dim, values, indices, t, dim, keepdim);
}

TENSOR_API tensor_status tensor_min_dim(tensor** values, tensor** indices, const tensor* t, int32_t dim,
                                        bool keepdim) {
  return values_indices("tensor_min_dim", &lt::min_dim, values, indices, t, dim, keepdim);
}

TENSOR_API tensor_status tensor_argmax(tensor** out, const tensor* t, int32_t dim, bool keepdim) {
  return produce("tensor_argmax", out, [&] {
    LT_ARG(t);
    return argmax(t_t, dim, keepdim);
  });
}

TENSOR_API tensor_status tensor_argmin(tensor** out, const tensor* t, int32_t dim, bool keepdim) {
  return produce("tensor_argmin", out, [&] {
    LT_ARG(t);
    return argmin(t_t, dim, keepdim);
  });
}

}  // extern "C"
