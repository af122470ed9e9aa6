#include "cuda/caching_allocator.h"

#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "cuda/cuda_check.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

constexpr size_t kSmallLimit = size_t(1) << 20;
constexpr size_t kSmallQuantum = 512;

size_t size_class(size_t n) {
  if (n == 0) n = 1;
  if (n <= kSmallLimit) return (n + kSmallQuantum - 1) / kSmallQuantum * kSmallQuantum;
  int log2 = 63 - __builtin_clzll(n);
  size_t quantum = size_t(1) << (log2 - 3);
  return (n + quantum - 1) / quantum * quantum;
}

class CachingAllocator final : public Allocator {
 public:
  explicit CachingAllocator(int32_t device) : device_(device) {}

  void* allocate(size_t nbytes) override {
    maybe_inject_allocation_failure(nbytes);
    const size_t cls = size_class(nbytes);
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = free_.find(cls);
      if (it != free_.end() && !it->second.empty()) {
        void* p = it->second.back();
        it->second.pop_back();
        stats_.cached -= static_cast<int64_t>(cls);
        stats_.allocated += static_cast<int64_t>(cls);
        return p;
      }
    }
    set_device(device_);
    void* p = nullptr;
    cudaError_t err = cudaMalloc(&p, cls);
    if (err == cudaErrorMemoryAllocation) {
      (void)cudaGetLastError();
      release();  // give the cache back to the driver and try once more
      err = cudaMalloc(&p, cls);
    }
    if (err != cudaSuccess) {
      MemoryStats s = stats();
      throw_cuda_error(err, "allocating " + std::to_string(nbytes) + " bytes on cuda:" + std::to_string(device_) +
                                " (" + std::to_string(s.allocated) + " bytes in use by tensors)");
    }
    std::lock_guard<std::mutex> lock(mu_);
    stats_.allocated += static_cast<int64_t>(cls);
    ++stats_.malloc_calls;
    return p;
  }

  void deallocate(void* ptr, size_t nbytes) noexcept override {
    if (!ptr) return;
    const size_t cls = size_class(nbytes);
    std::lock_guard<std::mutex> lock(mu_);
    stats_.allocated -= static_cast<int64_t>(cls);
    try {
      free_[cls].push_back(ptr);
      stats_.cached += static_cast<int64_t>(cls);
    } catch (...) {  // no memory for the bookkeeping: return the block to the driver instead
      (void)cudaFree(ptr);
      ++stats_.free_calls;
    }
  }

  // Frees every cached block (cudaFree waits for the device, so no queued kernel still uses them).
  void release() noexcept {
    std::lock_guard<std::mutex> lock(mu_);
    if (stats_.cached == 0) return;
    int current = -1;
    (void)cudaGetDevice(&current);
    (void)cudaSetDevice(device_);
    for (auto& kv : free_) {
      for (void* p : kv.second) {
        (void)cudaFree(p);
        ++stats_.free_calls;
      }
    }
    free_.clear();
    stats_.cached = 0;
    if (current >= 0) (void)cudaSetDevice(current);
  }

  MemoryStats stats() {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_;
  }

 private:
  int32_t device_;
  std::mutex mu_;
  std::unordered_map<size_t, std::vector<void*>> free_;
  MemoryStats stats_;
};

// One allocator per usable device, made once; looked up without a lock (every op allocates).
struct Registry {
  std::once_flag once;
  std::vector<std::unique_ptr<CachingAllocator>> allocators;
};

Registry& registry() {
  static Registry* r = new Registry();  // never destroyed: storages may be released at exit
  return *r;
}

CachingAllocator& allocator_of(int32_t device) {
  Registry& r = registry();
  std::call_once(r.once, [&] {
    const int32_t n = device_count();
    for (int32_t i = 0; i < n; ++i) r.allocators.push_back(std::make_unique<CachingAllocator>(i));
  });
  return *r.allocators[static_cast<size_t>(device)];
}

}  // namespace

Allocator& device_allocator(int32_t device) { return allocator_of(device); }

MemoryStats memory_stats(int32_t device) { return allocator_of(device).stats(); }

void release_cached_blocks() {
  int32_t n = device_count();
  for (int32_t i = 0; i < n; ++i) allocator_of(i).release();
}

DeviceBuffer::DeviceBuffer(int32_t device, size_t nbytes)
    : device_(device), nbytes_(nbytes), ptr_(nbytes ? allocator_of(device).allocate(nbytes) : nullptr) {}

DeviceBuffer::~DeviceBuffer() {
  if (ptr_) allocator_of(device_).deallocate(ptr_, nbytes_);
}

}  // namespace lt::cuda
