// Vectorised float32 math for the CPU kernels: exp, sigmoid, log, sqrt, sin, cos, tanh.
//
// glibc evaluates these one scalar call per element (expf ~2 ns, tanhf ~13 ns here); for 1M floats
// that made tanh 5x and sin 6x slower than libtorch. These evaluate W lanes at a time (vec_lanes.h), the
// width chosen at run time (AVX-512, AVX2+FMA or the SSE2 baseline; see vec_math.cpp). Accuracy against
// double-precision libm over the float range (tests/test_vec_math.cpp; worst measured in brackets):
// exp <= 2 ulp (1.0), sigmoid <= 3 (2.7), log <= 1 (0.77), sin / cos <= 2 (1.5), tanh <= 2 (1.3), sqrt
// exact; special values (0, -0, inf, NaN, subnormals) as libm.
#pragma once
#include <cstdint>

namespace lt::cpu {

enum class VecOp { Exp, Sigmoid, Log, Sqrt, Sin, Cos, Tanh };

// out[i] = op(in[i]) for n contiguous floats (in == out allowed).
void vec_f32(VecOp op, const float* in, float* out, int64_t n);
// op of one float, the same arithmetic as the baseline-width lanes (for strided rows).
float vec_f32(VecOp op, float x);

}  // namespace lt::cpu
