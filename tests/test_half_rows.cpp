// The CPU's float16/bfloat16 elementwise kernels and sums (Note [half rows] in cpu/half_rows.h) against
// the path they replace: the same op on float32 copies, rounded once. Every unary and binary op of the
// op table that takes floating inputs, on contiguous, transposed, sliced and broadcast operands and a
// scalar operand; results must be bitwise equal (NaN: NaN).
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "catch.hpp"
#include "core/op_table.h"
#include "cpu/reduce_simd.h"
#include "cpu/vec_half_binary.h"
#include "cpu/vec_half_sum.h"
#include "ops/kernel_dtype.h"
#include "ops/ops.h"

using namespace lt;

namespace {

// Uniform values in [lo, hi) in dtype `dt` with the given shape, from a fixed seed.
Tensor values(const DimVector& shape, double lo, double hi, DType dt, uint64_t seed) {
  manual_seed(seed);
  TensorOptions f32;
  Tensor u = rand(shape, f32);
  return convert(binary_scalar(BinaryOp::Add, binary_scalar(BinaryOp::Mul, u, hi - lo), lo), dt);
}

// Bitwise equality of two tensors of the same dtype and shape (NaN payloads may differ).
void check_same(const Tensor& got, const Tensor& want, const std::string& what) {
  INFO(what);
  REQUIRE(got.dtype() == want.dtype());
  REQUIRE(got.shape() == want.shape());
  Tensor g = convert(contiguous(got), DType::Float32), w = convert(contiguous(want), DType::Float32);
  const float* gp = g.data_as<float>();
  const float* wp = w.data_as<float>();
  int64_t bad = 0;
  for (int64_t i = 0; i < g.numel(); ++i) {
    const bool same = (std::isnan(gp[i]) && std::isnan(wp[i])) || std::memcmp(gp + i, wp + i, 4) == 0;
    if (!same && bad++ < 3) UNSCOPED_INFO("element " << i << ": " << gp[i] << " vs " << wp[i]);
  }
  CHECK(bad == 0);
}

// The reference: op computed on float32 copies, converted once to the result dtype.
Tensor via_float(const Tensor& r32, DType dt) { return convert(r32, r32.dtype() == DType::Bool ? DType::Bool : dt); }

const DType kHalves[] = {DType::Float16, DType::BFloat16};

#define LT_LIST_UNARY(name, Enum) UnaryOp::Enum,
#define LT_LIST_BINARY(name, Enum) BinaryOp::Enum,
const UnaryOp kUnary[] = {LT_UNARY_OPS(LT_LIST_UNARY)};
const BinaryOp kBinary[] = {LT_BINARY_OPS(LT_LIST_BINARY)};
#undef LT_LIST_UNARY
#undef LT_LIST_BINARY

}  // namespace

TEST_CASE("half-precision unary ops equal the float32 op rounded once, in every layout") {
  for (DType dt : kHalves) {
    for (UnaryOp op : kUnary) {
      const int i = int(op);
      if (!accepts_floating(op_inputs(op))) continue;
      const double lo = visit_def(op, [](auto d) { return decltype(d)::lo; });
      const double hi = visit_def(op, [](auto d) { return decltype(d)::hi; });
      Tensor x = values({37, 129}, lo, hi, dt, 1 + i);
      for (const Tensor& v : {x, transpose(x, 0, 1), slice(x, 1, 3, 120, 5)}) {
        Tensor got = unary(op, v);
        Tensor want = via_float(unary(op, convert(v, DType::Float32)), dt);
        check_same(got, want, std::string(op_name(op)) + " " + dtype_name(dt) + " shape " + shape_str(v.shape()));
      }
    }
  }
}

TEST_CASE("half-precision binary ops equal the float32 op rounded once, with broadcasting and scalars") {
  for (DType dt : kHalves) {
    for (BinaryOp op : kBinary) {
      const int i = int(op);
      if (!accepts_floating(op_inputs(op))) continue;
      const double lo = visit_def(op, [](auto d) { return double(decltype(d)::a_lo); });
      const double hi = visit_def(op, [](auto d) { return double(decltype(d)::a_hi); });
      const double blo = visit_def(op, [](auto d) { return double(decltype(d)::b_lo); });
      const double bhi = visit_def(op, [](auto d) { return double(decltype(d)::b_hi); });
      Tensor a = values({33, 70}, lo, hi, dt, 100 + i), b = values({33, 70}, blo, bhi, dt, 200 + i);
      Tensor row = values({70}, blo, bhi, dt, 300 + i), col = values({33, 1}, lo, hi, dt, 400 + i);
      const std::pair<Tensor, Tensor> pairs[] = {{a, b}, {a, row}, {col, a}, {transpose(a, 0, 1), transpose(b, 0, 1)}};
      for (const auto& [x, y] : pairs) {
        Tensor got = binary(op, x, y);
        Tensor want = via_float(binary(op, convert(x, DType::Float32), convert(y, DType::Float32)), dt);
        check_same(got, want, std::string(op_name(op)) + " " + dtype_name(dt) + " " + shape_str(x.shape()) + " with " +
                                  shape_str(y.shape()));
      }
      const double s = blo + (bhi - blo) * 0.3;
      Tensor got = binary_scalar(op, a, s);
      Tensor want = via_float(binary_scalar(op, convert(a, DType::Float32), s), dt);
      check_same(got, want, std::string(op_name(op)) + " " + dtype_name(dt) + " with scalar " + std::to_string(s));
    }
  }
}

TEST_CASE("half-precision sums and means equal the float32 ones rounded once") {
  for (DType dt : kHalves) {
    Tensor x = values({3, 1000, 70}, -2, 2, dt, 7);
    for (const std::vector<int32_t>& dims : std::vector<std::vector<int32_t>>{{}, {0}, {1}, {2}, {0, 2}}) {
      check_same(sum(x, dims, false), convert(sum(convert(x, DType::Float32), dims, false), dt),
                 std::string("sum ") + dtype_name(dt));
      check_same(mean(x, dims, true), convert(mean(convert(x, DType::Float32), dims, true), dt),
                 std::string("mean ") + dtype_name(dt));
    }
    check_same(sum(transpose(x, 0, 2), {1}, false), convert(sum(transpose(convert(x, DType::Float32), 0, 2), {1}, false), dt),
               "sum of a transposed view");
  }
}

TEST_CASE("half-precision in-place ops write the rounded result into the tensor") {
  for (DType dt : kHalves) {
    Tensor a = values({40, 50}, -3, 3, dt, 11), b = values({50}, -3, 3, dt, 12);
    Tensor want = binary(BinaryOp::Mul, a, b);
    Tensor t = clone(a);
    binary_(BinaryOp::Mul, t, b);
    check_same(t, want, std::string("mul_ ") + dtype_name(dt));
  }
}

// Note [half sum order]: every build of sum_widened returns the bits of sum_contiguous<float> on the
// widened run, for lengths around the vector step (16), the block (kSumBlock) and the four-block group,
// and for values of mixed magnitude whose float sums round differently in another order.
template <typename H>
void check_sum_widened(double (*fn)(const H*, int64_t), const char* what) {
  std::mt19937 gen(5);
  std::uniform_real_distribution<float> u(-1, 1);
  const int64_t B = cpu::kSumBlock;
  const int64_t lengths[] = {0, 1, 15, 16, 17, 63, 64, 1000, B - 1, B, B + 1, 3 * B + 5, 4 * B, 4 * B + 16, 9 * B + 31};
  for (int64_t n : lengths) {
    std::vector<H> h(static_cast<size_t>(n));
    std::vector<float> f(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      const float scale = i % 7 == 0 ? 3000.0f : (i % 5 == 0 ? 1e-3f : 1.0f);
      h[size_t(i)] = H(u(gen) * scale);
      f[size_t(i)] = float(h[size_t(i)]);
    }
    const double got = fn(h.data(), n), want = cpu::sum_contiguous(f.data(), n);
    INFO(what << " n=" << n << ": " << got << " vs " << want);
    CHECK(std::memcmp(&got, &want, sizeof got) == 0);
  }
}

TEST_CASE("every build of the half sum adds in the float32 sum's order") {
  for (int w = 0; w < 2; ++w) {
    const cpu::VecHalfSumKernels* k = cpu::vec_half_sum_kernels(w);
    if (!k) continue;
    check_sum_widened<Half>(k->f16, w ? "float16 avx512" : "float16 baseline");
    check_sum_widened<BFloat16>(k->bf16, w ? "bfloat16 avx512" : "bfloat16 baseline");
  }
  REQUIRE(cpu::vec_half_sum_kernels(0) != nullptr);
  CHECK(cpu::vec_half_sum_kernels(2) == nullptr);
}

// Note [fused half arithmetic]: the fused rows equal half.h's scalar path (widen, the float32 operation,
// round once) bit for bit, on every length around the 16-lane step and on values whose results are NaN,
// infinite, overflowing, subnormal or exact ties of the rounding.
template <typename H>
void check_half_arith() {
  std::mt19937 gen(9);
  std::uniform_int_distribution<int> bits(0, 0xffff);
  const int64_t n = 4099;
  std::vector<H> a(n), b(n), got(n);
  for (int64_t i = 0; i < n; ++i) {
    const uint16_t x = uint16_t(bits(gen)), y = uint16_t(bits(gen));
    std::memcpy(&a[size_t(i)], &x, 2);  // every pattern: NaN, inf, subnormal, zero of both signs
    std::memcpy(&b[size_t(i)], &y, 2);
  }
  for (int k = 0; k < 4; ++k) {
    const cpu::HalfArith op = cpu::HalfArith(k);
    for (int64_t len : {int64_t(0), int64_t(1), int64_t(15), int64_t(16), int64_t(33), n}) {
      std::fill(got.begin(), got.end(), H(0.0f));
      if (!cpu::half_arith_contiguous(op, a.data(), b.data(), got.data(), len)) return;  // no build here
      int64_t bad = 0;
      for (int64_t i = 0; i < len; ++i) {
        const float x = float(a[size_t(i)]), y = float(b[size_t(i)]);
        const float r = k == 0 ? x + y : k == 1 ? x - y : k == 2 ? x * y : x / y;
        const H want(r);
        if (std::memcmp(&want, &got[size_t(i)], 2) != 0 && bad++ < 3)
          UNSCOPED_INFO("op " << k << " element " << i << ": " << float(got[size_t(i)]) << " vs " << float(want));
      }
      CHECK(bad == 0);
    }
  }
}

TEST_CASE("fused half arithmetic rounds exactly as the widened float32 operation") {
  check_half_arith<Half>();
  check_half_arith<BFloat16>();
}
