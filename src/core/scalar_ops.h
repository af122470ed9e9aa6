// What each elementwise op computes on one element, for every dtype. Shared by the CPU kernels and the
// CUDA kernels (LT_HOST_DEVICE), so the two backends cannot disagree on semantics:
// - integer add/sub/mul/neg/abs wrap around (two's complement, as PyTorch) without signed-overflow UB;
// - maximum/minimum propagate NaN; comparisons follow IEEE (NaN compares unequal);
// - integer pow is exact by squaring; a negative exponent gives 1 / base truncated (1, -1 or 0).
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/op_kinds.h"
#include "core/philox.h"  // LT_HOST_DEVICE

namespace lt {

// Value conversion between dtypes (copy, fill, arange, linspace, scalar operands). Converting NaN, an
// infinity or an out-of-range floating value to an integer type is undefined behaviour in C++; it gives
// the integer type's minimum instead, as x86's conversion instruction (and so PyTorch and NumPy on CPU)
// does. To bool: nonzero is true.
template <typename To, typename From>
LT_HOST_DEVICE To cast_value(From v) {
  if constexpr (std::is_same<To, bool>::value) {
    return v != From(0);
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

// out = a op b. The result type is T, or bool for comparisons.
template <BinaryOp op, typename T>
LT_HOST_DEVICE auto binary_fn(T a, T b) {
  if constexpr (op == BinaryOp::Add) return wrap_add(a, b);
  else if constexpr (op == BinaryOp::Sub) return wrap_sub(a, b);
  else if constexpr (op == BinaryOp::Mul) return wrap_mul(a, b);
  else if constexpr (op == BinaryOp::Div) return static_cast<T>(a / b);  // ops promote integers to float
  else if constexpr (op == BinaryOp::Pow) {
    if constexpr (std::is_floating_point<T>::value) {
      if constexpr (std::is_same<T, float>::value) {
        // x^2 and x^3 are the common cases (the seed's x.pow(3)): exact products, no powf call.
        if (b == 2.0f) return a * a;
        if (b == 3.0f) return a * a * a;
        return ::powf(a, b);
      } else {
        if (b == 2.0) return a * a;
        if (b == 3.0) return a * a * a;
        return ::pow(a, b);
      }
    } else {
      return int_pow(a, b);
    }
  } else if constexpr (op == BinaryOp::Maximum) {
    if (is_nan_value(a) || is_nan_value(b)) return is_nan_value(a) ? a : b;
    return a > b ? a : b;
  } else if constexpr (op == BinaryOp::Minimum) {
    if (is_nan_value(a) || is_nan_value(b)) return is_nan_value(a) ? a : b;
    return a < b ? a : b;
  } else if constexpr (op == BinaryOp::Eq) return a == b;
  else if constexpr (op == BinaryOp::Ne) return a != b;
  else if constexpr (op == BinaryOp::Lt) return a < b;
  else if constexpr (op == BinaryOp::Le) return a <= b;
  else if constexpr (op == BinaryOp::Gt) return a > b;
  else return a >= b;  // Ge
}

template <UnaryOp op, typename T>
LT_HOST_DEVICE T unary_fn(T x) {
  if constexpr (op == UnaryOp::Neg) return wrap_sub(T(0), x);
  else if constexpr (op == UnaryOp::Abs) {
    if constexpr (std::is_floating_point<T>::value) return std::fabs(x);
    else return x < 0 ? wrap_sub(T(0), x) : x;
  } else if constexpr (op == UnaryOp::Relu) {
    if constexpr (std::is_floating_point<T>::value) return x > T(0) ? x : (x != x ? x : T(0));
    else return x > 0 ? x : T(0);
  } else if constexpr (op == UnaryOp::Exp) return std::exp(x);
  else if constexpr (op == UnaryOp::Log) return std::log(x);
  else if constexpr (op == UnaryOp::Sqrt) return std::sqrt(x);
  else if constexpr (op == UnaryOp::Sin) return std::sin(x);
  else if constexpr (op == UnaryOp::Cos) return std::cos(x);
  else if constexpr (op == UnaryOp::Tanh) return std::tanh(x);
  else {  // Sigmoid, from exp(-|x|) so that it neither overflows nor flushes tiny results to 0
    if (x < T(0)) {
      const T e = std::exp(x);
      return e / (T(1) + e);
    }
    return T(1) / (T(1) + std::exp(-x));
  }
}

}  // namespace lt
