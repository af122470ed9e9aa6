// lt::Tensor: the owning C++ handle used throughout src/. Copy = retain, destroy = release.
#pragma once
#include <utility>

#include "core/tensor_impl.h"

namespace lt {

class Tensor {
 public:
  Tensor() = default;
  // Adopts one reference of `impl` (no retain).
  static Tensor adopt(TensorImpl* impl) {
    Tensor t;
    t.impl_ = impl;
    return t;
  }
  // Shares `impl` (retains it).
  static Tensor share(TensorImpl* impl) {
    if (impl) impl->retain();
    return adopt(impl);
  }
  Tensor(const Tensor& o) : impl_(o.impl_) {
    if (impl_) impl_->retain();
  }
  Tensor(Tensor&& o) noexcept : impl_(std::exchange(o.impl_, nullptr)) {}
  Tensor& operator=(const Tensor& o) {
    Tensor(o).swap(*this);
    return *this;
  }
  Tensor& operator=(Tensor&& o) noexcept {
    Tensor(std::move(o)).swap(*this);
    return *this;
  }
  ~Tensor() {
    if (impl_) impl_->release();
  }
  void swap(Tensor& o) noexcept { std::swap(impl_, o.impl_); }
  // Gives up ownership of the reference (for handing out through the C API).
  TensorImpl* release() { return std::exchange(impl_, nullptr); }

  bool defined() const { return impl_ != nullptr; }
  explicit operator bool() const { return defined(); }
  TensorImpl* impl() const { return impl_; }
  TensorImpl* operator->() const { return impl_; }

  int32_t ndim() const { return impl_->ndim(); }
  const DimVector& shape() const { return impl_->shape; }
  const DimVector& strides() const { return impl_->strides; }
  int64_t size(int32_t d) const { return impl_->shape[d]; }
  int64_t stride(int32_t d) const { return impl_->strides[d]; }
  int64_t numel() const { return impl_->numel; }
  DType dtype() const { return impl_->dtype; }
  Device device() const { return impl_->device(); }
  bool is_contiguous() const { return impl_->is_contiguous(); }
  char* data() const { return impl_->data(); }
  template <typename T>
  T* data_as() const { return reinterpret_cast<T*>(impl_->data()); }
  Storage* storage() const { return impl_->storage; }
  bool same(const Tensor& o) const { return impl_ == o.impl_; }

 private:
  TensorImpl* impl_ = nullptr;
};

// Allocates a contiguous tensor (uninitialised).
Tensor make_empty(const DimVector& shape, DType dtype, Device device);
// A view of `base`'s storage with the given geometry (no autograd; callers record the grad node).
Tensor make_view(const Tensor& base, const DimVector& shape, const DimVector& strides, int64_t offset);
// Wraps a storage (takes one reference of `storage`).
Tensor make_from_storage(Storage* storage, DType dtype, const DimVector& shape, const DimVector& strides,
                         int64_t offset);

}  // namespace lt
