// Inspection (cannot fail) and data out.
#include <cstring>

#include "autograd/autograd_meta.h"
#include "capi/capi_common.h"
#include "format/format.h"

using namespace lt;
using namespace lt::capi;

extern "C" {

TENSOR_API int32_t tensor_ndim(const tensor* t) { return valid_handle(t) ? impl_of(t)->ndim() : 0; }
TENSOR_API const int64_t* tensor_shape(const tensor* t) { return valid_handle(t) ? impl_of(t)->shape.data() : nullptr; }
TENSOR_API const int64_t* tensor_strides(const tensor* t) {
  return valid_handle(t) ? impl_of(t)->strides.data() : nullptr;
}
TENSOR_API int64_t tensor_size(const tensor* t, int32_t dim) {
  if (!valid_handle(t)) return -1;
  int32_t nd = impl_of(t)->ndim();
  if (dim < -nd || dim >= nd) return -1;
  return impl_of(t)->shape[dim < 0 ? dim + nd : dim];
}
TENSOR_API int64_t tensor_numel(const tensor* t) { return valid_handle(t) ? impl_of(t)->numel : 0; }
TENSOR_API tensor_dtype tensor_get_dtype(const tensor* t) {
  return valid_handle(t) ? static_cast<tensor_dtype>(impl_of(t)->dtype) : TENSOR_FLOAT32;
}
TENSOR_API tensor_device tensor_get_device(const tensor* t) {
  tensor_device d = {TENSOR_CPU, 0};
  if (valid_handle(t)) {
    Device dev = impl_of(t)->device();
    d.type = static_cast<int32_t>(dev.type);
    d.index = dev.index;
  }
  return d;
}
TENSOR_API bool tensor_is_contiguous(const tensor* t) { return valid_handle(t) && impl_of(t)->is_contiguous(); }

TENSOR_API size_t tensor_dtype_size(tensor_dtype dtype) {
  int32_t v = enum_value(dtype);
  return is_valid_dtype(v) ? itemsize(static_cast<DType>(v)) : 0;
}
TENSOR_API const char* tensor_dtype_name(tensor_dtype dtype) {
  int32_t v = enum_value(dtype);
  return is_valid_dtype(v) ? lt::dtype_name(static_cast<DType>(v)) : "unknown";
}

TENSOR_API tensor_status tensor_copy_to_host(const tensor* t, void* dst, size_t nbytes) {
  return guard("tensor_copy_to_host", [&] {
    LT_ARG(t);
    copy_to_host(t_t, dst, nbytes);
  });
}

TENSOR_API tensor_status tensor_item(const tensor* t, double* value) {
  return guard("tensor_item", [&] {
    LT_CHECK(value != nullptr, Status::InvalidArgument, "output argument 'value' is NULL");
    LT_ARG(t);
    *value = item(t_t);
  });
}

TENSOR_API const void* tensor_data(const tensor* t) {
  if (!valid_handle(t) || !impl_of(t)->device().is_cpu()) return nullptr;
  return impl_of(t)->data();
}

TENSOR_API int64_t tensor_format(const tensor* t, char* buf, size_t cap) {
  if (!valid_handle(t)) return -1;
  std::string s;
  try {
    s = format(Borrowed(t).get());
  } catch (const Error& e) {
    set_last_error("tensor_format", e.what());
    return -1;
  } catch (...) {
    set_last_error("tensor_format", "out of memory");
    return -1;
  }
  if (buf && cap > 0) {
    size_t n = s.size() < cap - 1 ? s.size() : cap - 1;
    std::memcpy(buf, s.data(), n);
    buf[n] = '\0';
  }
  return static_cast<int64_t>(s.size());
}

}  // extern "C"
