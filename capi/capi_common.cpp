#include "capi/capi_common.h"

#include <cstring>

#include "core/shape.h"

static_assert(lt::kMaxNdim == TENSOR_MAX_NDIM, "the core's rank limit is the one tensor.h documents");

namespace lt::capi {

static_assert(static_cast<int>(Status::InvalidArgument) == TENSOR_ERR_INVALID_ARGUMENT, "status values");
static_assert(static_cast<int>(Status::Internal) == TENSOR_ERR_INTERNAL, "status values");
static_assert(static_cast<int>(DType::Float32) == TENSOR_FLOAT32 && static_cast<int>(DType::Float64) == TENSOR_FLOAT64 &&
                  static_cast<int>(DType::Int32) == TENSOR_INT32 && static_cast<int>(DType::Int64) == TENSOR_INT64 &&
                  static_cast<int>(DType::Bool) == TENSOR_BOOL,
              "dtype values");
static_assert(static_cast<int>(DType::Float16) == TENSOR_FLOAT16 && static_cast<int>(DType::BFloat16) == TENSOR_BFLOAT16 &&
                  static_cast<int>(DType::UInt8) == TENSOR_UINT8 && static_cast<int>(DType::Int8) == TENSOR_INT8 &&
                  static_cast<int>(DType::Int16) == TENSOR_INT16 && kNumDTypes == TENSOR_INT16 + 1,
              "dtype values (appended in the C header's order)");

namespace {
thread_local char t_error[1024] = "";
}

void set_last_error(const char* call, const char* message) noexcept {
  // Fixed buffer: setting the error can never fail, even out of memory.
  size_t n = std::strlen(call);
  if (n > sizeof(t_error) - 3) n = sizeof(t_error) - 3;
  std::memcpy(t_error, call, n);
  t_error[n] = ':';
  t_error[n + 1] = ' ';
  std::strncpy(t_error + n + 2, message, sizeof(t_error) - n - 3);
  t_error[sizeof(t_error) - 1] = '\0';
}

const char* last_error() noexcept { return t_error; }

[[noreturn]] void fail(Status status, const std::string& message) { throw Error(status, message); }

DType dtype_from_c(const tensor_dtype& dtype) {
  int32_t v = enum_value(dtype);
  LT_CHECK(is_valid_dtype(v), Status::InvalidArgument, "invalid dtype " << v);
  return static_cast<DType>(v);
}

Device device_from_c(tensor_device device) {
  LT_CHECK(device.type == TENSOR_CPU || device.type == TENSOR_CUDA, Status::InvalidArgument,
           "invalid device type " << device.type);
  LT_CHECK(device.index >= 0, Status::InvalidArgument, "invalid device index " << device.index);
  Device d{static_cast<DeviceType>(device.type), device.type == TENSOR_CPU ? 0 : device.index};
  if (d.is_cuda()) backend_for(d).allocator(d.index);  // throws Device when CUDA or that GPU is unavailable
  return d;
}

TensorOptions options_from_c(const tensor_options* opts) {
  TensorOptions o;
  if (!opts) return o;
  LT_CHECK(opts->version == TENSOR_OPTIONS_VERSION, Status::InvalidArgument,
           "unsupported tensor_options version " << opts->version << " (expected " << TENSOR_OPTIONS_VERSION
                                                 << "; initialise with TENSOR_OPTIONS_INIT)");
  o.dtype = dtype_from_c(opts->dtype);
  o.device = device_from_c(opts->device);
  o.requires_grad = opts->requires_grad;
  return o;
}

std::vector<int32_t> dims_from_c(const int32_t* dims, int32_t ndims) {
  LT_CHECK(ndims >= 0, Status::InvalidArgument, "ndims must be >= 0, got " << ndims);
  LT_CHECK(ndims == 0 || dims != nullptr, Status::InvalidArgument, "dims is NULL but ndims is " << ndims);
  return std::vector<int32_t>(dims, dims + ndims);
}

}  // namespace lt::capi
