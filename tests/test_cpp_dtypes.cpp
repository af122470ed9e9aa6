// The C++ wrapper (tensor.hpp) on issue 14's dtypes: the DType values and names, dtype_of for the small
// integers and the Half / BFloat16 element types, from_vector / to_vector / item on them, printing, and the
// wrapper's own float <-> half conversions, bit for bit against the library's (which
// tests/python/test_dtypes_binding_convert.py checks against torch). Built with -Wall -Wextra -Werror -pedantic.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"
#include "tensor/tensor.hpp"

namespace lt = libtensor;

namespace {

uint32_t bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}
bool is_nan16(uint16_t b, bool bf16) {
  return bf16 ? (b & 0x7f80u) == 0x7f80u && (b & 0x7fu) : (b & 0x7c00u) == 0x7c00u && (b & 0x3ffu);
}

// float32 bit patterns that exercise rounding: every 16-bit value's float and its neighbours, the midpoints
// between consecutive halves / bfloat16s and their neighbours, then random patterns.
std::vector<float> probe_floats() {
  std::vector<uint32_t> p;
  for (uint32_t h = 0; h < 0x7c00u; ++h) {
    const uint32_t f = bits(static_cast<float>(lt::Half::from_bits(static_cast<uint16_t>(h))));
    for (uint32_t c : {f, f + 0x1000u}) {  // + half a float16 ulp (normal range)
      for (int d = -2; d <= 2; ++d) p.push_back(static_cast<uint32_t>(static_cast<int64_t>(c) + d) & 0x7fffffffu);
    }
  }
  for (uint32_t b = 0; b < 0x7f80u; b += 3) {
    for (int d = -2; d <= 2; ++d) p.push_back((((b << 16) + 0x8000u) + static_cast<uint32_t>(d)) & 0x7fffffffu);
  }
  std::mt19937 gen(14);
  for (int i = 0; i < 300000; ++i) p.push_back(static_cast<uint32_t>(gen()));
  const size_t n = p.size();
  for (size_t i = 0; i < n; ++i) p.push_back(p[i] | 0x80000000u);  // both signs
  for (uint32_t s : {0x7f800000u, 0x7fc00000u, 0x7f800001u, 0xffc00000u, 0x477ff000u, 0x477fefffu, 0x33000000u,
                     0x33000001u, 0x00000001u, 0x7f7fffffu})
    p.push_back(s);
  std::vector<float> out(p.size());
  for (size_t i = 0; i < p.size(); ++i) out[i] = from_bits(p[i]);
  return out;
}

}  // namespace

TEST_CASE("cpp dtypes: enum values, names and dtype_of", "[cpp][dtypes]") {
  STATIC_REQUIRE(static_cast<int>(lt::kFloat16) == TENSOR_FLOAT16);
  STATIC_REQUIRE(static_cast<int>(lt::kBFloat16) == TENSOR_BFLOAT16);
  STATIC_REQUIRE(static_cast<int>(lt::kUInt8) == TENSOR_UINT8);
  STATIC_REQUIRE(static_cast<int>(lt::kInt8) == TENSOR_INT8);
  STATIC_REQUIRE(static_cast<int>(lt::kInt16) == TENSOR_INT16);
  STATIC_REQUIRE(lt::kHalf == lt::kFloat16);
  STATIC_REQUIRE(lt::dtype_of<uint8_t>::value == lt::kUInt8);
  STATIC_REQUIRE(lt::dtype_of<int8_t>::value == lt::kInt8);
  STATIC_REQUIRE(lt::dtype_of<int16_t>::value == lt::kInt16);
  STATIC_REQUIRE(lt::dtype_of<lt::Half>::value == lt::kFloat16);
  STATIC_REQUIRE(lt::dtype_of<lt::BFloat16>::value == lt::kBFloat16);
  STATIC_REQUIRE(sizeof(lt::Half) == 2 && sizeof(lt::BFloat16) == 2);
  CHECK(std::string(lt::dtype_name(lt::kFloat16)) == "float16");
  CHECK(std::string(lt::dtype_name(lt::kBFloat16)) == "bfloat16");
  CHECK(std::string(lt::dtype_name(lt::kUInt8)) == "uint8");
  CHECK(std::string(lt::dtype_name(lt::kInt8)) == "int8");
  CHECK(std::string(lt::dtype_name(lt::kInt16)) == "int16");
  CHECK(lt::zeros({2}, lt::kBFloat16).is_floating_point());
  CHECK(lt::zeros({2}, lt::kFloat16).is_floating_point());
  CHECK_FALSE(lt::zeros({2}, lt::kUInt8).is_floating_point());
}

TEST_CASE("cpp dtypes: from_vector, to_vector, item and printing (texts from torch 1.13)", "[cpp][dtypes]") {
  lt::Tensor u = lt::from_vector<uint8_t>({1, 2, 255}, {3});
  CHECK(u.dtype() == lt::kUInt8);
  CHECK(u.str() == "tensor([  1,   2, 255], dtype=torch.uint8)");
  CHECK(u.to_vector<uint8_t>() == std::vector<uint8_t>{1, 2, 255});
  CHECK(u.to_vector<int64_t>() == std::vector<int64_t>{1, 2, 255});
  CHECK(u.select(0, 2).item<uint8_t>() == 255);
  lt::Tensor i8 = lt::from_vector<int8_t>({-128, 127, 0, -1}, {2, 2});
  CHECK(i8.str() == "tensor([[-128,  127],\n        [   0,   -1]], dtype=torch.int8)");
  CHECK(i8.to_vector<int8_t>() == std::vector<int8_t>{-128, 127, 0, -1});
  CHECK(i8.to(lt::kUInt8).to_vector<uint8_t>() == std::vector<uint8_t>{128, 127, 0, 255});  // wraps as torch
  lt::Tensor i16 = lt::from_list<int16_t>({-32768, 300});
  CHECK(i16.str() == "tensor([-32768,    300], dtype=torch.int16)");

  lt::Tensor h = lt::from_vector<lt::Half>({lt::Half(0.5f), lt::Half(13.0f), lt::Half(4.0f)});
  CHECK(h.dtype() == lt::kFloat16);
  CHECK(h.str() == "tensor([ 0.5000, 13.0000,  4.0000], dtype=torch.float16)");
  const std::vector<lt::Half> hv = lt::from_list<float>({0.1f, 65504.f, 70000.f}).to_vector<lt::Half>();
  REQUIRE(hv.size() == 3);
  CHECK(hv[0].bits == 0x2e66);  // torch.tensor(0.1).half() bits
  CHECK(hv[1].bits == 0x7bff);
  CHECK(hv[2].bits == 0x7c00);
  lt::Tensor b = lt::from_vector<lt::BFloat16>({lt::BFloat16(0.1f), lt::BFloat16(-3.0f)});
  CHECK(b.str() == "tensor([ 0.1001, -3.0000], dtype=torch.bfloat16)");
  CHECK(static_cast<float>(b.to_vector<lt::BFloat16>()[0]) == 0.10009765625f);
  CHECK(lt::scalar_tensor(2.5, lt::kBFloat16).item<lt::BFloat16>().bits == 0x4020);
  CHECK_THROWS_AS(lt::full({2}, 300, lt::kInt16).item<int16_t>(), lt::Error);
  CHECK(lt::full({}, 3.0, lt::kUInt8).item<uint8_t>() == 3);
  CHECK(lt::full({}, -1.0, lt::kInt8).item() == -1.0);

  // Operators keep the half dtype with a double scalar, as PyTorch does with a Python float.
  CHECK((h * 2.0).dtype() == lt::kFloat16);
  CHECK((h * 2.0).str() == "tensor([ 1., 26.,  8.], dtype=torch.float16)");
  CHECK((u + u).str() == "tensor([  2,   4, 254], dtype=torch.uint8)");
}

TEST_CASE("cpp dtypes: Half and BFloat16 convert as the library does, bit for bit", "[cpp][dtypes]") {
  // 16 bits -> float: all 65536 patterns (NaN compared as NaN: the payload's quiet bit may differ).
  std::vector<uint16_t> all(65536);
  for (uint32_t i = 0; i < 65536u; ++i) all[i] = static_cast<uint16_t>(i);
  for (const bool bf16 : {false, true}) {
    std::vector<lt::Half> hs(all.size());
    std::vector<lt::BFloat16> bs(all.size());
    for (size_t i = 0; i < all.size(); ++i) {
      hs[i] = lt::Half::from_bits(all[i]);
      bs[i] = lt::BFloat16::from_bits(all[i]);
    }
    const std::vector<float> lib =
        bf16 ? lt::from_vector<lt::BFloat16>(bs).to_vector<float>() : lt::from_vector<lt::Half>(hs).to_vector<float>();
    size_t bad = 0;
    for (size_t i = 0; i < all.size(); ++i) {
      const float mine = bf16 ? static_cast<float>(bs[i]) : static_cast<float>(hs[i]);
      const bool ok = bits(mine) == bits(lib[i]) || (std::isnan(mine) && std::isnan(lib[i]));
      if (!ok && bad++ < 5) FAIL_CHECK((bf16 ? "bfloat16 " : "float16 ") << std::hex << all[i] << " -> float");
    }
    CHECK(bad == 0);
  }
  // float -> 16 bits on the probe patterns, against the library's conversion.
  const std::vector<float> probes = probe_floats();
  const lt::Tensor src = lt::from_vector<float>(probes);
  const std::vector<lt::Half> lib16 = src.to_vector<lt::Half>();
  const std::vector<lt::BFloat16> libb = src.to_vector<lt::BFloat16>();
  size_t bad16 = 0, badb = 0;
  for (size_t i = 0; i < probes.size(); ++i) {
    const uint16_t mine16 = lt::Half(probes[i]).bits, mineb = lt::BFloat16(probes[i]).bits;
    if (mine16 != lib16[i].bits && !(is_nan16(mine16, false) && is_nan16(lib16[i].bits, false)) && bad16++ < 5)
      FAIL_CHECK("float16 of 0x" << std::hex << bits(probes[i]) << ": 0x" << mine16 << ", library 0x" << lib16[i].bits);
    if (mineb != libb[i].bits && !(is_nan16(mineb, true) && is_nan16(libb[i].bits, true)) && badb++ < 5)
      FAIL_CHECK("bfloat16 of 0x" << std::hex << bits(probes[i]) << ": 0x" << mineb << ", library 0x" << libb[i].bits);
  }
  CHECK(bad16 == 0);
  CHECK(badb == 0);
  CHECK(probes.size() > 600000);
}
