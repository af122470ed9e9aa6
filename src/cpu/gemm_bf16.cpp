// gemm_bf16 (gemm_bf16.h): the blocked GEMM of Goto and van de Geijn with an AVX512-BF16 micro-kernel.
//
// Note [bfloat16 GEMM layout]: vdpbf16ps multiplies, in each float32 lane j, the bfloat16 pair
// (b[2q][j], b[2q+1][j]) by a pair (a[i][2q], a[i][2q+1]) broadcast to all lanes, and adds both products
// to the lane. So B is packed as 32-bit pairs of consecutive rows (panels of kNr columns: pb[q][j]), and A
// as 32-bit pairs of consecutive columns (panels of kMr rows: pa[q][i]); an odd k is padded with a zero
// row/column. The micro-kernel keeps a kMr x kNr float32 tile (8 x 48: 24 of the 32 zmm registers) and
// per pair of k does 3 loads of B, 8 broadcasts of A and 24 vdpbf16ps. Loops: B is packed for all of k
// and up to kNc = 2016 columns (at most kPackedB bytes, in L3); then for each kMc = 96 rows of A, for each
// block of kKc = 512 values of k (A's panel 96 KiB, in L2; a B micro-panel 48 KiB, read from L2), the
// tiles accumulate into a 96 x 2016 float32 block (756 KiB, in L2) that is rounded once into C after the
// last block of k. C is thus written once; with the usual order (blocks of k outermost, float32 C in
// memory) every block of k read and wrote all of C: 2048^3 on one thread took 55 ms (blocks of 256) and
// 49 ms (512) of CPU time, plus a float32 result and a conversion pass. Threads split the larger of m and n
// and each packs its own panels.
#include "cpu/gemm_bf16.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/parallel.h"
#include "cpu/vec_convert.h"
#include "cpu/vec_dispatch.h"

#ifdef LT_HAVE_WIDE_VECTORS
// GCC 12's avx512fintrin.h trips -Wmaybe-uninitialized in its own _mm512_undefined_* (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#define LT_BF16 __attribute__((target("avx512f,avx512bf16,avx2")))
#endif

namespace lt::cpu {

namespace {

constexpr int64_t kMr = 8, kNv = 3, kNr = 16 * kNv, kKc = 512, kMc = 96, kNc = 42 * kNr;

// The 16-bit pattern of a(i, p), or 0 outside [0, rows) x [0, cols).
struct Operand {
  const uint16_t* p;
  int64_t rs, cs, rows, cols;
  uint32_t at(int64_t i, int64_t j) const { return i < rows && j < cols ? p[i * rs + j * cs] : 0u; }
};

#ifdef LT_HAVE_WIDE_VECTORS

uint32_t load_pair(const uint16_t* p) {  // two consecutive bfloat16, the first in the low half
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// pa[q * kMr + i] = a(i0 + i, p0 + 2q) | a(i0 + i, p0 + 2q + 1) << 16 for each kMr-row panel of rows
// [i0, i0 + mc) and columns [p0, p0 + kc); rows past m are zero. Full panels of a row-major A (a pair is
// one 32-bit load) or a column-major A (a panel row is two 8-element runs) skip the bounds checks.
LT_BF16 void pack_a(const Operand& a, int64_t i0, int64_t mc, int64_t p0, int64_t kc, uint32_t* pa) {
  const int64_t kq = (kc + 1) / 2;
  for (int64_t ir = 0; ir < mc; ir += kMr, pa += kMr * kq) {
    const int64_t r0 = i0 + ir;
    if (ir + kMr <= mc && kc % 2 == 0 && a.cs == 1) {
      for (int64_t i = 0; i < kMr; ++i) {
        const uint16_t* row = a.p + (r0 + i) * a.rs + p0;
        for (int64_t q = 0; q < kq; ++q) pa[q * kMr + i] = load_pair(row + 2 * q);
      }
      continue;
    }
    if (ir + kMr <= mc && kc % 2 == 0 && a.rs == 1) {
      for (int64_t q = 0; q < kq; ++q) {
        const uint16_t* col = a.p + (p0 + 2 * q) * a.cs + r0;
        const __m256i lo = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(col)));
        const __m256i hi = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(col + a.cs)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(pa + q * kMr), _mm256_or_si256(lo, _mm256_slli_epi32(hi, 16)));
      }
      continue;
    }
    for (int64_t q = 0; q < kq; ++q)
      for (int64_t i = 0; i < kMr; ++i) {
        const int64_t r = r0 + i, c = p0 + 2 * q;
        pa[q * kMr + i] = ir + i < mc ? a.at(r, c) | (c + 1 < p0 + kc ? a.at(r, c + 1) << 16 : 0u) : 0u;
      }
  }
}

// pb[q * kNr + j] = b(p0 + 2q, j0 + j) | b(p0 + 2q + 1, j0 + j) << 16 for each kNr-column panel of
// columns [j0, j0 + nc) and rows [p0, p0 + kc); columns past nc are zero. Full panels of a row-major B
// (16 pairs from two 16-element runs) or a column-major B (a pair is one 32-bit load) skip the checks.
LT_BF16 void pack_b(const Operand& b, int64_t p0, int64_t kc, int64_t j0, int64_t nc, uint32_t* pb) {
  const int64_t kq = (kc + 1) / 2;
  for (int64_t jr = 0; jr < nc; jr += kNr, pb += kNr * kq) {
    const int64_t c0 = j0 + jr;
    if (jr + kNr <= nc && kc % 2 == 0 && b.cs == 1) {
      for (int64_t q = 0; q < kq; ++q) {
        const uint16_t* row = b.p + (p0 + 2 * q) * b.rs + c0;
        for (int64_t v = 0; v < kNv; ++v) {
          const __m512i lo = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 16 * v)));
          const __m512i hi =
              _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + b.rs + 16 * v)));
          _mm512_storeu_si512(pb + q * kNr + 16 * v, _mm512_or_si512(lo, _mm512_slli_epi32(hi, 16)));
        }
      }
      continue;
    }
    if (jr + kNr <= nc && kc % 2 == 0 && b.rs == 1) {
      for (int64_t j = 0; j < kNr; ++j) {
        const uint16_t* col = b.p + (c0 + j) * b.cs + p0;
        for (int64_t q = 0; q < kq; ++q) pb[q * kNr + j] = load_pair(col + 2 * q);
      }
      continue;
    }
    for (int64_t q = 0; q < kq; ++q) {
      const int64_t r = p0 + 2 * q;
      const bool odd_end = r + 1 >= p0 + kc;
      for (int64_t j = 0; j < kNr; ++j) {
        const int64_t col = c0 + j;
        pb[q * kNr + j] = jr + j < nc ? b.at(r, col) | (odd_end ? 0u : b.at(r + 1, col) << 16) : 0u;
      }
    }
  }
}

// tile (kMr x kNr, row stride ldc) = or += the product of one A panel and one B panel over kq pairs.
LT_BF16 void micro_kernel(int64_t kq, const uint32_t* pa, const uint32_t* pb, float* tile, int64_t ldc,
                          bool accumulate) {
  __m512 acc[kMr][kNv];
#pragma GCC unroll 8
  for (int i = 0; i < kMr; ++i)
#pragma GCC unroll 3
    for (int v = 0; v < kNv; ++v) acc[i][v] = _mm512_setzero_ps();
  for (int64_t q = 0; q < kq; ++q, pa += kMr, pb += kNr) {
    __m512bh bv[kNv];
#pragma GCC unroll 3
    for (int v = 0; v < kNv; ++v) bv[v] = (__m512bh)_mm512_loadu_si512(pb + 16 * v);
#pragma GCC unroll 8
    for (int i = 0; i < kMr; ++i) {
      const __m512bh av = (__m512bh)_mm512_set1_epi32(static_cast<int>(pa[i]));
#pragma GCC unroll 3
      for (int v = 0; v < kNv; ++v) acc[i][v] = _mm512_dpbf16_ps(acc[i][v], av, bv[v]);
    }
  }
#pragma GCC unroll 8
  for (int i = 0; i < kMr; ++i)
#pragma GCC unroll 3
    for (int v = 0; v < kNv; ++v) {
      float* p = tile + i * ldc + 16 * v;
      _mm512_storeu_ps(p, accumulate ? _mm512_add_ps(_mm512_loadu_ps(p), acc[i][v]) : acc[i][v]);
    }
}

// Columns of B packed at once: all of k for up to kNc columns, within kPackedB bytes.
constexpr int64_t kPackedB = int64_t(4) << 20;

void store_row(const float* src, float* dst, int64_t n) { std::memcpy(dst, src, sizeof(float) * n); }
void store_row(const float* src, BFloat16* dst, int64_t n) { vec_convert(src, dst, n); }

// c[i0:i1, j0:j1] of the product (row stride ldc), with this thread's buffers: B packed for all of k,
// then per kMc rows of A the float32 sums in an L2-resident block (padded to whole tiles: no edge
// cases), accumulated over every k block and stored (rounded, for bfloat16) once.
template <typename Out>
void gemm_block(const Operand& a, const Operand& b, int64_t k, int64_t i0, int64_t i1, int64_t j0, int64_t j1, Out* c,
                int64_t ldc) {
  const int64_t kblocks = (k + kKc - 1) / kKc, kq_total = (k + kblocks) / 2 + 1;
  const int64_t nc_fit = std::max<int64_t>(kNr, kPackedB / (4 * kq_total) / kNr * kNr);
  const int64_t nc_max = std::min({kNc, nc_fit, (j1 - j0 + kNr - 1) / kNr * kNr});
  const int64_t mc_max = std::min(kMc, (i1 - i0 + kMr - 1) / kMr * kMr);
  std::vector<uint32_t> pb(static_cast<size_t>(nc_max * kq_total));
  std::vector<uint32_t> pa(static_cast<size_t>(mc_max * ((std::min(kKc, k) + 1) / 2)));
  std::vector<float> block(static_cast<size_t>(mc_max * nc_max));
  for (int64_t jc = j0; jc < j1; jc += nc_max) {
    const int64_t nc = std::min(nc_max, j1 - jc), nc_pad = (nc + kNr - 1) / kNr * kNr;
    for (int64_t pc = 0, off = 0; pc < k; off += nc_pad * ((std::min(kKc, k - pc) + 1) / 2), pc += kKc)
      pack_b(b, pc, std::min(kKc, k - pc), jc, nc, pb.data() + off);
    for (int64_t ic = i0; ic < i1; ic += kMc) {
      const int64_t mc = std::min(kMc, i1 - ic);
      for (int64_t pc = 0, off = 0; pc < k; pc += kKc) {
        const int64_t kc = std::min(kKc, k - pc), kq = (kc + 1) / 2;
        pack_a(a, ic, mc, pc, kc, pa.data());
        for (int64_t jr = 0; jr < nc; jr += kNr)
          for (int64_t ir = 0; ir < mc; ir += kMr)
            micro_kernel(kq, pa.data() + ir * kq, pb.data() + off + jr * kq, block.data() + ir * nc_pad + jr, nc_pad,
                         pc > 0);
        off += nc_pad * kq;
      }
      for (int64_t i = 0; i < mc; ++i) store_row(block.data() + i * nc_pad, c + (ic + i) * ldc + jc, nc);
    }
  }
}

#endif  // LT_HAVE_WIDE_VECTORS

}  // namespace

bool gemm_bf16_available() {
#ifdef LT_HAVE_WIDE_VECTORS
  static const bool ok = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && cpu_has_avx512_bf16();
  }();
  return ok;
#else
  return false;
#endif
}

namespace {

template <typename Out>
void gemm_bf16_impl(int64_t m, int64_t n, int64_t k, const BFloat16* a, int64_t a_rs, int64_t a_cs, const BFloat16* b,
                    int64_t b_rs, int64_t b_cs, Out* c) {
#ifdef LT_HAVE_WIDE_VECTORS
  const Operand oa{reinterpret_cast<const uint16_t*>(a), a_rs, a_cs, m, k};
  const Operand ob{reinterpret_cast<const uint16_t*>(b), b_rs, b_cs, k, n};
  if (k == 0) {
    std::fill(c, c + m * n, Out(0.0f));
    return;
  }
  // Split the larger dim into whole panels; a chunk is worth a thread from ~2M multiply-adds.
  const bool split_n = n >= m;
  const int64_t step = split_n ? kNr : kMr, panels = ((split_n ? n : m) + step - 1) / step;
  const double per_panel = double(step) * double(split_n ? m : n) * double(k);  // (no int64 overflow)
  const int64_t grain = per_panel >= double(1 << 21) ? 1 : static_cast<int64_t>(double(1 << 21) / per_panel);
  parallel_for(panels, grain, [&](int64_t p0, int64_t p1) {
    if (split_n)
      gemm_block(oa, ob, k, 0, m, p0 * kNr, std::min(n, p1 * kNr), c, n);
    else
      gemm_block(oa, ob, k, p0 * kMr, std::min(m, p1 * kMr), 0, n, c, n);
  });
#else
  (void)m, (void)n, (void)k, (void)a, (void)a_rs, (void)a_cs, (void)b, (void)b_rs, (void)b_cs, (void)c;
#endif
}

}  // namespace

void gemm_bf16(int64_t m, int64_t n, int64_t k, const BFloat16* a, int64_t a_rs, int64_t a_cs, const BFloat16* b,
               int64_t b_rs, int64_t b_cs, float* c) {
  gemm_bf16_impl(m, n, k, a, a_rs, a_cs, b, b_rs, b_cs, c);
}
void gemm_bf16(int64_t m, int64_t n, int64_t k, const BFloat16* a, int64_t a_rs, int64_t a_cs, const BFloat16* b,
               int64_t b_rs, int64_t b_cs, BFloat16* c) {
  gemm_bf16_impl(m, n, k, a, a_rs, a_cs, b, b_rs, b_cs, c);
}

}  // namespace lt::cpu
