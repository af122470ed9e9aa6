// The text of tensor_config_string: build, BLAS and kernel, threads, CUDA.
#pragma once
#include <string>

namespace lt {
std::string config_string();
}
