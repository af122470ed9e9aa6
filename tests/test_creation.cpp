// Creation calls: values, dtypes, options, randomness.
#include <cmath>

#include "test_util.h"

TEST_CASE("zeros, ones, full, empty have the requested shape, dtype and values") {
  int64_t shape[] = {2, 3};
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT32, TENSOR_INT64, TENSOR_BOOL}) {
    tensor_options o = opts_of(dt);
    Handle z, one, f, e;
    REQUIRE_OK(tensor_zeros(z.out(), shape, 2, &o));
    REQUIRE_OK(tensor_ones(one.out(), shape, 2, &o));
    REQUIRE_OK(tensor_full(f.out(), shape, 2, 7.0, &o));
    REQUIRE_OK(tensor_empty(e.out(), shape, 2, &o));
    CHECK(tensor_get_dtype(z) == dt);
    CHECK(shape_of(e) == std::vector<int64_t>{2, 3});
    CHECK(values<double>(z) == std::vector<double>(6, 0.0));
    CHECK(values<double>(one) == std::vector<double>(6, 1.0));
    CHECK(values<double>(f) == std::vector<double>(6, dt == TENSOR_BOOL ? 1.0 : 7.0));
  }
}

TEST_CASE("NULL options mean float32 on the CPU without grad") {
  int64_t shape[] = {4};
  Handle t;
  REQUIRE_OK(tensor_zeros(t.out(), shape, 1, nullptr));
  CHECK(tensor_get_dtype(t) == TENSOR_FLOAT32);
  CHECK(tensor_get_device(t).type == TENSOR_CPU);
  CHECK_FALSE(tensor_requires_grad(t));
}

TEST_CASE("0-d and size-0 tensors are created") {
  Handle s, e;
  REQUIRE_OK(tensor_full(s.out(), nullptr, 0, 3.5, nullptr));
  CHECK(tensor_ndim(s) == 0);
  CHECK(tensor_numel(s) == 1);
  double v = 0;
  REQUIRE_OK(tensor_item(s, &v));
  CHECK(v == 3.5);
  int64_t shape[] = {3, 0, 2};
  REQUIRE_OK(tensor_ones(e.out(), shape, 3, nullptr));
  CHECK(tensor_numel(e) == 0);
  CHECK(tensor_is_contiguous(e));
}

TEST_CASE("from_data copies row-major data of every dtype") {
  Handle f = make<float>({1.5f, -2.0f, 3.25f, 4.0f}, {2, 2});
  CHECK(values<float>(f) == std::vector<float>{1.5f, -2.0f, 3.25f, 4.0f});
  Handle i = make<int64_t>({1, 2, 3}, {3});
  CHECK(values<int64_t>(i) == std::vector<int64_t>{1, 2, 3});
  // bool bytes other than 0/1 are normalised
  unsigned char raw[] = {0, 2, 255};
  tensor_options o = opts_of(TENSOR_BOOL);
  int64_t shape[] = {3};
  Handle b;
  REQUIRE_OK(tensor_from_data(b.out(), raw, shape, 1, &o));
  CHECK(values<int32_t>(b) == std::vector<int32_t>{0, 1, 1});
}

TEST_CASE("arange has ceil((end-start)/step) elements in either direction") {
  Handle a, b, c, d;
  REQUIRE_OK(tensor_arange(a.out(), 0, 5, 1, nullptr));
  CHECK(values<float>(a) == std::vector<float>{0, 1, 2, 3, 4});
  REQUIRE_OK(tensor_arange(b.out(), 0, 1, 0.3, nullptr));
  CHECK(tensor_numel(b) == 4);
  tensor_options i64 = opts_of(TENSOR_INT64);
  REQUIRE_OK(tensor_arange(c.out(), 10, 0, -3, &i64));
  CHECK(values<int64_t>(c) == std::vector<int64_t>{10, 7, 4, 1});
  REQUIRE_OK(tensor_arange(d.out(), 2, 2, 1, nullptr));
  CHECK(tensor_numel(d) == 0);
  Handle bad;
  CHECK(tensor_arange(bad.out(), 0, 5, 0, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_arange(bad.out(), 0, 5, -1, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(bad.get() == nullptr);
}

TEST_CASE("linspace matches NumPy, endpoints exact") {
  Handle a, b, one, none;
  REQUIRE_OK(tensor_linspace(a.out(), 0, 1, 5, nullptr));
  CHECK(values<float>(a) == std::vector<float>{0.0f, 0.25f, 0.5f, 0.75f, 1.0f});
  tensor_options f64 = opts_of(TENSOR_FLOAT64);
  REQUIRE_OK(tensor_linspace(b.out(), -1, 2, 7, &f64));
  std::vector<double> v = values<double>(b);
  // np.linspace(-1, 2, 7)
  std::vector<double> expect = {-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0};
  for (size_t i = 0; i < v.size(); ++i) CHECK(v[i] == Approx(expect[i]).margin(1e-15));
  CHECK(v.back() == 2.0);
  REQUIRE_OK(tensor_linspace(one.out(), 3, 9, 1, nullptr));
  CHECK(values<float>(one) == std::vector<float>{3.0f});
  REQUIRE_OK(tensor_linspace(none.out(), 3, 9, 0, nullptr));
  CHECK(tensor_numel(none) == 0);
  CHECK(tensor_linspace(none.out(), 0, 1, -1, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("eye is the identity") {
  Handle e;
  tensor_options i32 = opts_of(TENSOR_INT32);
  REQUIRE_OK(tensor_eye(e.out(), 3, &i32));
  CHECK(values<int32_t>(e) == std::vector<int32_t>{1, 0, 0, 0, 1, 0, 0, 0, 1});
  CHECK(tensor_eye(e.out(), -1, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("rand and randn are reproducible per seed and advance the stream") {
  int64_t shape[] = {1000};
  Handle a, b, c;
  tensor_manual_seed(123);
  REQUIRE_OK(tensor_rand(a.out(), shape, 1, nullptr));
  REQUIRE_OK(tensor_rand(c.out(), shape, 1, nullptr));
  tensor_manual_seed(123);
  REQUIRE_OK(tensor_rand(b.out(), shape, 1, nullptr));
  CHECK(values<float>(a) == values<float>(b));
  CHECK(values<float>(a) != values<float>(c));
  double sum = 0;
  for (float v : values<float>(a)) {
    CHECK((v >= 0.0f && v < 1.0f));
    sum += v;
  }
  CHECK(sum / 1000 == Approx(0.5).margin(0.05));

  int64_t big[] = {100000};
  tensor_options f64 = opts_of(TENSOR_FLOAT64);
  Handle n;
  REQUIRE_OK(tensor_randn(n.out(), big, 1, &f64));
  double m = 0, m2 = 0;
  for (double v : values<double>(n)) {
    m += v;
    m2 += v * v;
  }
  m /= 100000;
  CHECK(m == Approx(0.0).margin(0.02));
  CHECK(std::sqrt(m2 / 100000 - m * m) == Approx(1.0).margin(0.02));

  tensor_options i32 = opts_of(TENSOR_INT32);
  CHECK(tensor_rand(n.out(), shape, 1, &i32) == TENSOR_ERR_DTYPE);
}

TEST_CASE("zeros_like and ones_like copy shape and dtype") {
  Handle t = make<int32_t>({1, 2, 3, 4, 5, 6}, {3, 2});
  Handle z, o;
  REQUIRE_OK(tensor_zeros_like(z.out(), t));
  REQUIRE_OK(tensor_ones_like(o.out(), t));
  CHECK(tensor_get_dtype(z) == TENSOR_INT32);
  CHECK(shape_of(o) == std::vector<int64_t>{3, 2});
  CHECK(values<int32_t>(o) == std::vector<int32_t>(6, 1));
}

TEST_CASE("requires_grad in options makes a leaf; integer dtypes refuse it") {
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.requires_grad = true;
  int64_t shape[] = {2};
  Handle t;
  REQUIRE_OK(tensor_ones(t.out(), shape, 1, &o));
  CHECK(tensor_requires_grad(t));
  CHECK(tensor_is_leaf(t));
  o.dtype = TENSOR_INT64;
  CHECK(tensor_ones(t.out(), shape, 1, &o) == TENSOR_ERR_DTYPE);
}
