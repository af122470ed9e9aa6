// Small tensor helpers the grad formulas use (the op definitions in core/unary_defs.h and
// core/binary_defs.h call them by argument-dependent lookup, so they live in namespace lt).
#pragma once
#include "ops/ops.h"

namespace lt {

// t * s for a double s.
inline Tensor scale(const Tensor& t, double s) { return binary_scalar(BinaryOp::Mul, t, s); }
// Zeros of t's shape, dtype and device.
inline Tensor zeros_like(const Tensor& t) { return full_like(t, 0.0); }
// Ones of t's shape, dtype and device.
inline Tensor ones_like(const Tensor& t) { return full_like(t, 1.0); }
// 1 where cond is true, 0 elsewhere, in like's dtype.
inline Tensor mask(const Tensor& cond, const Tensor& like) { return to_dtype(cond, like.dtype()); }

}  // namespace lt
