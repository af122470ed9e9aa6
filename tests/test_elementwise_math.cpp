// The edge semantics of the math and logical elementwise ops, each against what PyTorch returns
// (values taken from torch 1.13 on the CPU): rounding halves to even, the signs of remainder and fmod,
// floor division of negatives, integer division by zero, bitwise ops refusing floats, predicates on
// every dtype, NaN and infinity, the grads PyTorch picks and its grad_fn names.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "test_util.h"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

using UnaryFn = tensor_status (*)(tensor**, const tensor*);
using BinaryFn = tensor_status (*)(tensor**, const tensor*, const tensor*);

template <typename T>
std::vector<T> unary_of(UnaryFn fn, const std::vector<T>& x) {
  Handle a = make<T>(x, {static_cast<int64_t>(x.size())}), out;
  REQUIRE_OK(fn(out.out(), a));
  REQUIRE(tensor_get_dtype(out) == dtype_for<T>());
  return values<T>(out);
}

template <typename T>
std::vector<T> binary_of(BinaryFn fn, const std::vector<T>& a, const std::vector<T>& b) {
  Handle ta = make<T>(a, {static_cast<int64_t>(a.size())}), tb = make<T>(b, {static_cast<int64_t>(b.size())}), out;
  REQUIRE_OK(fn(out.out(), ta, tb));
  REQUIRE(tensor_get_dtype(out) == dtype_for<T>());
  return values<T>(out);
}

// Equal values, NaN equal to NaN and the sign of zero compared too.
bool same_values(const std::vector<double>& got, const std::vector<double>& want) {
  if (got.size() != want.size()) return false;
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      if (!std::isnan(got[i])) return false;
    } else if (got[i] != want[i] || std::signbit(got[i]) != std::signbit(want[i])) {
      return false;
    }
  }
  return true;
}

std::string last_error() { return tensor_last_error(); }

}  // namespace

TEST_CASE("round halves to even, keeps signed zeros, and leaves integers as they are") {
  CHECK(same_values(
      unary_of<double>(tensor_round, {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 1e300, kNaN, -kInf}),
      {0.0, 2.0, 2.0, -0.0, -2.0, -2.0, 0.0, 1e300, kNaN, -kInf}));
  CHECK(unary_of<float>(tensor_round, {2.5f, 3.5f, -3.5f}) == std::vector<float>{2.0f, 4.0f, -4.0f});
  CHECK(unary_of<int32_t>(tensor_round, {3, -3, 0, INT32_MIN}) == std::vector<int32_t>{3, -3, 0, INT32_MIN});
  CHECK(unary_of<int64_t>(tensor_floor, {INT64_MAX, -7}) == std::vector<int64_t>{INT64_MAX, -7});
  CHECK(same_values(unary_of<double>(tensor_floor, {-0.5, 0.5, -0.0}), {-1.0, 0.0, -0.0}));
  CHECK(same_values(unary_of<double>(tensor_ceil, {-0.5, 0.5}), {-0.0, 1.0}));
  CHECK(same_values(unary_of<double>(tensor_trunc, {-2.7, 2.7, -0.3}), {-2.0, 2.0, -0.0}));
  Handle b = make<bool>({true}, {1}), out;
  for (UnaryFn fn : {tensor_floor, tensor_ceil, tensor_round, tensor_trunc}) {
    CHECK(fn(out.out(), b) == TENSOR_ERR_DTYPE);
    CHECK(last_error().find("bool") != std::string::npos);
  }
}

TEST_CASE("frac, sign and the floating-only ops") {
  CHECK(same_values(unary_of<double>(tensor_frac, {-2.5, 2.25, kInf, kNaN, -3.0}), {-0.5, 0.25, kNaN, kNaN, 0.0}));
  // PyTorch's sign is (0 < x) - (x < 0): NaN and -0 give +0.
  CHECK(same_values(unary_of<double>(tensor_sign, {kNaN, -0.0, 0.0, -3.0, kInf}), {0.0, 0.0, 0.0, -1.0, 1.0}));
  CHECK(unary_of<int32_t>(tensor_sign, {INT32_MIN, 0, 9}) == std::vector<int32_t>{-1, 0, 1});
  CHECK(unary_of<bool>(tensor_sign, {true, false}) == std::vector<bool>{true, false});
  Handle i = make<int32_t>({1, 2}, {2}), out;
  CHECK(tensor_frac(out.out(), i) == TENSOR_ERR_DTYPE);
  CHECK(last_error().find("frac") != std::string::npos);
  CHECK(tensor_silu(out.out(), i) == TENSOR_ERR_DTYPE);
  CHECK(same_values(unary_of<double>(tensor_silu, {0.0, -1000.0, kInf, kNaN}), {0.0, -0.0, kInf, kNaN}));
}

TEST_CASE("square wraps integers and makes bool int64; the promoted ops make integers float32") {
  CHECK(unary_of<int32_t>(tensor_square, {3, -3, 65536}) == std::vector<int32_t>{9, 9, 0});
  Handle b = make<bool>({true, false}, {2}), out;
  REQUIRE_OK(tensor_square(out.out(), b));
  CHECK(tensor_get_dtype(out) == TENSOR_INT64);
  CHECK(values<int64_t>(out) == std::vector<int64_t>{1, 0});
  Handle i = make<int32_t>({0, 4, -1}, {3});
  REQUIRE_OK(tensor_reciprocal(out.out(), i));
  CHECK(tensor_get_dtype(out) == TENSOR_FLOAT32);
  CHECK(values<float>(out)[0] == std::numeric_limits<float>::infinity());
  REQUIRE_OK(tensor_log1p(out.out(), i));
  CHECK(values<float>(out)[2] == -std::numeric_limits<float>::infinity());
  CHECK(same_values(unary_of<double>(tensor_rsqrt, {0.0, -0.0, 4.0, -1.0}), {kInf, -kInf, 0.5, kNaN}));
  CHECK(same_values(unary_of<double>(tensor_asin, {2.0, -1.0}), {kNaN, -std::asin(1.0)}));
}

TEST_CASE("isnan, isinf, isfinite and logical_not give bool for every dtype") {
  Handle f = make<double>({kNaN, kInf, -kInf, 0.0, -0.0, 1.5}, {6}), out;
  REQUIRE_OK(tensor_isnan(out.out(), f));
  CHECK(tensor_get_dtype(out) == TENSOR_BOOL);
  CHECK(values<bool>(out) == std::vector<bool>{true, false, false, false, false, false});
  REQUIRE_OK(tensor_isinf(out.out(), f));
  CHECK(values<bool>(out) == std::vector<bool>{false, true, true, false, false, false});
  REQUIRE_OK(tensor_isfinite(out.out(), f));
  CHECK(values<bool>(out) == std::vector<bool>{false, false, false, true, true, true});
  REQUIRE_OK(tensor_logical_not(out.out(), f));  // NaN is true, so not NaN is false
  CHECK(values<bool>(out) == std::vector<bool>{false, false, false, true, true, false});
  Handle i = make<int64_t>({0, -3, INT64_MIN}, {3});
  Handle b = make<bool>({true, false, true}, {3});
  for (const tensor* t : {i.get(), b.get()}) {
    REQUIRE_OK(tensor_isnan(out.out(), t));
    CHECK(values<bool>(out) == std::vector<bool>{false, false, false});
    REQUIRE_OK(tensor_isinf(out.out(), t));
    CHECK(values<bool>(out) == std::vector<bool>{false, false, false});
    REQUIRE_OK(tensor_isfinite(out.out(), t));
    CHECK(values<bool>(out) == std::vector<bool>{true, true, true});
  }
  REQUIRE_OK(tensor_logical_not(out.out(), i));
  CHECK(values<bool>(out) == std::vector<bool>{true, false, false});
  REQUIRE_OK(tensor_logical_not(out.out(), b));
  CHECK(values<bool>(out) == std::vector<bool>{false, true, false});
}

TEST_CASE("remainder takes the divisor's sign, fmod the dividend's, floor_divide rounds down") {
  const std::vector<double> a = {-7.5, 7.5, -7.5, 7.5, 5.0, kInf, 1.0, -0.0, 3.0, 1e-30};
  const std::vector<double> b = {2.0, -2.0, -2.0, 2.0, kInf, 2.0, -kInf, 2.0, -0.0, 5.0};
  CHECK(same_values(binary_of<double>(tensor_remainder, a, b),
                    {0.5, -0.5, -1.5, 1.5, 5.0, kNaN, -kInf, -0.0, kNaN, 1e-30}));
  CHECK(same_values(binary_of<double>(tensor_fmod, a, b), {-1.5, 1.5, -1.5, 1.5, 5.0, kNaN, 1.0, -0.0, kNaN, 1e-30}));
  CHECK(same_values(binary_of<double>(tensor_floor_divide, a, b),
                    {-4.0, -4.0, 3.0, 3.0, 0.0, kNaN, -1.0, -0.0, -kInf, 0.0}));
  // Exact where a / b rounds up to an integer: 0.3 // 0.1 is 2, as in Python.
  CHECK(binary_of<double>(tensor_floor_divide, {0.3, 5.0}, {0.1, 0.5}) == std::vector<double>{2.0, 10.0});
  CHECK(binary_of<float>(tensor_remainder, {-1.0f}, {3.0f}) == std::vector<float>{2.0f});

  const std::vector<int32_t> ia = {-7, 7, -7, 7, -8, 0, INT32_MIN, INT32_MIN};
  const std::vector<int32_t> ib = {2, -2, -2, 2, 2, -3, -1, 1};
  CHECK(binary_of<int32_t>(tensor_remainder, ia, ib) == std::vector<int32_t>{1, -1, -1, 1, 0, 0, 0, 0});
  CHECK(binary_of<int32_t>(tensor_fmod, ia, ib) == std::vector<int32_t>{-1, 1, -1, 1, 0, 0, 0, 0});
  // INT_MIN // -1 wraps to INT_MIN (as NumPy; it must not trap).
  CHECK(binary_of<int32_t>(tensor_floor_divide, ia, ib) ==
        std::vector<int32_t>{-4, -4, 3, 3, -4, 0, INT32_MIN, INT32_MIN});
  CHECK(binary_of<int64_t>(tensor_floor_divide, {INT64_MIN, -1}, {-1, 3}) == std::vector<int64_t>{INT64_MIN, -1});
}

TEST_CASE("integer remainder, fmod and floor_divide by zero are refused, floating ones give IEEE values") {
  Handle a = make<int32_t>({5, -5}, {2}), z = make<int32_t>({1, 0}, {2}), bz = make<bool>({true, false}, {2}), out;
  for (BinaryFn fn : {tensor_remainder, tensor_fmod, tensor_floor_divide}) {
    CHECK(fn(out.out(), a, z) == TENSOR_ERR_INVALID_ARGUMENT);
    CHECK(out.get() == nullptr);
    CHECK(last_error().find("ZeroDivisionError") != std::string::npos);
    CHECK(fn(out.out(), a, bz) == TENSOR_ERR_INVALID_ARGUMENT);  // int32 and bool: computes in int32
    Handle zero_d = make<int64_t>({0}, {});
    CHECK(fn(out.out(), a, zero_d) == TENSOR_ERR_INVALID_ARGUMENT);
    CHECK(fn(out.out(), bz, bz) == TENSOR_ERR_DTYPE);  // PyTorch: not implemented for 'Bool'
  }
  CHECK(same_values(binary_of<double>(tensor_floor_divide, {5.0, -5.0, 0.0}, {0.0, 0.0, 0.0}), {kInf, -kInf, kNaN}));
  CHECK(same_values(binary_of<double>(tensor_remainder, {5.0, -5.0}, {0.0, 0.0}), {kNaN, kNaN}));
  CHECK(same_values(binary_of<double>(tensor_fmod, {5.0}, {0.0}), {kNaN}));
  // An empty divisor has no zero.
  Handle e = make<int32_t>({}, {0});
  REQUIRE_OK(tensor_remainder(out.out(), e, e));
}

TEST_CASE("logical ops take any dtypes and give bool; bitwise ops take integers and bool only") {
  Handle f = make<double>({kNaN, 0.0, 2.0, -0.0}, {4}), i = make<int32_t>({1, 1, 0, 0}, {4}), out;
  REQUIRE_OK(tensor_logical_and(out.out(), f, i));
  CHECK(tensor_get_dtype(out) == TENSOR_BOOL);
  CHECK(values<bool>(out) == std::vector<bool>{true, false, false, false});
  REQUIRE_OK(tensor_logical_or(out.out(), f, i));
  CHECK(values<bool>(out) == std::vector<bool>{true, true, true, false});
  REQUIRE_OK(tensor_logical_xor(out.out(), f, i));
  CHECK(values<bool>(out) == std::vector<bool>{false, true, true, false});

  CHECK(binary_of<int32_t>(tensor_bitwise_and, {7, -7, 0}, {2, 2, -3}) == std::vector<int32_t>{2, 0, 0});
  CHECK(binary_of<int32_t>(tensor_bitwise_or, {7, -7, 0}, {2, 2, -3}) == std::vector<int32_t>{7, -5, -3});
  CHECK(binary_of<int64_t>(tensor_bitwise_xor, {7, -7, 0}, {2, 2, -3}) == std::vector<int64_t>{5, -5, -3});
  CHECK(binary_of<bool>(tensor_bitwise_xor, {true, true, false}, {true, false, false}) ==
        std::vector<bool>{false, true, false});
  Handle ib = make<int32_t>({7, -7}, {2}), bb = make<bool>({true, false}, {2});
  REQUIRE_OK(tensor_bitwise_or(out.out(), ib, bb));  // int32 with bool: int32
  CHECK(tensor_get_dtype(out) == TENSOR_INT32);
  CHECK(values<int32_t>(out) == std::vector<int32_t>{7, -7});
  Handle fl = make<float>({1.0f, 2.0f}, {2});
  for (BinaryFn fn : {tensor_bitwise_and, tensor_bitwise_or, tensor_bitwise_xor}) {
    CHECK(fn(out.out(), fl, ib) == TENSOR_ERR_DTYPE);
    CHECK(out.get() == nullptr);
    CHECK(last_error().find("floating") != std::string::npos);
  }
}

TEST_CASE("atan2 follows IEEE's quadrants and signed zeros, integers give float32") {
  CHECK(same_values(binary_of<double>(tensor_atan2, {0.0, -0.0, 1.0, -1.0, kInf}, {-1.0, -1.0, 0.0, 0.0, kInf}),
                    {M_PI, -M_PI, M_PI / 2, -M_PI / 2, M_PI / 4}));
  Handle a = make<int32_t>({1}, {1}), out;
  REQUIRE_OK(tensor_atan2(out.out(), a, a));
  CHECK(tensor_get_dtype(out) == TENSOR_FLOAT32);
}

namespace {

// d(sum(fn(x)))/dx at x, and fn(x)'s printed form.
std::vector<double> grad_of(UnaryFn fn, const std::vector<double>& x, std::string* printed = nullptr) {
  Handle t = make<double>(x, {static_cast<int64_t>(x.size())}), y, s, g;
  REQUIRE_OK(tensor_set_requires_grad(t, true));
  REQUIRE_OK(fn(y.out(), t));
  if (printed) *printed = format_of(y);
  REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  REQUIRE_OK(tensor_grad(g.out(), t));
  return values<double>(g);
}

}  // namespace

TEST_CASE("grads: zero for the rounding ops and sign, one for frac, PyTorch's node names") {
  std::string printed;
  for (UnaryFn fn : {tensor_floor, tensor_ceil, tensor_round, tensor_trunc, tensor_sign}) {
    CHECK(grad_of(fn, {2.5, -1.25}) == std::vector<double>{0.0, 0.0});
  }
  CHECK(grad_of(tensor_frac, {2.5, -1.25}, &printed) == std::vector<double>{1.0, 1.0});
  CHECK(printed.find("grad_fn=<FracBackward0>") != std::string::npos);
  CHECK(grad_of(tensor_square, {3.0, -0.5}, &printed) == std::vector<double>{6.0, -1.0});
  CHECK(printed.find("grad_fn=<PowBackward0>") != std::string::npos);
  grad_of(tensor_log1p, {0.5}, &printed);
  CHECK(printed.find("grad_fn=<Log1PBackward0>") != std::string::npos);
  grad_of(tensor_round, {0.5}, &printed);
  CHECK(printed.find("grad_fn=<RoundBackward0>") != std::string::npos);

  Handle a = make<double>({2.5, -3.1}, {2}), b = make<double>({0.7, -1.2}, {2}), y;
  REQUIRE_OK(tensor_set_requires_grad(a, true));
  REQUIRE_OK(tensor_set_requires_grad(b, true));
  REQUIRE_OK(tensor_remainder(y.out(), a, b));
  CHECK(format_of(y).find("grad_fn=<RemainderBackward1>") != std::string::npos);
  REQUIRE_OK(tensor_fmod(y.out(), a, b));
  CHECK(format_of(y).find("grad_fn=<FmodBackward1>") != std::string::npos);
  REQUIRE_OK(tensor_atan2(y.out(), a, b));
  CHECK(format_of(y).find("grad_fn=<Atan2Backward0>") != std::string::npos);
}

TEST_CASE("predicates and logical ops do not record a grad; floor_divide's backward is refused as PyTorch's") {
  Handle a = make<double>({2.5, -3.1}, {2}), b = make<double>({0.7, -1.2}, {2}), y, s;
  REQUIRE_OK(tensor_set_requires_grad(a, true));
  for (UnaryFn fn : {tensor_isnan, tensor_isinf, tensor_isfinite, tensor_logical_not}) {
    REQUIRE_OK(fn(y.out(), a));
    CHECK_FALSE(tensor_requires_grad(y));
  }
  for (BinaryFn fn : {tensor_logical_and, tensor_logical_or, tensor_logical_xor}) {
    REQUIRE_OK(fn(y.out(), a, b));
    CHECK_FALSE(tensor_requires_grad(y));
  }
  REQUIRE_OK(tensor_floor_divide(y.out(), a, b));
  CHECK(tensor_requires_grad(y));
  CHECK(values<double>(y) == std::vector<double>{3.0, 2.0});
  REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
  CHECK(tensor_backward(s, nullptr, false) == TENSOR_ERR_AUTOGRAD);
  CHECK(last_error().find("floor_divide") != std::string::npos);
}

TEST_CASE("remainder and fmod grads: 1 for the dividend, -floor(a / b) and -trunc(a / b) for the divisor") {
  for (bool fmod : {false, true}) {
    Handle a = make<double>({2.5, -3.1}, {2}), b = make<double>({0.7, -1.2}, {2}), y, s, ga, gb;
    REQUIRE_OK(tensor_set_requires_grad(a, true));
    REQUIRE_OK(tensor_set_requires_grad(b, true));
    REQUIRE_OK((fmod ? tensor_fmod : tensor_remainder)(y.out(), a, b));
    REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(s, nullptr, false));
    REQUIRE_OK(tensor_grad(ga.out(), a));
    REQUIRE_OK(tensor_grad(gb.out(), b));
    CHECK(values<double>(ga) == std::vector<double>{1.0, 1.0});
    CHECK(values<double>(gb) == std::vector<double>{-3.0, -2.0});  // torch: the same for both here
  }
}
