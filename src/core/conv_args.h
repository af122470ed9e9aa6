// The geometry of a 2-D convolution beyond its operands' shapes: what the conv rows of LT_BACKEND_KERNELS
// (core/backend.h) take besides tensors. Sizes (N, C, H, W, O, KH, KW, OH, OW) come from the operands.
#pragma once
#include <cstdint>

namespace lt {

struct ConvArgs {
  int64_t stride[2] = {1, 1};
  int64_t padding[2] = {0, 0};
  int64_t dilation[2] = {1, 1};
  int64_t groups = 1;
};

}  // namespace lt
