/*
 * Handwritten digits through libtensor's C API: train, checkpoint, resume.
 *
 * The data: the UCI optical digits (1797 images of 8x8 pixels in [0, 1], 10 classes; README.md says where
 * they come from), read from examples/digits/digits.npz. They are split 80/20 (1438 train, 359 test) by a
 * randperm drawn right after tensor_manual_seed(seed), so the split is fixed by the seed.
 * The model: an MLP 64-256-256-10 with ReLU (torch.nn.Linear's initialisation: U(-1/sqrt(in), 1/sqrt(in))
 * for weights and biases), cross_entropy on the logits, AdamW (lr 1e-3, weight decay 0.01), shuffled
 * mini-batches of 64 (a tensor_randperm per epoch; the last batch is short, as torch's DataLoader).
 *
 * After every epoch it prints the mean training loss and the test accuracy and writes
 * OUT/digits-epoch-NN.safetensors: the parameters (fc1.weight, fc1.bias, ... as torch's state_dict names
 * them), the AdamW state under torch's optimizer state_dict names (optimizer.state.I.step, .exp_avg,
 * .exp_avg_sq, I the parameter's index) and, in __metadata__, the epoch and the random stream's state.
 * `--resume FILE` restores all of that and goes on with the next epoch: the draws, and so the batches,
 * are the ones the uninterrupted run made, and the run ends with bitwise the same weights.
 *
 * Usage: digits [--epochs N] [--out DIR] [--resume FILE] [--data FILE] [--seed S] [--predictions FILE]
 *   --epochs N          train until epoch N (default 30)
 *   --out DIR           checkpoint folder, created if missing (default digits-checkpoints)
 *   --resume FILE       continue from a checkpoint this program wrote (same --seed and --data)
 *   --data FILE         the .npz with x (1797, 64) float32 and y (1797,) int64 (default: the source tree's)
 *   --seed S            seed of the split, the initialisation and the batches (default 0)
 *   --predictions FILE  at the end, write the test rows and their predicted classes as a .npz
 *                       (index: int64 row numbers into the data, prediction: int64 classes)
 * Exit status: 0 done, 1 a failed call (the message names it), 2 bad usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "tensor/tensor.h"

#ifndef DIGITS_DEFAULT_DATA
#define DIGITS_DEFAULT_DATA "digits.npz"
#endif

#define CHECK(call) check((call), #call, __LINE__)

enum { FEATURES = 64, HIDDEN = 256, CLASSES = 10, LAYERS = 3, PARAMS = 2 * LAYERS, BATCH = 64 };
static const char *const PARAM_NAMES[PARAMS] = {"fc1.weight", "fc1.bias", "fc2.weight",
                                                "fc2.bias",   "fc3.weight", "fc3.bias"};
static const char *const STATE_NAMES[] = {"step", "exp_avg", "exp_avg_sq"};
enum { STATE_COUNT = sizeof STATE_NAMES / sizeof STATE_NAMES[0] };
static const double LEARNING_RATE = 1e-3, WEIGHT_DECAY = 0.01;

typedef struct options {
    long epochs;
    const char *out_dir, *resume, *data, *predictions;
    uint64_t seed;
} options;

static void check(tensor_status st, const char *what, int line) {
    if (st != TENSOR_OK) {
        fprintf(stderr, "digits.c:%d: %s failed: %s (%s)\n", line, what, tensor_last_error(),
                tensor_status_string(st));
        exit(1);
    }
}

static void fail(const char *message, const char *detail) {
    fprintf(stderr, "digits: %s%s\n", message, detail ? detail : "");
    exit(1);
}

/* Replaces *slot with t (freeing the old value): keeps the loops free of leaks. */
static void assign(tensor **slot, tensor *t) {
    tensor_free(*slot);
    *slot = t;
}

static double seconds_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- data ---------------------------------------------------------------------------------------- */

typedef struct dataset {
    tensor *x_train, *y_train, *x_test, *y_test, *test_index;
} dataset;

static tensor *file_tensor(const tensor_file *f, const char *name) {
    tensor *t = NULL;
    CHECK(tensor_file_get(&t, f, name));
    return t;
}

/* Reads the data and splits it: rows perm[0 .. n_train) train, the rest test. Draws one randperm. */
static dataset load_data(const char *path) {
    dataset d = {NULL, NULL, NULL, NULL, NULL};
    tensor_file *f = NULL;
    tensor *x = NULL, *y = NULL, *perm = NULL, *train_index = NULL;
    int64_t n, n_test;
    CHECK(tensor_file_open(&f, path));
    x = file_tensor(f, "x");
    y = file_tensor(f, "y");
    tensor_file_close(f);
    if (tensor_ndim(x) != 2 || tensor_shape(x)[1] != FEATURES || tensor_get_dtype(x) != TENSOR_FLOAT32 ||
        tensor_ndim(y) != 1 || tensor_shape(y)[0] != tensor_shape(x)[0] || tensor_get_dtype(y) != TENSOR_INT64)
        fail("expected x float32 (N, 64) and y int64 (N,) in ", path);
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

static void free_data(dataset *d) {
    tensor_free(d->x_train);
    tensor_free(d->y_train);
    tensor_free(d->x_test);
    tensor_free(d->y_test);
    tensor_free(d->test_index);
}

/* ---- model --------------------------------------------------------------------------------------- */

/* torch.nn.Linear's initialisation (kaiming_uniform with a = sqrt(5)): weight and bias both
 * U(-1/sqrt(in), 1/sqrt(in)). Drawn with grad off, then made leaves that require grad. */
static void init_params(tensor **params) {
    static const int64_t sizes[LAYERS + 1] = {FEATURES, HIDDEN, HIDDEN, CLASSES};
    int layer;
    for (layer = 0; layer < LAYERS; ++layer) {
        const int64_t w_shape[2] = {sizes[layer + 1], sizes[layer]};
        const double bound = 1.0 / sqrt((double)sizes[layer]);
        tensor **w = &params[2 * layer], **b = &params[2 * layer + 1];
        CHECK(tensor_empty(w, w_shape, 2, NULL));
        CHECK(tensor_uniform_(*w, -bound, bound));
        CHECK(tensor_empty(b, w_shape, 1, NULL));
        CHECK(tensor_uniform_(*b, -bound, bound));
        CHECK(tensor_set_requires_grad(*w, true));
        CHECK(tensor_set_requires_grad(*b, true));
    }
}

/* logits = fc3(relu(fc2(relu(fc1(x))))) */
static tensor *forward(const tensor *x, tensor *const *params) {
    tensor *h = NULL, *a = NULL;
    int layer;
    CHECK(tensor_linear(&h, x, params[0], params[1]));
    for (layer = 1; layer < LAYERS; ++layer) {
        CHECK(tensor_relu(&a, h));
        assign(&h, NULL);
        CHECK(tensor_linear(&h, a, params[2 * layer], params[2 * layer + 1]));
        assign(&a, NULL);
    }
    return h;
}

/* Predicted classes (int64) and the fraction that match y, computed with grad off. */
static double evaluate(const tensor *x, const tensor *y, tensor *const *params, tensor **predictions) {
    tensor *logits = NULL, *pred = NULL, *hit = NULL, *hits = NULL, *acc = NULL;
    double value = 0;
    bool previous = tensor_set_grad_enabled(false);
    logits = forward(x, params);
    CHECK(tensor_argmax(&pred, logits, 1, false));
    CHECK(tensor_eq(&hit, pred, y));
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

/* One epoch of shuffled mini-batches; returns the mean loss over the training rows. */
static double train_epoch(const dataset *d, tensor *const *params, tensor_optimizer *opt) {
    const int64_t n = tensor_shape(d->x_train)[0];
    tensor *perm = NULL;
    double total = 0;
    int64_t start;
    CHECK(tensor_randperm(&perm, n, NULL));
    for (start = 0; start < n; start += BATCH) {
        const int64_t end = start + BATCH < n ? start + BATCH : n;
        tensor *idx = NULL, *xb = NULL, *yb = NULL, *logits = NULL, *loss = NULL;
        double value = 0;
        CHECK(tensor_slice(&idx, perm, 0, start, end, 1));
        CHECK(tensor_index_select(&xb, d->x_train, 0, idx));
        CHECK(tensor_index_select(&yb, d->y_train, 0, idx));
        logits = forward(xb, params);
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

/* ---- checkpoints --------------------------------------------------------------------------------- */

typedef struct named {
    char name[64];
    tensor *t;
} named;

/* The optimizer state name of torch's state_dict, flattened: optimizer.state.<param>.<name>. */
static void state_key(char *buf, size_t size, int param, const char *name) {
    snprintf(buf, size, "optimizer.state.%d.%s", param, name);
}

static void save_checkpoint(const char *path, long epoch, tensor *const *params, const tensor_optimizer *opt) {
    named entries[PARAMS + PARAMS * STATE_COUNT];
    const char *names[PARAMS + PARAMS * STATE_COUNT];
    const tensor *tensors[PARAMS + PARAMS * STATE_COUNT];
    char metadata[512];
    uint64_t seed = 0, offset = 0;
    int i, s, n = 0;
    for (i = 0; i < PARAMS; ++i, ++n) {
        snprintf(entries[n].name, sizeof entries[n].name, "%s", PARAM_NAMES[i]);
        entries[n].t = tensor_retain(params[i]);
    }
    for (i = 0; i < PARAMS; ++i)
        for (s = 0; s < STATE_COUNT; ++s, ++n) {
            state_key(entries[n].name, sizeof entries[n].name, i, STATE_NAMES[s]);
            entries[n].t = NULL;
            CHECK(tensor_optimizer_state(&entries[n].t, opt, i, STATE_NAMES[s]));
        }
    for (i = 0; i < n; ++i) {
        names[i] = entries[i].name;
        tensors[i] = entries[i].t;
    }
    CHECK(tensor_get_rng_state(&seed, &offset));
    /* safetensors metadata values are strings; the 64-bit stream state is written in decimal. */
    snprintf(metadata, sizeof metadata,
             "{\"format\": \"libtensor-digits-1\", \"epoch\": \"%ld\", \"rng_seed\": \"%" PRIu64
             "\", \"rng_offset\": \"%" PRIu64 "\", \"optimizer\": \"AdamW\", \"lr\": \"%.17g\", "
             "\"weight_decay\": \"%.17g\"}",
             epoch, seed, offset, LEARNING_RATE, WEIGHT_DECAY);
    CHECK(tensor_save_safetensors(path, names, tensors, n, metadata));
    for (i = 0; i < n; ++i) tensor_free(entries[i].t);
}

/* Copies the file's tensor @p name into @p dst, which it must match in shape and dtype exactly. */
static void restore(const tensor_file *f, const char *name, tensor *dst, const char *path) {
    tensor *src = file_tensor(f, name);
    int32_t d, ndim = tensor_ndim(src);
    bool same = ndim == tensor_ndim(dst) && tensor_get_dtype(src) == tensor_get_dtype(dst);
    for (d = 0; same && d < ndim; ++d) same = tensor_shape(src)[d] == tensor_shape(dst)[d];
    if (!same) {
        fprintf(stderr, "digits: %s: tensor %s has another shape or dtype than the model's\n", path, name);
        exit(1);
    }
    CHECK(tensor_copy_(dst, src));
    tensor_free(src);
}

static uint64_t metadata_u64(const tensor_file *f, const char *key, const char *path) {
    const char *text = tensor_file_metadata(f, key);
    char *end = NULL;
    unsigned long long value;
    if (!text) {
        fprintf(stderr, "digits: %s: no \"%s\" in __metadata__: not a digits checkpoint\n", path, key);
        exit(1);
    }
    errno = 0;
    value = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-') {
        fprintf(stderr, "digits: %s: __metadata__ \"%s\" is not a number: %s\n", path, key, text);
        exit(1);
    }
    return (uint64_t)value;
}

/* Loads parameters, optimizer state and the random stream; returns the checkpoint's epoch. */
static long load_checkpoint(const char *path, tensor *const *params, const tensor_optimizer *opt) {
    tensor_file *f = NULL;
    char key[64];
    uint64_t epoch, seed, offset;
    bool previous;
    int i, s;
    CHECK(tensor_file_open(&f, path));
    epoch = metadata_u64(f, "epoch", path);
    seed = metadata_u64(f, "rng_seed", path);
    offset = metadata_u64(f, "rng_offset", path);
    previous = tensor_set_grad_enabled(false); /* writing into leaves that require grad, as torch.no_grad() */
    for (i = 0; i < PARAMS; ++i) {
        restore(f, PARAM_NAMES[i], params[i], path);
        for (s = 0; s < STATE_COUNT; ++s) {
            tensor *state = NULL;
            state_key(key, sizeof key, i, STATE_NAMES[s]);
            CHECK(tensor_optimizer_state(&state, opt, i, STATE_NAMES[s]));
            restore(f, key, state, path);
            tensor_free(state);
        }
    }
    tensor_set_grad_enabled(previous);
    tensor_file_close(f);
    CHECK(tensor_set_rng_state(seed, offset));
    if (epoch > 1000000) fail("checkpoint epoch out of range in ", path);
    return (long)epoch;
}

static void write_predictions(const char *path, const dataset *d, tensor *const *params) {
    tensor *pred = NULL;
    const char *names[2] = {"index", "prediction"};
    const tensor *tensors[2];
    evaluate(d->x_test, d->y_test, params, &pred);
    tensors[0] = d->test_index;
    tensors[1] = pred;
    CHECK(tensor_save_npz(path, names, tensors, 2, false));
    tensor_free(pred);
}

/* ---- command line -------------------------------------------------------------------------------- */

static void usage(const char *argv0) {
    fprintf(stderr,
            "usage: %s [--epochs N] [--out DIR] [--resume FILE] [--data FILE] [--seed S] [--predictions FILE]\n",
            argv0);
    exit(2);
}

static unsigned long long parse_number(const char *text, unsigned long long max, const char *argv0) {
    char *end = NULL;
    unsigned long long value;
    errno = 0;
    value = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || value > max) usage(argv0);
    return value;
}

static options parse_options(int argc, char **argv) {
    options o = {30, "digits-checkpoints", NULL, DIGITS_DEFAULT_DATA, NULL, 0};
    int i;
    for (i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (!value) usage(argv[0]);
        if (strcmp(arg, "--epochs") == 0)
            o.epochs = (long)parse_number(value, 1000000, argv[0]);
        else if (strcmp(arg, "--out") == 0)
            o.out_dir = value;
        else if (strcmp(arg, "--resume") == 0)
            o.resume = value;
        else if (strcmp(arg, "--data") == 0)
            o.data = value;
        else if (strcmp(arg, "--seed") == 0)
            o.seed = (uint64_t)parse_number(value, UINT64_MAX, argv[0]);
        else if (strcmp(arg, "--predictions") == 0)
            o.predictions = value;
        else
            usage(argv[0]);
        ++i;
    }
    if (o.epochs < 1) usage(argv[0]);
    return o;
}

int main(int argc, char **argv) {
    const options o = parse_options(argc, argv);
    tensor *params[PARAMS] = {NULL};
    tensor_optimizer *opt = NULL;
    tensor_adam_options adamw = TENSOR_ADAM_OPTIONS_INIT;
    dataset d;
    long epoch = 0;
    double accuracy = 0;
    char path[4096];
    int i;

    if (mkdir(o.out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "digits: cannot create %s: %s\n", o.out_dir, strerror(errno));
        return 1;
    }
    /* Draw order: split, initialisation, then one permutation per epoch. A resumed run repeats the first
     * two (the same split; initial weights it then overwrites) and sets the stream to the checkpoint's. */
    tensor_manual_seed(o.seed);
    d = load_data(o.data);
    init_params(params);
    adamw.lr = LEARNING_RATE;
    adamw.weight_decay = WEIGHT_DECAY;
    adamw.decoupled_weight_decay = true;
    CHECK(tensor_optimizer_adam(&opt, params, PARAMS, &adamw));
    if (o.resume) {
        epoch = load_checkpoint(o.resume, params, opt);
        accuracy = evaluate(d.x_test, d.y_test, params, NULL);
        printf("resumed from %s at epoch %ld (test accuracy %.4f)\n", o.resume, epoch, accuracy);
    }
    printf("digits: %" PRId64 " train, %" PRId64 " test rows; MLP 64-256-256-10, AdamW, batch %d\n",
           tensor_shape(d.x_train)[0], tensor_shape(d.x_test)[0], BATCH);
    for (++epoch; epoch <= o.epochs; ++epoch) {
        const double t0 = seconds_now();
        const double loss = train_epoch(&d, params, opt);
        const double t1 = seconds_now();
        accuracy = evaluate(d.x_test, d.y_test, params, NULL);
        printf("epoch %3ld  loss %.4f  test accuracy %.4f  (%.1f ms)\n", epoch, loss, accuracy, 1e3 * (t1 - t0));
        fflush(stdout);
        if (snprintf(path, sizeof path, "%s/digits-epoch-%02ld.safetensors", o.out_dir, epoch) >= (int)sizeof path)
            fail("output folder name too long: ", o.out_dir);
        save_checkpoint(path, epoch, params, opt);
    }
    printf("final test accuracy: %.4f\n", accuracy);
    if (o.predictions) write_predictions(o.predictions, &d, params);

    tensor_optimizer_free(opt);
    for (i = 0; i < PARAMS; ++i) tensor_free(params[i]);
    free_data(&d);
    return 0;
}
