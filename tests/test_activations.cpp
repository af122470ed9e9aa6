// gelu, softplus, leaky_relu, elu, clamp and linear through the C API: values against float64 formulas
// (the torch comparison is tests/python/test_activations_torch.py), the C++ wrapper, and bad input
// (wrong dtype, mismatched shapes, NULL pointers) as a status and a message, never a crash.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "tensor/tensor.hpp"
#include "test_util.h"

namespace {

const double kNan = std::numeric_limits<double>::quiet_NaN();

void require_status(tensor_status got, tensor_status want, const std::string& needle) {
  INFO("status " << tensor_status_string(got) << ": " << tensor_last_error());
  REQUIRE(got == want);
  CHECK(std::string(tensor_last_error()).find(needle) != std::string::npos);
}

bool same(double a, double b, double tol) { return (std::isnan(a) && std::isnan(b)) || std::fabs(a - b) <= tol; }

}  // namespace

TEST_CASE("activations: values of the float64 forms") {
  const std::vector<double> xs = {-30, -3, -1, -0.5, 0, 0.25, 1, 2.5, 15, 40};
  Handle x = make<double>(xs, {static_cast<int64_t>(xs.size())});
  Handle g, gt, sp, lr, el;
  REQUIRE_OK(tensor_gelu(g.out(), x, false));
  REQUIRE_OK(tensor_gelu(gt.out(), x, true));
  REQUIRE_OK(tensor_softplus(sp.out(), x, 2.0, 20.0));
  REQUIRE_OK(tensor_leaky_relu(lr.out(), x, 0.1));
  REQUIRE_OK(tensor_elu(el.out(), x, 1.5));
  const auto vg = values<double>(g), vgt = values<double>(gt), vsp = values<double>(sp), vlr = values<double>(lr),
             vel = values<double>(el);
  for (size_t i = 0; i < xs.size(); ++i) {
    const double v = xs[i];
    INFO("x = " << v);
    CHECK(same(vg[i], 0.5 * v * (1 + std::erf(v / std::sqrt(2.0))), 1e-15));
    CHECK(same(vgt[i], 0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v))), 1e-15));
    CHECK(same(vsp[i], 2 * v > 20 ? v : std::log1p(std::exp(2 * v)) / 2, 1e-15));
    CHECK(vlr[i] == (v > 0 ? v : 0.1 * v));
    CHECK(same(vel[i], v > 0 ? v : 1.5 * std::expm1(v), 1e-15));
  }
}

TEST_CASE("clamp: NaN stays NaN, a NaN bound gives NaN, min > max gives max, infinities are no bound") {
  Handle x = make<double>({kNan, -2, 0.5, 3}, {4});
  Handle a, b, c, d;
  REQUIRE_OK(tensor_clamp_scalar(a.out(), x, -1, 1));
  REQUIRE_OK(tensor_clamp_scalar(b.out(), x, 2, 1));
  REQUIRE_OK(tensor_clamp_scalar(c.out(), x, -INFINITY, 0));
  REQUIRE_OK(tensor_clamp_scalar(d.out(), x, kNan, INFINITY));
  auto va = values<double>(a), vb = values<double>(b), vc = values<double>(c), vd = values<double>(d);
  CHECK(std::isnan(va[0]));
  CHECK(std::vector<double>(va.begin() + 1, va.end()) == std::vector<double>{-1, 0.5, 1});
  CHECK(std::vector<double>(vb.begin() + 1, vb.end()) == std::vector<double>{1, 1, 1});
  CHECK(std::vector<double>(vc.begin() + 1, vc.end()) == std::vector<double>{-2, 0, 0});
  for (double v : vd) CHECK(std::isnan(v));
  // Tensor bounds broadcast; NULL is no bound.
  Handle m = make<double>({0.0, kNan}, {2, 1});
  Handle x2 = make<double>({-1, 2, -1, 2}, {2, 2});
  Handle e;
  REQUIRE_OK(tensor_clamp(e.out(), x2, m, nullptr));
  auto ve = values<double>(e);
  CHECK(ve[0] == 0);
  CHECK(ve[1] == 2);
  CHECK(std::isnan(ve[2]));
  CHECK(std::isnan(ve[3]));
  // Integers: integral bounds keep the dtype, bool becomes int64.
  Handle xi = make<int32_t>({-5, 0, 9}, {3}), ci;
  REQUIRE_OK(tensor_clamp_scalar(ci.out(), xi, -1, 4));
  CHECK(tensor_get_dtype(ci) == TENSOR_INT32);
  CHECK(values<int32_t>(ci) == std::vector<int32_t>{-1, 0, 4});
  Handle cf;
  REQUIRE_OK(tensor_clamp_scalar(cf.out(), xi, -0.5, INFINITY));
  CHECK(tensor_get_dtype(cf) == TENSOR_FLOAT32);
}

TEST_CASE("linear: the fused bias, batch dims, 1-D input, empty inner dim") {
  Handle x = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle w = make<float>({1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 2}, {4, 3});
  Handle b = make<float>({10, 20, 30, 40}, {4});
  Handle y;
  REQUIRE_OK(tensor_linear(y.out(), x, w, b));
  CHECK(shape_of(y) == std::vector<int64_t>{2, 4});
  CHECK(values<float>(y) == std::vector<float>{11, 22, 36, 46, 14, 25, 45, 52});
  Handle x3 = make<float>({1, 2, 3, 4, 5, 6}, {2, 1, 3}), y3;
  REQUIRE_OK(tensor_linear(y3.out(), x3, w, nullptr));
  CHECK(shape_of(y3) == std::vector<int64_t>{2, 1, 4});
  CHECK(values<float>(y3) == std::vector<float>{1, 2, 6, 6, 4, 5, 15, 12});
  Handle x1 = make<float>({1, 2, 3}, {3}), y1;
  REQUIRE_OK(tensor_linear(y1.out(), x1, w, b));
  CHECK(shape_of(y1) == std::vector<int64_t>{4});
  Handle xe = make<float>({}, {2, 0}), we = make<float>({}, {4, 0}), ye;
  REQUIRE_OK(tensor_linear(ye.out(), xe, we, b));
  CHECK(values<float>(ye) == std::vector<float>{10, 20, 30, 40, 10, 20, 30, 40});
  // grad_fn names as PyTorch shows for 2-D input.
  REQUIRE_OK(tensor_set_requires_grad(w, true));
  Handle yb, yn;
  REQUIRE_OK(tensor_linear(yb.out(), x, w, b));
  REQUIRE_OK(tensor_linear(yn.out(), x, w, nullptr));
  CHECK(format_of(yb).find("AddmmBackward0") != std::string::npos);
  CHECK(format_of(yn).find("MmBackward0") != std::string::npos);
}

TEST_CASE("activations: bad input is a status and a message") {
  Handle xi = make<int64_t>({1, 2}, {2}), xb = make<bool>({true}, {1}), xf = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle out;
  require_status(tensor_gelu(out.out(), xi, false), TENSOR_ERR_DTYPE, "gelu");
  require_status(tensor_softplus(out.out(), xb, 1, 20), TENSOR_ERR_DTYPE, "softplus");
  require_status(tensor_leaky_relu(out.out(), xi, 0.01), TENSOR_ERR_DTYPE, "leaky_relu");
  require_status(tensor_elu(out.out(), xi, 1), TENSOR_ERR_DTYPE, "int64");
  require_status(tensor_gelu(out.out(), nullptr, false), TENSOR_ERR_INVALID_ARGUMENT, "'a'");
  require_status(tensor_gelu(nullptr, xf, false), TENSOR_ERR_INVALID_ARGUMENT, "out");
  require_status(tensor_clamp(out.out(), xf, nullptr, nullptr), TENSOR_ERR_INVALID_ARGUMENT, "'min' or 'max'");
  Handle bad_bound = make<float>({1, 2}, {2});
  require_status(tensor_clamp(out.out(), xf, bad_bound, nullptr), TENSOR_ERR_SHAPE, "");
  Handle w = make<float>({1, 2, 3, 4, 5, 6, 7, 8}, {4, 2});
  require_status(tensor_linear(out.out(), xf, w, nullptr), TENSOR_ERR_SHAPE, "[2, 3]");
  CHECK(std::string(tensor_last_error()).find("[4, 2]") != std::string::npos);
  Handle w3 = make<float>(std::vector<float>(12, 1.0f), {4, 3}), b5 = make<float>({1, 2, 3, 4, 5}, {5});
  require_status(tensor_linear(out.out(), xf, w3, b5), TENSOR_ERR_SHAPE, "[5]");
  Handle wd = make<double>(std::vector<double>(12, 1.0), {4, 3});
  require_status(tensor_linear(out.out(), xf, wd, nullptr), TENSOR_ERR_DTYPE, "float64");
  Handle w1 = make<float>({1, 2, 3}, {3});
  require_status(tensor_linear(out.out(), xf, w1, nullptr), TENSOR_ERR_SHAPE, "2-D");
  require_status(tensor_linear(out.out(), xf, nullptr, nullptr), TENSOR_ERR_INVALID_ARGUMENT, "'weight'");
  Handle x0 = make<float>({1}, {});
  require_status(tensor_linear(out.out(), x0, w3, nullptr), TENSOR_ERR_SHAPE, "0-d");
  CHECK(out.get() == nullptr);
}

TEST_CASE("activations: the C++ wrapper") {
  libtensor::Tensor x = libtensor::from_vector<double>(std::vector<double>{-1, 0.5, 2}, {3});
  CHECK(libtensor::gelu(x).numel() == 3);
  CHECK(libtensor::softplus(x).numel() == 3);
  CHECK(libtensor::leaky_relu(x, 0.2).numel() == 3);
  CHECK(libtensor::elu(x).numel() == 3);
  CHECK(libtensor::clamp(x, 0.0, 1.0).to_vector<double>() == std::vector<double>{0, 0.5, 1});
  libtensor::Tensor lo = libtensor::from_vector<double>(std::vector<double>{0}, {1});
  CHECK(libtensor::clamp(x, lo, libtensor::Tensor()).to_vector<double>() == std::vector<double>{0, 0.5, 2});
  libtensor::Tensor w = libtensor::from_vector<double>(std::vector<double>{1, 1, 1}, {1, 3});
  CHECK(libtensor::linear(x, w).to_vector<double>() == std::vector<double>{1.5});
  CHECK_THROWS_AS(libtensor::gelu(libtensor::from_vector<int64_t>(std::vector<int64_t>{1}, {1})), libtensor::Error);
}

// The float32 gelu lanes (cpu/vec_activation.cpp): a polynomial erf for |x| <= 3.54, Abramowitz & Stegun
// beyond, results under 1e-34 flushed to 0. Every 1/2048 from -20 to 20 against the float64 formula,
// forward and grad, and each result is the same whatever the values beside it (a shuffled input gives
// the shuffled output, bit for bit: a vector with a lane beyond 3.54 blends both forms lane by lane).
TEST_CASE("gelu float32: within 5e-7 of the float64 formula from -20 to 20, and independent of the neighbours") {
  std::vector<float> xs;
  for (int i = -20 * 2048; i <= 20 * 2048; ++i) xs.push_back(static_cast<float>(i) / 2048.0f);
  const int64_t n = static_cast<int64_t>(xs.size());
  Handle x = make<float>(xs, {n});
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  Handle y, s, g;
  REQUIRE_OK(tensor_gelu(y.out(), x, false));
  REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  REQUIRE_OK(tensor_grad(g.out(), x));
  const auto vy = values<float>(y), vg = values<float>(g);
  double worst_y = 0, worst_g = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double v = xs[i], cdf = 0.5 * std::erfc(-v / std::sqrt(2.0));
    const double pdf = std::exp(-0.5 * v * v) / std::sqrt(2 * M_PI);
    worst_y = std::max(worst_y, std::fabs(vy[i] - v * cdf));
    worst_g = std::max(worst_g, std::fabs(vg[i] - (cdf + v * pdf)));
  }
  INFO("largest differences: gelu " << worst_y << ", grad " << worst_g);
  CHECK(worst_y <= 5e-7);
  CHECK(worst_g <= 5e-7);
  // Odd positions from the far ends, even ones from the centre: most vectors mix both forms.
  std::vector<float> mixed(xs.size());
  std::vector<int64_t> from(xs.size());
  for (int64_t i = 0; i < n; ++i) from[i] = i % 2 ? (i * 7919) % n : n / 2 + (i % 4096) - 2048;
  for (int64_t i = 0; i < n; ++i) mixed[i] = xs[from[i]];
  Handle xm = make<float>(mixed, {n}), ym;
  REQUIRE_OK(tensor_gelu(ym.out(), xm, false));
  const auto vm = values<float>(ym);
  int64_t differ = 0;
  for (int64_t i = 0; i < n; ++i) differ += std::memcmp(&vm[i], &vy[from[i]], sizeof(float)) != 0;
  CHECK(differ == 0);
}
