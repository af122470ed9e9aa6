// Vectorised conversions between float32 and the storage dtypes for contiguous rows: the hot part of
// every op on float16 / bfloat16 (Note [kernel dtype]: the ops layer converts operands to float32 and
// rounds results back; Note [half rows]: the CPU's elementwise kernels and sums widen chunk by chunk) and
// of loading uint8 images. The CPU copy kernel (copy_kernels.cpp) calls these for rows where both sides
// are contiguous, cpu/half_rows.h for contiguous chunks.
//
// Results are bit for bit those of core/half.h's scalar conversions (Note [half rounding]), NaN and
// subnormals included; tests/test_convert.cpp checks every 16-bit pattern and millions of float32 ones.
// The width is chosen at run time (cpu/vec_dispatch.h): AVX-512, AVX2 (+F16C for float16), or the
// scalar conversions of half.h.
#pragma once
#include <cstdint>

#include "core/half.h"

namespace lt::cpu {

// out[i] = in[i] converted, for n contiguous elements (in and out do not overlap).
void vec_convert(const float* in, BFloat16* out, int64_t n);
void vec_convert(const BFloat16* in, float* out, int64_t n);
void vec_convert(const float* in, Half* out, int64_t n);
void vec_convert(const Half* in, float* out, int64_t n);
void vec_convert(const uint8_t* in, float* out, int64_t n);

// Which of the builds runs on this CPU: "avx512+bf16", "avx512", "avx2" or "baseline" (tests, bench info).
const char* vec_convert_width();

// The builds, so that tests can check each one this CPU runs.
struct VecConvertKernels {
  void (*f32_bf16)(const float*, BFloat16*, int64_t);
  void (*bf16_f32)(const BFloat16*, float*, int64_t);
  void (*f32_f16)(const float*, Half*, int64_t);
  void (*f16_f32)(const Half*, float*, int64_t);
  void (*u8_f32)(const uint8_t*, float*, int64_t);
};
// width: 0 baseline, 1 AVX2+F16C, 2 AVX-512, 3 AVX-512 with AVX512-BF16 (float32 -> bfloat16 only differs);
// null when this CPU cannot run it.
const VecConvertKernels* vec_convert_kernels(int width);

}  // namespace lt::cpu
