// The vectorised float32 math (src/cpu/vec_math.h) against double-precision libm: the worst error in ulp
// over sampled bit patterns across each op's range (both the array form, at this CPU's widest vectors,
// and the one-element form, at the SSE2 baseline), special values, and every length and offset.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "catch.hpp"
#include "cpu/vec_math.h"

using lt::cpu::VecOp;
using lt::cpu::vec_f32;

namespace {

const float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::numeric_limits<float>::quiet_NaN();

float from_bits(uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

// Error of y in units of the last place of the float nearest the exact value e.
double ulp_error(float y, double e) {
  if (std::isnan(e)) return std::isnan(y) ? 0.0 : 1e9;
  if (std::isinf(e) || std::fabs(e) > std::numeric_limits<float>::max())
    return std::isinf(y) && (y > 0) == (e > 0) ? 0.0 : 1e9;
  if (e == 0) return y == 0 ? 0.0 : 1e9;
  int exponent;
  std::frexp(e, &exponent);  // e = m * 2^exponent, m in [0.5, 1)
  double ulp = std::ldexp(1.0, std::max(exponent - 24, -149));
  return std::fabs(static_cast<double>(y) - e) / ulp;
}

double exact(VecOp op, double x) {
  switch (op) {
    case VecOp::Exp: return std::exp(x);
    case VecOp::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case VecOp::Log: return std::log(x);
    case VecOp::Sqrt: return std::sqrt(x);
    case VecOp::Sin: return std::sin(x);
    case VecOp::Cos: return std::cos(x);
    case VecOp::Tanh: return std::tanh(x);
  }
  return 0;
}

// Every `step`-th float bit pattern in [lo, hi] (patterns of one sign, so an interval of magnitudes).
void add_patterns(std::vector<float>& v, uint32_t lo, uint32_t hi, uint32_t step) {
  for (uint64_t b = lo; b <= hi; b += step) v.push_back(from_bits(static_cast<uint32_t>(b)));
}

// The worst ulp error of the array and the one-element forms over `in`.
struct Worst {
  double array = 0, one = 0;
  float array_x = 0, one_x = 0;
};
Worst worst_error(VecOp op, const std::vector<float>& in) {
  std::vector<float> out(in.size());
  vec_f32(op, in.data(), out.data(), static_cast<int64_t>(in.size()));
  Worst w;
  for (size_t i = 0; i < in.size(); ++i) {
    const double e = exact(op, static_cast<double>(in[i]));
    const double ea = ulp_error(out[i], e), eo = ulp_error(vec_f32(op, in[i]), e);
    if (ea > w.array) w.array = ea, w.array_x = in[i];
    if (eo > w.one) w.one = eo, w.one_x = in[i];
  }
  return w;
}

void require_within(VecOp op, const std::vector<float>& in, double ulps) {
  const Worst w = worst_error(op, in);
  INFO("array form: worst " << w.array << " ulp at x = " << w.array_x << "; one-element form: worst " << w.one
                            << " ulp at x = " << w.one_x);
  REQUIRE(w.array <= ulps);
  REQUIRE(w.one <= ulps);
}

// Special values: the exact expectation (NaN where libm gives NaN, the same sign of zero and infinity).
void require_specials(VecOp op, const std::vector<float>& xs) {
  std::vector<float> out(xs.size());
  vec_f32(op, xs.data(), out.data(), static_cast<int64_t>(xs.size()));
  for (size_t i = 0; i < xs.size(); ++i) {
    const double e = exact(op, static_cast<double>(xs[i]));
    for (float y : {out[i], vec_f32(op, xs[i])}) {
      INFO("x = " << xs[i] << " gives " << y << ", libm (double) " << e);
      if (std::isnan(e)) {
        REQUIRE(std::isnan(y));
      } else if (e == 0 || std::isinf(e) || e == 1 || e == -1) {
        REQUIRE(y == static_cast<float>(e));
        REQUIRE(std::signbit(y) == std::signbit(e));
      } else {
        REQUIRE(ulp_error(y, e) <= 3.0);
      }
    }
  }
}

const VecOp kAll[] = {VecOp::Exp, VecOp::Sigmoid, VecOp::Log, VecOp::Sqrt, VecOp::Sin, VecOp::Cos, VecOp::Tanh};

}  // namespace

TEST_CASE("vectorised exp is within 2 ulp over the whole float range", "[vec_math]") {
  std::vector<float> in;
  add_patterns(in, 0x80000000u, 0xC2D00000u, 97);  // -0 down to -104
  add_patterns(in, 0x00000000u, 0x42B20000u, 97);  // 0 up to 89
  require_within(VecOp::Exp, in, 2.0);
  require_specials(VecOp::Exp, {0.0f, -0.0f, kInf, -kInf, kNaN, 88.72283f, 88.72284f, 89.0f, 1000.0f, -87.33654f,
                                -100.0f, -103.2789f, -103.9721f, -104.0f, -1000.0f, 1e-30f, -1e-30f});
  float edge[] = {88.72283f, 88.72284f, -103.2789f};
  vec_f32(VecOp::Exp, edge, edge, 3);
  REQUIRE(edge[0] < kInf);  // just below log(FLT_MAX)
  REQUIRE(edge[1] == kInf);  // just above
  REQUIRE(edge[2] > 0.0f);   // a subnormal result
}

TEST_CASE("vectorised sigmoid is within 3 ulp, with the right limits", "[vec_math]") {
  std::vector<float> in;
  add_patterns(in, 0x80000000u, 0xC2F00000u, 97);  // -0 down to -120 (beyond: 0 or 1 exactly)
  add_patterns(in, 0x00000000u, 0x42F00000u, 97);
  require_within(VecOp::Sigmoid, in, 3.0);
  require_specials(VecOp::Sigmoid, {kInf, -kInf, kNaN, 0.0f, 1000.0f, -1000.0f, 88.8f, -88.8f, -103.0f, 17.0f});
}

TEST_CASE("vectorised log is within 1 ulp over every positive float, subnormals included", "[vec_math]") {
  std::vector<float> in;
  add_patterns(in, 0x00000001u, 0x7F7FFFFFu, 331);
  for (float x : {1.0f, std::nextafter(1.0f, 2.0f), std::nextafter(1.0f, 0.0f), 0.70710677f, 0.70710683f, 1.4142135f,
                  2.0f, 0.5f, 1e-45f, 1.1754942e-38f, 1.17549435e-38f, 3.4028235e38f})
    in.push_back(x);
  require_within(VecOp::Log, in, 1.0);
  require_specials(VecOp::Log, {0.0f, -0.0f, -1.0f, -1e-40f, kInf, -kInf, kNaN, 1.0f, 2.0f, 1e-45f});
}

TEST_CASE("vectorised sqrt is correctly rounded", "[vec_math]") {
  std::vector<float> in;
  add_patterns(in, 0x00000000u, 0x7F7FFFFFu, 331);
  std::vector<float> out(in.size());
  vec_f32(VecOp::Sqrt, in.data(), out.data(), static_cast<int64_t>(in.size()));
  size_t wrong = 0;
  for (size_t i = 0; i < in.size(); ++i) wrong += out[i] != std::sqrt(in[i]) || vec_f32(VecOp::Sqrt, in[i]) != out[i];
  REQUIRE(wrong == 0);
  require_specials(VecOp::Sqrt, {0.0f, -0.0f, -1.0f, kInf, -kInf, kNaN, 4.0f, 1e-45f});
}

TEST_CASE("vectorised sin and cos are within 2 ulp, also past the vector path's range", "[vec_math]") {
  std::vector<float> in;
  add_patterns(in, 0x00000000u, 0x45BB8000u, 97);  // 0 up to 6000: the vector path
  add_patterns(in, 0x80000000u, 0xC5BB8000u, 97);
  add_patterns(in, 0x45BB8000u, 0x7F7FFFFFu, 4099);  // beyond: libm per lane
  add_patterns(in, 0xC5BB8000u, 0xFF7FFFFFu, 4099);
  // Floats closest to multiples of pi/2, where the reduction's cancellation is worst.
  for (int k = 1; k < 3800; ++k) {
    const float x = static_cast<float>(k * 1.5707963267948966);
    for (float y : {x, std::nextafter(x, 0.0f), std::nextafter(x, 1e9f)}) in.push_back(y);
  }
  require_within(VecOp::Sin, in, 2.0);
  require_within(VecOp::Cos, in, 2.0);
  const std::vector<float> specials = {0.0f, -0.0f, kInf, -kInf, kNaN, 1e-45f, -1e-45f, 1e-20f, 6000.0f, 6001.0f, 1e30f};
  require_specials(VecOp::Sin, specials);
  require_specials(VecOp::Cos, specials);
}

TEST_CASE("vectorised tanh is within 2 ulp, odd, and exactly +-1 far out", "[vec_math]") {
  std::vector<float> in;
  add_patterns(in, 0x00000000u, 0x41200000u, 97);  // 0 up to 10
  add_patterns(in, 0x80000000u, 0xC1200000u, 97);
  require_within(VecOp::Tanh, in, 2.0);
  require_specials(VecOp::Tanh, {0.0f, -0.0f, kInf, -kInf, kNaN, 1e-45f, -1e-45f, 0.625f, -0.625f, 9.0f, 10.0f,
                                 -20.0f, 1e30f});
}

TEST_CASE("vectorised math: every length and offset gives the one-element answers", "[vec_math]") {
  std::vector<float> in(70), out(70);
  for (size_t i = 0; i < in.size(); ++i) in[i] = -20.0f + 0.61f * static_cast<float>(i);
  for (VecOp op : kAll) {
    for (int64_t len = 0; len <= 37; ++len) {
      for (int64_t off = 0; off < 3; ++off) {
        std::fill(out.begin(), out.end(), -1.0f);
        vec_f32(op, in.data() + off, out.data() + off, len);
        for (int64_t i = 0; i < 70; ++i) {
          const size_t k = static_cast<size_t>(i);
          INFO("op " << static_cast<int>(op) << " len " << len << " offset " << off << " element " << i);
          if (i < off || i >= off + len) {
            REQUIRE(out[k] == -1.0f);  // nothing written outside the range
          } else {
            const float one = vec_f32(op, in[k]);
            if (std::isnan(one)) REQUIRE(std::isnan(out[k]));
            else REQUIRE(ulp_error(out[k], static_cast<double>(one)) <= 1.0);  // FMA may move the last bit
          }
        }
      }
    }
  }
}
