// The two 16-bit floating types, float16 (IEEE binary16) and bfloat16 (the top half of a float32), as
// storage types: they hold bits, convert to and from float32, and compute nothing themselves. Kernels
// compute in float32 and round once (Note [kernel dtype] in src/ops/kernel_dtype.h), as PyTorch does.
//
// Note [half rounding]: float32 -> 16 bits rounds to nearest even; values beyond the largest finite
// value round to infinity (float16: >= 65520), NaN stays NaN (quiet; float16 keeps the sign, bfloat16 is
// 0x7FC0 as in c10), subnormals are produced and read exactly. float64 goes through float32 first, as
// c10::Half(double) does, so that results equal PyTorch's bit for bit.
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "core/philox.h"  // LT_HOST_DEVICE

namespace lt {

LT_HOST_DEVICE uint32_t float_bits(float f) {
#ifdef __CUDA_ARCH__
  return __float_as_uint(f);
#else
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
#endif
}
LT_HOST_DEVICE float bits_float(uint32_t u) {
#ifdef __CUDA_ARCH__
  return __uint_as_float(u);
#else
  float f;
  std::memcpy(&f, &u, 4);
  return f;
#endif
}

LT_HOST_DEVICE uint16_t float_to_half_bits(float f) {
  uint32_t x = float_bits(f);
  const uint16_t sign = uint16_t((x >> 16) & 0x8000u);
  x &= 0x7fffffffu;
  if (x >= 0x7f800000u) return uint16_t(sign | (x > 0x7f800000u ? 0x7e00u : 0x7c00u));  // NaN, inf
  if (x >= 0x477ff000u) return uint16_t(sign | 0x7c00u);  // >= 65520: rounds to inf
  if (x < 0x38800000u) {
    // Below 2^-14: a subnormal (or zero). Adding 0.5f puts the value's 2^-24 steps in the low bits of
    // the float32 mantissa, and the hardware addition rounds them to nearest even; a carry out of the
    // ten bits gives 0x400, the encoding of the smallest normal, which is the right answer.
    const float shifted = bits_float(x) + 0.5f;
    return uint16_t(sign | (float_bits(shifted) - 0x3f000000u));
  }
  // Normal: rebias the exponent (127 -> 15) and round the 13 dropped bits to nearest even; a mantissa
  // carry moves into the exponent, which is the right result.
  const uint32_t odd = (x >> 13) & 1u;
  x += 0xc8000fffu + odd;  // -0x38000000 (rebias) + 0xfff (half an ulp minus one) + odd (ties to even)
  return uint16_t(sign | (x >> 13));
}

LT_HOST_DEVICE float half_bits_to_float(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  const uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
  // inf, or NaN quieted as the hardware conversion (vcvtph2ps) and torch do: 0x7C01 -> 0x7FC02000.
  if (e == 0x1f) return bits_float(sign | 0x7f800000u | (m ? 0x400000u | (m << 13) : 0u));
  if (e == 0) return bits_float(sign | float_bits(float(m) * 0x1p-24f));  // zero or subnormal: exact
  return bits_float(sign | ((e + 112u) << 23) | (m << 13));
}

LT_HOST_DEVICE uint16_t float_to_bfloat16_bits(float f) {
  const uint32_t x = float_bits(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) return 0x7fc0;  // NaN
  return uint16_t((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}

LT_HOST_DEVICE float bfloat16_bits_to_float(uint16_t b) { return bits_float(uint32_t(b) << 16); }

// Implicit conversions both ways, as c10::Half: generic code (printing, scalar reads) can treat them as
// floats; arithmetic on them is float arithmetic, rounded when stored back.
struct Half {
  uint16_t bits;
  Half() = default;
  // Any arithmetic value, through float32 (as c10 converts).
  template <typename T, typename = std::enable_if_t<std::is_arithmetic<T>::value>>
  LT_HOST_DEVICE Half(T v) : bits(float_to_half_bits(static_cast<float>(v))) {}
  LT_HOST_DEVICE operator float() const { return half_bits_to_float(bits); }
  LT_HOST_DEVICE static Half from_bits(uint16_t b) {
    Half h;
    h.bits = b;
    return h;
  }
};

struct BFloat16 {
  uint16_t bits;
  BFloat16() = default;
  // Any arithmetic value, through float32 (as c10 converts).
  template <typename T, typename = std::enable_if_t<std::is_arithmetic<T>::value>>
  LT_HOST_DEVICE BFloat16(T v) : bits(float_to_bfloat16_bits(static_cast<float>(v))) {}
  LT_HOST_DEVICE operator float() const { return bfloat16_bits_to_float(bits); }
  LT_HOST_DEVICE static BFloat16 from_bits(uint16_t b) {
    BFloat16 h;
    h.bits = b;
    return h;
  }
};

template <typename T>
inline constexpr bool is_half_type = std::is_same<T, Half>::value || std::is_same<T, BFloat16>::value;

static_assert(sizeof(Half) == 2 && sizeof(BFloat16) == 2, "16-bit storage types");

}  // namespace lt
