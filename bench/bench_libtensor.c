/*
 * libtensor benchmarks through the public C API (a plain C99 consumer of tensor.h and libtensor.so),
 * plus cblas_sgemm/cblas_dgemm called directly on the same buffers for the matmul cases.
 *
 * Usage: bench_libtensor [--only GROUP]
 *   GROUP: foundation, reductions, math, matmul, autograd, sorting, optim, random, nn, train, index, conv, norm, pool,
 *          dtypes
 * Output, one line per fact, tab-separated (read by bench/report.py):
 *   info    <key>   <value>
 *   result  <case>  <median seconds per call>
 *   error   <case>  <message>              (a failing call is reported for its row; the run goes on)
 * Case names are shared with bench_libtorch.cpp and bench_numpy.py.
 */
#include <cblas.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_timer.h"
#include "tensor/tensor.h"

static const char *g_only = NULL; /* run only this group when set */

/* ---- reporting ---------------------------------------------------------------------------------- */

static void report_error(const char *name, const char *what) {
  printf("error\t%s\t%s\n", name, what);
  fflush(stdout);
}

/* Reports a measurement, or the library's last error when the step failed. */
static void report(const char *name, double seconds) {
  if (seconds < 0) report_error(name, tensor_last_error());
  else printf("result\t%s\t%.9g\n", name, seconds);
  fflush(stdout);
}

static int wanted(const char *group) { return g_only == NULL || strcmp(g_only, group) == 0; }

/* ---- inputs ------------------------------------------------------------------------------------- */

static tensor *make_rand(const int64_t *shape, int32_t ndim, tensor_dtype dtype) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  tensor *t = NULL;
  o.dtype = dtype;
  if (tensor_rand(&t, shape, ndim, &o) != TENSOR_OK) return NULL;
  return t;
}

static tensor *make_data(const float *values, const int64_t *shape, int32_t ndim, bool requires_grad) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  tensor *t = NULL;
  o.requires_grad = requires_grad;
  if (tensor_from_data(&t, values, shape, ndim, &o) != TENSOR_OK) return NULL;
  return t;
}

/* ---- steps: each one user-visible operation, result created and freed ---------------------------- */

typedef struct {
  tensor *a, *b;
  int32_t dims[1];
  int32_t ndims;
} binary_ctx;

static int step_add(void *p) {
  binary_ctx *c = (binary_ctx *)p;
  tensor *out = NULL;
  if (tensor_add(&out, c->a, c->b) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static int step_mul(void *p) {
  binary_ctx *c = (binary_ctx *)p;
  tensor *out = NULL;
  if (tensor_mul(&out, c->a, c->b) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static int step_sum(void *p) {
  binary_ctx *c = (binary_ctx *)p;
  tensor *out = NULL;
  if (tensor_sum(&out, c->a, NULL, 0, false) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static int step_std(void *p) {
  binary_ctx *c = (binary_ctx *)p;
  tensor *out = NULL;
  if (tensor_std(&out, c->a, NULL, 0, 1, false) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static int step_max_dim(void *p) {
  binary_ctx *c = (binary_ctx *)p;
  tensor *values = NULL, *indices = NULL;
  if (tensor_max_dim(&values, &indices, c->a, -1, false) != TENSOR_OK) return 1;
  tensor_free(values);
  tensor_free(indices);
  return 0;
}

static int step_mean_dims(void *p) {
  binary_ctx *c = (binary_ctx *)p;
  tensor *out = NULL;
  if (tensor_mean(&out, c->a, c->dims, c->ndims, false) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static int step_matmul(void *p) {
  binary_ctx *c = (binary_ctx *)p;
  tensor *out = NULL;
  if (tensor_matmul(&out, c->a, c->b) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

/* ---- cases -------------------------------------------------------------------------------------- */

static void run_binary(const char *name, bench_step step, tensor *a, tensor *b) {
  binary_ctx c = {a, b, {0}, 0};
  if (!a || !b) report_error(name, tensor_last_error());
  else report(name, bench_measure(step, &c));
  tensor_free(a);
  tensor_free(b);
}

static void foundation(void) {
  static const float x3[3] = {1.0f, 2.0f, 3.0f}, y3[3] = {4.0f, 5.0f, 6.0f}, scale[3] = {0.5f, 1.5f, 1.0f};
  const int64_t s3[1] = {3}, image[3] = {256, 256, 3}, n16m[1] = {16 * 1024 * 1024};
  const int64_t square[2] = {4096, 4096}, row[1] = {4096};
  run_binary("add_3", step_add, make_data(x3, s3, 1, false), make_data(y3, s3, 1, false));
  run_binary("image_scale", step_mul, make_rand(image, 3, TENSOR_FLOAT32), make_data(scale, s3, 1, false));
  run_binary("add_16m", step_add, make_rand(n16m, 1, TENSOR_FLOAT32), make_rand(n16m, 1, TENSOR_FLOAT32));
  run_binary("add_bcast_4096", step_add, make_rand(square, 2, TENSOR_FLOAT32), make_rand(row, 1, TENSOR_FLOAT32));
}

static void run_reduce(const char *name, bench_step step, const int64_t *shape, int32_t ndim, int32_t dim,
                       int32_t ndims) {
  binary_ctx c = {make_rand(shape, ndim, TENSOR_FLOAT32), NULL, {dim}, ndims};
  if (!c.a) report_error(name, tensor_last_error());
  else report(name, bench_measure(step, &c));
  tensor_free(c.a);
}

static void reductions(void) {
  const int64_t n16m[1] = {16 * 1024 * 1024}, images[4] = {5, 256, 256, 3}, square[2] = {4096, 4096};
  run_reduce("sum_16m", step_sum, n16m, 1, 0, 0);
  run_reduce("std_16m", step_std, n16m, 1, 0, 0);
  run_reduce("max_dim_last", step_max_dim, images, 4, -1, 1);
  run_reduce("mean_dim0_4096", step_mean_dims, square, 2, 0, 1);
  run_reduce("mean_dim_last_4096", step_mean_dims, square, 2, -1, 1);
}

/* Elementwise math of 1M elements, new result (glibc's scalar calls were 3-6x behind libtorch's SIMD). */
typedef tensor_status (*unary_fn)(tensor **, const tensor *);
typedef struct {
  unary_fn fn;
  tensor *x;
} unary_ctx;

static int step_unary(void *p) {
  unary_ctx *c = (unary_ctx *)p;
  tensor *out = NULL;
  if (c->fn(&out, c->x) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static void run_unary(const char *name, unary_fn fn, tensor_dtype dtype) {
  const int64_t n1m[1] = {1 << 20};
  unary_ctx c;
  c.fn = fn;
  c.x = make_rand(n1m, 1, dtype); /* [0, 1): inside every op's domain */
  if (!c.x) report_error(name, tensor_last_error());
  else report(name, bench_measure(step_unary, &c));
  tensor_free(c.x);
}

/* pow with a scalar exponent: a general one (2.5) and one with an arithmetic shortcut (0.5 -> sqrt). */
typedef struct {
  tensor *x;
  double exponent;
} pow_ctx;

static int step_pow(void *p) {
  pow_ctx *c = (pow_ctx *)p;
  tensor *out = NULL;
  if (tensor_pow_scalar(&out, c->x, c->exponent) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static void run_pow(const char *name, double exponent) {
  const int64_t n1m[1] = {1 << 20};
  pow_ctx c;
  c.x = make_rand(n1m, 1, TENSOR_FLOAT32);
  c.exponent = exponent;
  if (!c.x) report_error(name, tensor_last_error());
  else report(name, bench_measure(step_pow, &c));
  tensor_free(c.x);
}

/* where with a random condition (x > 0.5 of uniform x): a branch per element would mispredict half the time. */
typedef struct {
  tensor *cond, *x, *y;
} where_ctx;

static int step_where(void *p) {
  where_ctx *c = (where_ctx *)p;
  tensor *out = NULL;
  if (tensor_where(&out, c->cond, c->x, c->y) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static void run_where(const char *name) {
  const int64_t n1m[1] = {1 << 20};
  static const float half = 0.5f;
  tensor *threshold = make_data(&half, n1m, 0, false); /* a 0-d tensor */
  where_ctx c = {NULL, make_rand(n1m, 1, TENSOR_FLOAT32), make_rand(n1m, 1, TENSOR_FLOAT32)};
  if (threshold && c.x && c.y && tensor_gt(&c.cond, c.x, threshold) == TENSOR_OK)
    report(name, bench_measure(step_where, &c));
  else report_error(name, tensor_last_error());
  tensor_free(threshold);
  tensor_free(c.cond);
  tensor_free(c.x);
  tensor_free(c.y);
}

static tensor_status gelu_exact(tensor **out, const tensor *a) { return tensor_gelu(out, a, false); }

static void math(void) {
  run_unary("exp_1m_f32", tensor_exp, TENSOR_FLOAT32);
  run_unary("log_1m_f32", tensor_log, TENSOR_FLOAT32);
  run_unary("sin_1m_f32", tensor_sin, TENSOR_FLOAT32);
  run_unary("tanh_1m_f32", tensor_tanh, TENSOR_FLOAT32);
  run_unary("sqrt_1m_f32", tensor_sqrt, TENSOR_FLOAT32);
  run_unary("exp_1m_f64", tensor_exp, TENSOR_FLOAT64);
  run_unary("sin_1m_f64", tensor_sin, TENSOR_FLOAT64);
  run_unary("tanh_1m_f64", tensor_tanh, TENSOR_FLOAT64);
  run_pow("pow_1m_f32", 2.5);
  run_pow("pow_half_1m_f32", 0.5);
  run_where("where_1m_f32");
  run_unary("exp2_1m_f32", tensor_exp2, TENSOR_FLOAT32);
  run_unary("log1p_1m_f32", tensor_log1p, TENSOR_FLOAT32);
  run_unary("erf_1m_f32", tensor_erf, TENSOR_FLOAT32);
  run_unary("gelu_1m_f32", gelu_exact, TENSOR_FLOAT32);
  run_unary("silu_1m_f32", tensor_silu, TENSOR_FLOAT32);
}

/* cblas on the very buffers the libtensor case reads, writing into a buffer allocated once. */
typedef struct {
  binary_ctx mm;
  int n;
  tensor_dtype dtype;
  void *c;
} gemm_ctx;

static int step_matmul_pair(void *p) { return step_matmul(&((gemm_ctx *)p)->mm); }

static int step_cblas(void *p) {
  gemm_ctx *g = (gemm_ctx *)p;
  const void *a = tensor_data(g->mm.a), *b = tensor_data(g->mm.b);
  if (g->dtype == TENSOR_FLOAT32)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g->n, g->n, g->n, 1.0f, (const float *)a, g->n,
                (const float *)b, g->n, 0.0f, (float *)g->c, g->n);
  else
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g->n, g->n, g->n, 1.0, (const double *)a, g->n,
                (const double *)b, g->n, 0.0, (double *)g->c, g->n);
  return 0;
}

/* The seed notebook's last cell: A = rand(n, n); A @ A. */
static void run_matmul(int n, tensor_dtype dtype) {
  char name[32], cblas_name[48];
  const int64_t shape[2] = {n, n};
  const size_t item = dtype == TENSOR_FLOAT32 ? 4 : 8;
  gemm_ctx g;
  double ours = -1, direct = -1;
  int st;
  snprintf(name, sizeof name, "matmul_%s_%d", dtype == TENSOR_FLOAT32 ? "f32" : "f64", n);
  snprintf(cblas_name, sizeof cblas_name, "%s_cblas", name);
  g.mm.a = make_rand(shape, 2, dtype);
  g.mm.b = g.mm.a;
  g.n = n;
  g.dtype = dtype;
  g.c = malloc((size_t)n * (size_t)n * item);
  if (!g.mm.a || !g.c) {
    report_error(name, g.mm.a ? "out of memory" : tensor_last_error());
  } else {
    st = bench_measure_pair(step_matmul_pair, step_cblas, &g, &ours, &direct);
    if (st == -1) report_error(name, tensor_last_error());
    else report(name, ours);
    if (st == 0) report(cblas_name, direct);
  }
  free(g.c);
  tensor_free(g.mm.a);
}

static void matmul(void) {
  run_matmul(1000, TENSOR_FLOAT32);
  run_matmul(2048, TENSOR_FLOAT32);
  run_matmul(1000, TENSOR_FLOAT64);
  run_matmul(2048, TENSOR_FLOAT64);
}

/* The seed's autograd cell: x = [[5, 8], [4, 6]] with requires_grad; y = x.pow(3).sum(); y.backward();
 * read x.grad. Everything is created and freed inside the step. */
static int step_seed_graph(void *unused) {
  static const float x_values[4] = {5, 8, 4, 6};
  const int64_t shape[2] = {2, 2};
  float grad_values[4];
  tensor *x = make_data(x_values, shape, 2, true), *cube = NULL, *y = NULL, *grad = NULL;
  int ok = x && tensor_pow_scalar(&cube, x, 3.0) == TENSOR_OK && tensor_sum(&y, cube, NULL, 0, false) == TENSOR_OK &&
           tensor_backward(y, NULL, false) == TENSOR_OK && tensor_grad(&grad, x) == TENSOR_OK && grad &&
           tensor_copy_to_host(grad, grad_values, sizeof grad_values) == TENSOR_OK;
  (void)unused;
  tensor_free(grad);
  tensor_free(y);
  tensor_free(cube);
  tensor_free(x);
  return ok ? 0 : 1;
}

/* Forward and backward of (x * x + 1).exp().sum() for a leaf x; the grad is dropped after each step so
 * every step computes it afresh (as PyTorch's zero_grad(set_to_none=True)). */
static int step_chain(void *p) {
  tensor *x = (tensor *)p, *sq = NULL, *plus = NULL, *e = NULL, *y = NULL;
  int ok = tensor_mul(&sq, x, x) == TENSOR_OK && tensor_add_scalar(&plus, sq, 1.0) == TENSOR_OK &&
           tensor_exp(&e, plus) == TENSOR_OK && tensor_sum(&y, e, NULL, 0, false) == TENSOR_OK;
  tensor_free(sq);
  tensor_free(plus);
  tensor_free(e);
  ok = ok && tensor_backward(y, NULL, false) == TENSOR_OK && tensor_zero_grad(x) == TENSOR_OK;
  tensor_free(y);
  return ok ? 0 : 1;
}

static void autograd(void) {
  const int64_t n1m[1] = {1 << 20};
  tensor *x = make_rand(n1m, 1, TENSOR_FLOAT32);
  report("autograd_seed", bench_measure(step_seed_graph, NULL));
  if (!x || tensor_set_requires_grad(x, true) != TENSOR_OK) report_error("autograd_chain_1m", tensor_last_error());
  else report("autograd_chain_1m", bench_measure(step_chain, x));
  tensor_free(x);
}

/* Sorting: sort of 1M float32 (one line), sort of (1000,1000) rows, topk k=10 over dim 1 of (4096,1000);
   values and int64 indices, as torch.sort / torch.topk. */
static int step_sort(void *p) {
  binary_ctx *c = (binary_ctx *)p;
  tensor *values = NULL, *indices = NULL;
  if (tensor_sort(&values, &indices, c->a, -1, false, false) != TENSOR_OK) return 1;
  tensor_free(values);
  tensor_free(indices);
  return 0;
}

static int step_topk10(void *p) {
  binary_ctx *c = (binary_ctx *)p;
  tensor *values = NULL, *indices = NULL;
  if (tensor_topk(&values, &indices, c->a, 10, -1, true, true) != TENSOR_OK) return 1;
  tensor_free(values);
  tensor_free(indices);
  return 0;
}

static void sorting(void) {
  const int64_t n1m[1] = {1000000}, rows[2] = {1000, 1000}, wide[2] = {4096, 1000};
  run_reduce("sort_1m", step_sort, n1m, 1, -1, 1);
  run_reduce("sort_rows_1000", step_sort, rows, 2, -1, 1);
  run_reduce("topk10_4096x1000", step_topk10, wide, 2, -1, 1);
}

/* One optimizer step over a 1M-element float32 parameter whose grad is set once (state exists after the
 * calibration's warm-up call). */
static int step_optimizer(void *p) { return tensor_optimizer_step((tensor_optimizer *)p) == TENSOR_OK ? 0 : 1; }

static void run_optimizer(const char *name, bool adam) {
  const int64_t n1m[1] = {1 << 20};
  tensor *p = make_rand(n1m, 1, TENSOR_FLOAT32), *w = make_rand(n1m, 1, TENSOR_FLOAT32), *pw = NULL, *s = NULL;
  tensor_optimizer *o = NULL;
  tensor_sgd_options so = TENSOR_SGD_OPTIONS_INIT;
  tensor_adam_options ao = TENSOR_ADAM_OPTIONS_INIT;
  so.momentum = 0.9;
  int ok = p && w && tensor_set_requires_grad(p, true) == TENSOR_OK && tensor_mul(&pw, p, w) == TENSOR_OK &&
           tensor_sum(&s, pw, NULL, 0, false) == TENSOR_OK && tensor_backward(s, NULL, false) == TENSOR_OK &&
           (adam ? tensor_optimizer_adam(&o, &p, 1, &ao) : tensor_optimizer_sgd(&o, &p, 1, &so)) == TENSOR_OK;
  if (!ok) report_error(name, tensor_last_error());
  else report(name, bench_measure(step_optimizer, o));
  tensor_optimizer_free(o);
  tensor_free(s);
  tensor_free(pw);
  tensor_free(w);
  tensor_free(p);
}

static void optim(void) {
  run_optimizer("adam_step_1m", true);
  run_optimizer("sgd_momentum_step_1m", false);
}

/* ---- random draws ----------------------------------------------------------------------------- */

static int step_randperm_1m(void *p) {
  tensor *out = NULL;
  (void)p;
  int ok = tensor_randperm(&out, 1000000, NULL) == TENSOR_OK;
  tensor_free(out);
  return ok ? 0 : 1;
}

static int step_dropout(void *p) {
  tensor *out = NULL;
  int ok = tensor_dropout(&out, (const tensor *)p, 0.5, true) == TENSOR_OK;
  tensor_free(out);
  return ok ? 0 : 1;
}

static void random_draws(void) {
  const int64_t n16m[1] = {16 << 20};
  tensor *x = make_rand(n16m, 1, TENSOR_FLOAT32);
  report("randperm_1m", bench_measure(step_randperm_1m, NULL));
  if (!x) report_error("dropout_16m", tensor_last_error());
  else report("dropout_16m", bench_measure(step_dropout, x));
  tensor_free(x);
}

/* ---- nn: the ops a classifier step needs (issue 15) --------------------------------------------- */

typedef struct {
  tensor *x, *w, *b, *target;
  float *c; /* cblas output, allocated once */
  int m, n, k;
} nn_ctx;

static tensor *make_randn(const int64_t *shape, int32_t ndim) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  tensor *t = NULL;
  if (tensor_randn(&t, shape, ndim, &o) != TENSOR_OK) return NULL;
  return t;
}

/* n int64 class labels in [0, classes), from a fixed LCG (the same labels every run). */
static tensor *make_classes(int64_t n, int64_t classes) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  tensor *t = NULL;
  int64_t *labels = (int64_t *)malloc(sizeof(int64_t) * (size_t)n);
  uint64_t state = 12345;
  if (!labels) return NULL;
  for (int64_t i = 0; i < n; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    labels[i] = (int64_t)((state >> 33) % (uint64_t)classes);
  }
  o.dtype = TENSOR_INT64;
  if (tensor_from_data(&t, labels, &n, 1, &o) != TENSOR_OK) t = NULL;
  free(labels);
  return t;
}

static int step_softmax(void *p) {
  tensor *out = NULL;
  if (tensor_softmax(&out, ((nn_ctx *)p)->x, -1) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

/* cross_entropy forward + backward; the grad is dropped after each step (zero_grad(set_to_none=True)). */
static int step_cross_entropy(void *p) {
  nn_ctx *c = (nn_ctx *)p;
  tensor *loss = NULL;
  int ok = tensor_cross_entropy(&loss, c->x, c->target, NULL, -100, 0.0, TENSOR_REDUCTION_MEAN) == TENSOR_OK &&
           tensor_backward(loss, NULL, false) == TENSOR_OK && tensor_zero_grad(c->x) == TENSOR_OK;
  tensor_free(loss);
  return ok ? 0 : 1;
}

static int step_linear(void *p) {
  nn_ctx *c = (nn_ctx *)p;
  tensor *out = NULL;
  if (tensor_linear(&out, c->x, c->w, c->b) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static int step_gelu(void *p) {
  tensor *out = NULL;
  if (tensor_gelu(&out, ((nn_ctx *)p)->x, false) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static int step_gelu_linear(void *p) {
  nn_ctx *c = (nn_ctx *)p;
  tensor *h = NULL, *out = NULL;
  int ok = tensor_linear(&h, c->x, c->w, c->b) == TENSOR_OK && tensor_gelu(&out, h, false) == TENSOR_OK;
  tensor_free(h);
  tensor_free(out);
  return ok ? 0 : 1;
}

/* x @ W^T by cblas_sgemm on the tensors' own buffers into a preallocated output: the floor of linear. */
static int step_sgemm(void *p) {
  nn_ctx *c = (nn_ctx *)p;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, c->m, c->n, c->k, 1.0f, (const float *)tensor_data(c->x), c->k,
              (const float *)tensor_data(c->w), c->k, 0.0f, c->c, c->n);
  return 0;
}

static void nn(void) {
  const int64_t sm[2] = {4096, 1024}, ce[2] = {4096, 1000}, rows[1] = {4096}, w[2] = {1024, 1024}, bias[1] = {1024};
  nn_ctx c;
  memset(&c, 0, sizeof c);
  c.x = make_randn(sm, 2);
  if (!c.x) report_error("softmax_4096x1024", tensor_last_error());
  else report("softmax_4096x1024", bench_measure(step_softmax, &c));
  tensor_free(c.x);

  c.x = make_randn(ce, 2);
  c.target = make_classes(rows[0], 1000);
  if (c.x && c.target && tensor_set_requires_grad(c.x, true) == TENSOR_OK)
    report("cross_entropy_fb_4096x1000", bench_measure(step_cross_entropy, &c));
  else report_error("cross_entropy_fb_4096x1000", tensor_last_error());
  tensor_free(c.x);
  tensor_free(c.target);

  /* gelu(linear(x)), x (4096, 1024), W (1024, 1024), and its two floors: the sgemm alone, one gelu pass. */
  c.x = make_randn(sm, 2);
  c.w = make_randn(w, 2);
  c.b = make_randn(bias, 1);
  c.m = 4096, c.n = 1024, c.k = 1024;
  c.c = (float *)malloc(sizeof(float) * 4096 * 1024);
  if (!c.x || !c.w || !c.b || !c.c) {
    report_error("gelu_linear_4096", c.c ? tensor_last_error() : "out of memory");
  } else {
    report("gelu_linear_4096", bench_measure(step_gelu_linear, &c));
    report("linear_4096", bench_measure(step_linear, &c));
    report("sgemm_4096_cblas", bench_measure(step_sgemm, &c));
    report("gelu_4m_f32", bench_measure(step_gelu, &c));
  }
  free(c.c);
  tensor_free(c.x);
  tensor_free(c.w);
  tensor_free(c.b);
}

/* ---- train: the digits MLP (examples/digits) and the tensor files of a checkpoint ------------------ */

enum { MLP_PARAMS = 6 };

typedef struct {
  tensor *params[MLP_PARAMS];
  tensor_optimizer *opt;
  tensor *x, *y;   /* the batch (train step) or the whole training set (epoch) */
  int64_t batch;   /* rows per step in the epoch */
} mlp_ctx;

/* The digits MLP 64-256-256-10 with torch.nn.Linear's initialisation, AdamW (lr 1e-3, weight decay 0.01). */
static int mlp_init(mlp_ctx *c, int64_t rows, int64_t batch) {
  static const int64_t sizes[4] = {64, 256, 256, 10};
  const int64_t x_shape[2] = {rows, 64};
  tensor_adam_options ao = TENSOR_ADAM_OPTIONS_INIT;
  memset(c, 0, sizeof *c);
  c->batch = batch;
  for (int l = 0; l < 3; ++l) {
    const int64_t w_shape[2] = {sizes[l + 1], sizes[l]};
    const double bound = 1.0 / sqrt((double)sizes[l]);
    if (tensor_empty(&c->params[2 * l], w_shape, 2, NULL) != TENSOR_OK ||
        tensor_uniform_(c->params[2 * l], -bound, bound) != TENSOR_OK ||
        tensor_set_requires_grad(c->params[2 * l], true) != TENSOR_OK ||
        tensor_empty(&c->params[2 * l + 1], w_shape, 1, NULL) != TENSOR_OK ||
        tensor_uniform_(c->params[2 * l + 1], -bound, bound) != TENSOR_OK ||
        tensor_set_requires_grad(c->params[2 * l + 1], true) != TENSOR_OK)
      return 1;
  }
  ao.weight_decay = 0.01;
  ao.decoupled_weight_decay = true;
  if (tensor_optimizer_adam(&c->opt, c->params, MLP_PARAMS, &ao) != TENSOR_OK) return 1;
  c->x = make_rand(x_shape, 2, TENSOR_FLOAT32);
  return !c->x || tensor_randint(&c->y, 0, 10, &rows, 1, NULL) != TENSOR_OK;
}

static void mlp_free(mlp_ctx *c) {
  tensor_optimizer_free(c->opt);
  for (int i = 0; i < MLP_PARAMS; ++i) tensor_free(c->params[i]);
  tensor_free(c->x);
  tensor_free(c->y);
}

/* One training step: forward, cross_entropy, zero_grad, backward, AdamW step. */
static int mlp_step(mlp_ctx *c, const tensor *x, const tensor *y) {
  tensor *h = NULL, *a = NULL, *loss = NULL;
  int failed = tensor_linear(&h, x, c->params[0], c->params[1]) != TENSOR_OK || tensor_relu(&a, h) != TENSOR_OK;
  tensor_free(h);
  h = NULL;
  failed = failed || tensor_linear(&h, a, c->params[2], c->params[3]) != TENSOR_OK;
  tensor_free(a);
  a = NULL;
  failed = failed || tensor_relu(&a, h) != TENSOR_OK;
  tensor_free(h);
  h = NULL;
  failed = failed || tensor_linear(&h, a, c->params[4], c->params[5]) != TENSOR_OK ||
           tensor_cross_entropy(&loss, h, y, NULL, -100, 0.0, TENSOR_REDUCTION_MEAN) != TENSOR_OK ||
           tensor_optimizer_zero_grad(c->opt, true) != TENSOR_OK || tensor_backward(loss, NULL, false) != TENSOR_OK ||
           tensor_optimizer_step(c->opt) != TENSOR_OK;
  tensor_free(loss);
  tensor_free(h);
  tensor_free(a);
  return failed;
}

static int step_train_batch(void *p) {
  mlp_ctx *c = (mlp_ctx *)p;
  return mlp_step(c, c->x, c->y);
}

/* One epoch of examples/digits: a randperm of the training rows, then shuffled batches (the last short). */
static int step_train_epoch(void *p) {
  mlp_ctx *c = (mlp_ctx *)p;
  const int64_t n = tensor_shape(c->x)[0];
  tensor *perm = NULL;
  int failed = tensor_randperm(&perm, n, NULL) != TENSOR_OK;
  for (int64_t start = 0; !failed && start < n; start += c->batch) {
    tensor *idx = NULL, *xb = NULL, *yb = NULL;
    failed = tensor_slice(&idx, perm, 0, start, start + c->batch, 1) != TENSOR_OK ||
             tensor_index_select(&xb, c->x, 0, idx) != TENSOR_OK || tensor_index_select(&yb, c->y, 0, idx) != TENSOR_OK ||
             mlp_step(c, xb, yb);
    tensor_free(yb);
    tensor_free(xb);
    tensor_free(idx);
  }
  tensor_free(perm);
  return failed;
}

typedef struct {
  char st_path[512], raw_path[512];
  tensor *big;    /* the 1 GiB float32 tensor saved */
  char *buffer;   /* 1 GiB, faulted in: the read() target and the write() source */
  size_t bytes;
} file_ctx;

static int step_load_safetensors(void *p) {
  file_ctx *c = (file_ctx *)p;
  tensor_file *f = NULL;
  tensor *t = NULL;
  int failed = tensor_file_open(&f, c->st_path) != TENSOR_OK || tensor_file_get(&t, f, "w") != TENSOR_OK ||
               tensor_data(t) == NULL;
  tensor_file_close(f);
  tensor_free(t);
  return failed;
}

static int step_read_pagecache(void *p) {
  file_ctx *c = (file_ctx *)p;
  int fd = open(c->st_path, O_RDONLY);
  size_t done = 0;
  if (fd < 0) return 1;
  while (done < c->bytes) {
    ssize_t got = read(fd, c->buffer + done, c->bytes - done);
    if (got <= 0) break;
    done += (size_t)got;
  }
  close(fd);
  return done == c->bytes ? 0 : 1;
}

static int step_save_safetensors(void *p) {
  file_ctx *c = (file_ctx *)p;
  const char *name = "w";
  const tensor *t = c->big;
  return tensor_save_safetensors(c->st_path, &name, &t, 1, NULL) != TENSOR_OK;
}

static int step_write_fsync(void *p) {
  file_ctx *c = (file_ctx *)p;
  int fd = open(c->raw_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  size_t done = 0;
  if (fd < 0) return 1;
  while (done < c->bytes) {
    ssize_t put = write(fd, c->buffer + done, c->bytes - done);
    if (put <= 0) break;
    done += (size_t)put;
  }
  int failed = done != c->bytes || fsync(fd) != 0;
  return close(fd) != 0 || failed;
}

/* Median of `rounds` single calls of a and b in alternation (a, b, b, a, ...): 1 GiB steps are too long for
 * bench_measure's batches, and alternation gives both the same disk and page-cache state. */
static int measure_alternating(bench_step a, bench_step b, void *ctx, int rounds, double *ma, double *mb) {
  double sa[16], sb[16];
  if (rounds > 16) rounds = 16;
  for (int i = 0; i < rounds; ++i) {
    for (int k = 0; k < 2; ++k) {
      const int run_a = (i % 2 == 0) == (k == 0);
      double t0 = bench_now();
      if ((run_a ? a : b)(ctx) != 0) return run_a ? -1 : -2;
      (run_a ? sa : sb)[i] = bench_now() - t0;
    }
  }
  *ma = bench_median(sa, rounds);
  *mb = bench_median(sb, rounds);
  return 0;
}

static void train_files(void) {
  const char *dir = getenv("TMPDIR");
  const int64_t n = (int64_t)1 << 28; /* 256M float32: 1 GiB */
  file_ctx c;
  double load = 0, read_s = 0, save = 0, write_s = 0;
  memset(&c, 0, sizeof c);
  if (!dir || !*dir) dir = "/tmp";
  snprintf(c.st_path, sizeof c.st_path, "%s/bench_libtensor_%ld.safetensors", dir, (long)getpid());
  snprintf(c.raw_path, sizeof c.raw_path, "%s/bench_libtensor_%ld.raw", dir, (long)getpid());
  c.bytes = (size_t)n * sizeof(float);
  c.buffer = (char *)malloc(c.bytes);
  if (!c.buffer || tensor_full(&c.big, &n, 1, 0.5, NULL) != TENSOR_OK) {
    report_error("load_safetensors_1g", c.buffer ? tensor_last_error() : "out of memory");
    free(c.buffer);
    return;
  }
  memset(c.buffer, 1, c.bytes); /* faulted in before any timing */
  /* Saving first also writes the file that the load and read rows then find in the page cache. */
  int rc = measure_alternating(step_save_safetensors, step_write_fsync, &c, 3, &save, &write_s);
  if (rc == 0) {
    report("save_safetensors_1g", save);
    report("write_fsync_1g", write_s);
  } else {
    report_error(rc == -1 ? "save_safetensors_1g" : "write_fsync_1g", rc == -1 ? tensor_last_error() : "write failed");
  }
  unlink(c.raw_path);
  rc = rc == 0 ? measure_alternating(step_load_safetensors, step_read_pagecache, &c, 7, &load, &read_s) : rc;
  if (rc == 0) {
    report("load_safetensors_1g", load);
    report("read_pagecache_1g", read_s);
  } else {
    report_error("load_safetensors_1g", tensor_last_error());
  }
  unlink(c.st_path);
  tensor_free(c.big);
  free(c.buffer);
}

static void train(void) {
  mlp_ctx c;
  if (mlp_init(&c, 256, 256) != 0) report_error("train_step_mlp_b256", tensor_last_error());
  else report("train_step_mlp_b256", bench_measure(step_train_batch, &c));
  mlp_free(&c);
  /* examples/digits' epoch: 1438 training rows of 64 features, batches of 64 (shapes as the real data's). */
  if (mlp_init(&c, 1438, 64) != 0) report_error("digits_epoch", tensor_last_error());
  else report("digits_epoch", bench_measure(step_train_epoch, &c));
  mlp_free(&c);
  train_files();
}

/* ---- index: gathers, scatters and scans (issue 16) ----------------------------------------------- */

typedef struct {
  tensor *a, *index, *src;
} index_ctx;

/* int64 indices uniformly drawn from [0, high), of the given shape, from the library's own stream. */
static tensor *make_indices(int64_t high, const int64_t *shape, int32_t ndim) {
  tensor *t = NULL;
  if (tensor_randint(&t, 0, high, shape, ndim, NULL) != TENSOR_OK) return NULL;
  return t;
}

static int step_index_select(void *p) {
  index_ctx *c = (index_ctx *)p;
  tensor *out = NULL;
  if (tensor_index_select(&out, c->a, 0, c->index) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static int step_gather(void *p) {
  index_ctx *c = (index_ctx *)p;
  tensor *out = NULL;
  if (tensor_gather(&out, c->a, 1, c->index) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static int step_scatter_add(void *p) {
  index_ctx *c = (index_ctx *)p;
  tensor *out = NULL;
  if (tensor_scatter_add(&out, c->a, 1, c->index, c->src) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static int step_cumsum(void *p) {
  index_ctx *c = (index_ctx *)p;
  tensor *out = NULL;
  if (tensor_cumsum(&out, c->a, 0) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

static void run_index(const char *name, bench_step step, index_ctx *c) {
  if (!c->a || !c->index || !c->src) report_error(name, tensor_last_error());
  else report(name, bench_measure(step, c));
}

static void free_index_ctx(index_ctx *c) {
  tensor_free(c->a);
  tensor_free(c->index);
  tensor_free(c->src);
  memset(c, 0, sizeof *c);
}

static void index_group(void) {
  const int64_t table[2] = {100000, 128}, picks[1] = {4096}, wide[2] = {4096, 1000}, n16m[1] = {16 << 20};
  tensor_options o = TENSOR_OPTIONS_INIT;
  index_ctx c;
  /* index_select of 4096 random rows of a (100000, 128) table: an embedding lookup. */
  c.a = make_rand(table, 2, TENSOR_FLOAT32);
  c.index = make_indices(table[0], picks, 1);
  c.src = c.a;
  run_index("index_select_4096x128", step_index_select, &c);
  c.src = NULL;
  free_index_ctx(&c);
  /* gather / scatter_add along dim 1 of (4096, 1000) with a (4096, 1000) index of random columns. */
  c.a = make_rand(wide, 2, TENSOR_FLOAT32);
  c.index = make_indices(wide[1], wide, 2);
  c.src = make_rand(wide, 2, TENSOR_FLOAT32);
  run_index("gather_dim1_4096x1000", step_gather, &c);
  tensor_free(c.a);
  c.a = NULL;
  if (tensor_zeros(&c.a, wide, 2, &o) != TENSOR_OK) c.a = NULL;
  run_index("scatter_add_dim1_4096x1000", step_scatter_add, &c);
  free_index_ctx(&c);
  /* cumsum of one 16M float32 line. */
  c.a = make_rand(n16m, 1, TENSOR_FLOAT32);
  c.index = c.src = c.a;
  run_index("cumsum_16m", step_cumsum, &c);
  c.index = c.src = NULL;
  free_index_ctx(&c);
}

/* ---- conv: convolutions (issue 19) --------------------------------------------------------------- */

typedef struct {
  tensor *x, *w, *b;
  int64_t padding[2];
} conv_ctx;

static int step_conv2d(void *p) {
  conv_ctx *c = (conv_ctx *)p;
  tensor *out = NULL;
  if (tensor_conv2d(&out, c->x, c->w, c->b, NULL, c->padding, NULL, 1) != TENSOR_OK) return 1;
  tensor_free(out);
  return 0;
}

/* forward, sum, backward into the weight and bias; their grads are dropped after each step (as
 * PyTorch's zero_grad(set_to_none=True)). */
static int step_conv2d_fb(void *p) {
  conv_ctx *c = (conv_ctx *)p;
  tensor *out = NULL, *s = NULL;
  int ok = tensor_conv2d(&out, c->x, c->w, c->b, NULL, c->padding, NULL, 1) == TENSOR_OK &&
           tensor_sum(&s, out, NULL, 0, false) == TENSOR_OK && tensor_backward(s, NULL, false) == TENSOR_OK &&
           tensor_zero_grad(c->w) == TENSOR_OK && tensor_zero_grad(c->b) == TENSOR_OK;
  tensor_free(s);
  tensor_free(out);
  return ok ? 0 : 1;
}

static void free_conv_ctx(conv_ctx *c) {
  tensor_free(c->x);
  tensor_free(c->w);
  tensor_free(c->b);
}

static void conv_group(void) {
  /* The digits / MNIST first layer: batch 64 of (1, 28, 28), 32 filters 3x3, padding 1, forward + backward. */
  const int64_t xs[4] = {64, 1, 28, 28}, ws[4] = {32, 1, 3, 3}, bs[1] = {32};
  const int64_t xl[4] = {64, 64, 56, 56}, wl[4] = {64, 64, 3, 3};
  conv_ctx c;
  c.padding[0] = c.padding[1] = 1;
  c.x = make_rand(xs, 4, TENSOR_FLOAT32);
  c.w = make_rand(ws, 4, TENSOR_FLOAT32);
  c.b = make_rand(bs, 1, TENSOR_FLOAT32);
  if (!c.x || !c.w || !c.b || tensor_set_requires_grad(c.w, true) != TENSOR_OK ||
      tensor_set_requires_grad(c.b, true) != TENSOR_OK)
    report_error("conv2d_fb_b64_1x28x28", tensor_last_error());
  else
    report("conv2d_fb_b64_1x28x28", bench_measure(step_conv2d_fb, &c));
  free_conv_ctx(&c);
  /* A ResNet stage: (64, 64, 56, 56) with 64 filters 3x3, padding 1, forward only, no bias. */
  c.x = make_rand(xl, 4, TENSOR_FLOAT32);
  c.w = make_rand(wl, 4, TENSOR_FLOAT32);
  c.b = NULL;
  if (!c.x || !c.w) report_error("conv2d_64x64x56x56", tensor_last_error());
  else report("conv2d_64x64x56x56", bench_measure(step_conv2d, &c));
  free_conv_ctx(&c);
}

/* ---- norm: normalisation layers (issue 19) ------------------------------------------------------- */

typedef struct {
  tensor *x, *w, *b, *grad, *running_mean, *running_var;
  int64_t normalized[1];
} norm_ctx;

static tensor *make_filled(const int64_t *shape, int32_t ndim, double value, bool requires_grad) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  tensor *t = NULL;
  o.requires_grad = requires_grad;
  if (tensor_full(&t, shape, ndim, value, &o) != TENSOR_OK) return NULL;
  return t;
}

/* Drops the grads of x, weight and bias (zero_grad(set_to_none=True)): each step computes them afresh. */
static int norm_zero_grads(norm_ctx *c) {
  return tensor_zero_grad(c->x) == TENSOR_OK && tensor_zero_grad(c->w) == TENSOR_OK &&
         tensor_zero_grad(c->b) == TENSOR_OK;
}

static int step_layer_norm(void *p) {
  norm_ctx *c = (norm_ctx *)p;
  tensor *out = NULL;
  bool was = tensor_set_grad_enabled(false); /* forward alone, as torch.no_grad(): no graph kept */
  tensor_status s = tensor_layer_norm(&out, c->x, c->normalized, 1, c->w, c->b, 1e-5);
  tensor_set_grad_enabled(was);
  tensor_free(out);
  return s == TENSOR_OK ? 0 : 1;
}

/* layer_norm forward, backward of a fixed upstream grad into x, weight and bias. */
static int step_layer_norm_fb(void *p) {
  norm_ctx *c = (norm_ctx *)p;
  tensor *out = NULL;
  int ok = tensor_layer_norm(&out, c->x, c->normalized, 1, c->w, c->b, 1e-5) == TENSOR_OK &&
           tensor_backward(out, c->grad, false) == TENSOR_OK && norm_zero_grads(c);
  tensor_free(out);
  return ok ? 0 : 1;
}

/* One batch_norm training step: batch statistics, running stats updated, backward into x, weight, bias. */
static int step_batch_norm_train(void *p) {
  norm_ctx *c = (norm_ctx *)p;
  tensor *out = NULL;
  int ok = tensor_batch_norm(&out, c->x, c->w, c->b, c->running_mean, c->running_var, true, 0.1, 1e-5) ==
               TENSOR_OK &&
           tensor_backward(out, c->grad, false) == TENSOR_OK && norm_zero_grads(c);
  tensor_free(out);
  return ok ? 0 : 1;
}

static void free_norm_ctx(norm_ctx *c) {
  tensor_free(c->x);
  tensor_free(c->w);
  tensor_free(c->b);
  tensor_free(c->grad);
  tensor_free(c->running_mean);
  tensor_free(c->running_var);
  memset(c, 0, sizeof *c);
}

static void norm_group(void) {
  const int64_t rows[2] = {4096, 1024}, images[4] = {64, 64, 56, 56};
  norm_ctx c;
  memset(&c, 0, sizeof c);
  /* layer_norm over the last dim of (4096, 1024), weight 1 and bias 0 (an nn.LayerNorm as created). */
  c.normalized[0] = rows[1];
  c.x = make_randn(rows, 2);
  c.grad = make_randn(rows, 2);
  c.w = make_filled(&rows[1], 1, 1.0, true);
  c.b = make_filled(&rows[1], 1, 0.0, true);
  if (!c.x || !c.grad || !c.w || !c.b || tensor_set_requires_grad(c.x, true) != TENSOR_OK) {
    report_error("layer_norm_4096x1024", tensor_last_error());
    report_error("layer_norm_fb_4096x1024", tensor_last_error());
  } else {
    report("layer_norm_4096x1024", bench_measure(step_layer_norm, &c));
    report("layer_norm_fb_4096x1024", bench_measure(step_layer_norm_fb, &c));
  }
  free_norm_ctx(&c);
  /* batch_norm training step of (64, 64, 56, 56): an nn.BatchNorm2d(64) in train mode. */
  c.x = make_randn(images, 4);
  c.grad = make_randn(images, 4);
  c.w = make_filled(&images[1], 1, 1.0, true);
  c.b = make_filled(&images[1], 1, 0.0, true);
  c.running_mean = make_filled(&images[1], 1, 0.0, false);
  c.running_var = make_filled(&images[1], 1, 1.0, false);
  if (!c.x || !c.grad || !c.w || !c.b || !c.running_mean || !c.running_var ||
      tensor_set_requires_grad(c.x, true) != TENSOR_OK)
    report_error("batch_norm_train_64x64x56x56", tensor_last_error());
  else report("batch_norm_train_64x64x56x56", bench_measure(step_batch_norm_train, &c));
  free_norm_ctx(&c);
}

/* ---- pool: max_pool2d forward + backward (issue 19) ---------------------------------------------- */

typedef struct {
  tensor *x, *grad; /* x requires grad; grad is the output's grad (ones) */
} pool_ctx;

/* One training-style step of a 2x2 max pool: forward (with the indices saved for the grad), backward of
   a given output grad into x, then the grad dropped (set_to_none) so every step computes it afresh. */
static int step_max_pool_fb(void *p) {
  pool_ctx *c = (pool_ctx *)p;
  const int64_t k[2] = {2, 2};
  tensor *y = NULL;
  int ok = tensor_max_pool2d(&y, NULL, c->x, k, NULL, NULL, NULL, false) == TENSOR_OK &&
           tensor_backward(y, c->grad, false) == TENSOR_OK && tensor_zero_grad(c->x) == TENSOR_OK;
  tensor_free(y);
  return ok ? 0 : 1;
}

static void pool_group(void) {
  const int64_t in[4] = {64, 32, 28, 28}, out[4] = {64, 32, 14, 14};
  tensor_options o = TENSOR_OPTIONS_INIT;
  pool_ctx c;
  c.x = make_rand(in, 4, TENSOR_FLOAT32);
  c.grad = NULL;
  if (tensor_ones(&c.grad, out, 4, &o) != TENSOR_OK) c.grad = NULL;
  if (!c.x || !c.grad || tensor_set_requires_grad(c.x, true) != TENSOR_OK)
    report_error("max_pool2d_fb_64x32x28", tensor_last_error());
  else
    report("max_pool2d_fb_64x32x28", bench_measure(step_max_pool_fb, &c));
  tensor_free(c.x);
  tensor_free(c.grad);
}


/* ---- train (issue 19): one training step of the digits CNN (examples/digits/digits_cnn.c) --------- */

enum { CNN_PARAMS = 7 };

typedef struct {
  tensor *params[CNN_PARAMS]; /* conv1.weight, bn1.weight, bn1.bias, conv2.weight, conv2.bias, fc.weight, fc.bias */
  tensor *running_mean, *running_var;
  tensor_optimizer *opt;
  tensor *x, *y; /* a batch of images (N, 1, 8, 8) and its classes */
} cnn_ctx;

/* digits_cnn.c's model with torch's initialisation, AdamW (lr 1e-2, weight decay 0.01), batch `rows`. */
static int cnn_init(cnn_ctx *c, int64_t rows) {
  static const int64_t shapes[CNN_PARAMS][4] = {{16, 1, 3, 3}, {16}, {16}, {32, 16, 3, 3}, {32}, {10, 128}, {10}};
  static const int32_t ndims[CNN_PARAMS] = {4, 1, 1, 4, 1, 2, 1};
  static const int64_t fan_in[CNN_PARAMS] = {9, 0, 0, 144, 144, 128, 128}; /* 0: batch norm, weight 1, bias 0 */
  const int64_t x_shape[4] = {rows, 1, 8, 8}, channels = 16;
  tensor_adam_options ao = TENSOR_ADAM_OPTIONS_INIT;
  memset(c, 0, sizeof *c);
  for (int i = 0; i < CNN_PARAMS; ++i) {
    const double bound = fan_in[i] ? 1.0 / sqrt((double)fan_in[i]) : 0;
    if (tensor_empty(&c->params[i], shapes[i], ndims[i], NULL) != TENSOR_OK ||
        (fan_in[i] ? tensor_uniform_(c->params[i], -bound, bound) : tensor_fill_(c->params[i], i == 1)) != TENSOR_OK ||
        tensor_set_requires_grad(c->params[i], true) != TENSOR_OK)
      return 1;
  }
  ao.lr = 1e-2;
  ao.weight_decay = 0.01;
  ao.decoupled_weight_decay = true;
  if (tensor_optimizer_adam(&c->opt, c->params, CNN_PARAMS, &ao) != TENSOR_OK ||
      tensor_zeros(&c->running_mean, &channels, 1, NULL) != TENSOR_OK ||
      tensor_ones(&c->running_var, &channels, 1, NULL) != TENSOR_OK)
    return 1;
  c->x = make_rand(x_shape, 4, TENSOR_FLOAT32);
  return !c->x || tensor_randint(&c->y, 0, 10, &rows, 1, NULL) != TENSOR_OK;
}

static void cnn_free(cnn_ctx *c) {
  tensor_optimizer_free(c->opt);
  for (int i = 0; i < CNN_PARAMS; ++i) tensor_free(c->params[i]);
  tensor_free(c->running_mean);
  tensor_free(c->running_var);
  tensor_free(c->x);
  tensor_free(c->y);
}

/* conv-bn(train)-relu-maxpool-conv-relu-avgpool(2x2)-linear, cross_entropy, zero_grad, backward, AdamW step. */
static int step_train_cnn(void *p) {
  static const int64_t pad[2] = {1, 1}, two[2] = {2, 2}, flat[2] = {-1, 128};
  cnn_ctx *c = (cnn_ctx *)p;
  tensor *t[9] = {NULL}, *loss = NULL;
  tensor *const *w = c->params;
  int failed = tensor_conv2d(&t[0], c->x, w[0], NULL, NULL, pad, NULL, 1) != TENSOR_OK ||
               tensor_batch_norm(&t[1], t[0], w[1], w[2], c->running_mean, c->running_var, true, 0.1, 1e-5) !=
                   TENSOR_OK ||
               tensor_relu(&t[2], t[1]) != TENSOR_OK ||
               tensor_max_pool2d(&t[3], NULL, t[2], two, NULL, NULL, NULL, false) != TENSOR_OK ||
               tensor_conv2d(&t[4], t[3], w[3], w[4], NULL, pad, NULL, 1) != TENSOR_OK ||
               tensor_relu(&t[5], t[4]) != TENSOR_OK || tensor_adaptive_avg_pool2d(&t[6], t[5], two) != TENSOR_OK ||
               tensor_reshape(&t[7], t[6], flat, 2) != TENSOR_OK ||
               tensor_linear(&t[8], t[7], w[5], w[6]) != TENSOR_OK ||
               tensor_cross_entropy(&loss, t[8], c->y, NULL, -100, 0.0, TENSOR_REDUCTION_MEAN) != TENSOR_OK ||
               tensor_optimizer_zero_grad(c->opt, true) != TENSOR_OK || tensor_backward(loss, NULL, false) != TENSOR_OK ||
               tensor_optimizer_step(c->opt) != TENSOR_OK;
  tensor_free(loss);
  for (int i = 0; i < 9; ++i) tensor_free(t[i]);
  return failed;
}

static void train_cnn(void) {
  cnn_ctx c;
  if (cnn_init(&c, 256) != 0) report_error("train_step_cnn_b256", tensor_last_error());
  else report("train_step_cnn_b256", bench_measure(step_train_cnn, &c));
  cnn_free(&c);
}

/* ---- dtypes (issue 14): conversions, half matmul, add and sum of halves ------------------------ */

typedef struct {
  tensor *dst, *src;
  void *raw_dst, *raw_src;
  size_t bytes;
} convert_ctx;

static int step_copy_into(void *p) {
  convert_ctx *c = (convert_ctx *)p;
  return tensor_copy_(c->dst, c->src) == TENSOR_OK ? 0 : 1;
}

static int step_memcpy(void *p) {
  convert_ctx *c = (convert_ctx *)p;
  memcpy(c->raw_dst, c->raw_src, c->bytes);
  return 0;
}

/* A float32 tensor of rand values converted to dtype (tensor_rand draws float32 and float64 only). */
static tensor *make_rand_as(const int64_t *shape, int32_t ndim, tensor_dtype dtype) {
  tensor *f = make_rand(shape, ndim, TENSOR_FLOAT32), *t = NULL;
  if (f && tensor_to_dtype(&t, f, dtype) != TENSOR_OK) t = NULL;
  tensor_free(f);
  return t;
}

/* dst.copy_(src) into a preallocated dst of dtype `to`: the conversion alone, no allocation. */
static void run_convert(const char *name, tensor_dtype from, tensor_dtype to) {
  const int64_t n = 16 * 1024 * 1024;
  tensor_options o = TENSOR_OPTIONS_INIT;
  convert_ctx c = {NULL, NULL, NULL, NULL, 0};
  o.dtype = to;
  c.src = make_rand_as(&n, 1, from);
  if (tensor_zeros(&c.dst, &n, 1, &o) != TENSOR_OK) c.dst = NULL;
  if (!c.src || !c.dst) report_error(name, tensor_last_error());
  else report(name, bench_measure(step_copy_into, &c));
  tensor_free(c.src);
  tensor_free(c.dst);
}

static void dtypes_group(void) {
  static const int64_t square[2] = {2048, 2048}, n16m = 16 * 1024 * 1024;
  static const struct {
    const char *name;
    tensor_dtype dtype;
  } mm[] = {{"dt_matmul_f32_2048", TENSOR_FLOAT32}, {"matmul_bf16_2048", TENSOR_BFLOAT16}, {"matmul_f16_2048", TENSOR_FLOAT16}};
  static const struct {
    const char *add, *sum;
    tensor_dtype dtype;
  } ew[] = {{"dt_add_f32_16m", "dt_sum_f32_16m", TENSOR_FLOAT32},
            {"add_bf16_16m", "sum_bf16_16m", TENSOR_BFLOAT16},
            {"add_f16_16m", "sum_f16_16m", TENSOR_FLOAT16}};
  for (size_t i = 0; i < sizeof mm / sizeof mm[0]; ++i) {
    tensor *a = make_rand_as(square, 2, mm[i].dtype);
    run_binary(mm[i].name, step_matmul, a, a ? make_rand_as(square, 2, mm[i].dtype) : NULL);
  }
  run_convert("convert_f32_bf16_16m", TENSOR_FLOAT32, TENSOR_BFLOAT16);
  run_convert("convert_bf16_f32_16m", TENSOR_BFLOAT16, TENSOR_FLOAT32);
  run_convert("convert_f32_f16_16m", TENSOR_FLOAT32, TENSOR_FLOAT16);
  run_convert("convert_f16_f32_16m", TENSOR_FLOAT16, TENSOR_FLOAT32);
  run_convert("convert_u8_f32_16m", TENSOR_UINT8, TENSOR_FLOAT32);
  run_convert("copy_f32_16m", TENSOR_FLOAT32, TENSOR_FLOAT32);
  {
    /* The floor of the conversions: memcpy of 16M float32 (64 MiB) between buffers touched once before. */
    convert_ctx c = {NULL, NULL, NULL, NULL, (size_t)n16m * 4};
    c.raw_dst = malloc(c.bytes);
    c.raw_src = malloc(c.bytes);
    if (!c.raw_dst || !c.raw_src) {
      report_error("memcpy_f32_16m", "out of memory");
    } else {
      memset(c.raw_src, 1, c.bytes);
      memset(c.raw_dst, 0, c.bytes);
      report("memcpy_f32_16m", bench_measure(step_memcpy, &c));
    }
    free(c.raw_dst);
    free(c.raw_src);
  }
  for (size_t i = 0; i < sizeof ew / sizeof ew[0]; ++i) {
    tensor *a = make_rand_as(&n16m, 1, ew[i].dtype);
    run_binary(ew[i].add, step_add, a, a ? make_rand_as(&n16m, 1, ew[i].dtype) : NULL);
    a = make_rand_as(&n16m, 1, ew[i].dtype);
    {
      binary_ctx c = {a, NULL, {0}, 0};
      if (!a) report_error(ew[i].sum, tensor_last_error());
      else report(ew[i].sum, bench_measure(step_sum, &c));
      tensor_free(a);
    }
  }
}

/* ---- main --------------------------------------------------------------------------------------- */

static void print_config(void) {
  int64_t n = tensor_config_string(NULL, 0);
  char *text = (char *)malloc((size_t)n + 1), *line;
  if (!text) return;
  tensor_config_string(text, (size_t)n + 1);
  for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    while (*line == ' ') ++line;
    printf("info\tconfig\t%s\n", line);
  }
  free(text);
  printf("info\tblas_core\t%s\n", openblas_get_corename());
  printf("info\tthreads\t%d\n", (int)tensor_get_num_threads());
}

int main(int argc, char **argv) {
  int threads = 2;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) g_only = argv[++i];
    else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = atoi(argv[++i]);
  }
  if (tensor_set_num_threads(threads) != TENSOR_OK) {
    fprintf(stderr, "tensor_set_num_threads: %s\n", tensor_last_error());
    return 1;
  }
  tensor_manual_seed(42);
  print_config();
  if (wanted("foundation")) foundation();
  if (wanted("reductions")) reductions();
  if (wanted("math")) math();
  if (wanted("matmul")) matmul();
  if (wanted("autograd")) autograd();
  if (wanted("sorting")) sorting();
  if (wanted("optim")) optim();
  if (wanted("random")) random_draws();
  if (wanted("nn")) nn();
  if (wanted("train")) train();
  if (wanted("index")) index_group();
  if (wanted("train")) train_cnn();
  if (wanted("conv")) conv_group();
  if (wanted("norm")) norm_group();
  if (wanted("pool")) pool_group();
  if (wanted("dtypes")) dtypes_group();
  return 0;
}
