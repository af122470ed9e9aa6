// Shape and view calls under fuzzing. The harness predicts each result's shape (PyTorch's rules) and
// plants invalid dims, sizes and lists.
#include <algorithm>

#include "fuzz/fuzz_ops.h"

namespace fuzz {

namespace {

bool in_range(int64_t d, int64_t n) { return d >= -n && d < n; }
int32_t norm(int32_t d, int32_t n) { return d < 0 ? d + n : d; }
// Valid dims of a tensor: PyTorch lets a 0-d tensor take dim 0 or -1.
int32_t dim_range(const tensor* t) { return std::max(tensor_ndim(t), 1); }

void require_shape(const char* call, const tensor* r, const std::vector<int64_t>& expected) {
  FUZZ_REQUIRE(shape_of(r) == expected, call, "result shape differs from PyTorch's rule");
}

// A shape with the same element count as a tensor of `n` elements (sometimes with a -1), or a random
// one.
std::vector<int64_t> reshape_target(Input& in, int64_t n) {
  std::vector<int64_t> dims;
  int32_t k = static_cast<int32_t>(in.below(5));
  if (in.one_in(4)) {
    for (int32_t i = 0; i < k; ++i) dims.push_back(in.one_in(6) ? -1 : in.size());
    return dims;
  }
  int64_t rest = n;
  for (int32_t i = 0; i + 1 < k; ++i) {
    static const int64_t divisors[] = {1, 2, 3, 4, 5, 1};
    int64_t d = in.pick(divisors);
    if (rest == 0) d = in.coin() ? 0 : d;
    else if (rest % d != 0) d = 1;
    dims.push_back(d);
    if (d) rest /= d;
  }
  if (k > 0) dims.push_back(rest);
  if (k > 0 && in.one_in(3)) dims[in.below(k)] = -1;
  return dims;
}

}  // namespace

void op_reshape(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* t = s.pool.arg(s.in, e);
  int64_t n = t ? tensor_numel(t) : 1;
  std::vector<int64_t> dims = reshape_target(s.in, n);
  int32_t ndim = static_cast<int32_t>(dims.size());
  bool null_dims = ndim > 0 && s.in.one_in(64);
  e.defect_if(null_dims, TENSOR_ERR_INVALID_ARGUMENT);
  int64_t inferred = std::count(dims.begin(), dims.end(), int64_t(-1));
  bool negative = std::any_of(dims.begin(), dims.end(), [](int64_t d) { return d < -1; });
  int64_t known = 1;
  bool overflow = false;
  for (int64_t d : dims)
    if (d >= 0 && __builtin_mul_overflow(known, d, &known)) overflow = true;
  bool zero = std::find(dims.begin(), dims.end(), int64_t(0)) != dims.end();
  if (zero) known = 0, overflow = false;
  if (negative || inferred > 1) e.must_fail();
  else if (inferred == 0 && t && (overflow || known != n)) e.must_fail();
  else if (inferred == 1 && t && (known == 0 || overflow || n % known != 0)) e.must_fail();
  tensor_status st = tensor_reshape(po, t, null_dims ? nullptr : dims.data(), ndim);
  tensor* r = result("tensor_reshape", e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(tensor_numel(r) == n, "tensor_reshape", "element count changed");
  if (inferred == 0) require_shape("tensor_reshape", r, dims);
  s.pool.keep(s.in, r);
}

void op_permute(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* t = s.pool.arg(s.in, e);
  int32_t nd = t ? tensor_ndim(t) : 2;
  std::vector<int32_t> dims;
  if (s.in.one_in(4)) {  // anything: wrong count, duplicates, out of range
    int32_t k = static_cast<int32_t>(s.in.below(5));
    for (int32_t i = 0; i < k; ++i) dims.push_back(s.in.dim(nd));
  } else {  // a permutation, written with negative dims now and then
    for (int32_t i = 0; i < nd; ++i) dims.push_back(i);
    for (int32_t i = nd - 1; i > 0; --i) std::swap(dims[i], dims[s.in.below(i + 1)]);
    for (int32_t& d : dims)
      if (s.in.one_in(4)) d -= nd;
  }
  int32_t k = static_cast<int32_t>(dims.size());
  std::vector<bool> seen(static_cast<size_t>(std::max(nd, 1)), false);
  bool valid = k == nd;
  for (int32_t d : dims) {
    if (!in_range(d, nd) || seen[norm(d, nd)]) {
      valid = false;
      break;
    }
    seen[norm(d, nd)] = true;
  }
  if (!valid) e.must_fail();
  bool null_dims = k > 0 && s.in.one_in(64);
  e.defect_if(null_dims, TENSOR_ERR_INVALID_ARGUMENT);
  tensor_status st = tensor_permute(po, t, null_dims ? nullptr : dims.data(), k);
  tensor* r = result("tensor_permute", e, st, po, out);
  if (!r) return;
  std::vector<int64_t> in_shape = shape_of(t), expected;
  for (int32_t d : dims) expected.push_back(in_shape[norm(d, nd)]);
  require_shape("tensor_permute", r, expected);
  s.pool.keep(s.in, r);
}

void op_transpose(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* t = s.pool.arg(s.in, e);
  int32_t n = t ? dim_range(t) : 2;
  int32_t d0 = s.in.dim_in(n), d1 = s.in.dim_in(n);
  e.defect_if(!in_range(d0, n) || !in_range(d1, n), TENSOR_ERR_INDEX);
  tensor_status st = tensor_transpose(po, t, d0, d1);
  tensor* r = result("tensor_transpose", e, st, po, out);
  if (!r) return;
  std::vector<int64_t> expected = shape_of(t);
  if (!expected.empty()) std::swap(expected[norm(d0, n)], expected[norm(d1, n)]);
  require_shape("tensor_transpose", r, expected);
  s.pool.keep(s.in, r);
}

void op_expand(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* t = s.pool.arg(s.in, e);
  std::vector<int64_t> src = t ? shape_of(t) : std::vector<int64_t>{1};
  int32_t lead = static_cast<int32_t>(s.in.below(3));
  if (!src.empty() && s.in.one_in(16)) lead = -1;  // one dim too few
  std::vector<int64_t> req, expected;
  bool valid = lead >= 0;
  for (int32_t i = 0; i < lead; ++i) {
    int64_t v = s.in.one_in(16) ? -1 : s.in.size();
    valid = valid && v >= 0;
    req.push_back(v);
    expected.push_back(v);
  }
  for (size_t i = lead < 0 ? 1 : 0; i < src.size(); ++i) {
    int64_t v = src[i] == 1 ? (s.in.coin() ? s.in.size() : -1) : (s.in.one_in(8) ? s.in.size() : -1);
    if (s.in.one_in(4)) v = src[i];
    bool ok = v == -1 || v == src[i] || (src[i] == 1 && v >= 0);
    valid = valid && ok;
    req.push_back(v);
    expected.push_back(v == -1 ? src[i] : v);
  }
  int64_t numel = numel_of(expected.data(), static_cast<int32_t>(expected.size()));
  if (!valid || numel < 0) e.must_fail();
  int32_t ndim = static_cast<int32_t>(req.size());
  tensor_status st = tensor_expand(po, t, req.data(), ndim);
  tensor* r = result("tensor_expand", e, st, po, out);
  if (!r) return;
  require_shape("tensor_expand", r, expected);
  s.pool.keep(s.in, r);
}

void op_squeeze(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* t = s.pool.arg(s.in, e);
  std::vector<int64_t> expected = t ? shape_of(t) : std::vector<int64_t>();
  int32_t nd = static_cast<int32_t>(expected.size());
  const char* call;
  tensor_status st;
  switch (s.in.below(3)) {
    case 0: {
      int32_t n = std::max(nd, 1);
      int32_t d = s.in.dim_in(n);
      e.defect_if(!in_range(d, n), TENSOR_ERR_INDEX);
      if (nd > 0 && in_range(d, n) && expected[norm(d, n)] == 1) expected.erase(expected.begin() + norm(d, n));
      call = "tensor_squeeze";
      st = tensor_squeeze(po, t, d);
      break;
    }
    case 1:
      expected.erase(std::remove(expected.begin(), expected.end(), int64_t(1)), expected.end());
      call = "tensor_squeeze_all";
      st = tensor_squeeze_all(po, t);
      break;
    default: {
      int32_t n = nd + 1;
      int32_t d = s.in.dim_in(n);
      e.defect_if(!in_range(d, n), TENSOR_ERR_INDEX);
      if (in_range(d, n)) expected.insert(expected.begin() + norm(d, n), 1);
      call = "tensor_unsqueeze";
      st = tensor_unsqueeze(po, t, d);
      break;
    }
  }
  tensor* r = result(call, e, st, po, out);
  if (!r) return;
  require_shape(call, r, expected);
  s.pool.keep(s.in, r);
}

void op_slice(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* t = s.pool.arg(s.in, e);
  std::vector<int64_t> expected = t ? shape_of(t) : std::vector<int64_t>{1};
  int32_t nd = static_cast<int32_t>(expected.size());
  int32_t d = s.in.dim(nd);
  int64_t start = s.in.index(), end = s.in.coin() ? s.in.index() : INT64_MAX;
  static const int64_t steps[] = {1, 1, 1, 2, 3, 0, -1, INT64_MAX, INT64_MIN, 1000};
  int64_t step = s.in.pick(steps);
  if (nd == 0) e.must_fail();  // slice() cannot be applied to a 0-dim tensor
  e.defect_if(nd > 0 && !in_range(d, nd), TENSOR_ERR_INDEX);
  if (step <= 0) e.must_fail();
  tensor_status st = tensor_slice(po, t, d, start, end, step);
  tensor* r = result("tensor_slice", e, st, po, out);
  if (!r) return;
  // Python slice semantics: negative bounds count from the end, then both clamp to [0, size].
  int64_t size = expected[norm(d, nd)];
  auto clamp = [size](int64_t v) {
    if (v < 0) v += size;  // no overflow: v < 0 <= size
    return v < 0 ? 0 : v > size ? size : v;
  };
  int64_t b = clamp(start), f = clamp(end);
  expected[norm(d, nd)] = f > b ? (f - b - 1) / step + 1 : 0;
  require_shape("tensor_slice", r, expected);
  s.pool.keep(s.in, r);
}

void op_select(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* t = s.pool.arg(s.in, e);
  std::vector<int64_t> expected = t ? shape_of(t) : std::vector<int64_t>{1};
  int32_t nd = static_cast<int32_t>(expected.size());
  int32_t d = s.in.dim(nd);
  int64_t index = s.in.index();
  if (nd == 0) e.must_fail();  // select() cannot be applied to a 0-dim tensor
  bool dim_ok = nd > 0 && in_range(d, nd);
  e.defect_if(nd > 0 && !dim_ok, TENSOR_ERR_INDEX);
  e.defect_if(dim_ok && !in_range(index, expected[norm(d, nd)]), TENSOR_ERR_INDEX);
  tensor_status st = tensor_select(po, t, d, index);
  tensor* r = result("tensor_select", e, st, po, out);
  if (!r) return;
  expected.erase(expected.begin() + norm(d, nd));
  require_shape("tensor_select", r, expected);
  s.pool.keep(s.in, r);
}

void op_copy_like(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* t = s.pool.arg(s.in, e);
  uint32_t which = s.in.below(3);
  static const char* const names[] = {"tensor_contiguous", "tensor_clone", "tensor_detach"};
  tensor_status st = which == 0 ? tensor_contiguous(po, t) : which == 1 ? tensor_clone(po, t) : tensor_detach(po, t);
  tensor* r = result(names[which], e, st, po, out);
  if (!r) return;
  require_shape(names[which], r, shape_of(t));
  FUZZ_REQUIRE(tensor_get_dtype(r) == tensor_get_dtype(t), names[which], "dtype changed");
  if (which < 2) FUZZ_REQUIRE(tensor_is_contiguous(r), names[which], "result is not contiguous");
  if (which == 1) FUZZ_REQUIRE(tensor_numel(r) == 0 || tensor_data(r) != tensor_data(t), names[which], "clone shares memory");
  if (which == 2)
    FUZZ_REQUIRE(!tensor_requires_grad(r) && tensor_is_leaf(r), names[which], "a detached tensor is in the graph");
  s.pool.keep(s.in, r);
}

void op_join(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  int32_t n = static_cast<int32_t>(s.in.below(5));
  e.defect_if(n == 0, TENSOR_ERR_INVALID_ARGUMENT);
  std::vector<const tensor*> list(static_cast<size_t>(n) + 1, nullptr);
  for (int32_t i = 0; i < n; ++i) list[i] = s.pool.arg(s.in, e);
  bool null_list = s.in.one_in(64);
  e.defect_if(null_list && n > 0, TENSOR_ERR_INVALID_ARGUMENT);
  bool stack = s.in.coin();
  int32_t nd0 = list[0] ? tensor_ndim(list[0]) : 1;
  int32_t d = stack ? s.in.dim_in(nd0 + 1) : s.in.dim(nd0);
  const char* call = stack ? "tensor_stack" : "tensor_cat";
  tensor_status st = stack ? tensor_stack(po, null_list ? nullptr : list.data(), n, d)
                           : tensor_cat(po, null_list ? nullptr : list.data(), n, d);
  tensor* r = result(call, e, st, po, out);
  if (!r) return;
  int64_t total = 0;
  for (int32_t i = 0; i < n; ++i) total += tensor_numel(list[i]);
  FUZZ_REQUIRE(tensor_numel(r) == total, call, "element count is not the sum of the inputs'");
  if (stack) {
    FUZZ_REQUIRE(tensor_ndim(r) == nd0 + 1, call, "stack did not add one dim");
    FUZZ_REQUIRE(tensor_shape(r)[norm(d, nd0 + 1)] == n, call, "stacked dim is not n");
  }
  s.pool.keep(s.in, r);
}

void op_convert(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* t = s.pool.arg(s.in, e);
  bool device = s.in.one_in(4);
  const char* call = device ? "tensor_to_device" : "tensor_to_dtype";
  int32_t dt = t ? tensor_get_dtype(t) : TENSOR_FLOAT32;
  tensor_status st;
  if (device) {
    st = tensor_to_device(po, t, gen_device(s.in, e));
  } else {
    dt = gen_dtype(s.in, e);
    st = fuzz_to_dtype(po, t, dt);
  }
  tensor* r = result(call, e, st, po, out);
  if (!r) return;
  require_shape(call, r, shape_of(t));
  FUZZ_REQUIRE(tensor_get_dtype(r) == dt, call, "wrong dtype");
  s.pool.keep(s.in, r);
}

}  // namespace fuzz

namespace fuzz {

// Hostile shapes built from cheap views: cat of expanded (stride-0) views whose sizes along the cat dim
// sum past INT64_MAX (the sum once wrapped, a small result was allocated and the copy overflowed it),
// and shapes around the maximum rank (a 40,000-dim tensor once overflowed the printer's stack).
void op_hostile_shape(Session& s) {
  if (s.in.coin()) {
    Expect e;
    tensor* out;
    tensor** po = out_param(s.in, e, &out);
    static const int64_t huge[] = {int64_t(1) << 61, int64_t(1) << 62, INT64_MAX / 2 + 1, INT64_MAX - 1,
                                   INT64_MAX, INT64_MAX / 3};
    const int64_t size = s.in.pick(huge);
    const int32_t n = 2 + static_cast<int32_t>(s.in.below(3));
    const bool leading = s.in.coin();  // the cat dim in front of a size-1 dim, or alone
    int64_t one[] = {1, 1};
    tensor* base = nullptr;
    if (tensor_zeros(&base, one, leading ? 2 : 1, nullptr) != TENSOR_OK) fail("tensor_zeros", "tiny tensor failed");
    int64_t shape[] = {size, 1};
    tensor* big = nullptr;
    if (tensor_expand(&big, base, shape, leading ? 2 : 1) != TENSOR_OK) fail("tensor_expand", "expand of [1] failed");
    tensor_free(base);
    std::vector<const tensor*> list(static_cast<size_t>(n), big);
    int64_t total = 0;
    bool overflow = false;
    for (int32_t i = 0; i < n; ++i) overflow = overflow || __builtin_add_overflow(total, size, &total);
    if (overflow) e.defect(TENSOR_ERR_SHAPE);
    else e.may_run_out_of_memory();  // a real allocation of that many elements
    tensor_status st = tensor_cat(po, list.data(), n, 0);
    tensor_free(big);
    tensor* r = result("tensor_cat", e, st, po, out);
    if (r) s.pool.keep(s.in, r);  // only with a library that can allocate exabytes
    return;
  }
  // Ranks at and past the limit, from the creation calls and from the views that add a dim.
  static const int32_t ranks[] = {TENSOR_MAX_NDIM - 1, TENSOR_MAX_NDIM, TENSOR_MAX_NDIM + 1, 100, 5000, 40000};
  const int32_t nd = s.in.pick(ranks);
  std::vector<int64_t> shape(static_cast<size_t>(nd), 1);
  if (s.in.coin()) shape[s.in.below(static_cast<uint32_t>(nd))] = 2;
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  e.defect_if(nd > TENSOR_MAX_NDIM, TENSOR_ERR_SHAPE);
  tensor_status st = tensor_zeros(po, shape.data(), nd, nullptr);
  tensor* r = result("tensor_zeros", e, st, po, out);
  if (!r) return;
  char buf[64];
  if (tensor_format(r, buf, sizeof(buf)) <= 0) fail("tensor_format", "no text for a deep tensor");
  Expect e2;
  e2.defect_if(nd + 1 > TENSOR_MAX_NDIM, TENSOR_ERR_SHAPE);
  tensor* u = nullptr;
  st = tensor_unsqueeze(&u, r, 0);
  tensor* ru = result("tensor_unsqueeze", e2, st, &u, u);
  tensor_free(ru);
  Expect e3;
  e3.defect_if(nd + 1 > TENSOR_MAX_NDIM, TENSOR_ERR_SHAPE);
  shape.push_back(1);
  tensor* v = nullptr;
  st = tensor_reshape(&v, r, shape.data(), nd + 1);
  tensor* rv = result("tensor_reshape", e3, st, &v, v);
  tensor_free(rv);
  s.pool.keep(s.in, r);
}

}  // namespace fuzz
