// The binary kernel family shared by binary_arith.cu (Comparisons = false) and binary_compare.cu (true):
// each runs the element function of the op's definition (core/binary_defs.h) for the ops of its kind.
#pragma once
#include "core/op_table.h"
#include "cuda/elementwise.cuh"

namespace lt::cuda {

template <BinaryOp op, bool Comparisons, typename T>
inline constexpr bool binary_kernel_has =
    BinaryDef<op>::comparison == Comparisons && computes_on<BinaryDef<op>::inputs, T>;

template <bool Comparisons, typename T>
struct BinaryKernel {
  using out_t = std::conditional_t<Comparisons, bool, T>;
  using in1_t = T;
  using in2_t = T;
  using in3_t = char;
  static constexpr int nin = 2;
  int32_t op;
  __device__ out_t operator()(T a, T b, char) const {
    switch (static_cast<BinaryOp>(op)) {
#define LT_CASE(name, Enum)                                            \
  case BinaryOp::Enum:                                                 \
    if constexpr (binary_kernel_has<BinaryOp::Enum, Comparisons, T>) \
      return BinaryDef<BinaryOp::Enum>::template f<T>(a, b);           \
    break;
      LT_BINARY_OPS(LT_CASE)
#undef LT_CASE
    }
    return out_t();  // not reached: check_binary_kernel refuses other (op, dtype) pairs before launch
  }
};

// Throws Internal unless the kernel family has op for dtype T (the ops layer never asks otherwise).
template <bool Comparisons, typename T>
void check_binary_kernel(BinaryOp op, DType dtype) {
  bool has = false;
  switch (op) {
#define LT_CASE(name, Enum) \
  case BinaryOp::Enum: has = binary_kernel_has<BinaryOp::Enum, Comparisons, T>; break;
    LT_BINARY_OPS(LT_CASE)
#undef LT_CASE
  }
  LT_CHECK(has, Status::Internal, op_name(op) << ": no kernel for dtype " << dtype_name(dtype));
}

}  // namespace lt::cuda
