// The 16-lane float32 <-> float16 / bfloat16 conversions, shared by vec_convert.cpp (whole buffers) and
// vec_half_binary.cpp (fused arithmetic), so both round exactly the same way: Note [bfloat16 rounding in
// integers] and Note [float16 NaN] in vec_convert.cpp. Include only where LT_HAVE_WIDE_VECTORS is defined,
// after <immintrin.h>; callers carry at least the same target attributes.
#pragma once
#include <immintrin.h>

#include "core/half.h"

#define LT_LANES_AVX512 __attribute__((target("avx512f,avx2,fma,f16c")))
#define LT_LANES_BF16 __attribute__((target("avx512f,avx512bf16,avx2,fma,f16c")))

namespace lt::cpu::lanes16 {

LT_LANES_AVX512 inline __m512 widen(const BFloat16* p) {
  const __m512i h = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  return _mm512_castsi512_ps(_mm512_slli_epi32(h, 16));
}

// vcvtph2ps quiets signalling NaNs as half.h does (Note [float16 NaN]).
LT_LANES_AVX512 inline __m512 widen(const Half* p) {
  return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}

// half.h's integer round-to-nearest-even sequence; NaN -> 0x7FC0.
LT_LANES_AVX512 inline __m256i round_bf16(__m512 f) {
  const __m512i x = _mm512_castps_si512(f);
  const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(x, 16), _mm512_set1_epi32(1));
  __m512i r = _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(x, _mm512_set1_epi32(0x7fff)), lsb), 16);
  r = _mm512_mask_mov_epi32(r, _mm512_cmp_ps_mask(f, f, _CMP_UNORD_Q), _mm512_set1_epi32(0x7fc0));
  return _mm512_cvtepi32_epi16(r);
}

// Whether vcvtneps2bf16 would differ from round_bf16 on some lane: a subnormal or NaN lane.
LT_LANES_AVX512 inline bool needs_integer_bf16(__m512 f) {
  const __m512i x = _mm512_castps_si512(f);
  const __m512i exponent = _mm512_set1_epi32(0x7f800000), mantissa = _mm512_set1_epi32(0x007fffff);
  const __mmask16 subnormal = _mm512_mask_testn_epi32_mask(_mm512_test_epi32_mask(x, mantissa), x, exponent);
  return (subnormal | _mm512_cmp_ps_mask(f, f, _CMP_UNORD_Q)) != 0;
}

// round_bf16 with the AVX512-BF16 instruction wherever it gives the same bits.
LT_LANES_BF16 inline __m256i round_bf16_native(__m512 f) {
  return needs_integer_bf16(f) ? round_bf16(f) : (__m256i)_mm512_cvtneps_pbh(f);
}

// vcvtps2ph with NaN lanes replaced by sign | qNaN first (Note [float16 NaN]).
LT_LANES_AVX512 inline __m256i round_f16(__m512 f) {
  const __m512i sign = _mm512_set1_epi32(int32_t(0x80000000u)), qnan = _mm512_set1_epi32(0x7fc00000);
  const __m512i canon = _mm512_or_si512(_mm512_and_si512(_mm512_castps_si512(f), sign), qnan);
  const __m512 g = _mm512_mask_mov_ps(f, _mm512_cmp_ps_mask(f, f, _CMP_UNORD_Q), _mm512_castsi512_ps(canon));
  return _mm512_cvtps_ph(g, _MM_FROUND_TO_NEAREST_INT);
}

}  // namespace lt::cpu::lanes16
