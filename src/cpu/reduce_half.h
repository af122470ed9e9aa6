// Sum and mean of float16 / bfloat16 on the CPU without a float32 copy of the input (Note [half rows]):
// each run of the fold is widened chunk by chunk into a float32 buffer and summed by the float32 vector
// sum, accumulating in double like the float32 SumReducer (Note [float sum accuracy]); the output is the
// double rounded to float32 and then to the half type, as the float32 kernel followed by a conversion
// gives, so the result does not depend on which path ran.
#pragma once
#include <algorithm>

#include "cpu/half_rows.h"
#include "cpu/reduce_ops.h"

namespace lt::cpu {

template <typename H, bool mean>
struct HalfSumReducer {
  using acc_t = double;
  using out_t = H;
  static constexpr int kOutputs = 1;
  int64_t count;     // elements per output (the mean's divisor)
  double inv_count;  // 1 / count (inf for an empty fold: 0 * inf gives the mean's nan)

  acc_t init() const { return 0; }
  void row(acc_t& a, const char* p, int64_t n, int64_t stride, int64_t) const {
    alignas(64) float buf[kHalfChunk];
    for (int64_t i0 = 0; i0 < n; i0 += kHalfChunk) {
      const int64_t m = std::min(kHalfChunk, n - i0);
      widen_chunk<H>(p + i0 * stride, stride, buf, m);
      if (m >= 64) {
        a += sum_contiguous(buf, m);
      } else {
        for (int64_t i = 0; i < m; ++i) a += static_cast<double>(buf[i]);
      }
    }
  }
  void columns(acc_t* acc, const char* p, int64_t m, int64_t stride, int64_t) const {
    for (int64_t j = 0; j < m; ++j) acc[j] += static_cast<double>(float(load_as<H>(p + j * stride)));
  }
  void merge(acc_t& a, const acc_t& b) const { a += b; }
  void finish(char* const* outs, const acc_t& a) const {
    const float v = mean ? static_cast<float>(a * inv_count) : static_cast<float>(a);
    store_as<H>(outs[0], H(v));
  }
};

}  // namespace lt::cpu
