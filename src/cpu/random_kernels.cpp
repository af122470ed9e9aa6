// The CPU's Philox random fills (Note [random stream layout] in core/philox.h): rand writes every word
// of each Philox block it computes (4 float32 or 2 float64 per block), and randn runs Box-Muller in
// batches through the vectorised log, sqrt and cos of vec_math.h. The values are the stream's own: rand
// is bitwise philox_uniform_f32/f64 (and so the CUDA backend's), randn within an ulp or two of
// philox_normal before the rounding to the dtype.
#include <algorithm>
#include <type_traits>

#include "core/parallel.h"
#include "core/philox.h"
#include "cpu/kernels.h"
#include "cpu/vec_math.h"

namespace lt::cpu {

namespace {

// Elements [b, e) of a uniform fill: one block per kPer elements, each block computed once.
template <typename T>
void uniform_range(T* o, uint64_t seed, uint64_t offset, int64_t b, int64_t e) {
  constexpr int64_t kPer = std::is_same<T, float>::value ? 4 : 2;
  for (int64_t i = b; i < e;) {
    const int64_t block = i / kPer;
    const PhiloxBlock w = philox4x32_10(seed, offset + static_cast<uint64_t>(block));
    const int64_t stop = std::min(e, (block + 1) * kPer);
    for (; i < stop; ++i) {
      const int j = static_cast<int>(i % kPer);
      if constexpr (std::is_same<T, float>::value) o[i] = static_cast<float>(w.w[j] >> 8) * (1.0f / 16777216.0f);
      else o[i] = u53(w.w[2 * j], w.w[2 * j + 1]);
    }
  }
}

// Elements [b, e) of a normal fill: Box-Muller sqrt(-2 log u1) cos(2 pi u2) as philox_normal, batched.
template <typename T>
void normal_range(T* o, uint64_t seed, uint64_t offset, int64_t b, int64_t e) {
  constexpr int64_t kBatch = 256;
  double radius[kBatch], angle[kBatch];
  for (int64_t start = b; start < e; start += kBatch) {
    const int64_t n = std::min(kBatch, e - start);
    for (int64_t k = 0; k < n; ++k) {
      const PhiloxBlock w = philox4x32_10(seed, offset + static_cast<uint64_t>(start + k));
      radius[k] = 1.0 - u53(w.w[0], w.w[1]);  // (0, 1]: log is finite
      angle[k] = 6.283185307179586 * u53(w.w[2], w.w[3]);
    }
    vec_math(VecOp::Log, radius, radius, n);
    for (int64_t k = 0; k < n; ++k) radius[k] *= -2.0;
    vec_math(VecOp::Sqrt, radius, radius, n);
    vec_math(VecOp::Cos, angle, angle, n);
    for (int64_t k = 0; k < n; ++k) o[start + k] = static_cast<T>(radius[k] * angle[k]);
  }
}

}  // namespace

void random_uniform(const Tensor& out, uint64_t seed, uint64_t offset) {
  LT_DISPATCH_FLOATING(out.dtype(), "rand", {
    scalar_t* o = out.data_as<scalar_t>();
    parallel_for(out.numel(), 4096, [&](int64_t b, int64_t e) { uniform_range(o, seed, offset, b, e); });
  });
}

void random_normal(const Tensor& out, uint64_t seed, uint64_t offset) {
  LT_DISPATCH_FLOATING(out.dtype(), "randn", {
    scalar_t* o = out.data_as<scalar_t>();
    parallel_for(out.numel(), 4096, [&](int64_t b, int64_t e) { normal_range(o, seed, offset, b, e); });
  });
}

}  // namespace lt::cpu
