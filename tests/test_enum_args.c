/* Regression test (fuzzer finding): C lets any int travel in an enum parameter or field, so the library
 * must accept out-of-range tensor_status / tensor_dtype values without undefined behaviour (UBSan's enum
 * check aborted tensor_status_string) and answer as documented. Written in C: in C++ the test itself
 * could not form such values without undefined behaviour. */
#include <stdio.h>
#include <string.h>

#include "tensor/tensor.h"

static int failures = 0;
#define EXPECT(cond)                                                 \
  do {                                                               \
    if (!(cond)) {                                                   \
      fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                    \
    }                                                                \
  } while (0)

int main(void) {
  static const int odd[] = {-1040187392, -10, -11, 10, 11, 16, 1000, -2147483647 - 1, 2147483647};
  size_t i;
  for (i = 0; i < sizeof odd / sizeof odd[0]; ++i) {
    tensor_status s = (tensor_status)odd[i];
    tensor_dtype d = (tensor_dtype)odd[i];
    tensor_options o = TENSOR_OPTIONS_INIT;
    tensor *t = NULL, *r = (tensor *)&o;
    int64_t shape[1] = {2};
    EXPECT(strcmp(tensor_status_string(s), "unknown status") == 0);
    EXPECT(tensor_dtype_size(d) == 0);
    EXPECT(strcmp(tensor_dtype_name(d), "unknown") == 0);
    o.dtype = d;
    EXPECT(tensor_zeros(&t, shape, 1, &o) == TENSOR_ERR_INVALID_ARGUMENT && t == NULL);
    EXPECT(strncmp(tensor_last_error(), "tensor_zeros: ", 14) == 0);
    EXPECT(tensor_zeros(&t, shape, 1, NULL) == TENSOR_OK);
    EXPECT(tensor_to_dtype(&r, t, d) == TENSOR_ERR_INVALID_ARGUMENT && r == NULL);
    EXPECT(strstr(tensor_last_error(), "dtype") != NULL);
    tensor_free(t);
  }
  EXPECT(strcmp(tensor_status_string(TENSOR_ERR_SHAPE), "shape mismatch") == 0);
  EXPECT(tensor_dtype_size(TENSOR_FLOAT64) == 8);
  /* the appended dtypes (issue 14) and statuses that happen to equal their values */
  EXPECT(tensor_dtype_size(TENSOR_FLOAT16) == 2 && strcmp(tensor_dtype_name(TENSOR_FLOAT16), "float16") == 0);
  EXPECT(tensor_dtype_size(TENSOR_BFLOAT16) == 2 && strcmp(tensor_dtype_name(TENSOR_BFLOAT16), "bfloat16") == 0);
  EXPECT(tensor_dtype_size(TENSOR_UINT8) == 1 && strcmp(tensor_dtype_name(TENSOR_UINT8), "uint8") == 0);
  EXPECT(tensor_dtype_size(TENSOR_INT8) == 1 && strcmp(tensor_dtype_name(TENSOR_INT8), "int8") == 0);
  EXPECT(tensor_dtype_size(TENSOR_INT16) == 2 && strcmp(tensor_dtype_name(TENSOR_INT16), "int16") == 0);
  EXPECT(strcmp(tensor_status_string((tensor_status)5), "unknown status") == 0);
  EXPECT(strcmp(tensor_status_string((tensor_status)7), "unknown status") == 0);
  return failures == 0 ? 0 : 1;
}
