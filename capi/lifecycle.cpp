// Lifecycle, errors, version, threads, CUDA info.
#include "autograd/grad_mode.h"
#include "capi/capi_common.h"
#include "core/parallel.h"
#include "config/config.h"

namespace lt::capi {
const char* last_error() noexcept;
}

using namespace lt;
using namespace lt::capi;

extern "C" {

TENSOR_API void tensor_free(tensor* t) {
  if (valid_handle(t)) reinterpret_cast<TensorImpl*>(t)->release();
}

TENSOR_API tensor* tensor_retain(tensor* t) {
  if (valid_handle(t)) reinterpret_cast<TensorImpl*>(t)->retain();
  return t;
}

TENSOR_API const char* tensor_last_error(void) { return lt::capi::last_error(); }

TENSOR_API const char* tensor_status_string(tensor_status status) {
  switch (enum_value(status)) {
    case TENSOR_OK: return "ok";
    case TENSOR_ERR_INVALID_ARGUMENT: return "invalid argument";
    case TENSOR_ERR_SHAPE: return "shape mismatch";
    case TENSOR_ERR_DTYPE: return "unsupported dtype";
    case TENSOR_ERR_DEVICE: return "device error";
    case TENSOR_ERR_INDEX: return "index out of range";
    case TENSOR_ERR_OUT_OF_MEMORY: return "out of memory";
    case TENSOR_ERR_AUTOGRAD: return "autograd error";
    case TENSOR_ERR_BACKEND: return "backend (BLAS/CUDA) failure";
    case TENSOR_ERR_INTERNAL: return "internal error";
  }
  return "unknown status";
}

#define LT_STR2(x) #x
#define LT_STR(x) LT_STR2(x)
TENSOR_API const char* tensor_version(void) {
  return LT_STR(TENSOR_VERSION_MAJOR) "." LT_STR(TENSOR_VERSION_MINOR) "." LT_STR(TENSOR_VERSION_PATCH);
}

TENSOR_API void tensor_manual_seed(uint64_t seed) { lt::manual_seed(seed); }

TENSOR_API tensor_status tensor_set_num_threads(int32_t n) {
  return guard("tensor_set_num_threads", [&] {
    LT_CHECK(n >= 1, Status::InvalidArgument, "thread count must be >= 1, got " << n);
    set_num_threads(n);
  });
}

TENSOR_API int32_t tensor_get_num_threads(void) { return get_num_threads(); }

TENSOR_API int64_t tensor_config_string(char* buf, size_t cap) {
  std::string s;
  try {
    s = lt::config_string();
  } catch (...) {
    s = "libtensor (configuration unavailable)";
  }
  if (buf && cap > 0) {
    size_t n = s.size() < cap - 1 ? s.size() : cap - 1;
    std::memcpy(buf, s.data(), n);
    buf[n] = '\0';
  }
  return static_cast<int64_t>(s.size());
}

TENSOR_API bool tensor_set_grad_enabled(bool enabled) {
  bool prev = grad_mode_enabled();
  set_grad_mode(enabled);
  return prev;
}

TENSOR_API bool tensor_is_grad_enabled(void) { return grad_mode_enabled(); }

}  // extern "C"
