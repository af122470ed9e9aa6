// The printer's host-copy path (tensors on other devices: edge items gathered with slice/cat on the device,
// then copied to host memory) on issue 14's dtypes, run on CPU tensors: it must print PyTorch's text too.
#include <cstdint>
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
  std::vector<int64_t> raw;
  const char* expected;
};
struct SeqCase {
  tensor_dtype dtype;
  int64_t n, start, step;
  std::vector<int64_t> shape;
  const char* expected;
};
struct EmptyCase {
  tensor_dtype dtype;
  std::vector<int64_t> shape;
  const char* expected;
};

#include "format_dtypes_cases.inc"

const LiteralCase kLiteral[] = {LITERAL_DTYPE_CASES};
const SeqCase kSeq[] = {SEQ_DTYPE_CASES};

// Raw values (half bits, integers) truncated to the dtype's width, as bytes of a new tensor.
lt::Tensor from_raw(tensor_dtype dtype, const std::vector<int64_t>& shape, const std::vector<int64_t>& raw) {
  const lt::DType dt = static_cast<lt::DType>(dtype);
  const size_t item = lt::itemsize(dt);
  std::vector<unsigned char> bytes(raw.size() * item + 1);
  for (size_t i = 0; i < raw.size(); ++i)
    for (size_t b = 0; b < item; ++b)
      bytes[i * item + b] = static_cast<unsigned char>(static_cast<uint64_t>(raw[i]) >> (8 * b));
  lt::TensorOptions o;
  o.dtype = dt;
  return lt::from_data(bytes.data(), lt::DimVector(shape.data(), static_cast<int32_t>(shape.size())), o);
}

}  // namespace

TEST_CASE("format dtypes internals: the host-copy path prints the literal cases as PyTorch", "[format][dtypes]") {
  for (const LiteralCase& c : kLiteral) {
    INFO("expected: " << c.expected);
    CHECK(lt::format_copying_to_host(from_raw(c.dtype, c.shape, c.raw)) == c.expected);
  }
}

TEST_CASE("format dtypes internals: the host-copy path summarises as PyTorch", "[format][dtypes]") {
  for (const SeqCase& c : kSeq) {
    std::vector<int64_t> raw(static_cast<size_t>(c.n));
    for (int64_t i = 0; i < c.n; ++i) raw[static_cast<size_t>(i)] = c.start + i * c.step;
    const lt::Tensor t = from_raw(c.dtype, c.shape, raw);
    INFO("expected: " << c.expected);
    CHECK(lt::format_copying_to_host(t) == c.expected);
    const lt::Tensor view = lt::slice(t, 0, 0, t.size(0), 1);  // same text through a view
    CHECK(lt::format_copying_to_host(view) == lt::format(view));
  }
}
