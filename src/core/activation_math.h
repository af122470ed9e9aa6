// The element formulas of the parameterised activations (ActivationOp), written once for both backends
// so that the CPU and CUDA kernels compute the same thing. They are PyTorch's (ATen's CPU kernels and
// derivatives.yaml), in the element type; p0 and p1 are the op's parameters:
//   Gelu      (none)             x * Phi(x) = x / 2 * (1 + erf(x / sqrt 2))
//   GeluTanh  (none)             x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))
//   Softplus  (beta, threshold)  x where beta x > threshold, else log1p(exp(beta x)) / beta
//   LeakyRelu (negative_slope)   x where x > 0, else slope x
//   Elu       (alpha)            x where x > 0, else alpha * expm1(x)
//   Clamp     (min, max)         NaN input stays NaN, a NaN bound gives NaN, else min(max(x, lo), hi)
//                                (so lo > hi gives hi); ±inf is no bound
// `grad` is the derivative times g at the input x, with PyTorch's choice at the kinks (leaky_relu and elu
// take the x <= 0 branch at 0; clamp passes the grad where lo <= x <= hi, bounds included).
#pragma once
#include <cmath>

#include "core/op_kinds.h"
#include "core/philox.h"  // LT_HOST_DEVICE

namespace lt {

namespace act_const {
constexpr double kSqrt1_2 = 0.707106781186547524400844362104849039;    // 1 / sqrt(2)
constexpr double kInvSqrt2Pi = 0.398942280401432677939946059934381868;  // 1 / sqrt(2 pi)
constexpr double kSqrt2OverPi = 0.797884560802865355879892119868763737; // sqrt(2 / pi)
constexpr double kKappa = 0.044715;
}  // namespace act_const

template <ActivationOp op, typename T>
LT_HOST_DEVICE T activation_f(T x, T p0, T p1) {
  using namespace act_const;
  if constexpr (op == ActivationOp::Gelu) {
    return x * T(0.5) * (T(1) + std::erf(x * T(kSqrt1_2)));
  } else if constexpr (op == ActivationOp::GeluTanh) {
    const T inner = T(kSqrt2OverPi) * (x + T(kKappa) * x * x * x);
    return T(0.5) * x * (T(1) + std::tanh(inner));
  } else if constexpr (op == ActivationOp::Softplus) {
    return x * p0 > p1 ? x : std::log1p(std::exp(x * p0)) / p0;
  } else if constexpr (op == ActivationOp::LeakyRelu) {
    return x > T(0) ? x : x * p0;
  } else if constexpr (op == ActivationOp::Elu) {
    return x > T(0) ? x : p0 * std::expm1(x);
  } else {
    if (x != x) return x;
    if (p0 != p0) return p0;
    if (p1 != p1) return p1;
    const T lo = x < p0 ? p0 : x;
    return lo > p1 ? p1 : lo;
  }
}

template <ActivationOp op, typename T>
LT_HOST_DEVICE T activation_grad(T g, T x, T p0, T p1) {
  using namespace act_const;
  if constexpr (op == ActivationOp::Gelu) {
    const T cdf = T(0.5) * (T(1) + std::erf(x * T(kSqrt1_2)));
    const T pdf = T(kInvSqrt2Pi) * std::exp(T(-0.5) * x * x);
    return g * (cdf + x * pdf);
  } else if constexpr (op == ActivationOp::GeluTanh) {
    const T x2 = x * x;
    const T t = std::tanh(T(kSqrt2OverPi) * (x + T(kKappa) * x2 * x));
    const T left = T(0.5) * x;
    const T right_d = left * (T(1) - t * t) * T(kSqrt2OverPi) * (T(1) + T(3 * kKappa) * x2);
    return g * (T(0.5) * (T(1) + t) + right_d);
  } else if constexpr (op == ActivationOp::Softplus) {
    const T z = std::exp(x * p0);
    return x * p0 > p1 ? g : g * z / (z + T(1));
  } else if constexpr (op == ActivationOp::LeakyRelu) {
    return x > T(0) ? g : g * p0;
  } else if constexpr (op == ActivationOp::Elu) {
    return x > T(0) ? g : g * p0 * std::exp(x);
  } else {
    return (x >= p0 && x <= p1) ? g : T(0);
  }
}

}  // namespace lt
