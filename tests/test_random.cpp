// The random family through the C API: determinism under a seed, the stream state (get/set resumes the
// same numbers, each draw advances the offset by the Philox blocks it used), ranges, randperm being a
// permutation, statistics with fixed seeds (mean/variance within 5 sigma, chi-square frequencies), dropout's
// values, identity and grad, and PyTorch's error statuses. torch comparisons: tests/python/test_random_torch.py.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "core/philox.h"
#include "test_util.h"

namespace {

void require_status(tensor_status st, tensor_status want, const std::vector<std::string>& words) {
  INFO(tensor_last_error());
  REQUIRE(st == want);
  const std::string msg = tensor_last_error();
  for (const std::string& w : words) CHECK(msg.find(w) != std::string::npos);
}

Handle randint(int64_t low, int64_t high, const std::vector<int64_t>& shape, const tensor_options* o = nullptr) {
  Handle h;
  REQUIRE_OK(tensor_randint(h.out(), low, high, shape.data(), static_cast<int32_t>(shape.size()), o));
  return h;
}

Handle filled(double value, const std::vector<int64_t>& shape, tensor_dtype dt) {
  Handle h;
  tensor_options o = opts_of(dt);
  REQUIRE_OK(tensor_full(h.out(), shape.data(), static_cast<int32_t>(shape.size()), value, &o));
  return h;
}

struct Moments {
  double mean, var;
};

Moments moments(const std::vector<double>& v) {
  double s = 0, s2 = 0;
  for (double x : v) s += x;
  const double m = s / static_cast<double>(v.size());
  for (double x : v) s2 += (x - m) * (x - m);
  return {m, s2 / static_cast<double>(v.size() - 1)};
}

// |mean - mu| within 5 standard errors, and the sample variance within 5 of its standard errors
// (var of s^2 ~ (mu4 - sigma^4) / n with mu4 the fourth central moment).
void check_moments(const std::vector<double>& v, double mu, double var, double mu4) {
  const double n = static_cast<double>(v.size());
  const Moments m = moments(v);
  INFO("mean " << m.mean << " (want " << mu << "), var " << m.var << " (want " << var << ")");
  CHECK(std::fabs(m.mean - mu) < 5 * std::sqrt(var / n));
  CHECK(std::fabs(m.var - var) < 5 * std::sqrt((mu4 - var * var) / n));
}

// Pearson's chi-square of observed counts against expected probabilities.
double chi_square(const std::vector<int64_t>& counts, const std::vector<double>& p, double n) {
  double x2 = 0;
  for (size_t c = 0; c < counts.size(); ++c) {
    const double e = p[c] * n;
    x2 += (static_cast<double>(counts[c]) - e) * (static_cast<double>(counts[c]) - e) / e;
  }
  return x2;
}

void rng_state(uint64_t* seed, uint64_t* offset) { REQUIRE_OK(tensor_get_rng_state(seed, offset)); }

}  // namespace

TEST_CASE("the same seed gives the same numbers for every draw") {
  auto draw_all = [] {
    std::vector<std::vector<double>> r;
    Handle a = randint(-5, 17, {7, 3});
    r.push_back(values<double>(a));
    Handle p;
    REQUIRE_OK(tensor_randperm(p.out(), 33, nullptr));
    r.push_back(values<double>(p));
    Handle probs = filled(0.4, {50}, TENSOR_FLOAT32), b;
    REQUIRE_OK(tensor_bernoulli(b.out(), probs));
    r.push_back(values<double>(b));
    Handle w = make<double>({1, 2, 3, 4}, {4}), m;
    REQUIRE_OK(tensor_multinomial(m.out(), w, 3, false));
    r.push_back(values<double>(m));
    Handle ones = filled(1.0, {40}, TENSOR_FLOAT32), d;
    REQUIRE_OK(tensor_dropout(d.out(), ones, 0.3, true));
    r.push_back(values<double>(d));
    Handle u = filled(0.0, {9}, TENSOR_FLOAT64);
    REQUIRE_OK(tensor_uniform_(u, -1, 2));
    r.push_back(values<double>(u));
    REQUIRE_OK(tensor_normal_(u, 3, 0.5));
    r.push_back(values<double>(u));
    return r;
  };
  tensor_manual_seed(1234);
  const auto first = draw_all();
  tensor_manual_seed(1234);
  CHECK(draw_all() == first);
  tensor_manual_seed(1235);
  const auto other = draw_all();
  CHECK(other[0] != first[0]);
  CHECK(other[1] != first[1]);
  CHECK(other[5] != first[5]);
}

TEST_CASE("get/set of the rng state resumes the same numbers; each draw advances the offset by its blocks") {
  tensor_manual_seed(42);
  uint64_t seed = 0, offset = 99;
  rng_state(&seed, &offset);
  CHECK(seed == 42);
  CHECK(offset == 0);
  Handle first = randint(0, 1000, {5});  // 5 elements, two per Philox block: 3 blocks
  rng_state(&seed, &offset);
  CHECK(offset == 3);
  Handle r1 = randint(0, 1000, {10});
  Handle p1;
  REQUIRE_OK(tensor_randperm(p1.out(), 20, nullptr));
  uint64_t after = 0;
  rng_state(&seed, &after);
  CHECK(after == 3 + 5 + 10);
  REQUIRE_OK(tensor_set_rng_state(seed, offset));
  Handle r2 = randint(0, 1000, {10});
  Handle p2;
  REQUIRE_OK(tensor_randperm(p2.out(), 20, nullptr));
  CHECK(values<int64_t>(r2) == values<int64_t>(r1));
  CHECK(values<int64_t>(p2) == values<int64_t>(p1));
  // rand shares the stream: 4 float32 per block.
  Handle x;
  int64_t s9[] = {9};
  REQUIRE_OK(tensor_rand(x.out(), s9, 1, nullptr));
  rng_state(&seed, &offset);
  CHECK(offset == after + 3);
  // A set state survives a manual_seed elsewhere: it is the whole state.
  REQUIRE_OK(tensor_set_rng_state(7, 123456789));
  rng_state(&seed, &offset);
  CHECK(seed == 7);
  CHECK(offset == 123456789);
  require_status(tensor_get_rng_state(nullptr, &offset), TENSOR_ERR_INVALID_ARGUMENT, {"seed"});
  require_status(tensor_get_rng_state(&seed, nullptr), TENSOR_ERR_INVALID_ARGUMENT, {"offset"});
}

TEST_CASE("uniform_(0, 1) on float32 and float64 is rand's stream, bit for bit") {
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    tensor_manual_seed(5);
    Handle r;
    tensor_options o = opts_of(dt);
    int64_t s[] = {13};
    REQUIRE_OK(tensor_rand(r.out(), s, 1, &o));
    tensor_manual_seed(5);
    Handle u = filled(0.0, {13}, dt);
    REQUIRE_OK(tensor_uniform_(u, 0, 1));
    CHECK(values<double>(u) == values<double>(r));
  }
}

TEST_CASE("randint lies in [low, high) with uniform frequencies, int64 by default") {
  tensor_manual_seed(2024);
  Handle a = randint(-3, 7, {1000000});
  CHECK(tensor_get_dtype(a) == TENSOR_INT64);
  const std::vector<int64_t> v = values<int64_t>(a);
  std::vector<int64_t> counts(10, 0);
  for (int64_t x : v) {
    REQUIRE(x >= -3);
    REQUIRE(x < 7);
    ++counts[static_cast<size_t>(x + 3)];
  }
  // chi-square with 9 degrees of freedom: P(X2 > 40) ~ 7e-6.
  CHECK(chi_square(counts, std::vector<double>(10, 0.1), 1e6) < 40);
  // The whole int64 range, a one-value range, other dtypes.
  Handle wide = randint(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), {1000});
  const std::vector<int64_t> w = values<int64_t>(wide);
  CHECK(std::count_if(w.begin(), w.end(), [](int64_t x) { return x < 0; }) > 400);
  CHECK(std::count_if(w.begin(), w.end(), [](int64_t x) { return x > 0; }) > 400);
  Handle one = randint(5, 6, {4});
  CHECK(values<int64_t>(one) == std::vector<int64_t>{5, 5, 5, 5});
  tensor_options o32 = opts_of(TENSOR_INT32);
  Handle i32 = randint(0, 3, {2, 2}, &o32);
  CHECK(tensor_get_dtype(i32) == TENSOR_INT32);
  CHECK(shape_of(i32) == std::vector<int64_t>{2, 2});
  tensor_options of = opts_of(TENSOR_FLOAT32);
  Handle f = randint(0, 5, {100}, &of);
  CHECK(tensor_get_dtype(f) == TENSOR_FLOAT32);
  for (double x : values<double>(f)) CHECK((x == std::floor(x) && x >= 0 && x < 5));
  Handle empty = randint(0, 5, {0, 3});
  CHECK(tensor_numel(empty) == 0);
}

TEST_CASE("randint refuses an empty range and bounds its dtype cannot hold") {
  Handle h;
  int64_t s[] = {3};
  require_status(tensor_randint(h.out(), 5, 5, s, 1, nullptr), TENSOR_ERR_INVALID_ARGUMENT, {"from=5", "to=5"});
  require_status(tensor_randint(h.out(), 5, 3, s, 1, nullptr), TENSOR_ERR_INVALID_ARGUMENT, {"from=5", "to=3"});
  tensor_options o32 = opts_of(TENSOR_INT32);
  require_status(tensor_randint(h.out(), 0, int64_t(1) << 40, s, 1, &o32), TENSOR_ERR_INVALID_ARGUMENT,
                 {"out of bounds", "int32"});
  int64_t neg[] = {-1};
  CHECK(tensor_randint(h.out(), 0, 5, neg, 1, nullptr) != TENSOR_OK);
  CHECK(tensor_randint(h.out(), 0, 5, nullptr, 1, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_randint(nullptr, 0, 5, s, 1, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("randperm is a permutation on the sort and radix-sort paths, int64 by default") {
  tensor_manual_seed(9);
  for (int64_t n : {int64_t(1), int64_t(1000), int64_t(200000)}) {
    Handle p;
    REQUIRE_OK(tensor_randperm(p.out(), n, nullptr));
    CHECK(tensor_get_dtype(p) == TENSOR_INT64);
    std::vector<int64_t> v = values<int64_t>(p);
    REQUIRE(static_cast<int64_t>(v.size()) == n);
    int64_t fixed = 0;
    for (int64_t i = 0; i < n; ++i) fixed += v[static_cast<size_t>(i)] == i;
    if (n > 100) CHECK(fixed < 10);  // a random permutation has ~1 fixed point
    std::sort(v.begin(), v.end());
    for (int64_t i = 0; i < n; ++i) REQUIRE(v[static_cast<size_t>(i)] == i);
  }
  // Each position is uniform: position 0 over 20000 permutations of 5.
  std::vector<int64_t> counts(5, 0);
  for (int k = 0; k < 20000; ++k) {
    Handle p;
    REQUIRE_OK(tensor_randperm(p.out(), 5, nullptr));
    ++counts[static_cast<size_t>(values<int64_t>(p)[0])];
  }
  CHECK(chi_square(counts, std::vector<double>(5, 0.2), 20000) < 30);
  Handle z, f;
  REQUIRE_OK(tensor_randperm(z.out(), 0, nullptr));
  CHECK(shape_of(z) == std::vector<int64_t>{0});
  tensor_options of = opts_of(TENSOR_FLOAT32);
  REQUIRE_OK(tensor_randperm(f.out(), 4, &of));
  CHECK(tensor_get_dtype(f) == TENSOR_FLOAT32);
  require_status(tensor_randperm(f.out(), -1, nullptr), TENSOR_ERR_INVALID_ARGUMENT, {"-1"});
  require_status(tensor_randperm(f.out(), (int64_t(1) << 24) + 2, &of), TENSOR_ERR_INVALID_ARGUMENT,
                 {"16777217", "float32"});
}

TEST_CASE("bernoulli draws ones at the given frequency in the probabilities' dtype") {
  tensor_manual_seed(77);
  Handle probs = filled(0.3, {1000000}, TENSOR_FLOAT64), b;
  REQUIRE_OK(tensor_bernoulli(b.out(), probs));
  CHECK(tensor_get_dtype(b) == TENSOR_FLOAT64);
  const std::vector<double> v = values<double>(b);
  for (double x : v) REQUIRE((x == 0 || x == 1));
  check_moments(v, 0.3, 0.21, 0.3 * 0.7 * (0.7 * 0.7 * 0.7 + 0.3 * 0.3 * 0.3) / 0.21 * 0.21);
  // Per-element probabilities; 0 never and 1 always.
  Handle mixed = make<float>({0, 1, 0, 1, 0, 1}, {2, 3}), m;
  REQUIRE_OK(tensor_bernoulli(m.out(), mixed));
  CHECK(tensor_get_dtype(m) == TENSOR_FLOAT32);
  CHECK(shape_of(m) == std::vector<int64_t>{2, 3});
  CHECK(values<float>(m) == std::vector<float>{0, 1, 0, 1, 0, 1});
}

TEST_CASE("bernoulli refuses probabilities outside [0, 1], NaN and integer tensors") {
  Handle out;
  Handle big = make<float>({0.5f, 1.5f}, {2});
  require_status(tensor_bernoulli(out.out(), big), TENSOR_ERR_INVALID_ARGUMENT, {"[0, 1]"});
  Handle neg = make<double>({-0.1}, {1});
  require_status(tensor_bernoulli(out.out(), neg), TENSOR_ERR_INVALID_ARGUMENT, {"[0, 1]"});
  Handle nan = make<double>({0.5, std::nan("")}, {2});
  require_status(tensor_bernoulli(out.out(), nan), TENSOR_ERR_INVALID_ARGUMENT, {"NaN"});
  Handle ints = make<int64_t>({1, 0}, {2});
  require_status(tensor_bernoulli(out.out(), ints), TENSOR_ERR_DTYPE, {"int64"});
  CHECK(tensor_bernoulli(out.out(), nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("multinomial with replacement follows the weights (chi-square)") {
  tensor_manual_seed(31);
  Handle w = make<float>({1, 2, 3, 4, 0}, {5}), m;
  REQUIRE_OK(tensor_multinomial(m.out(), w, 200000, true));
  CHECK(shape_of(m) == std::vector<int64_t>{200000});
  CHECK(tensor_get_dtype(m) == TENSOR_INT64);
  std::vector<int64_t> counts(5, 0);
  for (int64_t c : values<int64_t>(m)) ++counts[static_cast<size_t>(c)];
  CHECK(counts[4] == 0);  // a zero weight is never drawn
  counts.pop_back();
  // 3 degrees of freedom: P(X2 > 30) ~ 1.4e-6.
  CHECK(chi_square(counts, {0.1, 0.2, 0.3, 0.4}, 200000) < 30);
  // 2-D: one distribution per row; more samples than categories is fine with replacement.
  Handle rows = make<double>({0, 0, 1, 1, 0, 0}, {2, 3}), r;
  REQUIRE_OK(tensor_multinomial(r.out(), rows, 7, true));
  CHECK(shape_of(r) == std::vector<int64_t>{2, 7});
  const std::vector<int64_t> rv = values<int64_t>(r);
  for (int k = 0; k < 7; ++k) CHECK(rv[static_cast<size_t>(k)] == 2);
  for (int k = 7; k < 14; ++k) CHECK(rv[static_cast<size_t>(k)] == 0);
}

TEST_CASE("multinomial without replacement draws distinct categories, the first by weight") {
  tensor_manual_seed(8);
  const int64_t R = 20000;
  std::vector<double> wv;
  for (int64_t r = 0; r < R; ++r) wv.insert(wv.end(), {1, 2, 3, 4});
  Handle w = make<double>(wv, {R, 4}), m;
  REQUIRE_OK(tensor_multinomial(m.out(), w, 4, false));
  CHECK(shape_of(m) == std::vector<int64_t>{R, 4});
  const std::vector<int64_t> v = values<int64_t>(m);
  std::vector<int64_t> first(4, 0);
  for (int64_t r = 0; r < R; ++r) {
    std::set<int64_t> seen(v.begin() + r * 4, v.begin() + r * 4 + 4);
    REQUIRE(seen.size() == 4);
    ++first[static_cast<size_t>(v[static_cast<size_t>(r * 4)])];
  }
  CHECK(chi_square(first, {0.1, 0.2, 0.3, 0.4}, static_cast<double>(R)) < 30);
  // Zero weights come last, in index order (torch too samples them once the others are used up).
  Handle z = make<float>({0, 1, 0, 1}, {4}), zm;
  REQUIRE_OK(tensor_multinomial(zm.out(), z, 4, false));
  const std::vector<int64_t> zv = values<int64_t>(zm);
  CHECK(std::set<int64_t>(zv.begin(), zv.begin() + 2) == std::set<int64_t>{1, 3});
  CHECK(zv[2] == 0);
  CHECK(zv[3] == 2);
}

TEST_CASE("multinomial's errors are PyTorch's") {
  Handle out;
  Handle neg = make<float>({1, -1}, {2});
  require_status(tensor_multinomial(out.out(), neg, 1, true), TENSOR_ERR_INVALID_ARGUMENT, {"element < 0"});
  Handle inf = make<float>({1, INFINITY}, {2});
  require_status(tensor_multinomial(out.out(), inf, 1, true), TENSOR_ERR_INVALID_ARGUMENT, {"inf"});
  Handle nan = make<double>({1, std::nan("")}, {2});
  require_status(tensor_multinomial(out.out(), nan, 1, true), TENSOR_ERR_INVALID_ARGUMENT, {"nan"});
  Handle zero_row = make<float>({1, 1, 0, 0}, {2, 2});
  require_status(tensor_multinomial(out.out(), zero_row, 1, true), TENSOR_ERR_INVALID_ARGUMENT, {"sum of probabilities"});
  Handle two = make<float>({1, 1}, {2});
  require_status(tensor_multinomial(out.out(), two, 3, false), TENSOR_ERR_INVALID_ARGUMENT, {"without replacement"});
  require_status(tensor_multinomial(out.out(), two, 0, true), TENSOR_ERR_INVALID_ARGUMENT, {"n_sample <= 0"});
  Handle ints = make<int64_t>({1, 1}, {2});
  require_status(tensor_multinomial(out.out(), ints, 1, true), TENSOR_ERR_DTYPE, {"int64"});
  Handle three_d = filled(1.0, {2, 2, 2}, TENSOR_FLOAT32);
  require_status(tensor_multinomial(out.out(), three_d, 1, true), TENSOR_ERR_SHAPE, {"1 or 2 dim"});
  Handle no_cats = filled(1.0, {0}, TENSOR_FLOAT32);
  require_status(tensor_multinomial(out.out(), no_cats, 1, true), TENSOR_ERR_INVALID_ARGUMENT, {"sum of probabilities"});
  Handle no_rows = filled(1.0, {0, 3}, TENSOR_FLOAT32);
  REQUIRE_OK(tensor_multinomial(out.out(), no_rows, 2, true));
  CHECK(shape_of(out) == std::vector<int64_t>{0, 2});
  CHECK(tensor_multinomial(out.out(), nullptr, 1, true) == TENSOR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("dropout zeroes a fraction p and scales the rest by 1 / (1 - p)") {
  tensor_manual_seed(3);
  Handle ones = filled(1.0, {400000}, TENSOR_FLOAT32), d;
  REQUIRE_OK(tensor_dropout(d.out(), ones, 0.25, true));
  CHECK(tensor_get_dtype(d) == TENSOR_FLOAT32);
  const std::vector<float> v = values<float>(d);
  int64_t zeros = 0;
  for (float x : v) {
    REQUIRE((x == 0.0f || x == static_cast<float>(1.0 / 0.75)));
    zeros += x == 0.0f;
  }
  const double frac = static_cast<double>(zeros) / 400000.0;
  CHECK(std::fabs(frac - 0.25) < 5 * std::sqrt(0.25 * 0.75 / 400000.0));
  // p = 1: zeros, even for infinite inputs; p = 0: the input.
  Handle inf = make<double>({INFINITY, 2}, {2}), z;
  REQUIRE_OK(tensor_dropout(z.out(), inf, 1.0, true));
  CHECK(values<double>(z) == std::vector<double>{0, 0});
  Handle keep;
  Handle x = make<double>({1, -2, 3}, {3});
  REQUIRE_OK(tensor_dropout(keep.out(), x, 0.0, true));
  CHECK(values<double>(keep) == std::vector<double>{1, -2, 3});
}

TEST_CASE("dropout outside training is the input itself; bad p and integer inputs are refused") {
  Handle x = make<int64_t>({1, 2, 3}, {3}), same;
  REQUIRE_OK(tensor_dropout(same.out(), x, 0.5, false));
  CHECK(tensor_data(same) == tensor_data(x));
  CHECK(values<int64_t>(same) == std::vector<int64_t>{1, 2, 3});
  require_status(tensor_dropout(same.out(), x, 0.5, true), TENSOR_ERR_DTYPE, {"int64"});
  Handle f = make<float>({1}, {1});
  require_status(tensor_dropout(same.out(), f, 1.5, true), TENSOR_ERR_INVALID_ARGUMENT, {"between 0 and 1", "1.5"});
  require_status(tensor_dropout(same.out(), f, -0.1, false), TENSOR_ERR_INVALID_ARGUMENT, {"between 0 and 1"});
  require_status(tensor_dropout(same.out(), f, std::nan(""), true), TENSOR_ERR_INVALID_ARGUMENT, {"between 0 and 1"});
  CHECK(tensor_dropout(same.out(), nullptr, 0.5, true) == TENSOR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("dropout records NativeDropoutBackward0 whose grad is mask / (1 - p)") {
  tensor_manual_seed(11);
  std::vector<double> xv(64, 2.0);
  Handle x = make<double>(xv, {8, 8});
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  Handle d;
  REQUIRE_OK(tensor_dropout(d.out(), x, 0.5, true));
  CHECK(format_of(d).find("grad_fn=<NativeDropoutBackward0>") != std::string::npos);
  Handle s;
  REQUIRE_OK(tensor_sum(s.out(), d, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  Handle g;
  REQUIRE_OK(tensor_grad(g.out(), x));
  const std::vector<double> out = values<double>(d), grad = values<double>(g);
  int64_t kept = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    CHECK(grad[i] == out[i] / 2.0);  // out = 2 * mask * 2, grad = mask * 2
    kept += out[i] != 0;
  }
  CHECK(kept > 10);
  CHECK(kept < 54);
}

TEST_CASE("uniform_ and normal_ have the right mean and variance in float32 and float64") {
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    tensor_manual_seed(100 + dt);
    Handle t = filled(0.0, {1000000}, dt);
    REQUIRE_OK(tensor_uniform_(t, 2, 5));
    const std::vector<double> u = values<double>(t);
    for (double x : u) REQUIRE((x >= 2 && x <= 5));
    check_moments(u, 3.5, 0.75, 81.0 / 80.0);  // (b - a)^4 / 80
    REQUIRE_OK(tensor_normal_(t, 1, 2));
    check_moments(values<double>(t), 1.0, 4.0, 3 * 16.0);
  }
}

TEST_CASE("uniform_ and normal_ fill a strided view in logical order, bumping the version") {
  tensor_manual_seed(6);
  Handle c = filled(0.0, {3, 4}, TENSOR_FLOAT64);
  REQUIRE_OK(tensor_normal_(c, 0, 1));
  Handle base = filled(0.0, {4, 3}, TENSOR_FLOAT64), t;
  REQUIRE_OK(tensor_transpose(t.out(), base, 0, 1));
  tensor_manual_seed(6);
  REQUIRE_OK(tensor_normal_(t, 0, 1));
  CHECK(values<double>(t) == values<double>(c));
  // std = 0 gives the mean exactly.
  REQUIRE_OK(tensor_normal_(c, 4.5, 0));
  CHECK(values<double>(c) == std::vector<double>(12, 4.5));
}

TEST_CASE("uniform_ and normal_ refuse integer tensors, bad ranges and leaves requiring grad") {
  Handle i = make<int64_t>({1, 2}, {2});
  require_status(tensor_uniform_(i, 0, 1), TENSOR_ERR_DTYPE, {"int64"});
  require_status(tensor_normal_(i, 0, 1), TENSOR_ERR_DTYPE, {"int64"});
  Handle f = make<float>({1, 2}, {2});
  require_status(tensor_uniform_(f, 2, 1), TENSOR_ERR_INVALID_ARGUMENT, {"from=2 > to=1"});
  require_status(tensor_normal_(f, 0, -1), TENSOR_ERR_INVALID_ARGUMENT, {"std >= 0.0", "-1"});
  CHECK(values<float>(f) == std::vector<float>{1, 2});  // untouched
  REQUIRE_OK(tensor_set_requires_grad(f, true));
  CHECK(tensor_uniform_(f, 0, 1) != TENSOR_OK);
  CHECK(tensor_normal_(f, 0, 1) != TENSOR_OK);
  CHECK(tensor_uniform_(nullptr, 0, 1) == TENSOR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("uniform_ and normal_ on a tensor in the graph record a zero grad") {
  Handle x = make<double>({1, 2, 3}, {3});
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  Handle y;
  REQUIRE_OK(tensor_mul_scalar(y.out(), x, 2.0));
  REQUIRE_OK(tensor_uniform_(y, 0, 1));
  CHECK(format_of(y).find("grad_fn=<UniformBackward0>") != std::string::npos);
  REQUIRE_OK(tensor_normal_(y, 0, 1));
  CHECK(format_of(y).find("grad_fn=<NormalBackward0>") != std::string::npos);
  Handle s;
  REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  Handle g;
  REQUIRE_OK(tensor_grad(g.out(), x));
  CHECK(values<double>(g) == std::vector<double>{0, 0, 0});
}

TEST_CASE("randint, randperm and bernoulli follow Note [random stream layout] element by element") {
  const uint64_t seed = 123;
  // randperm on both CPU paths (std::sort below 2^16, bucket sort above; an odd n ends on half a Philox
  // block): indices sorted by (key, index).
  for (int64_t n : {int64_t(5000), int64_t(300000), int64_t(65537)}) {
    tensor_manual_seed(seed);
    Handle p;
    REQUIRE_OK(tensor_randperm(p.out(), n, nullptr));
    std::vector<std::pair<uint64_t, int64_t>> keys(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) keys[static_cast<size_t>(i)] = {lt::philox_u64(seed, 0, i), i};
    std::sort(keys.begin(), keys.end());
    std::vector<int64_t> want(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) want[static_cast<size_t>(i)] = keys[static_cast<size_t>(i)].second;
    CHECK(values<int64_t>(p) == want);
  }
  tensor_manual_seed(seed);
  Handle r = randint(-7, 1000003, {101});
  const std::vector<int64_t> rv = values<int64_t>(r);
  for (int64_t i = 0; i < 101; ++i) REQUIRE(rv[static_cast<size_t>(i)] == lt::philox_randint(seed, 0, i, -7, 1000010));
  uint64_t s = 0, offset = 0;
  rng_state(&s, &offset);
  Handle probs = filled(0.5, {77}, TENSOR_FLOAT32), b;
  REQUIRE_OK(tensor_bernoulli(b.out(), probs));
  const std::vector<float> bv = values<float>(b);
  for (int64_t i = 0; i < 77; ++i)
    REQUIRE(bv[static_cast<size_t>(i)] == (lt::philox_uniform_f64(seed, offset, i) < 0.5 ? 1.0f : 0.0f));
}
