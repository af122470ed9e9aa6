// Contiguous conversions between float32 and the 16-bit floating types (core/half.h), bit-identical to
// the scalar conversions: float16 and bfloat16 -> float32 exactly, float32 -> 16 bits rounded to nearest
// even. Used by the copy kernel and by the half-precision elementwise rows (Note [half rows]).
#pragma once
#include <cstdint>

#include "core/half.h"

namespace lt::cpu {

void widen_to_float(const Half* src, float* dst, int64_t n);
void widen_to_float(const BFloat16* src, float* dst, int64_t n);
void narrow_from_float(const float* src, Half* dst, int64_t n);
void narrow_from_float(const float* src, BFloat16* dst, int64_t n);

}  // namespace lt::cpu
