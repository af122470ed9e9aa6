// Scan shims (cumsum, cumprod: the "Indexing, scans and masks" group of tensor.h).
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

namespace {

using ScanOp = Tensor (*)(const Tensor&, int32_t);

tensor_status scan_call(const char* call, ScanOp op, tensor** out, const tensor* a, int32_t dim) {
  return produce(call, out, [&] {
    LT_ARG(a);
    return op(a_t, dim);
  });
}

}  // namespace

extern "C" {

TENSOR_API tensor_status tensor_cumsum(tensor** out, const tensor* a, int32_t dim) {
  return scan_call("tensor_cumsum", &lt::cumsum, out, a, dim);
}

TENSOR_API tensor_status tensor_cumprod(tensor** out, const tensor* a, int32_t dim) {
  return scan_call("tensor_cumprod", &lt::cumprod, out, a, dim);
}

}  // extern "C"
