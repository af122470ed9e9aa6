// Elementwise ops through the C API: broadcasting, promotion, integer semantics, where, in-place ops.
// Each op of the tables against its definition's reference is in test_op_table.cpp (generated).
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <type_traits>

#include "test_util.h"

TEST_CASE("the seed notebook's broadcasts") {
  // a = ones(6,5); b = arange(5).reshape(1,5); a + b
  int64_t s65[] = {6, 5}, s15[] = {1, 5};
  Handle a, r, b, sum;
  REQUIRE_OK(tensor_ones(a.out(), s65, 2, nullptr));
  tensor_options i64 = opts_of(TENSOR_INT64);
  REQUIRE_OK(tensor_arange(r.out(), 0, 5, 1, &i64));
  REQUIRE_OK(tensor_reshape(b.out(), r, s15, 2));
  REQUIRE_OK(tensor_add(sum.out(), a, b));
  CHECK(tensor_get_dtype(sum) == TENSOR_FLOAT32);
  std::vector<float> want;
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 5; ++j) want.push_back(1.0f + j);
  CHECK(values<float>(sum) == want);

  // Images(2,256,256,3) * Scale(2,1,1,3), and Image(256,256,3) * Scale(3) (the tiled fast path)
  int64_t si[] = {2, 256, 256, 3}, ss[] = {2, 1, 1, 3};
  Handle img, sc, res;
  REQUIRE_OK(tensor_randn(img.out(), si, 4, nullptr));
  Handle scale = make<float>({0.5f, 1.1f, 0.7f, 0.6f, 0.3f, 0.9f}, {6});
  REQUIRE_OK(tensor_reshape(sc.out(), scale, ss, 4));
  REQUIRE_OK(tensor_mul(res.out(), img, sc));
  std::vector<float> iv = values<float>(img), rv = values<float>(res), sv = values<float>(scale);
  for (size_t i = 0; i < iv.size(); i += 997) CHECK(rv[i] == iv[i] * sv[(i / (256 * 256 * 3)) * 3 + i % 3]);

  Handle one, s3, res1, res2;
  REQUIRE_OK(tensor_select(one.out(), img, 0, 1));
  Handle s3v = make<float>({0.5f, 1.5f, 1.0f}, {3});
  REQUIRE_OK(tensor_mul(res1.out(), one, s3v));
  REQUIRE_OK(tensor_mul(res2.out(), s3v, one));  // broadcast operand on the left
  std::vector<float> ov = values<float>(one), r1 = values<float>(res1), r2 = values<float>(res2);
  for (size_t i = 0; i < ov.size(); ++i) {
    REQUIRE(r1[i] == ov[i] * (i % 3 == 0 ? 0.5f : i % 3 == 1 ? 1.5f : 1.0f));
    REQUIRE(r2[i] == r1[i]);
  }
}

TEST_CASE("dtype promotion of binary ops") {
  Handle i32 = make<int32_t>({1, 2, 3}, {3});
  Handle i64 = make<int64_t>({4, 5, 6}, {3});
  Handle f32 = make<float>({0.5f, 0.5f, 0.5f}, {3});
  Handle b = make<bool>({true, false, true}, {3});
  Handle f64s = make<double>({2.0}, {});
  Handle out;
  REQUIRE_OK(tensor_add(out.out(), i32, i64));
  CHECK(tensor_get_dtype(out) == TENSOR_INT64);
  REQUIRE_OK(tensor_add(out.out(), i64, f32));
  CHECK(tensor_get_dtype(out) == TENSOR_FLOAT32);
  REQUIRE_OK(tensor_add(out.out(), b, i32));
  CHECK(tensor_get_dtype(out) == TENSOR_INT32);
  CHECK(values<int32_t>(out) == std::vector<int32_t>{2, 2, 4});
  REQUIRE_OK(tensor_mul(out.out(), f32, f64s));  // 0-d float64 does not widen float32
  CHECK(tensor_get_dtype(out) == TENSOR_FLOAT32);
  REQUIRE_OK(tensor_div(out.out(), i32, i64));  // true division
  CHECK(tensor_get_dtype(out) == TENSOR_FLOAT32);
  CHECK(values<float>(out)[0] == 0.25f);
  REQUIRE_OK(tensor_lt(out.out(), i32, f32));
  CHECK(tensor_get_dtype(out) == TENSOR_BOOL);
  REQUIRE_OK(tensor_add(out.out(), b, b));  // logical or
  CHECK(tensor_get_dtype(out) == TENSOR_BOOL);
  CHECK(tensor_sub(out.out(), b, b) == TENSOR_ERR_DTYPE);
}

TEST_CASE("integer arithmetic: exact pow, wrap-around, no traps") {
  Handle a = make<int64_t>({2, -3, 0, 7}, {4});
  Handle e = make<int64_t>({10, 3, 0, -1}, {4});
  Handle out;
  REQUIRE_OK(tensor_pow(out.out(), a, e));
  CHECK(values<int64_t>(out) == std::vector<int64_t>{1024, -27, 1, 0});
  Handle big = make<int32_t>({INT32_MAX, INT32_MIN}, {2});
  Handle one = make<int32_t>({1}, {1});
  REQUIRE_OK(tensor_add(out.out(), big, one));
  CHECK(values<int32_t>(out) == std::vector<int32_t>{INT32_MIN, INT32_MIN + 1});
  REQUIRE_OK(tensor_abs(out.out(), big));
  CHECK(values<int32_t>(out)[1] == INT32_MIN);
  REQUIRE_OK(tensor_pow_scalar(out.out(), a, 2.0));
  CHECK(tensor_get_dtype(out) == TENSOR_INT64);
  CHECK(values<int64_t>(out) == std::vector<int64_t>{4, 9, 0, 49});
  CHECK(tensor_pow_scalar(out.out(), a, -1.0) == TENSOR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("scalar ops keep float32, integer tensors follow Python scalar rules") {
  Handle f = make<float>({1.0f, 2.0f}, {2});
  Handle i = make<int32_t>({1, 2}, {2});
  Handle b = make<bool>({true, false}, {2});
  Handle out;
  REQUIRE_OK(tensor_mul_scalar(out.out(), f, 1e300));
  CHECK(tensor_get_dtype(out) == TENSOR_FLOAT32);
  REQUIRE_OK(tensor_add_scalar(out.out(), i, 2.0));
  CHECK(tensor_get_dtype(out) == TENSOR_INT32);
  CHECK(values<int32_t>(out) == std::vector<int32_t>{3, 4});
  REQUIRE_OK(tensor_add_scalar(out.out(), i, 0.5));
  CHECK(tensor_get_dtype(out) == TENSOR_FLOAT32);
  CHECK(values<float>(out) == std::vector<float>{1.5f, 2.5f});
  REQUIRE_OK(tensor_div_scalar(out.out(), i, 2.0));
  CHECK(tensor_get_dtype(out) == TENSOR_FLOAT32);
  REQUIRE_OK(tensor_add_scalar(out.out(), b, 1.0));
  CHECK(tensor_get_dtype(out) == TENSOR_INT64);
  CHECK(values<int64_t>(out) == std::vector<int64_t>{2, 1});
}

TEST_CASE("unary ops on integers: exp promotes to float32, neg/abs/relu keep the dtype, bool refused") {
  Handle i = make<int64_t>({-2, 0, 3}, {3});
  Handle out;
  REQUIRE_OK(tensor_exp(out.out(), i));
  CHECK(tensor_get_dtype(out) == TENSOR_FLOAT32);
  REQUIRE_OK(tensor_relu(out.out(), i));
  CHECK(values<int64_t>(out) == std::vector<int64_t>{0, 0, 3});
  REQUIRE_OK(tensor_neg(out.out(), i));
  CHECK(values<int64_t>(out) == std::vector<int64_t>{2, 0, -3});
  Handle b = make<bool>({true}, {1});
  CHECK(tensor_neg(out.out(), b) == TENSOR_ERR_DTYPE);
  REQUIRE_OK(tensor_sqrt(out.out(), b));  // floating-only ops convert bool to float32 first
  CHECK(values<float>(out) == std::vector<float>{1.0f});
}

TEST_CASE("where broadcasts all three operands and requires a bool condition") {
  Handle c = make<bool>({true, false, true}, {3});
  Handle a = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle b = make<int64_t>({-1}, {1});
  Handle out;
  REQUIRE_OK(tensor_where(out.out(), c, a, b));
  CHECK(values<float>(out) == std::vector<float>{1, -1, 3, 4, -1, 6});
  CHECK(tensor_where(out.out(), a, a, b) == TENSOR_ERR_DTYPE);
}

// The rows where() may take (Note [branchless where] in cpu/loops.h): all contiguous (long enough to
// split across threads), a or b broadcast from one element, a transposed (strided) operand and a
// broadcast condition; every dtype, each result checked element by element against cond ? a : b.
template <typename T>
void check_where_layouts() {
  INFO("dtype " << tensor_dtype_name(dtype_for<T>()));
  const int64_t R = 300, C = 257;  // R*C = 77100 elements: more than one thread's share
  std::vector<bool> cv(R * C);
  std::vector<T> av(R * C), bv(R * C);
  uint32_t state = 12345;
  for (int64_t i = 0; i < R * C; ++i) {
    state = state * 1664525u + 1013904223u;  // a pseudo-random condition: the case branches mispredict
    cv[i] = (state >> 16) & 1;
    av[i] = static_cast<T>(std::is_same<T, bool>::value ? (i % 3 == 0) : (i % 1000) + 1);
    bv[i] = static_cast<T>(std::is_same<T, bool>::value ? (i % 3 != 0) : -((i % 777) + 1));
  }
  Handle c = make<bool>(cv, {R, C}), a = make<T>(av, {R, C}), b = make<T>(bv, {R, C});
  Handle a1 = make<T>({av[5]}, {}), b1 = make<T>({bv[7]}, {});
  Handle out;
  auto expect = [&](const std::function<bool(int64_t)>& cond, const std::function<T(int64_t)>& x,
                    const std::function<T(int64_t)>& y) {
    const std::vector<T> got = values<T>(out);
    REQUIRE(got.size() == size_t(R * C));
    int64_t wrong = 0;
    for (int64_t i = 0; i < R * C; ++i) wrong += got[i] != (cond(i) ? x(i) : y(i));
    CHECK(wrong == 0);
  };
  auto ci = [&](int64_t i) { return bool(cv[i]); };
  auto ai = [&](int64_t i) { return av[i]; };
  auto bi = [&](int64_t i) { return bv[i]; };
  REQUIRE_OK(tensor_where(out.out(), c, a, b));
  expect(ci, ai, bi);
  REQUIRE_OK(tensor_where(out.out(), c, a, b1));
  expect(ci, ai, [&](int64_t) { return bv[7]; });
  REQUIRE_OK(tensor_where(out.out(), c, a1, b));
  expect(ci, [&](int64_t) { return av[5]; }, bi);
  REQUIRE_OK(tensor_where(out.out(), c, a1, b1));
  expect(ci, [&](int64_t) { return av[5]; }, [&](int64_t) { return bv[7]; });
  // a's transpose, read as (R, C): element (r, k) is at (k, r) of a viewed as (C, R).
  Handle a_cr, a_t;
  const int64_t cr[2] = {C, R};
  REQUIRE_OK(tensor_reshape(a_cr.out(), a, cr, 2));
  REQUIRE_OK(tensor_transpose(a_t.out(), a_cr, 0, 1));
  REQUIRE_OK(tensor_where(out.out(), c, a_t, b));
  expect(ci, [&](int64_t i) { return av[(i % C) * R + i / C]; }, bi);
  // one condition row broadcast over every row
  Handle c_row;
  REQUIRE_OK(tensor_slice(c_row.out(), c, 0, 0, 1, 1));
  REQUIRE_OK(tensor_where(out.out(), c_row, a, b));
  expect([&](int64_t i) { return bool(cv[i % C]); }, ai, bi);
}

TEST_CASE("where selects correctly in every row layout and dtype") {
  check_where_layouts<float>();
  check_where_layouts<double>();
  check_where_layouts<int32_t>();
  check_where_layouts<int64_t>();
  check_where_layouts<bool>();
}

TEST_CASE("in-place ops write into the tensor, broadcast the other, refuse widening") {
  Handle t = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle row = make<float>({10, 20, 30}, {3});
  REQUIRE_OK(tensor_add_(t, row));
  CHECK(values<float>(t) == std::vector<float>{11, 22, 33, 14, 25, 36});
  REQUIRE_OK(tensor_mul_(t, make<int32_t>({2}, {}).get()));
  CHECK(values<float>(t)[0] == 22.0f);
  Handle big = make<float>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {2, 2, 3});
  CHECK(tensor_add_(t, big) == TENSOR_ERR_SHAPE);
  Handle ints = make<int32_t>({1, 2}, {2});
  CHECK(tensor_div_(ints, ints) == TENSOR_ERR_DTYPE);  // true division gives float
  CHECK(tensor_add_(ints, make<float>({0.5f}, {}).get()) == TENSOR_ERR_DTYPE);
  REQUIRE_OK(tensor_sub_(ints, ints));
  CHECK(values<int32_t>(ints) == std::vector<int32_t>{0, 0});
}

TEST_CASE("in-place with an overlapping operand reads before it writes") {
  Handle t = make<float>({1, 2, 3, 4}, {2, 2});
  Handle tt;
  REQUIRE_OK(tensor_transpose(tt.out(), t, 0, 1));
  REQUIRE_OK(tensor_add_(t, tt));  // t += t.T
  CHECK(values<float>(t) == std::vector<float>{2, 5, 5, 8});
}

TEST_CASE("copy_, fill_ and zero_") {
  Handle t = make<double>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle src = make<int32_t>({7, 8, 9}, {3});
  REQUIRE_OK(tensor_copy_(t, src));
  CHECK(values<double>(t) == std::vector<double>{7, 8, 9, 7, 8, 9});
  Handle col;
  REQUIRE_OK(tensor_select(col.out(), t, 1, 0));
  REQUIRE_OK(tensor_fill_(col, -1));
  CHECK(values<double>(t) == std::vector<double>{-1, 8, 9, -1, 8, 9});
  REQUIRE_OK(tensor_zero_(t));
  CHECK(values<double>(t) == std::vector<double>(6, 0.0));
  Handle wrong = make<float>({1, 2}, {2});
  CHECK(tensor_copy_(t, wrong) == TENSOR_ERR_SHAPE);
}

TEST_CASE("large tensors take the parallel paths and stay exact") {
  int64_t n = 1 << 20;
  int64_t shape[] = {n};
  Handle a, b, c;
  tensor_options i64 = opts_of(TENSOR_INT64);
  REQUIRE_OK(tensor_arange(a.out(), 0, static_cast<double>(n), 1, &i64));
  REQUIRE_OK(tensor_full(b.out(), shape, 1, 3, &i64));
  REQUIRE_OK(tensor_mul(c.out(), a, b));
  std::vector<int64_t> v = values<int64_t>(c);
  for (int64_t i = 0; i < n; i += 4099) REQUIRE(v[static_cast<size_t>(i)] == 3 * i);
  REQUIRE(v.back() == 3 * (n - 1));
  int64_t s2[] = {1024, 1024};
  Handle m, t, s;
  REQUIRE_OK(tensor_reshape(m.out(), a, s2, 2));
  REQUIRE_OK(tensor_transpose(t.out(), m, 0, 1));
  REQUIRE_OK(tensor_add(s.out(), t, m));  // strided + contiguous, parallel
  std::vector<int64_t> sv = values<int64_t>(s);
  for (int64_t i = 0; i < 1024; i += 37)
    for (int64_t j = 0; j < 1024; j += 41) REQUIRE(sv[static_cast<size_t>(i * 1024 + j)] == (j * 1024 + i) + (i * 1024 + j));
}

TEST_CASE("pow of a transposed (strided) tensor gives the contiguous tensor's bits", "[pow]") {
  std::vector<float> v(40 * 30);
  for (size_t i = 0; i < v.size(); ++i) v[i] = (i % 5 == 0 ? -1.0f : 1.0f) * (0.01f + 0.37f * float(i % 97));
  Handle x = make<float>(v, {40, 30});
  Handle xt, strided, contiguous, back;
  REQUIRE_OK(tensor_transpose(xt.out(), x, 0, 1));
  for (double e : {2.5, 2.0, 3.0, 0.5, -0.5, -1.0, -2.0, 4.0}) {
    INFO("exponent " << e);
    REQUIRE_OK(tensor_pow_scalar(strided.out(), xt, e));
    REQUIRE_OK(tensor_pow_scalar(contiguous.out(), x, e));
    REQUIRE_OK(tensor_transpose(back.out(), contiguous, 0, 1));
    const std::vector<float> a = values<float>(strided), b = values<float>(back);
    REQUIRE(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  }
}
