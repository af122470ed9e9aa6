// DLPack 1.x interop: tensor_to_dlpack / tensor_from_dlpack. Zero-copy both ways; the only work here is
// translating descriptors and keeping the memory alive for exactly as long as someone uses it.
#include <cstdint>
#include <memory>
#include <string>

#include "capi/capi_common.h"
#include "core/allocator.h"
#include "tensor/tensor_dlpack.h"

using namespace lt;
using namespace lt::capi;

namespace {

// Note [DLPack export]: an export holds one reference to the tensor's Storage (not to the TensorImpl, so
// no autograd state is kept alive by a consumer) plus its own copy of shape and strides, which the
// DLTensor points into. The consumer's single deleter call frees all of it; the storage then goes when
// its last user does.
struct DlpackExport {
  DLManagedTensorVersioned managed{};
  Storage* storage = nullptr;
  DimVector shape;
  DimVector strides;

  DlpackExport() = default;
  DlpackExport(const DlpackExport&) = delete;
  DlpackExport& operator=(const DlpackExport&) = delete;
  ~DlpackExport() {
    if (storage) storage->release();
  }
};

void delete_export(DLManagedTensorVersioned* self) {
  if (self) delete static_cast<DlpackExport*>(self->manager_ctx);
}

DLDataType dl_dtype_of(DType dtype) {
  DLDataType r{};
  r.lanes = 1;
  r.bits = static_cast<uint8_t>(itemsize(dtype) * 8);
  switch (dtype) {
    case DType::Float16:
    case DType::Float32:
    case DType::Float64: r.code = kDLFloat; break;
    case DType::BFloat16: r.code = kDLBfloat; break;
    case DType::Int8:
    case DType::Int16:
    case DType::Int32:
    case DType::Int64: r.code = kDLInt; break;
    case DType::UInt8: r.code = kDLUInt; break;
    case DType::Bool: r.code = kDLBool; break;
  }
  return r;
}

DLDevice dl_device_of(Device device) {
  DLDevice r{};
  r.device_type = device.is_cuda() ? kDLCUDA : kDLCPU;
  r.device_id = device.is_cuda() ? device.index : 0;
  return r;
}

std::string dl_dtype_str(DLDataType t) {
  return "{code " + std::to_string(t.code) + ", bits " + std::to_string(t.bits) + ", lanes " +
         std::to_string(t.lanes) + "}";
}

DType dtype_from_dl(DLDataType t) {
  LT_CHECK(t.lanes == 1, Status::DType, "vector element types are not supported (lanes " << t.lanes << ")");
  if (t.code == kDLFloat && t.bits == 32) return DType::Float32;
  if (t.code == kDLFloat && t.bits == 64) return DType::Float64;
  if (t.code == kDLInt && t.bits == 32) return DType::Int32;
  if (t.code == kDLInt && t.bits == 64) return DType::Int64;
  if (t.code == kDLBool && t.bits == 8) return DType::Bool;
  if (t.code == kDLFloat && t.bits == 16) return DType::Float16;
  if (t.code == kDLBfloat && t.bits == 16) return DType::BFloat16;
  if (t.code == kDLUInt && t.bits == 8) return DType::UInt8;
  if (t.code == kDLInt && t.bits == 8) return DType::Int8;
  if (t.code == kDLInt && t.bits == 16) return DType::Int16;
  throw Error(Status::DType, "unsupported DLPack element type " + dl_dtype_str(t) +
                                 " (expected float16, bfloat16, float32, float64, uint8, int8, int16, int32, "
                                 "int64 or bool)");
}

Device device_from_dl(const DLDevice& d) {
  // A producer may put any integer in device_type; loading it as the enum would be undefined behaviour
  // for values outside DLDeviceType's range, so the bits are read as an integer (enum_value).
  const int32_t type = enum_value(d.device_type);
  switch (type) {
    case kDLCPU:
    case kDLCUDAHost:  // pinned host memory: the CPU reads it directly
      return cpu_device();
    case kDLCUDA:
    case kDLCUDAManaged:
      // device_from_c throws Device when the CUDA backend or that GPU is unavailable.
      return device_from_c(tensor_device{TENSOR_CUDA, d.device_id});
    default:
      throw Error(Status::Device, "unsupported DLPack device type " + std::to_string(type) +
                                      " (expected kDLCPU, kDLCUDAHost or kDLCUDA)");
  }
}

// Elements spanned from the first element to the last one (0 for an empty tensor); rejects geometry that
// could not describe real memory.
int64_t span_in_elements(const DimVector& shape, const DimVector& strides) {
  int64_t last = 0;
  for (int32_t d = 0; d < shape.size(); ++d) {
    LT_CHECK(shape[d] >= 0, Status::InvalidArgument, "negative size " << shape[d] << " in dim " << d);
    LT_CHECK(strides[d] >= 0, Status::InvalidArgument,
             "negative stride " << strides[d] << " in dim " << d << " is not supported");
    if (shape[d] == 0) return 0;
    int64_t step = 0;
    LT_CHECK(!__builtin_mul_overflow(shape[d] - 1, strides[d], &step) && !__builtin_add_overflow(last, step, &last),
             Status::InvalidArgument, "shape " << shape_str(shape) << " with strides " << shape_str(strides)
                                               << " overflows");
  }
  return last + 1;
}

// Runs the DLPack deleter of a managed tensor we took ownership of; a Storage calls it on its last release.
void run_dlpack_deleter(void* ctx) {
  auto* m = static_cast<DLManagedTensorVersioned*>(ctx);
  if (m->deleter) m->deleter(m);
}

// Calls the deleter at scope exit unless ownership moved on (to a Storage): tensor_from_dlpack owns `m`
// from its first line, so every failure path must release it, and none may release it twice.
class DeleterOnExit {
 public:
  explicit DeleterOnExit(DLManagedTensorVersioned* m) : m_(m) {}
  ~DeleterOnExit() {
    if (m_) run_dlpack_deleter(m_);
  }
  DeleterOnExit(const DeleterOnExit&) = delete;
  DeleterOnExit& operator=(const DeleterOnExit&) = delete;
  void disarm() { m_ = nullptr; }

 private:
  DLManagedTensorVersioned* m_;
};

Tensor import_dlpack(DLManagedTensorVersioned* m, DeleterOnExit& owner) {
  LT_CHECK(m->version.major == DLPACK_MAJOR_VERSION, Status::InvalidArgument,
           "DLPack version " << m->version.major << "." << m->version.minor << " is not supported (expected "
                             << DLPACK_MAJOR_VERSION << ".x)");
  const DLTensor& dl = m->dl_tensor;
  LT_CHECK(dl.ndim >= 0, Status::InvalidArgument, "negative ndim " << dl.ndim);
  LT_CHECK(dl.ndim == 0 || dl.shape != nullptr, Status::InvalidArgument, "shape is NULL but ndim is " << dl.ndim);
  check_ndim(dl.ndim);  // before copying shape and strides
  DType dtype = dtype_from_dl(dl.dtype);
  Device device = device_from_dl(dl.device);

  DimVector shape(dl.shape, dl.ndim);
  DimVector strides = dl.strides ? DimVector(dl.strides, dl.ndim) : DimVector();
  if (!dl.strides) {
    for (int64_t s : shape)
      LT_CHECK(s >= 0, Status::InvalidArgument, "negative size in shape " << shape_str(shape));
    strides = contiguous_strides(shape);
  }
  int64_t span = span_in_elements(shape, strides);
  size_t item = itemsize(dtype);
  LT_CHECK(span == 0 || dl.data != nullptr, Status::InvalidArgument,
           "data is NULL for a tensor of shape " << shape_str(shape));
  // data + byte_offset and the bytes after it must stay inside the address space: a byte_offset near
  // 2^64 would otherwise wrap the pointer (pointer arithmetic past the object is undefined anyway, so
  // the sums are done on integers).
  uintptr_t first_addr = 0, end_addr = 0;
  uint64_t span_bytes = 0;
  LT_CHECK(!__builtin_add_overflow(reinterpret_cast<uintptr_t>(dl.data), dl.byte_offset, &first_addr) &&
               !__builtin_mul_overflow(static_cast<uint64_t>(span), static_cast<uint64_t>(item), &span_bytes) &&
               !__builtin_add_overflow(first_addr, span_bytes, &end_addr),
           Status::InvalidArgument,
           "byte_offset " << dl.byte_offset << " with " << span << " elements of " << item
                          << " bytes overflows the address space");
  char* first = reinterpret_cast<char*>(first_addr);
  LT_CHECK(first_addr % item == 0, Status::InvalidArgument,
           "the first element (data + byte_offset " << dl.byte_offset << ") is not aligned to " << item
                                                    << " bytes for " << dtype_name(dtype));

  bool read_only = (m->flags & DLPACK_FLAG_BITMASK_READ_ONLY) != 0;
  Storage* storage = Storage::wrap_external(first, static_cast<size_t>(span) * item, device, run_dlpack_deleter,
                                            m, read_only);
  owner.disarm();  // the storage runs the deleter from now on, even if make_from_storage fails
  Tensor t = make_from_storage(storage, dtype, shape, strides, 0);
  // Zero-copy bool memory is trusted by every kernel to hold only 0 and 1 (sum of bytes 0x02 would
  // count 2): refuse anything else rather than import a tensor that breaks the dtype's invariant.
  check_bool_bytes(t);
  return t;
}

}  // namespace

extern "C" {

TENSOR_API tensor_status tensor_to_dlpack(DLManagedTensorVersioned** out, const tensor* t) {
  return guard("tensor_to_dlpack", [&] {
    check_out(out, "out");
    LT_ARG(t);
    const Tensor& src = t_t.get();
    maybe_inject_allocation_failure(sizeof(DlpackExport));
    auto ctx = std::make_unique<DlpackExport>();
    ctx->shape = src.shape();
    ctx->strides = src.strides();
    ctx->storage = src.storage();
    ctx->storage->retain();

    DLManagedTensorVersioned& m = ctx->managed;
    m.version.major = DLPACK_MAJOR_VERSION;
    m.version.minor = DLPACK_MINOR_VERSION;
    m.manager_ctx = ctx.get();
    m.deleter = delete_export;
    m.flags = src.storage()->read_only() ? DLPACK_FLAG_BITMASK_READ_ONLY : 0;
    m.dl_tensor.data = src.data();  // the first element, so consumers that ignore byte_offset still work
    m.dl_tensor.byte_offset = 0;
    m.dl_tensor.device = dl_device_of(src.device());
    m.dl_tensor.ndim = src.ndim();
    m.dl_tensor.dtype = dl_dtype_of(src.dtype());
    m.dl_tensor.shape = ctx->shape.data();
    m.dl_tensor.strides = ctx->strides.data();
    *out = &ctx.release()->managed;
  });
}

TENSOR_API tensor_status tensor_from_dlpack(tensor** out, DLManagedTensorVersioned* m) {
  DeleterOnExit owner(m);
  return guard("tensor_from_dlpack", [&] {
    check_out(out, "out");
    LT_CHECK(m != nullptr, Status::InvalidArgument, "argument 'm' is NULL");
    *out = to_handle(import_dlpack(m, owner));
  });
}

}  // extern "C"
