// The elementwise iteration engine (after PyTorch's TensorIterator).
//
// Note [iteration plan]: operands (output first) arrive with one shape; broadcast inputs carry stride 0.
// The plan (1) converts strides to bytes, (2) drops size-1 dims, (3) orders dims so the output's smallest
// stride is innermost (inputs break ties), (4) coalesces adjacent dims that are contiguous for every
// operand, so a contiguous op of any rank becomes one flat loop of numel elements. Kernels then see only
// an inner loop `fn(char** data, const int64_t* byte_strides, int64_t n)`, which they specialise for the
// contiguous and stride-0 cases so the compiler vectorises them. Work above kGrainSize elements is split
// into contiguous ranges of the flattened index and run on the thread team.
#pragma once
#include <cstdint>

#include "core/dim_vector.h"
#include "core/tensor.h"

namespace lt {

class ElementwisePlan {
 public:
  static constexpr int kMaxOperands = 4;

  // All operands must have the same shape (inputs expanded). operands[0] is the output.
  ElementwisePlan(const Tensor* const* operands, int n);

  int noperands() const { return nops_; }
  int32_t ndim() const { return shape_.size(); }  // after coalescing; innermost dim is index 0
  int64_t numel() const { return numel_; }
  const DimVector& shape() const { return shape_; }
  int64_t stride(int op, int32_t dim) const { return strides_[op][dim]; }
  // True when every operand is contiguous or a stride-0 scalar along one flat dim.
  bool is_flat() const { return shape_.size() <= 1; }
  char* data(int op) const { return data_[op]; }

  // Runs fn over elements [begin, end) of the (coalesced) iteration space in row order.
  template <typename Loop>
  void for_range(int64_t begin, int64_t end, Loop&& fn) const;
  // Runs fn over everything, in parallel above `grain` elements.
  template <typename Loop>
  void for_each(Loop&& fn, int64_t grain = 32768) const;

  // The fast path before any planning: when every operand is contiguous (same shape, by contract), runs
  // fn over the flat buffers and returns true; the tiny-op case then costs no plan at all.
  template <typename Loop>
  static bool try_flat(const Tensor* const* operands, int n, Loop&& fn, int64_t grain = 32768);

 private:
  int nops_;
  int64_t numel_;
  DimVector shape_;                      // innermost first
  DimVector strides_[kMaxOperands];      // bytes, innermost first
  char* data_[kMaxOperands];
};

}  // namespace lt

#include "core/iterator_impl.h"
