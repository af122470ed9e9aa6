// The AVX-512 builds of half_arith_contiguous (Note [fused half arithmetic] in vec_half_binary.h). The
// roundings repeat vec_convert.cpp's: Note [bfloat16 rounding in integers] and Note [float16 NaN].
#include "cpu/vec_half_binary.h"

#include <type_traits>

#include "cpu/vec_dispatch.h"

#ifdef LT_HAVE_WIDE_VECTORS
// GCC 12's avx512fintrin.h trips -Wmaybe-uninitialized in its own _mm512_undefined_* (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#define LT_HB_AVX512 __attribute__((target("avx512f,avx2,fma,f16c")))
#define LT_HB_BF16 __attribute__((target("avx512f,avx512bf16,avx2,fma,f16c")))
#endif

namespace lt::cpu {

namespace {

template <HalfArith op>
inline float apply(float x, float y) {
  if constexpr (op == HalfArith::Add) return x + y;
  if constexpr (op == HalfArith::Sub) return x - y;
  if constexpr (op == HalfArith::Mul) return x * y;
  return x / y;
}

// The tail: half.h's scalar conversions, which the vector ones equal bit for bit.
template <HalfArith op, typename H>
void scalar_rows(const H* a, const H* b, H* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = H(apply<op>(float(a[i]), float(b[i])));
}

#ifdef LT_HAVE_WIDE_VECTORS

template <HalfArith op>
LT_HB_AVX512 inline __m512 apply16(__m512 x, __m512 y) {
  if constexpr (op == HalfArith::Add) return _mm512_add_ps(x, y);
  if constexpr (op == HalfArith::Sub) return _mm512_sub_ps(x, y);
  if constexpr (op == HalfArith::Mul) return _mm512_mul_ps(x, y);
  return _mm512_div_ps(x, y);
}

template <HalfArith op>
LT_HB_AVX512 void avx512_f16(const Half* a, const Half* b, Half* out, int64_t n) {
  const __m512i sign = _mm512_set1_epi32(int32_t(0x80000000u)), qnan = _mm512_set1_epi32(0x7fc00000);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 x = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i)));
    const __m512 y = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i)));
    const __m512 f = apply16<op>(x, y);
    const __m512i canon = _mm512_or_si512(_mm512_and_si512(_mm512_castps_si512(f), sign), qnan);
    const __m512 g = _mm512_mask_mov_ps(f, _mm512_cmp_ps_mask(f, f, _CMP_UNORD_Q), _mm512_castsi512_ps(canon));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), _mm512_cvtps_ph(g, _MM_FROUND_TO_NEAREST_INT));
  }
  scalar_rows<op>(a + i, b + i, out + i, n - i);
}

LT_HB_AVX512 inline __m512 widen_bf16(const BFloat16* p) {
  const __m512i h = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  return _mm512_castsi512_ps(_mm512_slli_epi32(h, 16));
}

// 16 floats rounded to bfloat16 by half.h's integer sequence (the lanes with subnormals or NaN).
LT_HB_AVX512 inline __m256i bf16_round16(__m512 f) {
  const __m512i x = _mm512_castps_si512(f);
  const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(x, 16), _mm512_set1_epi32(1));
  __m512i r = _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(x, _mm512_set1_epi32(0x7fff)), lsb), 16);
  r = _mm512_mask_mov_epi32(r, _mm512_cmp_ps_mask(f, f, _CMP_UNORD_Q), _mm512_set1_epi32(0x7fc0));
  return _mm512_cvtepi32_epi16(r);
}

template <HalfArith op>
LT_HB_BF16 void avx512bf16_bf16(const BFloat16* a, const BFloat16* b, BFloat16* out, int64_t n) {
  const __m512i exponent = _mm512_set1_epi32(0x7f800000), mantissa = _mm512_set1_epi32(0x007fffff);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 f = apply16<op>(widen_bf16(a + i), widen_bf16(b + i));
    const __m512i x = _mm512_castps_si512(f);
    const __mmask16 subnormal = _mm512_mask_testn_epi32_mask(_mm512_test_epi32_mask(x, mantissa), x, exponent);
    const __m256i r =
        (subnormal | _mm512_cmp_ps_mask(f, f, _CMP_UNORD_Q)) ? bf16_round16(f) : (__m256i)_mm512_cvtneps_pbh(f);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), r);
  }
  scalar_rows<op>(a + i, b + i, out + i, n - i);
}

template <HalfArith op>
LT_HB_AVX512 void avx512_bf16(const BFloat16* a, const BFloat16* b, BFloat16* out, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i r = bf16_round16(apply16<op>(widen_bf16(a + i), widen_bf16(b + i)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), r);
  }
  scalar_rows<op>(a + i, b + i, out + i, n - i);
}

// 0: no build; 1: AVX-512 (F16C); 2: AVX-512 with AVX512-BF16.
int width() {
  static const int w = [] {
    __builtin_cpu_init();
    if (!cpu_has_f16c() || !__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("fma")) return 0;
    return cpu_has_avx512_bf16() ? 2 : 1;
  }();
  return w;
}

template <typename H, class F>
bool dispatch(HalfArith op, F&& f) {
  switch (op) {
    case HalfArith::Add: f(std::integral_constant<HalfArith, HalfArith::Add>{}); break;
    case HalfArith::Sub: f(std::integral_constant<HalfArith, HalfArith::Sub>{}); break;
    case HalfArith::Mul: f(std::integral_constant<HalfArith, HalfArith::Mul>{}); break;
    case HalfArith::Div: f(std::integral_constant<HalfArith, HalfArith::Div>{}); break;
  }
  return true;
}

#endif  // LT_HAVE_WIDE_VECTORS

}  // namespace

bool half_arith_contiguous([[maybe_unused]] HalfArith op, [[maybe_unused]] const Half* a,
                           [[maybe_unused]] const Half* b, [[maybe_unused]] Half* out, [[maybe_unused]] int64_t n) {
#ifdef LT_HAVE_WIDE_VECTORS
  if (width() == 0) return false;
  return dispatch<Half>(op, [&](auto k) { avx512_f16<decltype(k)::value>(a, b, out, n); });
#else
  return false;
#endif
}

bool half_arith_contiguous([[maybe_unused]] HalfArith op, [[maybe_unused]] const BFloat16* a,
                           [[maybe_unused]] const BFloat16* b, [[maybe_unused]] BFloat16* out,
                           [[maybe_unused]] int64_t n) {
#ifdef LT_HAVE_WIDE_VECTORS
  const int w = width();
  if (w == 0) return false;
  if (w == 2) return dispatch<BFloat16>(op, [&](auto k) { avx512bf16_bf16<decltype(k)::value>(a, b, out, n); });
  return dispatch<BFloat16>(op, [&](auto k) { avx512_bf16<decltype(k)::value>(a, b, out, n); });
#else
  return false;
#endif
}

}  // namespace lt::cpu
