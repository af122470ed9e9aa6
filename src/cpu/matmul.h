// How the CPU matmul (cpu/matmul.cpp) hands strided operands to CBLAS without copying them. Exposed so
// the internal tests can pin which layouts go to BLAS as they are and which need a copy first.
//
// Note [BLAS operand layouts]: CBLAS (row-major) reads a rows x cols matrix as either
//   - NoTrans: element (i, j) at p[i * ld + j], ld >= cols          (col stride 1, row stride ld), or
//   - Trans:   element (i, j) at p[j * ld + i], ld >= rows          (row stride 1, col stride ld),
// and a vector of n elements at p[i * inc] with inc >= 1. A size-1 dim may have any stride (it is never
// stepped over), so we choose one that satisfies BLAS. Anything else -- stride 0 from broadcasting a
// matrix dim, overlapping or huge strides -- is copied into a dense buffer first. Debian's OpenBLAS takes
// 32-bit ints, so sizes, leading dims and increments must also fit in an int. Checking all of this here
// means BLAS's own argument checker (xerbla, which prints to stderr) never fires.
#pragma once
#include <cstdint>

namespace lt::cpu {

struct BlasMatrix {
  bool ok = false;          // false: BLAS cannot read these strides; copy the operand first
  bool transposed = false;  // pass CblasTrans (the storage is the cols x rows matrix, row-major)
  int64_t ld = 0;           // leading dimension for CBLAS
};

// The CBLAS view of a rows x cols matrix with element strides (row_stride, col_stride).
BlasMatrix blas_matrix_layout(int64_t rows, int64_t cols, int64_t row_stride, int64_t col_stride);

// The CBLAS increment of an n-element vector with element stride `stride`, or 0 when BLAS cannot read it.
int64_t blas_vector_inc(int64_t n, int64_t stride);

// Largest size, leading dimension or increment the 32-bit BLAS interface accepts.
constexpr int64_t kBlasIntMax = 2147483647;

}  // namespace lt::cpu
