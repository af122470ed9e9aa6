// Prints the op tables (core/op_kinds.h) and their definitions' flags as the Python module
// bindings/python/libtensor/_op_table.py, so the Python binding and the Python tests follow the table.
// test_op_table_generated fails when the committed module lags; scripts/gen_op_table.sh rewrites it.
#include <cstdio>
#include <string>

#include "core/op_table.h"

namespace {

const char* py_bool(bool b) { return b ? "True" : "False"; }

const char* inputs_name(lt::Inputs inputs) {
  switch (inputs) {
    case lt::Inputs::All: return "all";
    case lt::Inputs::Numeric: return "numeric";
    case lt::Inputs::Floating: return "floating";
    case lt::Inputs::FloatingOnly: return "floating_only";
    case lt::Inputs::Integral: return "integral";
    case lt::Inputs::NumericBoolAsInt64: return "numeric_bool_as_int64";
  }
  return "";
}

// The grad node's name as a Python literal (None for an op without a grad formula).
template <lt::UnaryOp op>
std::string grad_name() {
  if constexpr (lt::UnaryDef<op>::grads == lt::Grad::Formula) return std::string("\"") + lt::UnaryDef<op>::grad_name + "\"";
  else return "None";
}

}  // namespace

int main() {
  std::printf("# Generated from src/core/op_kinds.h and the op definitions by tests/op_table_dump.cpp.\n");
  std::printf("# Do not edit: run scripts/gen_op_table.sh (test_op_table_generated checks it is current).\n");
  std::printf("\"\"\"The elementwise op tables of the C library, with the flags the binding needs.\"\"\"\n\n");
  std::printf("# inputs: which dtypes an op takes (all, numeric: no bool, floating: integers and bool become\n");
  std::printf("# float32, floating_only, integral: integers and bool, numeric_bool_as_int64: bool becomes int64)\n");
  std::printf("# name: (promotes integers to float32, test domain lo, hi, grad node name, bool result, inputs)\n");
  std::printf("UNARY = {\n");
#define LT_ROW(name, Enum)                                                                               \
  {                                                                                                      \
    using Def = lt::UnaryDef<lt::UnaryOp::Enum>;                                                         \
    std::printf("    \"%s\": (%s, %g, %g, %s, %s, \"%s\"),\n", #name, py_bool(Def::inputs == lt::Inputs::Floating), \
                Def::lo, Def::hi, grad_name<lt::UnaryOp::Enum>().c_str(), py_bool(Def::predicate),     \
                inputs_name(Def::inputs));                                                               \
  }
  LT_UNARY_OPS(LT_ROW)
#undef LT_ROW
  std::printf("}\n\n");
  std::printf("# name: (bool result, promotes integers to float32, a domain lo, hi, b domain lo, hi, inputs,\n");
  std::printf("#        integer zero divisors refused)\n");
  std::printf("BINARY = {\n");
#define LT_ROW(name, Enum)                                                                              \
  {                                                                                                     \
    using Def = lt::BinaryDef<lt::BinaryOp::Enum>;                                                      \
    std::printf("    \"%s\": (%s, %s, %g, %g, %g, %g, \"%s\", %s),\n", #name, py_bool(Def::comparison),  \
                py_bool(Def::inputs == lt::Inputs::Floating), Def::a_lo, Def::a_hi, Def::b_lo, Def::b_hi, \
                inputs_name(Def::inputs), py_bool(Def::integer_division));                             \
  }
  LT_BINARY_OPS(LT_ROW)
#undef LT_ROW
  std::printf("}\n\n");
  std::printf("SCALAR = (");
#define LT_ROW(name, Enum) std::printf("\"%s\", ", #name);
  LT_SCALAR_OPS(LT_ROW)
#undef LT_ROW
  std::printf(")\n");
  std::printf("INPLACE = (");
#define LT_ROW(name, Enum) std::printf("\"%s\", ", #name);
  LT_INPLACE_OPS(LT_ROW)
#undef LT_ROW
  std::printf(")\n");
  return 0;
}
