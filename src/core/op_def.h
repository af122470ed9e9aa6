// The vocabulary of an op definition (Note [op definition]); the definitions themselves are in
// core/unary_defs.h and core/binary_defs.h.
//
// Note [op definition]: each row of the op tables in core/op_kinds.h has exactly one definition, a
// specialisation UnaryDef<UnaryOp::X> / BinaryDef<BinaryOp::X>, that says everything about the op:
//   - flags: which input dtypes it computes on (`inputs`), whether its result is bool (`comparison` for
//     binary ops, `predicate` for unary ones), whether bool inputs are refused and with which message,
//     how it takes part in autograd (`grads`: Grad), which tensors its grad saves, and for binary ops
//     whether it divides integers (`integer_division`: a zero divisor is refused before the kernel runs);
//   - `f<T>(x)`: the per-element function. The CUDA kernels run it; the CPU kernels run it too, except
//     where `cpu_vector` names a vectorised form (src/cpu/vec_math.h). Both are tested against the
//     same `reference` (long double) within `max_ulp`, the worst error of either path;
//   - `reference`, `lo`, `hi`: an independent long double formula and the input range on which the
//     generated tests (forward, gradcheck, CUDA vs CPU) sample the op;
//   - `grad(...)`: PyTorch's backward formula, as a template over the tensor type so that this header
//     stays below src/ops (the calls resolve by argument-dependent lookup where src/ops instantiates
//     it), and `grad_name`, PyTorch's node name.
// The primary templates static_assert, so a row without a definition, or a definition missing a piece,
// fails to compile with the op's name in the error (UnaryDef<lt::UnaryOp::Log1p>). Every dispatch over
// the ops (CPU, CUDA, grads, shims, tests) is a switch expanded from the table with no `default:`, built
// with -Werror=switch: no op ever falls into another op's code.
#pragma once
#include <type_traits>

#include "core/op_kinds.h"
#include "core/philox.h"  // LT_HOST_DEVICE

namespace lt {

// Dependent false, so that a static_assert in a primary template fires only when it is instantiated.
template <auto>
inline constexpr bool kNoDefinitionFor = false;

// Which input dtypes an op computes on.
enum class Inputs {
  All,                 // every dtype, bool included
  Numeric,             // floating and integer; bool refused (PyTorch: "... is not supported for bool tensors")
  Floating,            // integer and bool inputs are promoted to float32 first (torch.exp(int_tensor) is float32)
  FloatingOnly,        // floating only; integer and bool refused (torch.frac(int_tensor): "not implemented for 'Int'")
  Integral,            // integer and bool only; floating refused (torch.bitwise_and(float_tensor, ...))
  NumericBoolAsInt64,  // floating and integer; bool computes as int64 (torch.square(bool) is pow(b, 2): int64)
};

// Which dtype categories an Inputs kind accepts (after its promotion), for the ops layer's refusals and
// the generated tests. Switches with no `default:`, so a new kind must answer each.
constexpr bool accepts_bool(Inputs inputs) {
  switch (inputs) {
    case Inputs::All:
    case Inputs::Floating:
    case Inputs::Integral:
    case Inputs::NumericBoolAsInt64: return true;
    case Inputs::Numeric:
    case Inputs::FloatingOnly: return false;
  }
  return false;
}
constexpr bool accepts_integers(Inputs inputs) {
  switch (inputs) {
    case Inputs::All:
    case Inputs::Numeric:
    case Inputs::Floating:
    case Inputs::Integral:
    case Inputs::NumericBoolAsInt64: return true;
    case Inputs::FloatingOnly: return false;
  }
  return false;
}
constexpr bool accepts_floating(Inputs inputs) {
  switch (inputs) {
    case Inputs::All:
    case Inputs::Numeric:
    case Inputs::Floating:
    case Inputs::FloatingOnly:
    case Inputs::NumericBoolAsInt64: return true;
    case Inputs::Integral: return false;
  }
  return false;
}

// How an op takes part in autograd.
enum class Grad {
  Formula,         // the definition's grad(...) and grad_name
  NotImplemented,  // a node that refuses backward, as PyTorch's (floor_divide: "derivative ... is not implemented")
  None,            // never recorded: bool results (predicates, comparisons) or integer-only inputs
};

// What a unary op's grad needs besides the incoming grad.
enum class Saves { Nothing, Input, Output };

// A binary op's grads with respect to its two inputs (undefined: that input gets none).
template <class G>
struct GradPair {
  G a, b;
};

template <UnaryOp op>
struct UnaryDef {
  static_assert(kNoDefinitionFor<op>,
                "this unary op has a table row in core/op_kinds.h but no UnaryDef<op> in core/unary_defs.h");
};

template <BinaryOp op>
struct BinaryDef {
  static_assert(kNoDefinitionFor<op>,
                "this binary op has a table row in core/op_kinds.h but no BinaryDef<op> in core/binary_defs.h");
};

// Whether a definition's kernel runs on element type T (bool counts as neither floating nor integer).
// A variable template, so that device code can read it too.
template <Inputs inputs, typename T>
inline constexpr bool computes_on =
    inputs == Inputs::All                                               ? true
    : inputs == Inputs::Numeric || inputs == Inputs::NumericBoolAsInt64 ? !std::is_same<T, bool>::value
    : inputs == Inputs::Integral                                        ? std::is_integral<T>::value
                                                                        : std::is_floating_point<T>::value;

}  // namespace lt
