// Float32 row primitives of the softmax family and the class-index losses (cpu/nn_kernels.cpp), at the
// CPU's widest vectors (cpu/vec_dispatch.h) on the exp lanes of cpu/vec_lanes.h. Each is one pass over
// contiguous memory, so a softmax row is three passes (max, exp + sum, scale) that stay in L1 for the
// row sizes of classifiers; the float64 rows and CUDA keep the scalar loops of nn_kernels.cpp.
#pragma once
#include <cstdint>

namespace lt::cpu {

// The largest of x[0..n), NaN ignored (-inf for n == 0). Callers need no NaN rule here: a NaN element
// makes the exp sum below NaN, and with it every output of the row, as PyTorch's NaN-propagating max does.
float vec_row_max(const float* x, int64_t n);
// The sum of exp(x[i] - shift); y[i] = exp(x[i] - shift) as well when y is not null (y may alias x).
float vec_exp_sum(const float* x, float shift, float* y, int64_t n);
// y[i] = x[i] * a (y may alias x).
void vec_scale(const float* x, float a, float* y, int64_t n);
// y[i] = x[i] - a (y may alias x).
void vec_shift(const float* x, float a, float* y, int64_t n);
// The sum of x[i], and of x[i] * y[i].
float vec_sum(const float* x, int64_t n);
float vec_dot(const float* x, const float* y, int64_t n);
// softmax's grad: gi[i] = y[i] * (g[i] - s), s = dot(g, y). gi may alias g.
void vec_softmax_grad(const float* g, const float* y, float s, float* gi, int64_t n);
// log_softmax's grad: gi[i] = g[i] - exp(y[i]) * s, s = sum(g). gi may alias g.
void vec_log_softmax_grad(const float* g, const float* y, float s, float* gi, int64_t n);
// cross_entropy's grad without class weights: out[i] = a * exp(x[i] - shift) - b.
void vec_exp_affine(const float* x, float shift, float a, float b, float* out, int64_t n);

}  // namespace lt::cpu
