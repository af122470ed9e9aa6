// tensor_format and tensor_item on issue 14's dtypes (float16, bfloat16, uint8, int8, int16). The expected
// strings come from real torch (tests/format_dtypes_cases.py -> tests/format_dtypes_cases.inc); tensors are
// built from raw bits, so these tests check the printer alone, not the library's conversions.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "format_dtypes_cases.h"
#include "test_util.h"

namespace {

using format_dtypes::EmptyCase;
using format_dtypes::kEmpty;
using format_dtypes::kLiteral;
using format_dtypes::kSeq;
using format_dtypes::LiteralCase;
using format_dtypes::SeqCase;

// A tensor whose elements have the raw values `raw`, truncated to the dtype's width (two's complement).
Handle from_raw(tensor_dtype dtype, const std::vector<int64_t>& shape, const std::vector<int64_t>& raw) {
  const std::vector<unsigned char> bytes = format_dtypes::raw_bytes(raw, tensor_dtype_size(dtype));
  tensor_options o = opts_of(dtype);
  Handle h;
  REQUIRE_OK(tensor_from_data(h.out(), bytes.data(), shape.data(), static_cast<int32_t>(shape.size()), &o));
  return h;
}

double item_of(const Handle& t) {
  double v = 0;
  REQUIRE_OK(tensor_item(t, &v));
  return v;
}

}  // namespace

TEST_CASE("format dtypes: literal tensors print as PyTorch", "[format][dtypes]") {
  for (const LiteralCase& c : kLiteral) {
    Handle t = from_raw(c.dtype, c.shape, c.raw);
    INFO("dtype " << tensor_dtype_name(c.dtype) << ", expected: " << c.expected);
    CHECK(format_of(t) == c.expected);
  }
}

TEST_CASE("format dtypes: summarised tensors and bit-pattern sweeps", "[format][dtypes]") {
  for (const SeqCase& c : kSeq) {
    Handle t = from_raw(c.dtype, c.shape, format_dtypes::seq_raw(c));
    INFO("dtype " << tensor_dtype_name(c.dtype) << ", expected: " << c.expected);
    CHECK(format_of(t) == c.expected);
  }
}

TEST_CASE("format dtypes: empty tensors name their size and dtype", "[format][dtypes]") {
  for (const EmptyCase& c : kEmpty) {
    tensor_options o = opts_of(c.dtype);
    Handle t;
    REQUIRE_OK(tensor_empty(t.out(), c.shape.data(), static_cast<int32_t>(c.shape.size()), &o));
    CHECK(format_of(t) == c.expected);
  }
}

TEST_CASE("format dtypes: non-contiguous views and autograd suffixes", "[format][dtypes][autograd]") {
  // float16 [[1, 2, 3], [4, 5.5, 6]] transposed: the logical order, one width for all elements (texts from
  // torch 1.13).
  Handle a = from_raw(TENSOR_FLOAT16, {2, 3}, {0x3C00, 0x4000, 0x4200, 0x4400, 0x4580, 0x4600}), at;
  REQUIRE_OK(tensor_transpose(at.out(), a, 0, 1));
  CHECK(format_of(at) ==
        "tensor([[1.0000, 4.0000],\n        [2.0000, 5.5000],\n        [3.0000, 6.0000]], dtype=torch.float16)");
  REQUIRE_OK(tensor_set_requires_grad(a, true));
  CHECK(
      format_of(a) ==
      "tensor([[1.0000, 2.0000, 3.0000],\n        [4.0000, 5.5000, 6.0000]], dtype=torch.float16, requires_grad=True)");
  Handle b = from_raw(TENSOR_UINT8, {2, 3}, {1, 2, 3, 40, 50, 255}), bt;
  REQUIRE_OK(tensor_transpose(bt.out(), b, 0, 1));
  CHECK(format_of(bt) == "tensor([[  1,  40],\n        [  2,  50],\n        [  3, 255]], dtype=torch.uint8)");
}

TEST_CASE("format dtypes: tensor_item reads every dtype exactly", "[format][dtypes]") {
  CHECK(item_of(from_raw(TENSOR_FLOAT16, {}, {0x3555})) == 0.333251953125);
  CHECK(item_of(from_raw(TENSOR_FLOAT16, {}, {0x0001})) == std::ldexp(1.0, -24));  // smallest subnormal
  CHECK(item_of(from_raw(TENSOR_FLOAT16, {}, {0x7BFF})) == 65504.0);
  CHECK(item_of(from_raw(TENSOR_FLOAT16, {}, {0xFC00})) == -INFINITY);
  CHECK(std::isnan(item_of(from_raw(TENSOR_FLOAT16, {}, {0x7E00}))));
  CHECK(item_of(from_raw(TENSOR_BFLOAT16, {}, {0x3EAB})) == 0.333984375);
  CHECK(item_of(from_raw(TENSOR_BFLOAT16, {}, {0x7F7F})) == 3.3895313892515355e38);  // largest finite
  CHECK(item_of(from_raw(TENSOR_BFLOAT16, {}, {0x0001})) == std::ldexp(1.0, -133));
  CHECK(std::isnan(item_of(from_raw(TENSOR_BFLOAT16, {}, {0x7FC0}))));
  CHECK(item_of(from_raw(TENSOR_UINT8, {}, {255})) == 255.0);
  CHECK(item_of(from_raw(TENSOR_INT8, {}, {-128})) == -128.0);
  CHECK(item_of(from_raw(TENSOR_INT16, {1, 1}, {-32768})) == -32768.0);
  Handle two = from_raw(TENSOR_INT8, {2}, {1, 2});
  double v = 0;
  CHECK(tensor_item(two, &v) == TENSOR_ERR_INVALID_ARGUMENT);
}
