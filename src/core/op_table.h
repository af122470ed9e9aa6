// Run-time questions about an op, answered from its definition (Note [op definition] in core/op_def.h).
// Each is a switch expanded from the table with no `default:`.
#pragma once
#include "core/binary_defs.h"
#include "core/unary_defs.h"

namespace lt {

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
  switch (op) {
#define LT_CASE(name, Enum) \
  case UnaryOp::Enum: return UnaryDef<UnaryOp::Enum>::inputs;
    LT_UNARY_OPS(LT_CASE)
#undef LT_CASE
  }
  return Inputs::All;
}

inline Inputs op_inputs(BinaryOp op) {
  switch (op) {
#define LT_CASE(name, Enum) \
  case BinaryOp::Enum: return BinaryDef<BinaryOp::Enum>::inputs;
    LT_BINARY_OPS(LT_CASE)
#undef LT_CASE
  }
  return Inputs::All;
}

inline bool is_comparison(BinaryOp op) {
  switch (op) {
#define LT_CASE(name, Enum) \
  case BinaryOp::Enum: return BinaryDef<BinaryOp::Enum>::comparison;
    LT_BINARY_OPS(LT_CASE)
#undef LT_CASE
  }
  return false;
}

// PyTorch's message when both inputs are bool, or nullptr when bool inputs are fine.
inline const char* bool_refusal(BinaryOp op) {
  switch (op) {
#define LT_CASE(name, Enum) \
  case BinaryOp::Enum: return BinaryDef<BinaryOp::Enum>::bool_refusal;
    LT_BINARY_OPS(LT_CASE)
#undef LT_CASE
  }
  return nullptr;
}

}  // namespace lt
