// Core internals: dtype promotion, shape arithmetic, the iteration plan, Philox.
#include <algorithm>
#include <cmath>

#include "catch.hpp"
#include "core/dim_vector.h"
#include "core/dtype.h"
#include "core/iterator.h"
#include "core/philox.h"
#include "core/shape.h"
#include "cpu/kernels.h"
#include "ops/ops.h"

using namespace lt;

TEST_CASE("promotion follows PyTorch: bool < integer < floating, wider wins") {
  CHECK(promote_types(DType::Bool, DType::Int32) == DType::Int32);
  CHECK(promote_types(DType::Int32, DType::Int64) == DType::Int64);
  CHECK(promote_types(DType::Int64, DType::Float32) == DType::Float32);
  CHECK(promote_types(DType::Float32, DType::Float64) == DType::Float64);
  CHECK(promote_types(DType::Bool, DType::Bool) == DType::Bool);
  CHECK(promote_types(DType::Float64, DType::Int32) == DType::Float64);
}

TEST_CASE("0-d tensors only decide the result type from a higher category") {
  TensorOptions f32, f64, i64;
  f64.dtype = DType::Float64;
  i64.dtype = DType::Int64;
  Tensor vec_f32 = full(DimVector{3}, 1.0, f32);
  Tensor vec_i64 = full(DimVector{3}, 1.0, i64);
  Tensor s_f64 = full(DimVector{}, 1.0, f64);
  CHECK(result_type(vec_f32, s_f64) == DType::Float32);
  CHECK(result_type(vec_i64, s_f64) == DType::Float64);
  CHECK(result_type(s_f64, vec_i64) == DType::Float64);
}

TEST_CASE("broadcast_shapes follows NumPy and names the failing dimension") {
  CHECK(broadcast_shapes(DimVector{1, 6, 4, 1, 7, 2}, DimVector{5, 6, 1, 3, 1, 2}) == DimVector{5, 6, 4, 3, 7, 2});
  CHECK(broadcast_shapes(DimVector{256, 256, 3}, DimVector{3}) == DimVector{256, 256, 3});
  CHECK(broadcast_shapes(DimVector{}, DimVector{2, 0}) == DimVector{2, 0});
  try {
    broadcast_shapes(DimVector{3, 4}, DimVector{5});
    FAIL("expected a shape error");
  } catch (const Error& e) {
    CHECK(e.status() == Status::Shape);
    CHECK(std::string(e.what()) == "shapes [3, 4] and [5] are not broadcastable (dimension -1: 4 vs 5)");
  }
}

TEST_CASE("checked_numel rejects negative sizes and int64 overflow") {
  int64_t neg[] = {2, -1};
  CHECK_THROWS_AS(checked_numel(neg, 2), Error);
  int64_t huge[] = {INT64_MAX / 2, 3};
  CHECK_THROWS_AS(checked_numel(huge, 2), Error);
  // Refused even though numel would be 0: strides of such a shape overflow (Note [extent] in shape.cpp).
  int64_t zero_and_huge[] = {INT64_MAX, INT64_MAX, 0};
  CHECK_THROWS_AS(checked_numel(zero_and_huge, 3), Error);
  int64_t zero_and_large[] = {int64_t(1) << 40, 0, 4};
  CHECK(checked_numel(zero_and_large, 3) == 0);
}

TEST_CASE("DimVector spills beyond its inline capacity and copies correctly") {
  DimVector v;
  for (int i = 0; i < 20; ++i) v.push_back(i);
  DimVector w = v;
  v.insert(0, 99);
  v.erase(5);
  CHECK(w.size() == 20);
  CHECK(w[19] == 19);
  CHECK(v.size() == 20);
  CHECK(v[0] == 99);
  DimVector m = std::move(w);
  CHECK(m[10] == 10);
}

TEST_CASE("contiguity ignores size-1 dims and empty tensors") {
  CHECK(is_contiguous_layout(DimVector{2, 1, 3}, DimVector{3, 100, 1}));
  CHECK_FALSE(is_contiguous_layout(DimVector{2, 3}, DimVector{1, 2}));
  CHECK(is_contiguous_layout(DimVector{0, 3}, DimVector{7, 7}));
}

TEST_CASE("the plan coalesces contiguous operands into one flat dim") {
  TensorOptions o;
  Tensor a = full(DimVector{3, 4, 5}, 1.0, o), out = full(DimVector{3, 4, 5}, 0.0, o);
  const Tensor* ops[] = {&out, &a};
  ElementwisePlan plan(ops, 2);
  CHECK(plan.ndim() == 1);
  CHECK(plan.shape()[0] == 60);
}

TEST_CASE("the plan keeps broadcast dims apart and reorders by the output's strides") {
  TensorOptions o;
  Tensor img = full(DimVector{4, 5, 3}, 1.0, o);
  Tensor scale = expand(full(DimVector{3}, 2.0, o), DimVector{4, 5, 3});
  Tensor out = full(DimVector{4, 5, 3}, 0.0, o);
  const Tensor* ops[] = {&out, &img, &scale};
  ElementwisePlan plan(ops, 3);
  REQUIRE(plan.ndim() == 2);  // (4,5) coalesce for all operands (scale has stride 0 in both)
  CHECK(plan.shape()[0] == 3);
  CHECK(plan.shape()[1] == 20);
  CHECK(plan.stride(2, 1) == 0);

  Tensor src = full(DimVector{6, 7}, 1.0, o);
  Tensor t = transpose(src, 0, 1);  // (7, 6) with strides (1, 7)
  Tensor dst = full(DimVector{7, 6}, 0.0, o);
  const Tensor* ops2[] = {&dst, &t};
  ElementwisePlan plan2(ops2, 2);
  REQUIRE(plan2.ndim() == 2);
  CHECK(plan2.stride(0, 0) == 4);  // the output's contiguous dim is innermost
}

TEST_CASE("for_range visits every element once in row order, across ranges") {
  TensorOptions o;
  o.dtype = DType::Int64;
  Tensor base = arange(0, 24, 1, o);
  Tensor t = permute(reshape(base, DimVector{2, 3, 4}), {2, 0, 1});  // non-contiguous (4, 2, 3)
  Tensor out = full(DimVector{4, 2, 3}, 0.0, o);
  const Tensor* ops[] = {&out, &t};
  ElementwisePlan plan(ops, 2);
  for (int64_t split : {int64_t(1), int64_t(5), int64_t(13), int64_t(24)}) {
    fill_(out, -1);
    auto copy_row = [](char** d, const int64_t* s, int64_t n) {
      for (int64_t i = 0; i < n; ++i)
        *reinterpret_cast<int64_t*>(d[0] + i * s[0]) = *reinterpret_cast<const int64_t*>(d[1] + i * s[1]);
    };
    plan.for_range(0, split, copy_row);
    plan.for_range(split, 24, copy_row);
    const int64_t* r = out.data_as<int64_t>();
    for (int64_t i = 0; i < 4; ++i)
      for (int64_t j = 0; j < 2; ++j)
        for (int64_t k = 0; k < 3; ++k) CHECK(r[i * 6 + j * 3 + k] == j * 12 + k * 4 + i);
  }
}

TEST_CASE("Philox-4x32-10 matches the Random123 known-answer vector") {
  PhiloxBlock b = philox4x32_10(0, 0);
  CHECK(b.w[0] == 0x6627e8d5u);
  CHECK(b.w[1] == 0xe169c58du);
  CHECK(b.w[2] == 0xbc57ac4cu);
  CHECK(b.w[3] == 0x9b00dbd8u);
}

TEST_CASE("uniform draws lie in [0, 1) and normal draws are finite") {
  for (int64_t i = 0; i < 10000; ++i) {
    float f = philox_uniform_f32(42, 7, i);
    double d = philox_uniform_f64(42, 7, i);
    CHECK((f >= 0.0f && f < 1.0f));
    CHECK((d >= 0.0 && d < 1.0));
    CHECK(std::isfinite(philox_normal(42, 7, i)));
  }
}

TEST_CASE("the CPU's rand is bitwise the Philox stream and its randn is Box-Muller within 4 ulp") {
  // Lengths that split into threaded chunks and end mid-block, offsets that start mid-stream.
  for (int64_t n : {int64_t(1), int64_t(5), int64_t(4099), int64_t(37001)}) {
    for (uint64_t offset : {uint64_t(0), uint64_t(3), uint64_t(1) << 40}) {
      INFO("n = " << n << ", offset = " << offset);
      Tensor f = make_empty(DimVector{n}, DType::Float32, cpu_device());
      Tensor d = make_empty(DimVector{n}, DType::Float64, cpu_device());
      cpu::random_uniform(f, 42, offset);
      cpu::random_uniform(d, 42, offset);
      int64_t wrong = 0;
      for (int64_t i = 0; i < n; ++i)
        wrong += f.data_as<float>()[i] != philox_uniform_f32(42, offset, i) ||
                 d.data_as<double>()[i] != philox_uniform_f64(42, offset, i);
      CHECK(wrong == 0);
      cpu::random_normal(f, 7, offset);
      cpu::random_normal(d, 7, offset);
      double worst = 0;
      for (int64_t i = 0; i < n; ++i) {
        const double want = philox_normal(7, offset, i);
        const double got = d.data_as<double>()[i];
        worst = std::max(worst, std::fabs(got - want) / (std::fabs(want) * 2.220446049250313e-16 + 1e-300));
        // float32: the same value rounded, unless the double sits within 2 ulp of a float rounding boundary
        CHECK(std::fabs(f.data_as<float>()[i] - static_cast<float>(want)) <= std::fabs(want) * 1.2e-7);
      }
      CHECK(worst <= 4.0);  // relative error in double ulps (log, sqrt, cos each <= 1 ulp)
    }
  }
}
