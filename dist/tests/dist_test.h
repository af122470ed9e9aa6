/* Helpers shared by the libtensor_dist test programs (plain C99): tensors from double values in any
 * dtype, values back as doubles, and a CHECK that reports the rank and line and counts failures. */
#ifndef DIST_TEST_H
#define DIST_TEST_H
#include <stdbool.h>
#include <stdint.h>
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

/* A tensor of dtype d holding vals (row-major, n = product of shape), converted by libtensor from
 * float64 (so values must be exact in d; integers in range). */
static inline tensor *make(const double *vals, const int64_t *shape, int32_t ndim, tensor_dtype d) {
  tensor *t = NULL, *out = NULL;
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = TENSOR_FLOAT64;
  if (tensor_from_data(&t, vals, shape, ndim, &o) != TENSOR_OK) return NULL;
  if (tensor_to_dtype(&out, t, d) != TENSOR_OK) out = NULL;
  tensor_free(t);
  return out;
}

/* t's elements (row-major, any strides, any device) as doubles, converted by libtensor; returns the
 * count, -1 on failure. */
static inline int64_t values(const tensor *t, double *out, int64_t cap) {
  int64_t n = tensor_numel(t);
  tensor *host = NULL, *wide = NULL;
  tensor_device cpu = {TENSOR_CPU, 0};
  tensor_status st;
  if (n > cap) return -1;
  st = tensor_to_device(&host, t, cpu);
  if (st == TENSOR_OK) st = tensor_to_dtype(&wide, host, TENSOR_FLOAT64);
  if (st == TENSOR_OK) st = tensor_copy_to_host(wide, out, (size_t)cap * sizeof(double));
  tensor_free(wide);
  tensor_free(host);
  return st == TENSOR_OK ? n : -1;
}

/* x (a float32 value) rounded to dtype d by libtensor's own conversion: the oracle for the
 * "compute in float32, round once" rule of float16 and bfloat16. */
static inline double round_to(float x, tensor_dtype d) {
  double v = x, got = 0;
  tensor *t = make(&v, NULL, 0, TENSOR_FLOAT32), *r = NULL;
  if (t && tensor_to_dtype(&r, t, d) == TENSOR_OK) values(r, &got, 1);
  tensor_free(r);
  tensor_free(t);
  return got;
}

/* The integer x wrapped into integer dtype d (two's complement, as PyTorch's integer arithmetic). */
static inline double wrap_to(uint64_t x, tensor_dtype d) {
  int bits = d == TENSOR_UINT8 || d == TENSOR_INT8 ? 8 : d == TENSOR_INT16 ? 16 : d == TENSOR_INT32 ? 32 : 64;
  uint64_t low = bits == 64 ? x : x & ((UINT64_C(1) << bits) - 1);
  if (d == TENSOR_UINT8) return (double)low;
  if (bits < 64 && (low >> (bits - 1)) != 0) return -(double)((UINT64_C(1) << bits) - low);
  if (bits == 64 && (low >> 63) != 0) return -(double)(~low + 1);
  return (double)low;
}

static inline bool is_floating(tensor_dtype d) {
  return d == TENSOR_FLOAT32 || d == TENSOR_FLOAT64 || d == TENSOR_FLOAT16 || d == TENSOR_BFLOAT16;
}
static inline bool is_half(tensor_dtype d) { return d == TENSOR_FLOAT16 || d == TENSOR_BFLOAT16; }

static const tensor_dtype all_dtypes[] = {TENSOR_FLOAT32, TENSOR_FLOAT64,  TENSOR_INT32, TENSOR_INT64, TENSOR_BOOL,
                                          TENSOR_FLOAT16, TENSOR_BFLOAT16, TENSOR_UINT8, TENSOR_INT8,  TENSOR_INT16};
#define N_DTYPES 10

#endif
