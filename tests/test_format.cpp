// tensor_format: the text must equal PyTorch's repr() character for character. The expected strings of
// the tables come from real torch (tests/format_cases.py -> tests/format_cases.inc); the hand-written
// cases below were printed by torch too.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "test_util.h"

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
struct EmptyCase {
  tensor_dtype dtype;
  std::vector<int64_t> shape;
  const char* expected;
};

#include "format_cases.inc"

const LiteralCase kLiteral[] = {LITERAL_CASES};
const ArangeCase kArange[] = {ARANGE_CASES};
const EmptyCase kEmpty[] = {EMPTY_CASES};

// A tensor of `dtype` holding `values` (converted from double as torch.tensor(values, dtype) does).
Handle from_doubles(tensor_dtype dtype, const std::vector<int64_t>& shape, const std::vector<double>& values) {
  std::vector<unsigned char> bytes(values.size() * tensor_dtype_size(dtype) + 1);
  for (size_t i = 0; i < values.size(); ++i) {
    unsigned char* p = bytes.data() + i * tensor_dtype_size(dtype);
    double v = values[i];
    switch (dtype) {
      case TENSOR_FLOAT32: { float x = static_cast<float>(v); std::memcpy(p, &x, sizeof x); break; }
      case TENSOR_FLOAT64: std::memcpy(p, &v, sizeof v); break;
      case TENSOR_INT32: { int32_t x = static_cast<int32_t>(v); std::memcpy(p, &x, sizeof x); break; }
      case TENSOR_INT64: { int64_t x = static_cast<int64_t>(v); std::memcpy(p, &x, sizeof x); break; }
      case TENSOR_BOOL: { bool x = v != 0; std::memcpy(p, &x, sizeof x); break; }
      default: FAIL("from_doubles: no case for dtype " << dtype << " (issue 14's dtypes: test_format_dtypes.cpp)");
    }
  }
  tensor_options o = opts_of(dtype);
  Handle h;
  REQUIRE_OK(tensor_from_data(h.out(), bytes.data(), shape.data(), static_cast<int32_t>(shape.size()), &o));
  return h;
}

Handle arange_case(const ArangeCase& c) {
  std::vector<double> v(static_cast<size_t>(c.n));
  for (int64_t i = 0; i < c.n; ++i)
    v[static_cast<size_t>(i)] = c.dtype == TENSOR_BOOL ? (i % 3 == 0) : static_cast<double>(i) * c.scale + c.offset;
  return from_doubles(c.dtype, c.shape, v);
}

Handle f32(const std::vector<double>& values, const std::vector<int64_t>& shape) {
  return from_doubles(TENSOR_FLOAT32, shape, values);
}

}  // namespace

TEST_CASE("format: literal tensors print as PyTorch", "[format]") {
  for (const LiteralCase& c : kLiteral) {
    Handle t = from_doubles(c.dtype, c.shape, c.values);
    INFO("expected: " << c.expected);
    CHECK(format_of(t) == c.expected);
  }
}

TEST_CASE("format: line wrapping and summarisation of large tensors", "[format]") {
  for (const ArangeCase& c : kArange) {
    Handle t = arange_case(c);
    INFO("expected: " << c.expected);
    CHECK(format_of(t) == c.expected);
  }
}

TEST_CASE("format: empty tensors name their size and dtype", "[format]") {
  for (const EmptyCase& c : kEmpty) {
    tensor_options o = opts_of(c.dtype);
    Handle t;
    REQUIRE_OK(tensor_zeros(t.out(), c.shape.data(), static_cast<int32_t>(c.shape.size()), &o));
    CHECK(format_of(t) == c.expected);
  }
}

TEST_CASE("format: non-contiguous views print their logical order", "[format]") {
  Handle a = f32({0, 1, 2, 3, 4, 5}, {2, 3});
  Handle at;
  REQUIRE_OK(tensor_transpose(at.out(), a, 0, 1));
  CHECK(format_of(at) == "tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]])");

  tensor_options i64 = opts_of(TENSOR_INT64);
  Handle r, s;
  REQUIRE_OK(tensor_arange(r.out(), 0, 10, 1, &i64));
  REQUIRE_OK(tensor_slice(s.out(), r, 0, 1, 10, 3));
  CHECK(format_of(s) == "tensor([1, 4, 7])");

  Handle v = f32({1.5, 2}, {2}), e;
  const int64_t shape[] = {3, 2};
  REQUIRE_OK(tensor_expand(e.out(), v, shape, 2));
  CHECK(format_of(e) == "tensor([[1.5000, 2.0000],\n        [1.5000, 2.0000],\n        [1.5000, 2.0000]])");

  Handle m = f32({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {3, 4}), row, col;
  REQUIRE_OK(tensor_select(row.out(), m, 0, 1));
  CHECK(format_of(row) == "tensor([4., 5., 6., 7.])");
  REQUIRE_OK(tensor_select(col.out(), m, 1, 2));
  CHECK(format_of(col) == "tensor([ 2.,  6., 10.])");
}

TEST_CASE("format: autograd suffixes", "[format][autograd]") {
  Handle x = f32({1, 2}, {2});
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  CHECK(format_of(x) == "tensor([1., 2.], requires_grad=True)");

  Handle y, z, w, d;
  REQUIRE_OK(tensor_mul_scalar(y.out(), x, 2));
  CHECK(format_of(y) == "tensor([2., 4.], grad_fn=<MulBackward0>)");
  REQUIRE_OK(tensor_add_scalar(z.out(), x, 1));
  CHECK(format_of(z) == "tensor([2., 3.], grad_fn=<AddBackward0>)");
  REQUIRE_OK(tensor_pow_scalar(w.out(), x, 3));
  CHECK(format_of(w) == "tensor([1., 8.], grad_fn=<PowBackward0>)");
  REQUIRE_OK(tensor_detach(d.out(), y));
  CHECK(format_of(d) == "tensor([2., 4.])");

  Handle empty;
  const int64_t zero[] = {0};
  REQUIRE_OK(tensor_zeros(empty.out(), zero, 1, nullptr));
  REQUIRE_OK(tensor_set_requires_grad(empty, true));
  CHECK(format_of(empty) == "tensor([], requires_grad=True)");
}

TEST_CASE("format: suffixes move to a new line past column 80", "[format][autograd]") {
  std::vector<double> v;
  for (int i = 0; i < 11; ++i) v.push_back(123456.5 + i);
  Handle y = from_doubles(TENSOR_FLOAT64, {11}, v);
  REQUIRE_OK(tensor_set_requires_grad(y, true));
  CHECK(format_of(y) ==
        "tensor([123456.5000, 123457.5000, 123458.5000, 123459.5000, 123460.5000,\n"
        "        123461.5000, 123462.5000, 123463.5000, 123464.5000, 123465.5000,\n"
        "        123466.5000], dtype=torch.float64, requires_grad=True)");
  Handle y2;
  REQUIRE_OK(tensor_mul_scalar(y2.out(), y, 2));
  CHECK(format_of(y2) ==
        "tensor([246913., 246915., 246917., 246919., 246921., 246923., 246925., 246927.,\n"
        "        246929., 246931., 246933.], dtype=torch.float64,\n"
        "       grad_fn=<MulBackward0>)");
}

TEST_CASE("format: the seed notebook's autograd cell", "[format][autograd]") {
  Handle x = f32({5, 8, 4, 6}, {2, 2});
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  Handle p, y, g;
  REQUIRE_OK(tensor_pow_scalar(p.out(), x, 3));
  REQUIRE_OK(tensor_sum(y.out(), p, nullptr, 0, false));
  CHECK(format_of(y) == "tensor(917., grad_fn=<SumBackward0>)");
  REQUIRE_OK(tensor_backward(y, nullptr, false));
  REQUIRE_OK(tensor_grad(g.out(), x));
  REQUIRE(g.get() != nullptr);
  CHECK(format_of(g) == "tensor([[ 75., 192.],\n        [ 48., 108.]])");
}

TEST_CASE("format: snprintf-style buffer contract", "[format]") {
  Handle t = f32({75, 192, 48, 108}, {2, 2});
  const std::string full = "tensor([[ 75., 192.],\n        [ 48., 108.]])";
  CHECK(tensor_format(t, nullptr, 0) == static_cast<int64_t>(full.size()));

  char small[8];
  std::memset(small, 'x', sizeof small);
  CHECK(tensor_format(t, small, sizeof small) == static_cast<int64_t>(full.size()));
  CHECK(std::string(small) == full.substr(0, 7));  // truncated and NUL-terminated

  char one[1] = {'x'};
  CHECK(tensor_format(t, one, 1) == static_cast<int64_t>(full.size()));
  CHECK(one[0] == '\0');

  std::vector<char> exact(full.size() + 1);
  CHECK(tensor_format(t, exact.data(), exact.size()) == static_cast<int64_t>(full.size()));
  CHECK(std::string(exact.data()) == full);

  CHECK(tensor_format(nullptr, exact.data(), exact.size()) == -1);
}
