// The 16-bit floating storage types (core/half.h) and the conversions between all dtypes
// (core/scalar_ops.h cast_value), against independent references: every float16 value is decoded with
// ldexp, float32 -> 16 bits is checked against a search for the nearest representable value (ties to the
// even encoding), and the integer conversions against the values PyTorch 1.13 gives.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"
#include "core/dtype.h"
#include "core/half.h"
#include "core/scalar_ops.h"

using namespace lt;

namespace {

float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// float16 bits -> value, from the IEEE definition.
double half_reference(uint16_t h) {
  const int sign = h >> 15, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  double v;
  if (e == 0x1f) v = m ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
  else if (e == 0) v = std::ldexp(double(m), -24);
  else v = std::ldexp(double(1024 + m), e - 25);
  return sign ? -v : v;
}

// The finite non-negative float16 values in increasing order (index = bits).
std::vector<double> half_values() {
  std::vector<double> v;
  for (uint32_t b = 0; b < 0x7c00; ++b) v.push_back(half_reference(uint16_t(b)));
  return v;
}

// Nearest float16 to x (not NaN) by search, ties to the even encoding; beyond 65504 + half an ulp: inf.
uint16_t nearest_half(float x, const std::vector<double>& values) {
  const uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  const double a = std::fabs(double(x));
  if (a >= 65520.0) return sign | 0x7c00;
  if (a > 65504.0) return sign | 0x7bff;  // below the midpoint to infinity
  auto hi = std::lower_bound(values.begin(), values.end(), a);
  if (*hi == a) return sign | uint16_t(hi - values.begin());
  auto lo = hi - 1;
  const double dl = a - *lo, dh = *hi - a;
  uint16_t bits = uint16_t((dl < dh || (dl == dh && ((lo - values.begin()) & 1) == 0)) ? lo - values.begin()
                                                                                         : hi - values.begin());
  return sign | bits;
}

// Nearest bfloat16 to x (not NaN): the two candidates are x's top 16 bits and the next encoding.
uint16_t nearest_bfloat16(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  const uint16_t down = uint16_t(u >> 16), up = uint16_t(down + 1);
  if (std::isinf(x)) return down;
  const double a = std::fabs(double(x)), dl = a - std::fabs(double(from_bits(uint32_t(down) << 16)));
  if ((up & 0x7fff) == 0x7f80) {  // rounding up reaches infinity: it does when x is at least the midpoint
    const double max = double(from_bits(0x7f7f0000u)), mid = max + std::ldexp(1.0, 127 - 8);
    return a >= mid ? up : down;
  }
  const double dh = std::fabs(double(from_bits(uint32_t(up) << 16))) - a;
  return (dl < dh || (dl == dh && (down & 1) == 0)) ? down : up;
}

}  // namespace

TEST_CASE("every float16 bit pattern decodes exactly and encodes back to itself") {
  for (uint32_t b = 0; b < 0x10000; ++b) {
    const uint16_t h = uint16_t(b);
    const float f = Half::from_bits(h);
    const double ref = half_reference(h);
    if (std::isnan(ref)) {
      CHECK(std::isnan(f));
      CHECK(std::isnan(float(Half(f))));
      continue;
    }
    REQUIRE(double(f) == ref);
    REQUIRE(std::signbit(f) == bool(h & 0x8000));
    REQUIRE(Half(f).bits == h);
  }
}

TEST_CASE("float32 -> float16 rounds to nearest even, overflows to inf, keeps subnormals") {
  const std::vector<double> values = half_values();
  std::vector<float> xs = {0.0f, -0.0f, 1.0f, 65504.0f, 65519.996f, 65520.0f, 65536.0f, 1e30f, -1e30f,
                           std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                           std::numeric_limits<float>::denorm_min(), 5.9604645e-8f, 2.9802322e-8f, 2.9802326e-8f,
                           8.940697e-8f, 6.097555e-5f, 6.1035156e-5f, 1.0009766f, 1.0004883f, 1.0014648f};
  // Every midpoint between neighbouring float16 values, and the floats just below and above it.
  for (size_t i = 0; i + 1 < values.size(); i += 7) {
    const float mid = float((values[i] + values[i + 1]) / 2);  // exact: a float16 midpoint fits a float32
    xs.push_back(mid);
    xs.push_back(std::nextafter(mid, 0.0f));
    xs.push_back(std::nextafter(mid, 1e9f));
    xs.push_back(-mid);
  }
  std::mt19937 rng(7);
  for (int i = 0; i < 300000; ++i) {
    uint32_t u = rng();
    xs.push_back(from_bits((u & 0x807fffffu) | (uint32_t(100 + (u >> 23) % 50) << 23)));  // around float16's range
  }
  for (float x : xs) {
    INFO("x = " << x);
    REQUIRE(Half(x).bits == nearest_half(x, values));
  }
  CHECK((Half(std::numeric_limits<float>::quiet_NaN()).bits & 0x7fff) > 0x7c00);
}

TEST_CASE("float32 -> bfloat16 rounds to nearest even; bfloat16 -> float32 is exact") {
  std::vector<float> xs = {0.0f, -0.0f, 1.0f, 1.00390625f, 1.01171875f, 3.3895314e38f, 3.3961776e38f,
                           std::numeric_limits<float>::max(), std::numeric_limits<float>::denorm_min(),
                           std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
  std::mt19937 rng(11);
  for (int i = 0; i < 1000000; ++i) {
    const uint32_t u = rng();
    if ((u & 0x7f800000u) == 0x7f800000u) continue;  // inf/NaN patterns: below
    xs.push_back(from_bits(u));
    xs.push_back(from_bits((u & 0xffff0000u) | 0x8000u));  // exact ties
  }
  for (float x : xs) {
    INFO("x = " << x);
    const uint16_t b = BFloat16(x).bits;
    REQUIRE(b == nearest_bfloat16(x));
    REQUIRE(float(BFloat16::from_bits(b)) == from_bits(uint32_t(b) << 16));
  }
  CHECK(BFloat16(std::numeric_limits<float>::quiet_NaN()).bits == 0x7fc0);
  CHECK(BFloat16(-std::numeric_limits<float>::quiet_NaN()).bits == 0x7fc0);
}

TEST_CASE("conversions to the small integers wrap as PyTorch's do") {
  // Values from torch 1.13: torch.tensor([...]).to(dtype) on the CPU.
  CHECK(cast_value<uint8_t, float>(300.0f) == 44);
  CHECK(cast_value<uint8_t, float>(-1.0f) == 255);
  CHECK(cast_value<uint8_t, float>(-129.5f) == 127);
  CHECK(cast_value<uint8_t, float>(1e10f) == 0);
  CHECK(cast_value<uint8_t, float>(std::numeric_limits<float>::quiet_NaN()) == 0);
  CHECK(cast_value<uint8_t, double>(4294967301.0) == 5);  // through int64
  CHECK(cast_value<uint8_t, double>(-4294967301.0) == 251);
  CHECK(cast_value<int8_t, double>(4294967301.0) == 0);  // through int32: out of range
  CHECK(cast_value<int8_t, float>(300.0f) == 44);
  CHECK(cast_value<int8_t, float>(-129.5f) == 127);
  CHECK(cast_value<int16_t, float>(70000.0f) == 4464);
  CHECK(cast_value<int16_t, float>(-129.5f) == -129);
  CHECK(cast_value<uint8_t, int64_t>(70000) == 112);
  CHECK(cast_value<int8_t, int64_t>(-1) == -1);
  CHECK(cast_value<uint8_t, Half>(Half(300.0f)) == 44);
  CHECK(cast_value<int16_t, Half>(Half(70000.0f)) == 0);  // inf
  CHECK(float(cast_value<Half, int64_t>(70000)) == std::numeric_limits<float>::infinity());
  CHECK(float(cast_value<BFloat16, int64_t>(70000)) == 70144.0f);
  CHECK(float(cast_value<Half, bool>(true)) == 1.0f);
  CHECK(cast_value<bool, Half>(Half(-0.0f)) == false);
  CHECK(cast_value<bool, BFloat16>(BFloat16(0.5f)) == true);
  CHECK(cast_value<Half, BFloat16>(BFloat16(1.0f)).bits == 0x3c00);
}

TEST_CASE("promotion of the storage dtypes follows PyTorch's table") {
  CHECK(promote_types(DType::UInt8, DType::Int8) == DType::Int16);
  CHECK(promote_types(DType::Int8, DType::UInt8) == DType::Int16);
  CHECK(promote_types(DType::UInt8, DType::Int16) == DType::Int16);
  CHECK(promote_types(DType::UInt8, DType::Int32) == DType::Int32);
  CHECK(promote_types(DType::Int8, DType::Int16) == DType::Int16);
  CHECK(promote_types(DType::Bool, DType::UInt8) == DType::UInt8);
  CHECK(promote_types(DType::Float16, DType::BFloat16) == DType::Float32);
  CHECK(promote_types(DType::BFloat16, DType::Float16) == DType::Float32);
  CHECK(promote_types(DType::Float16, DType::Float32) == DType::Float32);
  CHECK(promote_types(DType::BFloat16, DType::Float64) == DType::Float64);
  CHECK(promote_types(DType::Int64, DType::Float16) == DType::Float16);
  CHECK(promote_types(DType::UInt8, DType::BFloat16) == DType::BFloat16);
  CHECK(promote_types(DType::Bool, DType::Float16) == DType::Float16);
  for (int a = 0; a < kNumDTypes; ++a)
    for (int b = 0; b < kNumDTypes; ++b)
      CHECK(promote_types(DType(a), DType(b)) == promote_types(DType(b), DType(a)));
}
