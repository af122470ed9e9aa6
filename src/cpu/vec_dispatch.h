// Run-time choice of the vector width for the CPU's vector loops. The library is built for the x86-64
// baseline so that it runs on every x86-64 CPU; a hot loop is compiled three times, for the baseline,
// AVX2+FMA and AVX-512 (target attributes), and the widest the CPU reports is picked once.
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#define LT_HAVE_WIDE_VECTORS 1
#define LT_AVX2 __attribute__((target("avx2,fma")))
#define LT_AVX512 __attribute__((target("avx512f,avx2,fma")))
#endif

namespace lt::cpu {

// The widest of three builds of a loop that this CPU runs (baseline only off x86-64).
template <typename Fn>
Fn pick_width(Fn baseline, [[maybe_unused]] Fn avx2, [[maybe_unused]] Fn avx512) {
#ifdef LT_HAVE_WIDE_VECTORS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) return avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return avx2;
#endif
  return baseline;
}

#ifdef LT_HAVE_WIDE_VECTORS
// Whether the CPU has the AVX512-BF16 instructions (vdpbf16ps, vcvtneps2bf16): CPUID leaf 7, sub-leaf 1,
// EAX bit 5. Read directly because __builtin_cpu_supports("avx512bf16") is GCC-only (clang 14, which
// builds the fuzzer, rejects the name). Callers also check avx512f, which covers the OS saving the state.
inline bool cpu_has_avx512_bf16() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return false;
  return ((a >> 5) & 1u) != 0;
}

// F16C (vcvtph2ps / vcvtps2ph): CPUID leaf 1, ECX bit 29 (clang 14 has no "f16c" in __builtin_cpu_supports).
inline bool cpu_has_f16c() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
  return ((c >> 29) & 1u) != 0;
}
#endif

}  // namespace lt::cpu
