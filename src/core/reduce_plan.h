// The reduction planner of the iteration engine (the reduction half of PyTorch's TensorIterator).
//
// Note [reduce plan]: a reduction reads `in` and writes one or two outputs (values, and int64 indices for
// max/min with indices) whose shape is in's with the reduced dims set to 1 (keepdim layout). The plan
// splits in's dims into KEPT dims (one output element per index) and REDUCED dims (folded into one
// output element), then for each group separately (1) converts strides to bytes, (2) drops size-1 dims,
// (3) orders dims by input stride, smallest innermost, and (4) coalesces neighbours that are contiguous
// with each other for every operand. Any strided input is planned in place: nothing is copied first.
//
// The plan then picks one of three loops (kind()):
// - All:   no kept dim: a single output folds the whole (coalesced) input, split across threads.
// - Inner: the input's fastest dim is reduced: each output folds rows that run along memory
//          (sum over the last dim, sum of a transposed matrix's columns...).
// - Outer: the input's fastest dim is kept: each input row holds one element for each of many outputs,
//          so a block of outputs is folded column-wise, row after row (sum over dim 0 of a matrix).
// The reduced group always has at least one dim: a reduction over nothing (or over size-1 dims) is
// planned as a fold of one element (shape [1], stride 0), which keeps every loop free of special cases.
#pragma once
#include <cstdint>

#include "core/dim_vector.h"
#include "core/tensor.h"

namespace lt {

class ReducePlan {
 public:
  static constexpr int kMaxOutputs = 2;
  enum class Kind { All, Inner, Outer };

  // `dims` (normalised, each once) are the dims of `in` that are reduced. outs[k] (k < nouts) have in's
  // shape with those dims set to 1, any strides.
  ReducePlan(const Tensor& in, const Tensor* const* outs, int nouts, const DimVector& dims);

  Kind kind() const { return kind_; }
  int nouts() const { return nouts_; }
  int64_t num_outputs() const { return num_outputs_; }  // product of kept sizes (0 when empty)
  int64_t reduce_size() const { return reduce_size_; }  // elements folded into each output

  // Kept dims, innermost first: sizes, input byte strides, byte strides of each output.
  const DimVector& kept_shape() const { return kept_shape_; }
  const DimVector& kept_in_strides() const { return kept_in_; }
  const DimVector& kept_out_strides(int k) const { return kept_out_[k]; }
  // Reduced dims, innermost first (never empty): sizes and input byte strides.
  const DimVector& red_shape() const { return red_shape_; }
  const DimVector& red_strides() const { return red_in_; }

  char* in_data() const { return in_data_; }
  char* out_data(int k) const { return out_data_[k]; }

 private:
  Kind kind_ = Kind::All;
  int nouts_;
  int64_t num_outputs_ = 1, reduce_size_ = 1;
  DimVector kept_shape_, kept_in_, kept_out_[kMaxOutputs];
  DimVector red_shape_, red_in_;
  char* in_data_;
  char* out_data_[kMaxOutputs] = {nullptr, nullptr};
};

// Walks elements [begin, end) of a multi-dim index space (dim 0 innermost) in row order, carrying NPTR
// pointers. fn(char** ptrs, int64_t n, int64_t pos) receives runs of n elements along dim 0 starting at
// flat position pos; within a run, pointer k advances by strides[k][0] bytes per element. The pointers
// move incrementally (no division per run except to place `begin`).
template <int NPTR, class F>
void walk_space(const DimVector& shape, const DimVector* const* strides, char* const* base, int64_t begin,
                int64_t end, F&& fn) {
  char* ptrs[NPTR];
  const int32_t nd = shape.size();
  if (begin >= end) return;
  if (nd == 0) {
    for (int k = 0; k < NPTR; ++k) ptrs[k] = base[k];
    fn(ptrs, int64_t(1), int64_t(0));
    return;
  }
  if (nd == 1) {  // the common case after coalescing: one run
    for (int k = 0; k < NPTR; ++k) ptrs[k] = base[k] + begin * (*strides[k])[0];
    fn(ptrs, end - begin, begin);
    return;
  }
  DimVector index(nd);
  int64_t rem = begin;
  for (int k = 0; k < NPTR; ++k) ptrs[k] = base[k];
  for (int32_t d = 0; d < nd; ++d) {
    index[d] = rem % shape[d];
    rem /= shape[d];
    for (int k = 0; k < NPTR; ++k) ptrs[k] += index[d] * (*strides[k])[d];
  }
  int64_t pos = begin;
  while (pos < end) {
    int64_t n = shape[0] - index[0];
    if (n > end - pos) n = end - pos;
    fn(ptrs, n, pos);
    pos += n;
    // Advance to the start of the next run: carry through the outer dims.
    for (int k = 0; k < NPTR; ++k) ptrs[k] += n * (*strides[k])[0];
    index[0] += n;
    for (int32_t d = 0; d < nd - 1 && index[d] == shape[d]; ++d) {
      for (int k = 0; k < NPTR; ++k) ptrs[k] += (*strides[k])[d + 1] - shape[d] * (*strides[k])[d];
      index[d] = 0;
      ++index[d + 1];
    }
  }
}

}  // namespace lt
