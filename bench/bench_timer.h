/*
 * The timing rule shared by the C benchmark programs (C99, header-only).
 *
 * A "step" is one operation as a user would run it (inputs prepared beforehand). measure() calls it in
 * batches long enough for the clock (>= BENCH_MIN_SAMPLE_S per sample), collects samples until
 * BENCH_BUDGET_S is spent (at least BENCH_MIN_SAMPLES, at most BENCH_MAX_SAMPLES), and returns the
 * median time per step. The NumPy script and the libtorch program follow the same rule.
 */
#ifndef BENCH_TIMER_H
#define BENCH_TIMER_H

#include <stdlib.h>
#include <time.h>

#define BENCH_MIN_SAMPLE_S 0.002
#define BENCH_BUDGET_S 1.0
#define BENCH_MIN_SAMPLES 7
#define BENCH_MAX_SAMPLES 51

/* A step returns 0 on success; anything else stops the measurement of its case. */
typedef int (*bench_step)(void *ctx);

static inline double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static inline double bench_median(double *v, int n) {
  qsort(v, (size_t)n, sizeof(double), bench_cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Seconds per call of `step` over `reps` calls, or a negative value when a call failed. */
static inline double bench_batch(bench_step step, void *ctx, long reps) {
  double t0 = bench_now();
  for (long i = 0; i < reps; ++i)
    if (step(ctx) != 0) return -1.0;
  return (bench_now() - t0) / (double)reps;
}

/* Calls per sample so that one sample lasts at least BENCH_MIN_SAMPLE_S (after one warm-up call). */
static inline long bench_calibrate(bench_step step, void *ctx) {
  long reps = 1;
  for (;;) {
    double t = bench_batch(step, ctx, reps);
    if (t < 0) return -1;
    if (t * (double)reps >= BENCH_MIN_SAMPLE_S || reps >= (1L << 24)) return reps;
    reps *= t > 0 && BENCH_MIN_SAMPLE_S / (t * (double)reps) < 8 ? 2 : 8;
  }
}

/* Median seconds per step, or a negative value when a step failed. */
static inline double bench_measure(bench_step step, void *ctx) {
  double samples[BENCH_MAX_SAMPLES];
  if (step(ctx) != 0) return -1.0; /* warm-up: first-touch page faults, caches, lazy init */
  long reps = bench_calibrate(step, ctx);
  if (reps < 0) return -1.0;
  int n = 0;
  double start = bench_now();
  while (n < BENCH_MAX_SAMPLES && (n < BENCH_MIN_SAMPLES || bench_now() - start < BENCH_BUDGET_S)) {
    double t = bench_batch(step, ctx, reps);
    if (t < 0) return -1.0;
    samples[n++] = t;
  }
  return bench_median(samples, n);
}

/*
 * Two steps measured in alternation (a, b, b, a, a, b, ...), so that both see the same machine state:
 * for comparing one library against the BLAS call underneath it within a few percent. Returns 0, or -1
 * when step a failed, -2 when step b failed.
 */
static inline int bench_measure_pair(bench_step a, bench_step b, void *ctx, double *median_a, double *median_b) {
  double sa[BENCH_MAX_SAMPLES], sb[BENCH_MAX_SAMPLES];
  if (a(ctx) != 0) return -1;
  if (b(ctx) != 0) return -2;
  long reps = bench_calibrate(a, ctx);
  if (reps < 0) return -1;
  int n = 0;
  double start = bench_now();
  while (n < BENCH_MAX_SAMPLES && (n < BENCH_MIN_SAMPLES || bench_now() - start < 2 * BENCH_BUDGET_S)) {
    int a_first = n % 2 == 0;
    double ta = 0, tb = 0;
    if (a_first) ta = bench_batch(a, ctx, reps);
    tb = bench_batch(b, ctx, reps);
    if (!a_first) ta = bench_batch(a, ctx, reps);
    if (ta < 0) return -1;
    if (tb < 0) return -2;
    sa[n] = ta;
    sb[n] = tb;
    ++n;
  }
  *median_a = bench_median(sa, n);
  *median_b = bench_median(sb, n);
  return 0;
}

#endif /* BENCH_TIMER_H */
