// Shape arithmetic shared by every op: element counts with overflow checks, contiguous strides, dim
// normalisation, NumPy broadcasting, and the text form "[3, 4]" used in error messages.
#pragma once
#include <string>

#include "core/dim_vector.h"

namespace lt {

// The most dims a tensor may have (NumPy's NPY_MAXDIMS; TENSOR_MAX_NDIM in the C header). Every shape
// passes checked_numel, which enforces it, so code that walks dims recursively (the printer) or keeps
// per-dim arrays on the stack may rely on it.
constexpr int32_t kMaxNdim = 64;

// Throws Shape when ndim exceeds kMaxNdim.
void check_ndim(int32_t ndim);
// Product of sizes; throws Shape for more than kMaxNdim dims, InvalidArgument for negative sizes and
// Shape when the product of max(size, 1) overflows int64 (Note [extent] in shape.cpp).
int64_t checked_numel(const int64_t* shape, int32_t ndim);
inline int64_t checked_numel(const DimVector& s) { return checked_numel(s.data(), s.size()); }
DimVector contiguous_strides(const DimVector& shape);
// The same into an existing vector (no temporary: make_empty writes a new tensor's strides in place).
void write_contiguous_strides(const DimVector& shape, DimVector& strides);
// Whether (shape, strides) is row-major contiguous (size-1 dims may have any stride).
bool is_contiguous_layout(const DimVector& shape, const DimVector& strides);
// False only when no two elements of (shape, strides) can share a memory location. Stride 0 over a size
// > 1 (an expanded view) overlaps; other layouts pass when, with dims sorted by stride, each stride
// steps past everything the smaller dims span, which every view of a dense tensor satisfies (layouts
// from outside that interleave without overlapping are conservatively reported as overlapping).
bool has_internal_overlap(const DimVector& shape, const DimVector& strides);
// Maps dim in [-ndim, ndim) to [0, ndim); throws Index naming `what` otherwise.
int32_t normalize_dim(int32_t dim, int32_t ndim);
// Broadcast of two shapes (NumPy rules); throws Shape with the dimension that disagrees.
DimVector broadcast_shapes(const DimVector& a, const DimVector& b);
std::string shape_str(const DimVector& s);
std::string shape_str(const int64_t* s, int32_t n);
// Validates a (shape, ndim) pair from the C API and copies it.
DimVector shape_from_c(const int64_t* shape, int32_t ndim);

// A contiguous shape seen as (outer, size, inner) around `dim` (all 1 for a 0-d shape): what the kernels
// along one dim (softmax, the class-index losses) index with.
struct DimSplit {
  int64_t outer = 1, size = 1, inner = 1;
};
inline DimSplit split_at_dim(const DimVector& shape, int32_t dim) {
  DimSplit g;
  if (shape.size() == 0) return g;
  for (int32_t d = 0; d < dim; ++d) g.outer *= shape[d];
  g.size = shape[dim];
  for (int32_t d = dim + 1; d < static_cast<int32_t>(shape.size()); ++d) g.inner *= shape[d];
  return g;
}

}  // namespace lt
