/*
 * A small CNN on the handwritten digits through libtensor's C API: train, checkpoint, resume (issue 19).
 *
 * The data and its split are digits.c's: examples/digits/digits.npz (1797 images of 8x8 pixels in [0, 1]),
 * split 80/20 (1438 train, 359 test) by a randperm drawn right after tensor_manual_seed(seed).
 * The model, as torch.nn modules would name it:
 *   conv1  Conv2d(1, 16, 3, padding=1, bias=False)   (the batch norm right after it makes a bias moot)
 *   bn1    BatchNorm2d(16)                             (momentum 0.1, eps 1e-5)
 *   relu, max_pool2d(2)                                -> (N, 16, 4, 4)
 *   conv2  Conv2d(16, 32, 3, padding=1), relu          -> (N, 32, 4, 4)
 *   adaptive_avg_pool2d((P, P))                        -> (N, 32 P P), P = --pool (default 2)
 *   fc     Linear(32 P P, 10)
 * with torch's initialisation (conv and linear: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias;
 * batch norm: weight 1, bias 0, running mean 0, running var 1), cross_entropy on the logits, AdamW (weight decay
 * 0.01) with torch's StepLR schedule (lr 1e-2, times 0.1 every 8 epochs: digits.c's 1e-3 leaves this model
 * near 97% after 30 epochs, measured with torch) and shuffled mini-batches of 64, as digits.c. Training uses the batch
 * statistics and updates the running ones; the test accuracy is measured in eval mode (running statistics), as
 * model.eval() in torch.
 *
 * After every epoch it writes OUT/digits-epoch-NN.safetensors (digits.c's names,
 * so that its test script serves both): the parameters and the batch norm
 * buffers under torch's state_dict names (conv1.weight, bn1.running_mean, bn1.num_batches_tracked, ...),
 * the AdamW state (optimizer.state.I.step, .exp_avg, .exp_avg_sq) and, in __metadata__, the epoch, the
 * pool size and the random stream's state. `--resume FILE` restores all of it; the resumed run then draws
 * the batches the uninterrupted run drew and ends with bitwise the same checkpoint.
 *
 * Usage: digits_cnn [--epochs N] [--out DIR] [--resume FILE] [--data FILE] [--seed S] [--pool P]
 *                   [--predictions FILE]
 *   --epochs N          train until epoch N (default 16)
 *   --out DIR           checkpoint folder, created if missing (default digits-cnn-checkpoints)
 *   --resume FILE       continue from a checkpoint this program wrote (same --seed, --data and --pool)
 *   --data FILE         the .npz with x (1797, 64) float32 and y (1797,) int64 (default: the source tree's)
 *   --seed S            seed of the split, the initialisation and the batches (default 0)
 *   --pool P            output size P x P of the adaptive average pool, 1 or 2 (default 2)
 *   --predictions FILE  at the end, write the test rows and their predicted classes as a .npz
 * Exit status: 0 done, 1 a failed call (the message names it), 2 bad usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "digits_common.h"
#include "tensor/tensor.h"

#ifndef DIGITS_DEFAULT_DATA
#define DIGITS_DEFAULT_DATA "digits.npz"
#endif

enum { SIDE = 8, FEATURES = SIDE * SIDE, C1 = 16, C2 = 32, CLASSES = 10, BATCH = 64 };
enum { CONV1_W, BN1_W, BN1_B, CONV2_W, CONV2_B, FC_W, FC_B, PARAMS };
static const char* const PARAM_NAMES[PARAMS] = {"conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight",
                                                "conv2.bias",   "fc.weight",  "fc.bias"};
static const char* const STATE_NAMES[] = {"step", "exp_avg", "exp_avg_sq"};
enum { STATE_COUNT = sizeof STATE_NAMES / sizeof STATE_NAMES[0] };
/* The batch norm buffers, saved after the parameters: torch's state_dict has all three. */
enum { LR_STEP = 8 }; /* epochs between two lr decays */
enum { BUFFERS = 3, ENTRIES = PARAMS + BUFFERS + PARAMS * STATE_COUNT };
static const char* const BUFFER_NAMES[BUFFERS] = {"bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked"};
static const double LEARNING_RATE = 1e-2, LR_GAMMA = 0.1, WEIGHT_DECAY = 0.01, BN_MOMENTUM = 0.1, BN_EPS = 1e-5;

typedef struct model {
  tensor* params[PARAMS];
  tensor* buffers[BUFFERS]; /* running_mean, running_var (C1) float32; num_batches_tracked 0-d int64 */
  int64_t pool;
} model;

/* *h = *next, freeing the old *h, and *next = NULL: each layer's output replaces its input, no leak. */
static void advance(tensor** h, tensor** next) {
  tensor_free(*h);
  *h = *next;
  *next = NULL;
}

/* ---- model --------------------------------------------------------------------------------------- */

/* A leaf that requires grad, drawn from U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (torch's conv and linear init). */
static tensor* uniform_param(const int64_t* shape, int32_t ndim, int64_t fan_in) {
  const double bound = 1.0 / sqrt((double)fan_in);
  tensor* t = NULL;
  CHECK(tensor_empty(&t, shape, ndim, NULL));
  CHECK(tensor_uniform_(t, -bound, bound));
  CHECK(tensor_set_requires_grad(t, true));
  return t;
}

static tensor* constant(const int64_t* shape, int32_t ndim, double value, tensor_dtype dtype, bool requires_grad) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  tensor* t = NULL;
  o.dtype = dtype;
  o.requires_grad = requires_grad;
  CHECK(tensor_full(&t, shape, ndim, value, &o));
  return t;
}

/* Draws in module order (conv1, conv2, fc; weight before bias), as torch constructs them. */
static void init_model(model* m, int64_t pool) {
  const int64_t conv1[4] = {C1, 1, 3, 3}, channels1[1] = {C1}, conv2[4] = {C2, C1, 3, 3}, channels2[1] = {C2};
  const int64_t fc[2] = {CLASSES, C2 * pool * pool}, classes[1] = {CLASSES};
  m->pool = pool;
  m->params[CONV1_W] = uniform_param(conv1, 4, 1 * 3 * 3);
  m->params[BN1_W] = constant(channels1, 1, 1.0, TENSOR_FLOAT32, true);
  m->params[BN1_B] = constant(channels1, 1, 0.0, TENSOR_FLOAT32, true);
  m->params[CONV2_W] = uniform_param(conv2, 4, C1 * 3 * 3);
  m->params[CONV2_B] = uniform_param(channels2, 1, C1 * 3 * 3);
  m->params[FC_W] = uniform_param(fc, 2, fc[1]);
  m->params[FC_B] = uniform_param(classes, 1, fc[1]);
  m->buffers[0] = constant(channels1, 1, 0.0, TENSOR_FLOAT32, false);
  m->buffers[1] = constant(channels1, 1, 1.0, TENSOR_FLOAT32, false);
  m->buffers[2] = constant(NULL, 0, 0.0, TENSOR_INT64, false);
}

static void free_model(model* m) {
  int i;
  for (i = 0; i < PARAMS; ++i) tensor_free(m->params[i]);
  for (i = 0; i < BUFFERS; ++i) tensor_free(m->buffers[i]);
}

/* The logits of images x (N, 1, 8, 8) (a digits_forward_fn). @p training: batch statistics, running stats
 * updated (and num_batches_tracked counted, as torch's BatchNorm2d.forward); otherwise the running stats. */
static tensor* forward(const tensor* x, void* model_ptr, bool training) {
  static const int64_t pad[2] = {1, 1}, two[2] = {2, 2};
  model* m = (model*)model_ptr;
  const int64_t pool[2] = {m->pool, m->pool}, flat[2] = {-1, C2 * m->pool * m->pool};
  tensor *h = NULL, *t = NULL;
  tensor* const* p = m->params;
  CHECK(tensor_conv2d(&h, x, p[CONV1_W], NULL, NULL, pad, NULL, 1));
  CHECK(tensor_batch_norm(&t, h, p[BN1_W], p[BN1_B], m->buffers[0], m->buffers[1], training, BN_MOMENTUM, BN_EPS));
  advance(&h, &t);
  CHECK(tensor_relu(&t, h));
  advance(&h, &t);
  CHECK(tensor_max_pool2d(&t, NULL, h, two, NULL, NULL, NULL, false));
  advance(&h, &t);
  CHECK(tensor_conv2d(&t, h, p[CONV2_W], p[CONV2_B], NULL, pad, NULL, 1));
  advance(&h, &t);
  CHECK(tensor_relu(&t, h));
  advance(&h, &t);
  CHECK(tensor_adaptive_avg_pool2d(&t, h, pool));
  advance(&h, &t);
  CHECK(tensor_reshape(&t, h, flat, 2));
  advance(&h, &t);
  CHECK(tensor_linear(&t, h, p[FC_W], p[FC_B]));
  advance(&h, &t);
  if (training) {
    double count = 0;
    CHECK(tensor_item(m->buffers[2], &count));
    CHECK(tensor_fill_(m->buffers[2], count + 1));
  }
  return h;
}

/* ---- checkpoints: one list of (name, tensor) pairs serves saving and loading ---------------------- */

typedef struct entries {
  char names[ENTRIES][64];
  tensor* tensors[ENTRIES]; /* references: freed by free_entries */
} entries;

/* Parameters, buffers, then the AdamW state of each parameter (the optimizer's own tensors, so that a
 * copy into them restores it). */
static void collect_entries(entries* e, const model* m, const tensor_optimizer* opt) {
  int i, s, n = 0;
  for (i = 0; i < PARAMS; ++i, ++n) {
    snprintf(e->names[n], sizeof e->names[n], "%s", PARAM_NAMES[i]);
    e->tensors[n] = tensor_retain(m->params[i]);
  }
  for (i = 0; i < BUFFERS; ++i, ++n) {
    snprintf(e->names[n], sizeof e->names[n], "%s", BUFFER_NAMES[i]);
    e->tensors[n] = tensor_retain(m->buffers[i]);
  }
  for (i = 0; i < PARAMS; ++i)
    for (s = 0; s < STATE_COUNT; ++s, ++n) {
      snprintf(e->names[n], sizeof e->names[n], "optimizer.state.%d.%s", i, STATE_NAMES[s]);
      e->tensors[n] = NULL;
      CHECK(tensor_optimizer_state(&e->tensors[n], opt, i, STATE_NAMES[s]));
    }
}

static void free_entries(entries* e) {
  int i;
  for (i = 0; i < ENTRIES; ++i) tensor_free(e->tensors[i]);
}

static void save_checkpoint(const char* path, long epoch, const model* m, const tensor_optimizer* opt) {
  entries e;
  const char* names[ENTRIES];
  const tensor* tensors[ENTRIES];
  char metadata[512];
  uint64_t seed = 0, offset = 0;
  int i;
  collect_entries(&e, m, opt);
  for (i = 0; i < ENTRIES; ++i) {
    names[i] = e.names[i];
    tensors[i] = e.tensors[i];
  }
  CHECK(tensor_get_rng_state(&seed, &offset));
  /* safetensors metadata values are strings; the 64-bit stream state is written in decimal. */
  snprintf(metadata, sizeof metadata,
           "{\"format\": \"libtensor-digits-cnn-1\", \"epoch\": \"%ld\", \"pool\": \"%" PRId64
           "\", \"rng_seed\": \"%" PRIu64 "\", \"rng_offset\": \"%" PRIu64
           "\", \"optimizer\": \"AdamW\", \"lr\": \"%.17g\", \"weight_decay\": \"%.17g\"}",
           epoch, m->pool, seed, offset, tensor_optimizer_get_lr(opt), WEIGHT_DECAY);
  CHECK(tensor_save_safetensors(path, names, tensors, ENTRIES, metadata));
  free_entries(&e);
}

/* Copies every entry of the file into the model and the optimizer and sets the random stream; returns the
 * checkpoint's epoch. */
static long load_checkpoint(const char* path, model* m, const tensor_optimizer* opt) {
  tensor_file* f = NULL;
  entries e;
  uint64_t epoch, seed, offset;
  bool previous;
  int i;
  CHECK(tensor_file_open(&f, path));
  epoch = digits_metadata_u64(f, "epoch", path);
  if (digits_metadata_u64(f, "pool", path) != (uint64_t)m->pool)
    digits_fail("the checkpoint has another --pool: ", path);
  seed = digits_metadata_u64(f, "rng_seed", path);
  offset = digits_metadata_u64(f, "rng_offset", path);
  collect_entries(&e, m, opt);
  previous = tensor_set_grad_enabled(false); /* writing into leaves that require grad, as torch.no_grad() */
  for (i = 0; i < ENTRIES; ++i) digits_restore(f, e.names[i], e.tensors[i], path);
  tensor_set_grad_enabled(previous);
  free_entries(&e);
  tensor_file_close(f);
  CHECK(tensor_set_rng_state(seed, offset));
  if (epoch > 1000000) digits_fail("checkpoint epoch out of range in ", path);
  return (long)epoch;
}

/* AdamW over the parameters in PARAM_NAMES order (the optimizer state indices of the checkpoint). */
static tensor_optimizer* make_adamw(model* m) {
  tensor_adam_options adamw = TENSOR_ADAM_OPTIONS_INIT;
  tensor_optimizer* opt = NULL;
  adamw.lr = LEARNING_RATE;
  adamw.weight_decay = WEIGHT_DECAY;
  adamw.decoupled_weight_decay = true;
  CHECK(tensor_optimizer_adam(&opt, m->params, PARAMS, &adamw));
  return opt;
}

int main(int argc, char** argv) {
  static const int64_t image[4] = {-1, 1, SIDE, SIDE};
  const digits_options defaults = {16, "digits-cnn-checkpoints", NULL, DIGITS_DEFAULT_DATA, NULL, 0, 2};
  digits_options o;
  model m;
  tensor_optimizer* opt = NULL;
  digits_dataset d;
  long epoch = 0;
  double accuracy = 0;
  char path[4096];

  digits_program = "digits_cnn";
  o = digits_parse_options(argc, argv, defaults, 2);
  /* Draw order: split, initialisation, then one permutation per epoch. A resumed run repeats the first
   * two (the same split; initial weights it then overwrites) and sets the stream to the checkpoint's. */
  tensor_manual_seed(o.seed);
  d = digits_load_data(o.data, image, 4);
  init_model(&m, o.pool);
  opt = make_adamw(&m);
  if (o.resume) {
    epoch = load_checkpoint(o.resume, &m, opt);
    accuracy = digits_evaluate(&d, forward, &m, NULL);
    printf("resumed from %s at epoch %ld (test accuracy %.4f)\n", o.resume, epoch, accuracy);
  }
  printf("digits_cnn: %" PRId64 " train, %" PRId64 " test images; conv-bn-relu-pool-conv-relu-avgpool(%" PRId64
         ")-linear, AdamW, batch %d\n",
         tensor_shape(d.x_train)[0], tensor_shape(d.x_test)[0], o.pool, BATCH);
  for (++epoch; epoch <= o.epochs; ++epoch) {
    const double t0 = digits_seconds_now();
    double loss, t1;
    /* StepLR as a function of the epoch alone, so a resumed run needs no scheduler state. */
    CHECK(tensor_optimizer_set_lr(opt, LEARNING_RATE * pow(LR_GAMMA, (double)((epoch - 1) / LR_STEP))));
    loss = digits_train_epoch(&d, BATCH, forward, &m, opt);
    t1 = digits_seconds_now();
    accuracy = digits_evaluate(&d, forward, &m, NULL);
    printf("epoch %3ld  loss %.4f  test accuracy %.4f  (%.1f ms)\n", epoch, loss, accuracy, 1e3 * (t1 - t0));
    fflush(stdout);
    if (snprintf(path, sizeof path, "%s/digits-epoch-%02ld.safetensors", o.out_dir, epoch) >= (int)sizeof path)
      digits_fail("output folder name too long: ", o.out_dir);
    save_checkpoint(path, epoch, &m, opt);
  }
  printf("final test accuracy: %.4f\n", accuracy);
  if (o.predictions) {
    tensor* pred = NULL;
    digits_evaluate(&d, forward, &m, &pred);
    digits_save_predictions(o.predictions, d.test_index, pred);
    tensor_free(pred);
  }

  tensor_optimizer_free(opt);
  free_model(&m);
  digits_free_data(&d);
  return 0;
}
