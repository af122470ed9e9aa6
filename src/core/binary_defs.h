// One definition per binary op (Note [op definition] in core/op_def.h). Members of a BinaryDef:
//   inputs        which dtypes it computes on (Inputs::Floating: integer and bool inputs become float32,
//                 as true division does)
//   comparison    the result is bool and the op has no grad
//   bool_refusal  nullptr, or PyTorch's message for two bool inputs (bool - bool)
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

// Comparisons: bool results, any dtype, no grad. Tested on integer-valued inputs so that ties occur.
struct ComparisonDef {
  static constexpr bool comparison = true;
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

}  // namespace lt
