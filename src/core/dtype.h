// Element types and PyTorch's type promotion.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/status.h"

namespace lt {

// Values equal tensor_dtype's; never renumbered.
enum class DType : int32_t { Float32 = 0, Float64 = 1, Int32 = 2, Int64 = 3, Bool = 4 };
constexpr int kNumDTypes = 5;

inline bool is_valid_dtype(int32_t v) { return v >= 0 && v < kNumDTypes; }
inline size_t itemsize(DType t) {
  switch (t) {
    case DType::Float32: return 4;
    case DType::Float64: return 8;
    case DType::Int32: return 4;
    case DType::Int64: return 8;
    case DType::Bool: return 1;
  }
  return 0;
}
inline bool is_floating(DType t) { return t == DType::Float32 || t == DType::Float64; }
inline bool is_integral(DType t) { return t == DType::Int32 || t == DType::Int64; }
const char* dtype_name(DType t);

// Category rank: bool < integer < floating; within a category the wider type wins.
DType promote_types(DType a, DType b);

// C++ type <-> DType.
template <typename T> struct dtype_of;
template <> struct dtype_of<float> { static constexpr DType value = DType::Float32; };
template <> struct dtype_of<double> { static constexpr DType value = DType::Float64; };
template <> struct dtype_of<int32_t> { static constexpr DType value = DType::Int32; };
template <> struct dtype_of<int64_t> { static constexpr DType value = DType::Int64; };
template <> struct dtype_of<bool> { static constexpr DType value = DType::Bool; };

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
    default: ::lt::throw_error(::lt::Status::DType, std::string(what) + ": unsupported dtype"); \
  }
#define LT_DISPATCH_FLOATING(dtype, what, ...)                                                          \
  switch (dtype) {                                                                                      \
    LT_DISPATCH_CASE(Float32, float, __VA_ARGS__)                                                       \
    LT_DISPATCH_CASE(Float64, double, __VA_ARGS__)                                                      \
    default: ::lt::throw_error(::lt::Status::DType, std::string(what) + ": expected a floating dtype"); \
  }
#define LT_DISPATCH_NUMERIC(dtype, what, ...)                                               \
  switch (dtype) {                                                                          \
    LT_DISPATCH_CASE(Float32, float, __VA_ARGS__)                                           \
    LT_DISPATCH_CASE(Float64, double, __VA_ARGS__)                                          \
    LT_DISPATCH_CASE(Int32, int32_t, __VA_ARGS__)                                           \
    LT_DISPATCH_CASE(Int64, int64_t, __VA_ARGS__)                                           \
    default: ::lt::throw_error(::lt::Status::DType, std::string(what) + ": bool not supported"); \
  }
