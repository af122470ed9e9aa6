// Fuzz operations for the indexing and mask calls: index_select, gather, scatter, scatter_add and
// index_add_ on a pool tensor with an int64 index built from the input (small, negative or extreme
// values, so the range check is hit often); masked_fill / masked_select with a bool mask of the tensor's
// shape or its last dims, nonzero, and one_hot of a built index. An index outside the dim's size or a dim
// out of range is a planted defect with status TENSOR_ERR_INDEX; index_add_ may also meet the in-place
// refusals, so its defects only require a failure.
#include <algorithm>
#include <cmath>
#include <cstddef>

#include "fuzz/fuzz_ops.h"

namespace fuzz {

namespace {

tensor* make_index(const std::vector<int64_t>& shape, Input& in, int64_t n, bool* bad) {
  int64_t count = 1;
  for (int64_t s : shape) count *= s;
  std::vector<int64_t> v(static_cast<size_t>(count) + 1);
  for (size_t i = 0; i + 1 < v.size(); ++i) {
    int64_t& x = v[i];
    x = in.one_in(4) ? in.index() : static_cast<int64_t>(in.u8()) % std::max<int64_t>(n, 1);
    if (x < 0 || x >= n) *bad = true;
  }
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = TENSOR_INT64;
  tensor* t = nullptr;
  if (tensor_from_data(&t, v.data(), shape.data(), static_cast<int32_t>(shape.size()), &o) != TENSOR_OK)
    fail("tensor_from_data", "cannot build an index");
  return t;
}

void op_one_hot(Session& s) {
  Expect e;
  bool bad = false;
  const std::vector<int64_t> ishape = {static_cast<int64_t>(s.in.u8() % 4)};
  std::vector<int64_t> vals(4, 0);
  tensor* index = make_index(ishape, s.in, 5, &bad);
  tensor_copy_to_host(index, vals.data(), static_cast<size_t>(ishape[0]) * sizeof(int64_t));
  int64_t lo = 0, hi = -1;
  for (int64_t i = 0; i < ishape[0]; ++i) {
    lo = std::min(lo, vals[static_cast<size_t>(i)]);
    hi = std::max(hi, vals[static_cast<size_t>(i)]);
  }
  const int64_t classes = s.in.one_in(2) ? -1 : static_cast<int64_t>(s.in.u8() % 8) - 1;
  e.defect_if(lo < 0 || (classes >= 0 && hi >= classes), TENSOR_ERR_INDEX);
  e.defect_if(ishape[0] == 0 && classes == -1, TENSOR_ERR_INVALID_ARGUMENT);
  if (classes == -1 && hi > 1000) {  // huge inferred class counts: too large to hold, or out of memory
    e.must_fail();
    e.may_run_out_of_memory();
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor_status st = tensor_one_hot(po, index, classes);
  tensor_free(index);
  tensor* r = result("tensor_one_hot", e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(tensor_ndim(r) == 2 && tensor_size(r, 0) == ishape[0], "tensor_one_hot", "result is not (n, C)");
  s.pool.keep(s.in, r);
}

}  // namespace

void op_mask(Session& s) {
  const uint8_t which = s.in.u8() % 4;
  if (which == 3) return op_one_hot(s);
  Expect e;
  tensor* a = s.pool.arg(s.in, e);
  if (a && tensor_numel(a) > kMaxKeep) return;  // expanded views: keep the work small
  const std::vector<int64_t> shape = a ? shape_of(a) : std::vector<int64_t>();
  const size_t drop = shape.empty() ? 0 : s.in.u8() % (shape.size() + 1);
  const std::vector<int64_t> mshape(shape.begin() + static_cast<std::ptrdiff_t>(drop), shape.end());
  int64_t count = 1;
  for (int64_t v : mshape) count *= v;
  std::vector<unsigned char> bits(static_cast<size_t>(count) + 1);
  for (unsigned char& b : bits) b = s.in.u8() & 1;
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = TENSOR_BOOL;
  tensor* mask = nullptr;
  if (tensor_from_data(&mask, bits.data(), mshape.data(), static_cast<int32_t>(mshape.size()), &o) != TENSOR_OK)
    fail("tensor_from_data", "cannot build a mask");
  const double value = s.in.real();
  if (a && which == 0) {  // values that do not fit the dtype are refused as for fill_
    if (!value_fits(value, tensor_get_dtype(a))) e.must_fail();
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor_status st;
  const char* call;
  switch (which) {
    case 0: call = "tensor_masked_fill"; st = tensor_masked_fill(po, a, mask, value); break;
    case 1: call = "tensor_masked_select"; st = tensor_masked_select(po, a, mask); break;
    default: call = "tensor_nonzero"; st = tensor_nonzero(po, a); break;
  }
  tensor_free(mask);
  tensor* r = result(call, e, st, po, out);
  if (!r) return;
  if (which == 0) FUZZ_REQUIRE(shape_of(r) == shape, call, "result shape differs from a's");
  if (which == 1) FUZZ_REQUIRE(tensor_ndim(r) == 1, call, "masked_select result is not 1-D");
  if (which == 2)
    FUZZ_REQUIRE(tensor_ndim(r) == 2 && tensor_size(r, 1) == static_cast<int64_t>(shape.size()), call,
                 "nonzero result is not (n, ndim)");
  s.pool.keep(s.in, r);
}

void op_index(Session& s) {
  Expect e;
  const uint8_t which = s.in.u8() % 5;
  tensor* a = s.pool.arg(s.in, e);
  if (a && tensor_numel(a) > kMaxKeep) return;  // expanded views: keep the work small
  const std::vector<int64_t> ashape = a ? shape_of(a) : std::vector<int64_t>();
  const DimArg da = decode_dim(s, e, a, ashape);
  const int32_t dim = da.dim, d = da.d;
  const int64_t n = da.n;
  const int64_t k = s.in.u8() % 4;
  bool bad = false;
  std::vector<int64_t> ishape;
  if (which == 0 || which == 4) {
    ishape = {k};
  } else {
    ishape = ashape;
    if (!ishape.empty()) ishape[static_cast<size_t>(d)] = k;
  }
  tensor* index = make_index(ishape, s.in, n, &bad);
  e.defect_if(a && bad, TENSOR_ERR_INDEX);
  std::vector<int64_t> sshape = which == 4 ? ashape : ishape;
  if (which == 4 && !sshape.empty()) sshape[static_cast<size_t>(d)] = k;
  if (which == 4 && sshape.empty()) sshape = {k};
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = a ? tensor_get_dtype(a) : TENSOR_FLOAT32;
  tensor* src = nullptr;
  if (tensor_ones(&src, sshape.data(), static_cast<int32_t>(sshape.size()), &o) != TENSOR_OK)
    fail("tensor_ones", "cannot build a source");
  if (which == 4) {
    Expect ea;  // in place: the leaf / overlap / read-only refusals may come first
    if (e.any()) ea.must_fail();
    const double alpha = s.in.one_in(2) ? 1.0 : 0.5;
    ea.check("tensor_index_add_", tensor_index_add_(a, dim, index, src, alpha));
    tensor_free(index);
    tensor_free(src);
    return;
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor_status st;
  const char* call;
  std::vector<int64_t> want = ishape;
  switch (which) {
    case 0:
      call = "tensor_index_select";
      st = tensor_index_select(po, a, dim, index);
      want = ashape.empty() ? ishape : ashape;  // a 0-d input gives the index's shape
      if (!ashape.empty()) want[static_cast<size_t>(d)] = k;
      break;
    case 1: call = "tensor_gather"; st = tensor_gather(po, a, dim, index); break;
    case 2: call = "tensor_scatter"; st = tensor_scatter(po, a, dim, index, src); want = ashape; break;
    default: call = "tensor_scatter_add"; st = tensor_scatter_add(po, a, dim, index, src); want = ashape; break;
  }
  tensor_free(index);
  tensor_free(src);
  tensor* r = result(call, e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(shape_of(r) == want, call, "result shape differs from PyTorch's");
  FUZZ_REQUIRE(tensor_get_dtype(r) == tensor_get_dtype(a), call, "result dtype differs from the input's");
  s.pool.keep(s.in, r);
}

}  // namespace fuzz
