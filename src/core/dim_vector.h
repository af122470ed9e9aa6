// A small vector of int64 for shapes and strides: up to kInline dims live inside the object, so making a
// tensor costs no extra allocation in the common case (the tiny-op path is dominated by allocations).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <new>

namespace lt {

class DimVector {
 public:
  static constexpr int32_t kInline = 6;

  DimVector() = default;
  explicit DimVector(int32_t n, int64_t value = 0) { resize(n, value); }
  DimVector(const int64_t* p, int32_t n) { assign(p, n); }
  DimVector(std::initializer_list<int64_t> il) { assign(il.begin(), static_cast<int32_t>(il.size())); }
  DimVector(const DimVector& o) { assign(o.data(), o.size()); }
  DimVector(DimVector&& o) noexcept { move_from(o); }
  DimVector& operator=(const DimVector& o) {
    if (this != &o) assign(o.data(), o.size());
    return *this;
  }
  DimVector& operator=(DimVector&& o) noexcept {
    if (this != &o) {
      release();
      move_from(o);
    }
    return *this;
  }
  ~DimVector() { release(); }

  int32_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t* data() { return heap_ ? heap_ : inline_; }
  const int64_t* data() const { return heap_ ? heap_ : inline_; }
  int64_t& operator[](int32_t i) { return data()[i]; }
  int64_t operator[](int32_t i) const { return data()[i]; }
  int64_t* begin() { return data(); }
  int64_t* end() { return data() + size_; }
  const int64_t* begin() const { return data(); }
  const int64_t* end() const { return data() + size_; }
  int64_t back() const { return data()[size_ - 1]; }

  void assign(const int64_t* p, int32_t n) {
    reserve(n);
    if (n) std::memmove(data(), p, sizeof(int64_t) * static_cast<size_t>(n));
    size_ = n;
  }
  void resize(int32_t n, int64_t value = 0) {
    reserve(n);
    for (int32_t i = size_; i < n; ++i) data()[i] = value;
    size_ = n;
  }
  void push_back(int64_t v) {
    if (size_ == capacity()) reserve(size_ * 2);
    data()[size_++] = v;
  }
  void insert(int32_t pos, int64_t v) {
    push_back(0);
    int64_t* d = data();
    std::memmove(d + pos + 1, d + pos, sizeof(int64_t) * static_cast<size_t>(size_ - 1 - pos));
    d[pos] = v;
  }
  void erase(int32_t pos) {
    int64_t* d = data();
    std::memmove(d + pos, d + pos + 1, sizeof(int64_t) * static_cast<size_t>(size_ - 1 - pos));
    --size_;
  }
  bool operator==(const DimVector& o) const {
    return size_ == o.size_ && std::equal(begin(), end(), o.begin());
  }
  bool operator!=(const DimVector& o) const { return !(*this == o); }

 private:
  int32_t capacity() const { return heap_ ? heap_cap_ : kInline; }
  void reserve(int32_t n) {
    if (n <= capacity()) return;
    auto* p = static_cast<int64_t*>(std::malloc(sizeof(int64_t) * static_cast<size_t>(n)));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, data(), sizeof(int64_t) * static_cast<size_t>(size_));
    std::free(heap_);
    heap_ = p;
    heap_cap_ = n;
  }
  void release() {
    std::free(heap_);
    heap_ = nullptr;
    size_ = 0;
  }
  void move_from(DimVector& o) {
    size_ = o.size_;
    if (o.heap_) {
      heap_ = o.heap_;
      heap_cap_ = o.heap_cap_;
      o.heap_ = nullptr;
    } else {
      std::memcpy(inline_, o.inline_, sizeof(int64_t) * static_cast<size_t>(size_));
    }
    o.size_ = 0;
  }

  int64_t inline_[kInline];
  int64_t* heap_ = nullptr;
  int32_t size_ = 0;
  int32_t heap_cap_ = 0;
};

}  // namespace lt
