// One definition per unary op (Note [op definition] in core/op_def.h). Members of a UnaryDef:
//   inputs      which dtypes it computes on (Inputs); bool inputs of a Numeric op are refused
//   cpu_vector  the vectorised CPU form for contiguous float rows (VecOp::None: f everywhere)
//   max_ulp     the worst error of f and of the vector form against the correctly rounded result
//   f<T>(x)     the element function (CUDA always, CPU where there is no vector form or a row is strided)
//   reference   long double formula the generated tests compare with, on inputs in [lo, hi]
//   saves       what grad receives as `saved` (the input or the output; Nothing: an undefined tensor)
//   grad(g, saved)   PyTorch's backward formula; grad_name PyTorch's node name
// Semantics are PyTorch's: integer neg/abs wrap around (two's complement, no signed-overflow UB).
#pragma once
#include <cmath>
#include <type_traits>

#include "core/op_def.h"
#include "core/scalar_ops.h"

namespace lt {

template <>
struct UnaryDef<UnaryOp::Neg> {
  static constexpr Inputs inputs = Inputs::Numeric;
  static constexpr VecOp cpu_vector = VecOp::None;
  static constexpr double max_ulp = 0, lo = -4, hi = 4;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) { return wrap_sub(T(0), x); }
  static long double reference(long double x) { return -x; }
  static constexpr Saves saves = Saves::Nothing;
  static constexpr const char* grad_name = "NegBackward0";
  template <class G>
  static G grad(const G& g, const G&) { return unary(UnaryOp::Neg, g); }
};

template <>
struct UnaryDef<UnaryOp::Abs> {
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
struct UnaryDef<UnaryOp::Exp> {
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
struct UnaryDef<UnaryOp::Log> {
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
struct UnaryDef<UnaryOp::Sqrt> {
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
struct UnaryDef<UnaryOp::Sin> {
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
struct UnaryDef<UnaryOp::Cos> {
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
struct UnaryDef<UnaryOp::Tanh> {
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
struct UnaryDef<UnaryOp::Sigmoid> {
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
struct UnaryDef<UnaryOp::Relu> {
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

}  // namespace lt
