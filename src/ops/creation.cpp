// Creation ops (rand/randn draw from the per-thread stream of random_stream.cpp).
#include <cmath>
#include <cstring>

#include "autograd/autograd_meta.h"
#include "core/philox.h"
#include "ops/kernel_dtype.h"
#include "ops/ops.h"
#include "ops/random_half.h"
#include "ops/random_stream.h"

namespace lt {

namespace {

Tensor finish(Tensor t, const TensorOptions& o) {
  if (o.requires_grad) {
    LT_CHECK(is_floating(o.dtype), Status::DType,
             "only tensors of floating dtype can require gradients, got " << dtype_name(o.dtype));
    autograd_meta(t).requires_grad = true;
  }
  return t;
}

}  // namespace

Tensor empty(const DimVector& shape, const TensorOptions& o) {
  Tensor t = make_empty(shape, o.dtype, o.device);
  // Bool tensors hold only 0 and 1 (from_data normalises too): loading any other byte as a bool is
  // undefined behaviour in every later kernel, so "uninitialised" bool memory is zeroed.
  if (o.dtype == DType::Bool) backend_for(o.device).fill(t, 0.0);
  return finish(std::move(t), o);
}

void check_fill_value(double value, DType dtype) {
  bool fits = true;
  switch (dtype) {
    case DType::Int32: fits = value >= -2147483648.0 && value <= 2147483647.0; break;
    case DType::Int64: fits = value >= -0x1p63 && value < 0x1p63; break;
    case DType::Float32: fits = !std::isfinite(value) || std::fabs(value) <= 3.4028234663852886e38; break;
    // The storage dtypes as c10's checked conversion: a finite value beyond the half type's largest
    // finite one overflows even where it would round to it (65519 is refused for float16, like
    // torch.full((2,), 65519., dtype=torch.float16)); NaN and the infinities are values of both.
    case DType::Float16: fits = !std::isfinite(value) || std::fabs(value) <= 65504.0; break;
    case DType::BFloat16: fits = !std::isfinite(value) || std::fabs(value) <= 3.3895313892515355e38; break;
    // Small integers hold neither NaN nor the infinities; fractions in range truncate (-0.5 to uint8 is
    // refused: it is below the type's lowest value, as torch compares it).
    case DType::UInt8: fits = value >= 0.0 && value <= 255.0; break;
    case DType::Int8: fits = value >= -128.0 && value <= 127.0; break;
    case DType::Int16: fits = value >= -32768.0 && value <= 32767.0; break;
    case DType::Float64:
    case DType::Bool: break;  // float64 holds every double; bool takes any value (nonzero is true)
  }
  LT_CHECK(fits, Status::InvalidArgument,
           "value " << value << " cannot be converted to type " << dtype_name(dtype) << " without overflow");
}

Tensor full(const DimVector& shape, double value, const TensorOptions& o) {
  check_fill_value(value, o.dtype);
  Tensor t = make_empty(shape, o.dtype, o.device);
  backend_for(o.device).fill(t, value);
  return finish(std::move(t), o);
}

Tensor full_like(const Tensor& t, double value) {
  Tensor r = make_empty(t.shape(), t.dtype(), t.device());
  backend_for(t.device()).fill(r, value);
  return r;
}

Tensor scalar_tensor(double value, DType dtype, Device device) {
  Tensor t = make_empty(DimVector(), dtype, device);
  backend_for(device).fill(t, value);
  return t;
}

Tensor from_data(const void* data, const DimVector& shape, const TensorOptions& o) {
  Tensor t = make_empty(shape, o.dtype, cpu_device());
  size_t nbytes = static_cast<size_t>(t.numel()) * itemsize(o.dtype);
  LT_CHECK(data != nullptr || nbytes == 0, Status::InvalidArgument, "data is NULL");
  if (nbytes) std::memcpy(t.data(), data, nbytes);
  if (o.dtype == DType::Bool) {  // normalise bytes to 0/1 so that bool tensors hold only valid values
    auto* p = reinterpret_cast<unsigned char*>(t.data());
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = p[i] != 0;
  }
  if (!o.device.is_cpu()) t = to_device(t, o.device);
  return finish(std::move(t), o);
}

// Note [integer arange]: PyTorch converts start, end and step to the integer type first (truncation)
// and fills start + i * step in integers, so arange(2.1, -2.9, -1.0, int32) is [2, 1, 0, -1, -2] (not
// the truncated float values [2, 1, 0, 0, -1]). The length is ceil((end - start) / step) on the double
// arguments, except for int64, where PyTorch computes it from the truncated values (int64 being more
// precise than double): arange(3.1, int64) is [0, 1, 2]. Both rules are kept as PyTorch has them.
Tensor arange(double start, double end, double step, const TensorOptions& o) {
  LT_CHECK(std::isfinite(start) && std::isfinite(end), Status::InvalidArgument,
           "unsupported range: " << start << " -> " << end);
  LT_CHECK(step != 0 && std::isfinite(step), Status::InvalidArgument, "step must be nonzero and finite");
  LT_CHECK(o.dtype != DType::Bool, Status::DType, "arange is not supported for bool");
  const bool integral = !is_floating(o.dtype);
  double first = start, last = end, delta = step;  // in the element type's arithmetic
  if (integral) {
    constexpr double kLimit = 9.2e18;  // truncation to int64 must be defined
    LT_CHECK(std::fabs(start) < kLimit && std::fabs(end) < kLimit && std::fabs(step) < kLimit,
             Status::InvalidArgument,
             "unsupported range for " << dtype_name(o.dtype) << ": " << start << " -> " << end << " step " << step);
    first = std::trunc(start);
    last = std::trunc(end);
    delta = std::trunc(step);
    LT_CHECK(delta != 0, Status::InvalidArgument,
             "step must be nonzero (step " << step << " is 0 in " << dtype_name(o.dtype) << ")");
  }
  LT_CHECK((delta > 0 && last >= first) || (delta < 0 && last <= first), Status::InvalidArgument,
           "upper bound and larger bound inconsistent with step sign (start " << start << ", end " << end
                                                                           << ", step " << step << ")");
  double n;
  if (o.dtype == DType::Int64) {
    // ceil(|last - first| / |step|) in unsigned arithmetic: the difference of two values below 2^63 in
    // magnitude fits uint64 (the sign check above makes it the right way round).
    const uint64_t dist = delta > 0 ? static_cast<uint64_t>(static_cast<int64_t>(last)) -
                                          static_cast<uint64_t>(static_cast<int64_t>(first))
                                    : static_cast<uint64_t>(static_cast<int64_t>(first)) -
                                          static_cast<uint64_t>(static_cast<int64_t>(last));
    const uint64_t s = static_cast<uint64_t>(std::fabs(delta));
    n = static_cast<double>(dist / s + (dist % s != 0));
  } else {
    n = std::ceil((end - start) / step);
  }
  if (n < 0) n = 0;  // a range empty after truncation (arange(0.5, 0.2, 1.0, int32))
  LT_CHECK(n < 9.0e18, Status::InvalidArgument, "arange would have too many elements (" << n << ")");
  // Storage dtypes run in their kernel dtype (Note [kernel dtype]): halves as PyTorch's float
  // accumulation type, small integers in int32 and wrapped once (arange(0, 300, 7, uint8) wraps past 255
  // as torch's does).
  Tensor t = make_empty(DimVector{static_cast<int64_t>(n)}, kernel_dtype(o.dtype), o.device);
  backend_for(o.device).arange(t, first, delta);
  return finish(to_result_dtype(t, o.dtype), o);
}

Tensor linspace(double start, double end, int64_t steps, const TensorOptions& o) {
  LT_CHECK(steps >= 0, Status::InvalidArgument, "number of steps must be non-negative, got " << steps);
  LT_CHECK(o.dtype != DType::Bool, Status::DType, "linspace is not supported for bool");
  if (is_integral(o.dtype) && itemsize(o.dtype) < 4) {
    // PyTorch converts start and end to uint8 / int8 / int16 first, as a Python int converts (it must fit,
    // uint8 also takes -255..-1, wrapped: linspace(-10, 10, 7, uint8) runs from 246 down to 10), then
    // interpolates between the converted ends in double.
    const double lo = o.dtype == DType::UInt8 ? -255.0 : o.dtype == DType::Int8 ? -128.0 : -32768.0;
    const double hi = o.dtype == DType::UInt8 ? 255.0 : o.dtype == DType::Int8 ? 127.0 : 32767.0;
    for (double* v : {&start, &end}) {
      LT_CHECK(
          *v >= lo && *v <= hi && (o.dtype != DType::UInt8 || *v >= 0 || *v == std::trunc(*v)), Status::InvalidArgument,
          "linspace: value " << *v << " cannot be converted to type " << dtype_name(o.dtype) << " without overflow");
      *v = std::trunc(*v);
      if (*v < 0 && o.dtype == DType::UInt8) *v += 256.0;
    }
  }
  Tensor t = make_empty(DimVector{steps}, kernel_dtype(o.dtype), o.device);  // as arange
  backend_for(o.device).linspace(t, start, end);
  return finish(to_result_dtype(t, o.dtype), o);
}

Tensor eye(int64_t n, const TensorOptions& o) {
  LT_CHECK(n >= 0, Status::InvalidArgument, "n must be non-negative, got " << n);
  Tensor t = make_empty(DimVector{n, n}, o.dtype, o.device);
  Backend& be = backend_for(o.device);
  be.fill(t, 0.0);
  if (n > 0) be.fill(make_view(t, DimVector{n}, DimVector{n + 1}, 0), 1.0);  // the diagonal
  return finish(std::move(t), o);
}

static Tensor random_fill(const DimVector& shape, const TensorOptions& o, bool normal) {
  LT_CHECK(is_floating(o.dtype), Status::DType,
           (normal ? "randn" : "rand") << " expects a floating dtype, got " << dtype_name(o.dtype));
  if (o.dtype == DType::Float16 || o.dtype == DType::BFloat16)  // Note [half draws]
    return finish(to_result_dtype(half_draw(shape, o.dtype, o.device, normal), o.dtype), o);
  Tensor t = make_empty(shape, o.dtype, o.device);
  Backend& be = backend_for(o.device);
  const RngDraw d = rng_reserve(philox_blocks_used(t.numel(), o.dtype == DType::Float64, normal));
  if (normal) be.random_normal(t, d.seed, d.offset);
  else be.random_uniform(t, d.seed, d.offset);
  return finish(std::move(t), o);
}

Tensor rand(const DimVector& shape, const TensorOptions& o) { return random_fill(shape, o, false); }
Tensor randn(const DimVector& shape, const TensorOptions& o) { return random_fill(shape, o, true); }

}  // namespace lt
