// The printer's host-copy path (what tensors on other devices take: edge items gathered on the device, then
// copied to host memory) must print the same text as the in-place CPU path. Runs it on CPU tensors.
#include <cstring>
#include <string>
#include <vector>

#include "catch.hpp"
#include "format/format.h"
#include "format/format_internal.h"
#include "ops/ops.h"
#include "tensor/tensor.h"

namespace {

struct LiteralCase {
  tensor_dtype dtype;
  std::vector<int64_t> shape;
  std::vector<double> values;
  const char* expected;
};
struct ArangeCase {
  tensor_dtype dtype;
  int64_t n;
  double scale, offset;
  std::vector<int64_t> shape;
  const char* expected;
};

#include "format_cases.inc"

const LiteralCase kLiteral[] = {LITERAL_CASES};
const ArangeCase kArange[] = {ARANGE_CASES};

// A float64 tensor of the values, converted to `dtype` by the library.
lt::Tensor make(tensor_dtype dtype, const std::vector<int64_t>& shape, const std::vector<double>& values) {
  lt::TensorOptions o;
  o.dtype = lt::DType::Float64;
  lt::Tensor t = lt::from_data(values.data(), lt::DimVector(shape.data(), static_cast<int32_t>(shape.size())), o);
  return lt::to_dtype(t, static_cast<lt::DType>(dtype));
}

}  // namespace

TEST_CASE("format internals: the host-copy path prints the literal cases as PyTorch", "[format]") {
  for (const LiteralCase& c : kLiteral) {
    lt::Tensor t = make(c.dtype, c.shape, c.values);
    INFO("expected: " << c.expected);
    CHECK(lt::format_copying_to_host(t) == c.expected);
  }
}

TEST_CASE("format internals: the host-copy path summarises as PyTorch", "[format]") {
  for (const ArangeCase& c : kArange) {
    std::vector<double> v(static_cast<size_t>(c.n));
    for (int64_t i = 0; i < c.n; ++i)
      v[static_cast<size_t>(i)] = c.dtype == TENSOR_BOOL ? (i % 3 == 0) : static_cast<double>(i) * c.scale + c.offset;
    lt::Tensor t = make(c.dtype, c.shape, v);
    INFO("expected: " << c.expected);
    CHECK(lt::format_copying_to_host(t) == c.expected);
  }
}

TEST_CASE("format internals: both paths agree on summarised non-contiguous views", "[format]") {
  std::vector<double> v(4 * 30 * 20);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i) * 0.5;
  lt::Tensor t = make(TENSOR_FLOAT32, {4, 30, 20}, v);
  lt::Tensor views[] = {lt::permute(t, {2, 0, 1}), lt::slice(t, 1, 1, 30, 2), lt::select(t, 2, 7),
                        lt::expand(lt::select(t, 0, 1), lt::DimVector{3, 30, 20})};
  for (const lt::Tensor& view : views) {
    const std::string direct = lt::format(view);
    INFO(direct);
    CHECK(lt::format_copying_to_host(view) == direct);
  }
}
