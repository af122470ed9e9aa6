// Template bodies of ElementwisePlan (see iterator.h).
#pragma once
#include "core/parallel.h"

namespace lt {

template <typename Loop>
void ElementwisePlan::for_range(int64_t begin, int64_t end, Loop&& fn) const {
  char* ptrs[kMaxOperands];
  int64_t inner_strides[kMaxOperands];
  const int32_t nd = shape_.size();
  if (begin >= end) return;  // nothing to visit (an empty tensor has a 0 in shape_: no index to decompose)
  if (nd == 0) {  // 0-d or all size-1 dims: one element
    if (begin < end) {
      for (int k = 0; k < nops_; ++k) {
        ptrs[k] = data_[k];
        inner_strides[k] = 0;
      }
      fn(ptrs, inner_strides, int64_t(1));
    }
    return;
  }
  for (int k = 0; k < nops_; ++k) inner_strides[k] = strides_[k][0];
  const int64_t inner = shape_[0];
  // Decompose `begin` into a multi-index (innermost first).
  int64_t idx[64];
  DimVector heap_idx;
  int64_t* index = idx;
  if (nd > 64) {
    heap_idx.resize(nd);
    index = heap_idx.data();
  }
  int64_t rem = begin;
  for (int32_t d = 0; d < nd; ++d) {
    index[d] = rem % shape_[d];
    rem /= shape_[d];
  }
  for (int k = 0; k < nops_; ++k) {
    char* p = data_[k];
    for (int32_t d = 0; d < nd; ++d) p += index[d] * strides_[k][d];
    ptrs[k] = p;
  }
  // Rows are walked with incremental pointer updates: per row only the carried dims are touched.
  int64_t pos = begin;
  while (pos < end) {
    int64_t n = inner - index[0];
    if (n > end - pos) n = end - pos;
    fn(ptrs, inner_strides, n);
    pos += n;
    index[0] += n;
    for (int k = 0; k < nops_; ++k) ptrs[k] += n * inner_strides[k];
    for (int32_t d = 0; d < nd - 1 && index[d] == shape_[d]; ++d) {
      index[d] = 0;
      ++index[d + 1];
      for (int k = 0; k < nops_; ++k) ptrs[k] += strides_[k][d + 1] - shape_[d] * strides_[k][d];
    }
  }
}

template <typename Loop>
void ElementwisePlan::for_each(Loop&& fn, int64_t grain) const {
  if (numel_ < 2 * grain) {
    for_range(0, numel_, fn);
    return;
  }
  parallel_for(numel_, grain, [&](int64_t b, int64_t e) { for_range(b, e, fn); });
}

template <typename Loop>
bool ElementwisePlan::try_flat(const Tensor* const* operands, int n, Loop&& fn, int64_t grain) {
  char* ptrs[kMaxOperands];
  int64_t strides[kMaxOperands];
  for (int k = 0; k < n; ++k) {
    if (!operands[k]->is_contiguous()) return false;
    ptrs[k] = operands[k]->data();
    strides[k] = static_cast<int64_t>(itemsize(operands[k]->dtype()));
  }
  const int64_t numel = operands[0]->numel();
  if (numel < 2 * grain) {
    if (numel > 0) fn(ptrs, strides, numel);
    return true;
  }
  parallel_for(numel, grain, [&](int64_t b, int64_t e) {
    char* p[kMaxOperands];
    for (int k = 0; k < n; ++k) p[k] = ptrs[k] + b * strides[k];
    fn(p, strides, e - b);
  });
  return true;
}

}  // namespace lt
