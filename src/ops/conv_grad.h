// ConvolutionBackward0, the grad node of conv1d, conv2d and conv_transpose2d (conv_grad.cpp).
#pragma once
#include "core/conv_args.h"
#include "core/tensor.h"

namespace lt {

// Records the node on `out` for the caller's input, weight and bias (bias may be undefined). x4 and w4 are
// the contiguous 4-D operands the forward ran on (views of input and weight where they were contiguous),
// out4_shape the 4-D shape of the forward's result; transposed: out was conv_transpose2d's.
void record_convolution(const Tensor& out, const Tensor& input, const Tensor& weight, const Tensor& bias,
                        const Tensor& x4, const Tensor& w4, const DimVector& out4_shape, const ConvArgs& args,
                        bool transposed);

}  // namespace lt
