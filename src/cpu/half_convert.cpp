// The contiguous float32 <-> 16-bit conversions of cpu/half_convert.h (the half rows' widening and
// rounding, Note [half rows]) are those of cpu/vec_convert.h: AVX-512 or AVX2+F16C where the CPU has them,
// bit-identical to core/half.h's scalar conversions (tests/test_convert.cpp).
#include "cpu/half_convert.h"

#include "cpu/vec_convert.h"

namespace lt::cpu {

void widen_to_float(const Half* src, float* dst, int64_t n) { vec_convert(src, dst, n); }
void widen_to_float(const BFloat16* src, float* dst, int64_t n) { vec_convert(src, dst, n); }
void narrow_from_float(const float* src, Half* dst, int64_t n) { vec_convert(src, dst, n); }
void narrow_from_float(const float* src, BFloat16* dst, int64_t n) { vec_convert(src, dst, n); }

}  // namespace lt::cpu
