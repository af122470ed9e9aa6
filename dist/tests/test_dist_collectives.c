/* Every collective and dtype (all ten) of libtensor_dist on CPU tensors, against values computed locally from
 * what every rank contributes; non-contiguous inputs; the error paths (mismatched shapes and dtypes,
 * invalid or disagreeing roots, a bad argument on one rank), which must fail on every rank alike and
 * leave the communicator usable. Run under mpirun with any number of ranks. */
#include <math.h>
#include <stdlib.h>

#include "dist_test.h"

#define N 6

static int world;

/* Rank r's element i for dtype d: values whose every partial sum and product is exact in the floating
 * dtypes (so MPI's order of combining ranks cannot matter; rounding is test_dist_dtypes'), and that
 * overflow the small integers, whose sums and products wrap. */
static double contribution(int r, int i, tensor_dtype d) {
  switch (d) {
    case TENSOR_BOOL: return (r + i) % 3 != 0;
    case TENSOR_FLOAT32:
    case TENSOR_FLOAT64: return (r + 1) * 0.5 - i % 7 + 0.25 * (i % 2);
    /* 0.5 .. 2 in halves: a product of four has an odd part of at most 3^4 = 81, exact in bfloat16 */
    case TENSOR_FLOAT16:
    case TENSOR_BFLOAT16: return ((r + i) % 4 + 1) * 0.5 * (i % 2 ? -1 : 1);
    case TENSOR_UINT8: return (100 + 40 * r + 7 * i) % 256;
    case TENSOR_INT8: return (50 * r + 9 * i) % 256 - 128;
    case TENSOR_INT16: return (12345 * r + 1001 * i) % 65536 - 32768;
    case TENSOR_INT32:
    case TENSOR_INT64: break;
  }
  return (r + 1) * ((i % 3) + 1) - i % 7;
}

/* The reduction of element i over all ranks, as the library must give it in dtype d: integers wrap,
 * AVG of float32 and the halves divides in float32 and rounds once. */
static double reduced(int i, tensor_dtype d, int op) {
  double acc = contribution(0, i, d);
  uint64_t wide = (uint64_t)(int64_t)acc; /* integer SUM/PROD modulo 2^64, wrapped to d at the end */
  int r;
  for (r = 1; r < world; ++r) {
    double v = contribution(r, i, d);
    switch (op) {
      case TENSOR_DIST_SUM:
      case TENSOR_DIST_AVG:
        acc = d == TENSOR_BOOL ? (acc || v) : acc + v;
        wide += (uint64_t)(int64_t)v;
        break;
      case TENSOR_DIST_PROD:
        acc = d == TENSOR_BOOL ? (acc && v) : acc * v;
        wide *= (uint64_t)(int64_t)v;
        break;
      case TENSOR_DIST_MAX: acc = v > acc ? v : acc; break;
      case TENSOR_DIST_MIN: acc = v < acc ? v : acc; break;
    }
  }
  if (!is_floating(d) && d != TENSOR_BOOL && (op == TENSOR_DIST_SUM || op == TENSOR_DIST_PROD)) acc = wrap_to(wide, d);
  if (op == TENSOR_DIST_AVG) {
    if (d == TENSOR_FLOAT32)
      acc = (double)((float)acc / (float)world);
    else if (is_half(d))
      acc = round_to((float)acc / (float)world, d);
    else
      acc = acc / world;
  }
  return acc;
}

static tensor *mine(tensor_dtype d, const int64_t *shape, int32_t ndim) {
  double v[N * 64];
  int64_t n = 1, i;
  for (i = 0; i < ndim; ++i) n *= shape[i];
  for (i = 0; i < n; ++i) v[i] = contribution(dist_rank, (int)i, d);
  return make(v, shape, ndim, d);
}

static void test_all_reduce(tensor_comm *c) {
  const int64_t shape[] = {2, 3};
  int k, op, i;
  for (k = 0; k < N_DTYPES; ++k) {
    for (op = TENSOR_DIST_SUM; op <= TENSOR_DIST_PROD; ++op) {
      tensor_dtype d = all_dtypes[k];
      tensor *t = mine(d, shape, 2);
      double got[N];
      tensor_status st = tensor_dist_all_reduce(c, t, op);
      if (op == TENSOR_DIST_AVG && !is_floating(d)) {
        CHECK(st == TENSOR_ERR_DTYPE);
        CHECK(strstr(tensor_dist_last_error(), "tensor_dist_all_reduce: ") == tensor_dist_last_error());
      } else {
        CHECK_OK(st);
        CHECK(values(t, got, N) == N);
        for (i = 0; i < N; ++i) {
          if (got[i] != reduced(i, d, op))
            fprintf(stderr, "rank %d: all_reduce %s op %d [%d]: %g != %g\n", dist_rank, tensor_dtype_name(d), op, i,
                    got[i], reduced(i, d, op));
          CHECK(got[i] == reduced(i, d, op));
        }
      }
      tensor_free(t);
    }
  }
}

static void test_broadcast(tensor_comm *c) {
  const int64_t shape[] = {3, 2};
  int k, root, i;
  for (k = 0; k < N_DTYPES; ++k) {
    for (root = 0; root < world; ++root) {
      tensor_dtype d = all_dtypes[k];
      tensor *t = mine(d, shape, 2);
      double got[N];
      CHECK_OK(tensor_dist_broadcast(c, t, root));
      CHECK(values(t, got, N) == N);
      for (i = 0; i < N; ++i) CHECK(got[i] == contribution(root, i, d));
      tensor_free(t);
    }
  }
}

static void test_all_gather(tensor_comm *c) {
  const int64_t shape[] = {2, 3};
  int k, r, i;
  for (k = 0; k < N_DTYPES; ++k) {
    tensor_dtype d = all_dtypes[k];
    tensor *t = mine(d, shape, 2), *out = NULL;
    double got[N * 64];
    CHECK_OK(tensor_dist_all_gather(&out, c, t));
    CHECK(out != NULL);
    if (out) {
      CHECK(tensor_ndim(out) == 3 && tensor_size(out, 0) == world && tensor_size(out, 1) == 2 &&
            tensor_size(out, 2) == 3);
      CHECK(tensor_get_dtype(out) == d);
      CHECK(values(out, got, N * 64) == (int64_t)world * N);
      for (r = 0; r < world; ++r)
        for (i = 0; i < N; ++i) CHECK(got[r * N + i] == contribution(r, i, d));
    }
    tensor_free(out);
    tensor_free(t);
  }
}

static void test_reduce_scatter(tensor_comm *c) {
  int64_t shape[] = {0, 3};
  int k, op, i;
  shape[0] = 2 * world;
  for (k = 0; k < N_DTYPES; ++k) {
    for (op = TENSOR_DIST_SUM; op <= TENSOR_DIST_PROD; ++op) {
      tensor_dtype d = all_dtypes[k];
      tensor *t = mine(d, shape, 2), *out = NULL;
      double got[N];
      tensor_status st = tensor_dist_reduce_scatter(&out, c, t, op);
      if (op == TENSOR_DIST_AVG && !is_floating(d)) {
        CHECK(st == TENSOR_ERR_DTYPE && out == NULL);
      } else {
        CHECK_OK(st);
        CHECK(out && tensor_size(out, 0) == 2 && tensor_size(out, 1) == 3);
        CHECK(out && values(out, got, N) == N);
        for (i = 0; out && i < N; ++i) {
          if (got[i] != reduced(dist_rank * N + i, d, op))
            fprintf(stderr, "rank %d: reduce_scatter %s op %d [%d]: %g != %g\n", dist_rank, tensor_dtype_name(d), op, i,
                    got[i], reduced(dist_rank * N + i, d, op));
          CHECK(got[i] == reduced(dist_rank * N + i, d, op));
        }
      }
      tensor_free(out);
      tensor_free(t);
    }
  }
}

/* Transposed and strided views go through a contiguous copy and are written back into the view. */
static void test_non_contiguous(tensor_comm *c) {
  const int64_t shape[] = {4, 6};
  double base[24], got[96], want[24];
  tensor *full, *tr = NULL, *strided = NULL, *gathered = NULL;
  int i, r;
  for (i = 0; i < 24; ++i) base[i] = contribution(dist_rank, i, TENSOR_FLOAT64);
  full = make(base, shape, 2, TENSOR_FLOAT64);
  CHECK_OK(tensor_transpose(&tr, full, 0, 1));
  CHECK(!tensor_is_contiguous(tr));
  CHECK_OK(tensor_dist_all_reduce(c, tr, TENSOR_DIST_SUM));
  CHECK(values(full, got, 24) == 24); /* written through the view into the base tensor */
  for (i = 0; i < 24; ++i) CHECK(got[i] == reduced(i, TENSOR_FLOAT64, TENSOR_DIST_SUM));
  tensor_free(tr);
  tensor_free(full);

  full = make(base, shape, 2, TENSOR_FLOAT64);
  CHECK_OK(tensor_slice(&strided, full, 1, 1, 6, 2)); /* columns 1, 3, 5 */
  CHECK_OK(tensor_dist_broadcast(c, strided, world - 1));
  CHECK(values(full, got, 24) == 24);
  for (i = 0; i < 24; ++i) {
    int col = i % 6;
    CHECK(got[i] == (col % 2 == 1 ? contribution(world - 1, i, TENSOR_FLOAT64) : base[i]));
  }
  CHECK_OK(tensor_dist_all_gather(&gathered, c, strided));
  CHECK(gathered && values(gathered, got, 24 * 4) == (int64_t)world * 12);
  for (r = 0; gathered && r < world; ++r) {
    for (i = 0; i < 12; ++i) {
      int row = i / 3, col = 1 + 2 * (i % 3);
      want[i] = contribution(world - 1, row * 6 + col, TENSOR_FLOAT64);
      CHECK(got[r * 12 + i] == want[i]);
    }
  }
  tensor_free(gathered);
  tensor_free(strided);
  tensor_free(full);
}

/* Every rank must see the same failure, and the communicator must still work afterwards. */
static void test_errors(tensor_comm *c) {
  const int64_t small[] = {3}, large[] = {4}, odd[] = {2 * 3 + 1};
  double v[8] = {1, 2, 3, 4, 5, 6, 7, 8}, got[8];
  tensor *t, *out = (tensor *)0x1;
  int i;
  if (world > 1) {
    /* rank 0 has 3 elements, the others 4 */
    t = make(v, dist_rank == 0 ? small : large, 1, TENSOR_FLOAT32);
    CHECK(tensor_dist_all_reduce(c, t, TENSOR_DIST_SUM) == TENSOR_ERR_SHAPE);
    CHECK(strstr(tensor_dist_last_error(), "disagree on the numel") != NULL);
    CHECK(tensor_dist_broadcast(c, t, 0) == TENSOR_ERR_SHAPE);
    CHECK(tensor_dist_all_gather(&out, c, t) == TENSOR_ERR_SHAPE && out == NULL);
    tensor_free(t);
    /* same shape, dtypes differ */
    t = make(v, large, 1, dist_rank == 0 ? TENSOR_FLOAT64 : TENSOR_FLOAT32);
    CHECK(tensor_dist_all_reduce(c, t, TENSOR_DIST_SUM) == TENSOR_ERR_DTYPE);
    CHECK(strstr(tensor_dist_last_error(), "dtype") != NULL);
    tensor_free(t);
    /* roots that disagree */
    t = make(v, large, 1, TENSOR_FLOAT32);
    CHECK(tensor_dist_broadcast(c, t, dist_rank == 0 ? 0 : 1) == TENSOR_ERR_INVALID_ARGUMENT);
    CHECK(strstr(tensor_dist_last_error(), "root") != NULL);
    /* a NULL tensor on one rank only: every rank fails, none hangs */
    CHECK(tensor_dist_all_reduce(c, dist_rank == world - 1 ? NULL : t, TENSOR_DIST_SUM) ==
          TENSOR_ERR_INVALID_ARGUMENT);
    CHECK(strstr(tensor_dist_last_error(), dist_rank == world - 1 ? "tensor is NULL" : "refused its arguments") != NULL);
    /* an invalid root on one rank only */
    CHECK(tensor_dist_broadcast(c, t, dist_rank == 0 ? world : 0) == TENSOR_ERR_INVALID_ARGUMENT);
    tensor_free(t);
  }
  t = make(v, large, 1, TENSOR_FLOAT32);
  CHECK(tensor_dist_broadcast(c, t, world) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(strstr(tensor_dist_last_error(), "is not a rank") != NULL);
  CHECK(tensor_dist_broadcast(c, t, -1) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_dist_all_reduce(c, t, 99) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_dist_all_reduce(NULL, t, TENSOR_DIST_SUM) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_dist_all_gather(NULL, c, t) == TENSOR_ERR_INVALID_ARGUMENT);
  tensor_free(t);
  t = make(v, odd, 1, TENSOR_FLOAT32);
  out = (tensor *)0x1;
  if (world > 1) CHECK(tensor_dist_reduce_scatter(&out, c, t, TENSOR_DIST_SUM) == TENSOR_ERR_SHAPE && out == NULL);
  tensor_free(t);
  /* still usable */
  t = make(v, large, 1, TENSOR_FLOAT32);
  CHECK_OK(tensor_dist_all_reduce(c, t, TENSOR_DIST_MAX));
  CHECK(values(t, got, 8) == 4);
  for (i = 0; i < 4; ++i) CHECK(got[i] == v[i]);
  tensor_free(t);
}

static void test_empty_and_scalar(tensor_comm *c) {
  const int64_t empty[] = {0, 3};
  double v = dist_rank + 1.0, got;
  tensor *t = make(&v, NULL, 0, TENSOR_FLOAT64), *out = NULL;
  CHECK_OK(tensor_dist_all_reduce(c, t, TENSOR_DIST_SUM));
  CHECK_OK(tensor_item(t, &got));
  CHECK(got == world * (world + 1) / 2.0);
  tensor_free(t);
  CHECK_OK(tensor_zeros(&t, empty, 2, NULL));
  CHECK_OK(tensor_dist_all_reduce(c, t, TENSOR_DIST_SUM));
  CHECK_OK(tensor_dist_all_gather(&out, c, t));
  CHECK(out && tensor_size(out, 0) == world && tensor_numel(out) == 0);
  tensor_free(out);
  tensor_free(t);
}

int main(void) {
  tensor_comm *c = NULL;
  if (tensor_dist_init(&c, TENSOR_DIST_MPI) != TENSOR_OK) {
    fprintf(stderr, "tensor_dist_init: %s\n", tensor_dist_last_error());
    return 1;
  }
  dist_rank = tensor_dist_rank(c);
  world = tensor_dist_world_size(c);
  CHECK(dist_rank >= 0 && dist_rank < world);
  CHECK(tensor_dist_rank(NULL) == -1 && tensor_dist_world_size(NULL) == 0);
  test_all_reduce(c);
  test_broadcast(c);
  test_all_gather(c);
  test_reduce_scatter(c);
  test_non_contiguous(c);
  test_errors(c);
  test_empty_and_scalar(c);
  CHECK_OK(tensor_dist_barrier(c));
  CHECK_OK(tensor_dist_free(c));
  if (dist_failures == 0 && dist_rank == 0) printf("collectives: all checks passed on %d ranks\n", world);
  return dist_failures != 0;
}
