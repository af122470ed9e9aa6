// A bfloat16 GEMM on the AVX512-BF16 dot-product instruction (vdpbf16ps), for CPUs that have it: the
// CPU matmul's bfloat16 path (Note [half matmul] in cpu/matmul.cpp). Debian's OpenBLAS 0.3.21 ships no
// cblas_sbgemm, and converting to float32 for sgemm runs at float32 speed; vdpbf16ps multiplies two
// pairs of bfloat16 per float32 lane, twice the multiply-adds of an FMA per instruction.
#pragma once
#include <cstdint>

#include "core/half.h"

namespace lt::cpu {

// Whether this CPU runs gemm_bf16 (AVX512-F and AVX512-BF16).
bool gemm_bf16_available();

// c[i * n + j] = sum_p a(i, p) * b(p, j) in float32, where a(i, p) = a[i * a_rs + p * a_cs] and
// b(p, j) = b[p * b_rs + j * b_cs] (any strides, 0 included). Products of bfloat16 are exact in float32
// and are summed in float32 (in blocks of 512, then across blocks); as the instruction (and oneDNN,
// which PyTorch uses) does, subnormal inputs and sums count as zero. Runs on get_num_threads() threads.
// Only call when gemm_bf16_available().
void gemm_bf16(int64_t m, int64_t n, int64_t k, const BFloat16* a, int64_t a_rs, int64_t a_cs, const BFloat16* b,
               int64_t b_rs, int64_t b_cs, float* c);
// The same sums, each rounded once to bfloat16 (the bfloat16 matmul's result).
void gemm_bf16(int64_t m, int64_t n, int64_t k, const BFloat16* a, int64_t a_rs, int64_t a_cs, const BFloat16* b,
               int64_t b_rs, int64_t b_cs, BFloat16* c);

}  // namespace lt::cpu
