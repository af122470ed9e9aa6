// The device-level calls behind tensor_cuda_* (src/core/cuda_api.h) and the CUDA line of
// tensor_config_string, for the built backend.
#include <sstream>

#include "cuda/caching_allocator.h"
#include "cuda/matmul.h"
#include "cuda/runtime.h"
#include "core/cuda_api.h"

namespace lt {

int32_t cuda_device_count() { return cuda::device_count(); }

void cuda_synchronize(int32_t device_index) { cuda::synchronize(device_index); }

void cuda_empty_cache() { cuda::release_cached_blocks(); }

void cuda_memory_stats(int32_t device_index, int64_t* allocated, int64_t* cached) {
  cuda::check_device(device_index);
  cuda::MemoryStats s = cuda::memory_stats(device_index);
  *allocated = s.allocated;
  *cached = s.cached;
}

bool cuda_set_allow_tf32(bool allow) { return cuda::set_allow_tf32(allow); }

void* cuda_stream(int32_t device_index) {
  cuda::check_device(device_index);
  return static_cast<void*>(cuda::stream(device_index));
}

std::string cuda_info() {
  std::ostringstream os;
  int runtime = 0, driver = 0;
  (void)cudaRuntimeGetVersion(&runtime);
  (void)cudaDriverGetVersion(&driver);
  (void)cudaGetLastError();
  os << "built (runtime " << runtime / 1000 << "." << (runtime % 1000) / 10 << ", driver ";
  if (driver) os << driver / 1000 << "." << (driver % 1000) / 10;
  else os << "none";
  os << ")";
  const int32_t n = cuda::device_count();
  if (n == 0) {
    os << ", unavailable: " << cuda::unavailable_reason();
    return os.str();
  }
  for (int32_t i = 0; i < n; ++i) {
    const cuda::DeviceProps& p = cuda::props(i);
    os << "; cuda:" << i << " " << p.name << " (sm_" << p.major << p.minor << ", " << p.sm_count << " SMs, "
       << (p.total_memory >> 20) << " MiB)";
  }
  os << "; " << cuda::cublas_description();
  return os.str();
}

}  // namespace lt
