/* Helpers shared by the libtensor_dist test programs (plain C99): tensors from double values in any
 * dtype, values back as doubles, and a CHECK that reports the rank and line and counts failures. */
#ifndef DIST_TEST_H
#define DIST_TEST_H
#include <stdio.h>
#include <string.h>

#include "tensor/tensor.h"
#include "tensor/tensor_dist.h"

static int dist_failures = 0;
static int dist_rank = -1;

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      fprintf(stderr, "rank %d: %s:%d: CHECK(%s) failed\n", dist_rank, __FILE__, __LINE__, #cond); \
      ++dist_failures;                                                                \
    }                                                                                 \
  } while (0)

#define CHECK_OK(call)                                                                              \
  do {                                                                                              \
    tensor_status st_ = (call);                                                                     \
    if (st_ != TENSOR_OK) {                                                                         \
      fprintf(stderr, "rank %d: %s:%d: %s -> %d: %s | %s\n", dist_rank, __FILE__, __LINE__, #call, \
              (int)st_, tensor_dist_last_error(), tensor_last_error());                             \
      ++dist_failures;                                                                              \
    }                                                                                               \
  } while (0)

/* A tensor of dtype d holding vals (row-major, n = product of shape). */
static inline tensor *make(const double *vals, const int64_t *shape, int32_t ndim, tensor_dtype d) {
  int64_t n = 1, i;
  unsigned char buf[8 * 256];
  tensor *t = NULL;
  tensor_options o = TENSOR_OPTIONS_INIT;
  for (i = 0; i < ndim; ++i) n *= shape[i];
  if (n > 256) return NULL;
  for (i = 0; i < n; ++i) {
    switch (d) {
      case TENSOR_FLOAT32: ((float *)buf)[i] = (float)vals[i]; break;
      case TENSOR_FLOAT64: ((double *)buf)[i] = vals[i]; break;
      case TENSOR_INT32: ((int32_t *)buf)[i] = (int32_t)vals[i]; break;
      case TENSOR_INT64: ((int64_t *)buf)[i] = (int64_t)vals[i]; break;
      case TENSOR_BOOL: ((bool *)buf)[i] = vals[i] != 0; break;
    }
  }
  o.dtype = d;
  if (tensor_from_data(&t, buf, shape, ndim, &o) != TENSOR_OK) return NULL;
  return t;
}

/* t's elements (row-major, any strides) as doubles; returns the count, -1 on failure. */
static inline int64_t values(const tensor *t, double *out, int64_t cap) {
  unsigned char buf[8 * 1024];
  int64_t n = tensor_numel(t), i;
  tensor_dtype d = tensor_get_dtype(t);
  if (n > cap || n > 1024 || tensor_copy_to_host(t, buf, sizeof buf) != TENSOR_OK) return -1;
  for (i = 0; i < n; ++i) {
    switch (d) {
      case TENSOR_FLOAT32: out[i] = ((float *)buf)[i]; break;
      case TENSOR_FLOAT64: out[i] = ((double *)buf)[i]; break;
      case TENSOR_INT32: out[i] = ((int32_t *)buf)[i]; break;
      case TENSOR_INT64: out[i] = (double)((int64_t *)buf)[i]; break;
      case TENSOR_BOOL: out[i] = ((bool *)buf)[i] ? 1 : 0; break;
    }
  }
  return n;
}

static const tensor_dtype all_dtypes[] = {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT32, TENSOR_INT64, TENSOR_BOOL};
#define N_DTYPES 5

#endif
