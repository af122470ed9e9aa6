// Indexing shims (the "Indexing, scans and masks" group of tensor.h).
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

namespace {

using ScatterOp = Tensor (*)(const Tensor&, int32_t, const Tensor&, const Tensor&);

tensor_status scatter_call(const char* call, ScatterOp op, tensor** out, const tensor* a, int32_t dim,
                           const tensor* index, const tensor* src) {
  return produce(call, out, [&] {
    LT_ARG(a);
    LT_ARG(index);
    LT_ARG(src);
    return op(a_t, dim, index_t, src_t);
  });
}

}  // namespace

extern "C" {

TENSOR_API tensor_status tensor_index_select(tensor** out, const tensor* a, int32_t dim, const tensor* index) {
  return produce("tensor_index_select", out, [&] {
    LT_ARG(a);
    LT_ARG(index);
    return index_select(a_t, dim, index_t);
  });
}

TENSOR_API tensor_status tensor_gather(tensor** out, const tensor* a, int32_t dim, const tensor* index) {
  return produce("tensor_gather", out, [&] {
    LT_ARG(a);
    LT_ARG(index);
    return gather(a_t, dim, index_t);
  });
}

TENSOR_API tensor_status tensor_scatter(tensor** out, const tensor* a, int32_t dim, const tensor* index,
                                        const tensor* src) {
  return scatter_call("tensor_scatter", &lt::scatter, out, a, dim, index, src);
}

TENSOR_API tensor_status tensor_scatter_add(tensor** out, const tensor* a, int32_t dim, const tensor* index,
                                            const tensor* src) {
  return scatter_call("tensor_scatter_add", &lt::scatter_add, out, a, dim, index, src);
}

TENSOR_API tensor_status tensor_index_add_(tensor* t, int32_t dim, const tensor* index, const tensor* src,
                                           double alpha) {
  return guard("tensor_index_add_", [&] {
    LT_ARG(t);
    LT_ARG(index);
    LT_ARG(src);
    index_add_(t_t, dim, index_t, src_t, alpha);
  });
}

TENSOR_API tensor_status tensor_masked_fill(tensor** out, const tensor* a, const tensor* mask, double value) {
  return produce("tensor_masked_fill", out, [&] {
    LT_ARG(a);
    LT_ARG(mask);
    return masked_fill(a_t, mask_t, value);
  });
}

TENSOR_API tensor_status tensor_masked_fill_(tensor* t, const tensor* mask, double value) {
  return guard("tensor_masked_fill_", [&] {
    LT_ARG(t);
    LT_ARG(mask);
    masked_fill_(t_t, mask_t, value);
  });
}

TENSOR_API tensor_status tensor_masked_select(tensor** out, const tensor* a, const tensor* mask) {
  return produce("tensor_masked_select", out, [&] {
    LT_ARG(a);
    LT_ARG(mask);
    return masked_select(a_t, mask_t);
  });
}

TENSOR_API tensor_status tensor_nonzero(tensor** out, const tensor* a) {
  return produce("tensor_nonzero", out, [&] {
    LT_ARG(a);
    return nonzero(a_t);
  });
}

TENSOR_API tensor_status tensor_one_hot(tensor** out, const tensor* index, int64_t num_classes) {
  return produce("tensor_one_hot", out, [&] {
    LT_ARG(index);
    return one_hot(index_t, num_classes);
  });
}

}  // extern "C"
