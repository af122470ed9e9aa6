// Fuzz operations for the sorting calls: sort, argsort and topk on a pool tensor along a decoded dim
// (out of range now and then: TENSOR_ERR_INDEX), topk with k from -1 to the dim's size + 1 (outside
// [0, size]: TENSOR_ERR_INVALID_ARGUMENT) and on bool tensors (TENSOR_ERR_DTYPE). A result must have the
// input's shape (topk: k along the dim; a 0-d input keeps its 0-d shape), the input's dtype for values
// and int64 for indices.
#include <algorithm>

#include "fuzz/fuzz_ops.h"

namespace fuzz {

void op_sort(Session& s) {
  Expect e;
  const uint8_t which = s.in.u8() % 3;
  tensor* a = s.pool.arg(s.in, e);
  if (a && tensor_numel(a) > kMaxKeep) return;  // expanded views: keep the work small
  const std::vector<int64_t> ashape = a ? shape_of(a) : std::vector<int64_t>();
  const DimArg da = decode_dim(s, e, a, ashape);
  const int32_t dim = da.dim, d = da.d;
  const int64_t n = da.n;
  const bool flag = s.in.one_in(2), flag2 = s.in.one_in(2);
  const int64_t k = static_cast<int64_t>(s.in.u8() % 4) - 1 + (s.in.one_in(2) ? n : 0);
  std::vector<int64_t> want = ashape;
  if (which == 2) {
    e.defect_if(a && tensor_get_dtype(a) == TENSOR_BOOL, TENSOR_ERR_DTYPE);
    e.defect_if(a && (k < 0 || k > n), TENSOR_ERR_INVALID_ARGUMENT);
    if (!want.empty()) want[static_cast<size_t>(d)] = k;
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  if (which == 1) {
    const tensor_status st = tensor_argsort(po, a, dim, flag);  // before result() reads `out`
    tensor* r = result("tensor_argsort", e, st, po, out);
    if (!r) return;
    FUZZ_REQUIRE(shape_of(r) == want, "tensor_argsort", "result shape differs from the input's");
    FUZZ_REQUIRE(tensor_get_dtype(r) == TENSOR_INT64, "tensor_argsort", "indices are not int64");
    s.pool.keep(s.in, r);
    return;
  }
  tensor* indices = unset_out();
  const char* call = which == 0 ? "tensor_sort" : "tensor_topk";
  const tensor_status st = which == 0 ? tensor_sort(po, &indices, a, dim, flag, flag2)
                                      : tensor_topk(po, &indices, a, k, dim, flag, flag2);
  tensor* r = result(call, e, st, po, out);
  if (!r) {
    if (indices != nullptr) fail(call, "indices not set to NULL on failure");
    return;
  }
  check_tensor(call, indices, kMaxKeep);
  FUZZ_REQUIRE(shape_of(r) == want && shape_of(indices) == want, call, "result shape differs from PyTorch's");
  FUZZ_REQUIRE(tensor_get_dtype(r) == tensor_get_dtype(a), call, "values dtype differs from the input's");
  FUZZ_REQUIRE(tensor_get_dtype(indices) == TENSOR_INT64, call, "indices are not int64");
  s.pool.keep(s.in, r);
  s.pool.keep(s.in, indices);
}

}  // namespace fuzz
