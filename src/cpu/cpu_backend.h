// The CPU backend: free functions per kernel family (one file each), gathered into a Backend in
// cpu_backend.cpp.
#pragma once
#include "core/backend.h"

namespace lt::cpu {

// binary_kernels.cpp
void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b);
void binary_scalar(BinaryOp op, const Tensor& out, const Tensor& a, double s);
void mul_scaled(const Tensor& out, const Tensor& a, const Tensor& b, double s);
void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b);
// unary_kernels.cpp
void unary(UnaryOp op, const Tensor& out, const Tensor& a);
// copy_kernels.cpp
void copy(const Tensor& dst, const Tensor& src);
void fill(const Tensor& out, double value);
void arange(const Tensor& out, double start, double step);
void linspace(const Tensor& out, double start, double end);
void random_uniform(const Tensor& out, uint64_t seed, uint64_t offset);
void random_normal(const Tensor& out, uint64_t seed, uint64_t offset);
// reduce_kernels.cpp
void reduce(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims, int64_t correction);
void arg_reduce(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim);
// matmul.cpp
void matmul(const Tensor& out, const Tensor& a, const Tensor& b);

}  // namespace lt::cpu
