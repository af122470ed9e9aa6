#include "core/shape.h"

#include <algorithm>
#include <sstream>

#include "core/status.h"

namespace lt {

void check_ndim(int32_t ndim) {
  LT_CHECK(ndim <= kMaxNdim, Status::Shape,
           "a tensor has at most " << kMaxNdim << " dimensions, got " << ndim);
}

int64_t checked_numel(const int64_t* shape, int32_t ndim) {
  check_ndim(ndim);
  // Note [extent]: the product of max(size, 1) must fit int64 even when some size is 0 (NumPy's rule;
  // PyTorch lets [0, 2^62, 4] through with wrapped strides). Strides and element offsets of every tensor
  // and view are bounded by it, so no later stride or offset arithmetic can overflow.
  int64_t extent = 1;
  bool overflow = false, zero = false;
  for (int32_t i = 0; i < ndim; ++i) {
    LT_CHECK(shape[i] >= 0, Status::InvalidArgument,
             "negative size " << shape[i] << " at dimension " << i << " of shape " << shape_str(shape, ndim));
    if (shape[i] == 0) zero = true;
    else if (__builtin_mul_overflow(extent, shape[i], &extent)) overflow = true;
  }
  LT_CHECK(!overflow, Status::Shape, "shape " << shape_str(shape, ndim) << " has more elements than fit in int64");
  return zero ? 0 : extent;
}

void write_contiguous_strides(const DimVector& shape, DimVector& strides) {
  // Unsigned products: defined behaviour whatever the sizes (checked_numel already bounds them, Note
  // [extent]).
  strides.resize(shape.size());
  uint64_t s = 1;
  for (int32_t i = shape.size() - 1; i >= 0; --i) {
    strides[i] = static_cast<int64_t>(s);
    s *= static_cast<uint64_t>(shape[i] > 1 ? shape[i] : 1);
  }
}

DimVector contiguous_strides(const DimVector& shape) {
  DimVector strides;
  write_contiguous_strides(shape, strides);
  return strides;
}

bool is_contiguous_layout(const DimVector& shape, const DimVector& strides) {
  for (int64_t s : shape)
    if (s == 0) return true;  // an empty tensor is contiguous whatever its strides
  int64_t expected = 1;
  for (int32_t i = shape.size() - 1; i >= 0; --i) {
    if (shape[i] == 1) continue;
    if (strides[i] != expected) return false;
    expected *= shape[i];
  }
  return true;
}

bool has_internal_overlap(const DimVector& shape, const DimVector& strides) {
  struct Dim {
    int64_t size, stride;
  };
  Dim dims[kMaxNdim];
  int32_t n = 0;
  for (int32_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0) return false;  // no elements
    if (shape[i] == 1) continue;      // contributes no second element
    const int64_t st = strides[i] < 0 ? -strides[i] : strides[i];
    if (st == 0) return true;
    dims[n++] = {shape[i], st};
  }
  std::sort(dims, dims + n, [](const Dim& a, const Dim& b) { return a.stride < b.stride; });
  // span: the largest offset the dims sorted so far reach (checked arithmetic: a layout from outside
  // need not be bounded by anything; overflow is reported as overlap, the conservative answer).
  int64_t span = 0, step = 0;
  for (int32_t i = 0; i < n; ++i) {
    if (dims[i].stride <= span) return true;
    if (__builtin_mul_overflow(dims[i].stride, dims[i].size - 1, &step) || __builtin_add_overflow(span, step, &span))
      return true;
  }
  return false;
}

int32_t normalize_dim(int32_t dim, int32_t ndim) {
  int32_t n = ndim > 0 ? ndim : 1;  // a 0-d tensor accepts dim 0 and -1, as PyTorch
  LT_CHECK(dim >= -n && dim < n, Status::Index,
           "dimension " << dim << " out of range (expected to be in [" << -n << ", " << n - 1 << "])");
  return dim < 0 ? dim + n : dim;
}

DimVector broadcast_shapes(const DimVector& a, const DimVector& b) {
  int32_t n = a.size() > b.size() ? a.size() : b.size();
  DimVector out(n);
  for (int32_t i = 0; i < n; ++i) {
    int32_t ia = a.size() - n + i, ib = b.size() - n + i;
    int64_t sa = ia >= 0 ? a[ia] : 1, sb = ib >= 0 ? b[ib] : 1;
    LT_CHECK(sa == sb || sa == 1 || sb == 1, Status::Shape,
             "shapes " << shape_str(a) << " and " << shape_str(b) << " are not broadcastable (dimension "
                       << i - n << ": " << sa << " vs " << sb << ")");
    out[i] = sa == 1 ? sb : sa;
  }
  return out;
}

std::string shape_str(const int64_t* s, int32_t n) {
  std::string r = "[";
  for (int32_t i = 0; i < n; ++i) {
    if (i) r += ", ";
    r += std::to_string(s[i]);
  }
  return r + "]";
}
std::string shape_str(const DimVector& s) { return shape_str(s.data(), s.size()); }

DimVector shape_from_c(const int64_t* shape, int32_t ndim) {
  LT_CHECK(ndim >= 0, Status::InvalidArgument, "ndim must be >= 0, got " << ndim);
  LT_CHECK(ndim == 0 || shape != nullptr, Status::InvalidArgument, "shape is NULL but ndim is " << ndim);
  check_ndim(ndim);  // before copying: ndim may be anything a caller passes
  DimVector s(shape, ndim);
  checked_numel(s);
  return s;
}

}  // namespace lt
