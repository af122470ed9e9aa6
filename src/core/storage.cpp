#include "core/storage.h"

#include <cstdint>
#include <cstdlib>
#include <new>

#include "core/backend.h"
#include "core/object_cache.h"

namespace lt {

namespace {
// Blocks up to this size share one malloc with their Storage header.
constexpr size_t kInlineMaxBytes = 512;

}  // namespace

Allocator& allocator_for(Device device) {
  if (device.is_cpu()) return cpu_allocator();
  return backend_for(device).allocator(device.index);
}

Storage* Storage::allocate(size_t nbytes, Device device) {
  if (device.is_cpu() && nbytes <= kInlineMaxBytes) {
    maybe_inject_allocation_failure(nbytes);
    // One block for header and data, 64-byte alignment by hand; the smallest from the per-thread object
    // cache (Note [object cache]).
    void* block = nbytes <= kSmallStorageBytes
                      ? cached_object_alloc(CachedObject::SmallStorage, sizeof(Storage) + 63 + kSmallStorageBytes)
                      : std::malloc(sizeof(Storage) + 63 + nbytes);
    if (!block) throw_error(Status::OutOfMemory, "out of memory allocating " + std::to_string(nbytes) + " bytes");
    auto* s = new (block) Storage();
    uintptr_t data = (reinterpret_cast<uintptr_t>(block) + sizeof(Storage) + 63) & ~uintptr_t(63);
    s->data_ = reinterpret_cast<void*>(data);
    s->nbytes_ = nbytes;
    s->inline_block_ = true;
    return s;
  }
  Allocator& alloc = allocator_for(device);
  void* data = alloc.allocate(nbytes);
  Storage* s = new (std::nothrow) Storage();
  if (!s) {
    alloc.deallocate(data, nbytes);
    throw_error(Status::OutOfMemory, "out of memory allocating a storage header");
  }
  s->data_ = data;
  s->nbytes_ = nbytes;
  s->device_ = device;
  s->allocator_ = &alloc;
  return s;
}

Storage* Storage::wrap_external(void* data, size_t nbytes, Device device, ExternalDeleter deleter, void* ctx,
                                bool read_only) {
  maybe_inject_allocation_failure(sizeof(Storage));
  Storage* s = new (std::nothrow) Storage();
  if (!s) throw_error(Status::OutOfMemory, "out of memory allocating a storage header");
  s->data_ = data;
  s->nbytes_ = nbytes;
  s->device_ = device;
  s->external_deleter_ = deleter;
  s->external_ctx_ = ctx;
  s->read_only_ = read_only;
  return s;
}

void Storage::destroy() noexcept {
  if (inline_block_) {
    const bool small = nbytes_ <= kSmallStorageBytes;
    this->~Storage();
    if (small) cached_object_free(CachedObject::SmallStorage, this);
    else std::free(this);
    return;
  }
  if (allocator_) allocator_->deallocate(data_, nbytes_);
  if (external_deleter_) external_deleter_(external_ctx_);
  delete this;
}

}  // namespace lt
