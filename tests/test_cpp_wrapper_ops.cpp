// The C++ wrapper (include/tensor/tensor.hpp) keeps its own copy of the op lists, since a public header
// cannot include the library's internal table. This file checks, at compile time, that every row of the
// tables in src/core/op_kinds.h has its methods and free functions there, and at run time that each
// calls the right C function.
#include <type_traits>

#include "core/binary_defs.h"  // which ops take floating operands
#include "core/op_kinds.h"
#include "tensor/tensor.hpp"
#include "catch.hpp"

namespace ltw = libtensor;  // `lt` is the library's internal namespace (core/op_kinds.h)

namespace {

using UnaryMethod = ltw::Tensor (ltw::Tensor::*)() const;
using BinaryMethod = ltw::Tensor (ltw::Tensor::*)(const ltw::Tensor&) const;
using ScalarMethod = ltw::Tensor (ltw::Tensor::*)(double) const;
using InplaceMethod = ltw::Tensor& (ltw::Tensor::*)(const ltw::Tensor&);
using UnaryFree = ltw::Tensor (*)(const ltw::Tensor&);
using BinaryFree = ltw::Tensor (*)(const ltw::Tensor&, const ltw::Tensor&);

// A missing method is a compile error naming it ("no member named 'log1p' in 'libtensor::Tensor'").
#define LT_ROW(name, Enum)                                     \
  [[maybe_unused]] const UnaryMethod kMethod_##name = &ltw::Tensor::name; \
  [[maybe_unused]] const UnaryFree kFree_##name = &ltw::name;
LT_UNARY_OPS(LT_ROW)
#undef LT_ROW
#define LT_ROW(name, Enum)                                      \
  [[maybe_unused]] const BinaryMethod kMethod_##name = &ltw::Tensor::name; \
  [[maybe_unused]] const BinaryFree kFree_##name = &ltw::name;
LT_BINARY_OPS(LT_ROW)
#undef LT_ROW
#define LT_ROW(name, Enum) [[maybe_unused]] const ScalarMethod kScalar_##name = &ltw::Tensor::name;
LT_BINARY_OPS(LT_ROW)
#undef LT_ROW
#define LT_ROW(name, Enum) [[maybe_unused]] const InplaceMethod kInplace_##name = &ltw::Tensor::name##_;
LT_INPLACE_OPS(LT_ROW)
#undef LT_ROW

bool same(const ltw::Tensor& a, const ltw::Tensor& b) {
  return a.dtype() == b.dtype() && a.to(ltw::DType::Float64).to_vector<double>() == b.to(ltw::DType::Float64).to_vector<double>();
}

}  // namespace

TEST_CASE("every unary op of the table is a C++ method calling its C function") {
  ltw::Tensor x = ltw::from_vector<double>({0.5, 0.75}, {2});  // in every op's domain (asin ...): no NaN
#define LT_ROW(name, Enum)                                         \
  SECTION(#name) {                                                 \
    tensor* raw = nullptr;                                         \
    REQUIRE(tensor_##name(&raw, x.get()) == TENSOR_OK);            \
    ltw::Tensor want = ltw::Tensor::adopt(raw);                                          \
    CHECK(same(x.name(), want));                              \
    CHECK(same(ltw::name(x), want));                           \
  }
  LT_UNARY_OPS(LT_ROW)
#undef LT_ROW
}

TEST_CASE("every binary op of the table is a C++ method calling its C function") {
  const ltw::Tensor fa = ltw::from_vector<double>({0.5, 1.25}, {2}), fb = ltw::from_vector<double>({2.0}, {1});
  // Ops on integers only (bitwise_and ...) get int64 operands.
  const ltw::Tensor ia = ltw::from_vector<int64_t>({5, -3}, {2}), ib = ltw::from_vector<int64_t>({2}, {1});
#define LT_ROW(name, Enum)                                                                       \
  SECTION(#name) {                                                                               \
    const bool floating = lt::accepts_floating(lt::BinaryDef<lt::BinaryOp::Enum>::inputs);     \
    const ltw::Tensor& a = floating ? fa : ia;                                                   \
    const ltw::Tensor& b = floating ? fb : ib;                                                   \
    tensor* raw = nullptr;                                         \
    REQUIRE(tensor_##name(&raw, a.get(), b.get()) == TENSOR_OK);   \
    ltw::Tensor want = ltw::Tensor::adopt(raw);                                          \
    CHECK(same(a.name(b), want));                             \
    CHECK(same(ltw::name(a, b), want));                        \
    CHECK(same(a.name(2.0), want));                           \
  }
  LT_BINARY_OPS(LT_ROW)
#undef LT_ROW
}
