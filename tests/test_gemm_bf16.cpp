// cpu/gemm_bf16 (the AVX512-BF16 GEMM behind bfloat16 matmul) against a float64 reference of the same
// bfloat16 values: every edge of its blocking (partial 8-row and 48-column tiles, odd k, k across the
// 512-deep blocks, threads splitting m or n) and every operand layout the packing special-cases
// (row-major, column-major, other strides, stride 0). Skips on CPUs without AVX512-BF16.
#include <cmath>
#include <random>
#include <vector>

#include "catch.hpp"
#include "core/half.h"
#include "core/parallel.h"
#include "cpu/gemm_bf16.h"

using namespace lt;

namespace {

struct Layout {
  const char* name;
  bool transposed;  // column-major storage
  int64_t pad;      // extra elements per row (or column) of storage
};

// A rows x cols matrix of random bfloat16 stored as `l`; returns its strides.
std::vector<BFloat16> make(int64_t rows, int64_t cols, const Layout& l, std::mt19937& gen, int64_t& rs, int64_t& cs) {
  std::normal_distribution<float> dist;
  const int64_t outer = l.transposed ? cols : rows, inner = (l.transposed ? rows : cols) + l.pad;
  std::vector<BFloat16> v(static_cast<size_t>(std::max<int64_t>(outer * inner, 1)));
  for (auto& x : v) x = BFloat16(dist(gen));
  rs = l.transposed ? 1 : inner;
  cs = l.transposed ? inner : 1;
  return v;
}

// |got - exact| within float32 summation error: k roundings of at most 2^-24 of the running sum of |a b|.
bool close(int64_t m, int64_t n, int64_t k, const BFloat16* a, int64_t ars, int64_t acs, const BFloat16* b, int64_t brs,
           int64_t bcs, const std::vector<float>& c) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double exact = 0, mag = 0;
      for (int64_t p = 0; p < k; ++p) {
        const double x = float(a[i * ars + p * acs]) * double(float(b[p * brs + j * bcs]));
        exact += x;
        mag += std::fabs(x);
      }
      const double got = c[static_cast<size_t>(i * n + j)];
      if (std::fabs(got - exact) > (k + 1) * 0x1p-24 * mag + 1e-30) {
        UNSCOPED_INFO("c(" << i << ", " << j << ") = " << got << ", exact " << exact);
        return false;
      }
    }
  return true;
}

}  // namespace

TEST_CASE("gemm_bf16: shapes and layouts against float64", "[matmul][bf16]") {
  if (!cpu::gemm_bf16_available()) {
    WARN("this CPU has no AVX512-BF16: gemm_bf16 not tested here");
    return;
  }
  std::mt19937 gen(5);
  const Layout layouts[] = {{"row-major", false, 0},
                            {"column-major", true, 0},
                            {"row-major, padded", false, 3},
                            {"column-major, padded", true, 5}};
  const int64_t shapes[][3] = {{1, 1, 1},      {8, 48, 2},    {8, 48, 7},     {9, 49, 3},
                               {7, 47, 256},   {17, 95, 257}, {33, 100, 600}, {100, 33, 513},
                               {96, 2100, 20}, {200, 5, 64},  {20, 60, 1100}};
  for (auto& s : shapes)
    for (const Layout& la : layouts)
      for (const Layout& lb : layouts) {
        const int64_t m = s[0], n = s[1], k = s[2];
        int64_t ars, acs, brs, bcs;
        const std::vector<BFloat16> a = make(m, k, la, gen, ars, acs), b = make(k, n, lb, gen, brs, bcs);
        std::vector<float> c(static_cast<size_t>(m * n), -1.0f);
        cpu::gemm_bf16(m, n, k, a.data(), ars, acs, b.data(), brs, bcs, c.data());
        INFO(m << "x" << k << " (" << la.name << ") @ " << k << "x" << n << " (" << lb.name << ")");
        CHECK(close(m, n, k, a.data(), ars, acs, b.data(), brs, bcs, c));
        // The bfloat16 result is the float32 one rounded once.
        std::vector<BFloat16> r(static_cast<size_t>(m * n));
        cpu::gemm_bf16(m, n, k, a.data(), ars, acs, b.data(), brs, bcs, r.data());
        size_t bad = 0;
        for (size_t i = 0; i < r.size(); ++i) bad += r[i].bits != float_to_bfloat16_bits(c[i]);
        CHECK(bad == 0);
      }
}

TEST_CASE("gemm_bf16: stride 0, k == 0, and one thread or two agree", "[matmul][bf16]") {
  if (!cpu::gemm_bf16_available()) return;
  std::mt19937 gen(9);
  int64_t rs, cs;
  const Layout row{"row-major", false, 0};
  const std::vector<BFloat16> a = make(50, 300, row, gen, rs, cs), b = make(300, 130, row, gen, rs, cs);
  // An expanded row (stride 0 along m) and an expanded column of B (stride 0 along n).
  std::vector<float> c(50 * 130);
  cpu::gemm_bf16(50, 130, 300, a.data(), 0, 1, b.data(), 130, 0, c.data());
  CHECK(close(50, 130, 300, a.data(), 0, 1, b.data(), 130, 0, c));
  std::vector<float> z(6, 7.0f);
  cpu::gemm_bf16(2, 3, 0, a.data(), 300, 1, b.data(), 130, 1, z.data());
  CHECK(z == std::vector<float>(6, 0.0f));
  // The sums do not depend on how the threads split the work.
  const int32_t threads = get_num_threads();
  std::vector<float> one(50 * 130), two(50 * 130);
  set_num_threads(1);
  cpu::gemm_bf16(50, 130, 300, a.data(), 300, 1, b.data(), 130, 1, one.data());
  set_num_threads(2);
  cpu::gemm_bf16(50, 130, 300, a.data(), 300, 1, b.data(), 130, 1, two.data());
  set_num_threads(threads);
  CHECK(one == two);
  // More columns than one block of B (2048) on one thread.
  const std::vector<BFloat16> wide = make(5, 2100, row, gen, rs, cs);
  std::vector<float> cw(9 * 2100);
  set_num_threads(1);
  cpu::gemm_bf16(9, 2100, 5, a.data(), 300, 1, wide.data(), 2100, 1, cw.data());
  set_num_threads(threads);
  CHECK(close(9, 2100, 5, a.data(), 300, 1, wide.data(), 2100, 1, cw));
  CHECK(close(50, 130, 300, a.data(), 300, 1, b.data(), 130, 1, one));
}
