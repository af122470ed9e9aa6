// The tensor operations the autograd engine itself runs: summing grads that meet at a node or a leaf,
// undoing broadcasting, converting a grad to its input's dtype, cloning a grad before a leaf keeps it,
// the seed grad of backward(), and the device check of a grad passed to backward().
//
// They are ops: src/ops defines them and ops/ops.h includes this header. They are declared here because
// autograd sits below ops and may not include it (Note [layers] in cmake/TensorLayers.cmake): the
// dependency points down at a declaration, as c10's autograd reaches its ops through the dispatcher.
#pragma once
#include "core/op_kinds.h"
#include "core/shape.h"
#include "core/tensor.h"

namespace lt {

Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b);
inline Tensor add(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Add, a, b); }
Tensor clone(const Tensor& t);
Tensor to_dtype(const Tensor& t, DType dtype);
// Sums `grad` down to `shape` (undoes broadcasting): the one place autograd reduces broadcast grads.
Tensor sum_to(const Tensor& grad, const DimVector& shape);
Tensor full_like(const Tensor& t, double value);
// Throws Device unless all defined tensors share one device.
void check_same_device(const Tensor& a, const Tensor& b);

}  // namespace lt
