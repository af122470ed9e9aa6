// Elementwise launch plans: how the kernels of elementwise.cuh walk their operands. Built on the host by
// plan_elementwise() from the same coalesced iteration plan the CPU uses (core/iterator.h).
//
// Note [elementwise layouts]: after coalescing, most ops are one of two shapes:
//  - Rows: at most 2 dims, every operand either contiguous along the inner dim or constant along it (a
//    broadcast column), each with its own row stride (0 for a broadcast row). A contiguous op is 1 row;
//    (16384, 16384) + (16384,) is 16384 rows whose second operand has row stride 0. When the inner size
//    and every address allow it, threads move 16 bytes per operand per access (W elements).
//  - Nd: anything else, up to kMaxDims dims; each thread turns its linear index into per-operand byte
//    offsets (OffsetCalc), in 32-bit arithmetic below 2^31 elements.
// Operand 0 is the output. An input may be a constant (binary_scalar's scalar, fill's value), passed by
// value in the arguments instead of as memory.
#pragma once
#include <cstdint>

#include "core/tensor.h"
#include "cuda/device_math.h"

namespace lt::cuda {

constexpr int kEwMaxOperands = 4;  // out + up to 3 inputs (where)
constexpr int kEwThreads = 128;    // threads per block
constexpr int kEwUnroll = 4;       // vectors (Rows) or elements (Nd) per thread: loads in flight

struct EwRowsArgs {
  char* data[kEwMaxOperands];
  int64_t row_stride[kEwMaxOperands];  // bytes
  uint64_t constant[kEwMaxOperands];   // bits of constant inputs
  uint32_t const_mask;                 // bit k: operand k is a constant
  uint32_t bcast_mask;                 // bit k: operand k has inner stride 0 (one value per row)
  int64_t rows, vec_per_row, nvec;
  FastDiv vpr_div;
  bool use32;
  int32_t op;
};

struct EwNdArgs {
  char* data[kEwMaxOperands];
  uint64_t constant[kEwMaxOperands];
  uint32_t const_mask;
  int64_t numel;
  bool use32;
  int32_t op;
  OffsetCalc<kEwMaxOperands> calc;  // byte strides
};

// The (row, first column in elements) of vector v in the Rows layout; shared by the kernel and the
// planner's tests.
LT_HD void rows_position(const EwRowsArgs& a, int vec, int64_t v, int64_t* row, int64_t* col) {
  int64_t r;
  if (a.rows == 1) r = 0;
  else if (a.use32) r = a.vpr_div.div(static_cast<uint32_t>(v));
  else r = v / a.vec_per_row;
  *row = r;
  *col = (v - r * a.vec_per_row) * vec;
}

// One input of an elementwise launch: a tensor (with out's shape, broadcast inputs as stride-0 views) or
// a constant given by its bits in the kernel's input type.
struct EwInput {
  const Tensor* tensor = nullptr;
  uint64_t constant = 0;
};

struct EwPlan {
  bool rows = false;
  EwRowsArgs r;
  EwNdArgs nd;
  int64_t blocks = 0;
};

// `vec` is the kernel's vector width in elements (16 bytes over its widest type; 0: Nd layout only).
// Throws InvalidArgument
// when the coalesced iteration space has more than kMaxDims dims.
EwPlan plan_elementwise(const Tensor& out, const EwInput* inputs, int nin, int vec, int32_t op);

}  // namespace lt::cuda
