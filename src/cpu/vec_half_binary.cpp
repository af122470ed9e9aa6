// The AVX-512 builds of half_arith_contiguous (Note [fused half arithmetic] in vec_half_binary.h). The
// conversions are vec_convert's own 16-lane ones (cpu/vec_convert_lanes.h).
#include "cpu/vec_half_binary.h"

#include <type_traits>

#include "cpu/vec_dispatch.h"

#ifdef LT_HAVE_WIDE_VECTORS
// GCC 12's avx512fintrin.h trips -Wmaybe-uninitialized in its own _mm512_undefined_* (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "cpu/vec_convert_lanes.h"
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

// With two NaN operands x86 returns the first source's NaN, and which that is after inlining is the
// compiler's choice; tests/test_half_rows.cpp compares NaN signs with half_row's too. Written as x, y, f
// (a refactor to apply16<op>(widen(a), widen(b)) changed the sign of NaN + NaN with GCC 12).
template <HalfArith op>
LT_HB_AVX512 void avx512_f16(const Half* a, const Half* b, Half* out, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 x = lanes16::widen(a + i), y = lanes16::widen(b + i);
    const __m512 f = apply16<op>(x, y);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), lanes16::round_f16(f));
  }
  scalar_rows<op>(a + i, b + i, out + i, n - i);
}

template <HalfArith op>
LT_HB_BF16 void avx512bf16_bf16(const BFloat16* a, const BFloat16* b, BFloat16* out, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 x = lanes16::widen(a + i), y = lanes16::widen(b + i);
    const __m512 f = apply16<op>(x, y);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), lanes16::round_bf16_native(f));
  }
  scalar_rows<op>(a + i, b + i, out + i, n - i);
}

template <HalfArith op>
LT_HB_AVX512 void avx512_bf16(const BFloat16* a, const BFloat16* b, BFloat16* out, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 x = lanes16::widen(a + i), y = lanes16::widen(b + i);
    const __m512 f = apply16<op>(x, y);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), lanes16::round_bf16(f));
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
