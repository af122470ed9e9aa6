// The conversions of vec_convert.h, each written three times: scalar (half.h, the reference and the
// tails), AVX2 (+F16C) and AVX-512, and float32 -> bfloat16 a fourth time with AVX512-BF16; the widest
// this CPU runs is picked once at run time.
//
// Note [bfloat16 rounding in integers]: float32 -> bfloat16 is half.h's integer round-to-nearest-even
// sequence (x + 0x7fff + lsb, keep the top 16 bits; NaN -> 0x7FC0) on 8 or 16 lanes. The AVX512-BF16
// instruction vcvtneps2bf16 alone is not the same: it treats subnormal inputs as zero and flushes
// subnormal results (it ignores MXCSR) and keeps NaN payloads. Where the CPU has it, vectors without
// subnormal or NaN lanes use it (faster: the integer sequence ends in vpmovdw, slow here) and the others
// the integer sequence; tests/test_convert.cpp checks both against half.h.
//
// Note [float16 NaN]: F16C's vcvtps2ph rounds to nearest even and overflows to inf as half.h does, but it
// keeps the top NaN payload bits, where half.h (and c10) give sign | 0x7E00; NaN lanes are replaced by
// sign | qNaN before converting. In the other direction vcvtph2ps quiets signalling NaNs exactly as half.h
// (and torch) do (0x7C01 -> 0x7FC02000), so its result is used as it is.
#include "cpu/vec_convert.h"

#include "cpu/vec_dispatch.h"

#ifdef LT_HAVE_WIDE_VECTORS
// GCC 12's avx512fintrin.h trips -Wmaybe-uninitialized in its own _mm512_undefined_* (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "cpu/vec_convert_lanes.h"
#define LT_CVT_AVX2 __attribute__((target("avx2,fma,f16c")))
#define LT_CVT_AVX512 __attribute__((target("avx512f,avx2,fma,f16c")))
#define LT_CVT_BF16 __attribute__((target("avx512f,avx512bf16,avx2,fma,f16c")))
#endif

namespace lt::cpu {

namespace {

// ---- scalar: half.h itself ------------------------------------------------------------------------

template <typename To, typename From>
void scalar_convert(const From* in, To* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = To(static_cast<float>(in[i]));
}

#ifdef LT_HAVE_WIDE_VECTORS

// ---- AVX2 (+F16C) ---------------------------------------------------------------------------------

// 8 floats -> 8 bfloat16 in the low 16 bits of each 32-bit lane (Note [bfloat16 rounding in integers]).
LT_CVT_AVX2 inline __m256i bf16_round8(__m256 f) {
  const __m256i x = _mm256_castps_si256(f);
  const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(x, 16), _mm256_set1_epi32(1));
  const __m256i r = _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(x, _mm256_set1_epi32(0x7fff)), lsb), 16);
  const __m256i nan = _mm256_castps_si256(_mm256_cmp_ps(f, f, _CMP_UNORD_Q));
  return _mm256_blendv_epi8(r, _mm256_set1_epi32(0x7fc0), nan);
}

LT_CVT_AVX2 void avx2_f32_bf16(const float* in, BFloat16* out, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i lo = bf16_round8(_mm256_loadu_ps(in + i)), hi = bf16_round8(_mm256_loadu_ps(in + i + 8));
    // packus works within 128-bit halves: lo0 hi0 lo1 hi1 -> reorder the 64-bit quarters.
    const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi32(lo, hi), 0xd8);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), packed);
  }
  scalar_convert(in + i, out + i, n - i);
}

LT_CVT_AVX2 void avx2_bf16_f32(const BFloat16* in, float* out, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i h = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), _mm256_slli_epi32(h, 16));
  }
  scalar_convert(in + i, out + i, n - i);
}

LT_CVT_AVX2 void avx2_f32_f16(const float* in, Half* out, int64_t n) {
  const __m256 sign = _mm256_castsi256_ps(_mm256_set1_epi32(int32_t(0x80000000u)));
  const __m256 qnan = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fc00000));
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 f = _mm256_loadu_ps(in + i);
    const __m256 nan = _mm256_cmp_ps(f, f, _CMP_UNORD_Q);  // Note [float16 NaN]
    f = _mm256_blendv_ps(f, _mm256_or_ps(_mm256_and_ps(f, sign), qnan), nan);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm256_cvtps_ph(f, _MM_FROUND_TO_NEAREST_INT));
  }
  scalar_convert(in + i, out + i, n - i);
}

LT_CVT_AVX2 void avx2_f16_f32(const Half* in, float* out, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
    _mm256_storeu_ps(out + i, _mm256_cvtph_ps(h));  // NaNs quieted as half.h does: Note [float16 NaN]
  }
  scalar_convert(in + i, out + i, n - i);
}

LT_CVT_AVX2 void avx2_u8_f32(const uint8_t* in, float* out, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m128i b = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in + i));
    _mm256_storeu_ps(out + i, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(b)));
  }
  scalar_convert(in + i, out + i, n - i);
}

// ---- AVX-512 --------------------------------------------------------------------------------------

LT_CVT_AVX512 void avx512_f32_bf16(const float* in, BFloat16* out, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), lanes16::round_bf16(_mm512_loadu_ps(in + i)));
  avx2_f32_bf16(in + i, out + i, n - i);
}

LT_CVT_AVX512 void avx512_bf16_f32(const BFloat16* in, float* out, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, lanes16::widen(in + i));
  avx2_bf16_f32(in + i, out + i, n - i);
}

LT_CVT_AVX512 void avx512_f32_f16(const float* in, Half* out, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), lanes16::round_f16(_mm512_loadu_ps(in + i)));
  avx2_f32_f16(in + i, out + i, n - i);
}

LT_CVT_AVX512 void avx512_f16_f32(const Half* in, float* out, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, lanes16::widen(in + i));  // Note [float16 NaN]
  avx2_f16_f32(in + i, out + i, n - i);
}

LT_CVT_AVX512 void avx512_u8_f32(const uint8_t* in, float* out, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
    _mm512_storeu_ps(out + i, _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(b)));
  }
  avx2_u8_f32(in + i, out + i, n - i);
}

// ---- AVX-512 with AVX512-BF16 ---------------------------------------------------------------------

// Note [bfloat16 rounding in integers] says why vcvtneps2bf16 alone is not half.h's rounding: it flushes
// subnormals and keeps NaN payloads. It is right for every other input (RNE, overflow to inf, zeros), so
// a vector without subnormal or NaN lanes takes the instruction and only one with them the integer
// sequence: 1 thread, 16M elements, 2.7 ms instead of 4.8 ms (memcpy of the float32: 3.1 ms).
LT_CVT_BF16 void avx512bf16_f32_bf16(const float* in, BFloat16* out, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), lanes16::round_bf16_native(_mm512_loadu_ps(in + i)));
  avx512_f32_bf16(in + i, out + i, n - i);
}

#endif  // LT_HAVE_WIDE_VECTORS

enum class Width { Baseline, Avx2, Avx512, Avx512Bf16 };

// pick_width's rule, with F16C required for the AVX2 build (every AVX2 CPU has it, but check).
Width width() {
  static const Width w = [] {
#ifdef LT_HAVE_WIDE_VECTORS
    __builtin_cpu_init();
    const bool f16c = cpu_has_f16c();
    if (f16c && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma"))
      return cpu_has_avx512_bf16() ? Width::Avx512Bf16 : Width::Avx512;
    if (f16c && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Width::Avx2;
#endif
    return Width::Baseline;
  }();
  return w;
}

const VecConvertKernels kBaseline = {&scalar_convert<BFloat16, float>, &scalar_convert<float, BFloat16>,
                                     &scalar_convert<Half, float>, &scalar_convert<float, Half>,
                                     &scalar_convert<float, uint8_t>};
#ifdef LT_HAVE_WIDE_VECTORS
const VecConvertKernels kAvx2 = {&avx2_f32_bf16, &avx2_bf16_f32, &avx2_f32_f16, &avx2_f16_f32, &avx2_u8_f32};
const VecConvertKernels kAvx512 = {&avx512_f32_bf16, &avx512_bf16_f32, &avx512_f32_f16, &avx512_f16_f32,
                                   &avx512_u8_f32};
const VecConvertKernels kAvx512Bf16 = {&avx512bf16_f32_bf16, &avx512_bf16_f32, &avx512_f32_f16, &avx512_f16_f32,
                                       &avx512_u8_f32};
#endif

const VecConvertKernels& best() {
  static const VecConvertKernels& k = *vec_convert_kernels(static_cast<int>(width()));
  return k;
}

}  // namespace

const VecConvertKernels* vec_convert_kernels(int w) {
  if (w < 0 || w > static_cast<int>(width())) return nullptr;
#ifdef LT_HAVE_WIDE_VECTORS
  if (w == 3) return &kAvx512Bf16;
  if (w == 2) return &kAvx512;
  if (w == 1) return &kAvx2;
#endif
  return &kBaseline;
}

void vec_convert(const float* in, BFloat16* out, int64_t n) { best().f32_bf16(in, out, n); }
void vec_convert(const BFloat16* in, float* out, int64_t n) { best().bf16_f32(in, out, n); }
void vec_convert(const float* in, Half* out, int64_t n) { best().f32_f16(in, out, n); }
void vec_convert(const Half* in, float* out, int64_t n) { best().f16_f32(in, out, n); }
void vec_convert(const uint8_t* in, float* out, int64_t n) { best().u8_f32(in, out, n); }

const char* vec_convert_width() {
  switch (width()) {
    case Width::Avx512Bf16: return "avx512+bf16";
    case Width::Avx512: return "avx512";
    case Width::Avx2: return "avx2";
    default: return "baseline";
  }
}

}  // namespace lt::cpu
