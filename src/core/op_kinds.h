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
#define LT_BINARY_OPS(X)       \
  X(add, Add)                  \
  X(sub, Sub)                  \
  X(mul, Mul)                  \
  X(div, Div)                  \
  X(pow, Pow)                  \
  X(maximum, Maximum)          \
  X(minimum, Minimum)          \
  X(eq, Eq)                    \
  X(ne, Ne)                    \
  X(lt, Lt)                    \
  X(le, Le)                    \
  X(gt, Gt)                    \
  X(ge, Ge)                    \
  X(atan2, Atan2)              \
  X(remainder, Remainder)      \
  X(fmod, Fmod)                \
  X(floor_divide, FloorDivide) \
  X(logical_and, LogicalAnd)   \
  X(logical_or, LogicalOr)     \
  X(logical_xor, LogicalXor)   \
  X(bitwise_and, BitwiseAnd)   \
  X(bitwise_or, BitwiseOr)     \
  X(bitwise_xor, BitwiseXor)

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
#define LT_UNARY_OPS(X)     \
  X(neg, Neg)               \
  X(abs, Abs)               \
  X(exp, Exp)               \
  X(log, Log)               \
  X(sqrt, Sqrt)             \
  X(sin, Sin)               \
  X(cos, Cos)               \
  X(tanh, Tanh)             \
  X(sigmoid, Sigmoid)       \
  X(relu, Relu)             \
  X(exp2, Exp2)             \
  X(expm1, Expm1)           \
  X(log2, Log2)             \
  X(log10, Log10)           \
  X(log1p, Log1p)           \
  X(rsqrt, Rsqrt)           \
  X(square, Square)         \
  X(reciprocal, Reciprocal) \
  X(tan, Tan)               \
  X(asin, Asin)             \
  X(acos, Acos)             \
  X(atan, Atan)             \
  X(sinh, Sinh)             \
  X(cosh, Cosh)             \
  X(erf, Erf)               \
  X(erfc, Erfc)             \
  X(silu, Silu)             \
  X(floor, Floor)           \
  X(ceil, Ceil)             \
  X(round, Round)           \
  X(trunc, Trunc)           \
  X(frac, Frac)             \
  X(sign, Sign)             \
  X(isnan, Isnan)           \
  X(isinf, Isinf)           \
  X(isfinite, Isfinite)     \
  X(logical_not, LogicalNot)

namespace lt {

#define LT_ENUM_ENTRY(name, Enum) Enum,
enum class BinaryOp : int32_t { LT_BINARY_OPS(LT_ENUM_ENTRY) };
enum class UnaryOp : int32_t { LT_UNARY_OPS(LT_ENUM_ENTRY) };
#undef LT_ENUM_ENTRY

// The vectorised CPU kernels that exist (src/cpu/vec_math.h: vec_math for the one-argument forms,
// vec_pow for Pow). An op's definition names the one its CPU kernel runs (None: the definition's
// element function everywhere).
enum class VecOp { Exp, Sigmoid, Log, Sqrt, Sin, Cos, Tanh, Exp2, Expm1, Log1p, Erf, Silu, Pow, None };

enum class ReduceOp : int32_t { Sum, Prod, Mean, Var, Std, Max, Min, All, Any, ArgMax, ArgMin };

// The parameterised activations run by Backend::activation / activation_backward (element formulas in
// core/activation_math.h). Clamp is the scalar-bound clamp of floating tensors.
enum class ActivationOp : int32_t { Gelu, GeluTanh, Softplus, LeakyRelu, Elu, Clamp };

}  // namespace lt
