// The CUDA runtime as the backend sees it: which GPUs are usable, the one stream per device that all of
// libtensor's work on that device is queued on, device properties, and the current-device guard.
//
// Note [one stream per device]: every kernel, copy and cuBLAS call for device d goes to stream(d), a
// non-blocking stream created on first use. Work from any host thread is therefore ordered, a block
// freed to the caching allocator can be handed to the next op without an event, and
// tensor_cuda_synchronize(d) waits for exactly libtensor's work.
#pragma once
#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

namespace lt::cuda {

// Usable GPUs: the driver answers, and our kernels have an image for the GPU (probe in probe.cu).
// Never throws; 0 when there is no driver, no GPU, or an error (see unavailable_reason()).
int32_t device_count();
// Why device_count() is 0 (or empty).
std::string unavailable_reason();
// Throws Error(Device) unless `index` names a usable GPU.
void check_device(int32_t index);

// Makes `index` the calling thread's current device (a thread-local cache skips the runtime call).
void set_device(int32_t index);

// The library's stream on that device (Note [one stream per device]); the device must be checked.
cudaStream_t stream(int32_t index);

struct DeviceProps {
  std::string name;
  int major = 0, minor = 0;
  int sm_count = 1;
  int max_threads_per_sm = 2048;
  size_t total_memory = 0;
};
const DeviceProps& props(int32_t index);

// A zeroed int32 array of at least n entries on that device, for the "last block finishes" counters of
// multi-block reductions; kernels leave every counter at 0 again when they end.
int32_t* semaphores(int32_t index, int64_t n);

// Waits for the device's stream and reports any asynchronous error (Error Backend).
void synchronize(int32_t index);

// Sets the device on construction, for the calling thread.
struct DeviceGuard {
  explicit DeviceGuard(int32_t index) { set_device(index); }
};

}  // namespace lt::cuda
