// The tensor object: a strided view of a Storage. The C handle `tensor*` points at a TensorImpl.
//
// Note [views]: shape and strides are in elements; `offset` is in elements from the storage start.
// Several TensorImpls may share one Storage (views). A TensorImpl itself is immutable in shape once
// handed out, except through autograd metadata (requires_grad, grad), so handles can be read from
// several threads at once.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

#include "core/dim_vector.h"
#include "core/dtype.h"
#include "core/storage.h"

namespace lt {

// Note [autograd metadata interface]: a tensor owns its autograd state, but that state is defined a layer
// up (AutogradMeta in src/autograd/autograd_meta.h). Core sees only this interface, enough to destroy it,
// so core never includes autograd (c10's AutogradMetaInterface plays the same part).
struct AutogradMetaInterface {
  virtual ~AutogradMetaInterface() = default;
};

struct TensorImpl {
  static constexpr uint32_t kMagic = 0x7e450f1au;  // catches freed or foreign handles early

  uint32_t magic = kMagic;
  std::atomic<int32_t> refs{1};
  DType dtype = DType::Float32;
  Storage* storage = nullptr;  // owned reference
  int64_t offset = 0;
  int64_t numel = 0;
  DimVector shape;
  DimVector strides;
  AutogradMetaInterface* autograd = nullptr;  // owned; null for tensors outside the graph
  // is_contiguous_layout(shape, strides), set wherever shape or strides are: a tiny op asks it of every
  // operand, and recomputing it was a tenth of a tiny add's instructions.
  bool contiguous = true;

  TensorImpl() = default;
  // From the per-thread object cache (core/object_cache.h); nullptr when out of memory.
  static void* operator new(size_t size, const std::nothrow_t&) noexcept;
  static void operator delete(void* p) noexcept;
  TensorImpl(const TensorImpl&) = delete;
  TensorImpl& operator=(const TensorImpl&) = delete;
  ~TensorImpl();

  void retain() noexcept { refs.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept;

  int32_t ndim() const { return shape.size(); }
  Device device() const { return storage->device(); }
  char* data() const { return static_cast<char*>(storage->data()) + offset * static_cast<int64_t>(itemsize(dtype)); }
  bool is_contiguous() const { return contiguous; }
};

}  // namespace lt
