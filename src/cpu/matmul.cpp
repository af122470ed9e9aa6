// The CPU matmul kernel: out[..., m, n] = a[..., m, k] @ b[..., k, n] (Backend::matmul's contract).
// float32/float64 go to OpenBLAS, one call per matrix of the batch: dot when m == n == 1, gemv when m or
// n is 1, gemm otherwise, with strides passed as transpose flags and leading dimensions (Note [BLAS
// operand layouts] in cpu/matmul.h). Integer dtypes use a strided loop with wrap-around arithmetic, as
// PyTorch's integer matmul does. float16 and bfloat16 compute in float32 and round once (Note [half
// matmul]).
#include "cpu/matmul.h"

#include <cblas.h>

#include <algorithm>
#include <type_traits>

#include "core/parallel.h"
#include "core/shape.h"
#include "cpu/blas.h"
#include "cpu/gemm_bf16.h"
#include "cpu/kernels.h"

namespace lt::cpu {

BlasMatrix blas_matrix_layout(int64_t rows, int64_t cols, int64_t row_stride, int64_t col_stride) {
  auto valid_ld = [](int64_t ld, int64_t min) { return ld >= std::max<int64_t>(min, 1) && ld <= kBlasIntMax; };
  if (cols == 1 || col_stride == 1) {  // NoTrans; a single row leaves the leading dim free
    int64_t ld = rows == 1 ? std::max<int64_t>(cols, 1) : row_stride;
    if (valid_ld(ld, cols)) return {true, false, ld};
  }
  if (rows == 1 || row_stride == 1) {  // Trans; a single column leaves the leading dim free
    int64_t ld = cols == 1 ? std::max<int64_t>(rows, 1) : col_stride;
    if (valid_ld(ld, rows)) return {true, true, ld};
  }
  return {};
}

int64_t blas_vector_inc(int64_t n, int64_t stride) {
  if (n <= 1) return 1;
  return stride >= 1 && stride <= kBlasIntMax ? stride : 0;
}

namespace {

template <typename T>
struct Cblas;
template <>
struct Cblas<float> {
  static void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k, const float* a, blasint lda,
                   const float* b, blasint ldb, float* c, blasint ldc) {
    cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
  }
  static void gemv(CBLAS_TRANSPOSE t, blasint rows, blasint cols, const float* a, blasint lda, const float* x,
                   blasint incx, float* y) {
    cblas_sgemv(CblasRowMajor, t, rows, cols, 1.0f, a, lda, x, incx, 0.0f, y, 1);
  }
  static float dot(blasint n, const float* x, blasint incx, const float* y, blasint incy) {
    return cblas_sdot(n, x, incx, y, incy);
  }
};
template <>
struct Cblas<double> {
  static void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k, const double* a,
                   blasint lda, const double* b, blasint ldb, double* c, blasint ldc) {
    cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, ldc);
  }
  static void gemv(CBLAS_TRANSPOSE t, blasint rows, blasint cols, const double* a, blasint lda, const double* x,
                   blasint incx, double* y) {
    cblas_dgemv(CblasRowMajor, t, rows, cols, 1.0, a, lda, x, incx, 0.0, y, 1);
  }
  static double dot(blasint n, const double* x, blasint incx, const double* y, blasint incy) {
    return cblas_ddot(n, x, incx, y, incy);
  }
};

CBLAS_TRANSPOSE trans_flag(bool transposed) { return transposed ? CblasTrans : CblasNoTrans; }

// The sizes of one matmul call; batch dims are out's first `nb` dims (a and b have the same count).
struct Problem {
  int32_t nb;
  int64_t batch, m, n, k;
};

// Element offset of batch item `item` (row-major over the batch dims) in t.
int64_t batch_offset(const Tensor& t, int32_t nb, int64_t item) {
  int64_t off = 0;
  for (int32_t d = nb - 1; d >= 0 && item > 0; --d) {
    const int64_t s = t.size(d);
    off += (item % s) * t.stride(d);
    item /= s;
  }
  return off;
}

// A dense copy of t's matrices, in `dtype`. Batch dims
// broadcast with stride 0 stay broadcast, so each distinct matrix is copied once.
Tensor dense_matrices(const Tensor& t, int32_t nb, DType dtype) {
  DimVector shape = t.shape();
  for (int32_t d = 0; d < nb; ++d)
    if (t.stride(d) == 0) shape[d] = 1;
  Tensor dense = make_empty(shape, dtype, t.device());
  copy(dense, make_view(t, shape, t.strides(), t->offset));
  DimVector strides = dense.strides();
  for (int32_t d = 0; d < nb; ++d)
    if (t.stride(d) == 0) strides[d] = 0;
  return make_view(dense, t.shape(), strides, dense->offset);
}
Tensor dense_matrices(const Tensor& t, int32_t nb) { return dense_matrices(t, nb, t.dtype()); }

// Which BLAS routine computes one matrix of the batch.
enum class Routine { Dot, GemvA, GemvB, Gemm };  // GemvA: n == 1 (A x); GemvB: m == 1 (x B)

Routine routine_for(const Problem& p) {
  if (p.m == 1 && p.n == 1) return Routine::Dot;
  if (p.n == 1) return Routine::GemvA;
  if (p.m == 1) return Routine::GemvB;
  return Routine::Gemm;
}

// Note [batched matmul threads]: OpenBLAS runs a call on the calling thread when it is small (gemm:
// m*n*k <= 4 * 65536; gemv: rows*cols < 4 * 2304; dot: n <= 10000, its GEMM_MULTITHREAD_THRESHOLD rules)
// and on its own thread pool otherwise. So the matrices of a batch run in parallel on our threads only
// when each call is small (every call then stays on the thread that made it), and one after another
// otherwise (each call then uses OpenBLAS's threads, which tensor_set_num_threads also sets). Only one
// team of get_num_threads() threads is ever busy: no oversubscription.
bool blas_call_is_single_threaded(Routine r, const Problem& p) {
  switch (r) {
    case Routine::Dot: return p.k <= 10000;
    case Routine::GemvA: return p.m * p.k < 4 * 2304;
    case Routine::GemvB: return p.k * p.n < 4 * 2304;
    case Routine::Gemm: return static_cast<double>(p.m) * p.n * p.k <= 4.0 * 65536;
  }
  return false;
}

// Runs fn(item) for every item of the batch, in parallel when each item is a single-threaded BLAS call.
template <typename F>
void for_each_item(Routine r, const Problem& p, F&& fn) {
  if (p.batch == 1 || !blas_call_is_single_threaded(r, p)) {
    for (int64_t i = 0; i < p.batch; ++i) fn(i);
    return;
  }
  // At least ~64k multiply-adds per chunk so a parallel region pays for itself.
  const int64_t work = std::max<int64_t>(p.m * p.n * p.k, 1);
  parallel_for(p.batch, std::max<int64_t>(1, 65536 / work), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) fn(i);
  });
}

template <typename T>
void matmul_blas(const Tensor& out, Tensor a, Tensor b, const Problem& p) {
  const int32_t ra = p.nb, ca = p.nb + 1;  // a's row and column dims (b's are the same indices)
  const Routine r = routine_for(p);
  const bool a_is_matrix = r == Routine::GemvA || r == Routine::Gemm;
  const bool b_is_matrix = r == Routine::GemvB || r == Routine::Gemm;

  BlasMatrix la = blas_matrix_layout(p.m, p.k, a.stride(ra), a.stride(ca));
  int64_t inca = blas_vector_inc(p.k, a.stride(ca));  // a's row as the vector x (GemvB, Dot)
  if (a_is_matrix ? !la.ok : inca == 0) {
    a = dense_matrices(a, p.nb);
    la = blas_matrix_layout(p.m, p.k, a.stride(ra), a.stride(ca));
    inca = blas_vector_inc(p.k, a.stride(ca));
  }
  BlasMatrix lb = blas_matrix_layout(p.k, p.n, b.stride(ra), b.stride(ca));
  int64_t incb = blas_vector_inc(p.k, b.stride(ra));  // b's column as the vector x (GemvA, Dot)
  if (b_is_matrix ? !lb.ok : incb == 0) {
    b = dense_matrices(b, p.nb);
    lb = blas_matrix_layout(p.k, p.n, b.stride(ra), b.stride(ca));
    incb = blas_vector_inc(p.k, b.stride(ra));
  }

  const T* a0 = a.data_as<T>();
  const T* b0 = b.data_as<T>();
  T* o0 = out.data_as<T>();
  const blasint m = static_cast<blasint>(p.m), n = static_cast<blasint>(p.n), k = static_cast<blasint>(p.k);
  const blasint lda = static_cast<blasint>(la.ld), ldb = static_cast<blasint>(lb.ld);
  const blasint ia = static_cast<blasint>(inca), ib = static_cast<blasint>(incb);

  for_each_item(r, p, [&](int64_t item) {
    const T* pa = a0 + batch_offset(a, p.nb, item);
    const T* pb = b0 + batch_offset(b, p.nb, item);
    T* po = o0 + item * p.m * p.n;
    switch (r) {
      case Routine::Dot: *po = Cblas<T>::dot(k, pa, ia, pb, ib); break;
      case Routine::GemvA:  // y[m] = A[m, k] x[k]; y is zeroed first so garbage (NaN) never meets beta = 0
        std::fill(po, po + p.m, T(0));
        if (la.transposed)
          Cblas<T>::gemv(CblasTrans, k, m, pa, lda, pb, ib, po);
        else
          Cblas<T>::gemv(CblasNoTrans, m, k, pa, lda, pb, ib, po);
        break;
      case Routine::GemvB:  // y[n] = B[k, n]^T x[k]
        std::fill(po, po + p.n, T(0));
        if (lb.transposed)
          Cblas<T>::gemv(CblasNoTrans, n, k, pb, ldb, pa, ia, po);
        else
          Cblas<T>::gemv(CblasTrans, k, n, pb, ldb, pa, ia, po);
        break;
      case Routine::Gemm:
        Cblas<T>::gemm(trans_flag(la.transposed), trans_flag(lb.transposed), m, n, k, pa, lda, pb, ldb, po, n);
        break;
    }
  });
}

// Integer matmul: row-by-row accumulation in the unsigned type (wraps on overflow instead of UB).
template <typename T>
void matmul_integer(const Tensor& out, const Tensor& a, const Tensor& b, const Problem& p) {
  using U = std::make_unsigned_t<T>;
  const int64_t sar = a.stride(p.nb), sac = a.stride(p.nb + 1), sbr = b.stride(p.nb), sbc = b.stride(p.nb + 1);
  const T* a0 = a.data_as<T>();
  const T* b0 = b.data_as<T>();
  T* o0 = out.data_as<T>();
  const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(p.n * p.k, 1));
  parallel_for(p.batch * p.m, grain, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t item = row / p.m, i = row % p.m;
      const T* pa = a0 + batch_offset(a, p.nb, item) + i * sar;
      const T* pb = b0 + batch_offset(b, p.nb, item);
      T* po = o0 + row * p.n;
      std::fill(po, po + p.n, T(0));
      for (int64_t kk = 0; kk < p.k; ++kk) {
        const U av = static_cast<U>(pa[kk * sac]);
        const T* brow = pb + kk * sbr;
        for (int64_t j = 0; j < p.n; ++j)
          po[j] = static_cast<T>(static_cast<U>(po[j]) + av * static_cast<U>(brow[j * sbc]));
      }
    }
  });
}

// Note [half matmul]: float16 and bfloat16 multiply in float32 and round the result once, as PyTorch
// (float32 accumulation, the opmath of the halves). Debian's OpenBLAS 0.3.21 is built without
// BUILD_BFLOAT16 (its libopenblas exports no cblas_sbgemm, although cblas.h declares it). So bfloat16
// matrix products go to our AVX512-BF16 GEMM (cpu/gemm_bf16.h) on CPUs that have the instruction; the
// rest (float16, bfloat16 without it, and vector cases, which are memory-bound) convert the operands to
// float32 (vectorised, cpu/vec_convert.h; each distinct matrix once) for sgemm/sgemv/sdot: O(m k + k n)
// conversions next to the O(m n k) product.
void matmul_half(const Tensor& out, const Tensor& a, const Tensor& b, const Problem& p) {
  if (out.dtype() == DType::BFloat16 && routine_for(p) == Routine::Gemm && gemm_bf16_available()) {
    const int32_t r = p.nb, c = p.nb + 1;
    const BFloat16* a0 = a.data_as<BFloat16>();
    const BFloat16* b0 = b.data_as<BFloat16>();
    BFloat16* o0 = out.data_as<BFloat16>();
    auto item = [&](int64_t i) {
      gemm_bf16(p.m, p.n, p.k, a0 + batch_offset(a, p.nb, i), a.stride(r), a.stride(c), b0 + batch_offset(b, p.nb, i),
                b.stride(r), b.stride(c), o0 + i * p.m * p.n);
    };
    // Small products run one per thread (gemm_bf16 then stays serial); large ones one after another, each
    // on all threads.
    if (static_cast<double>(p.m) * p.n * p.k < double(1 << 21)) {
      parallel_for(p.batch, 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) item(i);
      });
    } else {
      for (int64_t i = 0; i < p.batch; ++i) item(i);
    }
    return;
  }
  const Tensor af = dense_matrices(a, p.nb, DType::Float32), bf = dense_matrices(b, p.nb, DType::Float32);
  const Tensor of = make_empty(out.shape(), DType::Float32, out.device());
  matmul_blas<float>(of, af, bf, p);
  copy(out, of);
}

}  // namespace

void matmul(const Tensor& out, const Tensor& a, const Tensor& b) {
  const int32_t nd = out.ndim();
  LT_CHECK(nd >= 2 && a.ndim() == nd && b.ndim() == nd && a.dtype() == out.dtype() && b.dtype() == out.dtype(),
           Status::Internal,
           "matmul kernel: operands " << shape_str(a.shape()) << " and " << shape_str(b.shape())
                                      << " do not match the output " << shape_str(out.shape()));
  Problem p{nd - 2, 1, out.size(nd - 2), out.size(nd - 1), a.size(nd - 1)};
  if (out.numel() == 0) return;
  if (p.k == 0) {  // an empty sum
    fill(out, 0.0);
    return;
  }
  p.batch = out.numel() / (p.m * p.n);
  if (is_floating(out.dtype())) {
    LT_CHECK(p.m <= kBlasIntMax && p.n <= kBlasIntMax && p.k <= kBlasIntMax, Status::Backend,
             "matmul of " << shape_str(a.shape()) << " and " << shape_str(b.shape())
                          << ": a matrix dimension exceeds the BLAS limit of " << kBlasIntMax);
  }
  // Note [BLAS thread count] (blas.cpp): no thread-count change while OpenBLAS runs.
  std::shared_lock<std::shared_mutex> blas_lock(blas_threads_mutex(), std::defer_lock);
  if (is_floating(out.dtype())) blas_lock.lock();
  switch (out.dtype()) {
    case DType::Float32: matmul_blas<float>(out, a, b, p); break;
    case DType::Float64: matmul_blas<double>(out, a, b, p); break;
    case DType::Float16:
    case DType::BFloat16: matmul_half(out, a, b, p); break;
    case DType::Int32: matmul_integer<int32_t>(out, a, b, p); break;
    case DType::Int64: matmul_integer<int64_t>(out, a, b, p); break;
    default: throw_error(Status::DType, std::string("matmul: unsupported dtype ") + dtype_name(out.dtype()));
  }
}

}  // namespace lt::cpu
