/* The calls that take C enums, for values the C++ harness holds as int32_t. C may put any int in an
 * enum; C++ may not (loading an enum whose value is outside its enumerators' range is undefined
 * behaviour there), so invalid enum values are formed only on this side of the boundary, as a C caller
 * would form them. */
#include "fuzz/fuzz_enums.h"

const char *fuzz_status_string(int32_t status) { return tensor_status_string((tensor_status)status); }
const char *fuzz_dtype_name(int32_t dtype) { return tensor_dtype_name((tensor_dtype)dtype); }
size_t fuzz_dtype_size(int32_t dtype) { return tensor_dtype_size((tensor_dtype)dtype); }
tensor_status fuzz_to_dtype(tensor **out, const tensor *t, int32_t dtype) {
  return tensor_to_dtype(out, t, (tensor_dtype)dtype);
}
void fuzz_set_options_dtype(tensor_options *opts, int32_t dtype) { opts->dtype = (tensor_dtype)dtype; }
