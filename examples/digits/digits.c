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
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "digits_common.h"
#include "tensor/tensor.h"

#ifndef DIGITS_DEFAULT_DATA
#define DIGITS_DEFAULT_DATA "digits.npz"
#endif

enum { FEATURES = 64, HIDDEN = 256, CLASSES = 10, LAYERS = 3, PARAMS = 2 * LAYERS, BATCH = 64 };
static const char *const PARAM_NAMES[PARAMS] = {"fc1.weight", "fc1.bias", "fc2.weight",
                                                "fc2.bias",   "fc3.weight", "fc3.bias"};
static const char *const STATE_NAMES[] = {"step", "exp_avg", "exp_avg_sq"};
enum { STATE_COUNT = sizeof STATE_NAMES / sizeof STATE_NAMES[0] };
static const double LEARNING_RATE = 1e-3, WEIGHT_DECAY = 0.01;

/* Replaces *slot with t (freeing the old value): keeps the loops free of leaks. */
static void assign(tensor **slot, tensor *t) {
    tensor_free(*slot);
    *slot = t;
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

/* logits = fc3(relu(fc2(relu(fc1(x))))) (a digits_forward_fn: the MLP has no training mode). */
static tensor *forward(const tensor *x, void *model, bool training) {
    tensor *const *params = (tensor *const *)model;
    tensor *h = NULL, *a = NULL;
    (void)training;
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

/* Loads parameters, optimizer state and the random stream; returns the checkpoint's epoch. */
static long load_checkpoint(const char *path, tensor *const *params, const tensor_optimizer *opt) {
    tensor_file *f = NULL;
    char key[64];
    uint64_t epoch, seed, offset;
    bool previous;
    int i, s;
    CHECK(tensor_file_open(&f, path));
    epoch = digits_metadata_u64(f, "epoch", path);
    seed = digits_metadata_u64(f, "rng_seed", path);
    offset = digits_metadata_u64(f, "rng_offset", path);
    previous = tensor_set_grad_enabled(false); /* writing into leaves that require grad, as torch.no_grad() */
    for (i = 0; i < PARAMS; ++i) {
        digits_restore(f, PARAM_NAMES[i], params[i], path);
        for (s = 0; s < STATE_COUNT; ++s) {
            tensor *state = NULL;
            state_key(key, sizeof key, i, STATE_NAMES[s]);
            CHECK(tensor_optimizer_state(&state, opt, i, STATE_NAMES[s]));
            digits_restore(f, key, state, path);
            tensor_free(state);
        }
    }
    tensor_set_grad_enabled(previous);
    tensor_file_close(f);
    CHECK(tensor_set_rng_state(seed, offset));
    if (epoch > 1000000) digits_fail("checkpoint epoch out of range in ", path);
    return (long)epoch;
}

int main(int argc, char **argv) {
    const digits_options defaults = {30, "digits-checkpoints", NULL, DIGITS_DEFAULT_DATA, NULL, 0, 0};
    /* digits_program's default is this program's name; no --pool. */
    const digits_options o = digits_parse_options(argc, argv, defaults, 0);
    tensor *params[PARAMS] = {NULL};
    tensor_optimizer *opt = NULL;
    tensor_adam_options adamw = TENSOR_ADAM_OPTIONS_INIT;
    digits_dataset d;
    long epoch = 0;
    double accuracy = 0;
    char path[4096];
    int i;

    /* Draw order: split, initialisation, then one permutation per epoch. A resumed run repeats the first
     * two (the same split; initial weights it then overwrites) and sets the stream to the checkpoint's. */
    tensor_manual_seed(o.seed);
    d = digits_load_data(o.data, NULL, 0);
    init_params(params);
    adamw.lr = LEARNING_RATE;
    adamw.weight_decay = WEIGHT_DECAY;
    adamw.decoupled_weight_decay = true;
    CHECK(tensor_optimizer_adam(&opt, params, PARAMS, &adamw));
    if (o.resume) {
        epoch = load_checkpoint(o.resume, params, opt);
        accuracy = digits_evaluate(&d, forward, params, NULL);
        printf("resumed from %s at epoch %ld (test accuracy %.4f)\n", o.resume, epoch, accuracy);
    }
    printf("digits: %" PRId64 " train, %" PRId64 " test rows; MLP 64-256-256-10, AdamW, batch %d\n",
           tensor_shape(d.x_train)[0], tensor_shape(d.x_test)[0], BATCH);
    for (++epoch; epoch <= o.epochs; ++epoch) {
        const double t0 = digits_seconds_now();
        const double loss = digits_train_epoch(&d, BATCH, forward, params, opt);
        const double t1 = digits_seconds_now();
        accuracy = digits_evaluate(&d, forward, params, NULL);
        printf("epoch %3ld  loss %.4f  test accuracy %.4f  (%.1f ms)\n", epoch, loss, accuracy, 1e3 * (t1 - t0));
        fflush(stdout);
        if (snprintf(path, sizeof path, "%s/digits-epoch-%02ld.safetensors", o.out_dir, epoch) >= (int)sizeof path)
            digits_fail("output folder name too long: ", o.out_dir);
        save_checkpoint(path, epoch, params, opt);
    }
    printf("final test accuracy: %.4f\n", accuracy);
    if (o.predictions) {
        tensor *pred = NULL;
        digits_evaluate(&d, forward, params, &pred);
        digits_save_predictions(o.predictions, d.test_index, pred);
        tensor_free(pred);
    }

    tensor_optimizer_free(opt);
    for (i = 0; i < PARAMS; ++i) tensor_free(params[i]);
    digits_free_data(&d);
    return 0;
}
