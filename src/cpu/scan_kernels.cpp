// CPU kernels of the scans (rows cumulative, cumprod_backward of LT_BACKEND_KERNELS; the CUDA side is
// cuda/scan.cu). Operands are contiguous and seen as (A, N, B) around the dim; each of the A * B lines
// runs core/scan_lines.h, the lines shared among the threads.
#include <algorithm>

#include "core/parallel.h"
#include "core/scan_lines.h"
#include "core/shape.h"
#include "core/status.h"
#include "cpu/kernels.h"

namespace lt::cpu {

namespace {

// Calls f(line_offset) for each of the A * B lines of an (A, N, B) tensor.
template <typename F>
void for_each_line(const DimSplit& g, F&& f) {
  const int64_t lines = g.outer * g.inner;
  parallel_for(lines, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(g.size, 1)), [&](int64_t begin, int64_t end) {
    for (int64_t l = begin; l < end; ++l) f((l / g.inner) * g.size * g.inner + l % g.inner);
  });
}

}  // namespace

void cumulative(const Tensor& out, const Tensor& in, int32_t dim, bool prod, bool reverse) {
  if (out.numel() == 0) return;
  const DimSplit g = split_at_dim(in.shape(), dim);
  switch (in.dtype()) {
    case DType::Float32:
      for_each_line(g, [&](int64_t o) {
        scan_line(out.data_as<float>() + o, in.data_as<float>() + o, g.size, g.inner, prod, reverse);
      });
      return;
    case DType::Float64:
      for_each_line(g, [&](int64_t o) {
        scan_line(out.data_as<double>() + o, in.data_as<double>() + o, g.size, g.inner, prod, reverse);
      });
      return;
    case DType::Int64:
      for_each_line(g, [&](int64_t o) {
        scan_line(out.data_as<int64_t>() + o, in.data_as<int64_t>() + o, g.size, g.inner, prod, reverse);
      });
      return;
    default: throw_error(Status::Internal, "cumulative: unexpected dtype");
  }
}

void cumprod_backward(const Tensor& grad_in, const Tensor& grad_out, const Tensor& in, const Tensor& out,
                      int32_t dim) {
  if (in.numel() == 0) return;
  const DimSplit g = split_at_dim(in.shape(), dim);
  LT_DISPATCH_FLOATING(in.dtype(), "cumprod_backward", {
    for_each_line(g, [&](int64_t o) {
      cumprod_backward_line(grad_in.data_as<scalar_t>() + o, grad_out.data_as<scalar_t>() + o,
                            in.data_as<scalar_t>() + o, out.data_as<scalar_t>() + o, g.size, g.inner);
    });
  });
}

}  // namespace lt::cpu
