// The float64 lane functions behind vec_math.h (the float32 ones are in vec_lanes.h, whose notes on
// always_inline and -Wpsabi apply here too). W doubles at a time. Integer work stays in operations
// every x86-64 vector width has (64-bit add, and, logical shifts; doubles to integers through the
// 1.5 * 2^52 rounding constant), so the SSE2 baseline does not fall back to scalar code. Methods from
// fdlibm (Sun Microsystems, via musl) and Cephes; accuracy measured in tests/test_vec_math.cpp.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

#include "cpu/vec_lanes.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lt::cpu {

template <int W>
struct Lanes64 {
  typedef double D __attribute__((vector_size(W * 8)));
  typedef int64_t L __attribute__((vector_size(W * 8)));
  typedef uint64_t U __attribute__((vector_size(W * 8)));  // for logical shifts
};

constexpr double kRound52 = 6755399441055744.0;  // 1.5 * 2^52: x + it - it rounds |x| < 2^51 to an integer

// The integer in each lane of d (an integral double, |d| < 2^51), as int64.
template <int W>
__attribute__((always_inline)) inline typename Lanes64<W>::L to_int64(typename Lanes64<W>::D d) {
  using D = typename Lanes64<W>::D;
  using L = typename Lanes64<W>::L;
  const D m = D{} + kRound52;
  return bits_as<L>(d + m) - bits_as<L>(m);
}

// 2^n for integral n in [-1022, 1023], from the exponent bits.
template <int W>
__attribute__((always_inline)) inline typename Lanes64<W>::D pow2(typename Lanes64<W>::D n) {
  return bits_as<typename Lanes64<W>::D>((to_int64<W>(n) + 1023) << 52);
}

// exp: n = round(x / ln2), r = x - n*ln2 (ln2 in two parts, the first with 32 significant bits so
// n * it is exact), |r| <= ln2/2; e^r by its Taylor series to degree 13 (the remainder is < 5e-18);
// e^x = e^r * 2^n1 * 2^n2, n1 + n2 = n, both normal powers, so overflow and the subnormal range round
// correctly. x is clamped to [-746, 710] (beyond: 0 or inf); NaN stays NaN.
template <int W>
__attribute__((always_inline)) inline typename Lanes64<W>::D exp_v64(typename Lanes64<W>::D x) {
  using D = typename Lanes64<W>::D;
  const D hi = D{} + 710.0, lo = D{} + -746.0;
  D xc = x > hi ? hi : x;
  xc = xc < lo ? lo : xc;
  const D m = D{} + kRound52;
  const D n = (xc * 1.44269504088896338700e+00 + m) - m;
  const D r = (xc - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10;
  D p = D{} + 1.0 / 6227020800.0;  // 1/13!
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * (r * r) + r + 1.0;
  // Halves of n: n1 = floor(n / 2) without a 64-bit arithmetic shift (n + 2048 >= 0, shifted logically).
  const D n1 = n * 0.5 - 0.25;                  // floor(n / 2) after rounding: n/2 - 1/4 rounds to it
  const D n1r = (n1 + m) - m;
  const D y = p * pow2<W>(n1r) * pow2<W>(n - n1r);
  return x != x ? x : y;
}

// log (fdlibm): x = 2^k * m, m in [sqrt(1/2), sqrt(2)), f = m - 1 (exact), s = f / (2 + f),
// log(m) = f - f^2/2 + s * (f^2/2 + R(s^2)) with fdlibm's degree-14 R; plus k * ln2 in two parts.
// Subnormals are scaled by 2^54 first; log(0) = -inf, log(x < 0) = NaN, log(inf) = inf.
template <int W>
__attribute__((always_inline)) inline typename Lanes64<W>::D log_v64(typename Lanes64<W>::D x) {
  using D = typename Lanes64<W>::D;
  using L = typename Lanes64<W>::L;
  const L subnormal = x < 2.2250738585072014e-308;
  const L bits = bits_as<L>(subnormal ? x * 18014398509481984.0 : x);  // 2^54
  // The biased exponent (0..2047) as a double, through the rounding constant's mantissa.
  using U = typename Lanes64<W>::U;
  const D biased = bits_as<D>(((bits_as<U>(bits) >> 52) & 0x7ff) | bits_as<uint64_t>(kRound52)) - kRound52;
  D m = bits_as<D>((bits & 0x000fffffffffffffLL) | 0x3ff0000000000000LL);  // [1, 2)
  const L above = m > 1.41421356237309504880;
  m = above ? m * 0.5 : m;
  const D k = biased - 1023.0 - (subnormal ? D{} + 54.0 : D{}) + (above ? D{} + 1.0 : D{});
  const D f = m - 1.0;
  const D hfsq = 0.5 * f * f;
  const D s = f / (2.0 + f);
  const D z = s * s, w = z * z;
  const D t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
  const D t2 = z * (6.666666666666735130e-01 +
                    w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
  D r = s * (hfsq + (t1 + t2)) + k * 1.90821492927058770002e-10 - hfsq + f + k * 6.93147180369123816490e-01;
  const D inf = D{} + __builtin_inf();
  r = x == inf ? inf : r;
  r = x == 0.0 ? -inf : r;
  r = x < 0.0 ? D{} + __builtin_nan("") : r;
  return x != x ? x : r;
}

// The rounding error of s = a + b (Knuth's TwoSum; no condition on the magnitudes).
template <int W>
__attribute__((always_inline)) inline typename Lanes64<W>::D two_sum_err(typename Lanes64<W>::D a,
                                                                         typename Lanes64<W>::D b,
                                                                         typename Lanes64<W>::D s) {
  const typename Lanes64<W>::D bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

// Above this |x|, sin and cos lanes are recomputed by libm: the reduction below needs n * pio2_1..3
// exact (33-bit parts), which holds for quadrant counts n < 2^20.
constexpr double kTrigLanesMax64 = 1.0e5;

// sin / cos (fdlibm's kernels): n = round(|x| * 2/pi), r = |x| - n * pi/2 with pi/2 in four parts
// (glibc's pio2_1, pio2_2, pio2_3 of 33 bits each and the tail pio2_3t): every product but the last is
// exact and each subtraction rounds relative to its own small result, so r is right to about an ulp
// even next to multiples of pi/2; then __kernel_sin / __kernel_cos of r by quadrant, and sin's sign.
template <int W, bool Cos>
__attribute__((always_inline)) inline typename Lanes64<W>::D sincos_v64(typename Lanes64<W>::D x) {
  using D = typename Lanes64<W>::D;
  using L = typename Lanes64<W>::L;
  const L xb = bits_as<L>(x);
  const D ax = bits_as<D>(xb & 0x7fffffffffffffffLL);
  const L large = ax > kTrigLanesMax64;
  const D a = large ? D{} : ax;  // NaN passes through and is restored below
  const D m = D{} + kRound52;
  const D n = (a * 6.36619772367581382433e-01 + m) - m;
  // r = hi + lo: the subtractions after the first (exact) one keep their rounding errors (TwoSum), so
  // that the result does not inherit r's rounding where sin or cos falls a binade below r.
  const D r1 = a - n * 1.57079632673412561417e+00;
  const D t = n * 6.07710050630396597660e-11;
  const D tail = n * 2.02226624871116645580e-21 + n * 8.47842766036889956997e-32;
  const D r2 = r1 - t;
  const D r2_err = two_sum_err<W>(r1, -t, r2);
  const D hi = r2 - tail;
  const D lo = two_sum_err<W>(r2, -tail, hi) + r2_err;
  const D z = hi * hi;
  const D sp = -1.66666666666666324348e-01 +
               z * (8.33333333332248946124e-03 +
                    z * (-1.98412698298579493134e-04 +
                         z * (2.75573137070700676789e-06 + z * (-2.50507602534068634195e-08 + z * 1.58969099521155010221e-10))));
  // sin(hi + lo) = sin(hi) + lo * cos(hi), cos(hi + lo) = cos(hi) - lo * sin(hi), to the last bit.
  const D s = hi + (hi * z * sp + lo * (1.0 - 0.5 * z));
  const D cp = z * (4.16666666666666019037e-02 +
                    z * (-1.38888888888741095749e-03 +
                         z * (2.48015872894767294178e-05 +
                              z * (-2.75573143513906633035e-07 + z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11)))));
  // cos hi = 1 - z/2 + z^2 * cp, summed as fdlibm does so that 1 - z/2 loses nothing.
  const D hz = 0.5 * z, w = 1.0 - hz;
  const D c = w + (((1.0 - w) - hz) + (z * cp - hi * lo));
  return sincos_finish<Cos>(x, s, c, to_int64<W>(n) + (Cos ? 1 : 0), large);
}

// tanh (Cephes tanh): x + x^3 * P(x^2) / Q(x^2) for |x| < 0.625, 1 - 2 / (exp(2|x|) + 1) above (|x|
// clamped to 20, past which the result rounds to 1), with the sign of x. NaN stays NaN.
template <int W>
__attribute__((always_inline)) inline typename Lanes64<W>::D tanh_v64(typename Lanes64<W>::D x) {
  using D = typename Lanes64<W>::D;
  using L = typename Lanes64<W>::L;
  const L xb = bits_as<L>(x);
  const D ax = bits_as<D>(xb & 0x7fffffffffffffffLL);
  const D e = exp_v64<W>(2.0 * (ax > 20.0 ? D{} + 20.0 : ax));
  const D big = 1.0 - 2.0 / (e + 1.0);
  const D z = ax * ax;
  const D p = (-9.64399179425052238628E-1 * z - 9.92877231001918586564E1) * z - 1.61468768441708447952E3;
  const D q = ((z + 1.12811678491632931402E2) * z + 2.23548839060100448583E3) * z + 4.84406305325125486048E3;
  const D small = ax + ax * z * (p / q);
  const D r = ax >= 0.625 ? big : small;  // NaN takes `small`, which stays NaN
  return bits_as<D>(bits_as<L>(r) | (xb & int64_t(0x8000000000000000ULL)));
}

// sigmoid from e = exp(-|x|), as the float32 one.
template <int W>
__attribute__((always_inline)) inline typename Lanes64<W>::D sigmoid_v64(typename Lanes64<W>::D x) {
  using D = typename Lanes64<W>::D;
  const D e = exp_v64<W>(x < 0.0 ? x : -x);
  const D r = 1.0 / (1.0 + e);
  return x < 0.0 ? e * r : r;
}

}  // namespace lt::cpu

#pragma GCC diagnostic pop
