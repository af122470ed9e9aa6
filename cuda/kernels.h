// The CUDA backend's kernels: one free function per row of LT_BACKEND_KERNELS (Note [backend kernel list]
// in core/backend.h), each defined in its family file (binary_arith.cu, unary.cu, where.cu, copy.cu,
// creation.cu, random.cu, reduce.cpp + reduce_*.cu, matmul.cpp, transfer.cpp), gathered into the Backend
// by cuda_backend.cpp. Each runs on the device of its output (the backend has checked and set it) and
// queues its work on that device's stream (Note [one stream per device] in runtime.h). Operands follow
// Note [kernel operand contract] in core/backend.h.
#pragma once
#include "core/backend.h"

namespace lt::cuda {

LT_BACKEND_KERNELS(LT_BACKEND_DECLARE)

// binary_compare.cu: the comparison half of binary / binary_scalar (bool out), called by binary_arith.cu.
void compare(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b);
void compare_scalar(BinaryOp op, const Tensor& out, const Tensor& a, double s);

}  // namespace lt::cuda
