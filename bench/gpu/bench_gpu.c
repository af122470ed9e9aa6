/*
 * libtensor GPU benchmarks through the public C API (a plain C99 consumer of tensor.h), run beside
 * bench_torch.py (the same cases in PyTorch) by scripts/gpu_check.sh; compare.py prints the table.
 *
 * Timing rule (shared with bench_torch.py): a case's step is called `reps` times back to back and the
 * device is synchronised once; seconds per step = elapsed / reps. Three warm-up steps first (module
 * load, cuBLAS handle, caching allocator), then 7 samples; the median is reported. Device work is
 * asynchronous, so a sample covers the GPU time of its steps plus one synchronisation.
 * The "tiny" case measures host time per call instead: 20000 adds of 4-element tensors without a
 * synchronisation inside the timed loop (launch included, as PyTorch eager).
 *
 * Output: "result <case> <seconds> <bytes> <flops>" per case ("error <case> <message>" on failure).
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tensor/tensor.h"

#define SAMPLES 7

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef int (*step_fn)(void *ctx); /* returns 0 on success */

/* Median seconds per step, or -1 when a step failed. */
static double measure(step_fn step, void *ctx, int reps) {
  double samples[SAMPLES];
  for (int i = 0; i < 3; ++i)
    if (step(ctx) != 0) return -1;
  if (tensor_cuda_synchronize(0) != TENSOR_OK) return -1;
  for (int s = 0; s < SAMPLES; ++s) {
    double t0 = now();
    for (int r = 0; r < reps; ++r)
      if (step(ctx) != 0) return -1;
    if (tensor_cuda_synchronize(0) != TENSOR_OK) return -1;
    samples[s] = (now() - t0) / reps;
  }
  qsort(samples, SAMPLES, sizeof(double), cmp_double);
  return samples[SAMPLES / 2];
}

static void report(const char *name, double seconds, double bytes, double flops) {
  if (seconds < 0) printf("error %s %s\n", name, tensor_last_error());
  else printf("result %s %.9g %.6g %.6g\n", name, seconds, bytes, flops);
  fflush(stdout);
}

/* ---- cases -------------------------------------------------------------------------------------- */

typedef struct {
  tensor *a, *b;
  int32_t dim;
} Ctx;

static tensor *randn_cuda(const int64_t *shape, int32_t ndim) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.device.type = TENSOR_CUDA;
  o.device.index = 0;
  tensor *t = NULL;
  if (tensor_randn(&t, shape, ndim, &o) != TENSOR_OK) {
    fprintf(stderr, "randn failed: %s\n", tensor_last_error());
    exit(1);
  }
  return t;
}

static int step_clone(void *p) {
  Ctx *c = (Ctx *)p;
  tensor *o = NULL;
  tensor_status st = tensor_clone(&o, c->a);
  tensor_free(o);
  return st;
}
static int step_add(void *p) {
  Ctx *c = (Ctx *)p;
  tensor *o = NULL;
  tensor_status st = tensor_add(&o, c->a, c->b);
  tensor_free(o);
  return st;
}
static int step_sum(void *p) {
  Ctx *c = (Ctx *)p;
  tensor *o = NULL;
  tensor_status st = tensor_sum(&o, c->a, NULL, 0, false);
  tensor_free(o);
  return st;
}
static int step_std(void *p) {
  Ctx *c = (Ctx *)p;
  tensor *o = NULL;
  tensor_status st = tensor_std(&o, c->a, NULL, 0, 1, false);
  tensor_free(o);
  return st;
}
static int step_max_dim(void *p) {
  Ctx *c = (Ctx *)p;
  tensor *v = NULL, *i = NULL;
  tensor_status st = tensor_max_dim(&v, &i, c->a, c->dim, false);
  tensor_free(v);
  tensor_free(i);
  return st;
}
static int step_matmul(void *p) {
  Ctx *c = (Ctx *)p;
  tensor *o = NULL;
  tensor_status st = tensor_matmul(&o, c->a, c->b);
  tensor_free(o);
  return st;
}

static int step_empty(void *p) {
  (void)p;
  const int64_t four[] = {4};
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.device.type = TENSOR_CUDA;
  tensor *t = NULL;
  tensor_status st = tensor_empty(&t, four, 1, &o);
  tensor_free(t);
  return st;
}
static int step_fill(void *p) { return tensor_fill_(((Ctx *)p)->a, 1.0); }

/* Median host seconds per call over 7 samples of 20000 calls, no synchronisation inside a sample. */
static double host_time(step_fn step, void *ctx) {
  double samples[SAMPLES];
  for (int s = 0; s < SAMPLES; ++s) {
    double t0 = now();
    for (int r = 0; r < 20000; ++r)
      if (step(ctx) != 0) return -1;
    samples[s] = (now() - t0) / 20000;
    tensor_cuda_synchronize(0);
  }
  qsort(samples, SAMPLES, sizeof(double), cmp_double);
  return samples[SAMPLES / 2];
}

int main(void) {
  if (!tensor_cuda_available()) {
    printf("error all CUDA not available\n");
    return 1;
  }
  /* The CUDA line of the configuration (GPU, cuBLAS in use). */
  char config[2048];
  tensor_config_string(config, sizeof config);
  char *cuda_line = strstr(config, "cuda:");
  if (cuda_line) {
    char *end = strchr(cuda_line, '\n');
    if (end) *end = '\0';
    printf("info %s\n", cuda_line);
  }
  /* BENCH_ONLY=matmul: just the matmul case (run again with another cuBLAS, TENSOR_CUBLAS_LIBRARY). */
  const char *only = getenv("BENCH_ONLY");
  const int matmul_only = only != NULL && strcmp(only, "matmul") == 0;
  const double GiB = 1024.0 * 1024.0 * 1024.0;
  const int64_t n256m[] = {(int64_t)1 << 28};
  const int64_t sq[] = {16384, 16384};
  const int64_t row[] = {16384};
  const int64_t mm[] = {8192, 8192};
  Ctx c;
  if (matmul_only) goto matmul;

  c.a = randn_cuda(n256m, 1);
  c.b = randn_cuda(n256m, 1);
  report("copy_256M_f32", measure(step_clone, &c, 20), 2 * GiB, 0);
  report("add_256M_f32", measure(step_add, &c, 20), 3 * GiB, 0);
  tensor_free(c.b);
  report("sum_256M_f32", measure(step_sum, &c, 20), GiB, 0);
  report("std_256M_f32", measure(step_std, &c, 20), GiB, 0);
  tensor_free(c.a);

  c.a = randn_cuda(sq, 2);
  c.b = randn_cuda(row, 1);
  report("add_bcast_16384x16384_row", measure(step_add, &c, 20), 2 * GiB + 16384 * 4.0, 0);
  tensor_free(c.b);
  c.dim = -1;
  report("max_dim_last_16384x16384", measure(step_max_dim, &c, 20), GiB + 16384 * 12.0, 0);
  c.dim = 0;
  report("max_dim_first_16384x16384", measure(step_max_dim, &c, 20), GiB + 16384 * 12.0, 0);
  tensor_free(c.a);

matmul:
  tensor_cuda_set_allow_tf32(false);
  c.a = randn_cuda(mm, 2);
  c.b = randn_cuda(mm, 2);
  report(matmul_only ? "matmul_8192_f32_alt_cublas" : "matmul_8192_f32", measure(step_matmul, &c, 5),
         3 * 8192.0 * 8192.0 * 4, 2.0 * 8192.0 * 8192.0 * 8192.0);
  tensor_free(c.a);
  tensor_free(c.b);
  if (matmul_only) return tensor_cuda_synchronize(0) == TENSOR_OK ? 0 : 1;

  /* Host time per tiny op: no synchronisation inside the timed loop. */
  const int64_t four[] = {4};
  c.a = randn_cuda(four, 1);
  c.b = randn_cuda(four, 1);
  double samples[SAMPLES];
  int failed = 0;
  for (int i = 0; i < 1000; ++i) failed |= step_add(&c);
  tensor_cuda_synchronize(0);
  for (int s = 0; s < SAMPLES && !failed; ++s) {
    double t0 = now();
    for (int r = 0; r < 20000; ++r) failed |= step_add(&c);
    samples[s] = (now() - t0) / 20000;
    tensor_cuda_synchronize(0);
  }
  qsort(samples, SAMPLES, sizeof(double), cmp_double);
  report("tiny_add_host_time", failed ? -1 : samples[SAMPLES / 2], 0, 0);
  /* Where a tiny op's host time goes: allocation alone, an op with a launch but no allocation. */
  printf("info host_us tensor_empty+free %.3f\n", 1e6 * host_time(step_empty, &c));
  printf("info host_us tensor_fill_ %.3f\n", 1e6 * host_time(step_fill, &c));
  tensor_free(c.a);
  tensor_free(c.b);
  return tensor_cuda_synchronize(0) == TENSOR_OK ? 0 : 1;
}
