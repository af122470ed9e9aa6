// The builds of sum_widened (Note [half sum order] in vec_half_sum.h): a buffered baseline and AVX-512.
#include "cpu/vec_half_sum.h"

#include <algorithm>

#include "cpu/reduce_simd.h"
#include "cpu/vec_convert.h"
#include "cpu/vec_dispatch.h"

#ifdef LT_HAVE_WIDE_VECTORS
// GCC 12's avx512fintrin.h trips -Wmaybe-uninitialized in its own _mm512_undefined_* (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#define LT_HSUM_AVX512 __attribute__((target("avx512f,avx2,fma,f16c")))
#endif

namespace lt::cpu {

namespace {

// Baseline: each block widened (vec_convert, itself vectorised where the CPU allows) into an L1-sized
// buffer and summed by sum_contiguous<float>. A one-block call returns 0 + block, and adding that to the
// running total gives the bits of adding the block itself (the total starts at +0 and never is -0).
template <typename H>
double buffered_sum(const H* p, int64_t n) {
  alignas(64) float buf[kSumBlock];
  double total = 0;
  while (n > 0) {
    const int64_t b = std::min(n, kSumBlock);
    vec_convert(p, buf, b);
    total += sum_contiguous(buf, b);
    p += b;
    n -= b;
  }
  return total;
}

#ifdef LT_HAVE_WIDE_VECTORS

LT_HSUM_AVX512 inline __m512 widen16(const BFloat16* p) {
  const __m512i h = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  return _mm512_castsi512_ps(_mm512_slli_epi32(h, 16));
}
LT_HSUM_AVX512 inline __m512 widen16(const Half* p) {
  return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));  // exact, as half.h
}

// A block's total from its 16 lane sums: lanes 4k..4k+3 are sum_contiguous's vector a_k, so this is its
// hsum((a0 + a1) + (a2 + a3)) (float vector adds, then the four lanes in order in double).
LT_HSUM_AVX512 inline double block_total(__m512 acc) {
  const __m256 lo = _mm512_castps512_ps256(acc);
  const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc), 1));
  const __m128 v = _mm_add_ps(_mm_add_ps(_mm256_castps256_ps128(lo), _mm256_extractf128_ps(lo, 1)),
                              _mm_add_ps(_mm256_castps256_ps128(hi), _mm256_extractf128_ps(hi, 1)));
  alignas(16) float f[4];
  _mm_store_ps(f, v);
  double s = 0;
  for (int k = 0; k < 4; ++k) s += static_cast<double>(f[k]);
  return s;
}

template <typename H>
LT_HSUM_AVX512 double avx512_sum(const H* p, int64_t n) {
  constexpr int64_t B = kSumBlock;
  double total = 0;
  for (; n >= 4 * B; p += 4 * B, n -= 4 * B) {  // four whole blocks side by side
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (int64_t i = 0; i < B; i += 16) {
      a0 = _mm512_add_ps(a0, widen16(p + i));
      a1 = _mm512_add_ps(a1, widen16(p + B + i));
      a2 = _mm512_add_ps(a2, widen16(p + 2 * B + i));
      a3 = _mm512_add_ps(a3, widen16(p + 3 * B + i));
    }
    total += block_total(a0);
    total += block_total(a1);
    total += block_total(a2);
    total += block_total(a3);
  }
  for (; n > 0;) {  // the last blocks one at a time, the last one with its tail
    const int64_t b = std::min(n, B);
    __m512 a = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 16 <= b; i += 16) a = _mm512_add_ps(a, widen16(p + i));
    double block = block_total(a);
    for (; i < b; ++i) block += static_cast<double>(static_cast<float>(p[i]));
    total += block;
    p += b;
    n -= b;
  }
  return total;
}

#endif  // LT_HAVE_WIDE_VECTORS

const VecHalfSumKernels kBaseline = {&buffered_sum<Half>, &buffered_sum<BFloat16>};
#ifdef LT_HAVE_WIDE_VECTORS
const VecHalfSumKernels kAvx512 = {&avx512_sum<Half>, &avx512_sum<BFloat16>};
#endif

bool has_avx512() {
#ifdef LT_HAVE_WIDE_VECTORS
  static const bool yes = [] {
    __builtin_cpu_init();
    return cpu_has_f16c() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
  }();
  return yes;
#else
  return false;
#endif
}

const VecHalfSumKernels& best() {
  static const VecHalfSumKernels& k = *vec_half_sum_kernels(has_avx512() ? 1 : 0);
  return k;
}

}  // namespace

const VecHalfSumKernels* vec_half_sum_kernels(int width) {
#ifdef LT_HAVE_WIDE_VECTORS
  if (width == 1 && has_avx512()) return &kAvx512;
#endif
  return width == 0 ? &kBaseline : nullptr;
}

double sum_widened(const Half* p, int64_t n) { return best().f16(p, n); }
double sum_widened(const BFloat16* p, int64_t n) { return best().bf16(p, n); }

}  // namespace lt::cpu
