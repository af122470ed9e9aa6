// The replaceable global allocation functions of a test executable, counting and failing on demand
// (see alloc_injection.h).
#include "alloc_injection.h"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

#include "core/allocator.h"

namespace alloc_injection {

namespace {
std::atomic<int64_t> g_fail_at{0};  // 0: disarmed
std::atomic<int64_t> g_seen{0};
std::atomic<int64_t> g_live{0};
}  // namespace

void arm(Depth depth, int64_t n) {
  if (depth == Depth::Tensors) {
    lt::set_fail_allocation_at(n);
  } else {
    g_seen.store(0);
    g_fail_at.store(n);
  }
}
void disarm() {
  lt::set_fail_allocation_at(0);
  g_fail_at.store(0);
}
int64_t seen(Depth depth) { return depth == Depth::Tensors ? lt::allocations_since_arm() : g_seen.load(); }
int64_t live() { return g_live.load(); }

namespace {

// One C++ allocation: fails (returns NULL) when it is the armed one.
void* allocate(size_t n, size_t align) {
  if (g_fail_at.load(std::memory_order_relaxed) != 0 && g_seen.fetch_add(1) + 1 == g_fail_at.load()) return nullptr;
  if (n == 0) n = 1;
  void* p = align <= alignof(std::max_align_t) ? std::malloc(n)
                                                : std::aligned_alloc(align, (n + align - 1) / align * align);
  if (p) g_live.fetch_add(1, std::memory_order_relaxed);
  return p;
}
void release(void* p) {
  if (!p) return;
  g_live.fetch_sub(1, std::memory_order_relaxed);
  std::free(p);
}
void* allocate_or_throw(size_t n, size_t align) {
  void* p = allocate(n, align);
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace
}  // namespace alloc_injection

// ---- the replaceable global allocation functions ([new.delete]) ----
void* operator new(size_t n) { return alloc_injection::allocate_or_throw(n, 0); }
void* operator new[](size_t n) { return alloc_injection::allocate_or_throw(n, 0); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return alloc_injection::allocate(n, 0); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return alloc_injection::allocate(n, 0); }
void* operator new(size_t n, std::align_val_t a) { return alloc_injection::allocate_or_throw(n, static_cast<size_t>(a)); }
void* operator new[](size_t n, std::align_val_t a) {
  return alloc_injection::allocate_or_throw(n, static_cast<size_t>(a));
}
void* operator new(size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return alloc_injection::allocate(n, static_cast<size_t>(a));
}
void* operator new[](size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return alloc_injection::allocate(n, static_cast<size_t>(a));
}
void operator delete(void* p) noexcept { alloc_injection::release(p); }
void operator delete[](void* p) noexcept { alloc_injection::release(p); }
void operator delete(void* p, size_t) noexcept { alloc_injection::release(p); }
void operator delete[](void* p, size_t) noexcept { alloc_injection::release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { alloc_injection::release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { alloc_injection::release(p); }
void operator delete(void* p, std::align_val_t) noexcept { alloc_injection::release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { alloc_injection::release(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { alloc_injection::release(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { alloc_injection::release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { alloc_injection::release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { alloc_injection::release(p); }
