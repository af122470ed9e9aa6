#include "cuda/runtime.h"

#include <memory>
#include <mutex>
#include <vector>

#include "cuda/cuda_check.h"

namespace lt::cuda {

cudaError_t probe_kernel_image();  // probe.cu

namespace {

// Note [asynchronous errors]: a kernel fault (bad address, trap) is not reported by its launch but by a
// later runtime call, and it is sticky: the context is unusable afterwards. check_launch() catches
// launch-time errors at once; faults surface at the next synchronisation point (copy to the host,
// tensor_cuda_synchronize, allocation) as Error(Backend) with the runtime's text, so none is lost.

struct DeviceState {
  DeviceProps props;
  cudaStream_t stream = nullptr;
  std::vector<int32_t*> semaphore_buffers;  // the last one is current; older ones stay valid
  int64_t semaphore_count = 0;
};

struct State {
  std::once_flag once;
  int32_t count = 0;
  std::string reason;
  std::vector<std::unique_ptr<DeviceState>> devices;
  std::mutex mu;
};

State& state() {
  static State* s = new State();  // never destroyed: tensors may be freed after static destructors
  return *s;
}

std::string error_text(cudaError_t err) {
  return std::string(cudaGetErrorName(err)) + " (" + cudaGetErrorString(err) + ")";
}

void init_devices(State& s) {
  int n = 0;
  cudaError_t err = cudaGetDeviceCount(&n);
  if (err != cudaSuccess) {
    (void)cudaGetLastError();
    s.reason = "the CUDA driver reports " + error_text(err);
    return;
  }
  if (n <= 0) {
    s.reason = "no CUDA-capable GPU was found";
    return;
  }
  int previous = -1;
  (void)cudaGetDevice(&previous);
  for (int i = 0; i < n; ++i) {
    auto d = std::make_unique<DeviceState>();
    cudaDeviceProp p;
    err = cudaSetDevice(i);
    if (err == cudaSuccess) err = cudaGetDeviceProperties(&p, i);
    if (err == cudaSuccess) err = probe_kernel_image();
    if (err == cudaSuccess) err = cudaStreamCreateWithFlags(&d->stream, cudaStreamNonBlocking);
    if (err != cudaSuccess) {
      (void)cudaGetLastError();
      // Devices are numbered densely: a GPU we cannot use hides itself and the ones after it.
      s.reason = "GPU " + std::to_string(i) + " cannot run libtensor's kernels: " + error_text(err);
      break;
    }
    d->props.name = p.name;
    d->props.major = p.major;
    d->props.minor = p.minor;
    d->props.sm_count = p.multiProcessorCount > 0 ? p.multiProcessorCount : 1;
    d->props.max_threads_per_sm = p.maxThreadsPerMultiProcessor > 0 ? p.maxThreadsPerMultiProcessor : 2048;
    d->props.total_memory = p.totalGlobalMem;
    s.devices.push_back(std::move(d));
  }
  if (previous >= 0) (void)cudaSetDevice(previous);
  s.count = static_cast<int32_t>(s.devices.size());
}

State& ready_state() {
  State& s = state();
  std::call_once(s.once, [&] { init_devices(s); });
  return s;
}

}  // namespace

void throw_cuda_error(cudaError_t err, const std::string& what) {
  (void)cudaGetLastError();  // clear a non-sticky error so that it is reported once
  Status st = err == cudaErrorMemoryAllocation ? Status::OutOfMemory : Status::Backend;
  throw_error(st, what + ": CUDA error " + error_text(err));
}

void check_launch(const char* kernel) {
  cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) throw_cuda_error(err, std::string("launching ") + kernel);
}

int32_t device_count() {
  try {
    return ready_state().count;
  } catch (...) {
    return 0;
  }
}

std::string unavailable_reason() { return ready_state().reason; }

void check_device(int32_t index) {
  State& s = ready_state();
  if (__builtin_expect(index >= 0 && index < s.count, 1)) return;
  if (s.count == 0)
    throw_error(Status::Device, "CUDA is not available (requested cuda:" + std::to_string(index) + "): " + s.reason);
  throw_error(Status::Device, "invalid CUDA device cuda:" + std::to_string(index) + " (" + std::to_string(s.count) +
                                  " GPU" + (s.count == 1 ? "" : "s") + " available)");
}

void set_device(int32_t index) {
  int current = -1;
  if (cudaGetDevice(&current) == cudaSuccess && current == index) return;
  check(cudaSetDevice(index), "cudaSetDevice");
}

cudaStream_t stream(int32_t index) { return state().devices[static_cast<size_t>(index)]->stream; }

const DeviceProps& props(int32_t index) { return state().devices[static_cast<size_t>(index)]->props; }

int32_t* semaphores(int32_t index, int64_t n) {
  State& s = state();
  DeviceState& d = *s.devices[static_cast<size_t>(index)];
  std::lock_guard<std::mutex> lock(s.mu);
  if (d.semaphore_count < n) {
    int64_t count = n < 65536 ? 65536 : n;
    void* p = nullptr;
    set_device(index);
    check(cudaMalloc(&p, static_cast<size_t>(count) * sizeof(int32_t)), "allocating reduction counters");
    // Queued on the stream, so the zeroing happens before any kernel that uses the new buffer. The old
    // buffer may still be in use by queued kernels and is kept (growth happens at most a few times).
    cudaError_t err = cudaMemsetAsync(p, 0, static_cast<size_t>(count) * sizeof(int32_t), d.stream);
    if (err != cudaSuccess) {
      (void)cudaFree(p);
      throw_cuda_error(err, "clearing reduction counters");
    }
    d.semaphore_buffers.push_back(static_cast<int32_t*>(p));
    d.semaphore_count = count;
  }
  return d.semaphore_buffers.back();
}

void synchronize(int32_t index) {
  check_device(index);
  set_device(index);
  check(cudaStreamSynchronize(stream(index)), ("asynchronous error on cuda:" + std::to_string(index)).c_str());
  check(cudaGetLastError(), ("pending error on cuda:" + std::to_string(index)).c_str());
}

}  // namespace lt::cuda
