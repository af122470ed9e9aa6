// Argument rules shared by the indexing and scan ops (index.cpp, mask.cpp, scan.cpp): dims normalised as
// PyTorch's maybe_wrap_dim (a 0-d tensor takes 0 and -1), 0-d tensors seen as shape (1) by the kernels.
#pragma once
#include <algorithm>

#include "core/shape.h"
#include "core/status.h"
#include "ops/ops.h"

namespace lt {

// The dimensions a tensor counts as for indexing: a 0-d tensor is one element of a 1-D one.
inline int32_t index_ndim(const Tensor& t) { return std::max<int32_t>(t.ndim(), 1); }

// t itself, or a (1) view of a 0-d t.
inline Tensor as_1d(const Tensor& t) { return t.ndim() == 0 ? reshape(t, DimVector{1}) : t; }

inline int32_t normalise_index_dim(const Tensor& t, int32_t dim, const char* op) {
  const int32_t n = index_ndim(t);
  LT_CHECK(dim >= -n && dim < n, Status::Index,
           op << ": dimension " << dim << " out of range (expected to be in [" << -n << ", " << n - 1
              << "]) for a tensor of shape " << shape_str(t.shape()));
  return dim < 0 ? dim + n : dim;
}

inline void check_int64_index(const char* op, const Tensor& index) {
  LT_CHECK(index.dtype() == DType::Int64, Status::DType,
           op << ": expected dtype int64 for index, got " << dtype_name(index.dtype()) << " (shape "
              << shape_str(index.shape()) << ")");
}

}  // namespace lt
