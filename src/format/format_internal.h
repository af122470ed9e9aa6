// Test hook of the printer (format.cpp).
#pragma once
#include <string>

#include "core/tensor.h"

namespace lt {

// lt::format through the path tensors on other devices take (edge items gathered, copied to host memory),
// applied to any tensor, so that CPU-only tests cover it. Same text as lt::format.
std::string format_copying_to_host(const Tensor& t);

}  // namespace lt
