// The CUDA reduction kernels by family, one translation unit each, as on the CPU (cpu/reduce_families.h):
// reduce.cpp checks the dtypes and dispatches here; each family launches the kernel template of
// cuda/reduce.cuh with its reducer, dispatching on in's dtype.
#pragma once
#include "core/backend.h"

namespace lt::cuda {

// Sum, Mean, Prod (reduce_sums.cu).
void reduce_sums(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims);
// Var, Std (reduce_moments.cu).
void reduce_moments(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims, int64_t correction);
// Max, Min without indices (reduce_minmax.cu).
void reduce_minmax(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims);
// All, Any (reduce_logical.cu).
void reduce_logical(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims);
// Max/Min with indices along one dim (reduce_arg.cu).
void reduce_arg(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim);

}  // namespace lt::cuda
