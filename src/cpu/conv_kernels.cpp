// The CPU convolution kernels (rows conv2d, conv2d_backward_input, conv2d_backward_weight of
// LT_BACKEND_KERNELS): im2col / col2im around one OpenBLAS GEMM per image and group.
//
// Note [CPU conv strategy]: for image n and group g, im2col lays the receptive fields out as a matrix
// col (Cg*KH*KW, OH*OW); then out[n, g] (Og, OH*OW) = W_g (Og, Cg*KH*KW) @ col, the input's grad is
// col2im(W_g^T @ grad_out[n, g]) and the weight's grad sums grad_out[n, g] @ col^T over the images.
//   - 1x1 kernels with stride 1 and no padding need no col: the image itself is the matrix (a plain GEMM).
//   - Parallelism: with two images or more the images are split over the library's threads, each with
//     its own col buffer, and every GEMM runs on the calling thread: below kSmallGemm multiply-adds
//     OpenBLAS does so anyway (the digits / MNIST case: 32 filters over one channel); above it
//     OpenBLAS is set to one thread for the call, under the BLAS lock held exclusively (SerialBlas), as
//     PyTorch's CPU convolution does. One synchronisation per call instead of two per image (im2col's and
//     OpenBLAS's): on a loaded 2-core machine each of those waits for a preempted thread, and the
//     (64, 64, 56, 56) x 64 3x3 forward took 1.8-2.2 s with per-image threaded GEMMs against 0.3 s on one
//     thread. A single image runs im2col split over the threads and one threaded GEMM. This never runs
//     threaded OpenBLAS calls from several threads at once (they would oversubscribe the cores).
//   - The weight's grad over split images: each of a fixed number of chunks sums into its own buffer and
//     the buffers are added in chunk order, so the result does not depend on thread timing.
#include <cblas.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "core/conv_geom.h"
#include "core/parallel.h"
#include "core/shape.h"
#include "cpu/blas.h"
#include "cpu/kernels.h"
#include "cpu/matmul.h"

namespace lt::cpu {

namespace {

// OpenBLAS runs a GEMM of at most this many multiply-adds on the calling thread (SMP_THRESHOLD_MIN *
// GEMM_MULTITHREAD_THRESHOLD in its interface/gemm.c).
constexpr int64_t kSmallGemm = 65536 * 4;

void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb,
          float beta, float* c, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, blasint(m), blasint(n),
              blasint(k), 1.0f, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc));
}
void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* a, int64_t lda, const double* b, int64_t ldb,
          double beta, double* c, int64_t ldc) {
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, blasint(m), blasint(n),
              blasint(k), 1.0, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc));
}

using Geom = ConvGeom;

// The geometry (core/conv_geom.h), refusing GEMM sizes OpenBLAS's int cannot hold.
Geom geom(const DimVector& in, const DimVector& wt, const DimVector& out, const ConvArgs& a) {
  const Geom g = conv_geom(in, wt, out, a);
  LT_CHECK(g.og <= kBlasIntMax && g.ohw <= kBlasIntMax && g.ckk <= kBlasIntMax, Status::Backend,
           "conv2d: a GEMM dimension exceeds the BLAS limit of " << kBlasIntMax);
  return g;
}

// The output columns [lo, hi) whose input column ow * sw + off lies inside [0, w).
void valid_cols(const Geom& g, int64_t off, int64_t& lo, int64_t& hi) {
  lo = off >= 0 ? 0 : (-off + g.sw - 1) / g.sw;
  hi = g.w - off <= 0 ? 0 : (g.w - off + g.sw - 1) / g.sw;
  lo = std::min(lo, g.ow);
  hi = std::max(lo, std::min(hi, g.ow));
}

// Visits every (col row, output row) pair of the image's channels [c0, c1): fn(col_row_ptr_offset, ih or
// -1 when the whole output row reads padding, lo, hi, off) where [lo, hi) are the output columns reading
// the input and off the input column of output column 0.
template <typename Fn>
void for_each_col_row(const Geom& g, int64_t c0, int64_t c1, Fn&& fn) {
  for (int64_t c = c0; c < c1; ++c)
    for (int64_t ki = 0; ki < g.kh; ++ki)
      for (int64_t kj = 0; kj < g.kw; ++kj) {
        const int64_t row = (c * g.kh + ki) * g.kw + kj, off = kj * g.dw - g.pw;
        int64_t lo, hi;
        valid_cols(g, off, lo, hi);
        for (int64_t oh = 0; oh < g.oh; ++oh) {
          const int64_t ih = oh * g.sh - g.ph + ki * g.dh;
          fn(row * g.ohw + oh * g.ow, c, ih >= 0 && ih < g.h ? ih : -1, lo, hi, off);
        }
      }
}

// Channels per parallel chunk for a loop over one image's channels.
int64_t channel_grain(const Geom& g) {
  return std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, g.kh * g.kw * g.ohw));
}

// col (Cg*KH*KW, OH*OW) from one group's image x (Cg, H, W); zeros where the field reads padding.
template <typename T>
void im2col(const Geom& g, const T* x, T* col) {
  parallel_for(g.cg, channel_grain(g), [&](int64_t c0, int64_t c1) {
    for_each_col_row(g, c0, c1, [&](int64_t at, int64_t c, int64_t ih, int64_t lo, int64_t hi, int64_t off) {
      T* r = col + at;
      if (ih < 0) {
        std::fill(r, r + g.ow, T(0));
        return;
      }
      std::fill(r, r + lo, T(0));
      std::fill(r + hi, r + g.ow, T(0));
      const T* src = x + c * g.hw + ih * g.w + off;
      if (g.sw == 1) {
        if (hi > lo) std::memcpy(r + lo, src + lo, sizeof(T) * static_cast<size_t>(hi - lo));
      } else {
        for (int64_t j = lo; j < hi; ++j) r[j] = src[j * g.sw];
      }
    });
  });
}

// x (Cg, H, W) += col2im(col); each channel is written by one thread only.
template <typename T>
void col2im(const Geom& g, const T* col, T* x) {
  parallel_for(g.cg, channel_grain(g), [&](int64_t c0, int64_t c1) {
    for_each_col_row(g, c0, c1, [&](int64_t at, int64_t c, int64_t ih, int64_t lo, int64_t hi, int64_t off) {
      if (ih < 0) return;
      const T* r = col + at;
      T* dst = x + c * g.hw + ih * g.w + off;
      if (g.sw == 1) {
        for (int64_t j = lo; j < hi; ++j) dst[j] += r[j];
      } else {
        for (int64_t j = lo; j < hi; ++j) dst[j * g.sw] += r[j];
      }
    });
  });
}

// Holds the BLAS lock for one convolution: shared when its GEMMs may use OpenBLAS's threads; exclusive,
// with OpenBLAS at one thread until destruction, when the images are split over the library's threads
// and a GEMM is large enough that OpenBLAS would thread it (Note [CPU conv strategy]).
class SerialBlas {
 public:
  SerialBlas(const Geom& g, int64_t gemm_size) : split_(g.n >= 2 && get_num_threads() > 1) {
    if (split_ && gemm_size > kSmallGemm) {
      exclusive_ = std::unique_lock<std::shared_mutex>(blas_threads_mutex());
      old_threads_ = openblas_get_num_threads();
      openblas_set_num_threads(1);
    } else {
      shared_ = std::shared_lock<std::shared_mutex>(blas_threads_mutex());
    }
  }
  ~SerialBlas() {
    if (exclusive_.owns_lock()) openblas_set_num_threads(old_threads_);
  }
  SerialBlas(const SerialBlas&) = delete;
  SerialBlas& operator=(const SerialBlas&) = delete;
  bool split() const { return split_; }

 private:
  bool split_;
  int old_threads_ = 1;
  std::unique_lock<std::shared_mutex> exclusive_;
  std::shared_lock<std::shared_mutex> shared_;
};

// Runs fn(n0, n1, col) over the images [0, N): split over the threads when `split`, else in order
// (Note [CPU conv strategy]). `col` is a buffer of Cg*KH*KW*OH*OW elements (null for pointwise).
template <typename T, typename Fn>
void over_images(const Geom& g, bool split, Fn&& fn) {
  const size_t col_elems = g.pointwise ? 0 : static_cast<size_t>(g.ckk * g.ohw);
  auto run = [&](int64_t n0, int64_t n1) {
    std::unique_ptr<T[]> col(col_elems ? new T[col_elems] : nullptr);
    fn(n0, n1, col.get());
  };
  if (split)
    parallel_for(g.n, 1, run);
  else
    run(0, g.n);
}

template <typename T>
void forward(const Tensor& out, const Tensor& input, const Tensor& weight, const Tensor& bias, const Geom& g,
             bool split) {
  const T* x = input.data_as<T>();
  const T* wt = weight.data_as<T>();
  const T* b = bias.defined() ? bias.data_as<T>() : nullptr;
  T* y = out.data_as<T>();
  over_images<T>(g, split, [&](int64_t n0, int64_t n1, T* col) {
    for (int64_t n = n0; n < n1; ++n)
      for (int64_t gi = 0; gi < g.groups; ++gi) {
        const T* xg = x + (n * g.c + gi * g.cg) * g.hw;
        T* yg = y + (n * g.o + gi * g.og) * g.ohw;
        if (b)  // the bias is fused: out starts as the bias and the GEMM accumulates (beta = 1)
          for (int64_t o = 0; o < g.og; ++o) std::fill(yg + o * g.ohw, yg + (o + 1) * g.ohw, b[gi * g.og + o]);
        if (g.ckk == 0) {
          if (!b) std::fill(yg, yg + g.og * g.ohw, T(0));
          continue;
        }
        const T* a = xg;
        if (!g.pointwise) {
          im2col(g, xg, col);
          a = col;
        }
        gemm(false, false, g.og, g.ohw, g.ckk, wt + gi * g.og * g.ckk, g.ckk, a, g.ohw, b ? T(1) : T(0), yg, g.ohw);
      }
  });
}

template <typename T>
void backward_input(const Tensor& grad_input, const Tensor& grad_out, const Tensor& weight, const Geom& g, bool split) {
  T* gx = grad_input.data_as<T>();
  const T* gy = grad_out.data_as<T>();
  const T* wt = weight.data_as<T>();
  over_images<T>(g, split, [&](int64_t n0, int64_t n1, T* col) {
    for (int64_t n = n0; n < n1; ++n)
      for (int64_t gi = 0; gi < g.groups; ++gi) {
        T* gxg = gx + (n * g.c + gi * g.cg) * g.hw;
        const T* gyg = gy + (n * g.o + gi * g.og) * g.ohw;
        const T* wg = wt + gi * g.og * g.ckk;
        if (g.og == 0 || g.ckk == 0) {
          std::fill(gxg, gxg + g.cg * g.hw, T(0));
          continue;
        }
        if (g.pointwise) {  // col2im is the identity: the GEMM writes the grad in place
          gemm(true, false, g.ckk, g.ohw, g.og, wg, g.ckk, gyg, g.ohw, T(0), gxg, g.ohw);
          continue;
        }
        gemm(true, false, g.ckk, g.ohw, g.og, wg, g.ckk, gyg, g.ohw, T(0), col, g.ohw);
        std::fill(gxg, gxg + g.cg * g.hw, T(0));
        col2im(g, col, gxg);
      }
  });
}

template <typename T>
void backward_weight(const Tensor& grad_weight, const Tensor& grad_out, const Tensor& input, const Geom& g,
                     bool split) {
  const T* x = input.data_as<T>();
  const T* gy = grad_out.data_as<T>();
  const int64_t wsize = g.o * g.ckk;
  // Sums images [n0, n1) into dst (O, Cg*KH*KW), which starts at zero.
  auto sum_images = [&](int64_t n0, int64_t n1, T* dst, T* col) {
    std::fill(dst, dst + wsize, T(0));
    for (int64_t n = n0; n < n1; ++n)
      for (int64_t gi = 0; gi < g.groups; ++gi) {
        const T* xg = x + (n * g.c + gi * g.cg) * g.hw;
        const T* a = xg;
        if (!g.pointwise) {
          im2col(g, xg, col);
          a = col;
        }
        gemm(false, true, g.og, g.ckk, g.ohw, gy + (n * g.o + gi * g.og) * g.ohw, g.ohw, a, g.ohw, T(1),
             dst + gi * g.og * g.ckk, g.ckk);
      }
  };
  T* gw = grad_weight.data_as<T>();
  const size_t col_elems = g.pointwise ? 0 : static_cast<size_t>(g.ckk * g.ohw);
  const int64_t chunks = split ? std::min<int64_t>(get_num_threads(), g.n) : 1;
  if (chunks <= 1) {
    std::unique_ptr<T[]> col(col_elems ? new T[col_elems] : nullptr);
    sum_images(0, g.n, gw, col.get());
    return;
  }
  // Chunk i sums images [i*N/chunks, (i+1)*N/chunks) into its own buffer (chunk 0 into grad_weight).
  std::vector<std::unique_ptr<T[]>> partial(static_cast<size_t>(chunks));
  parallel_for(chunks, 1, [&](int64_t i0, int64_t i1) {
    std::unique_ptr<T[]> col(col_elems ? new T[col_elems] : nullptr);
    for (int64_t i = i0; i < i1; ++i) {
      T* dst = gw;
      if (i > 0) {
        partial[static_cast<size_t>(i)].reset(new T[static_cast<size_t>(wsize)]);
        dst = partial[static_cast<size_t>(i)].get();
      }
      sum_images(i * g.n / chunks, (i + 1) * g.n / chunks, dst, col.get());
    }
  });
  for (int64_t i = 1; i < chunks; ++i) {
    const T* p = partial[static_cast<size_t>(i)].get();
    for (int64_t j = 0; j < wsize; ++j) gw[j] += p[j];
  }
}

}  // namespace

void conv2d(const Tensor& out, const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvArgs& args) {
  if (out.numel() == 0) return;
  const Geom g = geom(input.shape(), weight.shape(), out.shape(), args);
  // Note [BLAS thread count] (blas.cpp): no thread-count change while OpenBLAS runs.
  SerialBlas blas(g, g.og * g.ohw * g.ckk);
  LT_DISPATCH_FLOATING(out.dtype(), "conv2d", { forward<scalar_t>(out, input, weight, bias, g, blas.split()); });
}

void conv2d_backward_input(const Tensor& grad_input, const Tensor& grad_out, const Tensor& weight,
                           const ConvArgs& args) {
  if (grad_input.numel() == 0) return;
  const Geom g = geom(grad_input.shape(), weight.shape(), grad_out.shape(), args);
  SerialBlas blas(g, g.og * g.ohw * g.ckk);
  LT_DISPATCH_FLOATING(grad_input.dtype(), "conv2d backward",
                       { backward_input<scalar_t>(grad_input, grad_out, weight, g, blas.split()); });
}

void conv2d_backward_weight(const Tensor& grad_weight, const Tensor& grad_out, const Tensor& input,
                            const ConvArgs& args) {
  if (grad_weight.numel() == 0) return;
  const Geom g = geom(input.shape(), grad_weight.shape(), grad_out.shape(), args);
  SerialBlas blas(g, g.og * g.ohw * g.ckk);
  LT_DISPATCH_FLOATING(grad_weight.dtype(), "conv2d backward",
                       { backward_weight<scalar_t>(grad_weight, grad_out, input, g, blas.split()); });
}

}  // namespace lt::cpu
