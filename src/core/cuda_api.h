// Device-level CUDA calls behind tensor_cuda_*: implemented by the CUDA backend (cuda/) or by
// cuda/no_cuda.cpp when it is not built.
#pragma once
#include <cstdint>
#include <string>

namespace lt {

// Number of usable GPUs (0 when the backend is not built or no driver/GPU is present). Never throws.
int32_t cuda_device_count();
// Waits for queued work and reports asynchronous errors (throws Backend / Device).
void cuda_synchronize(int32_t device_index);
void cuda_empty_cache();
void cuda_memory_stats(int32_t device_index, int64_t* allocated, int64_t* cached);
bool cuda_set_allow_tf32(bool allow);
// The library's stream on that device (a cudaStream_t), for callers who order their own CUDA work with
// libtensor's; throws Device when the device is not usable or the backend is not built.
void* cuda_stream(int32_t device_index);
// A one-line description of the CUDA backend for tensor_config_string (or "not built" from the stub).
std::string cuda_info();

}  // namespace lt
