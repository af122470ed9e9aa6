// Advanced indexing shims (the "Advanced indexing" group of tensor.h): tensor_index, tensor_index_put_.
#include <vector>

#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

namespace {

// The caller's index list: NULL entries are whole dims (undefined tensors), others live handles.
std::vector<Tensor> index_list(const tensor* const* indices, int32_t n) {
  LT_CHECK(n >= 0, Status::InvalidArgument, "nindices must be >= 0, got " << n);
  LT_CHECK(n == 0 || indices != nullptr, Status::InvalidArgument, "indices is NULL but nindices is " << n);
  std::vector<Tensor> r;
  r.reserve(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) {
    if (!indices[i]) {
      r.emplace_back();
      continue;
    }
    LT_CHECK(valid_handle(indices[i]), Status::InvalidArgument,
             "index " << i << " of the list is not a valid tensor handle (freed?)");
    r.push_back(Borrowed(indices[i]).get());
  }
  return r;
}

}  // namespace

extern "C" {

TENSOR_API tensor_status tensor_index(tensor** out, const tensor* a, const tensor* const* indices, int32_t nindices) {
  return produce("tensor_index", out, [&] {
    LT_ARG(a);
    return index(a_t, index_list(indices, nindices));
  });
}

TENSOR_API tensor_status tensor_index_put_(tensor* t, const tensor* const* indices, int32_t nindices,
                                           const tensor* values, bool accumulate) {
  return guard("tensor_index_put_", [&] {
    LT_ARG(t);
    LT_ARG(values);
    index_put_(t_t, index_list(indices, nindices), values_t, accumulate);
  });
}

}  // extern "C"
