// Scalar forms of the contiguous float32 <-> 16-bit conversions (cpu/half_convert.h). The bfloat16 ones
// are branch-free integer arithmetic, which the compiler vectorises; float16 needs F16C or AVX-512 for
// speed.
#include "cpu/half_convert.h"

namespace lt::cpu {

void widen_to_float(const Half* src, float* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = half_bits_to_float(src[i].bits);
}

void widen_to_float(const BFloat16* src, float* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = bits_float(uint32_t(src[i].bits) << 16);
}

void narrow_from_float(const float* src, Half* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i].bits = float_to_half_bits(src[i]);
}

void narrow_from_float(const float* src, BFloat16* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const uint32_t x = float_bits(src[i]);
    const uint16_t rounded = uint16_t((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
    dst[i].bits = (x & 0x7fffffffu) > 0x7f800000u ? uint16_t(0x7fc0) : rounded;  // NaN: 0x7FC0 as c10
  }
}

}  // namespace lt::cpu
