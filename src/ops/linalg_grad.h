// Backward formula of matmul (linalg_grad.cpp), called by linalg.cpp when the graph is being recorded.
#pragma once
#include "core/tensor.h"

namespace lt {

// Attaches matmul's grad node to `out` = matmul(a, b).
void record_matmul_grad(const Tensor& out, const Tensor& a, const Tensor& b);

}  // namespace lt
