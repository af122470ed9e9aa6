// Sum of a contiguous float16 / bfloat16 run, accumulated exactly as the float32 sum of its widened
// values (sum_contiguous<float> of cpu/reduce_simd.h, Note [float sum accuracy]).
//
// Note [half sum order]: sum_contiguous<float> cuts the run into blocks of kSumBlock elements; in a block,
// float lane l (of 16: four 4-float vectors) adds elements l, l + 16, l + 32, ... in turn, the block's
// total is hsum((a0 + a1) + (a2 + a3)) in double plus its tail (the last n % 16 elements) in double, and
// the block totals are added in order into a double. The AVX-512 build here widens 16 halves into one
// 16-lane register per step, which is the same sixteen lane sums, and folds four blocks side by side
// (four independent accumulators, one per block, so the additions of one block stay in order) to hide the
// add latency; the other builds widen a block into a float32 buffer and call sum_contiguous<float> on it.
// Every build returns the bits that sum_contiguous<float> returns on the float32 copy of the run, so a
// half sum equals the float32 sum of the converted tensor rounded once (tests/test_half_rows.cpp).
#pragma once
#include <cstdint>

#include "core/half.h"

namespace lt::cpu {

// sum_contiguous<float> of the n values at p widened to float32 (Note [half sum order]).
double sum_widened(const Half* p, int64_t n);
double sum_widened(const BFloat16* p, int64_t n);

// The builds, so that tests can check each one this CPU runs: width 0 the buffered baseline, 1 AVX-512
// (null when this CPU cannot run it).
struct VecHalfSumKernels {
  double (*f16)(const Half*, int64_t);
  double (*bf16)(const BFloat16*, int64_t);
};
const VecHalfSumKernels* vec_half_sum_kernels(int width);

}  // namespace lt::cpu
