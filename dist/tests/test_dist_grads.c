/* tensor_dist_all_reduce_grads: the grads of a mix of parameters (float32 and float64, several shapes,
 * one without a grad) are averaged over the ranks, with bucket sizes that put everything in one
 * bucket, split parameters across buckets, and give each its own; a rank whose grads differ from the
 * others' fails on every rank. Each rank's grad is known exactly (backward of sum(p * k) gives k). */
#include "dist_test.h"

#define NP 5

static int world;
static const int64_t numels[NP] = {6, 1, 12, 5, 4};

static double rank_grad(int r, int p, int i) { return (r + 1) * 0.5 + p - 0.25 * i; }

/* Fresh params; backward of sum_p sum(p * K_p), with K_p holding this rank's grad values; param 3 is
 * left without a grad. */
static void make_params(tensor **params) {
  int p, i;
  for (p = 0; p < NP; ++p) {
    double zeros[16] = {0}, k[16];
    tensor_dtype d = p % 2 ? TENSOR_FLOAT64 : TENSOR_FLOAT32;
    tensor *kt, *prod = NULL, *s = NULL;
    int64_t shape[2] = {numels[p], 1};
    if (p == 2) { shape[0] = 3; shape[1] = 4; }
    params[p] = make(zeros, shape, 2, d);
    CHECK_OK(tensor_set_requires_grad(params[p], true));
    if (p == 3) continue;
    for (i = 0; i < numels[p]; ++i) k[i] = rank_grad(dist_rank, p, i);
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
    for (i = 0; g && i < numels[p]; ++i) {
      double sum = 0, want;
      for (r = 0; r < world; ++r) sum += rank_grad(r, p, i);
      want = p % 2 ? sum / world : (double)((float)sum / (float)world);
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
  /* forwards, then backwards: the communicator's bucket buffer is reused, and grown after smaller calls */
  for (b = 0; b < 2 * nb; ++b) {
    make_params(params);
    CHECK_OK(tensor_dist_all_reduce_grads(c, params, NP, buckets[b < nb ? b : 2 * nb - 1 - b]));
    check_averaged(params);
    for (p = 0; p < NP; ++p) tensor_free(params[p]);
  }
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
