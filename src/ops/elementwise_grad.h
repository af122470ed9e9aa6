// Backward formulas of the elementwise ops (elementwise_grad.cpp), called by elementwise.cpp when the
// graph is being recorded.
#pragma once
#include "core/tensor.h"
#include "core/op_kinds.h"

namespace lt {

void record_binary_grad(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b);
void record_binary_scalar_grad(BinaryOp op, const Tensor& out, const Tensor& a, double s);
void record_unary_grad(UnaryOp op, const Tensor& out, const Tensor& a);
void record_where_grad(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b);
// In place t = t_old op other; `old_value` is a copy of t_old when the formula needs it (else undefined).
Tensor inplace_saved_old_value(BinaryOp op, const Tensor& t);
void record_inplace_binary_grad(BinaryOp op, const Tensor& t, const Tensor& old_value, const Tensor& other);
void record_copy_grad(const Tensor& dst, const Tensor& src);
void record_fill_grad(const Tensor& t);

}  // namespace lt
