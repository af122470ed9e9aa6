/* C wrappers for passing arbitrary ints as C enums (see fuzz_enums.c). */
#ifndef FUZZ_ENUMS_H
#define FUZZ_ENUMS_H
#include <stddef.h>
#include <stdint.h>

#include "tensor/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif
const char *fuzz_status_string(int32_t status);
const char *fuzz_dtype_name(int32_t dtype);
size_t fuzz_dtype_size(int32_t dtype);
tensor_status fuzz_to_dtype(tensor **out, const tensor *t, int32_t dtype);
void fuzz_set_options_dtype(tensor_options *opts, int32_t dtype);
#ifdef __cplusplus
}
#endif
#endif
