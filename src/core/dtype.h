// Element types and PyTorch's type promotion.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/half.h"
#include "core/status.h"

namespace lt {

// Values equal tensor_dtype's; never renumbered.
enum class DType : int32_t {
  Float32 = 0,
  Float64 = 1,
  Int32 = 2,
  Int64 = 3,
  Bool = 4,
  Float16 = 5,
  BFloat16 = 6,
  UInt8 = 7,
  Int8 = 8,
  Int16 = 9,
};
constexpr int kNumDTypes = 10;

inline bool is_valid_dtype(int32_t v) { return v >= 0 && v < kNumDTypes; }
inline size_t itemsize(DType t) {
  switch (t) {
    case DType::Float32: return 4;
    case DType::Float64: return 8;
    case DType::Int32: return 4;
    case DType::Int64: return 8;
    case DType::Bool: return 1;
    case DType::Float16: return 2;
    case DType::BFloat16: return 2;
    case DType::UInt8: return 1;
    case DType::Int8: return 1;
    case DType::Int16: return 2;
  }
  return 0;
}
inline bool is_floating(DType t) {
  return t == DType::Float32 || t == DType::Float64 || t == DType::Float16 || t == DType::BFloat16;
}
inline bool is_integral(DType t) {
  return t == DType::Int32 || t == DType::Int64 || t == DType::UInt8 || t == DType::Int8 || t == DType::Int16;
}
const char* dtype_name(DType t);
// TENSOR_ERR_DTYPE "<what>: not implemented for <dtype>": the default of the dispatch switches below.
[[noreturn]] void throw_unsupported_dtype(const char* what, DType t);
[[noreturn]] inline void throw_unsupported_dtype(const std::string& what, DType t) { throw_unsupported_dtype(what.c_str(), t); }

// Note [kernel dtype]: the kernels compute in five dtypes (float32, float64, int32, int64, bool). The
// 16-bit floats and the small integers are storage dtypes: the ops layer runs a kernel on them in their
// kernel dtype (float32 for float16/bfloat16, int32 for uint8/int8/int16) and rounds or wraps the result
// once into the storage dtype. For floats this is PyTorch's own rule (halves compute in float32, its
// opmath type); for integers, + - * and the bitwise ops commute with wrapping, so the wrapped int32
// result is the one the narrow type would give. Copies (conversions) run on every dtype directly.
inline DType kernel_dtype(DType t) {
  switch (t) {
    case DType::Float16:
    case DType::BFloat16: return DType::Float32;
    case DType::UInt8:
    case DType::Int8:
    case DType::Int16: return DType::Int32;
    case DType::Float32:
    case DType::Float64:
    case DType::Int32:
    case DType::Int64:
    case DType::Bool: return t;
  }
  return t;
}
inline bool is_kernel_dtype(DType t) { return kernel_dtype(t) == t; }

// PyTorch's promotion table: bool < integer < floating; two integers give the wider, except uint8 with
// int8, which gives int16 (the smallest type holding both); two floats give the wider, except float16
// with bfloat16, which gives float32.
DType promote_types(DType a, DType b);

// C++ type <-> DType.
template <typename T> struct dtype_of;
template <> struct dtype_of<float> { static constexpr DType value = DType::Float32; };
template <> struct dtype_of<double> { static constexpr DType value = DType::Float64; };
template <> struct dtype_of<int32_t> { static constexpr DType value = DType::Int32; };
template <> struct dtype_of<int64_t> { static constexpr DType value = DType::Int64; };
template <> struct dtype_of<bool> { static constexpr DType value = DType::Bool; };
template <> struct dtype_of<Half> { static constexpr DType value = DType::Float16; };
template <> struct dtype_of<BFloat16> { static constexpr DType value = DType::BFloat16; };
template <> struct dtype_of<uint8_t> { static constexpr DType value = DType::UInt8; };
template <> struct dtype_of<int8_t> { static constexpr DType value = DType::Int8; };
template <> struct dtype_of<int16_t> { static constexpr DType value = DType::Int16; };

}  // namespace lt

// Runs the body with `scalar_t` bound to the C++ type of `dtype`. One switch, used by every kernel family,
// so adding a dtype touches one place.
#define LT_DISPATCH_CASE(DT, T, ...) \
  case ::lt::DType::DT: {            \
    using scalar_t = T;              \
    __VA_ARGS__;                     \
    break;                           \
  }
#define LT_DISPATCH_ALL(dtype, what, ...)                                                     \
  switch (dtype) {                                                                            \
    LT_DISPATCH_CASE(Float32, float, __VA_ARGS__)                                             \
    LT_DISPATCH_CASE(Float64, double, __VA_ARGS__)                                            \
    LT_DISPATCH_CASE(Int32, int32_t, __VA_ARGS__)                                             \
    LT_DISPATCH_CASE(Int64, int64_t, __VA_ARGS__)                                             \
    LT_DISPATCH_CASE(Bool, bool, __VA_ARGS__)                                                 \
    default: ::lt::throw_unsupported_dtype(what, dtype);                                       \
  }
// Every dtype, the storage ones included: for the kernels that only move or convert elements (copy).
#define LT_DISPATCH_STORAGE(dtype, what, ...)                 \
  switch (dtype) {                                            \
    LT_DISPATCH_CASE(Float32, float, __VA_ARGS__)             \
    LT_DISPATCH_CASE(Float64, double, __VA_ARGS__)            \
    LT_DISPATCH_CASE(Int32, int32_t, __VA_ARGS__)             \
    LT_DISPATCH_CASE(Int64, int64_t, __VA_ARGS__)             \
    LT_DISPATCH_CASE(Bool, bool, __VA_ARGS__)                 \
    LT_DISPATCH_CASE(Float16, ::lt::Half, __VA_ARGS__)        \
    LT_DISPATCH_CASE(BFloat16, ::lt::BFloat16, __VA_ARGS__)   \
    LT_DISPATCH_CASE(UInt8, uint8_t, __VA_ARGS__)             \
    LT_DISPATCH_CASE(Int8, int8_t, __VA_ARGS__)               \
    LT_DISPATCH_CASE(Int16, int16_t, __VA_ARGS__)             \
  }
#define LT_DISPATCH_FLOATING(dtype, what, ...)                                                          \
  switch (dtype) {                                                                                      \
    LT_DISPATCH_CASE(Float32, float, __VA_ARGS__)                                                       \
    LT_DISPATCH_CASE(Float64, double, __VA_ARGS__)                                                      \
    default: ::lt::throw_unsupported_dtype(what, dtype);                                                \
  }
#define LT_DISPATCH_NUMERIC(dtype, what, ...)                                               \
  switch (dtype) {                                                                          \
    LT_DISPATCH_CASE(Float32, float, __VA_ARGS__)                                           \
    LT_DISPATCH_CASE(Float64, double, __VA_ARGS__)                                          \
    LT_DISPATCH_CASE(Int32, int32_t, __VA_ARGS__)                                           \
    LT_DISPATCH_CASE(Int64, int64_t, __VA_ARGS__)                                           \
    default: ::lt::throw_unsupported_dtype(what, dtype);                                      \
  }
