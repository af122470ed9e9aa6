// Built instead of the CUDA backend when TENSOR_CUDA is OFF (or AUTO without a toolkit): every CUDA
// request is a clean TENSOR_ERR_DEVICE, and the CUDA info calls report "not built".
#include "core/backend.h"
#include "core/cuda_api.h"

namespace lt {

Backend& cuda_backend() {
  throw_error(Status::Device, "CUDA is not available: libtensor was built without the CUDA backend (TENSOR_CUDA=OFF)");
}

std::string cuda_info() { return "not built (TENSOR_CUDA=OFF)"; }

int32_t cuda_device_count() { return 0; }
void cuda_synchronize(int32_t device_index) {
  throw_error(Status::Device, "CUDA is not available (device " + std::to_string(device_index) +
                                  "): libtensor was built without the CUDA backend");
}
void cuda_empty_cache() {}
void cuda_memory_stats(int32_t device_index, int64_t* allocated, int64_t* cached) {
  (void)device_index;
  *allocated = 0;
  *cached = 0;
}
bool cuda_set_allow_tf32(bool) { return false; }
void* cuda_stream(int32_t device_index) {
  throw_error(Status::Device, "CUDA is not available (device " + std::to_string(device_index) +
                                  "): libtensor was built without the CUDA backend");
}

}  // namespace lt
