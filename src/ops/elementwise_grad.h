// Backward formulas of the elementwise ops (elementwise_grad.cpp), called by elementwise.cpp when the
// graph is being recorded.
#pragma once
#include <memory>

#include "core/tensor.h"
#include "core/op_kinds.h"

namespace lt {

class Node;

void record_binary_grad(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b);
void record_binary_scalar_grad(BinaryOp op, const Tensor& out, const Tensor& a, double s);
void record_unary_grad(UnaryOp op, const Tensor& out, const Tensor& a);
void record_where_grad(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b);
// In place t = t_old op other; `old_value` is a copy of t_old when the formula needs it (else undefined).
Tensor inplace_saved_old_value(BinaryOp op, const Tensor& t);
// The grad nodes of in-place writes, made (with their edges from the target's current history) before
// the write and attached with set_history after it: Note [in-place failure atomicity] in elementwise.cpp.
std::shared_ptr<Node> prepare_inplace_binary_grad(BinaryOp op, const Tensor& t, const Tensor& old_value,
                                                  const Tensor& other);
std::shared_ptr<Node> prepare_copy_grad(const Tensor& dst, const Tensor& src);
std::shared_ptr<Node> prepare_fill_grad();

}  // namespace lt
