// The vocabulary of an op definition (Note [op definition]); the definitions themselves are in
// core/unary_defs.h and core/binary_defs.h.
//
// Note [op definition]: each row of the op tables in core/op_kinds.h has exactly one definition, a
// specialisation UnaryDef<UnaryOp::X> / BinaryDef<BinaryOp::X>, that says everything about the op:
//   - flags: which input dtypes it computes on (`inputs`), whether it is a comparison (bool result),
//     whether bool inputs are refused and with which message, which tensors its grad saves;
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
  All,       // every dtype, bool included
  Numeric,   // floating and integer; bool refused (PyTorch: "... is not supported for bool tensors")
  Floating,  // integer and bool inputs are promoted to float32 first (torch.exp(int_tensor) is float32)
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
inline constexpr bool computes_on = inputs == Inputs::All       ? true
                                    : inputs == Inputs::Numeric ? !std::is_same<T, bool>::value
                                                                : std::is_floating_point<T>::value;

}  // namespace lt
