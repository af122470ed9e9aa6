// CUDA kernels of the scans (rows cumulative, cumprod_backward of LT_BACKEND_KERNELS; the CPU side is
// src/cpu/scan_kernels.cpp): one thread per line of the (A, N, B) view, running the line code the CPU
// runs (core/scan_lines.h), so both accumulate alike. Simple and exact to the CPU's order; a single very
// long line (A * B small) is serial on one thread, where a block-wide scan would be faster.
#include <cuda_runtime.h>

#include <cstdint>

#include "core/scan_lines.h"
#include "core/shape.h"
#include "core/status.h"
#include "cuda/cuda_check.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

constexpr int kThreads = 128;

unsigned blocks_for(int64_t n) { return static_cast<unsigned>((n + kThreads - 1) / kThreads); }

template <typename T>
__global__ void scan_kernel(T* out, const T* in, int64_t lines, int64_t n, int64_t inner, bool prod, bool reverse) {
  const int64_t l = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (l >= lines) return;
  const int64_t o = (l / inner) * n * inner + l % inner;
  scan_line(out + o, in + o, n, inner, prod, reverse);
}

template <typename T>
__global__ void cumprod_backward_kernel(T* gi, const T* g, const T* x, const T* y, int64_t lines, int64_t n,
                                        int64_t inner) {
  const int64_t l = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (l >= lines) return;
  const int64_t o = (l / inner) * n * inner + l % inner;
  cumprod_backward_line(gi + o, g + o, x + o, y + o, n, inner);
}

}  // namespace

void cumulative(const Tensor& out, const Tensor& in, int32_t dim, bool prod, bool reverse) {
  if (out.numel() == 0) return;
  const DimSplit g = split_at_dim(in.shape(), dim);
  const int64_t lines = g.outer * g.inner;
  cudaStream_t s = stream(out.device().index);
  switch (in.dtype()) {
    case DType::Float32:
      scan_kernel<float><<<blocks_for(lines), kThreads, 0, s>>>(out.data_as<float>(), in.data_as<float>(), lines,
                                                               g.size, g.inner, prod, reverse);
      break;
    case DType::Float64:
      scan_kernel<double><<<blocks_for(lines), kThreads, 0, s>>>(out.data_as<double>(), in.data_as<double>(), lines,
                                                                g.size, g.inner, prod, reverse);
      break;
    case DType::Int64:
      scan_kernel<int64_t><<<blocks_for(lines), kThreads, 0, s>>>(out.data_as<int64_t>(), in.data_as<int64_t>(),
                                                                 lines, g.size, g.inner, prod, reverse);
      break;
    default: throw_error(Status::Internal, "cumulative: unexpected dtype");
  }
  check_launch(prod ? "cumprod" : "cumsum");
}

void cumprod_backward(const Tensor& grad_in, const Tensor& grad_out, const Tensor& in, const Tensor& out,
                      int32_t dim) {
  if (in.numel() == 0) return;
  const DimSplit g = split_at_dim(in.shape(), dim);
  const int64_t lines = g.outer * g.inner;
  cudaStream_t s = stream(in.device().index);
  LT_DISPATCH_FLOATING(in.dtype(), "cumprod_backward", {
    cumprod_backward_kernel<scalar_t><<<blocks_for(lines), kThreads, 0, s>>>(
        grad_in.data_as<scalar_t>(), grad_out.data_as<scalar_t>(), in.data_as<scalar_t>(), out.data_as<scalar_t>(),
        lines, g.size, g.inner);
  });
  check_launch("cumprod_backward");
}

}  // namespace lt::cuda
