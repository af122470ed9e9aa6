// The CUDA linear kernel (row linear of LT_BACKEND_KERNELS): out = x @ weight^T + bias. The bias is fused
// as on the CPU: out is filled with the broadcast bias and one cuBLAS GEMM accumulates into it (beta = 1).
// (cuBLASLt's bias epilogue would save the fill pass, but the library is opened at run time and only
// cuBLAS is loaded; the fill is one write of out, small next to the GEMM.) Without cuBLAS the tiled
// kernel computes the product and the bias is added after it.
#include "core/shape.h"
#include "cuda/kernels.h"
#include "cuda/matmul.h"

namespace lt::cuda {

void linear(const Tensor& out, const Tensor& x, const Tensor& weight, const Tensor& bias) {
  const int64_t k = x.size(1);
  if (out.numel() == 0) return;
  const Tensor wt = make_view(weight, DimVector{weight.size(1), weight.size(0)},
                              DimVector{weight.stride(1), weight.stride(0)}, weight->offset);
  const Tensor b2 = bias.defined() ? make_view(bias, out.shape(), DimVector{0, bias.stride(0)}, bias->offset) : Tensor();
  if (k == 0) {
    if (b2.defined()) copy(out, b2);
    else fill(out, 0.0);
    return;
  }
  if (!cublas_takes(out.dtype())) {
    matmul_tiled(out, x, wt);
    if (b2.defined()) binary(BinaryOp::Add, out, out, b2);
    return;
  }
  if (b2.defined()) copy(out, b2);
  cublas_gemm(out, x, wt, b2.defined());
}

}  // namespace lt::cuda
