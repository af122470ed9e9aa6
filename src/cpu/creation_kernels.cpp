// CPU kernels for the sequences: arange and linspace (contiguous outputs, computed per element from the
// index, so every thread's chunk gives the same values as a serial loop).
#include "core/dtype.h"
#include "core/scalar_ops.h"
#include "core/parallel.h"
#include "cpu/kernels.h"

namespace lt::cpu {

void arange(const Tensor& out, double start, double step) {
  LT_DISPATCH_NUMERIC(out.dtype(), "arange", {
    scalar_t* o = out.data_as<scalar_t>();
    parallel_for(out.numel(), kGrainSize, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) o[i] = cast_value<scalar_t, double>(start + static_cast<double>(i) * step);
    });
  });
}

void linspace(const Tensor& out, double start, double end) {
  const int64_t n = out.numel();
  const double step = n > 1 ? (end - start) / static_cast<double>(n - 1) : 0.0;
  const int64_t half = n / 2;
  LT_DISPATCH_NUMERIC(out.dtype(), "linspace", {
    scalar_t* o = out.data_as<scalar_t>();
    parallel_for(n, kGrainSize, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i)
        o[i] = cast_value<scalar_t, double>(n == 1 || i < half ? start + step * static_cast<double>(i)
                                                                : end - step * static_cast<double>(n - 1 - i));
    });
  });
}

}  // namespace lt::cpu
