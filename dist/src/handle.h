// Owning wrappers over libtensor's public handles, and raw access to a tensor's memory through DLPack
// (the public way to get a writable pointer; tensor_data() is read-only by contract).
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "error.h"
#include "tensor/tensor.h"
#include "tensor/tensor_dlpack.h"

namespace tdist {

struct TensorDeleter {
  void operator()(tensor* t) const noexcept { tensor_free(t); }
};
using Owned = std::unique_ptr<tensor, TensorDeleter>;

// A DLPack export of a tensor, released on scope exit (movable; empty when default-made or moved
// from); gives the memory of its first element.
class Memory {
 public:
  Memory() = default;
  explicit Memory(const tensor* t) { check_tensor(tensor_to_dlpack(&m_, t)); }
  ~Memory() { release(); }
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;
  Memory(Memory&& o) noexcept : m_(o.m_) { o.m_ = nullptr; }
  Memory& operator=(Memory&& o) noexcept {
    if (this != &o) {
      release();
      m_ = o.m_;
      o.m_ = nullptr;
    }
    return *this;
  }
  void* data() const { return static_cast<char*>(m_->dl_tensor.data) + m_->dl_tensor.byte_offset; }
  bool read_only() const { return (m_->flags & DLPACK_FLAG_BITMASK_READ_ONLY) != 0; }

 private:
  void release() noexcept {
    if (m_ && m_->deleter) m_->deleter(m_);
    m_ = nullptr;
  }
  DLManagedTensorVersioned* m_ = nullptr;
};

// Turns autograd recording off for the life of the object (collectives are not differentiable, and
// staging copies must not join the caller's graph).
class NoGrad {
 public:
  NoGrad() : previous_(tensor_set_grad_enabled(false)) {}
  ~NoGrad() { tensor_set_grad_enabled(previous_); }
  NoGrad(const NoGrad&) = delete;
  NoGrad& operator=(const NoGrad&) = delete;

 private:
  bool previous_;
};

size_t dtype_size(tensor_dtype d);      // bytes per element; 0 for a dtype libtensor_dist does not know
bool dtype_is_floating(tensor_dtype d);
std::string shape_string(const tensor* t);  // "[2, 3]"

inline tensor_options options_like(const tensor* t) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = tensor_get_dtype(t);
  o.device = tensor_get_device(t);
  return o;
}

}  // namespace tdist
