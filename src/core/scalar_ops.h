// Element-level building blocks shared by the CPU and CUDA kernels (LT_HOST_DEVICE): value conversion
// between dtypes, scalar operands, wrapping integer arithmetic (two's complement, as PyTorch, without
// signed-overflow UB), exact integer powers. The ops themselves are defined in core/unary_defs.h and
// core/binary_defs.h.
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/half.h"
#include "core/philox.h"  // LT_HOST_DEVICE

namespace lt {

// Value conversion between dtypes (copy, fill, arange, linspace, scalar operands). Converting NaN, an
// infinity or an out-of-range floating value to an integer type is undefined behaviour in C++; it gives
// the integer type's minimum instead, as x86's conversion instruction (and so PyTorch and NumPy on CPU)
// does. To bool: nonzero is true.
//
// The storage dtypes (Note [kernel dtype] in core/dtype.h) convert as c10 does: float16 and bfloat16
// through float32 (float64 -> float16 rounds twice, as torch's .half() does); floating -> uint8 through
// int64 and floating -> int8/int16 through int32, then wrapped (torch: 300.0 -> uint8 is 44, -1.0 -> 255;
// a value outside the intermediate type's range or NaN becomes its minimum, whose low bits are 0).
template <typename To, typename From>
LT_HOST_DEVICE To cast_value(From v) {
  if constexpr (std::is_same<To, From>::value) {
    return v;
  } else if constexpr (is_half_type<From>) {
    return cast_value<To, float>(static_cast<float>(v));
  } else if constexpr (is_half_type<To>) {
    return To(static_cast<float>(v));
  } else if constexpr (std::is_same<To, bool>::value) {
    return v != From(0);
  } else if constexpr (std::is_integral<To>::value && std::is_floating_point<From>::value && sizeof(To) < 4) {
    using Wide = std::conditional_t<std::is_unsigned<To>::value, int64_t, int32_t>;
    return static_cast<To>(cast_value<Wide, From>(v));
  } else if constexpr (std::is_integral<To>::value && std::is_floating_point<From>::value) {
    constexpr From lo = static_cast<From>(std::numeric_limits<To>::min());  // -2^(bits-1): exact
    return v >= lo && v < -lo ? static_cast<To>(v) : std::numeric_limits<To>::min();
  } else {
    return static_cast<To>(v);
  }
}

// A double scalar operand (tensor_add_scalar ...) as T. The ops layer passes an integer dtype only for
// integral scalars within int64 (Python ints); they wrap to narrower types as PyTorch's do:
// int32 tensor + 3e9 adds -1294967296.
template <typename T>
LT_HOST_DEVICE T scalar_value(double s) {
  if constexpr (std::is_integral<T>::value && !std::is_same<T, bool>::value)
    return static_cast<T>(cast_value<int64_t, double>(s));
  else
    return cast_value<T, double>(s);
}

template <typename T>
LT_HOST_DEVICE T wrap_add(T a, T b) {
  if constexpr (std::is_integral<T>::value && !std::is_same<T, bool>::value) {
    using U = typename std::make_unsigned<T>::type;
    return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
  } else if constexpr (std::is_same<T, bool>::value) {
    return a || b;
  } else {
    return a + b;
  }
}
template <typename T>
LT_HOST_DEVICE T wrap_sub(T a, T b) {
  if constexpr (std::is_integral<T>::value && !std::is_same<T, bool>::value) {
    using U = typename std::make_unsigned<T>::type;
    return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
  } else if constexpr (std::is_same<T, bool>::value) {
    return a != b;
  } else {
    return a - b;
  }
}
template <typename T>
LT_HOST_DEVICE T wrap_mul(T a, T b) {
  if constexpr (std::is_integral<T>::value && !std::is_same<T, bool>::value) {
    using U = typename std::make_unsigned<T>::type;
    return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
  } else if constexpr (std::is_same<T, bool>::value) {
    return a && b;
  } else {
    return a * b;
  }
}
template <typename T>
LT_HOST_DEVICE T int_pow(T base, T exp) {
  if constexpr (std::is_same<T, bool>::value) {
    return exp ? base : true;
  } else {
    if (exp < 0) {
      if (base == 1) return 1;
      if (base == -1) return (exp % 2 == 0) ? 1 : -1;
      return 0;
    }
    T result = 1;
    while (exp) {
      if (exp & 1) result = wrap_mul(result, base);
      exp >>= 1;
      base = wrap_mul(base, base);
    }
    return result;
  }
}

template <typename T>
LT_HOST_DEVICE bool is_nan_value(T v) {
  if constexpr (std::is_floating_point<T>::value) return v != v;
  else return false;
}

}  // namespace lt
