// The CUDA caching allocator (after PyTorch's CUDACachingAllocator, without block splitting).
//
// Note [caching allocator]: cudaMalloc and cudaFree synchronise the device and cost tens of
// microseconds, so a freed block is kept on a free list keyed by its size class and handed to the next
// request of that class. Classes: multiples of 512 B up to 1 MiB, then 8 per power of two (at most
// 12.5% slack). Blocks belong to one device and its one stream (Note [one stream per device]), so a
// block freed by one op and reused by the next is ordered by the stream without events. In steady state
// (the same shapes again and again, as in a training loop) no op calls cudaMalloc or cudaFree. When
// cudaMalloc fails, the device's cached blocks are released and the request retried once before
// Error(OutOfMemory) is thrown.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/allocator.h"

namespace lt::cuda {

struct MemoryStats {
  int64_t allocated = 0;     // bytes in blocks handed out (size classes)
  int64_t cached = 0;        // bytes in free blocks kept for reuse
  int64_t malloc_calls = 0;  // cudaMalloc calls so far (tests: steady state makes none)
  int64_t free_calls = 0;    // cudaFree calls so far
};

// The allocator of a usable device (the index must be checked).
Allocator& device_allocator(int32_t device);
MemoryStats memory_stats(int32_t device);
// Returns every cached block of every device to the driver.
void release_cached_blocks();

// Scratch memory for one launch (reduction partials, copies for cuBLAS), freed to the cache at scope
// end; the stream orders its reuse (Note [caching allocator]). Zero bytes allocate nothing.
class DeviceBuffer {
 public:
  DeviceBuffer(int32_t device, size_t nbytes);
  ~DeviceBuffer();
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  void* get() const { return ptr_; }

 private:
  int32_t device_;
  size_t nbytes_;
  void* ptr_;
};

}  // namespace lt::cuda
