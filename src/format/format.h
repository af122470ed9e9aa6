// Printing: the text PyTorch's repr gives for a tensor (values, dtype suffix, device, grad_fn).
#pragma once
#include <string>

#include "core/tensor.h"

namespace lt {

std::string format(const Tensor& t);

}  // namespace lt
