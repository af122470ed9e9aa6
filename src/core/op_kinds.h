// The op tables. Every elementwise and reduction op is listed once here; the enums, the C shims
// (capi/elementwise.cpp), the CPU/CUDA kernels, the grad formulas and the tests are generated from or
// driven by these lists. To add an op, add a row and follow docs/architecture.md "How to add an op".
#pragma once
#include <cstdint>

// X(c_name, Enum, "PyTorchGradName", is_comparison)
#define LT_BINARY_OPS(X)             \
  X(add, Add, "AddBackward0", 0)     \
  X(sub, Sub, "SubBackward0", 0)     \
  X(mul, Mul, "MulBackward0", 0)     \
  X(div, Div, "DivBackward0", 0)     \
  X(pow, Pow, "PowBackward1", 0)     \
  X(maximum, Maximum, "MaximumBackward0", 0) \
  X(minimum, Minimum, "MinimumBackward0", 0) \
  X(eq, Eq, "", 1)                   \
  X(ne, Ne, "", 1)                   \
  X(lt, Lt, "", 1)                   \
  X(le, Le, "", 1)                   \
  X(gt, Gt, "", 1)                   \
  X(ge, Ge, "", 1)

// Binary ops that also have a `tensor_<name>_scalar` form. X(c_name, Enum, "PyTorchGradName")
#define LT_SCALAR_OPS(X)         \
  X(add, Add, "AddBackward0")    \
  X(sub, Sub, "SubBackward0")    \
  X(mul, Mul, "MulBackward0")    \
  X(div, Div, "DivBackward0")    \
  X(pow, Pow, "PowBackward0")

// Binary ops that have an in-place `tensor_<name>_` form.
#define LT_INPLACE_OPS(X) \
  X(add, Add)             \
  X(sub, Sub)             \
  X(mul, Mul)             \
  X(div, Div)

// X(c_name, Enum, "PyTorchGradName", floating_only)
// floating_only: integer input is promoted to float32 first (as torch.exp(int_tensor) gives float).
#define LT_UNARY_OPS(X)                      \
  X(neg, Neg, "NegBackward0", 0)             \
  X(abs, Abs, "AbsBackward0", 0)             \
  X(exp, Exp, "ExpBackward0", 1)             \
  X(log, Log, "LogBackward0", 1)             \
  X(sqrt, Sqrt, "SqrtBackward0", 1)          \
  X(sin, Sin, "SinBackward0", 1)             \
  X(cos, Cos, "CosBackward0", 1)             \
  X(tanh, Tanh, "TanhBackward0", 1)          \
  X(sigmoid, Sigmoid, "SigmoidBackward0", 1) \
  X(relu, Relu, "ReluBackward0", 0)

namespace lt {

#define LT_ENUM_ENTRY(name, Enum, ...) Enum,
enum class BinaryOp : int32_t { LT_BINARY_OPS(LT_ENUM_ENTRY) };
enum class UnaryOp : int32_t { LT_UNARY_OPS(LT_ENUM_ENTRY) };
#undef LT_ENUM_ENTRY

inline bool is_comparison(BinaryOp op) { return op >= BinaryOp::Eq; }

enum class ReduceOp : int32_t { Sum, Prod, Mean, Var, Std, Max, Min, All, Any, ArgMax, ArgMin };

}  // namespace lt
