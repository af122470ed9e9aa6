// The lane functions behind vec_math.h: W float32 lanes at a time in GCC/Clang vector extensions,
// always_inline so that vec_math.cpp compiles each one inside its baseline, AVX2+FMA and AVX-512 loops.
// Pointers, not vector values, cross the calls: a 32/64-byte vector argument would change the calling
// convention between the baseline and the AVX targets. Inside, the lanes pass vectors by value: they are
// always inlined into one target's loop, so GCC's -Wpsabi note about the AVX calling convention does not
// apply to them and is silenced for this header. Polynomials and reductions follow Cephes
// (S. Moshier's single-precision library), evaluated branch-free with the special cases blended in at
// the end; the accuracy of each is measured over the float range in tests/test_vec_math.cpp.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lt::cpu {

template <int W>
struct Lanes {
  typedef float F __attribute__((vector_size(W * 4)));
  typedef int32_t I __attribute__((vector_size(W * 4)));
};

template <class To, class From>
__attribute__((always_inline)) inline To bits_as(const From& v) {
  static_assert(sizeof(To) == sizeof(From), "same width");
  To t;
  std::memcpy(&t, &v, sizeof t);
  return t;
}

// The polynomial part of exp: e^r for |r| <= ln2/2 (Cephes expf, degree 7).
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F exp_poly(typename Lanes<W>::F r) {
  using F = typename Lanes<W>::F;
  F p = F{} + 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  return p * (r * r) + r + 1.0f;
}

// p * 2^n for n in [-150, 129], as two normal powers of two (halves in [-75, 65]), so that the two
// multiplies round overflow to inf and the subnormal range correctly without branches.
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F times_pow2(typename Lanes<W>::F p,
                                                                      typename Lanes<W>::I n) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  const I n1 = n >> 1, n2 = n - n1;
  return p * bits_as<F>((n1 + 127) << 23) * bits_as<F>((n2 + 127) << 23);
}

// x clamped to [lo, hi]; NaN passes through (comparisons with NaN are false).
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F clamp_lanes(typename Lanes<W>::F x, float lo, float hi) {
  using F = typename Lanes<W>::F;
  const F xc = x > hi ? F{} + hi : x;
  return xc < lo ? F{} + lo : xc;
}

// v rounded to the nearest integer, as a float (returned) and an int (n), for |v| < 2^22: adding
// 1.5 * 2^23 leaves the integer in the sum's low mantissa bits.
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F round_lanes(typename Lanes<W>::F v,
                                                                       typename Lanes<W>::I& n) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  const F magic = F{} + 12582912.0f;
  const F t = v + magic;
  n = bits_as<I>(t) - bits_as<I>(magic);
  return t - magic;
}

// exp: Cody-Waite reduction and the Cephes expf polynomial (<= 2 ulp).
//   n = round(x / ln2), r = x - n*ln2 (ln2 split in two so the product is exact), |r| <= ln2/2;
//   e^x = e^r * 2^n (times_pow2).
// x is clamped to [-104, 88.8] first (beyond both ends the result is 0 or inf anyway); NaN stays NaN.
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F exp_v(typename Lanes<W>::F x) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  const F xc = clamp_lanes<W>(x, -104.0f, 88.8f);
  I n;
  const F nf = round_lanes<W>(xc * 1.44269504088896341f, n);
  const F r = (xc - nf * 0.693359375f) - nf * -2.12194440e-4f;  // 0.693359375 has 9 bits: nf * it is exact
  const F y = times_pow2<W>(exp_poly<W>(r), n);
  return x != x ? x : y;
}

// exp2: n = round(x), r = x - n (exact, |r| <= 1/2), 2^x = e^(r ln2) * 2^n. The rounding of r * ln2
// costs at most a quarter ulp. x is clamped to [-151, 129]; NaN stays NaN.
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F exp2_v(typename Lanes<W>::F x) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  const F xc = clamp_lanes<W>(x, -151.0f, 129.0f);
  I n;
  const F r = (xc - round_lanes<W>(xc, n)) * 0.693147180559945309f;
  const F y = times_pow2<W>(exp_poly<W>(r), n);
  return x != x ? x : y;
}

// expm1: below |x| = ln 3 its Taylor series to x^12 (truncation < 1e-9 relative), summed as x + x^2 q(x)
// so that the leading x is added last; above, exp(x) - 1, where exp's error is at most one ulp of the
// result (e^x and e^x - 1 then share a binade or e^x - 1 is the larger). -0 stays -0, NaN stays NaN.
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F expm1_v(typename Lanes<W>::F x) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  const F ax = bits_as<F>(bits_as<I>(x) & 0x7fffffff);
  F q = F{} + 2.08767569878681e-9f;  // 1/12!
  q = q * x + 2.50521083854417e-8f;  // 1/11!
  q = q * x + 2.75573192239859e-7f;
  q = q * x + 2.75573192239859e-6f;
  q = q * x + 2.48015873015873e-5f;
  q = q * x + 1.98412698412698e-4f;
  q = q * x + 1.38888888888889e-3f;
  q = q * x + 8.33333333333333e-3f;
  q = q * x + 4.16666666666667e-2f;
  q = q * x + 1.66666666666667e-1f;
  q = q * x + 0.5f;
  const F small = x + (x * x) * q;
  const F large = exp_v<W>(x) - 1.0f;
  const F r = ax < 1.0986123f ? small : large;  // NaN takes `large`, which stays NaN
  return x == 0.0f ? x : r;
}

// sigmoid from e = exp(-|x|) (never overflows): 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0, so
// that results down to the subnormal range stay accurate (1 / (1 + exp(-x)) gives 0 for every
// x < -88.7). <= 3 ulp.
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F sigmoid_v(typename Lanes<W>::F x) {
  using F = typename Lanes<W>::F;
  const F e = exp_v<W>(x < 0.0f ? x : -x);  // NaN stays NaN (the comparison is false)
  const F r = 1.0f / (1.0f + e);
  return x < 0.0f ? e * r : r;
}

// log (Cephes logf, <= 1 ulp measured): x = m * 2^e with m in [sqrt(1/2), sqrt(2)), log(m) = f - f^2/2 +
// f^3 * P(f) with f = m - 1 (exact), plus e * ln2 in two parts. Subnormals are scaled by 2^23 first.
// log(0) = -inf, log(x < 0) = NaN, log(inf) = inf, NaN stays NaN.
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F log_v(typename Lanes<W>::F x) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  const I subnormal = x < 1.17549435e-38f;  // also 0 and negatives, which are replaced at the end
  const I bits = bits_as<I>(subnormal ? x * 8388608.0f : x);
  I e = ((bits >> 23) & 0xff) - 126 + (subnormal & -23);
  F m = bits_as<F>((bits & 0x007fffff) | 0x3f000000);  // [0.5, 1)
  const I below = m < 0.707106781186547524f;
  e += below;  // the mask is -1: e - 1 where m is doubled
  const F f = below ? (m + m) - 1.0f : m - 1.0f;  // both exact (Sterbenz)
  const F z = f * f;
  F p = F{} + 7.0376836292E-2f;
  p = p * f + -1.1514610310E-1f;
  p = p * f + 1.1676998740E-1f;
  p = p * f + -1.2420140846E-1f;
  p = p * f + 1.4249322787E-1f;
  p = p * f + -1.6668057665E-1f;
  p = p * f + 2.0000714765E-1f;
  p = p * f + -2.4999993993E-1f;
  p = p * f + 3.3333331174E-1f;
  const F ef = __builtin_convertvector(e, F);
  F y = p * f * z + ef * -2.12194440e-4f;
  y = y + z * -0.5f;
  F r = (f + y) + ef * 0.693359375f;
  const F inf = F{} + __builtin_inff();
  r = x == inf ? inf : r;
  r = x == 0.0f ? -inf : r;
  r = x < 0.0f ? F{} + __builtin_nanf("") : r;
  return x != x ? x : r;
}

// log1p: u = 1 + x rounded, then log(u) corrected by the rounding of u to first order,
// log1p(x) = log(u) - ((u - 1) - x) / u (Goldberg's form; exact u - 1 by Sterbenz where it matters).
// -1 gives -inf, below -1 NaN, inf inf; -0 stays -0, NaN stays NaN.
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F log1p_v(typename Lanes<W>::F x) {
  using F = typename Lanes<W>::F;
  const F u = 1.0f + x;
  const F c = ((u - 1.0f) - x) / u;
  const F lu = log_v<W>(u);
  // The correction is NaN exactly where log(u) is already the answer (u = 0: -inf; x = inf: inf); below
  // -1, log(u) is NaN. (This form, selecting on c == c: others, e.g. on x == inf or on masks OR-ed
  // together, made GCC 12 compare lane by lane under the AVX-512 target attribute, 4x slower.)
  F r = lu - c;
  r = c == c ? r : lu;
  return x == 0.0f ? x : r;
}

// Note [float32 erf]: two fits of our own (least squares at Chebyshev nodes against mpmath, float64):
//   erf(x), |x| < 0.875: x + x (c0 - 1 + z P(z)), z = x^2, P of degree 5 (fit error 2e-10 relative);
//   erfc(a), 0 <= a <= 10: t exp(Q(s) - a^2), t = 2 / (2 + a), s = (t - 7/12) * 12/5 in [-1, 1], Q of
//                 degree 10 (fit error 7e-9 in the exponent, so ~1e-8 relative in erfc); a is clamped to
//                 10 (erfc(10) is below the float range).
// erf = sign(x) (1 - erfc(|x|)) from |x| = 0.875 on; it measures <= 1.4 ulp. gelu uses erfc alone:
// 1 + erf(z) is erfc(-z), so its negative tail keeps its relative accuracy down to erfc = 1e-38.
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F erf_small_v(typename Lanes<W>::F x) {
  using F = typename Lanes<W>::F;
  const F z = x * x;
  F p = F{} + 8.714060095371678e-05f;
  p = p * z + -0.0008220518357120454f;
  p = p * z + 0.005207621492445469f;
  p = p * z + -0.026861969381570816f;
  p = p * z + 0.11283741146326065f;
  p = p * z + -0.37612637877464294f;
  return x + x * (z * p + 0.128379225730896f);
}

// erfc(a) for a >= 0 (NaN stays NaN); see Note [float32 erf].
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F erfc_v(typename Lanes<W>::F a) {
  using F = typename Lanes<W>::F;
  const F ac = clamp_lanes<W>(a, 0.0f, 10.0f);
  const F t = 2.0f / (2.0f + ac);
  const F s = (t - 0.58333333333333333f) * 2.4f;
  F q = F{} + -2.1637224563164636e-05f;
  q = q * s + 5.486024747369811e-05f;
  q = q * s + 0.00012682184751611203f;
  q = q * s + -0.000534320599399507f;
  q = q * s + -0.0002732955908868462f;
  q = q * s + 0.0037074766587466f;
  q = q * s + -0.001046503777615726f;
  q = q * s + -0.02947033755481243f;
  q = q * s + 0.015745192766189575f;
  q = q * s + 0.5703070759773254f;
  q = q * s + -0.5585953593254089f;
  return t * exp_v<W>(q - ac * ac);
}

template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F erf_v(typename Lanes<W>::F x) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  const I xb = bits_as<I>(x);
  const F ax = bits_as<F>(xb & 0x7fffffff);
  const F large = bits_as<F>(bits_as<I>(1.0f - erfc_v<W>(ax)) | (xb & int32_t(0x80000000u)));
  const F r = ax < 0.875f ? erf_small_v<W>(x) : large;
  return x != x ? x : r;
}

// Whether any lane of an integer mask vector is set. The halves are OR-ed down to 16 bytes (one
// extract and OR per halving, in registers): testing lane by lane made GCC extract all 16 lanes of an
// AVX-512 mask to general registers, which cost float32 sin as much as its polynomials.
template <class M>
__attribute__((always_inline)) inline bool any_lane(M m) {
  if constexpr (sizeof(M) > 16) {
    using E = std::decay_t<decltype(m[0])>;
    typedef E Half __attribute__((vector_size(sizeof(M) / 2)));
    Half lo, hi;
    std::memcpy(&lo, &m, sizeof lo);
    std::memcpy(&hi, reinterpret_cast<const char*>(&m) + sizeof lo, sizeof hi);
    return any_lane(lo | hi);
  } else {
    uint64_t w[2];
    std::memcpy(w, &m, sizeof w);
    return (w[0] | w[1]) != 0;
  }
}

// The end of sin / cos in either precision (V: the value vector, M: the integer vector of the same lane
// width). sin by quadrant q = 0..3 is s, c, -s, -c, and cos(x) = sin(x + pi/2) (the caller passes q + 1);
// sin's sign is x's (the caller reduced |x|). NaN stays NaN; lanes flagged `large` are recomputed by libm.
template <bool Cos, class V, class M>
__attribute__((always_inline)) inline V sincos_finish(V x, V s, V c, M q, M large) {
  using E = std::decay_t<decltype(q[0])>;  // int32_t or int64_t
  constexpr int W = static_cast<int>(sizeof(V) / sizeof(E));
  const E sign_bit = static_cast<E>(E(1) << (8 * sizeof(E) - 1));
  const V v = (q & 1) != 0 ? c : s;
  M sign = ((q & 2) != 0) & sign_bit;
  if constexpr (!Cos) sign ^= bits_as<M>(x) & sign_bit;
  V out = bits_as<V>(bits_as<M>(v) ^ sign);
  out = x != x ? x : out;
  if (__builtin_expect(any_lane(large), 0))
    for (int k = 0; k < W; ++k)
      if (large[k]) out[k] = Cos ? std::cos(x[k]) : std::sin(x[k]);
  return out;
}

// Above this |x|, sin and cos lanes are recomputed by libm (the reduction below is exact for quadrant
// counts below 2^20; this keeps a wide margin).
constexpr float kTrigLanesMax = 100000.0f;

// sin / cos: n = the quadrant count nearest |x| * 2/pi, r = |x| - n * pi/2 in double precision with pi/2 in
// two parts (glibc's pio2_1 has 33 bits, so n * pio2_1 and x - n * pio2_1 are exact; the second part's
// product errs by < 1e-21), so r keeps full float accuracy even where sin x or cos x is tiny (floats
// next to multiples of pi/2); then the Cephes sinf / cosf polynomials of (float) r, |r| <= pi/4, by
// quadrant. Lanes with |x| > kTrigLanesMax (and inf) are replaced by std::sin / std::cos.
template <int W, bool Cos>
__attribute__((always_inline)) inline typename Lanes<W>::F sincos_v(typename Lanes<W>::F x) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  typedef double D __attribute__((vector_size(W * 8)));
  const I xb = bits_as<I>(x);
  const F ax = bits_as<F>(xb & 0x7fffffff);  // sin is odd, cos even: reduce |x|, put sin's sign back
  const I large = ax > kTrigLanesMax;
  const D xd = __builtin_convertvector(large ? F{} : ax, D);  // NaN passes through and is restored below
  const D magic = D{} + 6755399441055744.0;                  // 1.5 * 2^52: rounds to an integer
  const D nd = (xd * 0.63661977236758134308 + magic) - magic;
  const D rd = (xd - nd * 1.57079632673412561417e+00) - nd * 6.07710050650619224932e-11;
  const F r = __builtin_convertvector(rd, F);
  const I n = __builtin_convertvector(nd, I);
  const F z = r * r;
  const F c = ((2.443315711809948E-005f * z - 1.388731625493765E-003f) * z + 4.166664568298827E-002f) * z * z -
              0.5f * z + 1.0f;
  const F s = ((-1.9515295891E-4f * z + 8.3321608736E-3f) * z - 1.6666654611E-1f) * z * r + r;
  return sincos_finish<Cos>(x, s, c, Cos ? n + 1 : n, large);
}

// tanh (Cephes tanhf): x + x^3 * P(x^2) for |x| < 0.625, 1 - 2 / (exp(2|x|) + 1) above (|x| clamped to 10,
// past which the result rounds to 1), with the sign of x. NaN stays NaN.
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F tanh_v(typename Lanes<W>::F x) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  const I xb = bits_as<I>(x);
  const F ax = bits_as<F>(xb & 0x7fffffff);
  const F e = exp_v<W>(2.0f * (ax > 10.0f ? F{} + 10.0f : ax));
  const F big = 1.0f - 2.0f / (e + 1.0f);
  const F z = ax * ax;
  const F small =
      ((((-5.70498872745E-3f * z + 2.06390887954E-2f) * z - 5.37397155531E-2f) * z + 1.33314422036E-1f) * z -
       3.33332819422E-1f) * z * ax + ax;
  const F r = ax >= 0.625f ? big : small;  // NaN takes `small`, which stays NaN
  return bits_as<F>(bits_as<I>(r) | (xb & int32_t(0x80000000u)));
}

// sqrt of a vector of either precision: the hardware instruction (sqrtps / sqrtpd, correctly rounded;
// the loop vectorises because the library is built with -fno-math-errno).
template <class V>
__attribute__((always_inline)) inline V sqrt_lanes(V x) {
  V r;
  for (int k = 0; k < static_cast<int>(sizeof(V) / sizeof(x[0])); ++k) r[k] = std::sqrt(x[k]);
  return r;
}

}  // namespace lt::cpu

#pragma GCC diagnostic pop
