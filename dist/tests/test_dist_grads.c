/* tensor_dist_all_reduce_grads: the grads of a mix of parameters (float32 and float64, then float16,
 * bfloat16 and float32; several shapes, one without a grad) are averaged over the ranks, with bucket
 * sizes that put everything in one bucket, split parameters across buckets, and give each its own; a
 * rank whose grads differ from the others' fails on every rank. Each rank's grad is known exactly (backward of sum(p *
 * k) gives k). */
#include "dist_test.h"

#define NP 5

static int world;
static const int64_t numels[NP] = {6, 1, 12, 5, 4};

static double rank_grad(int r, int p, int i) { return (r + 1) * 0.5 + p - 0.25 * i; }

/* The dtypes of the parameters: float32 and float64 alternating, or (halves) float16, bfloat16 and
 * float32 mixed, so that buckets split where the dtype changes. */
static int halves = 0;
static tensor_dtype param_dtype(int p) {
  static const tensor_dtype mixed[NP] = {TENSOR_FLOAT16, TENSOR_BFLOAT16, TENSOR_FLOAT16, TENSOR_BFLOAT16,
                                         TENSOR_FLOAT32};
  return halves ? mixed[p] : p % 2 ? TENSOR_FLOAT64 : TENSOR_FLOAT32;
}

/* Rank r's grad element: in halves, element 0 of params 0 to 2 is 2048 on rank 0, 3 on rank 1 and 0
 * elsewhere, a sum that rounds (float16: 2052; bfloat16: 2048) the same in any order. */
static double grad_value(int r, int p, int i) {
  if (halves && i == 0 && p <= 2) return r == 0 ? 2048 : r == 1 ? 3 : 0;
  return rank_grad(r, p, i);
}

/* Fresh params; backward of sum_p sum(p * K_p), with K_p holding this rank's grad values; param 3 is
 * left without a grad. */
static void make_params(tensor **params) {
  int p, i;
  for (p = 0; p < NP; ++p) {
    double zeros[16] = {0}, k[16];
    tensor_dtype d = param_dtype(p);
    tensor *kt, *prod = NULL, *s = NULL;
    int64_t shape[2] = {numels[p], 1};
    if (p == 2) { shape[0] = 3; shape[1] = 4; }
    params[p] = make(zeros, shape, 2, d);
    CHECK_OK(tensor_set_requires_grad(params[p], true));
    if (p == 3) continue;
    for (i = 0; i < numels[p]; ++i) k[i] = grad_value(dist_rank, p, i);
    kt = make(k, shape, 2, d);
    CHECK_OK(tensor_mul(&prod, params[p], kt));
    CHECK_OK(tensor_sum(&s, prod, NULL, 0, false));
    CHECK_OK(tensor_backward(s, NULL, false));
    tensor_free(s);
    tensor_free(prod);
    tensor_free(kt);
  }
}

static void check_averaged(tensor **params) {
  int p, i, r;
  for (p = 0; p < NP; ++p) {
    tensor *g = NULL;
    double got[16];
    CHECK_OK(tensor_grad(&g, params[p]));
    if (p == 3) {
      CHECK(g == NULL);
      continue;
    }
    CHECK(g != NULL && values(g, got, 16) == numels[p]);
    CHECK(g && tensor_get_dtype(g) == param_dtype(p));
    for (i = 0; g && i < numels[p]; ++i) {
      tensor_dtype d = param_dtype(p);
      double sum = grad_value(0, p, i), want;
      for (r = 1; r < world; ++r) {
        /* halves: each step in float32, rounded (the values make the order irrelevant) */
        sum = d == TENSOR_FLOAT16 || d == TENSOR_BFLOAT16 ? round_to((float)sum + (float)grad_value(r, p, i), d)
                                                          : sum + grad_value(r, p, i);
      }
      if (d == TENSOR_FLOAT64)
        want = sum / world;
      else if (d == TENSOR_FLOAT32)
        want = (double)((float)sum / (float)world);
      else
        want = round_to((float)sum / (float)world, d); /* divided in float32, rounded once */
      if (got[i] != want)
        fprintf(stderr, "rank %d: param %d (%s) [%d]: %g != %g\n", dist_rank, p, tensor_dtype_name(d), i, got[i], want);
      CHECK(got[i] == want);
    }
    tensor_free(g);
  }
}

int main(void) {
  /* 0: default (one bucket); 20: float32 params split (6 floats = 24 bytes > 20, so each alone);
   * 40: param 0 alone, 1 (float64) alone, ...; 1: every grad in its own bucket. */
  const int64_t buckets[] = {0, 20, 40, 1, 56};
  tensor_comm *c = NULL;
  tensor *params[NP];
  const unsigned nb = sizeof buckets / sizeof buckets[0];
  unsigned b;
  int p;
  if (tensor_dist_init(&c, TENSOR_DIST_MPI) != TENSOR_OK) {
    fprintf(stderr, "tensor_dist_init: %s\n", tensor_dist_last_error());
    return 1;
  }
  dist_rank = tensor_dist_rank(c);
  world = tensor_dist_world_size(c);
  /* forwards, then backwards: the communicator's bucket buffer is reused, and grown after smaller calls;
   * then again with float16/bfloat16 parameters (their grads are in the parameters' dtypes) */
  for (halves = 0; halves < 2; ++halves) {
    for (b = 0; b < 2 * nb; ++b) {
      make_params(params);
      CHECK_OK(tensor_dist_all_reduce_grads(c, params, NP, buckets[b < nb ? b : 2 * nb - 1 - b]));
      check_averaged(params);
      for (p = 0; p < NP; ++p) tensor_free(params[p]);
    }
  }
  halves = 0;
  /* a non-contiguous grad (the grad of a transposed use is contiguous in libtensor; a grad made
   * non-contiguous by the caller cannot be set through the C API, so the copy path is taken by mixing
   * dtypes in one call, above). Errors: */
  make_params(params);
  CHECK(tensor_dist_all_reduce_grads(c, params, NP, -1) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_dist_all_reduce_grads(c, NULL, NP, 0) == TENSOR_ERR_INVALID_ARGUMENT);
  if (world > 1) {
    /* rank 0 leaves out the last parameter: the grads disagree on every rank */
    CHECK(tensor_dist_all_reduce_grads(c, params, dist_rank == 0 ? NP - 1 : NP, 0) == TENSOR_ERR_INVALID_ARGUMENT);
    CHECK(strstr(tensor_dist_last_error(), "parameter count") != NULL);
    /* same count, but rank 0 has a grad where the others have none */
    if (dist_rank == 0) {
      tensor *one = NULL, *prod = NULL, *s = NULL;
      CHECK_OK(tensor_ones_like(&one, params[3]));
      CHECK_OK(tensor_mul(&prod, params[3], one));
      CHECK_OK(tensor_sum(&s, prod, NULL, 0, false));
      CHECK_OK(tensor_backward(s, NULL, false));
      tensor_free(s);
      tensor_free(prod);
      tensor_free(one);
    }
    CHECK(tensor_dist_all_reduce_grads(c, params, NP, 0) == TENSOR_ERR_INVALID_ARGUMENT);
    CHECK(strstr(tensor_dist_last_error(), "grads") != NULL);
  }
  for (p = 0; p < NP; ++p) tensor_free(params[p]);
  CHECK_OK(tensor_dist_all_reduce_grads(c, NULL, 0, 0)); /* nothing to do, still collective */
  CHECK_OK(tensor_dist_free(c));
  if (dist_failures == 0 && dist_rank == 0) printf("grads: all checks passed on %d ranks\n", world);
  return dist_failures != 0;
}
