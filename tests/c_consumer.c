/* A plain C99 program using the public header and libtensor.so: compiled with -std=c99 -pedantic -Werror. */
#include <stdio.h>
#include <string.h>
#include <tensor/tensor.h>

#define CHECK(cond)                                               \
  do {                                                            \
    if (!(cond)) {                                                \
      fprintf(stderr, "%s:%d: check failed: %s (last error: %s)\n", __FILE__, __LINE__, #cond, tensor_last_error()); \
      return 1;                                                   \
    }                                                             \
  } while (0)

int main(void) {
  int64_t shape[2] = {2, 3};
  float data[6] = {1, 2, 3, 4, 5, 6};
  float result[6];
  tensor_options opts = TENSOR_OPTIONS_INIT;
  tensor *a = NULL, *b = NULL, *c = NULL, *bad = NULL;
  char text[256];

  CHECK(strcmp(tensor_version(), "0.1.0") == 0);
  CHECK(tensor_from_data(&a, data, shape, 2, &opts) == TENSOR_OK);
  CHECK(tensor_ones(&b, shape + 1, 1, NULL) == TENSOR_OK);
  CHECK(tensor_add(&c, a, b) == TENSOR_OK);
  CHECK(tensor_copy_to_host(c, result, sizeof result) == TENSOR_OK);
  CHECK(result[0] == 2.0f && result[5] == 7.0f);
  CHECK(tensor_ndim(c) == 2 && tensor_shape(c)[1] == 3);
  CHECK(tensor_format(c, text, sizeof text) > 0);
  CHECK(tensor_mul(&bad, a, NULL) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(bad == NULL);
  CHECK(strstr(tensor_last_error(), "tensor_mul") == tensor_last_error());
  CHECK(tensor_retain(a) == a);
  tensor_free(a);
  tensor_free(a);
  tensor_free(b);
  tensor_free(c);
  printf("c consumer ok\n");
  return 0;
}
