// Advanced indexing through the C API (tensor_index, tensor_index_put_): exact values (from torch 1.13)
// for the placement rules, masks, broadcasting, negative indices, NULL entries, 0-d and empty indices,
// non-contiguous sources and every dtype; statuses and messages; in-place failure atomicity; grads and
// grad_fn names. Differential coverage against torch: tests/python/test_advanced_index_torch.py.
#include <string>
#include <vector>

#include "tensor/tensor.hpp"
#include "test_util.h"

namespace {

using Shape = std::vector<int64_t>;
using Ints = std::vector<int64_t>;

Handle idx(const Ints& v, const Shape& shape) { return make<int64_t>(v, shape); }
Handle idx(const Ints& v) { return make<int64_t>(v, {static_cast<int64_t>(v.size())}); }

// arange(numel) of `shape` in dtype T.
template <typename T = float>
Handle iota(const Shape& shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  std::vector<T> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<T>(i);
  return make<T>(v, shape);
}

tensor_status index_of(Handle* out, const tensor* a, const std::vector<const tensor*>& ix) {
  return tensor_index(out->out(), a, ix.data(), static_cast<int32_t>(ix.size()));
}

// a[ix...] must have `shape` and the integer values `want`.
void check_index(const tensor* a, const std::vector<const tensor*>& ix, const Shape& shape, const Ints& want) {
  Handle out;
  REQUIRE_OK(index_of(&out, a, ix));
  CHECK(shape_of(out) == shape);
  CHECK(values<int64_t>(out) == want);
}

tensor_status put(const tensor* t, const std::vector<const tensor*>& ix, const tensor* v, bool acc) {
  return tensor_index_put_(const_cast<tensor*>(t), ix.data(), static_cast<int32_t>(ix.size()), v, acc);
}

void require_status(tensor_status st, tensor_status want, const std::vector<std::string>& words) {
  INFO(tensor_last_error());
  REQUIRE(st == want);
  const std::string msg = tensor_last_error();
  for (const std::string& w : words) CHECK(msg.find(w) != std::string::npos);
}

Handle mask(const std::vector<bool>& v, const Shape& shape) {
  std::vector<bool> copy = v;
  return make<bool>(copy, shape);
}

std::vector<double> grad_of(const tensor* t) {
  Handle g;
  REQUIRE_OK(tensor_grad(g.out(), t));
  REQUIRE(g.get() != nullptr);
  return values<double>(g);
}

// sum(out * w) backward, w = arange(numel) + offset of out's shape (float64).
void backward_weighted(const tensor* out, double offset) {
  Handle w0 = iota<double>(shape_of(out)), w, prod, s;
  REQUIRE_OK(tensor_add_scalar(w.out(), w0, offset));
  REQUIRE_OK(tensor_mul(prod.out(), out, w));
  REQUIRE_OK(tensor_sum(s.out(), prod, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
}

bool has_grad_fn(const tensor* t, const std::string& name) {
  return format_of(t).find("grad_fn=<" + name + ">") != std::string::npos;
}

}  // namespace

TEST_CASE("index: integer indices on the leading dims keep the result's dims in place") {
  Handle a = iota({2, 3, 4});
  Handle i10 = idx({1, 0}), i01 = idx({0, 1}), i12 = idx({1, 2}), i02 = idx({0, 2}), i13 = idx({1, 3});
  check_index(a, {i10}, {2, 3, 4}, {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  check_index(a, {i01, i12}, {2, 4}, {4, 5, 6, 7, 20, 21, 22, 23});
  // a NULL entry is ':'; adjacent indexed dims after it stay where the first of them was
  Handle i20 = idx({2, 0});
  check_index(a, {nullptr, i20}, {2, 2, 4}, {8, 9, 10, 11, 0, 1, 2, 3, 20, 21, 22, 23, 12, 13, 14, 15});
  check_index(a, {nullptr, i02, i13}, {2, 2}, {1, 11, 13, 23});
}

TEST_CASE("index: indexed dims separated by a NULL entry go first") {
  Handle a = iota({2, 3, 4});
  Handle i01 = idx({0, 1}), i13 = idx({1, 3});
  check_index(a, {i01, nullptr, i13}, {2, 3}, {1, 5, 9, 15, 19, 23});
  // broadcast (2, 1) with (3): the index shape (2, 3) comes first, then the whole dim 1
  Handle col = idx({0, 1}, {2, 1}), row = idx({1, 3, 0});
  check_index(a, {col, nullptr, row}, {2, 3, 3}, {1, 5, 9, 3, 7, 11, 0, 4, 8, 13, 17, 21, 15, 19, 23, 12, 16, 20});
  // a 0-d index still counts as an indexed dim: a[[1], :, 2] is (1, 3)
  Handle one = idx({1}), two = idx({2}, {});
  check_index(a, {one, nullptr, two}, {1, 3}, {14, 18, 22});
}

TEST_CASE("index: negative indices wrap, 0-d and empty indices, int32 indices") {
  Handle a = iota({2, 3, 4});
  Handle m1 = idx({-1}), m3 = idx({-3});
  check_index(a, {m1, m3}, {1, 4}, {12, 13, 14, 15});
  Handle z = idx({1}, {});
  check_index(a, {z}, {3, 4}, {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23});
  Handle e = idx({}, {0});
  check_index(a, {e}, {0, 3, 4}, {});
  Handle e2 = idx({}, {0});
  check_index(a, {nullptr, e2, idx({}, {0})}, {2, 0}, {});
  Handle i32 = make<int32_t>({1, -4}, {2});
  check_index(a, {nullptr, nullptr, i32}, {2, 3, 2},
              {1, 0, 5, 4, 9, 8, 13, 12, 17, 16, 21, 20});
}

TEST_CASE("index: bool masks stand for their nonzero coordinates") {
  Handle a = iota({2, 3, 4});
  Handle m23 = mask({true, false, true, false, false, true}, {2, 3});
  check_index(a, {m23}, {3, 4}, {0, 1, 2, 3, 8, 9, 10, 11, 20, 21, 22, 23});
  Handle m3 = mask({false, true, true}, {3});
  check_index(a, {nullptr, m3}, {2, 2, 4}, {4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23});
  std::vector<bool> v34(12, false);
  v34[1] = v34[4] = v34[11] = true;
  Handle m34 = mask(v34, {3, 4});
  check_index(a, {nullptr, m34}, {2, 3}, {1, 4, 11, 13, 16, 23});
  // a mask and an index broadcast together: (1, 1), (0, 2) pairs
  Handle i10 = idx({1, 0});
  check_index(a, {i10, m3}, {2, 4}, {16, 17, 18, 19, 8, 9, 10, 11});
  Handle i03 = idx({0, 3});
  check_index(a, {nullptr, m3, i03}, {2, 2}, {4, 11, 16, 23});
  // 0-d bools add a dim of size 1 or 0
  Handle t = make<bool>({true}, {}), f = make<bool>({false}, {});
  Handle out;
  REQUIRE_OK(index_of(&out, a, {t}));
  CHECK(shape_of(out) == Shape{1, 2, 3, 4});
  CHECK(values<int64_t>(out)[23] == 23);
  REQUIRE_OK(index_of(&out, a, {f}));
  CHECK(shape_of(out) == Shape{0, 2, 3, 4});
  // a 0-d tensor indexed by a 0-d bool
  Handle s = make<float>({7}, {});
  REQUIRE_OK(index_of(&out, s, {t}));
  CHECK(shape_of(out) == Shape{1});
  CHECK(values<float>(out) == std::vector<float>{7});
}

TEST_CASE("index: no index tensors gives a copy; non-contiguous sources") {
  Handle a = iota({2, 3, 4});
  Handle out;
  REQUIRE_OK(index_of(&out, a, {}));
  CHECK(shape_of(out) == Shape{2, 3, 4});
  CHECK(values<int64_t>(out)[5] == 5);
  REQUIRE_OK(index_of(&out, a, {nullptr, nullptr}));
  CHECK(shape_of(out) == Shape{2, 3, 4});
  Handle at;
  REQUIRE_OK(tensor_transpose(at.out(), a, 0, 2));  // (4, 3, 2)
  Handle i30 = idx({3, 0}), i11 = idx({1, 1});
  check_index(at, {i30, nullptr, i11}, {2, 3}, {15, 19, 23, 12, 16, 20});
}

TEST_CASE("index: every dtype") {
  Handle i = idx({2, 0, 2});
  SECTION("float32") { check_index(iota<float>({3, 2}), {i}, {3, 2}, {4, 5, 0, 1, 4, 5}); }
  SECTION("float64") { check_index(iota<double>({3, 2}), {i}, {3, 2}, {4, 5, 0, 1, 4, 5}); }
  SECTION("int32") { check_index(iota<int32_t>({3, 2}), {i}, {3, 2}, {4, 5, 0, 1, 4, 5}); }
  SECTION("int64") { check_index(iota<int64_t>({3, 2}), {i}, {3, 2}, {4, 5, 0, 1, 4, 5}); }
  SECTION("bool") {
    Handle b = mask({false, true, true, false, true, true}, {3, 2});
    Handle out;
    REQUIRE_OK(index_of(&out, b, {nullptr, idx({1})}));
    CHECK(tensor_get_dtype(out) == TENSOR_BOOL);
    CHECK(values<int64_t>(out) == Ints{1, 0, 1});
  }
}

TEST_CASE("index: errors name the value, the dim and the bound") {
  Handle a = iota({2, 3, 4});
  Handle out;
  Handle big = idx({0, 3});
  require_status(index_of(&out, a, {nullptr, big}), TENSOR_ERR_INDEX,
                 {"tensor_index", "index 3 is out of bounds for dimension 1 with size 3"});
  CHECK(out.get() == nullptr);
  Handle neg = idx({-5});
  require_status(index_of(&out, a, {nullptr, nullptr, neg}), TENSOR_ERR_INDEX,
                 {"index -5 is out of bounds for dimension 2 with size 4"});
  Handle fl = make<float>({0}, {1});
  require_status(index_of(&out, a, {fl}), TENSOR_ERR_DTYPE, {"float32"});
  Handle i0 = idx({0});
  require_status(index_of(&out, a, {i0, i0, i0, i0}), TENSOR_ERR_INDEX,
                 {"too many indices for tensor of dimension 3"});
  Handle m = mask({true, false}, {2});
  require_status(index_of(&out, a, {nullptr, m}), TENSOR_ERR_INDEX,
                 {"shape of the mask [2] at index 0", "[2, 3, 4] at index 1"});
  Handle m2 = mask({true, false, true, true}, {2, 2});
  require_status(index_of(&out, a, {m2}), TENSOR_ERR_INDEX, {"mask [2, 2]"});
  Handle p = idx({0, 1}), q = idx({0, 1, 2});
  require_status(index_of(&out, a, {p, q}), TENSOR_ERR_INDEX,
                 {"could not be broadcast together with shapes [2], [3]"});
  require_status(tensor_index(out.out(), a, nullptr, 1), TENSOR_ERR_INVALID_ARGUMENT, {"indices is NULL"});
  const tensor* one[] = {i0};
  require_status(tensor_index(out.out(), a, one, -1), TENSOR_ERR_INVALID_ARGUMENT, {"nindices"});
  require_status(tensor_index(out.out(), nullptr, one, 1), TENSOR_ERR_INVALID_ARGUMENT, {"'a'"});
  require_status(tensor_index(nullptr, a, one, 1), TENSOR_ERR_INVALID_ARGUMENT, {"out"});
  // an index into an empty dim is out of range
  Handle e = iota({0, 3});
  require_status(index_of(&out, e, {i0}), TENSOR_ERR_INDEX, {"index 0 is out of bounds for dimension 0 with size 0"});
}

TEST_CASE("index_put_: writes, accumulates, broadcasts values") {
  Handle t = make<float>(std::vector<float>(12, 0.f), {3, 4});
  Handle r = idx({0, 2}), c = idx({1, 3});
  Handle v = make<float>({5, 6}, {2});
  REQUIRE_OK(put(t, {r, c}, v, false));
  CHECK(values<int64_t>(t) == Ints{0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6});

  Handle t2 = make<float>(std::vector<float>(12, 0.f), {3, 4});
  Handle dup = idx({2, 0, 2});
  Handle rows = make<float>({1, 2, 3, 4}, {4});  // broadcast over the 3 indexed rows
  REQUIRE_OK(put(t2, {dup}, rows, true));
  CHECK(values<int64_t>(t2) == Ints{1, 2, 3, 4, 0, 0, 0, 0, 2, 4, 6, 8});

  Handle t3 = make<float>(std::vector<float>(12, 0.f), {3, 4});
  Handle cols = idx({-1, 0, -1});
  Handle col_v = make<float>({1, 2, 3}, {3, 1});
  REQUIRE_OK(put(t3, {nullptr, cols}, col_v, true));
  CHECK(values<int64_t>(t3) == Ints{1, 0, 0, 2, 2, 0, 0, 4, 3, 0, 0, 6});

  Handle t4 = make<float>(std::vector<float>(24, 0.f), {2, 3, 4});
  Handle i01 = idx({0, 1}), i30 = idx({3, 0});
  Handle v3 = make<float>({1, 2, 3}, {3});
  REQUIRE_OK(put(t4, {i01, nullptr, i30}, v3, false));  // result (2, 3): separated dims first
  CHECK(values<int64_t>(t4) == Ints{0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0});
}

TEST_CASE("index_put_: masks, last write wins without accumulate, bool accumulate, non-contiguous t") {
  Handle t = iota({3, 4});
  Handle seven = make<float>({6}, {}), gt;
  REQUIRE_OK(tensor_gt(gt.out(), t, seven));
  Handle minus = make<float>({-1}, {});
  REQUIRE_OK(put(t, {gt}, minus, false));
  CHECK(values<int64_t>(t) == Ints{0, 1, 2, 3, 4, 5, 6, -1, -1, -1, -1, -1});

  Handle z = make<float>({0, 0, 0}, {3});
  Handle dup = idx({1, 1, 1});
  Handle v = make<float>({1, 2, 3}, {3});
  REQUIRE_OK(put(z, {dup}, v, false));
  CHECK(values<float>(z) == std::vector<float>{0, 3, 0});

  Handle b = mask({false, false, false}, {3});
  Handle bi = idx({0, 0, 2});
  Handle bv = mask({false, true, false}, {3});
  REQUIRE_OK(put(b, {bi}, bv, true));
  CHECK(values<int64_t>(b) == Ints{1, 0, 0});
  CHECK(tensor_get_dtype(b) == TENSOR_BOOL);

  // through a transposed view: the base is written
  Handle base = make<int64_t>(std::vector<int64_t>(6, 0), {2, 3}), view;
  REQUIRE_OK(tensor_transpose(view.out(), base, 0, 1));  // (3, 2)
  Handle r = idx({2, 0}), c = idx({1, 0});
  Handle iv = make<int64_t>({7, 9}, {2});
  REQUIRE_OK(put(view, {r, c}, iv, false));
  CHECK(values<int64_t>(base) == Ints{9, 0, 0, 0, 0, 7});

  // int32 tensor, accumulate
  Handle i32 = make<int32_t>({1, 1}, {2});
  Handle one = make<int32_t>({5}, {});
  Handle dst = make<int32_t>({0, 0}, {2});
  REQUIRE_OK(put(dst, {i32}, one, true));
  CHECK(values<int64_t>(dst) == Ints{0, 10});
}

TEST_CASE("index_put_: errors leave t untouched") {
  Handle t = make<float>({1, 1, 1}, {3});
  Handle bad = idx({0, 3});
  Handle v = make<float>({5, 6}, {2});
  require_status(put(t, {bad}, v, true), TENSOR_ERR_INDEX,
                 {"tensor_index_put_", "index 3 is out of bounds for dimension 0 with size 3"});
  CHECK(values<float>(t) == std::vector<float>{1, 1, 1});
  Handle ok = idx({0, 1});
  Handle vd = make<double>({5, 6}, {2});
  require_status(put(t, {ok}, vd, false), TENSOR_ERR_DTYPE, {"float32", "float64"});
  Handle v3 = make<float>({5, 6, 7}, {3});
  require_status(put(t, {ok}, v3, false), TENSOR_ERR_SHAPE, {"value tensor of shape [3]", "result of shape [2]"});
  require_status(tensor_index_put_(t, nullptr, 1, v, false), TENSOR_ERR_INVALID_ARGUMENT, {"indices is NULL"});
  const tensor* one[] = {ok.get()};
  require_status(tensor_index_put_(t, one, 1, nullptr, false), TENSOR_ERR_INVALID_ARGUMENT, {"values"});
  CHECK(values<float>(t) == std::vector<float>{1, 1, 1});
  // a leaf that requires grad refuses in-place writes
  Handle leaf = make<double>({1, 2, 3}, {3});
  REQUIRE_OK(tensor_set_requires_grad(leaf, true));
  Handle lv = make<double>({0, 0}, {2});
  require_status(put(leaf, {ok}, lv, false), TENSOR_ERR_AUTOGRAD, {"leaf"});
}

TEST_CASE("index: grad accumulates into the source's shape (IndexBackward0)") {
  Handle a = iota<double>({3, 4});
  REQUIRE_OK(tensor_set_requires_grad(a, true));
  Handle i = idx({2, 0, 2}), out;
  REQUIRE_OK(index_of(&out, a, {i}));
  CHECK(has_grad_fn(out, "IndexBackward0"));
  backward_weighted(out, 0.0);
  CHECK(grad_of(a) == std::vector<double>{4, 5, 6, 7, 0, 0, 0, 0, 8, 10, 12, 14});
}

TEST_CASE("index_put_: grads of self and values (IndexPutBackward0)") {
  SECTION("write") {
    Handle a = make<double>(std::vector<double>(12, 0.0), {3, 4});
    REQUIRE_OK(tensor_set_requires_grad(a, true));
    Handle v = make<double>({1, 2}, {2});
    REQUIRE_OK(tensor_set_requires_grad(v, true));
    Handle b;
    REQUIRE_OK(tensor_mul_scalar(b.out(), a, 1.0));
    Handle r = idx({0, 2}), c = idx({1, 3});
    REQUIRE_OK(put(b, {r, c}, v, false));
    CHECK(has_grad_fn(b, "IndexPutBackward0"));
    backward_weighted(b, 1.0);
    CHECK(grad_of(a) == std::vector<double>{1, 0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0});
    CHECK(grad_of(v) == std::vector<double>{2, 12});
  }
  SECTION("accumulate, values broadcast") {
    Handle a = make<double>(std::vector<double>(12, 0.0), {3, 4});
    REQUIRE_OK(tensor_set_requires_grad(a, true));
    Handle v = make<double>({1}, {});
    REQUIRE_OK(tensor_set_requires_grad(v, true));
    Handle b;
    REQUIRE_OK(tensor_mul_scalar(b.out(), a, 1.0));
    Handle r = idx({0, 0});
    REQUIRE_OK(put(b, {r}, v, true));
    backward_weighted(b, 1.0);
    CHECK(grad_of(a) == std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    CHECK(grad_of(v) == std::vector<double>{20});
  }
}

TEST_CASE("C++ wrapper: index and index_put_") {
  namespace ltw = libtensor;
  ltw::Tensor a = ltw::from_list<float>({0, 1, 2, 3, 4, 5}, {2, 3});
  ltw::Tensor cols = ltw::from_list<int64_t>({2, -3}, {2});
  ltw::Tensor got = ltw::index(a, {ltw::Tensor(), cols});
  CHECK(got.to_vector<float>() == std::vector<float>{2, 0, 5, 3});
  ltw::index_put_(a, {ltw::Tensor(), cols}, ltw::from_list<float>({10}, {1}), true);
  CHECK(a.to_vector<float>() == std::vector<float>{10, 1, 12, 13, 4, 15});
  ltw::Tensor bad = ltw::from_list<int64_t>({3}, {1});
  try {
    ltw::index(a, {ltw::Tensor(), bad});
    FAIL("no error");
  } catch (const ltw::Error& e) {
    CHECK(e.status() == TENSOR_ERR_INDEX);
  }
}

TEST_CASE("index_put_: values or indices that are views of t are read before t is written") {
  Handle t = iota<float>({4}), head;
  REQUIRE_OK(tensor_slice(head.out(), t, 0, 0, 2, 1));  // t[0:2], contiguous, t's storage
  Handle i = idx({1, 2});
  REQUIRE_OK(put(t, {i}, head, false));
  CHECK(values<float>(t) == std::vector<float>{0, 0, 1, 3});
  Handle self = make<int64_t>({2, 0, 1}, {3});
  Handle v = make<int64_t>({7, 8, 9}, {3});
  REQUIRE_OK(put(self, {self}, v, false));  // the index is t itself
  CHECK(values<int64_t>(self) == Ints{8, 9, 7});
}

TEST_CASE("index_put_: a 0-d bool index writes through a transposed t") {
  Handle base = make<int64_t>(std::vector<int64_t>(6, 0), {2, 3}), view;
  REQUIRE_OK(tensor_transpose(view.out(), base, 0, 1));  // (3, 2), not contiguous
  Handle yes = make<bool>({true}, {}), cols = idx({1});
  Handle v = make<int64_t>({5}, {});
  REQUIRE_OK(put(view, {yes, nullptr, cols}, v, false));  // view[True, :, [1]] = 5: view's column 1
  CHECK(values<int64_t>(base) == Ints{0, 0, 0, 5, 5, 5});
  Handle out;
  REQUIRE_OK(index_of(&out, view, {yes, nullptr, cols}));
  CHECK(shape_of(out) == Shape{1, 3});
}

TEST_CASE("index: the grad uses the index as it was at the call") {
  Handle a = iota<double>({3, 2});
  REQUIRE_OK(tensor_set_requires_grad(a, true));
  Handle i = idx({2});
  Handle out;
  REQUIRE_OK(index_of(&out, a, {i}));
  REQUIRE_OK(tensor_fill_(i, 0.0));  // the caller reuses its index tensor
  backward_weighted(out, 1.0);
  CHECK(grad_of(a) == std::vector<double>{0, 0, 0, 0, 1, 2});
}

TEST_CASE("index: after a 0-d bool, errors name the caller's dims") {
  Handle a = iota({2, 3});
  Handle yes = make<bool>({true}, {}), bad = idx({5});
  Handle out;
  require_status(index_of(&out, a, {yes, nullptr, bad}), TENSOR_ERR_INDEX,
                 {"index 5 is out of bounds for dimension 1 with size 3"});
}
