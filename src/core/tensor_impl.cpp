#include <new>

#include "core/object_cache.h"
#include "core/shape.h"
#include "core/tensor.h"

namespace lt {

TensorImpl::~TensorImpl() {
  magic = 0;
  delete autograd;
  if (storage) storage->release();
}

void* TensorImpl::operator new(size_t size, const std::nothrow_t&) noexcept {
  return cached_object_alloc(CachedObject::TensorImpl, size);
}
void TensorImpl::operator delete(void* p) noexcept { cached_object_free(CachedObject::TensorImpl, p); }

void TensorImpl::release() noexcept {
  if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

static TensorImpl* new_impl() {
  maybe_inject_allocation_failure(sizeof(TensorImpl));
  auto* impl = new (std::nothrow) TensorImpl();
  if (!impl) throw_error(Status::OutOfMemory, "out of memory allocating a tensor");
  return impl;
}

namespace {

// Adopts storage (released on failure); numel already checked, contiguous = is_contiguous_layout.
// strides nullptr: contiguous strides, written in place (no temporary DimVector on the tiny-op path).
Tensor make_impl(Storage* storage, DType dtype, const DimVector& shape, const DimVector* strides, int64_t offset,
                 int64_t numel, bool contiguous) {
  TensorImpl* impl;
  try {
    impl = new_impl();
  } catch (...) {
    storage->release();
    throw;
  }
  impl->storage = storage;
  impl->dtype = dtype;
  impl->shape = shape;
  if (strides) {
    impl->strides = *strides;
  } else {
    write_contiguous_strides(shape, impl->strides);
  }
  impl->offset = offset;
  impl->numel = numel;
  impl->contiguous = contiguous;
  return Tensor::adopt(impl);
}

}  // namespace

Tensor make_from_storage(Storage* storage, DType dtype, const DimVector& shape, const DimVector& strides,
                         int64_t offset) {
  int64_t n;
  try {
    n = checked_numel(shape);  // views too: an expanded size may not overflow int64 either
  } catch (...) {
    storage->release();
    throw;
  }
  return make_impl(storage, dtype, shape, &strides, offset, n, is_contiguous_layout(shape, strides));
}

Tensor make_empty(const DimVector& shape, DType dtype, Device device) {
  int64_t n = checked_numel(shape);
  size_t item = itemsize(dtype);
  int64_t extent = 1;  // cannot overflow: checked_numel bounds it (Note [extent] in shape.cpp)
  for (int64_t s : shape) extent *= s > 1 ? s : 1;
  LT_CHECK(extent <= INT64_MAX / static_cast<int64_t>(item), Status::Shape,
           "shape " << shape_str(shape) << " needs more bytes than fit in int64");
  Storage* storage = Storage::allocate(static_cast<size_t>(n) * item, device);
  return make_impl(storage, dtype, shape, nullptr, 0, n, true);
}

Tensor make_view(const Tensor& base, const DimVector& shape, const DimVector& strides, int64_t offset) {
  base.storage()->retain();
  return make_from_storage(base.storage(), base.dtype(), shape, strides, offset);
}

}  // namespace lt
