#include <new>

#include "autograd/autograd_meta.h"
#include "core/shape.h"
#include "core/tensor.h"

namespace lt {

TensorImpl::~TensorImpl() {
  magic = 0;
  delete autograd;
  if (storage) storage->release();
}

void TensorImpl::release() noexcept {
  if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

bool TensorImpl::is_contiguous() const { return is_contiguous_layout(shape, strides); }

static TensorImpl* new_impl() {
  maybe_inject_allocation_failure(sizeof(TensorImpl));
  auto* impl = new (std::nothrow) TensorImpl();
  if (!impl) throw_error(Status::OutOfMemory, "out of memory allocating a tensor");
  return impl;
}

Tensor make_from_storage(Storage* storage, DType dtype, const DimVector& shape, const DimVector& strides,
                         int64_t offset) {
  TensorImpl* impl;
  int64_t n;
  try {
    n = checked_numel(shape);  // views too: an expanded size may not overflow int64 either
    impl = new_impl();
  } catch (...) {
    storage->release();
    throw;
  }
  impl->storage = storage;
  impl->dtype = dtype;
  impl->shape = shape;
  impl->strides = strides;
  impl->offset = offset;
  impl->numel = n;
  return Tensor::adopt(impl);
}

Tensor make_empty(const DimVector& shape, DType dtype, Device device) {
  int64_t n = checked_numel(shape);
  size_t item = itemsize(dtype);
  int64_t extent = 1;  // cannot overflow: checked_numel bounds it (Note [extent] in shape.cpp)
  for (int64_t s : shape) extent *= s > 1 ? s : 1;
  LT_CHECK(extent <= INT64_MAX / static_cast<int64_t>(item), Status::Shape,
           "shape " << shape_str(shape) << " needs more bytes than fit in int64");
  Storage* storage = Storage::allocate(static_cast<size_t>(n) * item, device);
  return make_from_storage(storage, dtype, shape, contiguous_strides(shape), 0);
}

Tensor make_view(const Tensor& base, const DimVector& shape, const DimVector& strides, int64_t offset) {
  base.storage()->retain();
  return make_from_storage(base.storage(), base.dtype(), shape, strides, offset);
}

}  // namespace lt
