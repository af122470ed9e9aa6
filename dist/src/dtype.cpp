#include "dtype.h"

#include <sstream>

#include "handle.h"
#include "reduce_ops.h"
#include "tensor/tensor_dist.h"

namespace tdist {

size_t dtype_size(tensor_dtype d) {
  switch (d) {
    case TENSOR_FLOAT32: return 4;
    case TENSOR_FLOAT64: return 8;
    case TENSOR_INT32: return 4;
    case TENSOR_INT64: return 8;
    case TENSOR_BOOL: return 1;
    case TENSOR_FLOAT16: return 2;
    case TENSOR_BFLOAT16: return 2;
    case TENSOR_UINT8: return 1;
    case TENSOR_INT8: return 1;
    case TENSOR_INT16: return 2;
  }
  return 0;
}

bool dtype_is_floating(tensor_dtype d) { return d == TENSOR_FLOAT32 || d == TENSOR_FLOAT64 || is_half(d); }

std::string shape_string(const tensor* t) {
  std::ostringstream os;
  os << "[";
  const int64_t* s = tensor_shape(t);
  for (int32_t i = 0; i < tensor_ndim(t); ++i) os << (i ? ", " : "") << s[i];
  os << "]";
  return os.str();
}

MPI_Datatype mpi_type(tensor_dtype d) {
  switch (d) {
    case TENSOR_FLOAT32: return MPI_FLOAT;
    case TENSOR_FLOAT64: return MPI_DOUBLE;
    case TENSOR_INT32: return MPI_INT32_T;
    case TENSOR_INT64: return MPI_INT64_T;
    case TENSOR_BOOL: return MPI_UINT8_T;
    case TENSOR_FLOAT16: return MPI_UINT16_T;  // Note [half reductions]
    case TENSOR_BFLOAT16: return MPI_UINT16_T;
    case TENSOR_UINT8: return MPI_UINT8_T;
    case TENSOR_INT8: return MPI_INT8_T;
    case TENSOR_INT16: return MPI_INT16_T;
  }
  return MPI_DATATYPE_NULL;
}

MPI_Op mpi_op(int32_t op, tensor_dtype d) {
  const MPI_Op own = own_op(op, d);  // Note [own reduction operators]
  if (own != MPI_OP_NULL) return own;
  const bool boolean = d == TENSOR_BOOL;
  switch (op) {
    case TENSOR_DIST_SUM: return boolean ? MPI_MAX : MPI_SUM;
    case TENSOR_DIST_AVG: return MPI_SUM;
    case TENSOR_DIST_MAX: return MPI_MAX;
    case TENSOR_DIST_MIN: return MPI_MIN;
    case TENSOR_DIST_PROD: return boolean ? MPI_MIN : MPI_PROD;
  }
  return MPI_OP_NULL;
}

namespace {

template <class T>
void divide_typed(T* dst, const T* src, int64_t n, int32_t world) {
  const T w = static_cast<T>(world);
  if ((world & (world - 1)) == 0) {
    // 1/w is exact for a power of two, and x * 2^-k rounds the same real number as x / 2^k.
    const T inv = T(1) / w;
    for (int64_t i = 0; i < n; ++i) dst[i] = src[i] * inv;
  } else {
    for (int64_t i = 0; i < n; ++i) dst[i] = src[i] / w;
  }
}

}  // namespace

void divide_into(void* dst, const void* src, int64_t n, tensor_dtype d, int32_t world) {
  if (d == TENSOR_FLOAT32) {
    divide_typed(static_cast<float*>(dst), static_cast<const float*>(src), n, world);
  } else if (d == TENSOR_FLOAT64) {
    divide_typed(static_cast<double*>(dst), static_cast<const double*>(src), n, world);
  } else if (is_half(d)) {
    divide_halves(dst, src, n, d, world);
  }
}

const char* op_name(int32_t op) {
  switch (op) {
    case TENSOR_DIST_SUM: return "sum";
    case TENSOR_DIST_AVG: return "avg";
    case TENSOR_DIST_MAX: return "max";
    case TENSOR_DIST_MIN: return "min";
    case TENSOR_DIST_PROD: return "prod";
  }
  return nullptr;
}

}  // namespace tdist
