// tensor_matmul on CUDA against the CPU for float16, bfloat16 (within one rounding of the result: both
// accumulate in float32, in different orders) and uint8 / int8 / int16 (bit for bit, overflow wrapping
// included): 2-d, batched, broadcast, vector and transposed operands. Skips without a GPU.
#include <cmath>
#include <vector>

#include "catch.hpp"
#include "test_cuda_util.h"

namespace {

// A float32 tensor of `shape` with values in [-4, 4] (or integers in [-40, 40]) as dtype `dt`.
Handle make_as(tensor_dtype dt, const std::vector<int64_t>& shape, uint32_t seed) {
  const bool integral = dt == TENSOR_UINT8 || dt == TENSOR_INT8 || dt == TENSOR_INT16;
  Handle base = make_typed(integral ? TENSOR_INT32 : TENSOR_FLOAT32, shape, seed, false), out;
  REQUIRE_OK(tensor_to_dtype(out.out(), base.get(), dt));
  return out;
}

// got (CUDA) vs want (CPU): the same dtype and shape; floats within one ulp of the result's dtype plus
// float32's summation error at the scale of k * 16 (|values| <= 4); integers bit for bit.
void require_close(const tensor* got, const tensor* want, int64_t k) {
  const tensor_dtype dt = tensor_get_dtype(want);
  REQUIRE(tensor_get_dtype(got) == dt);
  REQUIRE(shape_of(got) == shape_of(want));
  if (dt != TENSOR_FLOAT16 && dt != TENSOR_BFLOAT16) {
    REQUIRE(bytes_of(got) == bytes_of(want));
    return;
  }
  const double ulp = dt == TENSOR_BFLOAT16 ? 0x1p-7 : 0x1p-10;
  const std::vector<float> g = values<float>(got), w = values<float>(want);
  size_t bad = 0;
  for (size_t i = 0; i < w.size(); ++i)
    bad += !(std::fabs(double(g[i]) - w[i]) <= ulp * std::fabs(double(w[i])) + (k + 1) * 0x1p-23 * 16.0 * k);
  INFO("mismatches: " << bad << " of " << w.size());
  REQUIRE(bad == 0);
}

}  // namespace

TEST_CASE("CUDA matmul of the storage dtypes equals the CPU's", "[cuda][matmul][dtypes]") {
  const std::vector<std::vector<int64_t>> shapes[] = {
      {{5, 7}, {7, 3}},    {{64, 130}, {130, 33}}, {{4, 6, 5}, {4, 5, 3}}, {{3, 1, 4, 5}, {2, 5, 6}},
      {{4, 6, 5}, {5, 3}}, {{7}, {7, 3}},          {{5, 7}, {7}},          {{9}, {9}}};
  for (tensor_dtype dt : {TENSOR_FLOAT16, TENSOR_BFLOAT16, TENSOR_UINT8, TENSOR_INT8, TENSOR_INT16}) {
    uint32_t seed = 1;
    for (const auto& s : shapes) {
      INFO(tensor_dtype_name(dt) << " " << s[0].size() << "-d @ " << s[1].size() << "-d, k " << s[0].back());
      Handle a = make_as(dt, s[0], seed++), b = make_as(dt, s[1], seed++), want, got;
      REQUIRE_OK(tensor_matmul(want.out(), a.get(), b.get()));
      Handle ga = to_cuda(a.get()), gb = to_cuda(b.get());
      REQUIRE_OK(tensor_matmul(got.out(), ga.get(), gb.get()));
      require_close(to_cpu(got.get()).get(), want.get(), s[0].back());
      if (s[0].size() == 2 && s[1].size() == 2) {  // a transposed operand: b^T^T
        Handle want_t, got_t, btt, gbtt;
        Handle b_t = make_as(dt, {s[1][1], s[1][0]}, seed++);
        REQUIRE_OK(tensor_transpose(btt.out(), b_t.get(), 0, 1));
        REQUIRE_OK(tensor_matmul(want_t.out(), a.get(), btt.get()));
        Handle gb_t = to_cuda(b_t.get());
        REQUIRE_OK(tensor_transpose(gbtt.out(), gb_t.get(), 0, 1));
        REQUIRE_OK(tensor_matmul(got_t.out(), ga.get(), gbtt.get()));
        require_close(to_cpu(got_t.get()).get(), want_t.get(), s[0].back());
      }
    }
  }
}
