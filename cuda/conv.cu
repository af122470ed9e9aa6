// The CUDA convolution kernels (rows conv2d, conv2d_backward_input, conv2d_backward_weight of
// LT_BACKEND_KERNELS; the CPU side is src/cpu/conv_kernels.cpp).
//
// Note [CUDA conv strategy]: im2col + cuBLAS through the existing loader (cuda/cublas_loader.h,
// cublas_gemm in cuda/matmul.h), not cuDNN. cuDNN would be faster on large problems, but it is one more
// library to open at run time with its own descriptor and workspace API, and this change was written on a
// machine without a GPU, where only code that reuses tested paths could be made trustworthy; cuDNN is
// the next step once it can be measured. The images run in chunks of B (the col buffer of a chunk is
// at most kColBytes): im2col writes col (B, Cg*KH*KW, OH*OW) for one group and one strided-batched GEMM per
// group computes the chunk (W_g broadcast over the batch with stride 0):
//   forward       out[n, g] (Og, OH*OW)   = W_g @ col[n]            (out pre-filled with the bias)
//   input grad    col[n]                  = W_g^T @ grad_out[n, g], then col2im (a gather: each input
//                                           element sums its own taps, so no atomics and no zeroing)
//   weight grad   grad_W_g (Og, Cg*KH*KW) += grad_out[n, g] @ col[n]^T, one accumulating GEMM per image.
// Without cuBLAS the tiled matmul kernel does the products (cuda::matmul's fallback).
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>

#include "core/conv_geom.h"
#include "core/shape.h"
#include "cuda/cuda_check.h"
#include "cuda/grid_stride.h"
#include "cuda/kernels.h"
#include "cuda/matmul.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

constexpr int64_t kColBytes = int64_t(256) << 20;

using Geom = ConvGeom;  // core/conv_geom.h, as the CPU kernels read it

// col[b, r, p] for images n0 + b, channels of group gi; r = (c, ki, kj), p = (oh, ow).
template <typename T>
__global__ void im2col_kernel(const T* __restrict__ x, T* __restrict__ col, Geom g, int64_t n0, int64_t gi,
                              int64_t total) {
  LT_GRID_LOOP(i, total) {
    const int64_t p = i % g.ohw, r = (i / g.ohw) % g.ckk, b = i / (g.ohw * g.ckk);
    const int64_t kj = r % g.kw, ki = (r / g.kw) % g.kh, c = r / (g.kw * g.kh);
    const int64_t ih = (p / g.ow) * g.sh - g.ph + ki * g.dh, iw = (p % g.ow) * g.sw - g.pw + kj * g.dw;
    T v = T(0);
    if (ih >= 0 && ih < g.h && iw >= 0 && iw < g.w) v = x[(((n0 + b) * g.c + gi * g.cg + c) * g.h + ih) * g.w + iw];
    col[i] = v;
  }
}

// gx[n0 + b, group gi's channel c, ih, iw] = the sum of the col entries that read it (overwritten).
template <typename T>
__global__ void col2im_kernel(const T* __restrict__ col, T* __restrict__ gx, Geom g, int64_t n0, int64_t gi,
                              int64_t total) {
  LT_GRID_LOOP(i, total) {
    const int64_t iw = i % g.w, ih = (i / g.w) % g.h, c = (i / (g.w * g.h)) % g.cg, b = i / (g.w * g.h * g.cg);
    T acc = T(0);
    for (int64_t ki = 0; ki < g.kh; ++ki) {
      const int64_t th = ih + g.ph - ki * g.dh;
      if (th < 0 || th % g.sh != 0 || th / g.sh >= g.oh) continue;
      for (int64_t kj = 0; kj < g.kw; ++kj) {
        const int64_t tw = iw + g.pw - kj * g.dw;
        if (tw < 0 || tw % g.sw != 0 || tw / g.sw >= g.ow) continue;
        const int64_t r = (c * g.kh + ki) * g.kw + kj;
        acc += col[(b * g.ckk + r) * g.ohw + (th / g.sh) * g.ow + tw / g.sw];
      }
    }
    gx[(((n0 + b) * g.c + gi * g.cg + c) * g.h + ih) * g.w + iw] = acc;
  }
}

// out = a @ b, or out += a @ b when accumulate.
void gemm(const Tensor& out, const Tensor& a, const Tensor& b, bool accumulate) {
  if (!accumulate) return matmul(out, a, b);
  if (cublas_takes(out.dtype())) return cublas_gemm(out, a, b, true);
  Tensor t = make_empty(out.shape(), out.dtype(), out.device());
  matmul(t, a, b);
  binary(BinaryOp::Add, out, out, t);
}

// Images per chunk so that one chunk's col stays within kColBytes.
int64_t chunk_images(const Geom& g, DType dt) {
  const int64_t per = std::max<int64_t>(1, g.ckk * g.ohw * static_cast<int64_t>(itemsize(dt)));
  return std::max<int64_t>(1, std::min<int64_t>(g.n, kColBytes / per));
}

template <typename T>
void launch_im2col(const Tensor& x, const Tensor& col, const Geom& g, int64_t n0, int64_t bsz, int64_t gi) {
  const int64_t total = bsz * g.ckk * g.ohw;
  im2col_kernel<T><<<grid_blocks(total), kGridThreads, 0, stream(x.device().index)>>>(x.data_as<T>(), col.data_as<T>(),
                                                                                      g, n0, gi, total);
  check_launch("conv2d im2col");
}

// The (bsz, Og, OH*OW) view of t (N, O, OH, OW) at images n0.., group gi.
Tensor group_view(const Tensor& t, const Geom& g, int64_t n0, int64_t bsz, int64_t gi) {
  return make_view(t, DimVector{bsz, g.og, g.ohw}, DimVector{g.o * g.ohw, g.ohw, 1},
                   t->offset + (n0 * g.o + gi * g.og) * g.ohw);
}

// W_g (Og, Cg*KH*KW) of weight (O, Cg, KH, KW), broadcast over bsz images (stride 0) when bsz > 0.
Tensor weight_view(const Tensor& w, const Geom& g, int64_t gi, int64_t bsz, bool transposed) {
  const int64_t off = w->offset + gi * g.og * g.ckk;
  if (bsz == 0) return make_view(w, DimVector{g.og, g.ckk}, DimVector{g.ckk, 1}, off);
  if (transposed) return make_view(w, DimVector{bsz, g.ckk, g.og}, DimVector{0, 1, g.ckk}, off);
  return make_view(w, DimVector{bsz, g.og, g.ckk}, DimVector{0, g.ckk, 1}, off);
}

}  // namespace

void conv2d(const Tensor& out, const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvArgs& args) {
  if (out.numel() == 0) return;
  const Geom g = conv_geom(input.shape(), weight.shape(), out.shape(), args);
  if (bias.defined())
    copy(out, make_view(bias, out.shape(), DimVector{0, bias.stride(0), 0, 0}, bias->offset));
  else
    fill(out, 0.0);
  if (g.ckk == 0) return;
  const int64_t chunk = chunk_images(g, out.dtype());
  Tensor col = make_empty(DimVector{chunk, g.ckk, g.ohw}, out.dtype(), out.device());
  for (int64_t n0 = 0; n0 < g.n; n0 += chunk) {
    const int64_t bsz = std::min(chunk, g.n - n0);
    Tensor colb = make_view(col, DimVector{bsz, g.ckk, g.ohw}, DimVector{g.ckk * g.ohw, g.ohw, 1}, col->offset);
    for (int64_t gi = 0; gi < g.groups; ++gi) {
      LT_DISPATCH_FLOATING(out.dtype(), "conv2d", { launch_im2col<scalar_t>(input, colb, g, n0, bsz, gi); });
      Tensor dst = group_view(out, g, n0, bsz, gi);
      if (g.groups == 1) {  // the chunk of out is contiguous: the GEMM accumulates onto the bias in place
        gemm(dst, weight_view(weight, g, gi, bsz, false), colb, true);
      } else {
        Tensor t = make_empty(DimVector{bsz, g.og, g.ohw}, out.dtype(), out.device());
        gemm(t, weight_view(weight, g, gi, bsz, false), colb, false);
        binary(BinaryOp::Add, dst, dst, t);
      }
    }
  }
}

void conv2d_backward_input(const Tensor& grad_input, const Tensor& grad_out, const Tensor& weight,
                           const ConvArgs& args) {
  if (grad_input.numel() == 0) return;
  const Geom g = conv_geom(grad_input.shape(), weight.shape(), grad_out.shape(), args);
  if (g.og == 0 || g.ckk == 0) return fill(grad_input, 0.0);
  const int64_t chunk = chunk_images(g, grad_input.dtype());
  Tensor col = make_empty(DimVector{chunk, g.ckk, g.ohw}, grad_input.dtype(), grad_input.device());
  for (int64_t n0 = 0; n0 < g.n; n0 += chunk) {
    const int64_t bsz = std::min(chunk, g.n - n0);
    Tensor colb = make_view(col, DimVector{bsz, g.ckk, g.ohw}, DimVector{g.ckk * g.ohw, g.ohw, 1}, col->offset);
    for (int64_t gi = 0; gi < g.groups; ++gi) {
      gemm(colb, weight_view(weight, g, gi, bsz, true), group_view(grad_out, g, n0, bsz, gi), false);
      const int64_t total = bsz * g.cg * g.h * g.w;
      LT_DISPATCH_FLOATING(grad_input.dtype(), "conv2d backward", {
        col2im_kernel<scalar_t><<<grid_blocks(total), kGridThreads, 0, stream(grad_input.device().index)>>>(
            colb.data_as<scalar_t>(), grad_input.data_as<scalar_t>(), g, n0, gi, total);
      });
      check_launch("conv2d col2im");
    }
  }
}

void conv2d_backward_weight(const Tensor& grad_weight, const Tensor& grad_out, const Tensor& input,
                            const ConvArgs& args) {
  if (grad_weight.numel() == 0) return;
  const Geom g = conv_geom(input.shape(), grad_weight.shape(), grad_out.shape(), args);
  fill(grad_weight, 0.0);
  if (g.n == 0) return;
  const int64_t chunk = chunk_images(g, grad_weight.dtype());
  Tensor col = make_empty(DimVector{chunk, g.ckk, g.ohw}, grad_weight.dtype(), grad_weight.device());
  for (int64_t n0 = 0; n0 < g.n; n0 += chunk) {
    const int64_t bsz = std::min(chunk, g.n - n0);
    for (int64_t gi = 0; gi < g.groups; ++gi) {
      Tensor colb = make_view(col, DimVector{bsz, g.ckk, g.ohw}, DimVector{g.ckk * g.ohw, g.ohw, 1}, col->offset);
      LT_DISPATCH_FLOATING(grad_weight.dtype(), "conv2d backward",
                           { launch_im2col<scalar_t>(input, colb, g, n0, bsz, gi); });
      Tensor gw = weight_view(grad_weight, g, gi, 0, false);
      for (int64_t b = 0; b < bsz; ++b) {
        Tensor gy = make_view(grad_out, DimVector{g.og, g.ohw}, DimVector{g.ohw, 1},
                              grad_out->offset + ((n0 + b) * g.o + gi * g.og) * g.ohw);
        Tensor colt = make_view(col, DimVector{g.ohw, g.ckk}, DimVector{1, g.ohw}, col->offset + b * g.ckk * g.ohw);
        gemm(gw, gy, colt, true);
      }
    }
  }
}

}  // namespace lt::cuda
