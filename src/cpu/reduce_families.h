// The CPU reduction kernels by family, one translation unit each: every family instantiates the loops
// of cpu/reduce_loops.h for each dtype, and split this way they compile in parallel and in less memory.
// reduce_kernels.cpp checks the dtypes and dispatches here (cuda/reduce_families.h is the CUDA twin).
#pragma once
#include "core/backend.h"

namespace lt::cpu {

// Sum, Mean, Prod (reduce_sums_kernels.cpp).
void reduce_sums(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims);
// Var, Std (reduce_moments_kernels.cpp).
void reduce_moments(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims, int64_t correction);
// Max, Min without indices (reduce_minmax_kernels.cpp).
void reduce_minmax(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims);
// All, Any (reduce_logical_kernels.cpp).
void reduce_logical(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims);
// Max/Min with indices along one dim (reduce_arg_kernels.cpp).
void reduce_arg(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim);

}  // namespace lt::cpu
