// Matmul internals shared by matmul.cpp (cuBLAS) and matmul_fallback.cu (the tiled kernel).
#pragma once
#include "core/tensor.h"

namespace lt::cuda {

// out[b] = a[b] @ b[b] with the batch dims of out (a, b broadcast over them, any strides), by a tiled
// kernel: integer dtypes (cuBLAS has no integer gemm) and floating ones when cuBLAS is unavailable.
// Integer products wrap around (two's complement), as on the CPU.
void matmul_tiled(const Tensor& out, const Tensor& a, const Tensor& b);

// out = a @ b (+ out when accumulate: beta = 1) through cuBLAS, with Backend::matmul's operand rules;
// a dtype cublas_takes(), k >= 1 and out non-empty.
void cublas_gemm(const Tensor& out, const Tensor& a, const Tensor& b, bool accumulate);

// Whether cublas_gemm can run this dtype here: float32/float64 when cuBLAS is loaded, float16/bfloat16
// when it also has cublasGemmEx (Note [half gemm] in matmul.cpp); never the integer dtypes.
bool cublas_takes(DType dtype);

// TF32 for float32 cuBLAS calls (off by default, as PyTorch's allow_tf32 for matmul); returns the old mode.
bool set_allow_tf32(bool allow);

// "cuBLAS <path>" or why it is not used.
std::string cublas_description();

}  // namespace lt::cuda
