/*
 * Training a two-layer MLP with plain SGD through libtensor's C API.
 *
 * The problem: two interleaved spirals in the plane (100 points each, one turn), class 0 and class 1.
 * The model: logits = tanh(X @ W1 + b1) @ W2 + b2 with 64 hidden units. The loss: binary cross-entropy
 * on the logits, mean(log(1 + exp(z)) - y * z), by tensor_binary_cross_entropy_with_logits (stable for
 * large |z|).
 * Each step runs the forward pass with autograd recording, calls tensor_backward, then updates every
 * parameter in place (p -= lr * p.grad) with grad mode off, as torch.no_grad() would, and drops the grads.
 *
 * Usage: train [steps]   (default 1000). Prints the loss as it falls, then the final accuracy and
 * "final/initial loss: <ratio>", which the test reads.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tensor/tensor.h"

#define CHECK(call) check((call), #call, __LINE__)

enum { POINTS_PER_CLASS = 100, HIDDEN = 64, PARAMS = 4 };
static const double LEARNING_RATE = 0.5;
static const double PI = 3.14159265358979323846;

static void check(tensor_status st, const char *what, int line) {
    if (st != TENSOR_OK) {
        fprintf(stderr, "train.c:%d: %s failed: %s (%s)\n", line, what, tensor_last_error(),
                tensor_status_string(st));
        exit(1);
    }
}

/* Replaces *slot with t (freeing the old value): keeps the step loop free of leaks. */
static void assign(tensor **slot, tensor *t) {
    tensor_free(*slot);
    *slot = t;
}

/* X: (2n, 2) points on two spirals, the second the first rotated by 180 degrees; Y: (2n, 1) labels. */
static void make_spirals(tensor **x, tensor **y) {
    static float xs[2 * POINTS_PER_CLASS][2], ys[2 * POINTS_PER_CLASS];
    const int64_t x_shape[] = {2 * POINTS_PER_CLASS, 2}, y_shape[] = {2 * POINTS_PER_CLASS, 1};
    int i;
    for (i = 0; i < POINTS_PER_CLASS; ++i) {
        double r = (i + 5.0) / (POINTS_PER_CLASS + 5.0);
        double angle = 2.0 * PI * i / POINTS_PER_CLASS;
        xs[i][0] = (float)(r * cos(angle));
        xs[i][1] = (float)(r * sin(angle));
        ys[i] = 0.0f;
        xs[POINTS_PER_CLASS + i][0] = -xs[i][0];
        xs[POINTS_PER_CLASS + i][1] = -xs[i][1];
        ys[POINTS_PER_CLASS + i] = 1.0f;
    }
    CHECK(tensor_from_data(x, xs, x_shape, 2, NULL));
    CHECK(tensor_from_data(y, ys, y_shape, 2, NULL));
}

/* A leaf that requires grad: randn(shape) * scale, or zeros when scale is 0. */
static tensor *parameter(const int64_t *shape, int32_t ndim, double scale) {
    tensor *t = NULL, *scaled = NULL;
    if (scale == 0) {
        CHECK(tensor_zeros(&scaled, shape, ndim, NULL));
    } else {
        CHECK(tensor_randn(&t, shape, ndim, NULL));
        CHECK(tensor_mul_scalar(&scaled, t, scale));
        tensor_free(t);
    }
    CHECK(tensor_set_requires_grad(scaled, true));
    return scaled;
}

/* logits = tanh(x @ w1 + b1) @ w2 + b2 */
static tensor *forward(const tensor *x, tensor *const *params) {
    tensor *t = NULL, *u = NULL;
    CHECK(tensor_matmul(&t, x, params[0]));
    CHECK(tensor_add(&u, t, params[1]));
    assign(&t, NULL);
    CHECK(tensor_tanh(&t, u));
    assign(&u, NULL);
    CHECK(tensor_matmul(&u, t, params[2]));
    assign(&t, NULL);
    CHECK(tensor_add(&t, u, params[3]));
    tensor_free(u);
    return t;
}

/* mean(log(1 + exp(z)) - y * z), binary cross-entropy with logits: one call, stable for large |z|, with
 * its own grad node (BinaryCrossEntropyWithLogitsBackward0). */
static tensor *bce_with_logits(const tensor *z, const tensor *y) {
    tensor *loss = NULL;
    CHECK(tensor_binary_cross_entropy_with_logits(&loss, z, y, NULL, NULL, TENSOR_REDUCTION_MEAN));
    return loss;
}

/* p -= lr * p.grad for every parameter, with grad mode off; then the grads are dropped. */
static void sgd_step(tensor *const *params, int n, double lr) {
    bool previous = tensor_set_grad_enabled(false);
    int i;
    for (i = 0; i < n; ++i) {
        tensor *g = NULL, *update = NULL;
        CHECK(tensor_grad(&g, params[i]));
        if (!g) continue; /* unreachable here: every parameter takes part in the loss */
        CHECK(tensor_mul_scalar(&update, g, lr));
        CHECK(tensor_sub_(params[i], update));
        CHECK(tensor_zero_grad(params[i]));
        tensor_free(update);
        tensor_free(g);
    }
    tensor_set_grad_enabled(previous);
}

/* Fraction of points whose logit has the sign of their class. */
static double accuracy(const tensor *z, const tensor *y) {
    tensor *zero = NULL, *pred = NULL, *label = NULL, *half = NULL, *hit = NULL, *hits = NULL, *acc = NULL;
    double value = 0;
    bool previous = tensor_set_grad_enabled(false);
    CHECK(tensor_zeros(&zero, NULL, 0, NULL));
    CHECK(tensor_full(&half, NULL, 0, 0.5, NULL));
    CHECK(tensor_gt(&pred, z, zero));
    CHECK(tensor_gt(&label, y, half));
    CHECK(tensor_eq(&hit, pred, label));
    CHECK(tensor_to_dtype(&hits, hit, TENSOR_FLOAT32));
    CHECK(tensor_mean(&acc, hits, NULL, 0, false));
    CHECK(tensor_item(acc, &value));
    tensor_set_grad_enabled(previous);
    tensor_free(acc);
    tensor_free(hits);
    tensor_free(hit);
    tensor_free(label);
    tensor_free(pred);
    tensor_free(half);
    tensor_free(zero);
    return value;
}

static long parse_steps(int argc, char **argv) {
    char *end = NULL;
    long steps;
    if (argc < 2) return 1000;
    errno = 0;
    steps = strtol(argv[1], &end, 10);
    if (errno != 0 || end == argv[1] || *end != '\0' || steps < 1 || steps > 100000000L) {
        fprintf(stderr, "usage: %s [steps]   (steps: a positive integer, default 1000)\n", argv[0]);
        exit(2);
    }
    return steps;
}

int main(int argc, char **argv) {
    const long steps = parse_steps(argc, argv);
    const long report_every = steps >= 10 ? steps / 10 : 1;
    const int64_t w1_shape[] = {2, HIDDEN}, b1_shape[] = {HIDDEN}, w2_shape[] = {HIDDEN, 1}, b2_shape[] = {1};
    tensor *x = NULL, *y = NULL, *params[PARAMS];
    double initial = 0, last = 0;
    long step;
    int i;

    tensor_manual_seed(0);
    make_spirals(&x, &y);
    params[0] = parameter(w1_shape, 2, 3.0); /* wide first layer: spirals need high-frequency features */
    params[1] = parameter(b1_shape, 1, 0.0);
    params[2] = parameter(w2_shape, 2, 1.0 / sqrt((double)HIDDEN));
    params[3] = parameter(b2_shape, 1, 0.0);

    printf("two spirals: %d points, MLP 2-%d-1 (tanh), SGD lr %.2f, %ld steps\n", 2 * POINTS_PER_CLASS, HIDDEN,
           LEARNING_RATE, steps);
    for (step = 0; step <= steps; ++step) {
        tensor *z = forward(x, params);
        tensor *loss = bce_with_logits(z, y);
        CHECK(tensor_item(loss, &last));
        if (step == 0) initial = last;
        if (step % report_every == 0 || step == steps) printf("step %6ld  loss %.4f\n", step, last);
        if (step == steps) printf("accuracy: %.1f%%\n", 100.0 * accuracy(z, y));
        if (step < steps) {
            CHECK(tensor_backward(loss, NULL, false));
            sgd_step(params, PARAMS, LEARNING_RATE);
        }
        tensor_free(loss);
        tensor_free(z);
    }
    printf("final/initial loss: %.4f\n", last / initial);

    for (i = 0; i < PARAMS; ++i) tensor_free(params[i]);
    tensor_free(y);
    tensor_free(x);
    return 0;
}
