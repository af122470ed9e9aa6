// The op tables: one row per elementwise op, in any order. A row only names the op (its C name and its
// enumerator); everything else about it — flags, the per-element function, the CPU vector form, the
// test reference and domain, the grad formula — is its definition, UnaryDef<op> (core/unary_defs.h) or
// BinaryDef<op> (core/binary_defs.h). The enums, the C shims (capi/elementwise.cpp), the kernel
// dispatch on both backends, the grad nodes and the generated tests are expanded from these rows, so a
// row without a definition does not compile (Note [op definition] in core/op_def.h). To add an op run
// scripts/new_op.py, or follow docs/architecture.md "How to add an op".
#pragma once
#include <cstdint>

// X(c_name, Enum)
#define LT_BINARY_OPS(X) \
  X(add, Add)            \
  X(sub, Sub)            \
  X(mul, Mul)            \
  X(div, Div)            \
  X(pow, Pow)            \
  X(maximum, Maximum)    \
  X(minimum, Minimum)    \
  X(eq, Eq)              \
  X(ne, Ne)              \
  X(lt, Lt)              \
  X(le, Le)              \
  X(gt, Gt)              \
  X(ge, Ge)

// Binary ops that also have a `tensor_<name>_scalar` form; their BinaryDef has a scalar grad.
#define LT_SCALAR_OPS(X) \
  X(add, Add)            \
  X(sub, Sub)            \
  X(mul, Mul)            \
  X(div, Div)            \
  X(pow, Pow)

// Binary ops that have an in-place `tensor_<name>_` form.
#define LT_INPLACE_OPS(X) \
  X(add, Add)             \
  X(sub, Sub)             \
  X(mul, Mul)             \
  X(div, Div)

// X(c_name, Enum)
#define LT_UNARY_OPS(X) \
  X(neg, Neg)           \
  X(abs, Abs)           \
  X(exp, Exp)           \
  X(log, Log)           \
  X(sqrt, Sqrt)         \
  X(sin, Sin)           \
  X(cos, Cos)           \
  X(tanh, Tanh)         \
  X(sigmoid, Sigmoid)   \
  X(relu, Relu)

namespace lt {

#define LT_ENUM_ENTRY(name, Enum) Enum,
enum class BinaryOp : int32_t { LT_BINARY_OPS(LT_ENUM_ENTRY) };
enum class UnaryOp : int32_t { LT_UNARY_OPS(LT_ENUM_ENTRY) };
#undef LT_ENUM_ENTRY

// The vectorised CPU kernels that exist (src/cpu/vec_math.h: vec_math for the one-argument forms,
// vec_pow for Pow). An op's definition names the one its CPU kernel runs (None: the definition's
// element function everywhere).
enum class VecOp { Exp, Sigmoid, Log, Sqrt, Sin, Cos, Tanh, Pow, None };

enum class ReduceOp : int32_t { Sum, Prod, Mean, Var, Std, Max, Min, All, Any, ArgMax, ArgMin };

}  // namespace lt
