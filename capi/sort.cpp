// Sorting shims (sort, argsort, topk: the "Sorting" group of tensor.h).
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

extern "C" {

TENSOR_API tensor_status tensor_sort(tensor** values, tensor** indices, const tensor* a, int32_t dim, bool descending,
                                     bool stable) {
  return produce_pair("tensor_sort", values, indices, [&] {
    LT_ARG(a);
    return lt::sort(a_t, dim, descending, stable);
  });
}

TENSOR_API tensor_status tensor_argsort(tensor** out, const tensor* a, int32_t dim, bool descending) {
  return produce("tensor_argsort", out, [&] {
    LT_ARG(a);
    return lt::argsort(a_t, dim, descending);
  });
}

TENSOR_API tensor_status tensor_topk(tensor** values, tensor** indices, const tensor* a, int64_t k, int32_t dim,
                                     bool largest, bool sorted) {
  return produce_pair("tensor_topk", values, indices, [&] {
    LT_ARG(a);
    return lt::topk(a_t, k, dim, largest, sorted);
  });
}

}  // extern "C"
