// The CPU allocator.
//
// Note [CPU block cache]: glibc serves blocks above its mmap threshold with fresh mmap()s, so every large
// result would pay one page fault per 4 KiB on first touch (about a third of the time of a 16M-element
// add). Blocks of at least kCacheMinBytes are therefore rounded up to a size class (4 classes per power of
// two, <= 25% slack) and kept on free lists when released, up to kCacheMaxBytes in all; a later request of
// the same class reuses the already-faulted pages. Large blocks are 2 MiB aligned and advised as huge pages.
#include <sys/mman.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/allocator.h"
#include "core/object_cache.h"
#include "core/status.h"

namespace lt {

namespace {

constexpr size_t kCacheMinBytes = size_t(256) << 10;
constexpr size_t kCacheMaxBytes = size_t(2) << 30;
constexpr size_t kHugeAlign = size_t(2) << 20;

std::atomic<int64_t> g_fail_at{0};
std::atomic<int64_t> g_alloc_count{0};

size_t size_class(size_t n) {
  if (n < kCacheMinBytes) return (n + 63) / 64 * 64;
  int log2 = 63 - __builtin_clzll(n);
  size_t quantum = size_t(1) << (log2 - 2);
  return (n + quantum - 1) / quantum * quantum;
}

class CpuAllocator final : public Allocator {
 public:
  void* allocate(size_t nbytes) override {
    maybe_inject_allocation_failure(nbytes);
    size_t cls = size_class(nbytes == 0 ? 1 : nbytes);
    if (cls >= kCacheMinBytes) {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = free_.find(cls);
      if (it != free_.end() && !it->second.empty()) {
        void* p = it->second.back();
        it->second.pop_back();
        cached_bytes_ -= cls;
        return p;
      }
    }
    size_t align = cls >= 2 * kHugeAlign ? kHugeAlign : 64;
    void* p = std::aligned_alloc(align, (cls + align - 1) / align * align);
    if (!p) {
      empty_cache();  // give the cache back and try once more before reporting OOM
      p = std::aligned_alloc(align, (cls + align - 1) / align * align);
    }
    if (!p) throw_error(Status::OutOfMemory, "out of memory allocating " + std::to_string(nbytes) + " bytes on cpu");
    if (align == kHugeAlign) madvise(p, cls, MADV_HUGEPAGE);
    return p;
  }

  void deallocate(void* ptr, size_t nbytes) noexcept override {
    if (!ptr) return;
    size_t cls = size_class(nbytes == 0 ? 1 : nbytes);
    if (cls >= kCacheMinBytes) {
      std::lock_guard<std::mutex> lock(mu_);
      if (cached_bytes_ + cls <= kCacheMaxBytes) {
        try {
          free_[cls].push_back(ptr);
          cached_bytes_ += cls;
          return;
        } catch (...) {  // bookkeeping allocation failed: just free the block
        }
      }
    }
    std::free(ptr);
  }

  void empty_cache() noexcept {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& kv : free_)
      for (void* p : kv.second) std::free(p);
    free_.clear();
    cached_bytes_ = 0;
  }

 private:
  std::mutex mu_;
  std::unordered_map<size_t, std::vector<void*>> free_;
  size_t cached_bytes_ = 0;
};

CpuAllocator& instance() {
  static CpuAllocator* a = new CpuAllocator();  // never destroyed: tensors may outlive static destructors
  return *a;
}

}  // namespace

Allocator& cpu_allocator() { return instance(); }
void cpu_allocator_empty_cache() {
  instance().empty_cache();
  drain_object_caches();
}

void set_fail_allocation_at(int64_t n) {
  g_alloc_count.store(0);
  g_fail_at.store(n);
}
int64_t allocations_since_arm() { return g_alloc_count.load(); }

void maybe_inject_allocation_failure(size_t nbytes) {
  if (__builtin_expect(g_fail_at.load(std::memory_order_relaxed) == 0, 1)) return;
  int64_t n = g_alloc_count.fetch_add(1) + 1;
  if (n == g_fail_at.load())
    throw_error(Status::OutOfMemory, "out of memory allocating " + std::to_string(nbytes) + " bytes (injected)");
}

}  // namespace lt
