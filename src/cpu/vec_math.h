// Vectorised float32 and float64 math for the CPU kernels: exp, sigmoid, log, sqrt, sin, cos, tanh, exp2,
// expm1, log1p, erf, silu (float32 lanes; float64 exp2/expm1/log1p/erf run libm per lane), pow.
//
// glibc evaluates these one scalar call per element (expf ~2 ns, tanhf ~13 ns here); for 1M floats
// that made tanh 5x and sin 6x slower than libtorch. These evaluate a vector of lanes at a time
// (vec_lanes.h for float32, vec_lanes64.h for float64), the width chosen at run time (AVX-512, AVX2+FMA
// or the SSE2 baseline; see vec_math.cpp). Accuracy against a more precise reference over each op's
// range is tested in tests/test_vec_math.cpp. Worst errors measured there (float32 / float64, ulp):
// exp 1.0 / 0.94, sigmoid 2.7 / 2.3, log 0.77 / 0.81, sin 1.5 / 0.75, cos 1.5 / 0.73, tanh 1.3 / 1.2,
// sqrt exact; special values (0, -0, inf, NaN, subnormals) come out as libm's.
#pragma once
#include <cstdint>

#include "core/op_kinds.h"  // VecOp

namespace lt::cpu {

// out[i] = op(in[i]) for n contiguous elements (in == out allowed); op is one of Exp .. Silu.
void vec_math(VecOp op, const float* in, float* out, int64_t n);
void vec_math(VecOp op, const double* in, double* out, int64_t n);
// op of one element, the same arithmetic as the baseline-width lanes (for strided rows).
float vec_math(VecOp op, float x);
double vec_math(VecOp op, double x);

// out[i] = pow(x[i * x_step], y[i * y_step]) for n elements, each step 0 (one value for all) or 1
// (contiguous); out may alias a contiguous x or y. Exponents 2, 3, 0.5, -0.5, -1, -2 take arithmetic
// shortcuts (Note [pow shortcuts] in vec_pow_lanes.h), other float32 powers go through float64 lanes
// (Note [float32 pow]), other float64 powers through libm. Worst errors measured in
// tests/test_vec_math.cpp.
void vec_pow(const float* x, int64_t x_step, const float* y, int64_t y_step, float* out, int64_t n);
void vec_pow(const double* x, int64_t x_step, const double* y, int64_t y_step, double* out, int64_t n);

}  // namespace lt::cpu
