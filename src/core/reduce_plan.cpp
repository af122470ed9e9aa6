#include "core/reduce_plan.h"

#include <utility>

namespace lt {

namespace {

// Stable insertion sort of dims [0, n) by `key` ascending; `swap_dims(i, j)` exchanges two dims in every
// parallel array.
template <class Key, class Swap>
void sort_dims(int32_t n, Key key, Swap swap_dims) {
  for (int32_t i = 1; i < n; ++i)
    for (int32_t j = i; j > 0 && key(j) < key(j - 1); --j) swap_dims(j - 1, j);
}

}  // namespace

ReducePlan::ReducePlan(const Tensor& in, const Tensor* const* outs, int nouts, const DimVector& dims)
    : nouts_(nouts), in_data_(in.data()) {
  auto reduced = [&](int32_t d) {
    for (int64_t r : dims)
      if (r == d) return true;
    return false;
  };
  for (int k = 0; k < nouts; ++k) out_data_[k] = outs[k]->data();
  const int64_t in_item = static_cast<int64_t>(itemsize(in.dtype()));
  int64_t out_item[kMaxOutputs] = {0, 0};
  for (int k = 0; k < nouts; ++k) out_item[k] = static_cast<int64_t>(itemsize(outs[k]->dtype()));

  // (1) + (2): byte strides, size-1 dims dropped, innermost (last) dim first. An empty input may carry any
  // stride, even one that overflows in bytes (an empty slice with a step near INT64_MAX); it is never read.
  const bool empty = in.numel() == 0;
  auto in_bytes = [&](int32_t d) { return empty ? int64_t(0) : in.stride(d) * in_item; };
  for (int32_t d = in.ndim() - 1; d >= 0; --d) {
    const int64_t size = in.size(d);
    if (reduced(d)) {
      reduce_size_ *= size;
      if (size == 1) continue;
      red_shape_.push_back(size);
      red_in_.push_back(in_bytes(d));
    } else {
      num_outputs_ *= size;
      if (size == 1) continue;
      kept_shape_.push_back(size);
      kept_in_.push_back(in_bytes(d));
      for (int k = 0; k < nouts; ++k) kept_out_[k].push_back(outs[k]->stride(d) * out_item[k]);
    }
  }

  // (3): order each group by input stride so the innermost loop walks memory most densely.
  sort_dims(
      red_shape_.size(), [&](int32_t i) { return red_in_[i]; },
      [&](int32_t i, int32_t j) {
        std::swap(red_shape_[i], red_shape_[j]);
        std::swap(red_in_[i], red_in_[j]);
      });
  sort_dims(
      kept_shape_.size(), [&](int32_t i) { return kept_in_[i]; },
      [&](int32_t i, int32_t j) {
        std::swap(kept_shape_[i], kept_shape_[j]);
        std::swap(kept_in_[i], kept_in_[j]);
        for (int k = 0; k < nouts_; ++k) std::swap(kept_out_[k][i], kept_out_[k][j]);
      });

  // (4): coalesce dim d (outer) into the last kept one (inner) when one stride step of the outer equals a
  // full run of the inner, for every operand.
  int32_t w = 0;
  for (int32_t d = 1; d < red_shape_.size(); ++d) {
    if (red_in_[d] == red_in_[w] * red_shape_[w]) {
      red_shape_[w] *= red_shape_[d];
    } else {
      ++w;
      red_shape_[w] = red_shape_[d];
      red_in_[w] = red_in_[d];
    }
  }
  if (!red_shape_.empty()) {
    red_shape_.resize(w + 1);
    red_in_.resize(w + 1);
  }
  w = 0;
  for (int32_t d = 1; d < kept_shape_.size(); ++d) {
    bool can = kept_in_[d] == kept_in_[w] * kept_shape_[w];
    for (int k = 0; k < nouts_ && can; ++k) can = kept_out_[k][d] == kept_out_[k][w] * kept_shape_[w];
    if (can) {
      kept_shape_[w] *= kept_shape_[d];
    } else {
      ++w;
      kept_shape_[w] = kept_shape_[d];
      kept_in_[w] = kept_in_[d];
      for (int k = 0; k < nouts_; ++k) kept_out_[k][w] = kept_out_[k][d];
    }
  }
  if (!kept_shape_.empty()) {
    kept_shape_.resize(w + 1);
    kept_in_.resize(w + 1);
    for (int k = 0; k < nouts_; ++k) kept_out_[k].resize(w + 1);
  }

  // Note [reduce plan]: the reduced group is never empty.
  if (red_shape_.empty()) {
    red_shape_.push_back(1);
    red_in_.push_back(0);
  }
  if (kept_shape_.empty()) kind_ = Kind::All;
  else if (reduce_size_ == 0 || red_in_[0] <= kept_in_[0]) kind_ = Kind::Inner;
  else kind_ = Kind::Outer;
}

}  // namespace lt
