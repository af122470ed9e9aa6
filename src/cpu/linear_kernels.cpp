// The CPU linear kernel (row linear of LT_BACKEND_KERNELS): out = x @ weight^T + bias as one GEMM. The
// bias is fused by filling out with it (one broadcast copy) and letting the GEMM accumulate with beta = 1,
// so the result is written once by BLAS instead of a second pass adding the bias. x and weight are read
// in place through transpose flags where their strides allow (Note [BLAS operand layouts] in
// cpu/matmul.h); weight^T of a contiguous weight is the Trans layout, so nothing is copied in the usual case.
#include <cblas.h>

#include <cstring>
#include <mutex>
#include <shared_mutex>

#include "core/shape.h"
#include "cpu/blas.h"
#include "cpu/kernels.h"
#include "cpu/matmul.h"

namespace lt::cpu {

namespace {

void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k, const float* a, blasint lda,
          const float* b, blasint ldb, float beta, float* c, blasint ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
}
void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k, const double* a, blasint lda,
          const double* b, blasint ldb, double beta, double* c, blasint ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
}

// A rows x cols matrix with strides (srow, scol) as BLAS reads it, copying `t` to a dense buffer first
// when it cannot; `t` is replaced by what BLAS will read.
BlasMatrix readable(Tensor& t, int64_t rows, int64_t cols, bool transposed_view) {
  auto layout = [&](const Tensor& u) {
    return transposed_view ? blas_matrix_layout(rows, cols, u.stride(1), u.stride(0))
                           : blas_matrix_layout(rows, cols, u.stride(0), u.stride(1));
  };
  BlasMatrix l = layout(t);
  if (l.ok) return l;
  Tensor dense = make_empty(t.shape(), t.dtype(), t.device());
  copy(dense, t);
  t = dense;
  return layout(t);
}

// Note [linear's bias fill]: out's rows get a copy of a contiguous bias on the calling thread, not in an
// OpenMP region. After a region libgomp's idle workers spin (GOMP_SPINCOUNT) for milliseconds, and the
// GEMM that follows wants both cores for OpenBLAS's own threads: with the fill in a region, linear of
// (4096,1024) x (1024,1024) took 122 ms of CPU time per call at 2 threads against 101 ms without a bias
// (and 91 ms under OMP_WAIT_POLICY=passive); with this fill, 89 ms, as the bare sgemm (which makes its
// own pass over out inside OpenBLAS: beta = 0 zeroes it first). A strided bias keeps the copy kernel.
void fill_rows(const Tensor& out, const Tensor& bias) {
  const int64_t m = out.size(0), n = out.size(1);
  const size_t row_bytes = static_cast<size_t>(n) * itemsize(out.dtype());
  const char* src = bias.data();
  char* dst = out.data();
  for (int64_t r = 0; r < m; ++r) std::memcpy(dst + r * row_bytes, src, row_bytes);
}

}  // namespace

void linear(const Tensor& out, const Tensor& x, const Tensor& weight, const Tensor& bias) {
  const int64_t m = out.size(0), n = out.size(1), k = x.size(1);
  if (out.numel() == 0) return;
  if (bias.defined() && bias.stride(0) == 1)  // Note [linear's bias fill]
    fill_rows(out, bias);
  else if (bias.defined())
    copy(out, make_view(bias, out.shape(), DimVector{0, bias.stride(0)}, bias->offset));
  else if (k == 0)
    fill(out, 0.0);
  if (k == 0) return;
  LT_CHECK(m <= kBlasIntMax && n <= kBlasIntMax && k <= kBlasIntMax, Status::Backend,
           "linear of " << shape_str(x.shape()) << " and weight " << shape_str(weight.shape())
                        << ": a matrix dimension exceeds the BLAS limit of " << kBlasIntMax);
  Tensor a = x, b = weight;
  const BlasMatrix la = readable(a, m, k, false);
  const BlasMatrix lb = readable(b, k, n, true);  // weight^T: (k, n) with weight's strides swapped
  auto flag = [](bool t) { return t ? CblasTrans : CblasNoTrans; };
  const blasint M = static_cast<blasint>(m), N = static_cast<blasint>(n), K = static_cast<blasint>(k);
  // Note [BLAS thread count] (blas.cpp): no thread-count change while OpenBLAS runs.
  std::shared_lock<std::shared_mutex> blas_lock(blas_threads_mutex());
  LT_DISPATCH_FLOATING(out.dtype(), "linear", {
    gemm(flag(la.transposed), flag(lb.transposed), M, N, K, a.data_as<scalar_t>(), static_cast<blasint>(la.ld),
         b.data_as<scalar_t>(), static_cast<blasint>(lb.ld), bias.defined() ? scalar_t(1) : scalar_t(0),
         out.data_as<scalar_t>(), N);
  });
}

}  // namespace lt::cpu
