// CUDA device shims (work with or without the CUDA backend).
#include "capi/capi_common.h"
#include "core/cuda_api.h"

using namespace lt;
using namespace lt::capi;

extern "C" {

TENSOR_API bool tensor_cuda_available(void) { return cuda_device_count() > 0; }
TENSOR_API int32_t tensor_cuda_device_count(void) { return cuda_device_count(); }

TENSOR_API tensor_status tensor_cuda_synchronize(int32_t device_index) {
  return guard("tensor_cuda_synchronize", [&] {
    LT_CHECK(device_index >= 0, Status::InvalidArgument, "invalid device index " << device_index);
    cuda_synchronize(device_index);
  });
}

TENSOR_API tensor_status tensor_cuda_empty_cache(void) {
  return guard("tensor_cuda_empty_cache", [&] { cuda_empty_cache(); });
}

TENSOR_API tensor_status tensor_cuda_memory_stats(int32_t device_index, int64_t* allocated_bytes,
                                                  int64_t* cached_bytes) {
  return guard("tensor_cuda_memory_stats", [&] {
    LT_CHECK(allocated_bytes && cached_bytes, Status::InvalidArgument, "output arguments must not be NULL");
    *allocated_bytes = 0;
    *cached_bytes = 0;
    LT_CHECK(device_index >= 0, Status::InvalidArgument, "invalid device index " << device_index);
    cuda_memory_stats(device_index, allocated_bytes, cached_bytes);
  });
}

TENSOR_API tensor_status tensor_cuda_stream(void** stream, int32_t device) {
  return guard("tensor_cuda_stream", [&] {
    LT_CHECK(stream, Status::InvalidArgument, "stream must not be NULL");
    *stream = nullptr;
    LT_CHECK(device >= 0, Status::InvalidArgument, "invalid device index " << device);
    *stream = cuda_stream(device);
  });
}

TENSOR_API bool tensor_cuda_set_allow_tf32(bool allow) {
  try {
    return cuda_set_allow_tf32(allow);
  } catch (...) {
    return false;
  }
}

}  // extern "C"
