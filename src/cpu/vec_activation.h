// The parameterised activations (ActivationOp) over contiguous float32 rows, at the CPU's widest vectors
// (cpu/vec_dispatch.h), on the lanes of cpu/vec_lanes.h. Same formulas as core/activation_math.h, whose
// scalar form the float64 rows and CUDA run; the float32 lanes differ from it by a few ulp (gelu's erf is
// Note [float32 erf]'s, not libm's). A clamp with a NaN bound is the caller's (the lanes take numbers).
#pragma once
#include <cstdint>

#include "core/op_kinds.h"  // ActivationOp

namespace lt::cpu {

// y[i] = op(x[i]; p0, p1) for n elements (x == y allowed).
void vec_activation(ActivationOp op, const float* x, float* y, int64_t n, float p0, float p1);
// gi[i] = g[i] * op'(x[i]; p0, p1), PyTorch's derivative (activation_grad); gi may alias g or x.
void vec_activation_backward(ActivationOp op, const float* g, const float* x, float* gi, int64_t n, float p0,
                             float p1);

}  // namespace lt::cpu
