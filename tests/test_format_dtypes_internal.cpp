// The printer's host-copy path (tensors on other devices: edge items gathered with slice/cat on the device,
// then copied to host memory) on issue 14's dtypes, run on CPU tensors: it must print PyTorch's text too.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "catch.hpp"
#include "format/format.h"
#include "format/format_internal.h"
#include "format_dtypes_cases.h"
#include "ops/ops.h"
#include "tensor/tensor.h"

namespace {

lt::Tensor from_raw(tensor_dtype dtype, const std::vector<int64_t>& shape, const std::vector<int64_t>& raw) {
  const lt::DType dt = static_cast<lt::DType>(dtype);
  const std::vector<unsigned char> bytes = format_dtypes::raw_bytes(raw, lt::itemsize(dt));
  lt::TensorOptions o;
  o.dtype = dt;
  return lt::from_data(bytes.data(), lt::DimVector(shape.data(), static_cast<int32_t>(shape.size())), o);
}

}  // namespace

TEST_CASE("format dtypes internals: the host-copy path prints the literal cases as PyTorch", "[format][dtypes]") {
  for (const format_dtypes::LiteralCase& c : format_dtypes::kLiteral) {
    INFO("expected: " << c.expected);
    CHECK(lt::format_copying_to_host(from_raw(c.dtype, c.shape, c.raw)) == c.expected);
  }
}

TEST_CASE("format dtypes internals: the host-copy path summarises as PyTorch", "[format][dtypes]") {
  for (const format_dtypes::SeqCase& c : format_dtypes::kSeq) {
    const lt::Tensor t = from_raw(c.dtype, c.shape, format_dtypes::seq_raw(c));
    INFO("expected: " << c.expected);
    CHECK(lt::format_copying_to_host(t) == c.expected);
    const lt::Tensor view = lt::slice(t, 0, 0, t.size(0), 1);  // same text through a view
    CHECK(lt::format_copying_to_host(view) == lt::format(view));
  }
}
