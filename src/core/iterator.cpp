#include "core/iterator.h"

#include <utility>

namespace lt {

ElementwisePlan::ElementwisePlan(const Tensor* const* operands, int n) : nops_(n) {
  const Tensor& out = *operands[0];
  numel_ = out.numel();
  const int32_t nd = out.ndim();
  // (1)+(2): byte strides, innermost first, size-1 dims dropped.
  for (int k = 0; k < n; ++k) data_[k] = operands[k]->data();
  // An empty output visits nothing: one empty dim. (An empty tensor may carry any stride, even one that
  // overflows when counted in bytes: an empty slice with a step near INT64_MAX.)
  if (numel_ == 0) {
    shape_.push_back(0);
    for (int k = 0; k < n; ++k) strides_[k].push_back(0);
    return;
  }
  for (int32_t d = nd - 1; d >= 0; --d) {
    if (out.size(d) == 1) continue;
    shape_.push_back(out.size(d));
    for (int k = 0; k < n; ++k)
      strides_[k].push_back(operands[k]->stride(d) * static_cast<int64_t>(itemsize(operands[k]->dtype())));
  }
  const int32_t m = shape_.size();
  // (3): insertion sort of dims by stride, output first; a stride-0 (broadcast) entry does not vote.
  auto should_swap = [&](int32_t inner, int32_t outer) {  // true if `outer` should be more inner
    for (int k = 0; k < n; ++k) {
      int64_t a = strides_[k][inner], b = strides_[k][outer];
      if (a == 0 || b == 0) continue;
      if (a == b) continue;
      return b < a;
    }
    return false;
  };
  for (int32_t i = 1; i < m; ++i) {
    for (int32_t j = i; j > 0 && should_swap(j - 1, j); --j) {
      std::swap(shape_[j - 1], shape_[j]);
      for (int k = 0; k < n; ++k) std::swap(strides_[k][j - 1], strides_[k][j]);
    }
  }
  // (4): coalesce dim d+1 (outer) into d (inner) when outer stride == inner stride * inner size for all.
  int32_t w = 0;
  for (int32_t d = 1; d < m; ++d) {
    bool can = true;
    for (int k = 0; k < n && can; ++k) can = strides_[k][d] == strides_[k][w] * shape_[w];
    if (can) {
      shape_[w] *= shape_[d];
    } else {
      ++w;
      shape_[w] = shape_[d];
      for (int k = 0; k < n; ++k) strides_[k][w] = strides_[k][d];
    }
  }
  int32_t final_nd = m == 0 ? 0 : w + 1;
  shape_.resize(final_nd);
  for (int k = 0; k < n; ++k) strides_[k].resize(final_nd);
}

}  // namespace lt
