// The vectorised conversions of cpu/vec_convert.h against core/half.h's scalar ones, bit for bit, for
// every build this CPU runs: all 65536 16-bit patterns to float32, and to 16 bits the float32 edge
// patterns (zeros, subnormals, the rounding boundaries, overflow, inf, NaNs with payloads) plus millions
// of random bit patterns. Also the copy kernel's use of them (contiguous and strided rows agree).
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"
#include "core/half.h"
#include "cpu/kernels.h"
#include "cpu/vec_convert.h"
#include "ops/ops.h"

using namespace lt;

namespace {

std::vector<const cpu::VecConvertKernels*> builds() {
  std::vector<const cpu::VecConvertKernels*> out;
  for (int w = 0; w <= 3; ++w)
    if (const cpu::VecConvertKernels* k = cpu::vec_convert_kernels(w)) out.push_back(k);
  return out;
}

std::vector<uint16_t> all_16bit() {
  std::vector<uint16_t> v(65536);
  for (uint32_t i = 0; i < 65536; ++i) v[i] = uint16_t(i);
  return v;
}

// Float32 patterns where rounding to 16 bits is delicate, with both signs.
std::vector<uint32_t> edge_floats() {
  std::vector<uint32_t> v;
  const uint32_t bases[] = {0x00000000u, 0x00000001u, 0x007fffffu, 0x00800000u, 0x33000000u, 0x33000001u, 0x337fffffu,
                            0x33800000u, 0x387fc000u, 0x387fe000u, 0x387fffffu, 0x38800000u, 0x3f800000u, 0x3f801000u,
                            0x3f802000u, 0x3f803000u, 0x3f808000u, 0x3f818000u, 0x477fe000u, 0x477fefffu, 0x477ff000u,
                            0x477fffffu, 0x47800000u, 0x7f7f7fffu, 0x7f7f8000u, 0x7f7fffffu, 0x7f800000u, 0x7f800001u,
                            0x7fc00000u, 0x7fc00001u, 0x7fffffffu, 0x7fa00000u, 0x7f802000u, 0x7f804000u};
  for (uint32_t b : bases)
    for (int32_t d = -3; d <= 3; ++d)
      for (uint32_t sign : {0u, 0x80000000u}) v.push_back((b + uint32_t(d)) | sign);
  // Every tie and near-tie for bfloat16 (low 16 bits 0x7fff..0x8001) and float16 (low 13 bits around
  // 0x1000) across all exponents.
  for (uint32_t e = 0; e < 256; ++e)
    for (uint32_t low : {0x7fffu, 0x8000u, 0x8001u, 0x18000u, 0xfffu, 0x1000u, 0x1001u, 0x3000u})
      v.push_back((e << 23) | low);
  return v;
}

std::vector<uint32_t> random_floats(size_t n) {
  std::mt19937 gen(1234);
  std::vector<uint32_t> v(n);
  for (auto& x : v) x = gen();
  return v;
}

template <typename T>
std::vector<float> as_floats(const std::vector<T>& bits) {
  std::vector<float> f(bits.size());
  std::memcpy(f.data(), bits.data(), bits.size() * 4);
  return f;
}

uint32_t bits_of(float f) { return float_bits(f); }

// Converts `in` with `fn` in pieces of every length 0..40 (so every tail path runs) and then in one call.
template <typename To, typename From, typename Fn>
std::vector<To> convert_pieces(const std::vector<From>& in, Fn fn) {
  std::vector<To> out(in.size());
  size_t i = 0;
  for (size_t len = 0; len <= 40 && i + len <= in.size(); i += len, ++len) fn(in.data() + i, out.data() + i, len);
  fn(in.data() + i, out.data() + i, int64_t(in.size() - i));
  return out;
}

}  // namespace

TEST_CASE("vec_convert: every float16 and bfloat16 pattern to float32 as half.h", "[convert]") {
  INFO("width " << cpu::vec_convert_width());
  const std::vector<uint16_t> bits = all_16bit();
  std::vector<Half> h(bits.size());
  std::vector<BFloat16> b(bits.size());
  for (size_t i = 0; i < bits.size(); ++i) h[i] = Half::from_bits(bits[i]), b[i] = BFloat16::from_bits(bits[i]);
  for (const cpu::VecConvertKernels* k : builds()) {
    const std::vector<float> hf = convert_pieces<float>(h, k->f16_f32), bf = convert_pieces<float>(b, k->bf16_f32);
    size_t bad_h = 0, bad_b = 0;
    for (size_t i = 0; i < bits.size(); ++i) {
      bad_h += bits_of(hf[i]) != bits_of(half_bits_to_float(bits[i]));
      bad_b += bits_of(bf[i]) != bits_of(bfloat16_bits_to_float(bits[i]));
    }
    CHECK(bad_h == 0);
    CHECK(bad_b == 0);
  }
}

TEST_CASE("vec_convert: float32 edge and random patterns to float16 and bfloat16 as half.h", "[convert]") {
  std::vector<uint32_t> bits = edge_floats();
  const std::vector<uint32_t> rnd = random_floats(4u << 20);
  bits.insert(bits.end(), rnd.begin(), rnd.end());
  const std::vector<float> f = as_floats(bits);
  for (const cpu::VecConvertKernels* k : builds()) {
    const std::vector<Half> h = convert_pieces<Half>(f, k->f32_f16);
    const std::vector<BFloat16> b = convert_pieces<BFloat16>(f, k->f32_bf16);
    size_t bad_h = 0, bad_b = 0, first_h = 0, first_b = 0;
    for (size_t i = 0; i < f.size(); ++i) {
      if (h[i].bits != float_to_half_bits(f[i]) && bad_h++ == 0) first_h = i;
      if (b[i].bits != float_to_bfloat16_bits(f[i]) && bad_b++ == 0) first_b = i;
    }
    INFO("first float16 mismatch at bits " << std::hex << bits[first_h] << ", bfloat16 at " << bits[first_b]);
    CHECK(bad_h == 0);
    CHECK(bad_b == 0);
  }
}

TEST_CASE("vec_convert: NaN and subnormal results as c10", "[convert]") {
  // Spelled out, not only compared with half.h: NaN -> 0x7FC0 (bfloat16) and sign | 0x7E00 (float16);
  // subnormal float32 keeps its bfloat16 subnormal (no flush to zero as vcvtneps2bf16 would).
  const std::vector<float> f =
      as_floats(std::vector<uint32_t>({0x7fffffffu, 0xffc00001u, 0x7f800001u, 0x00010000u, 0x80018000u, 0x33800001u,
                                       0x477ff000u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u}));
  for (const cpu::VecConvertKernels* k : builds()) {
    std::vector<BFloat16> b(f.size());
    std::vector<Half> h(f.size());
    k->f32_bf16(f.data(), b.data(), int64_t(f.size()));
    k->f32_f16(f.data(), h.data(), int64_t(f.size()));
    CHECK(b[0].bits == 0x7fc0);
    CHECK(b[1].bits == 0x7fc0);
    CHECK(b[2].bits == 0x7fc0);
    CHECK(b[3].bits == 0x0001);
    CHECK(b[4].bits == 0x8002);  // a tie, to even
    CHECK(h[0].bits == 0x7e00);
    CHECK(h[1].bits == 0xfe00);
    CHECK(h[5].bits == 0x0001);  // just above half the smallest float16 subnormal
    CHECK(h[6].bits == 0x7c00);  // 65520 rounds to inf
  }
}

TEST_CASE("vec_convert: uint8 to float32", "[convert]") {
  std::vector<uint8_t> u(1000);
  for (size_t i = 0; i < u.size(); ++i) u[i] = uint8_t(i * 7);
  for (const cpu::VecConvertKernels* k : builds()) {
    const std::vector<float> f = convert_pieces<float>(u, k->u8_f32);
    for (size_t i = 0; i < u.size(); ++i) REQUIRE(f[i] == float(u[i]));
  }
}

TEST_CASE("copy kernel: contiguous (vectorised) and strided rows convert alike", "[convert]") {
  const int64_t rows = 37, cols = 129;
  std::vector<uint32_t> bits = random_floats(size_t(rows * cols));
  const std::vector<float> f = as_floats(bits);
  Tensor src = make_empty({rows, cols}, DType::Float32, Device{});
  std::memcpy(src.data_as<float>(), f.data(), f.size() * 4);
  for (DType dt : {DType::BFloat16, DType::Float16}) {
    INFO(dtype_name(dt));
    Tensor dense = make_empty({rows, cols}, dt, Device{});
    cpu::copy(dense, src);
    // The transposed destination makes every row strided: the scalar path of unary_row.
    Tensor t = make_empty({cols, rows}, dt, Device{});
    cpu::copy(transpose(t, 0, 1), src);
    Tensor back = make_empty({rows, cols}, DType::Float32, Device{});
    cpu::copy(back, dense);
    const uint16_t* d = dense.data_as<const uint16_t>();
    const uint16_t* s = t.data_as<const uint16_t>();
    const float* bk = back.data_as<float>();
    size_t bad = 0;
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        const uint16_t want =
            dt == DType::BFloat16 ? float_to_bfloat16_bits(f[i * cols + j]) : float_to_half_bits(f[i * cols + j]);
        const float want_back = dt == DType::BFloat16 ? bfloat16_bits_to_float(want) : half_bits_to_float(want);
        bad += d[i * cols + j] != want || s[j * rows + i] != want || bits_of(bk[i * cols + j]) != bits_of(want_back);
      }
    CHECK(bad == 0);
  }
}
