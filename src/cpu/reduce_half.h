// Sum and mean of float16 / bfloat16 on the CPU without a float32 copy of the input (Note [half rows]):
// each contiguous run of the fold is summed by sum_widened, in the float32 vector sum's order (Note [half
// sum order] in cpu/vec_half_sum.h), accumulating in double like the float32 SumReducer (Note [float sum
// accuracy]); the output is the double rounded to float32 and then to the half type, as the float32
// kernel followed by a conversion gives, so the result does not depend on which path ran.
#pragma once
#include "cpu/reduce_ops.h"
#include "cpu/vec_half_sum.h"

namespace lt::cpu {

template <typename H, bool mean>
struct HalfSumReducer {
  using acc_t = double;
  using out_t = H;
  static constexpr int kOutputs = 1;
  int64_t count;     // elements per output (the mean's divisor)
  double inv_count;  // 1 / count (inf for an empty fold: 0 * inf gives the mean's nan)

  acc_t init() const { return 0; }
  // The float32 SumReducer's row on the widened values, bit for bit: sum_contiguous for a contiguous run
  // of 64 or more (here sum_widened, Note [half sum order]), else a double sum added once.
  void row(acc_t& a, const char* p, int64_t n, int64_t stride, int64_t) const {
    if (stride == int64_t(sizeof(H)) && n >= 64) {
      a += sum_widened(reinterpret_cast<const H*>(p), n);
      return;
    }
    acc_t s = 0;
    for (int64_t i = 0; i < n; ++i) s += static_cast<double>(float(load_as<H>(p + i * stride)));
    a += s;
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
