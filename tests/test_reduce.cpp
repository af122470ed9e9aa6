// Reductions through the C API: values (exact or against references computed here), dtype rules, empty
// inputs, NaN, ties, keepdim and negative dims, non-contiguous inputs, accuracy, and every error.
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "test_util.h"

namespace {

using Dims = std::vector<int32_t>;
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

using DimsFn = tensor_status (*)(tensor**, const tensor*, const int32_t*, int32_t, bool);

Handle reduce(DimsFn fn, const tensor* t, const Dims& dims, bool keepdim = false) {
  Handle out;
  REQUIRE_OK(fn(out.out(), t, dims.empty() ? nullptr : dims.data(), static_cast<int32_t>(dims.size()), keepdim));
  return out;
}
Handle var_of(const tensor* t, const Dims& dims, int64_t correction, bool keepdim = false, bool std_dev = false) {
  Handle out;
  auto fn = std_dev ? tensor_std : tensor_var;
  REQUIRE_OK(fn(out.out(), t, dims.empty() ? nullptr : dims.data(), static_cast<int32_t>(dims.size()), correction,
                keepdim));
  return out;
}
std::string last_error() { return tensor_last_error(); }

// Expect status `st` and a message that starts with the call's name.
void require_error(tensor_status got, tensor_status want, const char* call) {
  INFO(tensor_last_error());
  REQUIRE(got == want);
  REQUIRE(last_error().rfind(std::string(call) + ": ", 0) == 0);
}

Handle arange_f(int64_t n, tensor_dtype dt, const std::vector<int64_t>& shape) {
  Handle a, r;
  tensor_options o = opts_of(dt);
  REQUIRE_OK(tensor_arange(a.out(), 0, static_cast<double>(n), 1, &o));
  REQUIRE_OK(tensor_reshape(r.out(), a, shape.data(), static_cast<int32_t>(shape.size())));
  return r;
}

}  // namespace

TEST_CASE("the seed notebook's reductions print what PyTorch prints") {
  Handle t = make<float>({0.5f, 13.f, 4.f}, {3});
  Handle mean = reduce(tensor_mean, t, {}), sd = var_of(t, {}, 1, false, true), mx, mn;
  REQUIRE_OK(tensor_max(mx.out(), t));
  REQUIRE_OK(tensor_min(mn.out(), t));
  CHECK(format_of(mean) == "tensor(5.8333)");
  CHECK(format_of(sd) == "tensor(6.4485)");
  CHECK(format_of(mx) == "tensor(13.)");
  CHECK(format_of(mn) == "tensor(0.5000)");

  Handle m = arange_f(20, TENSOR_FLOAT64, {5, 4});
  Handle col = reduce(tensor_mean, m, {0});
  CHECK(values<double>(col) == std::vector<double>{8, 9, 10, 11});
  CHECK(format_of(col).rfind("tensor([ 8.,  9., 10., 11.], dtype=", 0) == 0);

  Handle img;
  std::vector<int64_t> shape{5, 256, 256, 3};
  REQUIRE_OK(tensor_rand(img.out(), shape.data(), 4, nullptr));
  CHECK(shape_of(reduce(tensor_mean, img, {0})) == std::vector<int64_t>{256, 256, 3});
  CHECK(shape_of(reduce(tensor_mean, img, {-1})) == std::vector<int64_t>{5, 256, 256});
  Handle v, i;
  REQUIRE_OK(tensor_max_dim(v.out(), i.out(), img, -1, false));
  CHECK(shape_of(v) == std::vector<int64_t>{5, 256, 256});
  CHECK(tensor_get_dtype(i) == TENSOR_INT64);
}

TEST_CASE("sum over all dims, a set of dims, negative dims and keepdim") {
  Handle t = arange_f(24, TENSOR_FLOAT32, {2, 3, 4});
  CHECK(values<float>(reduce(tensor_sum, t, {})) == std::vector<float>{276});
  CHECK(shape_of(reduce(tensor_sum, t, {})).empty());
  Handle s1 = reduce(tensor_sum, t, {1});
  CHECK(shape_of(s1) == std::vector<int64_t>{2, 4});
  CHECK(values<float>(s1) == std::vector<float>{12, 15, 18, 21, 48, 51, 54, 57});
  Handle s02 = reduce(tensor_sum, t, {-1, 0}, true);
  CHECK(shape_of(s02) == std::vector<int64_t>{1, 3, 1});
  CHECK(values<float>(s02) == std::vector<float>{60, 92, 124});
  Handle kept_all = reduce(tensor_sum, t, {}, true);
  CHECK(shape_of(kept_all) == std::vector<int64_t>{1, 1, 1});
}

TEST_CASE("sum and prod of integer and bool input give int64") {
  Handle i = make<int32_t>({-2, 3, 4, -5}, {2, 2});
  Handle s = reduce(tensor_sum, i, {});
  CHECK(tensor_get_dtype(s) == TENSOR_INT64);
  CHECK(values<int64_t>(s) == std::vector<int64_t>{0});
  Handle p = reduce(tensor_prod, i, {1});
  CHECK(tensor_get_dtype(p) == TENSOR_INT64);
  CHECK(values<int64_t>(p) == std::vector<int64_t>{-6, -20});
  Handle b = make<bool>({true, false, true, true}, {4});
  Handle count = reduce(tensor_sum, b, {});
  CHECK(tensor_get_dtype(count) == TENSOR_INT64);
  CHECK(values<int64_t>(count) == std::vector<int64_t>{3});
  CHECK(values<int64_t>(reduce(tensor_prod, b, {})) == std::vector<int64_t>{0});
  // int64 sums wrap around as PyTorch's
  Handle big = make<int64_t>({std::numeric_limits<int64_t>::max(), 1}, {2});
  CHECK(values<int64_t>(reduce(tensor_sum, big, {})) == std::vector<int64_t>{std::numeric_limits<int64_t>::min()});
}

TEST_CASE("prod of floats, with zeros") {
  Handle t = make<double>({1.5, -2, 4, 0, 3, 5}, {2, 3});
  CHECK(values<double>(reduce(tensor_prod, t, {})) == std::vector<double>{0});
  CHECK(values<double>(reduce(tensor_prod, t, {1})) == std::vector<double>{-12, 0});
  CHECK(values<double>(reduce(tensor_prod, t, {0})) == std::vector<double>{0, -6, 20});
}

TEST_CASE("prod of contiguous rows of every length, in float32 and float64, against a long double product") {
  // The contiguous path multiplies eight running products side by side; lengths 0..41 cover every tail,
  // 100003 the threaded split. Values near 1 keep the products finite, a zero and an inf give 0 and NaN.
  std::mt19937 gen(7);
  std::uniform_real_distribution<double> u(0.9, 1.1);
  for (int64_t n : {0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 41, 100003}) {
    std::vector<double> xd(static_cast<size_t>(n));
    for (double& x : xd) x = u(gen);
    std::vector<float> xf(xd.begin(), xd.end());
    long double want_d = 1, want_f = 1;
    for (size_t i = 0; i < xd.size(); ++i) want_d *= xd[i], want_f *= xf[i];
    INFO("n = " << n);
    const double got_d = values<double>(reduce(tensor_prod, make<double>(xd, {n}), {}))[0];
    const float got_f = values<float>(reduce(tensor_prod, make<float>(xf, {n}), {}))[0];
    CHECK(std::fabs(got_d - static_cast<double>(want_d)) <= 1e-12 * static_cast<double>(want_d));
    CHECK(got_f == static_cast<float>(want_f));  // accumulated in double: the float result is the rounded product
  }
  std::vector<float> with_zero(37, 2.0f), with_inf_and_zero(37, 2.0f);
  with_zero[20] = 0.0f;
  with_inf_and_zero[3] = std::numeric_limits<float>::infinity();
  with_inf_and_zero[30] = 0.0f;
  CHECK(values<float>(reduce(tensor_prod, make<float>(with_zero, {37}), {}))[0] == 0.0f);
  CHECK(std::isnan(values<float>(reduce(tensor_prod, make<float>(with_inf_and_zero, {37}), {}))[0]));
}

TEST_CASE("mean of floats; of integer or bool input it is a dtype error") {
  Handle t = make<double>({1, 2, 3, 4, 5, 6}, {2, 3});
  CHECK(values<double>(reduce(tensor_mean, t, {1})) == std::vector<double>{2, 5});
  CHECK(values<double>(reduce(tensor_mean, t, {})) == std::vector<double>{3.5});
  Handle out;
  Handle i = make<int32_t>({1, 2}, {2});
  require_error(tensor_mean(out.out(), i, nullptr, 0, false), TENSOR_ERR_DTYPE, "tensor_mean");
  CHECK(out.get() == nullptr);
  CHECK(last_error().find("int32") != std::string::npos);
  Handle b = make<bool>({true}, {1});
  require_error(tensor_mean(out.out(), b, nullptr, 0, false), TENSOR_ERR_DTYPE, "tensor_mean");
  require_error(tensor_var(out.out(), i, nullptr, 0, 1, false), TENSOR_ERR_DTYPE, "tensor_var");
  require_error(tensor_std(out.out(), i, nullptr, 0, 1, false), TENSOR_ERR_DTYPE, "tensor_std");
}

TEST_CASE("empty inputs: sum 0, prod 1, mean and var nan, all true, any false") {
  Handle e;
  std::vector<int64_t> shape{0, 3};
  REQUIRE_OK(tensor_zeros(e.out(), shape.data(), 2, nullptr));
  CHECK(values<float>(reduce(tensor_sum, e, {})) == std::vector<float>{0});
  CHECK(values<float>(reduce(tensor_sum, e, {0})) == std::vector<float>{0, 0, 0});
  CHECK(values<float>(reduce(tensor_prod, e, {0})) == std::vector<float>{1, 1, 1});
  CHECK(std::isnan(values<float>(reduce(tensor_mean, e, {}))[0]));
  CHECK(std::isnan(values<float>(var_of(e, {}, 1))[0]));
  CHECK(std::isnan(values<float>(var_of(e, {0}, 0))[2]));
  CHECK(values<bool>(reduce(tensor_all, e, {})) == std::vector<bool>{true});
  CHECK(values<bool>(reduce(tensor_any, e, {})) == std::vector<bool>{false});
  // reducing the non-empty dim leaves an empty result
  Handle s1 = reduce(tensor_sum, e, {1});
  CHECK(shape_of(s1) == std::vector<int64_t>{0});
}

TEST_CASE("0-d input: dim 0 and -1 are accepted and the result stays 0-d") {
  Handle t = make<float>({7}, {});
  for (int32_t d : {0, -1}) {
    CHECK(shape_of(reduce(tensor_sum, t, {d})).empty());
    CHECK(shape_of(reduce(tensor_sum, t, {d}, true)).empty());
    Handle v, i;
    REQUIRE_OK(tensor_max_dim(v.out(), i.out(), t, d, true));
    CHECK(values<float>(v) == std::vector<float>{7});
    CHECK(values<int64_t>(i) == std::vector<int64_t>{0});
  }
  Handle out;
  require_error(tensor_sum(out.out(), t, std::vector<int32_t>{1}.data(), 1, false), TENSOR_ERR_INDEX, "tensor_sum");
  CHECK(std::isnan(values<float>(var_of(t, {}, 1))[0]));
  CHECK(values<float>(var_of(t, {}, 0)) == std::vector<float>{0});
}

TEST_CASE("var and std: correction, and the correction >= N cases as PyTorch") {
  Handle t = make<double>({1, 2, 3, 4}, {4});
  CHECK(values<double>(var_of(t, {}, 0))[0] == Approx(1.25));
  CHECK(values<double>(var_of(t, {}, 1))[0] == Approx(5.0 / 3));
  CHECK(values<double>(var_of(t, {}, 2))[0] == Approx(2.5));
  CHECK(values<double>(var_of(t, {}, -1))[0] == Approx(1.0));
  CHECK(values<double>(var_of(t, {}, 1, false, true))[0] == Approx(std::sqrt(5.0 / 3)));
  CHECK(values<double>(var_of(t, {}, 4))[0] == kInf);  // divisor max(0, N - correction) = 0
  CHECK(values<double>(var_of(t, {}, 9))[0] == kInf);
  Handle one = make<double>({3}, {1});
  CHECK(std::isnan(values<double>(var_of(one, {}, 1))[0]));  // 0 / 0
  CHECK(values<double>(var_of(one, {}, 0)) == std::vector<double>{0});
  Handle m = make<double>({1, 2, 3, 4, 6, 8}, {2, 3});
  CHECK(values<double>(var_of(m, {1}, 1)) == std::vector<double>{1, 4});
  Handle kept = var_of(m, {0}, 1, true);
  CHECK(shape_of(kept) == std::vector<int64_t>{1, 3});
  CHECK(values<double>(kept) == std::vector<double>{4.5, 8, 12.5});
}

TEST_CASE("var and std are stable on data with a large mean (1e4 + N(0, 1)), float32 and float64") {
  std::mt19937 rng(7);
  std::normal_distribution<double> nd(0.0, 1.0);
  for (int64_t n : {int64_t(1000), int64_t(1) << 20}) {
    std::vector<float> v(static_cast<size_t>(n));
    for (float& x : v) x = static_cast<float>(1e4 + nd(rng));
    // exact reference in double, two passes over the float values
    double mean = 0;
    for (float x : v) mean += x;
    mean /= static_cast<double>(n);
    double m2 = 0;
    for (float x : v) m2 += (x - mean) * (x - mean);
    const double want = m2 / static_cast<double>(n - 1);
    Handle f = make<float>(v, {n});
    CHECK(values<double>(var_of(f, {}, 1))[0] == Approx(want).epsilon(1e-5));
    CHECK(values<double>(var_of(f, {}, 1, false, true))[0] == Approx(std::sqrt(want)).epsilon(1e-5));
    Handle d;
    REQUIRE_OK(tensor_to_dtype(d.out(), f, TENSOR_FLOAT64));
    CHECK(values<double>(var_of(d, {}, 1))[0] == Approx(want).epsilon(1e-12));
    // over a dim: the rows of a (n/8, 8) view run through the strided (outer) loop
    Handle r, col;
    std::vector<int64_t> shape{n / 8, 8};
    REQUIRE_OK(tensor_reshape(r.out(), f, shape.data(), 2));
    std::vector<double> per_col = values<double>(var_of(r, {0}, 1));
    for (int64_t c = 0; c < 8; ++c) {
      double s = 0, q = 0;
      for (int64_t k = 0; k < n / 8; ++k) s += v[static_cast<size_t>(k * 8 + c)];
      s /= static_cast<double>(n / 8);
      for (int64_t k = 0; k < n / 8; ++k) q += (v[static_cast<size_t>(k * 8 + c)] - s) * (v[static_cast<size_t>(k * 8 + c)] - s);
      CHECK(per_col[static_cast<size_t>(c)] == Approx(q / static_cast<double>(n / 8 - 1)).epsilon(1e-5));
    }
  }
}

TEST_CASE("float32 sum of 16M uniform values is within 1e-6 of the float64 sum") {
  tensor_manual_seed(11);
  Handle t;
  int64_t n = int64_t(16) << 20;
  REQUIRE_OK(tensor_rand(t.out(), &n, 1, nullptr));
  std::vector<float> v = values<float>(t);
  long double exact = 0;
  for (float x : v) exact += x;
  for (int32_t threads : {1, 2}) {
    REQUIRE_OK(tensor_set_num_threads(threads));
    const double got = values<double>(reduce(tensor_sum, t, {}))[0];
    CHECK(std::fabs(got - static_cast<double>(exact)) / static_cast<double>(exact) < 1e-6);
    const double mean = values<double>(reduce(tensor_mean, t, {}))[0];
    CHECK(std::fabs(mean - static_cast<double>(exact / n)) / static_cast<double>(exact / n) < 1e-6);
  }
  // the same data folded column-wise (outer loop) and row-wise (inner loop)
  Handle m;
  std::vector<int64_t> shape{4096, 4096};
  REQUIRE_OK(tensor_reshape(m.out(), t, shape.data(), 2));
  std::vector<float> cols = values<float>(reduce(tensor_sum, m, {0}));
  std::vector<float> rows = values<float>(reduce(tensor_sum, m, {1}));
  for (size_t c = 0; c < 4096; c += 511) {
    double sc = 0, sr = 0;
    for (size_t k = 0; k < 4096; ++k) {
      sc += v[k * 4096 + c];
      sr += v[c * 4096 + k];
    }
    CHECK(std::fabs(cols[c] - sc) / sc < 1e-6);
    CHECK(std::fabs(rows[c] - sr) / sr < 1e-6);
  }
}

TEST_CASE("max and min over all elements keep the dtype; NaN propagates") {
  Handle i = make<int32_t>({3, -7, 12, 5}, {2, 2});
  Handle mx, mn;
  REQUIRE_OK(tensor_max(mx.out(), i));
  REQUIRE_OK(tensor_min(mn.out(), i));
  CHECK(tensor_get_dtype(mx) == TENSOR_INT32);
  CHECK(values<int32_t>(mx) == std::vector<int32_t>{12});
  CHECK(values<int32_t>(mn) == std::vector<int32_t>{-7});
  Handle b = make<bool>({false, true}, {2});
  REQUIRE_OK(tensor_max(mx.out(), b));
  CHECK(values<bool>(mx) == std::vector<bool>{true});
  std::vector<float> data(100000, 1.0f);
  data[77777] = static_cast<float>(kNaN);
  data[5] = 1e30f;
  Handle f = make<float>(data, {100000});
  REQUIRE_OK(tensor_max(mx.out(), f));
  REQUIRE_OK(tensor_min(mn.out(), f));
  CHECK(std::isnan(values<float>(mx)[0]));
  CHECK(std::isnan(values<float>(mn)[0]));
  Handle inf = make<double>({-kInf, -kInf}, {2});
  REQUIRE_OK(tensor_max(mx.out(), inf));
  CHECK(values<double>(mx)[0] == -kInf);
}

TEST_CASE("max/min of an empty tensor is an error naming the shape") {
  Handle e, out;
  std::vector<int64_t> shape{2, 0};
  REQUIRE_OK(tensor_zeros(e.out(), shape.data(), 2, nullptr));
  require_error(tensor_max(out.out(), e), TENSOR_ERR_INVALID_ARGUMENT, "tensor_max");
  CHECK(last_error().find("[2, 0]") != std::string::npos);
  require_error(tensor_min(out.out(), e), TENSOR_ERR_INVALID_ARGUMENT, "tensor_min");
  CHECK(out.get() == nullptr);
}

TEST_CASE("max_dim/min_dim: values and int64 indices, first index on ties, keepdim, negative dim") {
  Handle t = make<float>({1, 5, 5, 2, 9, 0, 9, 3, 4}, {3, 3});
  Handle v, i;
  REQUIRE_OK(tensor_max_dim(v.out(), i.out(), t, 1, false));
  CHECK(values<float>(v) == std::vector<float>{5, 9, 9});
  CHECK(values<int64_t>(i) == std::vector<int64_t>{1, 1, 0});
  REQUIRE_OK(tensor_min_dim(v.out(), i.out(), t, -2, true));
  CHECK(shape_of(v) == std::vector<int64_t>{1, 3});
  CHECK(values<float>(v) == std::vector<float>{1, 3, 0});
  CHECK(values<int64_t>(i) == std::vector<int64_t>{0, 2, 1});
  Handle am, an;
  REQUIRE_OK(tensor_argmax(am.out(), t, 0, false));
  CHECK(values<int64_t>(am) == std::vector<int64_t>{2, 1, 0});
  REQUIRE_OK(tensor_argmin(an.out(), t, 1, true));
  CHECK(shape_of(an) == std::vector<int64_t>{3, 1});
  CHECK(values<int64_t>(an) == std::vector<int64_t>{0, 2, 1});
}

TEST_CASE("NaN wins max and min and its first index is reported") {
  Handle t = make<double>({1, kNaN, 3, kNaN, -1, 2}, {2, 3});
  Handle v, i;
  REQUIRE_OK(tensor_max_dim(v.out(), i.out(), t, 1, false));
  std::vector<double> vals = values<double>(v);
  CHECK(std::isnan(vals[0]));
  CHECK(std::isnan(vals[1]));
  CHECK(values<int64_t>(i) == std::vector<int64_t>{1, 0});
  REQUIRE_OK(tensor_min_dim(v.out(), i.out(), t, 0, false));
  CHECK(values<int64_t>(i) == std::vector<int64_t>{1, 0, 1});
  Handle am;
  REQUIRE_OK(tensor_argmin(am.out(), t, 1, false));
  CHECK(values<int64_t>(am) == std::vector<int64_t>{1, 0});
}

TEST_CASE("max_dim/argmax over an empty dim is an index error; other empty dims are fine") {
  Handle e, v, i, out;
  std::vector<int64_t> shape{3, 0};
  REQUIRE_OK(tensor_zeros(e.out(), shape.data(), 2, nullptr));
  require_error(tensor_max_dim(v.out(), i.out(), e, 1, false), TENSOR_ERR_INDEX, "tensor_max_dim");
  CHECK(last_error().find("[3, 0]") != std::string::npos);
  CHECK(v.get() == nullptr);
  CHECK(i.get() == nullptr);
  require_error(tensor_min_dim(v.out(), i.out(), e, -1, false), TENSOR_ERR_INDEX, "tensor_min_dim");
  require_error(tensor_argmax(out.out(), e, 1, false), TENSOR_ERR_INDEX, "tensor_argmax");
  require_error(tensor_argmin(out.out(), e, 1, false), TENSOR_ERR_INDEX, "tensor_argmin");
  REQUIRE_OK(tensor_max_dim(v.out(), i.out(), e, 0, false));
  CHECK(shape_of(v) == std::vector<int64_t>{0});
}

TEST_CASE("all/any give bool from any dtype; nonzero and NaN count as true") {
  Handle f = make<float>({0, 2, static_cast<float>(kNaN), 0, -1, 3}, {2, 3});
  Handle al = reduce(tensor_all, f, {0});
  CHECK(tensor_get_dtype(al) == TENSOR_BOOL);
  CHECK(values<bool>(al) == std::vector<bool>{false, true, true});
  CHECK(values<bool>(reduce(tensor_any, f, {1}, true)) == std::vector<bool>{true, true});
  CHECK(shape_of(reduce(tensor_any, f, {1}, true)) == std::vector<int64_t>{2, 1});
  Handle i = make<int64_t>({0, 0, 5}, {3});
  CHECK(values<bool>(reduce(tensor_any, i, {})) == std::vector<bool>{true});
  CHECK(values<bool>(reduce(tensor_all, i, {})) == std::vector<bool>{false});
  Handle b = make<bool>({true, true}, {2});
  CHECK(values<bool>(reduce(tensor_all, b, {})) == std::vector<bool>{true});
}

TEST_CASE("non-contiguous inputs are reduced in place: permuted, stepped and expanded views") {
  Handle t = arange_f(24, TENSOR_FLOAT64, {2, 3, 4});
  Handle p, s, e;
  std::vector<int32_t> perm{2, 0, 1};
  REQUIRE_OK(tensor_permute(p.out(), t, perm.data(), 3));  // shape (4, 2, 3)
  CHECK(values<double>(reduce(tensor_sum, p, {0})) == std::vector<double>{6, 22, 38, 54, 70, 86});
  CHECK(values<double>(reduce(tensor_sum, p, {1, 2})) == std::vector<double>{60, 66, 72, 78});
  Handle v, i;
  REQUIRE_OK(tensor_max_dim(v.out(), i.out(), p, 0, false));
  CHECK(values<int64_t>(i) == std::vector<int64_t>{3, 3, 3, 3, 3, 3});
  REQUIRE_OK(tensor_slice(s.out(), t, 2, 1, 4, 2));  // t[:, :, 1::2], shape (2, 3, 2)
  CHECK(values<double>(reduce(tensor_sum, s, {2})) == std::vector<double>{4, 12, 20, 28, 36, 44});
  CHECK(values<double>(reduce(tensor_prod, s, {0, 1})) ==
        std::vector<double>{1.0 * 5 * 9 * 13 * 17 * 21, 3.0 * 7 * 11 * 15 * 19 * 23});
  Handle row = make<double>({1, 2, 3}, {1, 3});
  std::vector<int64_t> shape{4, 3};
  REQUIRE_OK(tensor_expand(e.out(), row, shape.data(), 2));  // stride 0 along dim 0
  CHECK(values<double>(reduce(tensor_sum, e, {0})) == std::vector<double>{4, 8, 12});
  CHECK(values<double>(var_of(e, {0}, 1)) == std::vector<double>{0, 0, 0});
  CHECK(values<double>(reduce(tensor_mean, e, {})) == std::vector<double>{2});
}

TEST_CASE("results do not depend on the thread count beyond rounding") {
  Handle t;
  std::vector<int64_t> shape{3, 70000};
  tensor_manual_seed(5);
  REQUIRE_OK(tensor_randn(t.out(), shape.data(), 2, nullptr));
  std::vector<std::vector<float>> got;
  for (int32_t threads : {1, 2}) {
    REQUIRE_OK(tensor_set_num_threads(threads));
    std::vector<float> r = values<float>(reduce(tensor_sum, t, {1}));
    for (float x : values<float>(reduce(tensor_sum, t, {0}))) r.push_back(x);
    for (float x : values<float>(var_of(t, {1}, 1))) r.push_back(x);
    Handle v, i;
    REQUIRE_OK(tensor_max_dim(v.out(), i.out(), t, 1, false));
    for (int64_t x : values<int64_t>(i)) r.push_back(static_cast<float>(x));
    got.push_back(r);
  }
  REQUIRE(got[0].size() == got[1].size());
  for (size_t k = 0; k < got[0].size(); ++k) CHECK(got[0][k] == Approx(got[1][k]).epsilon(1e-5).margin(1e-4));
}

TEST_CASE("bad arguments are statuses with messages, never crashes") {
  Handle t = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle out, v, i;
  std::vector<int32_t> twice{0, -2}, far{2};
  require_error(tensor_sum(out.out(), t, twice.data(), 2, false), TENSOR_ERR_INVALID_ARGUMENT, "tensor_sum");
  CHECK(last_error().find("multiple times") != std::string::npos);
  require_error(tensor_prod(out.out(), t, far.data(), 1, false), TENSOR_ERR_INDEX, "tensor_prod");
  CHECK(last_error().find("[2, 3]") != std::string::npos);
  require_error(tensor_all(out.out(), t, nullptr, 2, false), TENSOR_ERR_INVALID_ARGUMENT, "tensor_all");
  require_error(tensor_any(out.out(), t, twice.data(), -1, false), TENSOR_ERR_INVALID_ARGUMENT, "tensor_any");
  require_error(tensor_sum(nullptr, t, nullptr, 0, false), TENSOR_ERR_INVALID_ARGUMENT, "tensor_sum");
  require_error(tensor_mean(out.out(), nullptr, nullptr, 0, false), TENSOR_ERR_INVALID_ARGUMENT, "tensor_mean");
  require_error(tensor_var(out.out(), t, far.data(), 1, 1, false), TENSOR_ERR_INDEX, "tensor_var");
  require_error(tensor_max(nullptr, t), TENSOR_ERR_INVALID_ARGUMENT, "tensor_max");
  require_error(tensor_max_dim(v.out(), nullptr, t, 0, false), TENSOR_ERR_INVALID_ARGUMENT, "tensor_max_dim");
  CHECK(v.get() == nullptr);
  tensor* same = nullptr;
  tensor* stale = reinterpret_cast<tensor*>(&same);  // a caller's leftover value, never dereferenced
  require_error(tensor_max_dim(nullptr, &stale, t, 0, false), TENSOR_ERR_INVALID_ARGUMENT, "tensor_max_dim");
  CHECK(stale == nullptr);  // every output is NULL after a failure
  require_error(tensor_min_dim(&same, &same, t, 0, false), TENSOR_ERR_INVALID_ARGUMENT, "tensor_min_dim");
  CHECK(same == nullptr);
  require_error(tensor_max_dim(v.out(), i.out(), t, 3, false), TENSOR_ERR_INDEX, "tensor_max_dim");
  require_error(tensor_argmax(out.out(), t, -3, false), TENSOR_ERR_INDEX, "tensor_argmax");
  CHECK(out.get() == nullptr);
}
