// One definition per binary op (Note [op definition] in core/op_def.h). Members of a BinaryDef:
//   inputs        which dtypes it computes on (Inputs::Floating: integer and bool inputs become float32,
//                 as true division does; Integral: integers and bool only, as the bitwise ops)
//   comparison    the result is bool and the op has no grad
//   grads         Grad::Formula (grad and grad_name below), NotImplemented (backward fails) or None
//   integer_division  integer inputs with a zero divisor are refused (Note [integer division])
//   bool_refusal  nullptr, or PyTorch's message when either input is a bool tensor (x - bool)
//   cpu_vector    VecOp::Pow when floating CPU rows run vec_pow (src/cpu/vec_math.h), else None
//   max_ulp       the worst error of f and of the vector form against the correctly rounded result
//   f<T>(a, b)    the element function (CUDA always; the CPU where there is no vector form)
//   reference     long double formula for the generated tests, on a in [a_lo, a_hi], b in [b_lo, b_hi]
//   saves_a/b/out which tensors grad receives (the others arrive undefined)
//   grad(g, a, b, out, want_a, want_b) -> GradPair, PyTorch's formula; grad_name PyTorch's node name
//   for the ops of LT_SCALAR_OPS also: scalar_grad(g, a, s), scalar_saves_a, scalar_grad_name
// Integer add/sub/mul wrap around (two's complement, as PyTorch) without signed-overflow UB; maximum and
// minimum propagate NaN; comparisons follow IEEE (NaN compares unequal); integer pow is exact by
// squaring, and a negative exponent gives 1 / base truncated (1, -1 or 0).
#pragma once
#include <cmath>
#include <type_traits>

#include "core/op_def.h"
#include "core/scalar_ops.h"

namespace lt {

// The members every arithmetic op without a vector form shares.
struct ArithmeticDef {
  static constexpr bool comparison = false;
  static constexpr VecOp cpu_vector = VecOp::None;
  static constexpr Grad grads = Grad::Formula;
  static constexpr bool integer_division = false;
};

template <>
struct BinaryDef<BinaryOp::Add> : ArithmeticDef {
  static constexpr Inputs inputs = Inputs::All;
  static constexpr const char* bool_refusal = nullptr;  // bool + bool is logical or
  static constexpr double max_ulp = 0, a_lo = -4, a_hi = 4, b_lo = -4, b_hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) { return wrap_add(a, b); }
  static long double reference(long double a, long double b) { return a + b; }
  static constexpr bool saves_a = false, saves_b = false, saves_out = false;
  static constexpr const char* grad_name = "AddBackward0";
  template <class G>
  static GradPair<G> grad(const G& g, const G&, const G&, const G&, bool, bool) { return {g, g}; }
  static constexpr bool scalar_saves_a = false;
  static constexpr const char* scalar_grad_name = "AddBackward0";
  template <class G>
  static G scalar_grad(const G& g, const G&, double) { return g; }
};

template <>
struct BinaryDef<BinaryOp::Sub> : ArithmeticDef {
  static constexpr Inputs inputs = Inputs::All;
  static constexpr const char* bool_refusal =
      "subtraction with two bool tensors is not supported; use logical_xor (ne) instead";
  static constexpr double max_ulp = 0, a_lo = -4, a_hi = 4, b_lo = -4, b_hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) { return wrap_sub(a, b); }
  static long double reference(long double a, long double b) { return a - b; }
  static constexpr bool saves_a = false, saves_b = false, saves_out = false;
  static constexpr const char* grad_name = "SubBackward0";
  template <class G>
  static GradPair<G> grad(const G& g, const G&, const G&, const G&, bool, bool want_b) {
    return {g, want_b ? unary(UnaryOp::Neg, g) : G()};
  }
  static constexpr bool scalar_saves_a = false;
  static constexpr const char* scalar_grad_name = "SubBackward0";
  template <class G>
  static G scalar_grad(const G& g, const G&, double) { return g; }
};

template <>
struct BinaryDef<BinaryOp::Mul> : ArithmeticDef {
  static constexpr Inputs inputs = Inputs::All;
  static constexpr const char* bool_refusal = nullptr;  // bool * bool is logical and
  static constexpr double max_ulp = 0, a_lo = -4, a_hi = 4, b_lo = -4, b_hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) { return wrap_mul(a, b); }
  static long double reference(long double a, long double b) { return a * b; }
  static constexpr bool saves_a = true, saves_b = true, saves_out = false;
  static constexpr const char* grad_name = "MulBackward0";
  template <class G>
  static GradPair<G> grad(const G& g, const G& a, const G& b, const G&, bool want_a, bool want_b) {
    return {want_a ? mul(g, b) : G(), want_b ? mul(g, a) : G()};
  }
  static constexpr bool scalar_saves_a = false;
  static constexpr const char* scalar_grad_name = "MulBackward0";
  template <class G>
  static G scalar_grad(const G& g, const G&, double s) { return scale(g, s); }
};

template <>
struct BinaryDef<BinaryOp::Div> : ArithmeticDef {
  static constexpr Inputs inputs = Inputs::Floating;  // true division
  static constexpr const char* bool_refusal = nullptr;
  static constexpr double max_ulp = 0, a_lo = -4, a_hi = 4, b_lo = 0.5, b_hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) { return a / b; }
  static long double reference(long double a, long double b) { return a / b; }
  static constexpr bool saves_a = false, saves_b = true, saves_out = true;
  static constexpr const char* grad_name = "DivBackward0";
  template <class G>
  static GradPair<G> grad(const G& g, const G&, const G& b, const G& out, bool want_a, bool want_b) {
    return {want_a ? div(g, b) : G(), want_b ? unary(UnaryOp::Neg, div(mul(g, out), b)) : G()};
  }
  static constexpr bool scalar_saves_a = false;
  static constexpr const char* scalar_grad_name = "DivBackward0";
  template <class G>
  static G scalar_grad(const G& g, const G&, double s) { return scale(g, 1.0 / s); }
};

template <>
struct BinaryDef<BinaryOp::Pow> {
  static constexpr bool comparison = false;
  static constexpr Grad grads = Grad::Formula;
  static constexpr bool integer_division = false;
  static constexpr Inputs inputs = Inputs::All;
  static constexpr const char* bool_refusal = nullptr;
  static constexpr VecOp cpu_vector = VecOp::Pow;  // Note [pow shortcuts], Note [float32 pow]
  // vec_pow is within 1 ulp (float32 via float64 lanes); CUDA's powf differs from glibc's by a few ulp.
  static constexpr double max_ulp = 4, a_lo = 0.5, a_hi = 3, b_lo = -2, b_hi = 2;
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) {
    if constexpr (std::is_floating_point<T>::value) {
      // x^2 and x^3 are the common cases (the seed's x.pow(3)): exact products, no pow call.
      if (b == T(2)) return a * a;
      if (b == T(3)) return a * a * a;
      if constexpr (std::is_same<T, float>::value) return ::powf(a, b);
      else return ::pow(a, b);
    } else {
      return int_pow(a, b);
    }
  }
  static long double reference(long double a, long double b) { return powl(a, b); }
  static constexpr bool saves_a = true, saves_b = true, saves_out = true;
  static constexpr const char* grad_name = "PowBackward1";
  template <class G>
  static GradPair<G> grad(const G& g, const G& a, const G& b, const G& out, bool want_a, bool want_b) {
    G ga, gb;
    if (want_a) {  // b * a^(b-1), with 0 where b == 0 (PyTorch's masking)
      G d = mul(b, binary(BinaryOp::Pow, a, binary_scalar(BinaryOp::Sub, b, 1.0)));
      d = where(binary_scalar(BinaryOp::Eq, b, 0.0), zeros_like(d), d);
      ga = mul(g, d);
    }
    if (want_b) {  // a^b * log(a), with 0 where a == 0 and b >= 0
      G d = mul(out, unary(UnaryOp::Log, a));
      G zero_base = mul(mask(binary_scalar(BinaryOp::Eq, a, 0.0), d), mask(binary_scalar(BinaryOp::Ge, b, 0.0), d));
      d = where(binary_scalar(BinaryOp::Ne, zero_base, 0.0), zeros_like(d), d);
      gb = mul(g, d);
    }
    return {ga, gb};
  }
  static constexpr bool scalar_saves_a = true;
  static constexpr const char* scalar_grad_name = "PowBackward0";
  template <class G>  // s * a^(s-1); 0 for s == 0
  static G scalar_grad(const G& g, const G& a, double s) {
    if (s == 0.0) return zeros_like(g);
    return mul(g, scale(binary_scalar(BinaryOp::Pow, a, s - 1.0), s));
  }
};

// maximum / minimum: NaN wins. The grad is PyTorch's: where(a == b, g / 2, g), then zeroed for the
// operand that lost (a < b for maximum's a), so a NaN operand, which neither wins nor ties, passes g to
// both.
template <BinaryOp op>
struct ExtremumDef : ArithmeticDef {
  static constexpr Inputs inputs = Inputs::All;
  static constexpr const char* bool_refusal = nullptr;
  static constexpr double max_ulp = 0, a_lo = -4, a_hi = 4, b_lo = -4, b_hi = 4;
  static constexpr bool saves_a = true, saves_b = true, saves_out = false;
  template <class G>
  static GradPair<G> grad(const G& g, const G& a, const G& b, const G&, bool want_a, bool want_b) {
    constexpr BinaryOp a_loses = op == BinaryOp::Maximum ? BinaryOp::Lt : BinaryOp::Gt;
    constexpr BinaryOp b_loses = op == BinaryOp::Maximum ? BinaryOp::Gt : BinaryOp::Lt;
    G shared = where(binary(BinaryOp::Eq, a, b), scale(g, 0.5), g);
    G zero = zeros_like(g);
    return {want_a ? where(binary(a_loses, a, b), zero, shared) : G(),
            want_b ? where(binary(b_loses, a, b), zero, shared) : G()};
  }
};

template <>
struct BinaryDef<BinaryOp::Maximum> : ExtremumDef<BinaryOp::Maximum> {
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) {
    if (is_nan_value(a) || is_nan_value(b)) return is_nan_value(a) ? a : b;
    return a > b ? a : b;
  }
  static long double reference(long double a, long double b) { return std::isnan(a) || std::isnan(b) ? NAN : fmaxl(a, b); }
  static constexpr const char* grad_name = "MaximumBackward0";
};

template <>
struct BinaryDef<BinaryOp::Minimum> : ExtremumDef<BinaryOp::Minimum> {
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) {
    if (is_nan_value(a) || is_nan_value(b)) return is_nan_value(a) ? a : b;
    return a < b ? a : b;
  }
  static long double reference(long double a, long double b) { return std::isnan(a) || std::isnan(b) ? NAN : fminl(a, b); }
  static constexpr const char* grad_name = "MinimumBackward0";
};

// Comparisons (and the logical ops): bool results, any dtype, no grad. Tested on integer-valued inputs so
// that ties (and zeros) occur.
struct ComparisonDef {
  static constexpr bool comparison = true;
  static constexpr Grad grads = Grad::None;
  static constexpr bool integer_division = false;
  static constexpr Inputs inputs = Inputs::All;
  static constexpr const char* bool_refusal = nullptr;
  static constexpr VecOp cpu_vector = VecOp::None;
  static constexpr double max_ulp = 0, a_lo = -3, a_hi = 3, b_lo = -3, b_hi = 3;
  static constexpr bool saves_a = false, saves_b = false, saves_out = false;  // no grad, nothing saved
};

template <>
struct BinaryDef<BinaryOp::Eq> : ComparisonDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T a, T b) { return a == b; }
  static long double reference(long double a, long double b) { return a == b; }
};
template <>
struct BinaryDef<BinaryOp::Ne> : ComparisonDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T a, T b) { return a != b; }
  static long double reference(long double a, long double b) { return a != b; }
};
template <>
struct BinaryDef<BinaryOp::Lt> : ComparisonDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T a, T b) { return a < b; }
  static long double reference(long double a, long double b) { return a < b; }
};
template <>
struct BinaryDef<BinaryOp::Le> : ComparisonDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T a, T b) { return a <= b; }
  static long double reference(long double a, long double b) { return a <= b; }
};
template <>
struct BinaryDef<BinaryOp::Gt> : ComparisonDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T a, T b) { return a > b; }
  static long double reference(long double a, long double b) { return a > b; }
};
template <>
struct BinaryDef<BinaryOp::Ge> : ComparisonDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T a, T b) { return a >= b; }
  static long double reference(long double a, long double b) { return a >= b; }
};

// atan2(a, b): the angle of (b, a), in (-pi, pi], with IEEE's signed zeros (atan2(+-0, -1) = +-pi).
template <>
struct BinaryDef<BinaryOp::Atan2> : ArithmeticDef {
  static constexpr Inputs inputs = Inputs::Floating;
  static constexpr const char* bool_refusal = nullptr;
  // glibc is within 1 ulp; CUDA's atan2f within 3.
  static constexpr double max_ulp = 3, a_lo = -4, a_hi = 4, b_lo = -4, b_hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) { return std::atan2(a, b); }
  static long double reference(long double a, long double b) { return atan2l(a, b); }
  static constexpr bool saves_a = true, saves_b = true, saves_out = false;
  static constexpr const char* grad_name = "Atan2Backward0";
  template <class G>  // d/da = b / (a^2 + b^2), d/db = -a / (a^2 + b^2)
  static GradPair<G> grad(const G& g, const G& a, const G& b, const G&, bool want_a, bool want_b) {
    G scaled = div(g, add(mul(a, a), mul(b, b)));
    return {want_a ? mul(scaled, b) : G(), want_b ? unary(UnaryOp::Neg, mul(scaled, a)) : G()};
  }
};

// Note [integer division]: remainder, fmod and floor_divide on integers refuse a zero divisor before the
// kernel runs (PyTorch raises ZeroDivisionError; the ops layer checks `integer_division`). Their element
// functions still never divide by zero, nor INT_MIN by -1 (x86 traps on both): a zero divisor gives 0,
// and -1 as divisor gives the wrapped quotient (INT_MIN // -1 = INT_MIN, as NumPy) and remainder 0.
struct IntegerDivisionDef : ArithmeticDef {
  static constexpr Inputs inputs = Inputs::Numeric;  // PyTorch: "remainder_cpu" not implemented for 'Bool'
  static constexpr const char* bool_refusal = nullptr;
  static constexpr bool integer_division = true;
};

// remainder: the sign of the divisor (Python's %), PyTorch's formula: fmod, then + b when the signs differ.
template <>
struct BinaryDef<BinaryOp::Remainder> : IntegerDivisionDef {
  // Sampled with negative divisors, where remainder and fmod differ (the Catch2 tests cover the rest).
  static constexpr double max_ulp = 0, a_lo = -6, a_hi = 6, b_lo = -4, b_hi = -0.5;
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) {
    if constexpr (std::is_floating_point<T>::value) {
      T mod = std::fmod(a, b);
      if (mod != T(0) && ((b < T(0)) != (mod < T(0)))) mod += b;
      return mod;
    } else {
      if (b == 0 || b == T(-1)) return T(0);  // Note [integer division]
      T mod = a % b;
      if (mod != 0 && ((b < 0) != (mod < 0))) mod += b;
      return mod;
    }
  }
  static long double reference(long double a, long double b) {
    long double mod = fmodl(a, b);
    return mod != 0 && ((b < 0) != (mod < 0)) ? mod + b : mod;
  }
  static constexpr bool saves_a = true, saves_b = true, saves_out = false;
  static constexpr const char* grad_name = "RemainderBackward1";  // remainder.Tensor (0 is remainder.Scalar)
  template <class G>  // d/da = 1, d/db = -floor_divide(a, b)
  static GradPair<G> grad(const G& g, const G& a, const G& b, const G&, bool want_a, bool want_b) {
    return {want_a ? g : G(), want_b ? unary(UnaryOp::Neg, mul(g, binary(BinaryOp::FloorDivide, a, b))) : G()};
  }
};

// fmod: the sign of the dividend (C's fmod; truncated division on integers).
template <>
struct BinaryDef<BinaryOp::Fmod> : IntegerDivisionDef {
  static constexpr double max_ulp = 0, a_lo = -6, a_hi = 6, b_lo = 0.5, b_hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) {
    if constexpr (std::is_floating_point<T>::value) {
      return std::fmod(a, b);
    } else {
      if (b == 0 || b == T(-1)) return T(0);  // Note [integer division]
      return a % b;
    }
  }
  static long double reference(long double a, long double b) { return fmodl(a, b); }
  static constexpr bool saves_a = true, saves_b = true, saves_out = false;
  static constexpr const char* grad_name = "FmodBackward1";  // fmod.Tensor
  template <class G>  // d/da = 1, d/db = -trunc(a / b)
  static GradPair<G> grad(const G& g, const G& a, const G& b, const G&, bool want_a, bool want_b) {
    return {want_a ? g : G(), want_b ? unary(UnaryOp::Neg, mul(g, unary(UnaryOp::Trunc, div(a, b)))) : G()};
  }
};

// floor_divide: the quotient rounded toward -infinity (Python's //). Floating: PyTorch's div_floor, from
// fmod so that it is exact where a / b would round across an integer (0.3 // 0.1 is 2), IEEE's a / b for
// a zero divisor, a signed zero for a zero quotient. PyTorch has no derivative for it: backward through it
// fails (Grad::NotImplemented).
template <>
struct BinaryDef<BinaryOp::FloorDivide> : IntegerDivisionDef {
  static constexpr Grad grads = Grad::NotImplemented;
  static constexpr double max_ulp = 0, a_lo = -6, a_hi = 6, b_lo = -4, b_hi = -0.5;
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) {
    if constexpr (std::is_floating_point<T>::value) {
      if (b == T(0)) return a / b;
      const T mod = std::fmod(a, b);
      T q = (a - mod) / b;
      if (mod != T(0) && ((b < T(0)) != (mod < T(0)))) q -= T(1);
      if (q == T(0)) return std::copysign(T(0), a / b);
      T fq = std::floor(q);
      if (q - fq > T(0.5)) fq += T(1);
      return fq;
    } else {
      if (b == 0) return T(0);                      // Note [integer division]
      if (b == T(-1)) return wrap_sub(T(0), a);     // INT_MIN // -1 wraps
      const T q = a / b;
      return (a % b != 0 && ((a < 0) != (b < 0))) ? T(q - 1) : q;
    }
  }
  static long double reference(long double a, long double b) { return floorl(a / b); }
  static constexpr bool saves_a = false, saves_b = false, saves_out = false;
};

// Logical ops: any dtype in (nonzero, NaN included, is true), bool out, no grad.
template <>
struct BinaryDef<BinaryOp::LogicalAnd> : ComparisonDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T a, T b) { return a != T(0) && b != T(0); }
  static long double reference(long double a, long double b) { return a != 0 && b != 0; }
};
template <>
struct BinaryDef<BinaryOp::LogicalOr> : ComparisonDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T a, T b) { return a != T(0) || b != T(0); }
  static long double reference(long double a, long double b) { return a != 0 || b != 0; }
};
template <>
struct BinaryDef<BinaryOp::LogicalXor> : ComparisonDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T a, T b) { return (a != T(0)) != (b != T(0)); }
  static long double reference(long double a, long double b) { return (a != 0) != (b != 0); }
};

// Bitwise ops: integer and bool tensors only (two's complement bits; bool with bool stays bool), no grad
// (integer tensors never require one).
struct BitwiseDef : ArithmeticDef {
  static constexpr Inputs inputs = Inputs::Integral;
  static constexpr const char* bool_refusal = nullptr;
  static constexpr Grad grads = Grad::None;
  static constexpr double max_ulp = 0, a_lo = -8, a_hi = 8, b_lo = -8, b_hi = 8;
  static constexpr bool saves_a = false, saves_b = false, saves_out = false;
};
template <>
struct BinaryDef<BinaryOp::BitwiseAnd> : BitwiseDef {
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) { return static_cast<T>(a & b); }
  static long double reference(long double a, long double b) {
    return static_cast<long double>(static_cast<int64_t>(a) & static_cast<int64_t>(b));
  }
};
template <>
struct BinaryDef<BinaryOp::BitwiseOr> : BitwiseDef {
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) { return static_cast<T>(a | b); }
  static long double reference(long double a, long double b) {
    return static_cast<long double>(static_cast<int64_t>(a) | static_cast<int64_t>(b));
  }
};
template <>
struct BinaryDef<BinaryOp::BitwiseXor> : BitwiseDef {
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) { return static_cast<T>(a ^ b); }
  static long double reference(long double a, long double b) {
    return static_cast<long double>(static_cast<int64_t>(a) ^ static_cast<int64_t>(b));
  }
};


}  // namespace lt
