/* The pieces the C digits programs share; see digits_common.h. */
#define _POSIX_C_SOURCE 200809L
#include "digits_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

const char* digits_program = "digits";

void digits_check(tensor_status st, const char* what, const char* file, int line) {
  const char* base = strrchr(file, '/');
  if (st != TENSOR_OK) {
    fprintf(stderr, "%s:%d: %s failed: %s (%s)\n", base ? base + 1 : file, line, what, tensor_last_error(),
            tensor_status_string(st));
    exit(1);
  }
}

void digits_fail(const char* message, const char* detail) {
  fprintf(stderr, "%s: %s%s\n", digits_program, message, detail ? detail : "");
  exit(1);
}

double digits_seconds_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

tensor* digits_file_tensor(const tensor_file* f, const char* name) {
  tensor* t = NULL;
  CHECK(tensor_file_get(&t, f, name));
  return t;
}

digits_dataset digits_load_data(const char* path, const int64_t* x_shape, int32_t x_ndim) {
  digits_dataset d = {NULL, NULL, NULL, NULL, NULL};
  tensor_file* f = NULL;
  tensor *x = NULL, *y = NULL, *perm = NULL, *train_index = NULL;
  int64_t n, n_test;
  CHECK(tensor_file_open(&f, path));
  x = digits_file_tensor(f, "x");
  y = digits_file_tensor(f, "y");
  tensor_file_close(f);
  if (tensor_ndim(x) != 2 || tensor_shape(x)[1] != 64 || tensor_get_dtype(x) != TENSOR_FLOAT32 || tensor_ndim(y) != 1 ||
      tensor_shape(y)[0] != tensor_shape(x)[0] || tensor_get_dtype(y) != TENSOR_INT64)
    digits_fail("expected x float32 (N, 64) and y int64 (N,) in ", path);
  if (x_shape) {
    tensor* shaped = NULL;
    CHECK(tensor_reshape(&shaped, x, x_shape, x_ndim));
    tensor_free(x);
    x = shaped;
  }
  n = tensor_shape(x)[0];
  n_test = n / 5;
  CHECK(tensor_randperm(&perm, n, NULL));
  CHECK(tensor_slice(&train_index, perm, 0, 0, n - n_test, 1));
  CHECK(tensor_slice(&d.test_index, perm, 0, n - n_test, n, 1));
  CHECK(tensor_index_select(&d.x_train, x, 0, train_index));
  CHECK(tensor_index_select(&d.y_train, y, 0, train_index));
  CHECK(tensor_index_select(&d.x_test, x, 0, d.test_index));
  CHECK(tensor_index_select(&d.y_test, y, 0, d.test_index));
  tensor_free(train_index);
  tensor_free(perm);
  tensor_free(y);
  tensor_free(x);
  return d;
}

void digits_free_data(digits_dataset* d) {
  tensor_free(d->x_train);
  tensor_free(d->y_train);
  tensor_free(d->x_test);
  tensor_free(d->y_test);
  tensor_free(d->test_index);
}

double digits_train_epoch(const digits_dataset* d, int64_t batch, digits_forward_fn forward, void* model,
                          tensor_optimizer* opt) {
  const int64_t n = tensor_shape(d->x_train)[0];
  tensor* perm = NULL;
  double total = 0;
  int64_t start;
  CHECK(tensor_randperm(&perm, n, NULL));
  for (start = 0; start < n; start += batch) {
    const int64_t end = start + batch < n ? start + batch : n;
    tensor *idx = NULL, *xb = NULL, *yb = NULL, *logits = NULL, *loss = NULL;
    double value = 0;
    CHECK(tensor_slice(&idx, perm, 0, start, end, 1));
    CHECK(tensor_index_select(&xb, d->x_train, 0, idx));
    CHECK(tensor_index_select(&yb, d->y_train, 0, idx));
    logits = forward(xb, model, true);
    CHECK(tensor_cross_entropy(&loss, logits, yb, NULL, -100, 0.0, TENSOR_REDUCTION_MEAN));
    CHECK(tensor_optimizer_zero_grad(opt, true));
    CHECK(tensor_backward(loss, NULL, false));
    CHECK(tensor_optimizer_step(opt));
    CHECK(tensor_item(loss, &value));
    total += value * (double)(end - start);
    tensor_free(loss);
    tensor_free(logits);
    tensor_free(yb);
    tensor_free(xb);
    tensor_free(idx);
  }
  tensor_free(perm);
  return total / (double)n;
}

double digits_evaluate(const digits_dataset* d, digits_forward_fn forward, void* model, tensor** predictions) {
  const bool previous = tensor_set_grad_enabled(false);
  tensor *logits = forward(d->x_test, model, false), *pred = NULL, *hit = NULL, *hits = NULL, *acc = NULL;
  double value = 0;
  CHECK(tensor_argmax(&pred, logits, 1, false));
  CHECK(tensor_eq(&hit, pred, d->y_test));
  CHECK(tensor_to_dtype(&hits, hit, TENSOR_FLOAT64));
  CHECK(tensor_mean(&acc, hits, NULL, 0, false));
  CHECK(tensor_item(acc, &value));
  tensor_set_grad_enabled(previous);
  if (predictions)
    *predictions = pred;
  else
    tensor_free(pred);
  tensor_free(acc);
  tensor_free(hits);
  tensor_free(hit);
  tensor_free(logits);
  return value;
}

void digits_save_predictions(const char* path, const tensor* test_index, const tensor* predictions) {
  const char* names[2] = {"index", "prediction"};
  const tensor* tensors[2];
  tensors[0] = test_index;
  tensors[1] = predictions;
  CHECK(tensor_save_npz(path, names, tensors, 2, false));
}

void digits_restore(const tensor_file* f, const char* name, tensor* dst, const char* path) {
  tensor* src = digits_file_tensor(f, name);
  int32_t d, ndim = tensor_ndim(src);
  bool same = ndim == tensor_ndim(dst) && tensor_get_dtype(src) == tensor_get_dtype(dst);
  for (d = 0; same && d < ndim; ++d) same = tensor_shape(src)[d] == tensor_shape(dst)[d];
  if (!same) {
    fprintf(stderr, "%s: %s: tensor %s has another shape or dtype than the model's\n", digits_program, path, name);
    exit(1);
  }
  CHECK(tensor_copy_(dst, src));
  tensor_free(src);
}

uint64_t digits_metadata_u64(const tensor_file* f, const char* key, const char* path) {
  const char* text = tensor_file_metadata(f, key);
  unsigned long long value = 0;
  if (!text) {
    fprintf(stderr, "%s: %s: no \"%s\" in __metadata__: not a %s checkpoint\n", digits_program, path, key,
            digits_program);
    exit(1);
  }
  if (!digits_parse_number(text, UINT64_MAX, &value)) {
    fprintf(stderr, "%s: %s: __metadata__ \"%s\" is not a number: %s\n", digits_program, path, key, text);
    exit(1);
  }
  return (uint64_t)value;
}

bool digits_parse_number(const char* text, unsigned long long max, unsigned long long* value) {
  char* end = NULL;
  errno = 0;
  *value = strtoull(text, &end, 10);
  return errno == 0 && end != text && *end == '\0' && text[0] != '-' && *value <= max;
}

static void usage(const char* argv0, int64_t max_pool) {
  fprintf(stderr,
          "usage: %s [--epochs N] [--out DIR] [--resume FILE] [--data FILE] [--seed S] %s[--predictions FILE]\n", argv0,
          max_pool > 0 ? "[--pool P] " : "");
  exit(2);
}

static unsigned long long number(const char* text, unsigned long long max, const char* argv0, int64_t max_pool) {
  unsigned long long value = 0;
  if (!digits_parse_number(text, max, &value)) usage(argv0, max_pool);
  return value;
}

digits_options digits_parse_options(int argc, char** argv, digits_options o, int64_t max_pool) {
  int i;
  for (i = 1; i < argc; i += 2) {
    const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
    if (!value) usage(argv[0], max_pool);
    if (strcmp(arg, "--epochs") == 0)
      o.epochs = (long)number(value, 1000000, argv[0], max_pool);
    else if (strcmp(arg, "--out") == 0)
      o.out_dir = value;
    else if (strcmp(arg, "--resume") == 0)
      o.resume = value;
    else if (strcmp(arg, "--data") == 0)
      o.data = value;
    else if (strcmp(arg, "--seed") == 0)
      o.seed = (uint64_t)number(value, UINT64_MAX, argv[0], max_pool);
    else if (strcmp(arg, "--pool") == 0 && max_pool > 0)
      o.pool = (int64_t)number(value, (unsigned long long)max_pool, argv[0], max_pool);
    else if (strcmp(arg, "--predictions") == 0)
      o.predictions = value;
    else
      usage(argv[0], max_pool);
  }
  if (o.epochs < 1 || (max_pool > 0 && o.pool < 1)) usage(argv[0], max_pool);
  if (mkdir(o.out_dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "%s: cannot create %s: %s\n", digits_program, o.out_dir, strerror(errno));
    exit(1);
  }
  return o;
}
