// The vectorised float32 exp (src/cpu/vec_math.h) against double-precision std::exp: at most 2 ulp over
// the whole finite range (every 97th float bit pattern from -104 to 89, ~30M values), exact special
// values, the subnormal and overflow edges, and the same answer from the array and one-lane forms.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "catch.hpp"
#include "cpu/vec_math.h"

namespace {

float from_bits(uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

// Error of y in units of the last place of the float nearest the exact value e.
double ulp_error(float y, double e) {
  if (std::isinf(e) || e > std::numeric_limits<float>::max()) return std::isinf(y) ? 0.0 : 1e9;
  int exponent;
  std::frexp(e, &exponent);  // e = m * 2^exponent, m in [0.5, 1)
  double ulp = std::ldexp(1.0, std::max(exponent - 24, -149));
  return std::fabs(static_cast<double>(y) - e) / ulp;
}

}  // namespace

TEST_CASE("vectorised exp is within 2 ulp of the exact value over the whole float range", "[vec_math]") {
  std::vector<float> in;
  // Negative floats from -0 down to -104 have bit patterns 0x80000000..0xC2D00000; positive ones up to 89
  // 0x00000000..0x42B20000.
  for (uint32_t b = 0x80000000u; b <= 0xC2D00000u; b += 97) in.push_back(from_bits(b));
  for (uint32_t b = 0; b <= 0x42B20000u; b += 97) in.push_back(from_bits(b));
  std::vector<float> out(in.size());
  lt::cpu::exp_f32(in.data(), out.data(), static_cast<int64_t>(in.size()));
  double worst = 0;
  float worst_x = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    double err = ulp_error(out[i], std::exp(static_cast<double>(in[i])));
    if (err > worst) worst = err, worst_x = in[i];
  }
  INFO("worst error " << worst << " ulp at x = " << worst_x);
  REQUIRE(worst <= 2.0);
}

TEST_CASE("vectorised exp: special values and the range edges", "[vec_math]") {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  const float xs[] = {0.0f, -0.0f, 1.0f, -1.0f, inf, -inf, nan, 88.72283f, 88.72284f, 89.0f, 1000.0f,
                      -87.33654f, -100.0f, -103.2789f, -103.9721f, -104.0f, -1000.0f, 1e-30f, -1e-30f};
  constexpr size_t n = sizeof xs / sizeof xs[0];
  float out[n];
  lt::cpu::exp_f32(xs, out, static_cast<int64_t>(n));  // 19 values: whole vectors and a tail
  for (size_t i = 0; i < n; ++i) {
    INFO("x = " << xs[i]);
    float one_lane = lt::cpu::exp_f32(xs[i]);
    if (std::isnan(xs[i])) {
      REQUIRE(std::isnan(out[i]));
      REQUIRE(std::isnan(one_lane));
      continue;
    }
    double exact = std::exp(static_cast<double>(xs[i]));
    REQUIRE(ulp_error(out[i], exact) <= 2.0);
    REQUIRE(ulp_error(one_lane, exact) <= 2.0);
  }
  REQUIRE(out[0] == 1.0f);
  REQUIRE(out[1] == 1.0f);
  REQUIRE(out[4] == inf);
  REQUIRE(out[5] == 0.0f);
  REQUIRE(out[7] < inf);   // just below log(FLT_MAX)
  REQUIRE(out[8] == inf);  // just above
  REQUIRE(out[12] > 0.0f);  // subnormal result
  REQUIRE(out[15] == 0.0f);
}

TEST_CASE("vectorised exp: every length and offset gives the one-lane answers", "[vec_math]") {
  std::vector<float> in(70), out(70);
  for (size_t i = 0; i < in.size(); ++i) in[i] = -20.0f + 0.61f * static_cast<float>(i);
  for (int64_t len = 0; len <= 37; ++len) {
    for (int64_t off = 0; off < 3; ++off) {
      std::fill(out.begin(), out.end(), -1.0f);
      lt::cpu::exp_f32(in.data() + off, out.data() + off, len);
      for (int64_t i = 0; i < 70; ++i) {
        INFO("len " << len << " offset " << off << " element " << i);
        if (i < off || i >= off + len) {
          REQUIRE(out[static_cast<size_t>(i)] == -1.0f);  // nothing written outside the range
        } else {
          float one = lt::cpu::exp_f32(in[static_cast<size_t>(i)]);
          REQUIRE(ulp_error(out[static_cast<size_t>(i)], static_cast<double>(one)) <= 1.0);
        }
      }
    }
  }
}

TEST_CASE("vectorised sigmoid is within 3 ulp of the exact value, with the right limits", "[vec_math]") {
  std::vector<float> in;
  // every 97th float from -0 down to -120 and from 0 up to 120 (beyond, the result is 0 or 1 exactly)
  for (uint32_t b = 0x80000000u; b <= 0xC2F00000u; b += 97) in.push_back(from_bits(b));
  for (uint32_t b = 0; b <= 0x42F00000u; b += 97) in.push_back(from_bits(b));
  const float inf = std::numeric_limits<float>::infinity();
  for (float x : {inf, -inf, 1000.0f, -1000.0f, 88.8f, -88.8f, -103.0f, 17.0f}) in.push_back(x);
  std::vector<float> out(in.size());
  lt::cpu::sigmoid_f32(in.data(), out.data(), static_cast<int64_t>(in.size()));
  double worst = 0;
  float worst_x = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    double x = static_cast<double>(in[i]);
    double exact = 1.0 / (1.0 + std::exp(-x));
    double err = ulp_error(out[i], exact);
    if (err > worst) worst = err, worst_x = in[i];
    REQUIRE(ulp_error(lt::cpu::sigmoid_f32(in[i]), exact) <= 3.0);  // the one-lane form too
  }
  INFO("worst error " << worst << " ulp at x = " << worst_x);
  REQUIRE(worst <= 3.0);
  float limits_in[] = {inf, -inf, std::numeric_limits<float>::quiet_NaN(), 0.0f};
  float limits_out[4];
  lt::cpu::sigmoid_f32(limits_in, limits_out, 4);
  REQUIRE(limits_out[0] == 1.0f);
  REQUIRE(limits_out[1] == 0.0f);
  REQUIRE(std::isnan(limits_out[2]));
  REQUIRE(limits_out[3] == 0.5f);
}
