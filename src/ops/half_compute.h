// Note [half compute]: the float-only op families (softmax and the class losses, activations, linear,
// normalisation, pooling, convolution, scans) have kernels for float32 and float64 only. On float16 and
// bfloat16 they run as PyTorch's CPU kernels do (opmath): the operands widened to float32, the op in
// float32, the result rounded once to the half type. The widening and the rounding are to_dtype, which
// records ToCopyBackward0, so autograd runs the op's own float32 backward between two conversions and
// the grads come out in the parameters' half dtype (rounded once). The rounding of the result is
// half_result, whose grad node carries the op's own name (SoftmaxBackward0 ...), as PyTorch's grad_fn.
#pragma once
#include <initializer_list>

#include "ops/ops.h"

namespace lt {

inline bool is_half(DType t) { return t == DType::Float16 || t == DType::BFloat16; }

// Whether `t` is a half type and every defined operand in `others` has t's dtype (mixed dtypes fall
// through to the op's own dtype checks and their messages).
inline bool runs_widened(const Tensor& t, std::initializer_list<const Tensor*> others = {}) {
  if (!is_half(t.dtype())) return false;
  for (const Tensor* o : others)
    if (o->defined() && o->dtype() != t.dtype()) return false;
  return true;
}

// t in float32 (recorded), undefined stays undefined.
inline Tensor widened(const Tensor& t) { return t.defined() ? to_dtype(t, DType::Float32) : t; }

// The float32 result `y` of an op run on widened operands, rounded once to the half `dtype`; when y has a
// grad node, the result's node takes its name and passes the grad back to it in float32.
Tensor half_result(const Tensor& y, DType dtype);

}  // namespace lt
