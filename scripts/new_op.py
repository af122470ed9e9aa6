#!/usr/bin/env python3
"""Scaffolds a new elementwise op and prints what is left to fill in.

    scripts/new_op.py unary log1p Log1p
    scripts/new_op.py binary atan2 Atan2

It adds the table row (src/core/op_kinds.h), a definition skeleton (src/core/unary_defs.h or
binary_defs.h) whose unfilled members are FILL_... names, and the C declaration in
include/tensor/tensor.h. The build then refuses to compile until every FILL_ is replaced, and names each
remaining place (see docs/architecture.md "How to add an op"). Nothing here runs at build time.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

UNARY_DEF = """
template <>
struct UnaryDef<UnaryOp::{Enum}> : MathDef {{          // or PredicateDef (bool result, no grad)
  static constexpr Inputs inputs = FILL_inputs;         // Inputs::Floating / Numeric / All / FloatingOnly ...
  static constexpr VecOp cpu_vector = VecOp::None;      // or a vec_math form
  static constexpr double max_ulp = FILL_max_ulp, lo = FILL_lo, hi = FILL_hi;
  template <typename T>
  LT_HOST_DEVICE static T f(T x) {{ return FILL_element_function(x); }}
  static long double reference(long double x) {{ return FILL_reference(x); }}
  static constexpr Saves saves = FILL_saves;            // Saves::Input / Output / Nothing
  static constexpr const char* grad_name = "{Torch}Backward0";
  template <class G>
  static G grad(const G& g, const G& saved) {{ return FILL_grad_formula(g, saved); }}
}};
"""

BINARY_DEF = """
template <>
struct BinaryDef<BinaryOp::{Enum}> : ArithmeticDef {{  // grads = Grad::Formula, no integer_division
  static constexpr Inputs inputs = FILL_inputs;
  static constexpr const char* bool_refusal = nullptr;
  static constexpr double max_ulp = FILL_max_ulp, a_lo = FILL_a_lo, a_hi = FILL_a_hi, b_lo = FILL_b_lo, b_hi = FILL_b_hi;
  template <typename T>
  LT_HOST_DEVICE static T f(T a, T b) {{ return FILL_element_function(a, b); }}
  static long double reference(long double a, long double b) {{ return FILL_reference(a, b); }}
  static constexpr bool saves_a = FILL_saves_a, saves_b = FILL_saves_b, saves_out = FILL_saves_out;
  static constexpr const char* grad_name = "{Torch}Backward0";
  template <class G>
  static GradPair<G> grad(const G& g, const G& a, const G& b, const G& out, bool want_a, bool want_b) {{
    return FILL_grad_formula(g, a, b, out, want_a, want_b);
  }}
}};
"""

DECL = {
    "unary": "/** Elementwise {name} (torch.{name}). FILL: semantics, dtypes. */\n"
             "TENSOR_API tensor_status tensor_{name}(tensor **out, const tensor *a);\n",
    "binary": "/** Elementwise {name} of @p a and @p b with broadcasting (torch.{name}). FILL: semantics. */\n"
              "TENSOR_API tensor_status tensor_{name}(tensor **out, const tensor *a, const tensor *b);\n",
}


def insert_row(kind, name, enum):
    path = os.path.join(ROOT, "src/core/op_kinds.h")
    text = open(path).read()
    macro = "LT_UNARY_OPS" if kind == "unary" else "LT_BINARY_OPS"
    m = re.search(r"#define %s\(X\)(.*?)\n\n" % macro, text, re.S)
    if not m:
        sys.exit("cannot find %s in %s" % (macro, path))
    if re.search(r"X\(%s," % name, m.group(1)):
        sys.exit("%s is already in %s" % (name, macro))
    block = m.group(0).rstrip("\n")
    new_block = block + " \\\n  X(%s, %s)\n\n" % (name, enum)
    open(path, "w").write(text.replace(m.group(0), new_block))


def append_def(kind, enum):
    path = os.path.join(ROOT, "src/core/%s_defs.h" % kind)
    text = open(path).read()
    skeleton = (UNARY_DEF if kind == "unary" else BINARY_DEF).format(Enum=enum, Torch=enum)
    idx = text.rindex("}  // namespace lt")
    open(path, "w").write(text[:idx] + skeleton.lstrip("\n") + "\n" + text[idx:])


def append_decl(kind, name):
    path = os.path.join(ROOT, "include/tensor/tensor.h")
    text = open(path).read()
    marker = "/* ---- new elementwise ops (scripts/new_op.py): move into their group ---- */\n"
    decl = DECL[kind].format(name=name)
    idx = text.rindex("#ifdef __cplusplus")
    open(path, "w").write(text[:idx] + marker + decl + "\n" + text[idx:])


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("unary", "binary"):
        sys.exit(__doc__)
    kind, name, enum = sys.argv[1:]
    insert_row(kind, name, enum)
    append_def(kind, enum)
    append_decl(kind, name)
    print("""added %(name)s: the table row, a definition skeleton and the C declaration.
Left to fill in (the build stops at each until it is done):
  1. src/core/%(kind)s_defs.h  UnaryDef/BinaryDef<%(enum)s>: every FILL_ member (flags, element function,
     long double reference and test domain, max_ulp, what the grad saves, PyTorch's grad formula and name).
     A CPU vector form goes in src/cpu/vec_math.* (name it in cpu_vector); CUDA runs f.
  2. include/tensor/tensor.h  the declaration's documentation; move it into its group.
  3. include/tensor/tensor.hpp  add %(name)s to LIBTENSOR_%(KIND)s_OPS (test_cpp_wrapper_ops fails to compile until then).
  4. scripts/gen_op_table.sh  regenerates the Python binding's table (test_op_table_generated).
  5. tests/python/test_elementwise_numpy.py  a NumPy reference in NP_%(KIND)s (the test fails without one).
  6. abi/libtensor.abi and debian/libtensor0.symbols  the new symbol tensor_%(name)s (scripts/abi_check.sh).
  7. docs/python.md  the function's name in the list of elementwise ops.
Nothing else: the C shim, both backends' kernels, the grad node, gradcheck, CUDA-vs-CPU, the fuzzer and the
forward tests are generated from the row and its definition.""" % {
        "name": name, "kind": kind, "enum": enum, "KIND": kind.upper()})


if __name__ == "__main__":
    main()
