// Matmul through cuBLAS (float32, float64, and float16/bfloat16 through cublasGemmEx), with the tiled
// kernel for integer dtypes or when cuBLAS cannot be opened.
//
// Note [row-major gemm]: cuBLAS is column-major. A row-major C (m x n) is, read column-major, C^T
// (n x m), and C^T = B^T A^T, so we ask cuBLAS for gemm(B, A) with sizes (n, m, k). A row-major operand
// read column-major is its own transpose (op N); an operand whose memory is column-major (a transposed
// view) is passed with op T. Any other layout (stride 0 inside a matrix, gaps in both dims) is copied to
// a contiguous buffer first. Batch dims that flatten to one stride (contiguous, or all 0 for a broadcast
// operand) use the strided-batched call; others are copied.
//
// Note [half gemm]: float16 and bfloat16 operands go to cublasGemmEx with CUBLAS_COMPUTE_32F: tensor-core
// products accumulated in float32, the result rounded once into the half dtype, which is what PyTorch
// does and what the CPU's sbgemm / float32 path gives. These calls also disallow reduced-precision
// split-k reductions (PyTorch allows them by default), so that the float32 accumulation holds for every
// shape; only shapes that cuBLAS would split along k can pay for it (not measured: no GPU here yet).
#include <algorithm>
#include <atomic>
#include <climits>
#include <memory>
#include <mutex>
#include <vector>

#include "core/shape.h"
#include "cuda/caching_allocator.h"
#include "cuda/cublas_loader.h"
#include "cuda/cuda_check.h"
#include "cuda/kernels.h"
#include "cuda/matmul.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

std::atomic<bool> g_allow_tf32{false};

struct CublasHandle {
  std::mutex mu;  // a handle's settings (math mode) and calls are not shared between threads at once
  cublasHandle_t handle = nullptr;
};

constexpr size_t kWorkspaceBytes = size_t(32) << 20;

CublasHandle& handle_for(int32_t device) {
  static std::mutex registry_mu;
  static auto* handles = new std::vector<std::unique_ptr<CublasHandle>>();
  std::lock_guard<std::mutex> lock(registry_mu);
  if (handles->empty())
    for (int32_t i = 0; i < device_count(); ++i) handles->push_back(std::make_unique<CublasHandle>());
  CublasHandle& h = *(*handles)[static_cast<size_t>(device)];
  if (!h.handle) {
    const CublasApi& api = cublas_api();
    cublasHandle_t raw = nullptr;
    cublasStatus_t st = api.create(&raw);
    if (st != CUBLAS_STATUS_SUCCESS) throw_error(Status::Backend, "cublasCreate failed: " + cublas_status_text(st));
    st = api.set_stream(raw, stream(device));
    if (st == CUBLAS_STATUS_SUCCESS && api.set_workspace) {
      // A workspace from the caching allocator, kept for the life of the handle (as PyTorch does).
      void* ws = device_allocator(device).allocate(kWorkspaceBytes);
      st = api.set_workspace(raw, ws, kWorkspaceBytes);
    }
    if (st != CUBLAS_STATUS_SUCCESS) {
      api.destroy(raw);
      throw_error(Status::Backend, "configuring the cuBLAS handle failed: " + cublas_status_text(st));
    }
    h.handle = raw;
  }
  return h;
}

struct Operand {
  const char* data;
  cublasOperation_t op;
  int64_t ld;
  int64_t batch_stride;
  Tensor keep;  // a contiguous copy, when one was needed
};

// Column-major reading of a row-major (rows x cols) matrix with strides (srow, scol): op N with ld =
// srow when rows are contiguous, op T with ld = scol when columns are; false otherwise.
bool matrix_layout(int64_t rows, int64_t cols, int64_t srow, int64_t scol, cublasOperation_t* op, int64_t* ld) {
  if ((scol == 1 || cols == 1) && (rows == 1 || srow >= cols) && srow >= 1) {
    *op = CUBLAS_OP_N;
    *ld = rows == 1 ? std::max<int64_t>(cols, 1) : srow;
    return true;
  }
  if ((srow == 1 || rows == 1) && (cols == 1 || scol >= rows) && scol >= 1) {
    *op = CUBLAS_OP_T;
    *ld = cols == 1 ? std::max<int64_t>(rows, 1) : scol;
    return true;
  }
  return false;
}

// The one stride of the flattened batch dims [0, nb) of t, if there is one.
bool flat_batch_stride(const Tensor& t, int32_t nb, int64_t* stride) {
  bool first = true;
  int64_t expect = 0;
  *stride = 0;
  for (int32_t d = nb - 1; d >= 0; --d) {
    if (t.size(d) == 1) continue;
    if (first) {
      *stride = t.stride(d);
      first = false;
    } else if (t.stride(d) != expect) {
      return false;
    }
    expect = t.stride(d) * t.size(d);
  }
  return true;
}

Operand prepare(const Tensor& t, int32_t nb) {
  const int32_t nd = t.ndim();
  Operand o{};
  const int64_t rows = t.size(nd - 2), cols = t.size(nd - 1);
  int64_t bs = 0;
  if (matrix_layout(rows, cols, t.stride(nd - 2), t.stride(nd - 1), &o.op, &o.ld) && flat_batch_stride(t, nb, &bs)) {
    o.data = t.data();
    o.batch_stride = bs;
    return o;
  }
  o.keep = make_empty(t.shape(), t.dtype(), t.device());
  copy(o.keep, t);
  o.data = o.keep.data();
  o.op = CUBLAS_OP_N;
  o.ld = std::max<int64_t>(cols, 1);
  o.batch_stride = rows * cols;
  return o;
}

void check_int(int64_t v, const char* what, const Tensor& out) {
  LT_CHECK(v <= INT_MAX, Status::InvalidArgument,
           "matmul with output shape " << shape_str(out.shape()) << " is too large for cuBLAS (" << what << " = " << v << ")");
}

}  // namespace

bool set_allow_tf32(bool allow) { return g_allow_tf32.exchange(allow); }

std::string cublas_description() {
  const CublasApi& api = cublas_api();
  return api.loaded ? "cuBLAS " + api.path : "cuBLAS not loaded (" + api.error + "), using the tiled kernel";
}

void matmul(const Tensor& out, const Tensor& a, const Tensor& b) {
  const int32_t nd = out.ndim();
  const int64_t k = a.size(nd - 1);
  if (out.numel() == 0) return;
  if (k == 0) return fill(out, 0.0);
  if (!cublas_takes(out.dtype())) return matmul_tiled(out, a, b);
  cublas_gemm(out, a, b, false);
}

bool cublas_takes(DType dtype) {
  const CublasApi& api = cublas_api();
  switch (dtype) {
    case DType::Float32:
    case DType::Float64: return api.loaded;
    case DType::Float16:
    case DType::BFloat16: return api.loaded && api.gemm_ex && api.gemm_ex_batched;
    default: return false;
  }
}

void cublas_gemm(const Tensor& out, const Tensor& a, const Tensor& b, bool accumulate) {
  const int32_t nd = out.ndim();
  const int64_t m = out.size(nd - 2), n = out.size(nd - 1), k = a.size(nd - 1);
  const int32_t nb = nd - 2;
  int64_t batch = 1;
  for (int32_t d = 0; d < nb; ++d) batch *= out.size(d);
  Operand A = prepare(a, nb), B = prepare(b, nb);
  check_int(m, "m", out);
  check_int(n, "n", out);
  check_int(k, "k", out);
  check_int(A.ld, "lda", out);
  check_int(B.ld, "ldb", out);
  check_int(batch, "batch", out);

  const int32_t dev = out.device().index;
  const CublasApi& api = cublas_api();
  CublasHandle& h = handle_for(dev);
  std::lock_guard<std::mutex> lock(h.mu);
  const DType dt = out.dtype();
  const bool half = dt == DType::Float16 || dt == DType::BFloat16;
  const cublasMath_t mode =
      dt == DType::Float32 && g_allow_tf32.load() ? CUBLAS_TF32_TENSOR_OP_MATH
      : half ? static_cast<cublasMath_t>(CUBLAS_DEFAULT_MATH | CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION)
             : CUBLAS_DEFAULT_MATH;
  cublasStatus_t st = api.set_math_mode(h.handle, mode);
  const int M = static_cast<int>(n), N = static_cast<int>(m), K = static_cast<int>(k);
  const int lda = static_cast<int>(B.ld), ldb = static_cast<int>(A.ld), ldc = static_cast<int>(n);
  const long long sa = B.batch_stride, sb = A.batch_stride, sc = m * n;
  if (st == CUBLAS_STATUS_SUCCESS) {
    if (half) {
      // Note [half gemm]: float alpha/beta with CUBLAS_COMPUTE_32F.
      const float one = 1.0f, beta = accumulate ? 1.0f : 0.0f;
      const cudaDataType t = dt == DType::Float16 ? CUDA_R_16F : CUDA_R_16BF;
      st = batch == 1 ? api.gemm_ex(h.handle, B.op, A.op, M, N, K, &one, B.data, t, lda, A.data, t, ldb, &beta,
                                    out.data(), t, ldc, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT)
                      : api.gemm_ex_batched(h.handle, B.op, A.op, M, N, K, &one, B.data, t, lda, sa, A.data, t, ldb, sb,
                                            &beta, out.data(), t, ldc, sc, static_cast<int>(batch), CUBLAS_COMPUTE_32F,
                                            CUBLAS_GEMM_DEFAULT);
    } else if (dt == DType::Float32) {
      const float one = 1.0f, beta = accumulate ? 1.0f : 0.0f;
      const float* pa = reinterpret_cast<const float*>(B.data);
      const float* pb = reinterpret_cast<const float*>(A.data);
      float* pc = out.data_as<float>();
      st = batch == 1 ? api.sgemm(h.handle, B.op, A.op, M, N, K, &one, pa, lda, pb, ldb, &beta, pc, ldc)
                      : api.sgemm_batched(h.handle, B.op, A.op, M, N, K, &one, pa, lda, sa, pb, ldb, sb, &beta, pc, ldc,
                                          sc, static_cast<int>(batch));
    } else {
      const double one = 1.0, beta = accumulate ? 1.0 : 0.0;
      const double* pa = reinterpret_cast<const double*>(B.data);
      const double* pb = reinterpret_cast<const double*>(A.data);
      double* pc = out.data_as<double>();
      st = batch == 1 ? api.dgemm(h.handle, B.op, A.op, M, N, K, &one, pa, lda, pb, ldb, &beta, pc, ldc)
                      : api.dgemm_batched(h.handle, B.op, A.op, M, N, K, &one, pa, lda, sa, pb, ldb, sb, &beta, pc, ldc,
                                          sc, static_cast<int>(batch));
    }
  }
  if (st != CUBLAS_STATUS_SUCCESS)
    throw_error(Status::Backend, "matmul with output shape " + shape_str(out.shape()) + ": " + cublas_status_text(st));
  check_launch("matmul (cuBLAS)");
}

}  // namespace lt::cuda
