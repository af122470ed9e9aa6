// float16 and bfloat16 <-> float32 for the reductions of 16-bit floats (Note [half reductions]).
// libtensor_dist is built on libtensor's public API only, so it cannot use libtensor's src/core/half.h;
// these follow the same rule as libtensor and c10: round to nearest even, values past the largest
// finite one become infinity, subnormals are kept, NaN stays a quiet NaN (float16 keeps its sign,
// bfloat16 is 0x7FC0). test_dist_half checks them against libtensor's own conversion (every 16-bit
// pattern widened; float32 values around every tie and a stride through all bits narrowed).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace tdist {

inline uint32_t bits_of(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

inline float float_of(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

struct Float16Format {
  static float widen(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
    if (exponent == 0) return std::copysign(static_cast<float>(mantissa) * 0x1p-24f, float_of(sign));
    if (exponent == 0x1f) return float_of(sign | 0x7f800000u | (mantissa << 13));
    return float_of(sign | ((exponent + 112u) << 23) | (mantissa << 13));  // rebias 15 -> 127
  }
  static uint16_t narrow(float f) {
    const uint32_t all = bits_of(f);
    const auto sign = static_cast<uint16_t>((all >> 16) & 0x8000u);
    const uint32_t magnitude = all & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u);   // NaN
    if (magnitude >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // >= 65520 (or inf): inf
    if (magnitude < 0x38800000u) {
      // Below 2^-14: a count of 2^-24 steps, which the scaling leaves exact and nearbyint rounds to
      // nearest even (the default rounding mode); 1024 steps is the smallest normal's encoding.
      return static_cast<uint16_t>(sign | static_cast<uint16_t>(std::nearbyint(std::fabs(f) * 0x1p24f)));
    }
    // Normal: 13 mantissa bits are dropped; adding just under half of their weight, plus the kept
    // lowest bit, rounds to nearest even, and a carry out of the mantissa correctly bumps the exponent.
    const uint32_t rounded = magnitude + 0xfffu + ((magnitude >> 13) & 1u);
    return static_cast<uint16_t>(sign | ((rounded - 0x38000000u) >> 13));  // rebias 127 -> 15
  }
};

struct BFloat16Format {
  static float widen(uint16_t b) { return float_of(static_cast<uint32_t>(b) << 16); }
  static uint16_t narrow(float f) {
    const uint32_t all = bits_of(f);
    if ((all & 0x7fffffffu) > 0x7f800000u) return 0x7fc0u;  // NaN, as c10
    return static_cast<uint16_t>((all + 0x7fffu + ((all >> 16) & 1u)) >> 16);
  }
};

}  // namespace tdist
