// Shape and view shims.
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

namespace {
std::vector<Tensor> tensor_list(const tensor* const* ts, int32_t n) {
  LT_CHECK(n >= 1, Status::InvalidArgument, "expected at least one tensor, got n = " << n);
  LT_CHECK(ts != nullptr, Status::InvalidArgument, "tensor list is NULL");
  std::vector<Tensor> r;
  r.reserve(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) {
    LT_CHECK(valid_handle(ts[i]), Status::InvalidArgument, "tensor " << i << " of the list is NULL or invalid");
    r.push_back(Tensor::share(reinterpret_cast<TensorImpl*>(const_cast<tensor*>(ts[i]))));
  }
  return r;
}

DimVector new_shape_from_c(const int64_t* shape, int32_t ndim) {
  // -1 entries are allowed here (inferred / kept), so no numel check.
  LT_CHECK(ndim >= 0, Status::InvalidArgument, "ndim must be >= 0, got " << ndim);
  LT_CHECK(ndim == 0 || shape != nullptr, Status::InvalidArgument, "shape is NULL but ndim is " << ndim);
  return DimVector(shape, ndim);
}
}  // namespace

extern "C" {

TENSOR_API tensor_status tensor_reshape(tensor** out, const tensor* t, const int64_t* shape, int32_t ndim) {
  return produce("tensor_reshape", out, [&] {
    LT_ARG(t);
    return reshape(t_t, new_shape_from_c(shape, ndim));
  });
}

TENSOR_API tensor_status tensor_permute(tensor** out, const tensor* t, const int32_t* dims, int32_t ndim) {
  return produce("tensor_permute", out, [&] {
    LT_ARG(t);
    return permute(t_t, dims_from_c(dims, ndim));
  });
}

TENSOR_API tensor_status tensor_transpose(tensor** out, const tensor* t, int32_t d0, int32_t d1) {
  return produce("tensor_transpose", out, [&] {
    LT_ARG(t);
    return transpose(t_t, d0, d1);
  });
}

TENSOR_API tensor_status tensor_expand(tensor** out, const tensor* t, const int64_t* shape, int32_t ndim) {
  return produce("tensor_expand", out, [&] {
    LT_ARG(t);
    return expand(t_t, new_shape_from_c(shape, ndim));
  });
}

TENSOR_API tensor_status tensor_squeeze(tensor** out, const tensor* t, int32_t dim) {
  return produce("tensor_squeeze", out, [&] {
    LT_ARG(t);
    return squeeze(t_t, dim);
  });
}

TENSOR_API tensor_status tensor_squeeze_all(tensor** out, const tensor* t) {
  return produce("tensor_squeeze_all", out, [&] {
    LT_ARG(t);
    return squeeze_all(t_t);
  });
}

TENSOR_API tensor_status tensor_unsqueeze(tensor** out, const tensor* t, int32_t dim) {
  return produce("tensor_unsqueeze", out, [&] {
    LT_ARG(t);
    return unsqueeze(t_t, dim);
  });
}

TENSOR_API tensor_status tensor_slice(tensor** out, const tensor* t, int32_t dim, int64_t start, int64_t end,
                                      int64_t step) {
  return produce("tensor_slice", out, [&] {
    LT_ARG(t);
    return slice(t_t, dim, start, end, step);
  });
}

TENSOR_API tensor_status tensor_select(tensor** out, const tensor* t, int32_t dim, int64_t index) {
  return produce("tensor_select", out, [&] {
    LT_ARG(t);
    return select(t_t, dim, index);
  });
}

TENSOR_API tensor_status tensor_contiguous(tensor** out, const tensor* t) {
  return produce("tensor_contiguous", out, [&] {
    LT_ARG(t);
    return contiguous(t_t);
  });
}

TENSOR_API tensor_status tensor_clone(tensor** out, const tensor* t) {
  return produce("tensor_clone", out, [&] {
    LT_ARG(t);
    return clone(t_t);
  });
}

TENSOR_API tensor_status tensor_cat(tensor** out, const tensor* const* ts, int32_t n, int32_t dim) {
  return produce("tensor_cat", out, [&] { return cat(tensor_list(ts, n), dim); });
}

TENSOR_API tensor_status tensor_stack(tensor** out, const tensor* const* ts, int32_t n, int32_t dim) {
  return produce("tensor_stack", out, [&] { return stack(tensor_list(ts, n), dim); });
}

TENSOR_API tensor_status tensor_to_dtype(tensor** out, const tensor* t, tensor_dtype dtype) {
  return produce("tensor_to_dtype", out, [&] {
    LT_ARG(t);
    return to_dtype(t_t, dtype_from_c(dtype));
  });
}

TENSOR_API tensor_status tensor_to_device(tensor** out, const tensor* t, tensor_device device) {
  return produce("tensor_to_device", out, [&] {
    LT_ARG(t);
    return to_device(t_t, device_from_c(device));
  });
}

}  // extern "C"
