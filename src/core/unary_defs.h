// One definition per unary op (Note [op definition] in core/op_def.h). Members of a UnaryDef:
//   inputs      which dtypes it computes on (Inputs); bool inputs of a Numeric op are refused
//   predicate   the result is bool (isnan, logical_not ...), whatever the input dtype
//   grads       Grad::Formula (saves, grad and grad_name below) or None (predicates)
//   cpu_vector  the vectorised CPU form for contiguous float rows (VecOp::None: f everywhere)
//   max_ulp     the worst error of f and of the vector form against the correctly rounded result
//   f<T>(x)     the element function (CUDA always, CPU where there is no vector form or a row is strided)
//   reference   long double formula the generated tests compare with, on inputs in [lo, hi]
//   saves       what grad receives as `saved` (the input or the output; Nothing: an undefined tensor)
//   grad(g, saved)   PyTorch's backward formula; grad_name PyTorch's node name
// Semantics are PyTorch's: integer neg/abs wrap around (two's complement, no signed-overflow UB).
#pragma once
#include <cmath>
#include <limits>
#include <type_traits>

#include "core/op_def.h"
#include "core/scalar_ops.h"

namespace lt {

// The members every differentiable unary op with a result of its computing dtype shares.
struct MathDef {
  static constexpr bool predicate = false;
  static constexpr Grad grads = Grad::Formula;
};

// ... and those of the transcendental ones without a CPU vector form: integer and bool inputs become
// float32.
struct FloatingMathDef : MathDef {
  static constexpr Inputs inputs = Inputs::Floating;
  static constexpr VecOp cpu_vector = VecOp::None;
};

template <>
struct UnaryDef<UnaryOp::Neg> : MathDef {
  static constexpr Inputs inputs = Inputs::Numeric;
  static constexpr VecOp cpu_vector = VecOp::None;
  static constexpr double max_ulp = 0, lo = -4, hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) {
    if constexpr (std::is_floating_point<T>::value) return -x;  // -(0.0) is -0.0, as torch.neg; 0 - x is +0.0
    else return wrap_sub(T(0), x);
  }
  static long double reference(long double x) { return -x; }
  static constexpr Saves saves = Saves::Nothing;
  static constexpr const char* grad_name = "NegBackward0";
  template <class G>
  static G grad(const G& g, const G&) { return unary(UnaryOp::Neg, g); }
};

template <>
struct UnaryDef<UnaryOp::Abs> : MathDef {
  static constexpr Inputs inputs = Inputs::Numeric;
  static constexpr VecOp cpu_vector = VecOp::None;
  static constexpr double max_ulp = 0, lo = -4, hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) {
    if constexpr (std::is_floating_point<T>::value) return std::fabs(x);
    else return x < 0 ? wrap_sub(T(0), x) : x;
  }
  static long double reference(long double x) { return fabsl(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "AbsBackward0";
  template <class G>  // g * sign(x): 0 at x == 0
  static G grad(const G& g, const G& x) {
    return mul(g, sub(mask(binary_scalar(BinaryOp::Gt, x, 0.0), g), mask(binary_scalar(BinaryOp::Lt, x, 0.0), g)));
  }
};

template <>
struct UnaryDef<UnaryOp::Exp> : MathDef {
  static constexpr Inputs inputs = Inputs::Floating;
  static constexpr VecOp cpu_vector = VecOp::Exp;
  static constexpr double max_ulp = 2, lo = -10, hi = 10;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::exp(x); }
  static long double reference(long double x) { return expl(x); }
  static constexpr Saves saves = Saves::Output;
  static constexpr const char* grad_name = "ExpBackward0";
  template <class G>
  static G grad(const G& g, const G& out) { return mul(g, out); }
};

template <>
struct UnaryDef<UnaryOp::Log> : MathDef {
  static constexpr Inputs inputs = Inputs::Floating;
  static constexpr VecOp cpu_vector = VecOp::Log;
  static constexpr double max_ulp = 1, lo = 0.01, hi = 10;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::log(x); }
  static long double reference(long double x) { return logl(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "LogBackward0";
  template <class G>
  static G grad(const G& g, const G& x) { return div(g, x); }
};

template <>
struct UnaryDef<UnaryOp::Sqrt> : MathDef {
  static constexpr Inputs inputs = Inputs::Floating;
  static constexpr VecOp cpu_vector = VecOp::Sqrt;
  static constexpr double max_ulp = 0, lo = 0.01, hi = 10;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::sqrt(x); }
  static long double reference(long double x) { return sqrtl(x); }
  static constexpr Saves saves = Saves::Output;
  static constexpr const char* grad_name = "SqrtBackward0";
  template <class G>
  static G grad(const G& g, const G& out) { return div(g, scale(out, 2.0)); }
};

template <>
struct UnaryDef<UnaryOp::Sin> : MathDef {
  static constexpr Inputs inputs = Inputs::Floating;
  static constexpr VecOp cpu_vector = VecOp::Sin;
  static constexpr double max_ulp = 2, lo = -6, hi = 6;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::sin(x); }
  static long double reference(long double x) { return sinl(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "SinBackward0";
  template <class G>
  static G grad(const G& g, const G& x) { return mul(g, unary(UnaryOp::Cos, x)); }
};

template <>
struct UnaryDef<UnaryOp::Cos> : MathDef {
  static constexpr Inputs inputs = Inputs::Floating;
  static constexpr VecOp cpu_vector = VecOp::Cos;
  static constexpr double max_ulp = 2, lo = -6, hi = 6;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::cos(x); }
  static long double reference(long double x) { return cosl(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "CosBackward0";
  template <class G>
  static G grad(const G& g, const G& x) { return unary(UnaryOp::Neg, mul(g, unary(UnaryOp::Sin, x))); }
};

template <>
struct UnaryDef<UnaryOp::Tanh> : MathDef {
  static constexpr Inputs inputs = Inputs::Floating;
  static constexpr VecOp cpu_vector = VecOp::Tanh;
  static constexpr double max_ulp = 2, lo = -5, hi = 5;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::tanh(x); }
  static long double reference(long double x) { return tanhl(x); }
  static constexpr Saves saves = Saves::Output;
  static constexpr const char* grad_name = "TanhBackward0";
  template <class G>  // g * (1 - tanh^2)
  static G grad(const G& g, const G& out) { return sub(g, mul(g, mul(out, out))); }
};

template <>
struct UnaryDef<UnaryOp::Sigmoid> : MathDef {
  static constexpr Inputs inputs = Inputs::Floating;
  static constexpr VecOp cpu_vector = VecOp::Sigmoid;
  static constexpr double max_ulp = 3, lo = -10, hi = 10;
  // From exp(-|x|), so that it neither overflows nor flushes tiny results to 0.
  template <typename T>
  LT_HOST_DEVICE static T f(T x) {
    if (x < T(0)) {
      const T e = std::exp(x);
      return e / (T(1) + e);
    }
    return T(1) / (T(1) + std::exp(-x));
  }
  static long double reference(long double x) { return 1.0L / (1.0L + expl(-x)); }
  static constexpr Saves saves = Saves::Output;
  static constexpr const char* grad_name = "SigmoidBackward0";
  template <class G>  // g * s * (1 - s)
  static G grad(const G& g, const G& out) { return mul(g, sub(out, mul(out, out))); }
};

template <>
struct UnaryDef<UnaryOp::Relu> : MathDef {
  static constexpr Inputs inputs = Inputs::Numeric;
  static constexpr VecOp cpu_vector = VecOp::None;
  static constexpr double max_ulp = 0, lo = -4, hi = 4;
  template <typename T>  // NaN stays NaN
  LT_HOST_DEVICE static T f(T x) {
    if constexpr (std::is_floating_point<T>::value) return x > T(0) ? x : (x != x ? x : T(0));
    else return x > 0 ? x : T(0);
  }
  static long double reference(long double x) { return x > 0 ? x : 0.0L; }
  static constexpr Saves saves = Saves::Output;
  static constexpr const char* grad_name = "ReluBackward0";
  // PyTorch's threshold_backward: 0 where out <= 0, g elsewhere, so a NaN passes its grad through.
  template <class G>
  static G grad(const G& g, const G& out) {
    return where(binary_scalar(BinaryOp::Le, out, 0.0), zeros_like(g), g);
  }
};

template <>
struct UnaryDef<UnaryOp::Exp2> : FloatingMathDef {
  static constexpr VecOp cpu_vector = VecOp::Exp2;
  static constexpr double max_ulp = 2, lo = -10, hi = 10;  // CUDA's exp2f: 2 ulp
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::exp2(x); }
  static long double reference(long double x) { return exp2l(x); }
  static constexpr Saves saves = Saves::Output;
  static constexpr const char* grad_name = "Exp2Backward0";
  template <class G>  // g * 2^x * ln 2
  static G grad(const G& g, const G& out) { return mul(g, scale(out, 0.693147180559945309417232121458176568)); }
};

template <>
struct UnaryDef<UnaryOp::Expm1> : FloatingMathDef {
  static constexpr VecOp cpu_vector = VecOp::Expm1;
  static constexpr double max_ulp = 2, lo = -5, hi = 5;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::expm1(x); }
  static long double reference(long double x) { return expm1l(x); }
  static constexpr Saves saves = Saves::Output;
  static constexpr const char* grad_name = "Expm1Backward0";
  template <class G>  // g * (out + 1)
  static G grad(const G& g, const G& out) { return add(g, mul(g, out)); }
};

template <>
struct UnaryDef<UnaryOp::Log2> : FloatingMathDef {
  static constexpr double max_ulp = 2, lo = 0.01, hi = 10;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::log2(x); }
  static long double reference(long double x) { return log2l(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "Log2Backward0";
  template <class G>  // g / (x ln 2)
  static G grad(const G& g, const G& x) { return div(g, scale(x, 0.693147180559945309417232121458176568)); }
};

template <>
struct UnaryDef<UnaryOp::Log10> : FloatingMathDef {
  static constexpr double max_ulp = 2, lo = 0.01, hi = 10;  // CUDA's log10f: 2 ulp
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::log10(x); }
  static long double reference(long double x) { return log10l(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "Log10Backward0";
  template <class G>  // g / (x ln 10)
  static G grad(const G& g, const G& x) { return div(g, scale(x, 2.302585092994045684017991454684364208)); }
};

template <>
struct UnaryDef<UnaryOp::Log1p> : FloatingMathDef {
  static constexpr VecOp cpu_vector = VecOp::Log1p;
  static constexpr double max_ulp = 2, lo = -0.9, hi = 10;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::log1p(x); }
  static long double reference(long double x) { return log1pl(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "Log1PBackward0";  // PyTorch's spelling
  template <class G>  // g / (x + 1)
  static G grad(const G& g, const G& x) { return div(g, binary_scalar(BinaryOp::Add, x, 1.0)); }
};

template <>
struct UnaryDef<UnaryOp::Rsqrt> : FloatingMathDef {
  static constexpr double max_ulp = 1, lo = 0.01, hi = 10;  // two correctly rounded steps
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return T(1) / std::sqrt(x); }
  static long double reference(long double x) { return 1.0L / sqrtl(x); }
  static constexpr Saves saves = Saves::Output;
  static constexpr const char* grad_name = "RsqrtBackward0";
  template <class G>  // -0.5 * g * out^3
  static G grad(const G& g, const G& out) { return mul(scale(g, -0.5), mul(out, mul(out, out))); }
};

// square(x) is pow(x, 2) in PyTorch: integers stay integers (wrapping), bool becomes int64.
template <>
struct UnaryDef<UnaryOp::Square> : MathDef {
  static constexpr Inputs inputs = Inputs::NumericBoolAsInt64;
  static constexpr VecOp cpu_vector = VecOp::None;
  static constexpr double max_ulp = 0, lo = -4, hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return wrap_mul(x, x); }
  static long double reference(long double x) { return x * x; }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "PowBackward0";
  template <class G>  // g * 2x
  static G grad(const G& g, const G& x) { return mul(g, scale(x, 2.0)); }
};

template <>
struct UnaryDef<UnaryOp::Reciprocal> : FloatingMathDef {
  static constexpr double max_ulp = 0, lo = 0.25, hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return T(1) / x; }
  static long double reference(long double x) { return 1.0L / x; }
  static constexpr Saves saves = Saves::Output;
  static constexpr const char* grad_name = "ReciprocalBackward0";
  template <class G>  // -g * out^2
  static G grad(const G& g, const G& out) { return unary(UnaryOp::Neg, mul(g, mul(out, out))); }
};

template <>
struct UnaryDef<UnaryOp::Tan> : FloatingMathDef {
  static constexpr double max_ulp = 4, lo = -1.4, hi = 1.4;  // CUDA's tanf: 4 ulp
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::tan(x); }
  static long double reference(long double x) { return tanl(x); }
  static constexpr Saves saves = Saves::Output;
  static constexpr const char* grad_name = "TanBackward0";
  template <class G>  // g * (1 + out^2)
  static G grad(const G& g, const G& out) { return add(g, mul(g, mul(out, out))); }
};

template <>
struct UnaryDef<UnaryOp::Asin> : FloatingMathDef {
  static constexpr double max_ulp = 4, lo = -0.95, hi = 0.95;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::asin(x); }
  static long double reference(long double x) { return asinl(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "AsinBackward0";
  template <class G>  // g / sqrt(1 - x^2)
  static G grad(const G& g, const G& x) { return div(g, unary(UnaryOp::Sqrt, sub(ones_like(x), mul(x, x)))); }
};

template <>
struct UnaryDef<UnaryOp::Acos> : FloatingMathDef {
  static constexpr double max_ulp = 4, lo = -0.95, hi = 0.95;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::acos(x); }
  static long double reference(long double x) { return acosl(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "AcosBackward0";
  template <class G>  // -g / sqrt(1 - x^2)
  static G grad(const G& g, const G& x) {
    return unary(UnaryOp::Neg, div(g, unary(UnaryOp::Sqrt, sub(ones_like(x), mul(x, x)))));
  }
};

template <>
struct UnaryDef<UnaryOp::Atan> : FloatingMathDef {
  static constexpr double max_ulp = 2, lo = -5, hi = 5;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::atan(x); }
  static long double reference(long double x) { return atanl(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "AtanBackward0";
  template <class G>  // g / (1 + x^2)
  static G grad(const G& g, const G& x) { return div(g, binary_scalar(BinaryOp::Add, mul(x, x), 1.0)); }
};

template <>
struct UnaryDef<UnaryOp::Sinh> : FloatingMathDef {
  static constexpr double max_ulp = 3, lo = -5, hi = 5;  // CUDA's sinhf: 3 ulp
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::sinh(x); }
  static long double reference(long double x) { return sinhl(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "SinhBackward0";
  template <class G>
  static G grad(const G& g, const G& x) { return mul(g, unary(UnaryOp::Cosh, x)); }
};

template <>
struct UnaryDef<UnaryOp::Cosh> : FloatingMathDef {
  static constexpr double max_ulp = 2, lo = -5, hi = 5;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::cosh(x); }
  static long double reference(long double x) { return coshl(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "CoshBackward0";
  template <class G>
  static G grad(const G& g, const G& x) { return mul(g, unary(UnaryOp::Sinh, x)); }
};

// d/dx erf(x) = 2/sqrt(pi) exp(-x^2)
template <class G>
G erf_slope(const G& x) {
  return scale(unary(UnaryOp::Exp, unary(UnaryOp::Neg, mul(x, x))), 1.128379167095512573896158903121545172);
}

template <>
struct UnaryDef<UnaryOp::Erf> : FloatingMathDef {
  static constexpr VecOp cpu_vector = VecOp::Erf;
  static constexpr double max_ulp = 2, lo = -3, hi = 3;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::erf(x); }
  static long double reference(long double x) { return erfl(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "ErfBackward0";
  template <class G>
  static G grad(const G& g, const G& x) { return mul(g, erf_slope(x)); }
};

template <>
struct UnaryDef<UnaryOp::Erfc> : FloatingMathDef {
  static constexpr double max_ulp = 5, lo = -3, hi = 3;  // CUDA's erfc: 5 ulp
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return std::erfc(x); }
  static long double reference(long double x) { return erfcl(x); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "ErfcBackward0";
  template <class G>
  static G grad(const G& g, const G& x) { return unary(UnaryOp::Neg, mul(g, erf_slope(x))); }
};

// silu(x) = x * sigmoid(x), as PyTorch x / (1 + exp(-x)) (-0 for x -> -inf); floating tensors only.
template <>
struct UnaryDef<UnaryOp::Silu> : MathDef {
  static constexpr Inputs inputs = Inputs::FloatingOnly;  // PyTorch: "silu_cpu" not implemented for 'Int'
  static constexpr VecOp cpu_vector = VecOp::Silu;
  static constexpr double max_ulp = 3, lo = -10, hi = 10;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return x / (T(1) + std::exp(-x)); }
  static long double reference(long double x) { return x / (1.0L + expl(-x)); }
  static constexpr Saves saves = Saves::Input;
  static constexpr const char* grad_name = "SiluBackward0";
  template <class G>  // g * s * (1 + x * (1 - s)), s = sigmoid(x)
  static G grad(const G& g, const G& x) {
    G s = unary(UnaryOp::Sigmoid, x);
    return mul(g, mul(s, binary_scalar(BinaryOp::Add, sub(x, mul(x, s)), 1.0)));
  }
};

// Rounding: the identity on integers (PyTorch returns them unchanged; bool is refused), a zero grad
// (PyTorch's: the derivative where it exists).
struct RoundingDef : MathDef {
  static constexpr Inputs inputs = Inputs::Numeric;
  static constexpr VecOp cpu_vector = VecOp::None;
  static constexpr double max_ulp = 0, lo = -4, hi = 4;
  static constexpr Saves saves = Saves::Nothing;
  template <class G>
  static G grad(const G& g, const G&) { return zeros_like(g); }
};

template <>
struct UnaryDef<UnaryOp::Floor> : RoundingDef {
  template <typename T>
  LT_HOST_DEVICE static T f(T x) {
    if constexpr (std::is_floating_point<T>::value) return std::floor(x);
    else return x;
  }
  static long double reference(long double x) { return floorl(x); }
  static constexpr const char* grad_name = "FloorBackward0";
};

template <>
struct UnaryDef<UnaryOp::Ceil> : RoundingDef {
  template <typename T>
  LT_HOST_DEVICE static T f(T x) {
    if constexpr (std::is_floating_point<T>::value) return std::ceil(x);
    else return x;
  }
  static long double reference(long double x) { return ceill(x); }
  static constexpr const char* grad_name = "CeilBackward0";
};

// Half to even (nearbyint in the default rounding mode), as PyTorch and NumPy: round(2.5) = 2.
template <>
struct UnaryDef<UnaryOp::Round> : RoundingDef {
  template <typename T>
  LT_HOST_DEVICE static T f(T x) {
    if constexpr (std::is_floating_point<T>::value) return std::nearbyint(x);
    else return x;
  }
  static long double reference(long double x) { return nearbyintl(x); }
  static constexpr const char* grad_name = "RoundBackward0";
};

template <>
struct UnaryDef<UnaryOp::Trunc> : RoundingDef {
  template <typename T>
  LT_HOST_DEVICE static T f(T x) {
    if constexpr (std::is_floating_point<T>::value) return std::trunc(x);
    else return x;
  }
  static long double reference(long double x) { return truncl(x); }
  static constexpr const char* grad_name = "TruncBackward0";
};

// frac(x) = x - trunc(x), the sign of x; floating only (PyTorch: "frac_cpu" not implemented for 'Int').
template <>
struct UnaryDef<UnaryOp::Frac> : MathDef {
  static constexpr Inputs inputs = Inputs::FloatingOnly;
  static constexpr VecOp cpu_vector = VecOp::None;
  static constexpr double max_ulp = 0, lo = -4, hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return x - std::trunc(x); }
  static long double reference(long double x) { return x - truncl(x); }
  static constexpr Saves saves = Saves::Nothing;
  static constexpr const char* grad_name = "FracBackward0";
  template <class G>
  static G grad(const G& g, const G&) { return g; }
};

// sign: -1, 0 or 1 in the input's dtype (bool stays bool); PyTorch's (0 < x) - (x < 0), so NaN and -0
// give 0. The grad is zero.
template <>
struct UnaryDef<UnaryOp::Sign> : MathDef {
  static constexpr Inputs inputs = Inputs::All;
  static constexpr VecOp cpu_vector = VecOp::None;
  static constexpr double max_ulp = 0, lo = -4, hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) {
    if constexpr (std::is_same<T, bool>::value) return x;
    else return static_cast<T>((T(0) < x) - (x < T(0)));
  }
  static long double reference(long double x) { return x > 0 ? 1.0L : x < 0 ? -1.0L : 0.0L; }
  static constexpr Saves saves = Saves::Nothing;
  static constexpr const char* grad_name = "SignBackward0";
  template <class G>
  static G grad(const G& g, const G&) { return zeros_like(g); }
};

// Predicates: any dtype in, bool out, no grad.
struct PredicateDef {
  static constexpr bool predicate = true;
  static constexpr Grad grads = Grad::None;
  static constexpr Inputs inputs = Inputs::All;
  static constexpr VecOp cpu_vector = VecOp::None;
  static constexpr double max_ulp = 0, lo = -3, hi = 3;
  static constexpr Saves saves = Saves::Nothing;
};

template <>
struct UnaryDef<UnaryOp::Isnan> : PredicateDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T x) { return is_nan_value(x); }
  static long double reference(long double x) { return std::isnan(x); }
};

template <>
struct UnaryDef<UnaryOp::Isinf> : PredicateDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T x) {
    if constexpr (std::is_floating_point<T>::value) return std::fabs(x) == std::numeric_limits<T>::infinity();
    else return false;
  }
  static long double reference(long double x) { return std::isinf(x); }
};

template <>
struct UnaryDef<UnaryOp::Isfinite> : PredicateDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T x) {
    if constexpr (std::is_floating_point<T>::value) return std::fabs(x) < std::numeric_limits<T>::infinity();
    else return true;
  }
  static long double reference(long double x) { return std::isfinite(x); }
};

template <>
struct UnaryDef<UnaryOp::LogicalNot> : PredicateDef {
  template <typename T>
  LT_HOST_DEVICE static bool f(T x) { return x == T(0); }
  static long double reference(long double x) { return x == 0; }
};


}  // namespace lt
