/* Data-parallel training with libtensor_dist: logistic regression (a linear layer and the logistic
 * loss, written with libtensor's elementwise ops, matmul, mean and backward; plain SGD) trained on N
 * ranks. Every global batch is split into N equal shards, each rank runs forward and backward on its
 * shard and tensor_dist_all_reduce_grads averages the grads, so every rank takes the step that one
 * process would take on the whole batch (the mean of equal shards' means is the batch mean).
 *
 *   mpirun -np 4 ./ddp_regression [--steps N] [--features D] [--batch B] [--check]
 *
 * --check also trains one process on the same global batches (on every rank, without communication) and
 * exits nonzero unless the weights agree to float32 tolerance. Prints the median step time.
 * (The digits MLP version of this example waits for the losses and optimizers of the training API.) */
#define _POSIX_C_SOURCE 199309L /* clock_gettime in C99 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tensor/tensor.h"
#include "tensor/tensor_dist.h"

#define TRY(call)                                                                                   \
  do {                                                                                              \
    if ((call) != TENSOR_OK) {                                                                      \
      fprintf(stderr, "%s:%d: %s: %s %s\n", __FILE__, __LINE__, #call, tensor_last_error(), \
              tensor_dist_last_error());                                                            \
      exit(1);                                                                                      \
    }                                                                                               \
  } while (0)

static int64_t D = 32, B = 256;
static int steps = 60;
static const double lr = 0.5;

/* Rows [first, first + n) of global batch `step`: features and 0/1 labels from a fixed rule. */
static void batch(int step, int64_t first, int64_t n, tensor **x, tensor **y) {
  float *xs = malloc(sizeof(float) * (size_t)(n * D)), *ys = malloc(sizeof(float) * (size_t)n);
  int64_t i, j, xshape[2], yshape[2];
  for (i = 0; i < n; ++i) {
    int64_t row = (int64_t)step * B + first + i;
    double score = 0;
    for (j = 0; j < D; ++j) {
      float v = (float)sin(0.37 * (double)row + 1.3 * (double)j + 0.01 * (double)(row * j % 97));
      xs[i * D + j] = v;
      score += v * cos(0.5 * (double)j);
    }
    ys[i] = score > 0 ? 1.0f : 0.0f;
  }
  xshape[0] = n; xshape[1] = D; yshape[0] = n; yshape[1] = 1;
  TRY(tensor_from_data(x, xs, xshape, 2, NULL));
  TRY(tensor_from_data(y, ys, yshape, 2, NULL));
  free(xs);
  free(ys);
}

/* mean(log(1 + exp(z)) - y * z) with z = x w + b: the logistic loss on logits. */
static tensor *loss_of(const tensor *x, const tensor *y, const tensor *w, const tensor *b) {
  tensor *xw, *z, *ez, *sp, *yz, *l, *mean;
  TRY(tensor_matmul(&xw, x, w));
  TRY(tensor_add(&z, xw, b));
  TRY(tensor_exp(&ez, z));
  TRY(tensor_add_scalar(&l, ez, 1.0));
  TRY(tensor_log(&sp, l));
  tensor_free(l);
  TRY(tensor_mul(&yz, y, z));
  TRY(tensor_sub(&l, sp, yz));
  TRY(tensor_mean(&mean, l, NULL, 0, false));
  tensor_free(xw); tensor_free(z); tensor_free(ez); tensor_free(sp); tensor_free(yz); tensor_free(l);
  return mean;
}

static void sgd_step(tensor *p) {
  tensor *g = NULL, *scaled = NULL;
  bool was = tensor_set_grad_enabled(false);
  TRY(tensor_grad(&g, p));
  TRY(tensor_mul_scalar(&scaled, g, lr));
  TRY(tensor_sub_(p, scaled));
  TRY(tensor_zero_grad(p));
  tensor_set_grad_enabled(was);
  tensor_free(scaled);
  tensor_free(g);
}

static void init_params(tensor **w, tensor **b) {
  const int64_t wshape[2] = {D, 1}, bshape[1] = {1};
  TRY(tensor_zeros(w, wshape, 2, NULL));
  TRY(tensor_zeros(b, bshape, 1, NULL));
  TRY(tensor_set_requires_grad(*w, true));
  TRY(tensor_set_requires_grad(*b, true));
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Trains on `parts` shards of each global batch, this process taking shard `part`; comm NULL: alone. */
static double train(tensor_comm *comm, int part, int parts, tensor **w, tensor **b, double *last_loss) {
  tensor *params[2];
  double *times = malloc(sizeof(double) * (size_t)steps), median;
  int s;
  init_params(w, b);
  params[0] = *w;
  params[1] = *b;
  for (s = 0; s < steps; ++s) {
    tensor *x, *y, *loss;
    double t0;
    batch(s, part * (B / parts), B / parts, &x, &y);
    t0 = now();
    loss = loss_of(x, y, *w, *b);
    TRY(tensor_backward(loss, NULL, false));
    if (comm) TRY(tensor_dist_all_reduce_grads(comm, params, 2, 0));
    sgd_step(*w);
    sgd_step(*b);
    times[s] = now() - t0;
    TRY(tensor_item(loss, last_loss));
    tensor_free(loss); tensor_free(x); tensor_free(y);
  }
  qsort(times, (size_t)steps, sizeof(double), cmp_double);
  median = times[steps / 2];
  free(times);
  return median;
}

int main(int argc, char **argv) {
  tensor_comm *comm = NULL;
  tensor *w, *b;
  int check = 0, i, rank, world;
  double step_time, loss;
  for (i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--check")) check = 1;
    else if (!strcmp(argv[i], "--steps") && i + 1 < argc) steps = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--features") && i + 1 < argc) D = atoll(argv[++i]);
    else if (!strcmp(argv[i], "--batch") && i + 1 < argc) B = atoll(argv[++i]);
  }
  TRY(tensor_dist_init(&comm, TENSOR_DIST_MPI));
  rank = tensor_dist_rank(comm);
  world = tensor_dist_world_size(comm);
  if (B % world != 0 || steps < 1) {
    if (rank == 0) fprintf(stderr, "the global batch (%lld) must split evenly over %d ranks\n", (long long)B, world);
    tensor_dist_free(comm);
    return 2;
  }
  step_time = train(comm, rank, world, &w, &b, &loss);
  if (rank == 0)
    printf("ddp_regression: %d ranks, %d steps of global batch %lld x %lld: median step %.3f ms, rank 0 shard loss %.5f\n",
           world, steps, (long long)B, (long long)D, 1e3 * step_time, loss);
  if (check) {
    tensor *w1, *b1;
    float got[4096], want[4096];
    double worst = 0, single_loss;
    int64_t k;
    train(NULL, 0, 1, &w1, &b1, &single_loss);
    TRY(tensor_copy_to_host(w, got, sizeof got));
    TRY(tensor_copy_to_host(w1, want, sizeof want));
    TRY(tensor_copy_to_host(b, got + D, sizeof(float)));
    TRY(tensor_copy_to_host(b1, want + D, sizeof(float)));
    for (k = 0; k <= D; ++k) {
      double e = fabs((double)got[k] - (double)want[k]) / (1.0 + fabs((double)want[k]));
      if (e > worst) worst = e;
    }
    if (rank == 0) printf("ddp_regression: largest weight difference from one process: %.3g\n", worst);
    tensor_free(w1);
    tensor_free(b1);
    if (!(worst <= 1e-5)) {
      fprintf(stderr, "rank %d: data-parallel weights differ from one process by %g\n", rank, worst);
      return 1;
    }
  }
  tensor_free(w);
  tensor_free(b);
  TRY(tensor_dist_free(comm));
  return 0;
}
