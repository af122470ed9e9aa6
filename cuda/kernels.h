// The CUDA backend's kernel entry points, one group per .cu file, gathered into a Backend by
// cuda_backend.cpp. Each runs on the device of its output (the caller has checked and set it) and queues
// its work on that device's stream (Note [one stream per device] in runtime.h). Operands follow
// Note [kernel operand contract] in core/backend.h.
#pragma once
#include "core/backend.h"

namespace lt::cuda {

// binary_arith.cu / binary_compare.cu
void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b);
void binary_scalar(BinaryOp op, const Tensor& out, const Tensor& a, double s);
void compare(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b);
void compare_scalar(BinaryOp op, const Tensor& out, const Tensor& a, double s);
// unary.cu
void unary(UnaryOp op, const Tensor& out, const Tensor& a);
// copy.cu: strided copy with dtype conversion, fill, where
void copy(const Tensor& dst, const Tensor& src);
void fill(const Tensor& out, double value);
void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b);
// creation.cu
void arange(const Tensor& out, double start, double step);
void linspace(const Tensor& out, double start, double end);
void random_uniform(const Tensor& out, uint64_t seed, uint64_t offset);
void random_normal(const Tensor& out, uint64_t seed, uint64_t offset);
// reduce_*.cu (planned by reduce_plan.cpp)
void reduce(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims, int64_t correction);
void arg_reduce(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim);
// matmul.cpp (cuBLAS) and matmul_fallback.cu (integer dtypes, or no cuBLAS)
void matmul(const Tensor& out, const Tensor& a, const Tensor& b);
// transfer.cpp: host <-> device
void copy_across_devices(const Tensor& dst, const Tensor& src);

}  // namespace lt::cuda
