/* libtensor_dist against MPI itself, on the same buffers (run under mpirun; rank 0 prints medians):
 *   1. all_reduce of 64 MiB float32: tensor_dist_all_reduce vs MPI_Allreduce(MPI_IN_PLACE) directly;
 *   2. all_reduce_grads over an MLP's parameters (default bucket) vs one tensor_dist_all_reduce and one
 *      MPI_Allreduce of the same total bytes;
 *   3. small-message latency and large-message bandwidth of MPI_Allreduce (the scaling model's inputs);
 *   4. all_reduce of 64 MiB in bfloat16, float16, int16, int8 and uint8 (libtensor_dist's own MPI_Op)
 *      against float32 of the same bytes.
 * Each comparison interleaves its candidates round by round (see COMPARE3).
 * mpirun -np 2 ./bench_dist_allreduce [reps] [grads]   (grads: only part 2) */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tensor/tensor.h"
#include "tensor/tensor_dist.h"

#define TRY(call)                                                                               \
  do {                                                                                          \
    if ((call) != TENSOR_OK) {                                                                  \
      fprintf(stderr, "%s: %s %s\n", #call, tensor_last_error(), tensor_dist_last_error());     \
      MPI_Abort(MPI_COMM_WORLD, 1);                                                             \
    }                                                                                           \
  } while (0)

static int reps = 21, rank;

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *t, int n) {
  qsort(t, (size_t)n, sizeof(double), cmp);
  return t[n / 2];
}

/* The writable buffer of a contiguous CPU tensor (the bench owns it; tensor_data is the read view). */
static float *buffer(const tensor *t) { return (float *)(size_t)tensor_data(t); }

/* Seconds of stmt on the slowest rank, all ranks starting together (barrier). */
#define TIMED(dst, stmt)                                                              \
  do {                                                                                \
    double t0_;                                                                       \
    MPI_Barrier(MPI_COMM_WORLD);                                                      \
    t0_ = MPI_Wtime();                                                                \
    stmt;                                                                             \
    dst = MPI_Wtime() - t0_;                                                          \
    MPI_Allreduce(MPI_IN_PLACE, &dst, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);        \
  } while (0)

/* The machine is shared and noisy, so the candidates of one comparison are interleaved (A, B, C, A, B,
 * C, ...) after one untimed warm-up round, and each is reported as its median over reps; the difference
 * is the median of the per-round ratios A/B, which drift in the machine's load cancels out of. */
#define COMPARE3(ta, a, tb, b, tc, c, rab, rac)                                       \
  do {                                                                                \
    double xa_[256], xb_[256], xc_[256], qb_[256], qc_[256];                          \
    int r_;                                                                           \
    a;                                                                                \
    b;                                                                                \
    c;                                                                                \
    for (r_ = 0; r_ < reps; ++r_) {                                                   \
      TIMED(xa_[r_], a);                                                              \
      TIMED(xb_[r_], b);                                                              \
      TIMED(xc_[r_], c);                                                              \
      qb_[r_] = xa_[r_] / xb_[r_];                                                    \
      qc_[r_] = xa_[r_] / xc_[r_];                                                    \
    }                                                                                 \
    ta = median(xa_, reps);                                                           \
    tb = median(xb_, reps);                                                           \
    tc = median(xc_, reps);                                                           \
    rab = median(qb_, reps) - 1;                                                      \
    rac = median(qc_, reps) - 1;                                                      \
  } while (0)

static void model_grads(tensor_comm *c, const char *name, const int64_t (*shapes)[2], int n) {
  tensor *params[8], *flat;
  int64_t total = 0, flat_shape[1];
  double t_grads, t_one, t_mpi, r_one, r_mpi;
  int i;
  for (i = 0; i < n; ++i) {
    tensor *s = NULL;
    TRY(tensor_randn(&params[i], shapes[i], shapes[i][1] ? 2 : 1, NULL));
    TRY(tensor_set_requires_grad(params[i], true));
    TRY(tensor_sum(&s, params[i], NULL, 0, false));
    TRY(tensor_backward(s, NULL, false));
    tensor_free(s);
    total += tensor_numel(params[i]);
  }
  flat_shape[0] = total;
  TRY(tensor_ones(&flat, flat_shape, 1, NULL));
  COMPARE3(t_grads, TRY(tensor_dist_all_reduce_grads(c, params, n, 0)), t_one,
           TRY(tensor_dist_all_reduce(c, flat, TENSOR_DIST_AVG)), t_mpi,
           MPI_Allreduce(MPI_IN_PLACE, buffer(flat), (int)total, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD), r_one, r_mpi);
  if (rank == 0)
    printf("all_reduce_grads %-22s %8.1f KiB in %d params: %9.1f us | one all_reduce %9.1f us (%+.1f%%) | "
           "MPI_Allreduce %9.1f us (%+.1f%%)\n",
           name, total * 4 / 1024.0, n, 1e6 * t_grads, 1e6 * t_one, 100 * r_one, 1e6 * t_mpi, 100 * r_mpi);
  for (i = 0; i < n; ++i) tensor_free(params[i]);
  tensor_free(flat);
}

int main(int argc, char **argv) {
  static const int64_t digits_mlp[][2] = {{64, 128}, {128, 0}, {128, 10}, {10, 0}};
  static const int64_t mnist_mlp[][2] = {{784, 1024}, {1024, 0}, {1024, 1024}, {1024, 0}, {1024, 10}, {10, 0}};
  tensor_comm *c = NULL;
  tensor *big, *tiny;
  int64_t n = 16 * 1024 * 1024, one = 1;
  int world;
  double t_dist, t_mpi, t_small, r_dist, r_unused;
  MPI_Init(&argc, &argv);
  if (argc > 1) reps = atoi(argv[1]);
  if (reps < 1 || reps > 256) reps = 21;
  TRY(tensor_dist_init(&c, TENSOR_DIST_MPI)); /* reuses the program's MPI */
  rank = tensor_dist_rank(c);
  world = tensor_dist_world_size(c);
  if (rank == 0) printf("%d ranks, medians of %d runs\n", world, reps);

  /* zeros, so that repeated sums stay finite (the values do not change the cost) */
  TRY(tensor_zeros(&big, &n, 1, NULL));
  TRY(tensor_zeros(&tiny, &one, 1, NULL));
  if (argc > 2 && strcmp(argv[2], "grads") == 0) goto grads;
  COMPARE3(t_dist, TRY(tensor_dist_all_reduce(c, big, TENSOR_DIST_SUM)), t_mpi,
           MPI_Allreduce(MPI_IN_PLACE, buffer(big), (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD), t_small,
           MPI_Allreduce(MPI_IN_PLACE, buffer(tiny), 1, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD), r_dist, r_unused);
  if (rank == 0)
    printf("all_reduce 64 MiB float32: tensor_dist %.2f ms, MPI_Allreduce %.2f ms (%+.1f%%); bus bandwidth "
           "2(p-1)/p x bytes / time = %.2f GB/s\n",
           1e3 * t_dist, 1e3 * t_mpi, 100 * r_dist,
           world > 1 ? 2.0 * (world - 1) / world * 4.0 * (double)n / t_mpi / 1e9 : 0.0);

  /* The dtypes MPI has no sum for (halves: float32 arithmetic, rounded once; small integers: wrapped as
   * torch, where Open MPI's own op saturates) go through libtensor_dist's user-defined MPI_Op: the same
   * 64 MiB against the float32 all_reduce of the same bytes, which MPI sums natively. */
  {
    static const tensor_dtype dtypes[] = {TENSOR_BFLOAT16, TENSOR_FLOAT16, TENSOR_INT16, TENSOR_INT8, TENSOR_UINT8};
    size_t k;
    for (k = 0; k < sizeof dtypes / sizeof dtypes[0]; ++k) {
      tensor_options o = TENSOR_OPTIONS_INIT;
      tensor *same_bytes = NULL;
      int64_t count = (int64_t)(4 * n / (int64_t)tensor_dtype_size(dtypes[k]));
      o.dtype = dtypes[k];
      TRY(tensor_zeros(&same_bytes, &count, 1, &o));
      COMPARE3(t_dist, TRY(tensor_dist_all_reduce(c, same_bytes, TENSOR_DIST_SUM)), t_mpi,
               TRY(tensor_dist_all_reduce(c, big, TENSOR_DIST_SUM)), t_small,
               MPI_Allreduce(MPI_IN_PLACE, buffer(big), (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD), r_dist, r_unused);
      if (rank == 0)
        printf("all_reduce 64 MiB %-8s: tensor_dist %.2f ms (%+.1f%% against float32 of the same bytes: "
               "tensor_dist %.2f ms, MPI_Allreduce %.2f ms)\n",
               tensor_dtype_name(dtypes[k]), 1e3 * t_dist, 100 * r_dist, 1e3 * t_mpi, 1e3 * t_small);
      tensor_free(same_bytes);
    }
  }

  COMPARE3(t_dist, TRY(tensor_dist_all_reduce(c, tiny, TENSOR_DIST_SUM)), t_small,
           MPI_Allreduce(MPI_IN_PLACE, buffer(tiny), 1, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD), t_mpi,
           MPI_Barrier(MPI_COMM_WORLD), r_dist, r_unused);
  if (rank == 0)
    printf("all_reduce of 1 float32 (latency): MPI_Allreduce %.1f us, tensor_dist %.1f us (%+.1f%%); "
           "MPI_Barrier %.1f us\n", 1e6 * t_small, 1e6 * t_dist, 100 * r_dist, 1e6 * t_mpi);
  (void)r_unused;

grads:
  model_grads(c, "(digits MLP 64-128-10)", digits_mlp, 4);
  model_grads(c, "(MLP 784-1024-1024-10)", mnist_mlp, 6);
  tensor_free(tiny);
  tensor_free(big);
  TRY(tensor_dist_free(c));
  MPI_Finalize();
  return 0;
}
