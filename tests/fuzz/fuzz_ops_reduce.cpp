// Reductions and matmul under fuzzing: dim lists with duplicates and out-of-range entries, empty
// inputs, and the result shapes of keepdim and numpy.matmul.
#include <algorithm>

#include "fuzz/fuzz_ops.h"

namespace fuzz {

namespace {

bool in_range(int64_t d, int64_t n) { return d >= -n && d < n; }

// A list of dims to reduce over, with the shape the harness expects when the list is valid.
struct DimsArg {
  std::vector<int32_t> dims;
  int32_t ndims = 0;
  bool null_ptr = false;
  std::vector<int64_t> expected;  // result shape (valid lists only)

  const int32_t* ptr() const { return null_ptr ? nullptr : dims.data(); }
};

DimsArg gen_dims(Input& in, Expect& e, const tensor* t, bool keepdim) {
  DimsArg a;
  std::vector<int64_t> shape = t ? shape_of(t) : std::vector<int64_t>{1};
  int32_t nd = static_cast<int32_t>(shape.size()), n = std::max(nd, 1);
  a.ndims = static_cast<int32_t>(in.below(4));
  for (int32_t i = 0; i < a.ndims; ++i) a.dims.push_back(in.dim(nd));
  a.dims.push_back(0);  // spare entry: data() is never NULL
  if (in.one_in(64)) {
    a.ndims = -1;
    e.defect(TENSOR_ERR_INVALID_ARGUMENT);
    return a;
  }
  a.null_ptr = a.ndims > 0 && in.one_in(64);
  e.defect_if(a.null_ptr, TENSOR_ERR_INVALID_ARGUMENT);
  std::vector<bool> reduced(static_cast<size_t>(n), a.ndims == 0);  // no dims: all of them
  for (int32_t i = 0; i < a.ndims; ++i) {
    int32_t d = a.dims[i];
    if (!in_range(d, n)) {
      e.defect(TENSOR_ERR_INDEX);
      continue;
    }
    int32_t k = d < 0 ? d + n : d;
    if (reduced[k]) e.must_fail();  // a dim named twice
    reduced[k] = true;
  }
  for (int32_t i = 0; i < nd; ++i) {
    if (!reduced[i]) a.expected.push_back(shape[i]);
    else if (keepdim) a.expected.push_back(1);
  }
  return a;
}

using ReduceFn = tensor_status (*)(tensor**, const tensor*, const int32_t*, int32_t, bool);
struct ReduceCall {
  const char* name;
  ReduceFn fn;
  enum Kind { kSumLike, kFloatingOnly, kLogical } kind;
};
const ReduceCall kReduce[] = {
    {"tensor_sum", tensor_sum, ReduceCall::kSumLike},    {"tensor_prod", tensor_prod, ReduceCall::kSumLike},
    {"tensor_mean", tensor_mean, ReduceCall::kFloatingOnly}, {"tensor_all", tensor_all, ReduceCall::kLogical},
    {"tensor_any", tensor_any, ReduceCall::kLogical},
};

// The result shape of numpy.matmul, or false when the operands do not fit.
bool matmul_shape(std::vector<int64_t> a, std::vector<int64_t> b, std::vector<int64_t>* out) {
  if (a.empty() || b.empty()) return false;
  bool a_vec = a.size() == 1, b_vec = b.size() == 1;
  if (a_vec) a.insert(a.begin(), 1);
  if (b_vec) b.push_back(1);
  if (a.back() != b[b.size() - 2]) return false;
  std::vector<int64_t> batch;
  if (!broadcast(std::vector<int64_t>(a.begin(), a.end() - 2), std::vector<int64_t>(b.begin(), b.end() - 2), &batch))
    return false;
  *out = batch;
  if (!a_vec) out->push_back(a[a.size() - 2]);
  if (!b_vec) out->push_back(b.back());
  return true;
}

}  // namespace

void op_reduce(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* t = s.pool.arg(s.in, e);
  bool keepdim = s.in.coin();
  DimsArg dims = gen_dims(s.in, e, t, keepdim);
  tensor_dtype in_dt = t ? tensor_get_dtype(t) : TENSOR_FLOAT32;
  const char* call;
  tensor_status st;
  tensor_dtype want;
  if (s.in.one_in(3)) {  // var / std, floating only
    static const int64_t corrections[] = {1, 0, 2, -1, INT64_MAX, INT64_MIN};
    int64_t correction = s.in.pick(corrections);
    bool std_dev = s.in.coin();
    e.defect_if(t && !is_floating(in_dt), TENSOR_ERR_DTYPE);
    call = std_dev ? "tensor_std" : "tensor_var";
    st = (std_dev ? tensor_std : tensor_var)(po, t, dims.ptr(), dims.ndims, correction, keepdim);
    want = in_dt;
  } else {
    const ReduceCall& c = s.in.pick(kReduce);
    e.defect_if(t && c.kind == ReduceCall::kFloatingOnly && !is_floating(in_dt), TENSOR_ERR_DTYPE);
    call = c.name;
    st = c.fn(po, t, dims.ptr(), dims.ndims, keepdim);
    // all/any: bool, except uint8 stays uint8 (PyTorch's legacy rule); sums and products of integers
    // and bool: int64.
    want = c.kind == ReduceCall::kLogical ? (in_dt == TENSOR_UINT8 ? TENSOR_UINT8 : TENSOR_BOOL)
           : c.kind == ReduceCall::kSumLike && !is_floating(in_dt) ? TENSOR_INT64
                                                                     : in_dt;
  }
  tensor* r = result(call, e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(shape_of(r) == dims.expected, call, "result shape differs from the keepdim rule");
  FUZZ_REQUIRE(tensor_get_dtype(r) == want, call, "unexpected result dtype");
  s.pool.keep(s.in, r);
}

void op_extreme(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* t = s.pool.arg(s.in, e);
  if (t && tensor_numel(t) == 0) e.must_fail();  // max of an empty tensor
  bool is_max = s.in.coin();
  const char* call = is_max ? "tensor_max" : "tensor_min";
  tensor_status st = is_max ? tensor_max(po, t) : tensor_min(po, t);
  tensor* r = result(call, e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(tensor_ndim(r) == 0 && tensor_get_dtype(r) == tensor_get_dtype(t), call, "not a 0-d of the input dtype");
  s.pool.keep(s.in, r);
}

void op_extreme_dim(Session& s) {
  Expect e;
  // The call first: argmax/argmin have no indices out-parameter, so its defects must not be planted for
  // them (a harness bug the fuzzer found).
  uint32_t which = s.in.below(4);
  tensor* values = nullptr;
  tensor* indices = nullptr;
  tensor** pv = out_param(s.in, e, &values);
  tensor** pi = which < 2 ? out_param(s.in, e, &indices) : nullptr;
  tensor* t = s.pool.arg(s.in, e);
  std::vector<int64_t> shape = t ? shape_of(t) : std::vector<int64_t>{1};
  int32_t nd = static_cast<int32_t>(shape.size()), n = std::max(nd, 1);
  int32_t dim = s.in.dim(nd);
  bool keepdim = s.in.coin();
  bool dim_ok = in_range(dim, n);
  e.defect_if(!dim_ok, TENSOR_ERR_INDEX);
  std::vector<int64_t> expected = shape;
  if (dim_ok && nd > 0) {
    int32_t k = dim < 0 ? dim + n : dim;
    if (shape[k] == 0) e.must_fail();  // nothing to take the max of
    if (keepdim) expected[k] = 1;
    else expected.erase(expected.begin() + k);
  }
  if (which >= 2) {  // argmax / argmin: one out-parameter
    const char* call = which == 2 ? "tensor_argmax" : "tensor_argmin";
    tensor_status st = (which == 2 ? tensor_argmax : tensor_argmin)(pv, t, dim, keepdim);
    tensor* r = result(call, e, st, pv, values);
    if (!r) return;
    FUZZ_REQUIRE(shape_of(r) == expected && tensor_get_dtype(r) == TENSOR_INT64, call, "wrong shape or dtype");
    s.pool.keep(s.in, r);
    return;
  }
  const char* call = which == 0 ? "tensor_max_dim" : "tensor_min_dim";
  tensor_status st = (which == 0 ? tensor_max_dim : tensor_min_dim)(pv, pi, t, dim, keepdim);
  e.check(call, st);
  if (st != TENSOR_OK) {
    FUZZ_REQUIRE((!pv || values == nullptr) && (!pi || indices == nullptr), call, "out-parameters not NULL on failure");
    return;
  }
  check_tensor(call, values, kMaxKeep);
  check_tensor(call, indices, kMaxKeep);
  FUZZ_REQUIRE(shape_of(values) == expected && shape_of(indices) == expected, call, "wrong result shape");
  FUZZ_REQUIRE(tensor_get_dtype(values) == tensor_get_dtype(t) && tensor_get_dtype(indices) == TENSOR_INT64, call,
               "wrong result dtypes");
  s.pool.keep(s.in, values);
  s.pool.keep(s.in, indices);
}

void op_matmul(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* a = s.pool.arg(s.in, e);
  tensor* b = s.pool.arg(s.in, e);
  std::vector<int64_t> expected;
  if (a && b && !matmul_shape(shape_of(a), shape_of(b), &expected)) e.must_fail();
  tensor_status st = tensor_matmul(po, a, b);
  tensor* r = result("tensor_matmul", e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(shape_of(r) == expected, "tensor_matmul", "result shape differs from numpy.matmul's");
  s.pool.keep(s.in, r);
}

}  // namespace fuzz
