// tensor_matmul through the C API: numpy.matmul's shapes, exact values, dtype promotion, errors, and the
// gradients of every shape case against central finite differences in float64.
#include <cmath>
#include <functional>
#include <random>

#include "test_util.h"

namespace {

// Naive reference for out[b][i][j] = sum_k a[b][i][k] * b[b][k][j] on row-major buffers (batch given).
std::vector<double> reference_matmul(const std::vector<double>& a, const std::vector<double>& b, int64_t batch,
                                     int64_t m, int64_t k, int64_t n, bool a_batched, bool b_batched) {
  std::vector<double> out(static_cast<size_t>(batch * m * n), 0.0);
  for (int64_t p = 0; p < batch; ++p)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (int64_t q = 0; q < k; ++q)
          s += a[static_cast<size_t>((a_batched ? p * m * k : 0) + i * k + q)] *
               b[static_cast<size_t>((b_batched ? p * k * n : 0) + q * n + j)];
        out[static_cast<size_t>(p * m * n + i * n + j)] = s;
      }
  return out;
}

std::vector<double> iota(size_t n, double start = 1.0) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = start + static_cast<double>(i);
  return v;
}

Handle matmul(const Handle& a, const Handle& b) {
  Handle out;
  REQUIRE_OK(tensor_matmul(out.out(), a, b));
  return out;
}

template <typename T>
void check_2d_values() {
  Handle a = make<T>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle b = make<T>({7, 8, 9, 10, 11, 12}, {3, 2});
  Handle c = matmul(a, b);
  CHECK(shape_of(c) == std::vector<int64_t>{2, 2});
  CHECK(tensor_get_dtype(c) == dtype_for<T>());
  CHECK(values<T>(c) == std::vector<T>{58, 64, 139, 154});
}

}  // namespace

TEST_CASE("matmul of two matrices gives exact values in every numeric dtype", "[matmul]") {
  check_2d_values<float>();
  check_2d_values<double>();
  check_2d_values<int32_t>();
  check_2d_values<int64_t>();
}

TEST_CASE("matmul of two vectors is their dot product, a 0-d tensor", "[matmul]") {
  Handle a = make<double>({1, 2, 3}, {3});
  Handle b = make<double>({4, 5, 6}, {3});
  Handle c = matmul(a, b);
  CHECK(tensor_ndim(c) == 0);
  CHECK(values<double>(c) == std::vector<double>{32});
}

TEST_CASE("matmul of a matrix and a vector drops the vector's dim", "[matmul]") {
  Handle m = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle v = make<float>({1, 2, 3}, {3});
  Handle mv = matmul(m, v);
  CHECK(shape_of(mv) == std::vector<int64_t>{2});
  CHECK(values<float>(mv) == std::vector<float>{14, 32});
  Handle w = make<float>({1, 2}, {2});
  Handle vm = matmul(w, m);  // (2,) @ (2, 3)
  CHECK(shape_of(vm) == std::vector<int64_t>{3});
  CHECK(values<float>(vm) == std::vector<float>{9, 12, 15});
}

TEST_CASE("batched matmul broadcasts the batch dims as numpy.matmul", "[matmul]") {
  // (2, 1, 2, 3) @ (4, 3, 2) -> (2, 4, 2, 2)
  std::vector<double> av = iota(12), bv = iota(24, -5);
  Handle a = make<double>(av, {2, 1, 2, 3});
  Handle b = make<double>(bv, {4, 3, 2});
  Handle c = matmul(a, b);
  REQUIRE(shape_of(c) == std::vector<int64_t>{2, 4, 2, 2});
  std::vector<double> got = values<double>(c), want(32);
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 4; ++j) {
      std::vector<double> ai(av.begin() + i * 6, av.begin() + i * 6 + 6), bj(bv.begin() + j * 6, bv.begin() + j * 6 + 6);
      std::vector<double> r = reference_matmul(ai, bj, 1, 2, 3, 2, false, false);
      std::copy(r.begin(), r.end(), want.begin() + (i * 4 + j) * 4);
    }
  CHECK(got == want);

  SECTION("a vector against a batch") {
    Handle v = make<double>({1, -1, 2}, {3});
    Handle vb = matmul(v, b);  // (3,) @ (4, 3, 2) -> (4, 2)
    CHECK(shape_of(vb) == std::vector<int64_t>{4, 2});
    Handle bv2 = matmul(a, v);  // (2, 1, 2, 3) @ (3,) -> (2, 1, 2)
    CHECK(shape_of(bv2) == std::vector<int64_t>{2, 1, 2});
    CHECK(values<double>(bv2) == std::vector<double>{5, 11, 17, 23});
  }
}

TEST_CASE("matmul with empty dims gives empty or zero results", "[matmul]") {
  SECTION("empty contracted dim: a matrix of zeros") {
    Handle a = make<float>({}, {3, 0});
    Handle b = make<float>({}, {0, 4});
    Handle c = matmul(a, b);
    CHECK(shape_of(c) == std::vector<int64_t>{3, 4});
    CHECK(values<float>(c) == std::vector<float>(12, 0.0f));
    Handle v = make<int64_t>({}, {0});
    Handle d = matmul(v, v);
    CHECK(tensor_ndim(d) == 0);
    CHECK(values<int64_t>(d) == std::vector<int64_t>{0});
  }
  SECTION("empty rows, columns or batch") {
    CHECK(shape_of(matmul(make<float>({}, {0, 3}), make<float>(std::vector<float>(12, 1), {3, 4}))) ==
          std::vector<int64_t>{0, 4});
    CHECK(shape_of(matmul(make<float>(std::vector<float>(6, 1), {2, 3}), make<float>({}, {3, 0}))) ==
          std::vector<int64_t>{2, 0});
    CHECK(shape_of(matmul(make<double>({}, {0, 2, 3}), make<double>(std::vector<double>(3, 1), {3}))) ==
          std::vector<int64_t>{0, 2});
  }
}

TEST_CASE("matmul reads transposed, sliced and broadcast operands as they are", "[matmul]") {
  std::vector<double> base = iota(4 * 6);
  Handle big = make<double>(base, {4, 6});
  Handle t;  // (6, 4) transposed view
  REQUIRE_OK(tensor_transpose(t.out(), big, 0, 1));
  Handle rows;  // every other row of the transpose: (3, 4) with strides (2, 6)
  REQUIRE_OK(tensor_slice(rows.out(), t, 0, 0, 6, 2));
  Handle cols;  // every other column of big: (4, 3) with strides (6, 2)
  REQUIRE_OK(tensor_slice(cols.out(), big, 1, 1, 6, 2));
  Handle c = matmul(rows, cols);  // (3, 4) @ (4, 3)
  std::vector<double> rv = values<double>(rows), cv = values<double>(cols);
  CHECK(values<double>(c) == reference_matmul(rv, cv, 1, 3, 4, 3, false, false));

  // a stride-0 matrix dim (expand of one row) is copied before BLAS sees it
  Handle row = make<double>({1, 2, 3, 4}, {1, 4});
  Handle rep;
  const int64_t shape[] = {3, 4};
  REQUIRE_OK(tensor_expand(rep.out(), row, shape, 2));
  Handle d = matmul(rep, cols);
  std::vector<double> repv = values<double>(rep);
  CHECK(values<double>(d) == reference_matmul(repv, cv, 1, 3, 4, 3, false, false));
}

TEST_CASE("matmul of matrices large enough for BLAS threads and batches run in parallel", "[matmul]") {
  std::mt19937 gen(7);
  std::uniform_int_distribution<int> dist(-4, 4);
  auto random = [&](size_t n) {
    std::vector<double> v(n);
    for (double& x : v) x = dist(gen);
    return v;
  };
  SECTION("one large gemm") {
    std::vector<double> av = random(90 * 70), bv = random(70 * 80);
    Handle c = matmul(make<double>(av, {90, 70}), make<double>(bv, {70, 80}));
    CHECK(values<double>(c) == reference_matmul(av, bv, 1, 90, 70, 80, false, false));
  }
  SECTION("many small matrices") {
    std::vector<double> av = random(200 * 5 * 6), bv = random(6 * 4);
    Handle c = matmul(make<double>(av, {200, 5, 6}), make<double>(bv, {6, 4}));
    CHECK(values<double>(c) == reference_matmul(av, bv, 200, 5, 6, 4, true, false));
    std::vector<float> af(av.begin(), av.end()), bf(bv.begin(), bv.end());
    Handle cf = matmul(make<float>(af, {200, 5, 6}), make<float>(bf, {6, 4}));
    CHECK(values<double>(cf) == reference_matmul(av, bv, 200, 5, 6, 4, true, false));
  }
}

TEST_CASE("matmul promotes dtypes as binary ops do", "[matmul]") {
  Handle i32 = make<int32_t>({1, 2, 3, 4}, {2, 2});
  Handle i64 = make<int64_t>({1, 0, 0, 1}, {2, 2});
  Handle f32 = make<float>({0.5f, 0, 0, 0.5f}, {2, 2});
  Handle f64 = make<double>({2, 0, 0, 2}, {2, 2});
  CHECK(tensor_get_dtype(matmul(i32, i64)) == TENSOR_INT64);
  Handle if32 = matmul(i32, f32);
  CHECK(tensor_get_dtype(if32) == TENSOR_FLOAT32);
  CHECK(values<float>(if32) == std::vector<float>{0.5f, 1, 1.5f, 2});
  CHECK(tensor_get_dtype(matmul(f32, f64)) == TENSOR_FLOAT64);
}

TEST_CASE("matmul keeps integer wrap-around and floating NaN and infinity", "[matmul]") {
  Handle big = make<int32_t>({2147483647, 2}, {1, 2});
  Handle two = make<int32_t>({2, 1}, {2, 1});
  CHECK(values<int32_t>(matmul(big, two)) == std::vector<int32_t>{0});  // 2 * (2^31 - 1) + 2 wraps to 0
  Handle a = make<double>({NAN, 1, 1, 1}, {2, 2});
  Handle b = make<double>({1, 0, 0, INFINITY}, {2, 2});
  std::vector<double> v = values<double>(matmul(a, b));
  CHECK(std::isnan(v[0]));
  CHECK(std::isnan(v[1]));  // NaN * 0 + 1 * inf
  CHECK(v[2] == 1);
  CHECK(v[3] == INFINITY);
}

TEST_CASE("matmul errors name the call and both shapes", "[matmul][errors]") {
  auto expect_error = [](const Handle& a, const Handle& b, tensor_status status, const std::string& text) {
    tensor* out = reinterpret_cast<tensor*>(0x1);
    CHECK(tensor_matmul(&out, a, b) == status);
    CHECK(out == nullptr);
    std::string msg = tensor_last_error();
    INFO(msg);
    CHECK(msg.rfind("tensor_matmul: ", 0) == 0);
    CHECK(msg.find(text) != std::string::npos);
  };
  Handle m23 = make<float>(std::vector<float>(6, 1), {2, 3});
  Handle m45 = make<float>(std::vector<float>(20, 1), {4, 5});
  expect_error(m23, m45, TENSOR_ERR_SHAPE, "shapes [2, 3] and [4, 5] cannot be multiplied");
  Handle v4 = make<float>(std::vector<float>(4, 1), {4});
  expect_error(m23, v4, TENSOR_ERR_SHAPE, "shapes [2, 3] and [4]");
  Handle b234 = make<float>(std::vector<float>(24, 1), {2, 3, 4});
  Handle b342 = make<float>(std::vector<float>(24, 1), {3, 4, 2});
  expect_error(b234, b342, TENSOR_ERR_SHAPE, "batch dimensions [2] and [3] are not broadcastable");
  Handle s = make<float>({1}, {});
  expect_error(s, m23, TENSOR_ERR_SHAPE, "at least 1-D");
  Handle bools = make<bool>({true, false, true, true}, {2, 2});
  expect_error(bools, bools, TENSOR_ERR_DTYPE, "bool");

  tensor* out = nullptr;
  CHECK(tensor_matmul(&out, nullptr, m23) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_matmul(&out, m23, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_matmul(nullptr, m23, m23) == TENSOR_ERR_INVALID_ARGUMENT);
}

// ---- gradients ----------------------------------------------------------------------------------------

namespace {

Handle leaf(const std::vector<double>& v, const std::vector<int64_t>& shape) {
  Handle h;
  tensor_options o = opts_of(TENSOR_FLOAT64);
  o.requires_grad = true;
  REQUIRE_OK(tensor_from_data(h.out(), v.data(), shape.data(), static_cast<int32_t>(shape.size()), &o));
  return h;
}

std::vector<double> random_values(size_t n, std::mt19937& gen) {
  std::uniform_real_distribution<double> d(-1.0, 1.0);
  std::vector<double> v(n);
  for (double& x : v) x = d(gen);
  return v;
}

size_t count(const std::vector<int64_t>& shape) {
  size_t n = 1;
  for (int64_t s : shape) n *= static_cast<size_t>(s);
  return n;
}

// L(a, b) = sum(w * op(a, b)) for a fixed random w. The analytic grads come from tensor_backward with w as
// the upstream grad; the numeric ones from central differences of L, computed on the host.
void gradcheck(const std::vector<int64_t>& sa, const std::vector<int64_t>& sb, bool transpose_a = false) {
  INFO("a " << Catch::Detail::stringify(sa) << (transpose_a ? " (transposed view)" : "") << " @ b "
            << Catch::Detail::stringify(sb));
  std::mt19937 gen(static_cast<unsigned>(sa.size() * 31 + sb.size() * 7 + sa.back()));
  // with transpose_a, the leaf has the last two dims swapped and the op sees its transpose
  std::vector<int64_t> leaf_a = sa;
  if (transpose_a) std::swap(leaf_a[leaf_a.size() - 1], leaf_a[leaf_a.size() - 2]);
  std::vector<double> av = random_values(count(sa), gen), bv = random_values(count(sb), gen);

  auto forward = [&](const std::vector<double>& a_vals, const std::vector<double>& b_vals, Handle* a_out,
                     Handle* b_out) {
    Handle a = leaf(a_vals, leaf_a), b = leaf(b_vals, sb);
    Handle a_op;
    if (transpose_a) REQUIRE_OK(tensor_transpose(a_op.out(), a, -1, -2));
    else a_op = Handle(tensor_retain(a));
    Handle out = matmul(a_op, b);
    if (a_out) *a_out = std::move(a);
    if (b_out) *b_out = std::move(b);
    return out;
  };
  Handle a, b;
  Handle out = forward(av, bv, &a, &b);
  std::vector<int64_t> so = shape_of(out);
  std::vector<double> wv = random_values(count(so), gen);
  Handle w = make<double>(wv, so);
  REQUIRE_OK(tensor_backward(out, w, false));

  auto loss = [&](const std::vector<double>& a_vals, const std::vector<double>& b_vals) {
    std::vector<double> o = values<double>(forward(a_vals, b_vals, nullptr, nullptr));
    double s = 0;
    for (size_t i = 0; i < o.size(); ++i) s += o[i] * wv[i];
    return s;
  };
  const double eps = 1e-6;
  for (int which = 0; which < 2; ++which) {
    Handle g;
    REQUIRE_OK(tensor_grad(g.out(), which == 0 ? a : b));
    REQUIRE(g.get() != nullptr);
    CHECK(shape_of(g) == (which == 0 ? leaf_a : sb));
    std::vector<double> analytic = values<double>(g);
    std::vector<double>& x = which == 0 ? av : bv;
    for (size_t i = 0; i < x.size(); ++i) {
      const double saved = x[i];
      x[i] = saved + eps;
      const double up = loss(av, bv);
      x[i] = saved - eps;
      const double down = loss(av, bv);
      x[i] = saved;
      const double numeric = (up - down) / (2 * eps);
      INFO((which == 0 ? "grad a[" : "grad b[") << i << "]");
      CHECK(std::abs(analytic[i] - numeric) <= 1e-5 + 1e-3 * std::abs(numeric));
    }
  }
}

}  // namespace

TEST_CASE("matmul gradients match finite differences for every shape case", "[matmul][autograd]") {
  gradcheck({3}, {3});              // dot
  gradcheck({2, 3}, {3});           // matrix-vector
  gradcheck({3}, {3, 4});           // vector-matrix
  gradcheck({2, 3}, {3, 4});        // matrix-matrix
  gradcheck({2, 2, 3}, {2, 3, 4});  // batched
  gradcheck({2, 2, 3}, {3, 4});     // batch against one matrix (folded grad of b)
  gradcheck({2, 3}, {2, 3, 4});     // one matrix against a batch
  gradcheck({3}, {2, 3, 4});        // vector against a batch
  gradcheck({2, 2, 3}, {3});        // batch against a vector
  gradcheck({2, 1, 2, 3}, {3, 3, 2});  // broadcast batch dims on both sides
  gradcheck({1, 2, 3}, {2, 3, 4});  // size-1 batch dim
  gradcheck({2, 3}, {3, 4}, true);  // non-contiguous (transposed) operand
  gradcheck({2, 2, 3}, {3, 4}, true);
}

TEST_CASE("matmul backward only computes the grads that are wanted", "[matmul][autograd]") {
  Handle a = leaf({1, 2, 3, 4}, {2, 2});
  Handle b = make<double>({1, 0, 0, 1}, {2, 2});
  Handle out = matmul(a, b);
  CHECK(tensor_requires_grad(out));
  CHECK_FALSE(tensor_is_leaf(out));
  Handle ones = make<double>({1, 1, 1, 1}, {2, 2});
  REQUIRE_OK(tensor_backward(out, ones, false));
  Handle ga, gb;
  REQUIRE_OK(tensor_grad(ga.out(), a));
  CHECK(values<double>(ga) == std::vector<double>{1, 1, 1, 1});
  REQUIRE_OK(tensor_grad(gb.out(), b));
  CHECK(gb.get() == nullptr);
}

TEST_CASE("matmul backward refuses a saved operand modified in place", "[matmul][autograd]") {
  Handle a = leaf({1, 2, 3, 4}, {2, 2});
  Handle b = make<double>({1, 0, 0, 1}, {2, 2});  // saved: needed for grad of a
  Handle out = matmul(a, b);
  REQUIRE_OK(tensor_add_(b, b));
  Handle ones = make<double>({1, 1, 1, 1}, {2, 2});
  CHECK(tensor_backward(out, ones, false) == TENSOR_ERR_AUTOGRAD);
  std::string msg = tensor_last_error();
  CHECK(msg.find("modified by an in-place operation") != std::string::npos);
}
