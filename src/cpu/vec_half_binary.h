// Add, subtract, multiply and divide of contiguous float16 / bfloat16 rows in one pass, for the CPU's
// binary kernels (cpu/binary_kernels.cpp).
//
// Note [fused half arithmetic]: half_row (Note [half rows]) widens a chunk of each input into a float32
// buffer, runs the float32 row and rounds the buffer into the output: four passes over L1 per chunk, and
// the widening passes, reading one input at a time in 1 KiB bursts, stalled on memory most of the row's
// time (16M bfloat16, one thread: 4.6-6.0 ms against 6.2 ms for the float32 add). For the four arithmetic
// ops on contiguous rows the AVX-512 build here widens 16 lanes of each input in registers, applies the
// float32 operation and rounds the lanes straight into the output. The float32 operation is IEEE's in
// both paths and the conversions are vec_convert's (same instructions, same NaN and subnormal handling),
// so the result is bit for bit half_row's; tests/test_half_rows.cpp compares them on every layout.
#pragma once
#include <cstdint>

#include "core/half.h"

namespace lt::cpu {

enum class HalfArith { Add, Sub, Mul, Div };

// out[i] = a[i] op b[i] computed in float32 and rounded once, for n contiguous elements (out may be a or
// b itself). Returns false, having written nothing, where this CPU has no such build: the caller then
// runs half_row.
bool half_arith_contiguous(HalfArith op, const Half* a, const Half* b, Half* out, int64_t n);
bool half_arith_contiguous(HalfArith op, const BFloat16* a, const BFloat16* b, BFloat16* out, int64_t n);

}  // namespace lt::cpu
