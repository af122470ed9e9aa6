// Run-time questions about an op, answered from its definition (Note [op definition] in core/op_def.h).
// Each goes through visit_def: one switch per table, expanded from it with no `default:`.
#pragma once
#include <type_traits>

#include "core/binary_defs.h"
#include "core/unary_defs.h"

namespace lt {

// Calls f(UnaryDef<op>{}) for the definition of a run-time op (and the same for binary ops): a question
// about every op is one lambda, `visit_def(op, [](auto def) { return decltype(def)::member; })`.
template <class F>
auto visit_def(UnaryOp op, F f) {
  switch (op) {
#define LT_CASE(name, Enum) \
  case UnaryOp::Enum: return f(UnaryDef<UnaryOp::Enum>{});
    LT_UNARY_OPS(LT_CASE)
#undef LT_CASE
  }
  return f(UnaryDef<UnaryOp::Neg>{});  // not reached: the switch covers every enumerator
}

template <class F>
auto visit_def(BinaryOp op, F f) {
  switch (op) {
#define LT_CASE(name, Enum) \
  case BinaryOp::Enum: return f(BinaryDef<BinaryOp::Enum>{});
    LT_BINARY_OPS(LT_CASE)
#undef LT_CASE
  }
  return f(BinaryDef<BinaryOp::Add>{});  // not reached
}

inline const char* op_name(UnaryOp op) {
  switch (op) {
#define LT_CASE(name, Enum) \
  case UnaryOp::Enum: return #name;
    LT_UNARY_OPS(LT_CASE)
#undef LT_CASE
  }
  return "";  // not reached: the switch covers every enumerator
}

inline const char* op_name(BinaryOp op) {
  switch (op) {
#define LT_CASE(name, Enum) \
  case BinaryOp::Enum: return #name;
    LT_BINARY_OPS(LT_CASE)
#undef LT_CASE
  }
  return "";
}

inline Inputs op_inputs(UnaryOp op) {
  return visit_def(op, [](auto def) { return decltype(def)::inputs; });
}
inline Inputs op_inputs(BinaryOp op) {
  return visit_def(op, [](auto def) { return decltype(def)::inputs; });
}

// The result is bool (binary comparisons and logical ops; unary predicates).
inline bool is_comparison(BinaryOp op) {
  return visit_def(op, [](auto def) { return decltype(def)::comparison; });
}
inline bool is_predicate(UnaryOp op) {
  return visit_def(op, [](auto def) { return decltype(def)::predicate; });
}

inline Grad op_grads(UnaryOp op) {
  return visit_def(op, [](auto def) { return decltype(def)::grads; });
}
inline Grad op_grads(BinaryOp op) {
  return visit_def(op, [](auto def) { return decltype(def)::grads; });
}

// Whether integer inputs with a zero divisor are refused (Note [integer division] in core/binary_defs.h).
inline bool is_integer_division(BinaryOp op) {
  return visit_def(op, [](auto def) { return decltype(def)::integer_division; });
}

// PyTorch's message when both inputs are bool, or nullptr when bool inputs are fine.
inline const char* bool_refusal(BinaryOp op) {
  return visit_def(op, [](auto def) -> const char* { return decltype(def)::bool_refusal; });
}

}  // namespace lt
