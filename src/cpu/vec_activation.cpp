// Vector lanes of the parameterised activations (see vec_activation.h): each op is one always-inlined
// lane function, compiled into a baseline, an AVX2+FMA and an AVX-512 loop and picked once per CPU.
#include "cpu/vec_activation.h"

#include <cstring>

#include "core/activation_math.h"  // act_const
#include "cpu/vec_dispatch.h"
#include "cpu/vec_lanes.h"

// The lanes pass vectors by value, always inlined (see vec_lanes.h).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lt::cpu {

namespace {

// Note [gelu's exp]: gelu's exponentials take -z^2 or -x^2 / 2, never a positive argument, so exp_v's
// upper clamp and NaN blend are not needed (a NaN argument comes with a NaN factor: the product is NaN
// anyway). Arguments below -80 give 0: there erfc(|z|) < 1.2e-36 and the pdf < 7.3e-36, so the results
// they make (gelu of x < -12.65 and its grad) are below 1e-34 in magnitude, and computing them went
// through subnormal floats, which cost a microcode assist per operation: gelu of the (4096,1024) result
// of a linear layer (entries of standard deviation 32, half of them in that tail) took 7.9 ms instead of
// 1.3 ms on this machine's AMD EPYC. PyTorch's float32 gelu returns -0 there too (from x < -5.5 on, where
// 1 + erf rounds to 0). From -80 up, 2^n (n >= -116) scales the polynomial by one integer add to its
// exponent where exp_v multiplies by two halves of 2^n: the same product, so the results are exp_v's bit
// for bit there; the margin to -87 keeps the products of these results (erfc's, the grad's) normal too.
// With the add for the two multiplies, the float32 gelu loop took 315 instead of 450 us per 1M elements
// on one core (AVX-512).
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F exp_nonpositive(typename Lanes<W>::F v) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  const auto tiny = v < -80.0f;
  const F vc = tiny ? F{} - 80.0f : v;
  I n;
  const F nf = round_lanes<W>(vc * 1.44269504088896341f, n);
  const F r = (vc - nf * 0.693359375f) - nf * -2.12194440e-4f;  // as exp_v
  const F e = bits_as<F>(bits_as<I>(exp_poly<W>(r)) + (n << 23));
  return tiny ? F{} : e;
}

// Note [gelu's erf]: 1 + erf(z) for gelu by Abramowitz & Stegun 7.1.26, the formula of PyTorch's own
// vectorised float erf: erfc(|z|) = P(t) t exp(-z^2), t = 1 / (1 + p|z|), |error in erf| <= 1.5e-7, taken
// as erfc(|z|) itself for negative z so that the negative tail does not cancel. It costs half of
// Note [float32 erf]'s erfc (one exp, one division, 5 multiply-adds instead of 11: measured 0.50 against
// 1.10 ms per 1M float32 on one core), which the unary erf keeps for its 2 ulp.
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F one_plus_erf(typename Lanes<W>::F z) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  const F az = bits_as<F>(bits_as<I>(z) & 0x7fffffff);
  const F t = 1.0f / (1.0f + 0.3275911f * az);
  const F p = ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t;
  // Note [gelu's exp]
  const F c = p * exp_nonpositive<W>(-(az * az));
  return z < 0.0f ? c : 2.0f - c;  // NaN takes 2 - c: NaN
}

// Note [gelu's centre]: gelu's forward takes erf(z) for |z| <= 2.5 (|x| <= 3.54: every lane of 99.4% of
// the 16-lane vectors of a standard normal input) from one polynomial, without exp or division:
// erf(z) = z P(s), s = z^2 * 2 / 2.5^2 - 1 in [-1, 1], P of degree 10 (least squares at 3000 Chebyshev
// nodes of s against mpmath, weighted by z). Fit error 3e-8; after float32 rounding 1.9e-7 absolute, the
// bound of Note [gelu's erf] (gelu measures <= 4.0e-7 from its float64 value either way; relative, at
// x = -3.5: 3.6e-4 against 2.3e-4). A vector with a lane beyond computes that lane by Note [gelu's erf]
// too, so each result depends on its own x only. The gelu loop took 260 instead of 390 us per 1M
// standard normal elements on one core (AVX-512); inputs that mix both sides in most vectors pay for
// both (4M of standard deviation 32: 2.4 instead of 1.5 ms).
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F erf_centre(typename Lanes<W>::F z) {
  using F = typename Lanes<W>::F;
  const F s = (z * z) * 0.32f - 1.0f;
  F p = F{} + 8.221730241e-05f;
  p = p * s + -3.411604266e-04f;
  p = p * s + 9.702291572e-04f;
  p = p * s + -2.884334186e-03f;
  p = p * s + 8.082168177e-03f;
  p = p * s + -2.004216053e-02f;
  p = p * s + 4.414046183e-02f;
  p = p * s + -8.646181971e-02f;
  p = p * s + 1.521729976e-01f;
  p = p * s + -2.545413673e-01f;
  p = p * s + 5.586599708e-01f;
  return z * p;
}

template <ActivationOp op, int W>
__attribute__((always_inline)) inline typename Lanes<W>::F forward_lanes(typename Lanes<W>::F x, float p0, float p1) {
  using namespace act_const;
  using F = typename Lanes<W>::F;
  if constexpr (op == ActivationOp::Gelu) {  // Note [gelu's centre]
    using I = typename Lanes<W>::I;
    const F z = x * float(kSqrt1_2);
    const F half_x = 0.5f * x;
    // 1 + erf, then the product (not an fma, which makes gelu(-0) +0). A NaN is not beyond: the centre
    // gives NaN.
    const F centre = half_x * (1.0f + erf_centre<W>(z));
    const auto beyond = bits_as<F>(bits_as<I>(z) & 0x7fffffff) > 2.5f;
    if (__builtin_expect(!any_lane(beyond), 1)) return centre;
    return beyond ? half_x * one_plus_erf<W>(z) : centre;
  } else if constexpr (op == ActivationOp::GeluTanh) {
    const F inner = float(kSqrt2OverPi) * (x + float(kKappa) * x * x * x);
    return 0.5f * x * (1.0f + tanh_v<W>(inner));
  } else if constexpr (op == ActivationOp::Softplus) {
    const F bx = x * p0;
    const F soft = log1p_v<W>(exp_v<W>(bx)) / p0;
    return bx > p1 ? x : soft;
  } else if constexpr (op == ActivationOp::LeakyRelu) {
    return x > 0.0f ? x : x * p0;  // NaN takes x * slope: NaN
  } else if constexpr (op == ActivationOp::Elu) {
    return x > 0.0f ? x : p0 * expm1_v<W>(x);
  } else {  // Clamp with number bounds: a NaN x fails both comparisons and stays
    const F lo = x < p0 ? F{} + p0 : x;
    return lo > p1 ? F{} + p1 : lo;
  }
}

template <ActivationOp op, int W>
__attribute__((always_inline)) inline typename Lanes<W>::F backward_lanes(typename Lanes<W>::F g,
                                                                          typename Lanes<W>::F x, float p0, float p1) {
  using namespace act_const;
  using F = typename Lanes<W>::F;
  if constexpr (op == ActivationOp::Gelu) {
    const F cdf = 0.5f * one_plus_erf<W>(x * float(kSqrt1_2));
    const F pdf = float(kInvSqrt2Pi) * exp_nonpositive<W>(-0.5f * x * x);
    return g * (cdf + x * pdf);
  } else if constexpr (op == ActivationOp::GeluTanh) {
    const F x2 = x * x;
    const F t = tanh_v<W>(float(kSqrt2OverPi) * (x + float(kKappa) * x2 * x));
    const F left = 0.5f * x;
    const F right_d = left * (1.0f - t * t) * float(kSqrt2OverPi) * (1.0f + float(3 * kKappa) * x2);
    return g * (0.5f * (1.0f + t) + right_d);
  } else if constexpr (op == ActivationOp::Softplus) {
    const F bx = x * p0;
    const F z = exp_v<W>(bx);
    return bx > p1 ? g : g * z / (z + 1.0f);
  } else if constexpr (op == ActivationOp::LeakyRelu) {
    return x > 0.0f ? g : g * p0;
  } else if constexpr (op == ActivationOp::Elu) {
    return x > 0.0f ? g : g * p0 * exp_v<W>(x);
  } else {
    // GCC 12 compiles these two compares lane by lane in the AVX-512 loop (every form tried: AND-ed
    // masks, nested selects, integer masks); the AVX2 loop vectorises. Left so: clamp's backward is no
    // benchmark case yet.
    return ((x >= p0) & (x <= p1)) ? g : F{};
  }
}

// The n < W elements left at the end, the other lanes zero (a valid input of every op).
template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F load_tail(const float* p, int64_t n) {
  typename Lanes<W>::F v = {};
  std::memcpy(&v, p, sizeof(float) * static_cast<size_t>(n));
  return v;
}

template <int W>
__attribute__((always_inline)) inline typename Lanes<W>::F load(const float* p) {
  typename Lanes<W>::F v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <ActivationOp op, int W>
__attribute__((always_inline)) inline void forward_loop(const float* x, float* y, int64_t n, float p0, float p1) {
  int64_t i = 0;
  for (; i + W <= n; i += W) {
    const auto v = load<W>(x + i);
    if constexpr (op == ActivationOp::Elu) {
      if (!any_lane(v <= 0.0f)) {  // no lane needs expm1 (as PyTorch's kernel checks): elu(x) = x
        std::memcpy(y + i, &v, sizeof v);
        continue;
      }
    }
    const auto r = forward_lanes<op, W>(v, p0, p1);
    std::memcpy(y + i, &r, sizeof r);
  }
  if (i < n) {
    const auto r = forward_lanes<op, W>(load_tail<W>(x + i, n - i), p0, p1);
    std::memcpy(y + i, &r, sizeof(float) * static_cast<size_t>(n - i));
  }
}

template <ActivationOp op, int W>
__attribute__((always_inline)) inline void backward_loop(const float* g, const float* x, float* gi, int64_t n,
                                                         float p0, float p1) {
  int64_t i = 0;
  for (; i + W <= n; i += W) {
    const auto r = backward_lanes<op, W>(load<W>(g + i), load<W>(x + i), p0, p1);
    std::memcpy(gi + i, &r, sizeof r);
  }
  if (i < n) {
    const auto r = backward_lanes<op, W>(load_tail<W>(g + i, n - i), load_tail<W>(x + i, n - i), p0, p1);
    std::memcpy(gi + i, &r, sizeof(float) * static_cast<size_t>(n - i));
  }
}

using ForwardFn = void (*)(const float*, float*, int64_t, float, float);
using BackwardFn = void (*)(const float*, const float*, float*, int64_t, float, float);

template <ActivationOp op>
void forward_baseline(const float* x, float* y, int64_t n, float p0, float p1) {
  forward_loop<op, 4>(x, y, n, p0, p1);
}
template <ActivationOp op>
void backward_baseline(const float* g, const float* x, float* gi, int64_t n, float p0, float p1) {
  backward_loop<op, 4>(g, x, gi, n, p0, p1);
}

#ifdef LT_HAVE_WIDE_VECTORS
template <ActivationOp op>
LT_AVX2 void forward_avx2(const float* x, float* y, int64_t n, float p0, float p1) {
  forward_loop<op, 8>(x, y, n, p0, p1);
}
template <ActivationOp op>
LT_AVX512 void forward_avx512(const float* x, float* y, int64_t n, float p0, float p1) {
  forward_loop<op, 16>(x, y, n, p0, p1);
}
template <ActivationOp op>
LT_AVX2 void backward_avx2(const float* g, const float* x, float* gi, int64_t n, float p0, float p1) {
  backward_loop<op, 8>(g, x, gi, n, p0, p1);
}
template <ActivationOp op>
LT_AVX512 void backward_avx512(const float* g, const float* x, float* gi, int64_t n, float p0, float p1) {
  backward_loop<op, 16>(g, x, gi, n, p0, p1);
}
template <ActivationOp op>
ForwardFn pick_forward() {
  return pick_width<ForwardFn>(forward_baseline<op>, forward_avx2<op>, forward_avx512<op>);
}
template <ActivationOp op>
BackwardFn pick_backward() {
  return pick_width<BackwardFn>(backward_baseline<op>, backward_avx2<op>, backward_avx512<op>);
}
#else
template <ActivationOp op>
ForwardFn pick_forward() {
  return forward_baseline<op>;
}
template <ActivationOp op>
BackwardFn pick_backward() {
  return backward_baseline<op>;
}
#endif

// Indexed by ActivationOp.
const ForwardFn g_forward[] = {pick_forward<ActivationOp::Gelu>(),      pick_forward<ActivationOp::GeluTanh>(),
                               pick_forward<ActivationOp::Softplus>(),  pick_forward<ActivationOp::LeakyRelu>(),
                               pick_forward<ActivationOp::Elu>(),       pick_forward<ActivationOp::Clamp>()};
const BackwardFn g_backward[] = {pick_backward<ActivationOp::Gelu>(),     pick_backward<ActivationOp::GeluTanh>(),
                                 pick_backward<ActivationOp::Softplus>(), pick_backward<ActivationOp::LeakyRelu>(),
                                 pick_backward<ActivationOp::Elu>(),      pick_backward<ActivationOp::Clamp>()};
static_assert(sizeof(g_forward) / sizeof(g_forward[0]) == static_cast<size_t>(ActivationOp::Clamp) + 1,
              "one loop per ActivationOp");

}  // namespace

void vec_activation(ActivationOp op, const float* x, float* y, int64_t n, float p0, float p1) {
  g_forward[static_cast<int>(op)](x, y, n, p0, p1);
}

void vec_activation_backward(ActivationOp op, const float* g, const float* x, float* gi, int64_t n, float p0,
                             float p1) {
  g_backward[static_cast<int>(op)](g, x, gi, n, p0, p1);
}

}  // namespace lt::cpu
