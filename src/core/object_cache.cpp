// Note [object cache] in object_cache.h.
#include "core/object_cache.h"

#include <cstdint>
#include <cstdlib>

namespace lt {

namespace {

// Sanitizer builds cache nothing, so that a use after free still meets freed memory.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int32_t kObjectCacheSlots = 0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
constexpr int32_t kObjectCacheSlots = 0;
#else
constexpr int32_t kObjectCacheSlots = 32;
#endif
#else
constexpr int32_t kObjectCacheSlots = 32;
#endif
constexpr int kKinds = 2;

// Trivially destructible on purpose: it stays usable while other thread_local destructors run (they may
// free tensors); the Closer below drains it at thread exit and closes it, so later frees go to free().
struct FreeLists {
  void* slots[kKinds][kObjectCacheSlots > 0 ? kObjectCacheSlots : 1];
  int32_t count[kKinds];
  bool armed;   // the thread-exit drain is registered: frees may be cached
  bool closed;  // the thread is exiting: frees go to free()
};
thread_local FreeLists t_lists;

struct Closer {
  ~Closer() {
    drain_object_caches();
    t_lists.closed = true;
  }
};
thread_local Closer t_closer;

}  // namespace

void* cached_object_alloc(CachedObject kind, size_t size) noexcept {
  const int k = static_cast<int>(kind);
  FreeLists& l = t_lists;
  if (l.count[k] > 0) return l.slots[k][--l.count[k]];
  if (!l.armed && !l.closed) {  // first use on this thread: construct t_closer, which registers its drain
    static_cast<void>(&t_closer);
    l.armed = true;
  }
  return std::malloc(size);
}

void cached_object_free(CachedObject kind, void* p) noexcept {
  if (!p) return;
  const int k = static_cast<int>(kind);
  FreeLists& l = t_lists;
  if (l.armed && !l.closed && l.count[k] < kObjectCacheSlots) {
    l.slots[k][l.count[k]++] = p;
    return;
  }
  std::free(p);
}

void drain_object_caches() noexcept {
  FreeLists& l = t_lists;
  for (int k = 0; k < kKinds; ++k)
    while (l.count[k] > 0) std::free(l.slots[k][--l.count[k]]);
}

}  // namespace lt
