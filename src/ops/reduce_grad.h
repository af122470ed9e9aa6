// Backward formulas of the reductions (reduce_grad.cpp), recorded by reduce.cpp when the graph is being
// recorded. `out` is the op's result as returned (squeezed unless keepdim); `rd` the normalised, sorted
// reduced dims; `all_dims` tells the all-elements overload (PyTorch's ...Backward0 names) from the
// overload with dims (...Backward1).
#pragma once
#include "core/dim_vector.h"
#include "core/tensor.h"

namespace lt {

void record_sum_grad(const Tensor& out, const Tensor& in, const DimVector& rd, bool keepdim, bool all_dims);
void record_mean_grad(const Tensor& out, const Tensor& in, const DimVector& rd, bool keepdim, bool all_dims,
                      int64_t count);
void record_prod_grad(const Tensor& out, const Tensor& in, const DimVector& rd, bool keepdim, bool all_dims);
// var (is_std false, VarBackward0) and std (StdBackward0).
void record_var_grad(const Tensor& out, const Tensor& in, const DimVector& rd, bool keepdim, int64_t correction,
                     bool is_std, bool all_dims);
// max()/min() over all elements (MaxBackward1 / MinBackward1).
void record_extreme_all_grad(bool is_max, const Tensor& out, const Tensor& in);
// max(dim)/min(dim) (MaxBackward0 / MinBackward0): the grad flows to the reported index.
void record_extreme_dim_grad(bool is_max, const Tensor& values, const Tensor& indices, const Tensor& in,
                             int32_t dim, bool keepdim);

}  // namespace lt
