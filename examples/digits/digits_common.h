/*
 * What the digits programs in C share (digits.c: the MLP, digits_cnn.c: the CNN): error checks, the data
 * and its split, the epoch loop, accuracy, checkpoint reading and the command line's numbers. Each
 * program keeps its model, its checkpoint layout and its options.
 */
#ifndef DIGITS_COMMON_H
#define DIGITS_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "tensor/tensor.h"

/* The program's name in messages ("digits", "digits_cnn"); each main sets it first. */
extern const char* digits_program;

/* Exits with status 1, naming the failed call and the library's message, unless st is TENSOR_OK. */
void digits_check(tensor_status st, const char* what, const char* file, int line);
#define CHECK(call) digits_check((call), #call, __FILE__, __LINE__)

/* Prints "<program>: message detail" and exits with status 1. */
void digits_fail(const char* message, const char* detail);

double digits_seconds_now(void);

typedef struct digits_dataset {
  tensor *x_train, *y_train, *x_test, *y_test, *test_index;
} digits_dataset;

/* Reads x (N, 64) float32 and y (N,) int64 from the .npz at @p path and splits them: rows perm[0 .. N - N/5)
 * train, the rest test, perm one tensor_randperm (the only draw). @p x_shape (@p x_ndim dims, -1 for N)
 * reshapes x first; NULL keeps (N, 64). */
digits_dataset digits_load_data(const char* path, const int64_t* x_shape, int32_t x_ndim);
void digits_free_data(digits_dataset* d);

/* The tensor @p name of an open file (exits if it is missing). */
tensor* digits_file_tensor(const tensor_file* f, const char* name);

/* The model's logits of a batch: training selects its training behaviour (batch norm statistics). */
typedef tensor* (*digits_forward_fn)(const tensor* x, void* model, bool training);

/* One epoch of shuffled mini-batches of @p batch (one randperm, the last batch short): forward, mean
 * cross_entropy, zero_grad, backward, step. Returns the mean loss over the training rows. */
double digits_train_epoch(const digits_dataset* d, int64_t batch, digits_forward_fn forward, void* model,
                          tensor_optimizer* opt);

/* Test accuracy of the model with grad off and training false (eval mode): the fraction of test rows whose
 * argmax of the logits is their class; *predictions (when not NULL) = those argmaxes (int64). */
double digits_evaluate(const digits_dataset* d, digits_forward_fn forward, void* model, tensor** predictions);

/* Writes the test rows (index) and their predicted classes (prediction), int64, to the .npz at @p path. */
void digits_save_predictions(const char* path, const tensor* test_index, const tensor* predictions);

/* Copies the file's tensor @p name into @p dst, which it must match in shape and dtype exactly. */
void digits_restore(const tensor_file* f, const char* name, tensor* dst, const char* path);

/* The __metadata__ value @p key of a checkpoint as a decimal number (exits if missing or malformed). */
uint64_t digits_metadata_u64(const tensor_file* f, const char* key, const char* path);

/* A decimal number in [0, max] of the command line; false for anything else. */
bool digits_parse_number(const char* text, unsigned long long max, unsigned long long* value);

/* The command line of the digits programs (their usage comments say what each option means). */
typedef struct digits_options {
  long epochs;
  const char *out_dir, *resume, *data, *predictions;
  uint64_t seed;
  int64_t pool; /* --pool (digits_cnn only); max_pool 0: the program has no such option */
} digits_options;

/* Parses argv over @p defaults; --pool is accepted in [1, max_pool]. Bad usage prints the usage line
 * and exits with status 2. Also creates the --out folder (exit 1 if it cannot). */
digits_options digits_parse_options(int argc, char** argv, digits_options defaults, int64_t max_pool);

#endif /* DIGITS_COMMON_H */
