// Vectorised float32 exp and sigmoid for the CPU kernels.
//
// glibc's expf is a scalar call per element (~2 ns each here): for 1M floats it was 93% of the time of
// (x*x+1).exp().sum() forward and backward. This one evaluates W lanes at a time with GCC/Clang vector
// extensions, the width chosen at run time (AVX-512, AVX2 or the SSE2 baseline; see vec_math.cpp).
//
// Method (Cody-Waite reduction and the Cephes expf polynomial, max error ~1.5 ulp measured against
// double-precision exp over all floats in [-104, 89], tested in test_vec_math.cpp):
//   n = round(x / ln2), r = x - n*ln2 (ln2 split in two so the product is exact), |r| <= ln2/2;
//   e^r by a degree-7 polynomial; e^x = e^r * 2^n1 * 2^n2 with n1 + n2 = n, each a normal power of two,
//   so the two multiplies round overflow to inf and the subnormal range correctly without branches.
// x is clamped to [-104, 88.8] first (beyond both ends the result is 0 or inf anyway); NaN stays NaN.
#pragma once
#include <cstdint>
#include <cstring>

namespace lt::cpu {

template <int W>
struct ExpLanes {
  typedef float F __attribute__((vector_size(W * 4)));
  typedef int32_t I __attribute__((vector_size(W * 4)));
};

// out[0..W) = exp(in[0..W)). Pointers, not vector values, cross the call: a 32/64-byte vector argument
// would change the calling convention between the baseline and the AVX targets. always_inline: the wide
// instances are compiled inside the target("avx2"/"avx512f") loops of vec_math.cpp.
template <int W>
__attribute__((always_inline)) inline void exp_lanes(const float* in, float* out) {
  using F = typename ExpLanes<W>::F;
  using I = typename ExpLanes<W>::I;
  F x;
  std::memcpy(&x, in, sizeof x);
  const F hi = F{} + 88.8f, lo = F{} + -104.0f;
  F xc = x > hi ? hi : x;  // comparisons with NaN are false: NaN passes through to the end
  xc = xc < lo ? lo : xc;
  // round(xc / ln2) by adding 1.5 * 2^23: the sum's low mantissa bits hold the integer (|value| < 2^22).
  const F magic = F{} + 12582912.0f;
  F t = xc * 1.44269504088896341f + magic;
  I t_bits;
  std::memcpy(&t_bits, &t, sizeof t);
  I magic_bits;
  std::memcpy(&magic_bits, &magic, sizeof magic);
  const I n = t_bits - magic_bits;
  const F nf = t - magic;
  const F r = (xc - nf * 0.693359375f) - nf * -2.12194440e-4f;  // 0.693359375 has 9 bits: nf * it is exact
  F p = F{} + 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  // 2^n as two normal powers of two: n in [-150, 129] splits into halves in [-75, 65].
  const I n1 = n >> 1, n2 = n - n1;
  const I b1 = (n1 + 127) << 23, b2 = (n2 + 127) << 23;
  F s1, s2;
  std::memcpy(&s1, &b1, sizeof s1);
  std::memcpy(&s2, &b2, sizeof s2);
  F y = p * s1 * s2;
  y = x != x ? x : y;
  std::memcpy(out, &y, sizeof y);
}

// sigmoid on the same lanes, from e = exp(-|x|) (never overflows): 1 / (1 + e) for x >= 0 and
// e / (1 + e) for x < 0, so that results down to the subnormal range stay accurate (1 / (1 + exp(-x))
// gives 0 for every x < -88.7). <= 3 ulp over the float range, tested like exp.
template <int W>
__attribute__((always_inline)) inline void sigmoid_lanes(const float* in, float* out) {
  using F = typename ExpLanes<W>::F;
  F x;
  std::memcpy(&x, in, sizeof x);
  F neg_abs = x < 0.0f ? x : -x;  // NaN stays NaN (the comparison is false)
  std::memcpy(out, &neg_abs, sizeof neg_abs);
  exp_lanes<W>(out, out);
  F e;
  std::memcpy(&e, out, sizeof e);
  const F r = 1.0f / (1.0f + e);
  F y = x < 0.0f ? e * r : r;
  std::memcpy(out, &y, sizeof y);
}

// out[i] = exp(in[i]) / sigmoid(in[i]) for n contiguous floats (in == out allowed).
void exp_f32(const float* in, float* out, int64_t n);
void sigmoid_f32(const float* in, float* out, int64_t n);

// exp of one float, the same arithmetic as the lanes of exp_f32 on the baseline width.
inline float exp_f32(float x) {
  float lanes[4] = {x, x, x, x};
  exp_lanes<4>(lanes, lanes);
  return lanes[0];
}
inline float sigmoid_f32(float x) {
  float lanes[4] = {x, x, x, x};
  sigmoid_lanes<4>(lanes, lanes);
  return lanes[0];
}

}  // namespace lt::cpu
