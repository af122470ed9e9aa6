// batch_norm, layer_norm and group_norm through the C API: values against float64 formulas computed here,
// the running-stat update (momentum, unbiased variance), NULL weight/bias, and bad input as a status with
// PyTorch's message (the torch comparison is tests/python/test_norm_torch.py).
#include <cmath>
#include <string>

#include "test_util.h"

namespace {

void require_status(tensor_status got, tensor_status want, const std::string& needle) {
  INFO("status " << tensor_status_string(got) << ": " << tensor_last_error());
  REQUIRE(got == want);
  CHECK(std::string(tensor_last_error()).find(needle) != std::string::npos);
}

}  // namespace

TEST_CASE("layer_norm: each row normalised, then scaled and shifted") {
  const std::vector<double> xs = {1, 2, 3, 4, -1, 0.5, 7, 2};
  Handle x = make<double>(xs, {2, 4});
  Handle w = make<double>({1, 2, 0.5, -1}, {4}), b = make<double>({0, 1, -1, 0.25}, {4});
  Handle y;
  int64_t ns[] = {4};
  REQUIRE_OK(tensor_layer_norm(y.out(), x, ns, 1, w, b, 1e-5));
  const auto v = values<double>(y), wv = values<double>(w), bv = values<double>(b);
  for (int r = 0; r < 2; ++r) {
    double m = 0, var = 0;
    for (int j = 0; j < 4; ++j) m += xs[r * 4 + j] / 4;
    for (int j = 0; j < 4; ++j) var += (xs[r * 4 + j] - m) * (xs[r * 4 + j] - m) / 4;
    for (int j = 0; j < 4; ++j)
      CHECK(v[r * 4 + j] == Approx((xs[r * 4 + j] - m) / std::sqrt(var + 1e-5) * wv[j] + bv[j]).margin(1e-12));
  }
}

TEST_CASE("batch_norm: training updates the running stats with the unbiased variance") {
  const std::vector<double> xs = {1, 5, 2, -3, 4, 0};  // (3, 2): channel 0 = 1, 2, 4; channel 1 = 5, -3, 0
  Handle x = make<double>(xs, {3, 2});
  Handle rm = make<double>({0, 1}, {2}), rv = make<double>({1, 2}, {2});
  Handle y;
  REQUIRE_OK(tensor_batch_norm(y.out(), x, nullptr, nullptr, rm, rv, true, 0.25, 1e-5));
  const auto v = values<double>(y), m = values<double>(rm), s = values<double>(rv);
  const double init_m[] = {0, 1}, init_v[] = {1, 2};
  for (int c = 0; c < 2; ++c) {
    double mean = 0, var = 0;
    for (int i = 0; i < 3; ++i) mean += xs[i * 2 + c] / 3;
    for (int i = 0; i < 3; ++i) var += (xs[i * 2 + c] - mean) * (xs[i * 2 + c] - mean) / 3;
    for (int i = 0; i < 3; ++i)
      CHECK(v[i * 2 + c] == Approx((xs[i * 2 + c] - mean) / std::sqrt(var + 1e-5)).margin(1e-12));
    CHECK(m[c] == Approx(0.25 * mean + 0.75 * init_m[c]).margin(1e-12));
    CHECK(s[c] == Approx(0.25 * var * 3 / 2 + 0.75 * init_v[c]).margin(1e-12));
  }
}

TEST_CASE("group_norm: groups of channels normalised per sample") {
  Handle x = make<double>({1, 2, 3, 4, 5, 6, 7, 9}, {1, 4, 2});
  Handle y;
  REQUIRE_OK(tensor_group_norm(y.out(), x, 2, nullptr, nullptr, 0.0));
  const auto v = values<double>(y);
  // group 0 = 1, 2, 3, 4 (mean 2.5, var 1.25); group 1 = 5, 6, 7, 9 (mean 6.75, var 2.1875)
  CHECK(v[0] == Approx(-1.5 / std::sqrt(1.25)));
  CHECK(v[7] == Approx(2.25 / std::sqrt(2.1875)));
}

TEST_CASE("norm: bad input is a status with PyTorch's message") {
  Handle x = make<float>(std::vector<float>(24, 1.f), {2, 3, 4}), y;
  int64_t ns3[] = {3};
  require_status(tensor_layer_norm(y.out(), x, ns3, 1, nullptr, nullptr, 1e-5), TENSOR_ERR_SHAPE,
                 "Given normalized_shape=[3], expected input with shape [*, 3], but got input of size[2, 3, 4]");
  require_status(tensor_layer_norm(y.out(), x, nullptr, 1, nullptr, nullptr, 1e-5), TENSOR_ERR_INVALID_ARGUMENT,
                 "NULL");
  require_status(tensor_group_norm(y.out(), x, 2, nullptr, nullptr, 1e-5), TENSOR_ERR_SHAPE,
                 "Expected number of channels in input to be divisible by num_groups");
  require_status(tensor_group_norm(y.out(), x, 0, nullptr, nullptr, 1e-5), TENSOR_ERR_INVALID_ARGUMENT,
                 "greater than 0");
  Handle w4 = make<float>({1, 1, 1, 1}, {4});
  require_status(tensor_batch_norm(y.out(), x, w4, nullptr, nullptr, nullptr, true, 0.1, 1e-5), TENSOR_ERR_SHAPE,
                 "weight should contain 3 elements not 4");
  require_status(tensor_batch_norm(y.out(), x, nullptr, nullptr, nullptr, nullptr, false, 0.1, 1e-5),
                 TENSOR_ERR_INVALID_ARGUMENT, "running_mean must be defined in evaluation mode");
  Handle one = make<float>({1, 2, 3}, {1, 3});
  require_status(tensor_batch_norm(y.out(), one, nullptr, nullptr, nullptr, nullptr, true, 0.1, 1e-5), TENSOR_ERR_SHAPE,
                 "Expected more than 1 value per channel when training");
  Handle xi = make<int64_t>({1, 2, 3, 4}, {2, 2});
  require_status(tensor_group_norm(y.out(), xi, 1, nullptr, nullptr, 1e-5), TENSOR_ERR_DTYPE, "floating");
  require_status(tensor_batch_norm(nullptr, x, nullptr, nullptr, nullptr, nullptr, true, 0.1, 1e-5),
                 TENSOR_ERR_INVALID_ARGUMENT, "NULL");
}
