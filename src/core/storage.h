// Reference-counted memory of one device. Views share one Storage; its version counter is bumped by every
// in-place write so that autograd can tell when a saved tensor was modified (one counter per storage, as
// all views of it see the same bytes).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "core/allocator.h"
#include "core/device.h"

namespace lt {

class Storage {
 public:
  using ExternalDeleter = void (*)(void* ctx);

  // nbytes of fresh memory from the device's allocator (small CPU blocks share one allocation with
  // the Storage header itself, which halves the allocations of a tiny op).
  static Storage* allocate(size_t nbytes, Device device);
  // Wraps memory owned by someone else (DLPack); `deleter(ctx)` runs exactly once when the last
  // reference goes.
  static Storage* wrap_external(void* data, size_t nbytes, Device device, ExternalDeleter deleter, void* ctx,
                                bool read_only);

  void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy();
  }
  int32_t use_count() const noexcept { return refs_.load(std::memory_order_relaxed); }

  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }
  Device device() const { return device_; }
  bool read_only() const { return read_only_; }

  uint32_t version() const { return version_.load(std::memory_order_relaxed); }
  void bump_version() { version_.fetch_add(1, std::memory_order_relaxed); }

 private:
  Storage() = default;
  void destroy() noexcept;

  std::atomic<int32_t> refs_{1};
  std::atomic<uint32_t> version_{0};
  void* data_ = nullptr;
  size_t nbytes_ = 0;
  Device device_{};
  Allocator* allocator_ = nullptr;  // null: inline block or external memory
  ExternalDeleter external_deleter_ = nullptr;
  void* external_ctx_ = nullptr;
  bool inline_block_ = false;
  bool read_only_ = false;
};

// Returns the allocator of a device (CPU, or the CUDA backend's; throws Device when unavailable).
Allocator& allocator_for(Device device);

}  // namespace lt
