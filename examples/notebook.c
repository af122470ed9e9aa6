/*
 * The seed notebook ("Numpy Vs. PyTorch") through libtensor's C API.
 *
 * Each cell prints a header "In [N]: <the PyTorch code>" and then exactly what PyTorch prints for it
 * (examples/notebook_torch.py runs the same cells in PyTorch; examples/notebook.expected is its output).
 * Cells with random data print shapes and facts that hold for any draw. The last cell times A @ A on a
 * 1000 x 1000 matrix; its "[time]" line is not compared.
 *
 * Error handling: every call is checked with CHECK(), which prints tensor_last_error() and exits.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tensor/tensor.h"

#define CHECK(call) check((call), #call, __LINE__)

static void check(tensor_status st, const char *what, int line) {
    if (st != TENSOR_OK) {
        fprintf(stderr, "notebook.c:%d: %s failed: %s (%s)\n", line, what, tensor_last_error(),
                tensor_status_string(st));
        exit(1);
    }
}

/* What PyTorch's repr() prints. */
static void print_tensor(const tensor *t) {
    int64_t n = tensor_format(t, NULL, 0);
    char *text;
    if (n < 0) {
        fprintf(stderr, "tensor_format failed: %s\n", tensor_last_error());
        exit(1);
    }
    text = malloc((size_t)n + 1);
    if (!text) exit(1);
    tensor_format(t, text, (size_t)n + 1);
    fputs(text, stdout);
    free(text);
}

static void println_tensor(const tensor *t) {
    print_tensor(t);
    putchar('\n');
}

/* torch.Size([a, b, c]) */
static void println_size(const tensor *t) {
    int32_t i;
    printf("torch.Size([");
    for (i = 0; i < tensor_ndim(t); ++i) printf("%s%lld", i ? ", " : "", (long long)tensor_shape(t)[i]);
    printf("])\n");
}

/* Prints "<label>: tensor(True)" for (a op b).all(), a fact that holds for any random draw. */
static void println_all(const char *label, tensor_status (*op)(tensor **, const tensor *, const tensor *),
                        const tensor *a, const tensor *b) {
    tensor *cmp = NULL, *all = NULL;
    CHECK(op(&cmp, a, b));
    CHECK(tensor_all(&all, cmp, NULL, 0, false));
    printf("%s: ", label);
    println_tensor(all);
    tensor_free(all);
    tensor_free(cmp);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* In [9] and In [8]: creating and reshaping, as in NumPy. */
static void creation_cells(void) {
    tensor *t = NULL, *r = NULL;
    const int64_t shape[] = {3, 4, 4};
    tensor_options i64 = TENSOR_OPTIONS_INIT;
    i64.dtype = TENSOR_INT64;

    printf("In [9]: t = torch.linspace(0,1,5)\n");
    CHECK(tensor_linspace(&t, 0, 1, 5, NULL));
    println_tensor(t);
    tensor_free(t);
    printf("\n");

    printf("In [8]: t = torch.arange(48).reshape(3,4,4)\n");
    CHECK(tensor_arange(&t, 0, 48, 1, &i64));
    CHECK(tensor_reshape(&r, t, shape, 3));
    println_tensor(r);
    tensor_free(r);
    tensor_free(t);
    printf("\n");
}

/* In [29]: broadcasting (6,5) + (1,5). */
static void broadcast_cell(void) {
    tensor *a = NULL, *b0 = NULL, *b = NULL, *sum = NULL;
    const int64_t a_shape[] = {6, 5}, b_shape[] = {1, 5};
    tensor_options i64 = TENSOR_OPTIONS_INIT;
    i64.dtype = TENSOR_INT64;

    printf("In [29]: a = torch.ones((6,5)); b = torch.arange(5).reshape(1,5); a+b\n");
    CHECK(tensor_ones(&a, a_shape, 2, NULL));
    CHECK(tensor_arange(&b0, 0, 5, 1, &i64));
    CHECK(tensor_reshape(&b, b0, b_shape, 2));
    CHECK(tensor_add(&sum, a, b));
    println_tensor(sum);
    tensor_free(sum);
    tensor_free(b);
    tensor_free(b0);
    tensor_free(a);
    printf("\n");
}

/* In [31]: scaling the colour channels of an image, Image (256,256,3) * Scale (3). */
static void image_scale_cell(void) {
    tensor *scale = NULL, *image = NULL, *result = NULL;
    tensor *r0 = NULL, *i0 = NULL, *half = NULL, *r2 = NULL, *i2 = NULL;
    const float scale_data[] = {0.5f, 1.5f, 1.0f};
    const int64_t scale_shape[] = {3}, image_shape[] = {256, 256, 3};

    printf("In [31]: Scale = torch.tensor([0.5,1.5,1]); Image = torch.randn((256,256,3)); Result = Image*Scale\n");
    CHECK(tensor_from_data(&scale, scale_data, scale_shape, 1, NULL));
    CHECK(tensor_randn(&image, image_shape, 3, NULL));
    CHECK(tensor_mul(&result, image, scale));
    printf("Result.shape: ");
    println_size(result);
    CHECK(tensor_select(&r0, result, -1, 0));
    CHECK(tensor_select(&i0, image, -1, 0));
    CHECK(tensor_mul_scalar(&half, i0, 0.5));
    println_all("(Result[..., 0] == Image[..., 0] * 0.5).all()", tensor_eq, r0, half);
    CHECK(tensor_select(&r2, result, -1, 2));
    CHECK(tensor_select(&i2, image, -1, 2));
    println_all("(Result[..., 2] == Image[..., 2]).all()", tensor_eq, r2, i2);
    tensor_free(i2);
    tensor_free(r2);
    tensor_free(half);
    tensor_free(i0);
    tensor_free(r0);
    tensor_free(result);
    tensor_free(image);
    tensor_free(scale);
    printf("\n");
}

/* In [45]: two images, each scaled by its own (1,1,3) factors. */
static void images_scale_cell(void) {
    tensor *images = NULL, *scale0 = NULL, *scale = NULL, *results = NULL;
    const float scale_data[] = {0.5f, 1.1f, 0.7f, 0.6f, 0.3f, 0.9f};
    const int64_t flat[] = {6}, scale_shape[] = {2, 1, 1, 3}, images_shape[] = {2, 256, 256, 3};

    printf("In [45]: Images = torch.randn(2,256,256,3); "
           "Scale = torch.tensor([0.5,1.1,0.7,0.6,0.3,0.9]).reshape(2,1,1,3); Results = Images*Scale\n");
    CHECK(tensor_randn(&images, images_shape, 4, NULL));
    CHECK(tensor_from_data(&scale0, scale_data, flat, 1, NULL));
    CHECK(tensor_reshape(&scale, scale0, scale_shape, 4));
    CHECK(tensor_mul(&results, images, scale));
    printf("Scale.shape: ");
    println_size(scale);
    printf("Results.shape: ");
    println_size(results);
    tensor_free(results);
    tensor_free(scale);
    tensor_free(scale0);
    tensor_free(images);
    printf("\n");
}

/* In [48] and In [57]: reductions over all elements and along a dim. */
static void reduction_cells(void) {
    tensor *t = NULL, *mean = NULL, *std = NULL, *max = NULL, *min = NULL;
    tensor *ar = NULL, *m = NULL, *col_mean = NULL;
    const float data[] = {0.5f, 13.0f, 4.0f};
    const int64_t shape[] = {3}, m_shape[] = {5, 4};
    const int32_t axis0[] = {0};
    tensor_options f64 = TENSOR_OPTIONS_INIT;
    f64.dtype = TENSOR_FLOAT64;

    printf("In [48]: t = torch.tensor([0.5,13,4]); torch.mean(t), torch.std(t), torch.max(t), torch.min(t)\n");
    CHECK(tensor_from_data(&t, data, shape, 1, NULL));
    CHECK(tensor_mean(&mean, t, NULL, 0, false));
    CHECK(tensor_std(&std, t, NULL, 0, 1, false));
    CHECK(tensor_max(&max, t));
    CHECK(tensor_min(&min, t));
    printf("(");
    print_tensor(mean);
    printf(", ");
    print_tensor(std);
    printf(", ");
    print_tensor(max);
    printf(", ");
    print_tensor(min);
    printf(")\n\n");

    printf("In [57]: t = torch.arange(20, dtype=float).reshape(5,4); torch.mean(t, axis=0)\n");
    CHECK(tensor_arange(&ar, 0, 20, 1, &f64));
    CHECK(tensor_reshape(&m, ar, m_shape, 2));
    CHECK(tensor_mean(&col_mean, m, axis0, 1, false));
    println_tensor(col_mean);
    printf("\n");

    tensor_free(col_mean);
    tensor_free(m);
    tensor_free(ar);
    tensor_free(min);
    tensor_free(max);
    tensor_free(std);
    tensor_free(mean);
    tensor_free(t);
}

/* In [61], In [None], In [65]: a batch of 5 random images; means and the max colour channel. */
static void batch_cells(void) {
    tensor *t = NULL, *batch_mean = NULL, *channel_mean = NULL, *values = NULL, *indices = NULL;
    tensor *three = NULL, *first = NULL;
    const int64_t shape[] = {5, 256, 256, 3};
    const int32_t axis0[] = {0}, last[] = {-1};
    tensor_options i64 = TENSOR_OPTIONS_INIT;
    i64.dtype = TENSOR_INT64;

    printf("In [61]: t = torch.rand(5,256,256,3); torch.mean(t,axis=0).shape\n");
    CHECK(tensor_rand(&t, shape, 4, NULL));
    CHECK(tensor_mean(&batch_mean, t, axis0, 1, false));
    println_size(batch_mean);
    printf("\n");

    printf("In [None]: torch.mean(t,axis=-1).shape\n");
    CHECK(tensor_mean(&channel_mean, t, last, 1, false));
    println_size(channel_mean);
    printf("\n");

    printf("In [65]: values, indices = torch.max(t,axis=-1); values.shape\n");
    CHECK(tensor_max_dim(&values, &indices, t, -1, false));
    println_size(values);
    printf("indices.dtype: torch.%s\n", tensor_dtype_name(tensor_get_dtype(indices)));
    CHECK(tensor_full(&three, NULL, 0, 3, &i64));
    println_all("(indices < 3).all()", tensor_lt, indices, three);
    CHECK(tensor_select(&first, t, -1, 0));
    println_all("(values >= t[..., 0]).all()", tensor_ge, values, first);
    printf("\n");

    tensor_free(first);
    tensor_free(three);
    tensor_free(indices);
    tensor_free(values);
    tensor_free(channel_mean);
    tensor_free(batch_mean);
    tensor_free(t);
}

/* In [69] and In [70]: automatic gradients. */
static void autograd_cells(void) {
    tensor *x = NULL, *cube = NULL, *y = NULL, *grad = NULL;
    const float data[] = {5, 8, 4, 6};
    const int64_t shape[] = {2, 2};
    tensor_options opts = TENSOR_OPTIONS_INIT;
    opts.requires_grad = true;

    printf("In [69]: x = torch.tensor([[5.,8.],[4.,6.]], requires_grad=True); y = x.pow(3).sum(); y\n");
    CHECK(tensor_from_data(&x, data, shape, 2, &opts));
    CHECK(tensor_pow_scalar(&cube, x, 3));
    CHECK(tensor_sum(&y, cube, NULL, 0, false));
    println_tensor(y);
    printf("\n");

    printf("In [70]: y.backward(); x.grad\n");
    CHECK(tensor_backward(y, NULL, false));
    CHECK(tensor_grad(&grad, x));
    println_tensor(grad);
    printf("\n");

    tensor_free(grad);
    tensor_free(y);
    tensor_free(cube);
    tensor_free(x);
}

/* The last cell: a large matrix product, timed. */
static void matmul_cell(void) {
    tensor *a = NULL, *p = NULL;
    const int64_t shape[] = {1000, 1000};
    double start, elapsed;

    printf("In [None]: A = torch.rand((1000,1000)); A@A\n");
    CHECK(tensor_rand(&a, shape, 2, NULL));
    start = now_ms();
    CHECK(tensor_matmul(&p, a, a));
    elapsed = now_ms() - start;
    printf("(A@A).shape: ");
    println_size(p);
    printf("[time] A@A: %.3f ms\n", elapsed);
    tensor_free(p);
    tensor_free(a);
}

int main(void) {
    tensor_manual_seed(0);
    creation_cells();
    broadcast_cell();
    image_scale_cell();
    images_scale_cell();
    reduction_cells();
    batch_cells();
    autograd_cells();
    matmul_cell();
    return 0;
}
