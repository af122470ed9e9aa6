// Per-thread caches of the two small objects every tensor operation makes and frees: the TensorImpl and
// the storage block of a small CPU tensor (header and data in one malloc). Note [object cache]: a tiny
// op (an add of two (3,) tensors, result created and freed) spent a fifth of its instructions in
// malloc/free for these two; a thread-local free list turns that into a few loads and stores. An object
// freed on another thread goes to that thread's list. Each list holds at most kObjectCacheSlots; what a
// thread still caches is freed when it exits (and on cpu_allocator_empty_cache for the calling thread).
#pragma once
#include <cstddef>

namespace lt {

enum class CachedObject { TensorImpl, SmallStorage };

// Bytes of one SmallStorage block: a Storage header, alignment slack and kSmallStorageBytes of data.
constexpr size_t kSmallStorageBytes = 64;

// A block of the kind's size (from the cache, else malloc), or nullptr when malloc fails.
void* cached_object_alloc(CachedObject kind, size_t size) noexcept;
// Returns a block from cached_object_alloc(kind, size) (same size).
void cached_object_free(CachedObject kind, void* p) noexcept;
// Frees what the calling thread caches.
void drain_object_caches() noexcept;

}  // namespace lt
