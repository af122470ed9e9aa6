// The per-device allocator interface. Storage never calls malloc directly: it asks the allocator of its
// device, so the CPU cache, the CUDA caching allocator and test-time failure injection are one seam.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/device.h"

namespace lt {

class Allocator {
 public:
  virtual ~Allocator() = default;
  // Returns memory aligned to 64 bytes, or throws Error(OutOfMemory) / Error(Device).
  virtual void* allocate(size_t nbytes) = 0;
  virtual void deallocate(void* ptr, size_t nbytes) noexcept = 0;
};

// The CPU allocator: small blocks from aligned malloc, large ones (>= kCacheMinBytes) kept in a
// size-class cache so that a fresh large result reuses already-faulted pages.
Allocator& cpu_allocator();
// Releases every cached CPU block.
void cpu_allocator_empty_cache();

// Test hook (allocation-failure injection): when n > 0, the n-th allocation from now on fails with
// OutOfMemory. 0 disables. Counts every allocation through any allocator (and DimVector spills do not
// count). Returns the number of allocations seen since the last arm.
void set_fail_allocation_at(int64_t n);
int64_t allocations_since_arm();
// Called by every allocator before it allocates; throws OutOfMemory when the armed count is reached.
void maybe_inject_allocation_failure(size_t nbytes);

}  // namespace lt
