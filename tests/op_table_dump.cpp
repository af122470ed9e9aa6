// Prints the op tables (core/op_kinds.h) and their definitions' flags as the Python module
// bindings/python/libtensor/_op_table.py, so the Python binding and the Python tests follow the table.
// test_op_table_generated fails when the committed module lags; scripts/gen_op_table.sh rewrites it.
#include <cstdio>

#include "core/op_table.h"

namespace {

const char* py_bool(bool b) { return b ? "True" : "False"; }

}  // namespace

int main() {
  std::printf("# Generated from src/core/op_kinds.h and the op definitions by tests/op_table_dump.cpp.\n");
  std::printf("# Do not edit: run scripts/gen_op_table.sh (test_op_table_generated checks it is current).\n");
  std::printf("\"\"\"The elementwise op tables of the C library, with the flags the binding needs.\"\"\"\n\n");
  std::printf("# name: (promotes integers to float32, test domain lo, hi, grad node name)\n");
  std::printf("UNARY = {\n");
#define LT_ROW(name, Enum)                                                                               \
  {                                                                                                      \
    using Def = lt::UnaryDef<lt::UnaryOp::Enum>;                                                         \
    std::printf("    \"%s\": (%s, %g, %g, \"%s\"),\n", #name, py_bool(Def::inputs == lt::Inputs::Floating), \
                Def::lo, Def::hi, Def::grad_name);                                                       \
  }
  LT_UNARY_OPS(LT_ROW)
#undef LT_ROW
  std::printf("}\n\n");
  std::printf("# name: (comparison, promotes integers to float32, a domain lo, hi, b domain lo, hi)\n");
  std::printf("BINARY = {\n");
#define LT_ROW(name, Enum)                                                                              \
  {                                                                                                     \
    using Def = lt::BinaryDef<lt::BinaryOp::Enum>;                                                      \
    std::printf("    \"%s\": (%s, %s, %g, %g, %g, %g),\n", #name, py_bool(Def::comparison),             \
                py_bool(Def::inputs == lt::Inputs::Floating), Def::a_lo, Def::a_hi, Def::b_lo, Def::b_hi); \
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
