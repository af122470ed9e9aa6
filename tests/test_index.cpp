// Indexing ops through the C API: values on small hand-checked cases, PyTorch's error statuses and
// messages (the bad value and its bound), in-place failure atomicity of index_add_, grad_fn names and
// grads of the index ops. NumPy differential coverage: tests/python/test_index_numpy.py.
#include <string>
#include <vector>

#include "test_util.h"

namespace {

Handle idx(const std::vector<int64_t>& v, const std::vector<int64_t>& shape) { return make<int64_t>(v, shape); }

void require_status(tensor_status st, tensor_status want, const std::vector<std::string>& words) {
  INFO(tensor_last_error());
  REQUIRE(st == want);
  const std::string msg = tensor_last_error();
  for (const std::string& w : words) CHECK(msg.find(w) != std::string::npos);
}

Handle leaf(const std::vector<double>& v, const std::vector<int64_t>& shape) {
  Handle h = make<double>(v, shape);
  REQUIRE_OK(tensor_set_requires_grad(h, true));
  return h;
}

std::vector<double> grad_of(const tensor* t) {
  Handle g;
  REQUIRE_OK(tensor_grad(g.out(), t));
  REQUIRE(g.get() != nullptr);
  return values<double>(g);
}

void backward_sum(const tensor* out) {
  Handle s;
  REQUIRE_OK(tensor_sum(s.out(), out, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
}

}  // namespace

TEST_CASE("index_select picks slices along a dim, negative dims counted from the end") {
  Handle a = make<float>({0, 1, 2, 3, 4, 5}, {2, 3});
  Handle i = idx({2, 0, 2}, {3});
  Handle out;
  REQUIRE_OK(tensor_index_select(out.out(), a, -1, i));
  CHECK(shape_of(out) == std::vector<int64_t>{2, 3});
  CHECK(values<float>(out) == std::vector<float>{2, 0, 2, 5, 3, 5});
  Handle i0 = idx({1}, {});
  REQUIRE_OK(tensor_index_select(out.out(), a, 0, i0));
  CHECK(shape_of(out) == std::vector<int64_t>{1, 3});
  CHECK(values<float>(out) == std::vector<float>{3, 4, 5});
}

TEST_CASE("gather and scatter follow PyTorch's examples") {
  // torch.gather(torch.tensor([[1, 2], [3, 4]]), 1, torch.tensor([[0, 0], [1, 0]])) -> [[1, 1], [4, 3]]
  Handle a = make<int64_t>({1, 2, 3, 4}, {2, 2});
  Handle i = idx({0, 0, 1, 0}, {2, 2});
  Handle out;
  REQUIRE_OK(tensor_gather(out.out(), a, 1, i));
  CHECK(values<int64_t>(out) == std::vector<int64_t>{1, 1, 4, 3});
  // torch.zeros(3, 5).scatter_(0, torch.tensor([[0, 1, 2, 0]]), torch.arange(1, 11.).view(2, 5))
  Handle z = make<float>(std::vector<float>(15, 0.f), {3, 5});
  Handle si = idx({0, 1, 2, 0}, {1, 4});
  std::vector<float> src(10);
  for (int k = 0; k < 10; ++k) src[k] = static_cast<float>(k + 1);
  Handle s = make<float>(src, {2, 5});
  REQUIRE_OK(tensor_scatter(out.out(), z, 0, si, s));
  CHECK(values<float>(out) == std::vector<float>{1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0});
  // scatter_add sums repeated indices
  Handle ai = idx({0, 0, 0, 2}, {1, 4});
  REQUIRE_OK(tensor_scatter_add(out.out(), z, 1, ai, s));
  CHECK(values<float>(out) == std::vector<float>{6, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
}

TEST_CASE("index_add_ adds alpha * src rows in place") {
  Handle t = make<double>({1, 1, 1, 1, 1, 1}, {3, 2});
  Handle i = idx({2, 0, 2}, {3});
  Handle s = make<double>({1, 2, 3, 4, 5, 6}, {3, 2});
  REQUIRE_OK(tensor_index_add_(t, 0, i, s, 2.0));
  CHECK(values<double>(t) == std::vector<double>{7, 9, 1, 1, 13, 17});
}

TEST_CASE("index errors name the bad value and the bound; nothing is written") {
  Handle a = make<float>({0, 1, 2, 3, 4, 5}, {2, 3});
  Handle out;
  Handle bad = idx({0, 3}, {2});
  require_status(tensor_index_select(out.out(), a, 1, bad), TENSOR_ERR_INDEX, {"index 3", "size 3"});
  CHECK(out.get() == nullptr);
  Handle neg = idx({-1}, {1});
  require_status(tensor_index_select(out.out(), a, 0, neg), TENSOR_ERR_INDEX, {"index -1", "size 2"});
  require_status(tensor_index_select(out.out(), a, 2, neg), TENSOR_ERR_INDEX, {"dimension 2"});
  require_status(tensor_index_select(out.out(), a, -3, neg), TENSOR_ERR_INDEX, {"dimension -3"});
  Handle fidx = make<float>({0}, {1});
  require_status(tensor_index_select(out.out(), a, 0, fidx), TENSOR_ERR_DTYPE, {"float32"});
  require_status(tensor_gather(out.out(), a, 0, fidx), TENSOR_ERR_DTYPE, {"int64"});
  Handle g = idx({0, 1, 7}, {1, 3});
  require_status(tensor_gather(out.out(), a, 1, g), TENSOR_ERR_INDEX, {"index 7", "size 3"});
  Handle g1 = idx({0}, {1});
  require_status(tensor_gather(out.out(), a, 1, g1), TENSOR_ERR_SHAPE, {"number of dimensions"});
  Handle src = make<float>({9, 9, 9}, {1, 3});
  require_status(tensor_scatter(out.out(), a, 1, g, src), TENSOR_ERR_INDEX, {"index 7"});
  Handle srcd = make<double>({9, 9, 9}, {1, 3});
  Handle g0 = idx({0, 1, 2}, {1, 3});
  require_status(tensor_scatter_add(out.out(), a, 1, g0, srcd), TENSOR_ERR_DTYPE, {"src"});
  require_status(tensor_index_select(out.out(), nullptr, 0, g1), TENSOR_ERR_INVALID_ARGUMENT, {"'a'"});
  // index_add_: a bad index leaves t as it was
  Handle t = make<float>({1, 1, 1, 1, 1, 1}, {3, 2});
  Handle ti = idx({0, 5}, {2});
  Handle ts = make<float>({1, 1, 1, 1}, {2, 2});
  require_status(tensor_index_add_(t, 0, ti, ts, 1.0), TENSOR_ERR_INDEX, {"index 5", "size 3"});
  CHECK(values<float>(t) == std::vector<float>(6, 1.f));
  Handle ts3 = make<float>({1, 1, 1}, {1, 3});
  Handle ti1 = idx({0}, {1});
  require_status(tensor_index_add_(t, 0, ti1, ts3, 1.0), TENSOR_ERR_SHAPE, {"source"});
  Handle it = make<int32_t>({0, 0}, {2});
  Handle is = make<int32_t>({1}, {1});
  require_status(tensor_index_add_(it, 0, ti1, is, 0.5), TENSOR_ERR_INVALID_ARGUMENT, {"alpha"});
}

TEST_CASE("index ops record PyTorch's grad_fn and grads") {
  SECTION("index_select") {
    Handle x = leaf({1, 2, 3, 4, 5, 6}, {3, 2});
    Handle i = idx({2, 2, 0}, {3});
    Handle out;
    REQUIRE_OK(tensor_index_select(out.out(), x, 0, i));
    CHECK(format_of(out).find("grad_fn=<IndexSelectBackward0>") != std::string::npos);
    backward_sum(out);
    CHECK(grad_of(x) == std::vector<double>{1, 1, 0, 0, 2, 2});
  }
  SECTION("gather") {
    Handle x = leaf({1, 2, 3, 4}, {2, 2});
    Handle i = idx({1, 1, 0, 1}, {2, 2});
    Handle out;
    REQUIRE_OK(tensor_gather(out.out(), x, 1, i));
    CHECK(format_of(out).find("grad_fn=<GatherBackward0>") != std::string::npos);
    backward_sum(out);
    CHECK(grad_of(x) == std::vector<double>{0, 2, 1, 1});
  }
  SECTION("scatter: self's grad is zero where written, src's is gathered") {
    Handle x = leaf({1, 2, 3, 4}, {2, 2});
    Handle s = leaf({5, 6, 7}, {1, 3});
    Handle i = idx({1}, {1, 1});
    Handle out;
    REQUIRE_OK(tensor_scatter(out.out(), x, 0, i, s));
    CHECK(format_of(out).find("grad_fn=<ScatterBackward0>") != std::string::npos);
    CHECK(values<double>(out) == std::vector<double>{1, 2, 5, 4});
    backward_sum(out);
    CHECK(grad_of(x) == std::vector<double>{1, 1, 0, 1});
    CHECK(grad_of(s) == std::vector<double>{1, 0, 0});
  }
  SECTION("scatter_add") {
    Handle x = leaf({1, 2, 3, 4}, {2, 2});
    Handle s = leaf({5, 6}, {1, 2});
    Handle i = idx({1, 1}, {1, 2});
    Handle out;
    REQUIRE_OK(tensor_scatter_add(out.out(), x, 1, i, s));
    CHECK(format_of(out).find("grad_fn=<ScatterAddBackward0>") != std::string::npos);
    backward_sum(out);
    CHECK(grad_of(x) == std::vector<double>{1, 1, 1, 1});
    CHECK(grad_of(s) == std::vector<double>{1, 1});
  }
  SECTION("index_add_ on a non-leaf") {
    Handle x = leaf({1, 2, 3, 4}, {2, 2});
    Handle s = leaf({1, 1, 1, 1}, {2, 2});
    Handle y;
    REQUIRE_OK(tensor_mul_scalar(y.out(), x, 3.0));
    Handle i = idx({1, 1}, {2});
    REQUIRE_OK(tensor_index_add_(y, 0, i, s, -2.0));
    CHECK(format_of(y).find("grad_fn=<IndexAddBackward0>") != std::string::npos);
    backward_sum(y);
    CHECK(grad_of(x) == std::vector<double>{3, 3, 3, 3});
    CHECK(grad_of(s) == std::vector<double>{-2, -2, -2, -2});
  }
  SECTION("index_add_ on a leaf that requires grad is refused") {
    Handle x = leaf({1, 2}, {2});
    Handle s = make<double>({1}, {1});
    Handle i = idx({0}, {1});
    REQUIRE(tensor_index_add_(x, 0, i, s, 1.0) == TENSOR_ERR_AUTOGRAD);
  }
}

TEST_CASE("masked_fill, masked_select, nonzero and one_hot") {
  Handle a = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle m = make<bool>({true, false, true}, {3});
  Handle out;
  REQUIRE_OK(tensor_masked_fill(out.out(), a, m, -1.0));
  CHECK(values<float>(out) == std::vector<float>{-1, 2, -1, -1, 5, -1});
  REQUIRE_OK(tensor_masked_select(out.out(), a, m));
  CHECK(values<float>(out) == std::vector<float>{1, 3, 4, 6});
  REQUIRE_OK(tensor_masked_fill_(a, m, 0.0));
  CHECK(values<float>(a) == std::vector<float>{0, 2, 0, 0, 5, 0});
  REQUIRE_OK(tensor_nonzero(out.out(), a));
  CHECK(shape_of(out) == std::vector<int64_t>{2, 2});
  CHECK(values<int64_t>(out) == std::vector<int64_t>{0, 1, 1, 1});
  Handle i = make<int64_t>({2, 0}, {2});
  REQUIRE_OK(tensor_one_hot(out.out(), i, -1));
  CHECK(shape_of(out) == std::vector<int64_t>{2, 3});
  CHECK(values<int64_t>(out) == std::vector<int64_t>{0, 0, 1, 1, 0, 0});
}

TEST_CASE("mask errors: dtype, shape, classes out of range") {
  Handle a = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle fm = make<float>({1, 0, 1}, {3});
  Handle m2 = make<bool>({true, false}, {2});
  Handle big = make<bool>(std::vector<bool>(12, true), {2, 2, 3});
  Handle out;
  require_status(tensor_masked_fill(out.out(), a, fm, 1.0), TENSOR_ERR_DTYPE, {"bool"});
  require_status(tensor_masked_select(out.out(), a, m2), TENSOR_ERR_SHAPE, {});
  require_status(tensor_masked_fill_(a, big, 1.0), TENSOR_ERR_SHAPE, {"broadcast"});
  Handle i = make<int64_t>({1, 4}, {2});
  require_status(tensor_one_hot(out.out(), i, 3), TENSOR_ERR_INDEX, {"4", "num_classes 3"});
  Handle ineg = make<int64_t>({-1}, {1});
  require_status(tensor_one_hot(out.out(), ineg, 3), TENSOR_ERR_INDEX, {"-1"});
  Handle empty = make<int64_t>({}, {0});
  require_status(tensor_one_hot(out.out(), empty, -1), TENSOR_ERR_INVALID_ARGUMENT, {"empty"});
  require_status(tensor_one_hot(out.out(), a, 3), TENSOR_ERR_DTYPE, {"int64"});
}

TEST_CASE("mask ops record MaskedFillBackward0 and MaskedSelectBackward0") {
  Handle x = leaf({1, 2, 3, 4}, {2, 2});
  Handle m = make<bool>({true, false}, {2});
  Handle out;
  REQUIRE_OK(tensor_masked_fill(out.out(), x, m, 9.0));
  CHECK(format_of(out).find("grad_fn=<MaskedFillBackward0>") != std::string::npos);
  backward_sum(out);
  CHECK(grad_of(x) == std::vector<double>{0, 1, 0, 1});
  Handle y = leaf({1, 2, 3, 4}, {2, 2});
  REQUIRE_OK(tensor_masked_select(out.out(), y, m));
  CHECK(format_of(out).find("grad_fn=<MaskedSelectBackward0>") != std::string::npos);
  backward_sum(out);
  CHECK(grad_of(y) == std::vector<double>{1, 0, 1, 0});
}

TEST_CASE("cumsum and cumprod: dtypes, dims, grad_fn") {
  Handle a = make<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle out;
  REQUIRE_OK(tensor_cumsum(out.out(), a, 0));
  CHECK(tensor_get_dtype(out) == TENSOR_INT64);
  CHECK(values<int64_t>(out) == std::vector<int64_t>{1, 2, 3, 5, 7, 9});
  REQUIRE_OK(tensor_cumprod(out.out(), a, -1));
  CHECK(values<int64_t>(out) == std::vector<int64_t>{1, 2, 6, 4, 20, 120});
  Handle b = make<bool>({true, false, true}, {3});
  REQUIRE_OK(tensor_cumsum(out.out(), b, 0));
  CHECK(values<int64_t>(out) == std::vector<int64_t>{1, 1, 2});
  require_status(tensor_cumsum(out.out(), a, 2), TENSOR_ERR_INDEX, {"dimension 2"});
  Handle x = leaf({1, 2, 3}, {3});
  REQUIRE_OK(tensor_cumsum(out.out(), x, 0));
  CHECK(format_of(out).find("grad_fn=<CumsumBackward0>") != std::string::npos);
  backward_sum(out);
  CHECK(grad_of(x) == std::vector<double>{3, 2, 1});
  Handle y = leaf({2, 0, 3}, {3});
  REQUIRE_OK(tensor_cumprod(out.out(), y, 0));
  CHECK(format_of(out).find("grad_fn=<CumprodBackward0>") != std::string::npos);
  backward_sum(out);
  CHECK(grad_of(y) == std::vector<double>{1, 8, 0});
}

// The last-dim (B == 1) row loops of gather and scatter_add, over enough rows that two threads split them
// and the next-row prefetch runs: values against a plain loop, duplicates summed in index order (float
// sums of 0.1 are order-sensitive), and a bad index in the last row found and named.
TEST_CASE("last-dim gather and scatter_add over many rows match a plain loop") {
  const int32_t threads = tensor_get_num_threads();
  REQUIRE_OK(tensor_set_num_threads(2));
  const int64_t rows = 300, n = 257, k = 300;  // k > n: every row has duplicates
  std::vector<float> a(static_cast<size_t>(rows * n)), src(static_cast<size_t>(rows * k));
  std::vector<int64_t> ix(static_cast<size_t>(rows * k));
  uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  for (float& v : a) v = static_cast<float>(next() % 1000) * 0.1f;
  for (float& v : src) v = 0.1f * static_cast<float>(next() % 7);
  for (int64_t& v : ix) v = static_cast<int64_t>(next() % static_cast<uint64_t>(n));
  std::vector<float> want_g(ix.size()), want_s(a);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < k; ++j) {
      const size_t p = static_cast<size_t>(r * k + j);
      want_g[p] = a[static_cast<size_t>(r * n + ix[p])];
      want_s[static_cast<size_t>(r * n + ix[p])] += src[p];
    }
  Handle ta = make<float>(a, {rows, n}), ti = idx(ix, {rows, k}), ts = make<float>(src, {rows, k});
  Handle g, s;
  REQUIRE_OK(tensor_gather(g.out(), ta, 1, ti));
  CHECK(values<float>(g) == want_g);
  REQUIRE_OK(tensor_scatter_add(s.out(), ta, 1, ti, ts));
  CHECK(values<float>(s) == want_s);
  ix.back() = n;
  Handle bad = idx(ix, {rows, k});
  Handle out;
  require_status(tensor_gather(out.out(), ta, 1, bad), TENSOR_ERR_INDEX, {"index 257", "size 257"});
  require_status(tensor_scatter_add(out.out(), ta, 1, bad, ts), TENSOR_ERR_INDEX, {"index 257", "size 257"});
  REQUIRE_OK(tensor_set_num_threads(threads));
}
