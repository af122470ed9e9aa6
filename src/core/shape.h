// Shape arithmetic shared by every op: element counts with overflow checks, contiguous strides, dim
// normalisation, NumPy broadcasting, and the text form "[3, 4]" used in error messages.
#pragma once
#include <string>

#include "core/dim_vector.h"

namespace lt {

// Product of sizes; throws InvalidArgument for negative sizes and Shape when the product of max(size, 1)
// overflows int64 (Note [extent] in shape.cpp).
int64_t checked_numel(const int64_t* shape, int32_t ndim);
inline int64_t checked_numel(const DimVector& s) { return checked_numel(s.data(), s.size()); }
DimVector contiguous_strides(const DimVector& shape);
// The same into an existing vector (no temporary: make_empty writes a new tensor's strides in place).
void write_contiguous_strides(const DimVector& shape, DimVector& strides);
// Whether (shape, strides) is row-major contiguous (size-1 dims may have any stride).
bool is_contiguous_layout(const DimVector& shape, const DimVector& strides);
// Maps dim in [-ndim, ndim) to [0, ndim); throws Index naming `what` otherwise.
int32_t normalize_dim(int32_t dim, int32_t ndim);
// Broadcast of two shapes (NumPy rules); throws Shape with the dimension that disagrees.
DimVector broadcast_shapes(const DimVector& a, const DimVector& b);
std::string shape_str(const DimVector& s);
std::string shape_str(const int64_t* s, int32_t n);
// Validates a (shape, ndim) pair from the C API and copies it.
DimVector shape_from_c(const int64_t* shape, int32_t ndim);

}  // namespace lt
