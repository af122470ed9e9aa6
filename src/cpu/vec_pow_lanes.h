// pow on vector lanes, behind vec_math.h's vec_pow (the notes on always_inline and -Wpsabi of
// vec_lanes.h apply here too).
//
// Note [pow shortcuts]: the exponents 2, 3, 0.5, -0.5, -1 and -2 take arithmetic instead of pow, as in
// PyTorch: x*x, x*x*x, sqrt(x), 1/sqrt(x), 1/x, 1/(x*x). glibc's powf costs ~4 ns an element here, the
// arithmetic well under 0.1 ns. pow's special values are kept: sqrt(x) + 0 turns sqrt(-0) = -0 into
// pow's +0, and pow(-inf, 0.5) = +inf, pow(-inf, -0.5) = +0 where sqrt gives NaN. float32 evaluates
// 1/sqrt(x) and 1/(x*x) in float64, so that only the final rounding to float counts; float64 rounds
// twice there (<= 1.5 ulp, tests/test_vec_math.cpp). The same shortcut functions serve the
// exponent given as a scalar, as a tensor and one element at a time, so results do not depend on how
// the exponent was given or on the layout.
//
// Note [float32 pow]: pow(x, y) = 2^(y * log2|x|) evaluated in float64 lanes (pow_positive_v below),
// then rounded to float once: within 0.5 ulp + 2^-13, so correctly rounded but where the exact result
// lies that close to a tie between two floats. A negative x with an integral y takes the sign of y's
// parity (pow(-2, 3) = -8) and with any other y gives NaN. Lanes where x is 0, subnormal, inf or NaN,
// or y is inf or NaN, are recomputed by libm (pow's long list of special cases lives there). The
// float64 lanes hold as many elements as the float lanes (vec_math.cpp runs this with float vectors
// of half the machine's width, so that the float64 ones fill it). float64 pow with other exponents
// stays with libm's pow, which is correctly rounded in practice and has no cheaper form of that accuracy.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "cpu/vec_lanes.h"
#include "cpu/vec_lanes64.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lt::cpu {

enum class PowKind { General, Square, Cube, Sqrt, Rsqrt, Recip, RecipSquare };

// The shortcut for an exponent (General: none).
inline PowKind pow_kind_of(double y) {
  if (y == 2.0) return PowKind::Square;
  if (y == 3.0) return PowKind::Cube;
  if (y == 0.5) return PowKind::Sqrt;
  if (y == -0.5) return PowKind::Rsqrt;
  if (y == -1.0) return PowKind::Recip;
  if (y == -2.0) return PowKind::RecipSquare;
  return PowKind::General;
}

// x^k for a shortcut k, on a vector V of float or double lanes (a one-lane call is the scalar form).
template <PowKind k, class V>
__attribute__((always_inline)) inline V pow_shortcut_v(V x) {
  using E = std::decay_t<decltype(x[0])>;
  constexpr int W = static_cast<int>(sizeof(V) / sizeof(E));
  using D = typename Lanes64<W>::D;  // x's lanes in float64
  const V minus_inf = V{} - __builtin_inf();
  if constexpr (k == PowKind::RecipSquare && std::is_same<E, double>::value) {
    // 1 / (x*x), but (1/x)^2 where x*x leaves the normal range (|x| > 1.3e154, or < 1.5e-154 where x*x
    // is subnormal and has lost bits) while 1/x^2 may not
    const V q = x * x, r = 1.0 / x;
    return ((q == -minus_inf) | (q < 2.2250738585072014e-308)) ? r * r : 1.0 / q;
  } else if constexpr (k == PowKind::Square)
    return x * x;
  else if constexpr (k == PowKind::Cube)
    return x * x * x;
  else if constexpr (k == PowKind::Recip)
    return E(1) / x;
  else if constexpr (k == PowKind::Sqrt) {
    const V r = sqrt_lanes<V>(x) + E(0);
    return x == minus_inf ? -minus_inf : r;
  } else {
    const D d = __builtin_convertvector(x, D);
    D r;
    if constexpr (k == PowKind::Rsqrt)
      r = 1.0 / (sqrt_lanes<D>(d) + 0.0);
    else
      r = 1.0 / (d * d);  // RecipSquare
    const V v = __builtin_convertvector(r, V);
    return x == minus_inf ? V{} : v;  // pow(-inf, -0.5) = +0; for -2, 1/(x*x) is +0 already
  }
}

// Lanes of v where y equals the shortcut k's exponent take the shortcut of x (only computed when some do).
template <PowKind k, class V, class M>
__attribute__((always_inline)) inline V blend_shortcut(V v, V x, V y, double exponent) {
  const M hit = y == static_cast<std::decay_t<decltype(y[0])>>(exponent);
  return any_lane(hit) ? (hit ? pow_shortcut_v<k>(x) : v) : v;
}

// The polynomial with coefficients c (highest degree first) at x, by Horner's rule.
template <class V, size_t N>
__attribute__((always_inline)) inline V horner(V x, const double (&c)[N]) {
  V p = V{} + c[0];
  for (size_t k = 1; k < N; ++k) p = p * x + c[k];
  return p;
}

// 2^(y * log2 x) of W float lanes with x a positive normal float, in float64 lanes (Note [float32 pow]).
//   log2 x = e + log2 m with m in [sqrt(1/2), sqrt(2)) taken from x's bits (exact), and
//   log2 m = 2/ln2 * atanh(s), s = (m - 1) / (m + 1), |s| < 0.172, by its series to s^15 (relative
//   error < 3.4e-14); t = y * log2 x (|t| is clamped to 200, far past float's range);
//   2^t = 2^n * 2^r, n = round(t), |r| <= 1/2, 2^r by a degree-9 least-squares fit on Chebyshev nodes
//   (relative error < 1.5e-14); 2^n from the exponent bits. Before the one rounding to float, the
//   relative error stays below ~1e-11 (|t| <= 200): 0.5 ulp + 2^-13 at worst.
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F pow_positive_v(typename Lanes<W>::F ax,
                                                                          typename Lanes<W>::F y) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  using D = typename Lanes64<W>::D;
  const I bits = bits_as<I>(ax);
  I mb = (bits & 0x007fffff) | 0x3f800000;  // m in [1, 2)
  const I above = mb > 0x3fb504f3;          // m > sqrt(2) (float bits compare as integers): halve it
  mb = above ? mb - 0x00800000 : mb;
  const I e = ((bits >> 23) - 127) - above;  // the mask is -1: e + 1 where m was halved
  const D md = __builtin_convertvector(bits_as<F>(mb), D);
  const D s = (md - 1.0) / (md + 1.0), z = s * s;
  static constexpr double kLog2Series[] = {0.19235933878519512, 0.22195308321368667, 0.2623081892525388,
                                           0.3205988979753252,  0.4121985831111324,  0.5770780163555853,
                                           0.9617966939259756,  2.8853900817779268};  // 2 / (ln2 (2k + 1))
  const D q = horner(z, kLog2Series);
  D t = __builtin_convertvector(y, D) * (__builtin_convertvector(e, D) + s * q);
  t = t > 200.0 ? D{} + 200.0 : t;
  t = t < -200.0 ? D{} - 200.0 : t;
  const D magic = D{} + kRound52;
  const D n = (t + magic) - magic;
  const D r = t - n;
  static constexpr double kExp2Fit[] = {1.014760568102558e-07,  1.325938371403955e-06, 1.525300012817938e-05,
                                        0.00015403435058141193, 0.0013333557589152202, 0.009618129191894684,
                                        0.05550410866888073,    0.240226506956506,     0.6931471805598683,
                                        1.0000000000000122};
  const D p = horner(r, kExp2Fit);
  const D scale = bits_as<D>((to_int64<W>(n) + 1023) << 52);
  return __builtin_convertvector(p * scale, F);
}

// Whether libm must compute pow(x, y) (Note [float32 pow]): x is 0, subnormal, inf or NaN, or y is inf or
// NaN. NaN fails every comparison.
inline bool pow_special(float x, float y) {
  return !(std::fabs(x) >= 1.17549435e-38f && std::fabs(x) < __builtin_inff() && std::fabs(y) < __builtin_inff());
}

// float32 pow of W lanes (Note [float32 pow]); with Blend, lanes whose exponent has a shortcut take it
// (an exponent given as one scalar was sorted out before: vec_math.cpp). Lanes that need libm
// (pow_special) are set in `specials` and left for the caller to recompute: a call inside the vector
// loop would make GCC keep the loop's constants in memory (every vector register is caller-saved),
// which cost 25% here.
template <int W, bool Blend>
__attribute__((always_inline)) inline typename Lanes<W>::F pow_v(typename Lanes<W>::F x, typename Lanes<W>::F y,
                                                                 typename Lanes<W>::I& specials) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  const F inf = F{} + __builtin_inff();
  const F ax = bits_as<F>(bits_as<I>(x) & 0x7fffffff), ay = bits_as<F>(bits_as<I>(y) & 0x7fffffff);
  F p = pow_positive_v<W>(ax, y);
  const I negative = x < 0.0f;
  if (any_lane(negative)) {
    // y is integral when rounding it (1.5 * 2^23 added and taken away, exact for |y| < 2^22) changes
    // nothing; every float from 2^22 up is integral. Odd: its integer's low bit; from 2^24 up all are even.
    const F magic = F{} + 12582912.0f;
    const I integral = (ay >= 4194304.0f) | (((y + magic) - magic) == y);
    const I odd = integral & ((__builtin_convertvector(ay < 16777216.0f ? y : F{}, I) & 1) != 0);
    p = (negative & odd) ? -p : p;
    p = (negative & ~integral) ? F{} + __builtin_nanf("") : p;
  }
  specials |= ~((ax >= 1.17549435e-38f) & (ax < inf) & (ay < inf));
  if constexpr (Blend) {
    p = blend_shortcut<PowKind::Square, F, I>(p, x, y, 2.0);
    p = blend_shortcut<PowKind::Cube, F, I>(p, x, y, 3.0);
    p = blend_shortcut<PowKind::Sqrt, F, I>(p, x, y, 0.5);
    p = blend_shortcut<PowKind::Rsqrt, F, I>(p, x, y, -0.5);
    p = blend_shortcut<PowKind::Recip, F, I>(p, x, y, -1.0);
    p = blend_shortcut<PowKind::RecipSquare, F, I>(p, x, y, -2.0);
  }
  return p;
}

// float64 pow of one element: a shortcut, or libm.
inline double pow_one64(double x, double y) {
  typedef double D1 __attribute__((vector_size(8)));
  const D1 v = {x};
  switch (pow_kind_of(y)) {
    case PowKind::Square: return pow_shortcut_v<PowKind::Square>(v)[0];
    case PowKind::Cube: return pow_shortcut_v<PowKind::Cube>(v)[0];
    case PowKind::Sqrt: return pow_shortcut_v<PowKind::Sqrt>(v)[0];
    case PowKind::Rsqrt: return pow_shortcut_v<PowKind::Rsqrt>(v)[0];
    case PowKind::Recip: return pow_shortcut_v<PowKind::Recip>(v)[0];
    case PowKind::RecipSquare: return pow_shortcut_v<PowKind::RecipSquare>(v)[0];
    case PowKind::General: break;
  }
  return std::pow(x, y);
}

}  // namespace lt::cpu

#pragma GCC diagnostic pop
