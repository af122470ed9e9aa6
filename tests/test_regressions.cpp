// Regression tests for bugs found by the hardening work (the fuzzer, the sanitizers, allocation-failure
// injection). Each names its finding; the input that found it also sits in tests/fuzz/corpus/regress-*.
#include <cmath>
#include <cstdint>

#include "test_util.h"

TEST_CASE("max_dim with one NULL out-parameter still clears the other", "[regression]") {
  // Fuzzer: tensor_max_dim(NULL, &indices, ...) failed with INVALID_ARGUMENT but left `indices` as it was.
  Handle t = make<float>({3, 1, 2}, {3});
  for (auto fn : {tensor_max_dim, tensor_min_dim}) {
    tensor* sentinel = reinterpret_cast<tensor*>(&t);  // never a handle the library made
    tensor* values = sentinel;
    tensor* indices = sentinel;
    REQUIRE(fn(nullptr, &indices, t, 0, false) == TENSOR_ERR_INVALID_ARGUMENT);
    REQUIRE(indices == nullptr);
    REQUIRE(fn(&values, nullptr, t, 0, false) == TENSOR_ERR_INVALID_ARGUMENT);
    REQUIRE(values == nullptr);
    REQUIRE(std::string(tensor_last_error()).rfind("tensor_m", 0) == 0);
  }
}

TEST_CASE("an uninitialised bool tensor holds only valid bools", "[regression]") {
  // Fuzzer: tensor_empty(bool) handed out raw memory (ASan fills it with 0xbe); loading such a byte as a
  // bool is undefined behaviour in every later kernel. Bool tensors now start zeroed.
  for (int64_t n : {1, 64, 100000}) {
    tensor_options o = opts_of(TENSOR_BOOL);
    Handle t;
    REQUIRE_OK(tensor_empty(t.out(), &n, 1, &o));
    std::vector<unsigned char> bytes(static_cast<size_t>(n));
    REQUIRE_OK(tensor_copy_to_host(t, bytes.data(), bytes.size()));
    for (unsigned char b : bytes) REQUIRE(b == 0);
  }
}

TEST_CASE("a shape whose sizes overflow int64 is refused even when it has a zero size", "[regression]") {
  // Fuzzer (UBSan signed overflow): [0, INT64_MAX, 3] passed checked_numel (numel 0), then strides,
  // numel of views (tensor_impl.cpp) and byte strides (iterator.cpp) overflowed int64. Such shapes are
  // now refused as NumPy does ("array is too big"); PyTorch would wrap the strides.
  const int64_t a[] = {0, INT64_MAX, 3}, b[] = {0, int64_t(1) << 62, 4}, c[] = {0, int64_t(1) << 61, 4};
  for (const int64_t* shape : {a, b, c}) {
    Handle t;
    REQUIRE(tensor_empty(t.out(), shape, 3, nullptr) == TENSOR_ERR_SHAPE);
    REQUIRE(t.get() == nullptr);
    REQUIRE(std::string(tensor_last_error()).find("than fit in int64") != std::string::npos);
  }
  // Fuzzer (harness contract): the extent may fit int64 while its bytes do not. [INT64_MAX, 0, 1] is
  // refused in float32 (4-byte elements) and allowed in bool (1 byte), an empty tensor either way.
  const int64_t d[] = {INT64_MAX, 0, 1};
  Handle f32, b8;
  REQUIRE(tensor_empty(f32.out(), d, 3, nullptr) == TENSOR_ERR_SHAPE);
  REQUIRE(std::string(tensor_last_error()).find("needs more bytes than fit in int64") != std::string::npos);
  tensor_options bool_opts = TENSOR_OPTIONS_INIT;
  bool_opts.dtype = TENSOR_BOOL;
  REQUIRE_OK(tensor_empty(b8.out(), d, 3, &bool_opts));
  REQUIRE(tensor_numel(b8) == 0);
  // A view may not get there either: expanding [1, 4] to [2^62, 4] is refused, not wrapped.
  Handle one = make<float>({1, 2, 3, 4}, {1, 4});
  Handle view;
  REQUIRE(tensor_expand(view.out(), one, std::vector<int64_t>{int64_t(1) << 62, 4}.data(), 2) == TENSOR_ERR_SHAPE);
  // Within the limit an empty tensor keeps PyTorch's strides: torch.empty(0, 2**40, 4).stride().
  const int64_t ok[] = {0, int64_t(1) << 40, 4};
  Handle t;
  REQUIRE_OK(tensor_empty(t.out(), ok, 3, nullptr));
  REQUIRE(tensor_numel(t) == 0);
  REQUIRE(std::vector<int64_t>(tensor_strides(t), tensor_strides(t) + 3) ==
          std::vector<int64_t>{int64_t(1) << 42, 4, 1});
}

TEST_CASE("floating values that do not fit an integer dtype convert as on x86, without UB", "[regression]") {
  // Fuzzer (UBSan float-cast-overflow): to_dtype, fill and scalar operands used static_cast from double
  // to int, undefined for NaN and out-of-range values. They now give the integer minimum, as PyTorch on
  // CPU does: torch.tensor([nan, 1e300, -1e300, 3e9]).to(torch.int32) == [-2147483648] * 4.
  const double nan = std::nan("");
  Handle f = make<double>({nan, 1e300, -1e300, 3e9, -2147483648.5, 7.9}, {6});
  Handle i32, i64, b;
  REQUIRE_OK(tensor_to_dtype(i32.out(), f, TENSOR_INT32));
  REQUIRE(values<int32_t>(i32) == std::vector<int32_t>{INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, 7});
  REQUIRE_OK(tensor_to_dtype(i64.out(), f, TENSOR_INT64));
  REQUIRE(values<int64_t>(i64) == std::vector<int64_t>{INT64_MIN, INT64_MIN, INT64_MIN, 3000000000, -2147483648, 7});
  REQUIRE_OK(tensor_to_dtype(b.out(), f, TENSOR_BOOL));
  REQUIRE(values<bool>(b) == std::vector<bool>{true, true, true, true, true, true});
}

TEST_CASE("fill and full refuse values the dtype cannot hold, as PyTorch", "[regression]") {
  // Fuzzer (UBSan float-cast-overflow): fill_/full cast the double straight to the element type.
  // PyTorch: torch.zeros(2, dtype=torch.int32).fill_(1e300) -> "value cannot be converted to type int
  // without overflow" (also NaN, inf, 2147483647.5); fractions truncate; float32 refuses finite 1e300.
  Handle t = make<int32_t>({1, 2}, {2});
  for (double v : {1e300, std::nan(""), HUGE_VAL, 2147483647.5, -2147483648.9}) {
    INFO(v);
    REQUIRE(tensor_fill_(t, v) == TENSOR_ERR_INVALID_ARGUMENT);
    REQUIRE(std::string(tensor_last_error()).find("cannot be converted to type int32 without overflow") !=
            std::string::npos);
  }
  REQUIRE(values<int32_t>(t) == std::vector<int32_t>{1, 2});
  REQUIRE_OK(tensor_fill_(t, -2147483648.0));
  REQUIRE(values<int32_t>(t) == std::vector<int32_t>{INT32_MIN, INT32_MIN});
  const int64_t two[] = {2};
  tensor_options i64 = opts_of(TENSOR_INT64), i32 = opts_of(TENSOR_INT32), f32 = opts_of(TENSOR_FLOAT32);
  Handle full;
  REQUIRE(tensor_full(full.out(), two, 1, 0x1p63, &i64) == TENSOR_ERR_INVALID_ARGUMENT);
  REQUIRE(full.get() == nullptr);
  REQUIRE(tensor_full(full.out(), two, 1, 1e300, &f32) == TENSOR_ERR_INVALID_ARGUMENT);
  REQUIRE_OK(tensor_full(full.out(), two, 1, INFINITY, &f32));
  REQUIRE_OK(tensor_full(full.out(), two, 1, 2.5, &i32));
  REQUIRE(values<int32_t>(full) == std::vector<int32_t>{2, 2});
  REQUIRE_OK(tensor_full(full.out(), two, 1, -0x1p63, &i64));
  REQUIRE(values<int64_t>(full) == std::vector<int64_t>{INT64_MIN, INT64_MIN});
}

TEST_CASE("an integral scalar wraps into a narrower integer tensor as a Python int does", "[regression]") {
  // PyTorch: torch.tensor([1, 2], dtype=torch.int32) + 3000000000 == [-1294967295, -1294967294] (int32).
  // An integral double beyond int64 is no Python int PyTorch accepts; it acts as a float (float32 result).
  Handle a = make<int32_t>({1, 2}, {2});
  Handle r, big;
  REQUIRE_OK(tensor_add_scalar(r.out(), a, 3e9));
  REQUIRE(tensor_get_dtype(r) == TENSOR_INT32);
  REQUIRE(values<int32_t>(r) == std::vector<int32_t>{-1294967295, -1294967294});
  REQUIRE_OK(tensor_add_scalar(big.out(), a, 1e300));
  REQUIRE(tensor_get_dtype(big) == TENSOR_FLOAT32);
  REQUIRE(std::isinf(values<float>(big)[0]));
}

TEST_CASE("an in-place op whose operand is its own target differentiates its old value", "[regression]") {
  // Allocation-failure test (while reordering in-place recording): y.mul_(y) saved y for backward after
  // the write, so the grad used y*y instead of y: x.grad was [4, 4, 40, 1.5] for x = [0.5, -1, 2, 0.25].
  // d(sum((2x)^2))/dx = 8x; d(sum(y / y))/dx = 0. (PyTorch refuses both at backward: "modified by an
  // inplace operation"; libtensor saves a copy and gives the exact grads.)
  struct Case {
    tensor_status (*op)(tensor*, const tensor*);
    std::vector<double> grad;
  };
  for (const Case& c : {Case{tensor_mul_, {4, -8, 16, 2}}, Case{tensor_div_, {0, 0, 0, 0}}}) {
    Handle x = make<double>({0.5, -1, 2, 0.25}, {4});
    REQUIRE_OK(tensor_set_requires_grad(x, true));
    Handle y, s, g;
    REQUIRE_OK(tensor_mul_scalar(y.out(), x, 2));
    REQUIRE_OK(c.op(y, y));
    REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(s, nullptr, false));
    REQUIRE_OK(tensor_grad(g.out(), x));
    REQUIRE(values<double>(g) == c.grad);
  }
}

TEST_CASE("slice with a step near INT64_MAX is one element, without overflow", "[regression]") {
  // Fuzzer (UBSan signed overflow): the slice length was rounded up as (end - start + step - 1) / step.
  Handle t = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  for (int64_t step : {INT64_MAX, INT64_MAX - 1, int64_t(1) << 62, int64_t(3)}) {
    Handle s;
    REQUIRE_OK(tensor_slice(s.out(), t, 1, 1, INT64_MAX, step));
    REQUIRE(tensor_size(s, 1) == 1);  // t[:, 1::step] keeps column 1 only
    REQUIRE(values<float>(s) == std::vector<float>{2, 5});
  }
  Handle empty;
  REQUIRE_OK(tensor_slice(empty.out(), t, 1, 3, INT64_MAX, INT64_MAX));
  REQUIRE(tensor_size(empty, 1) == 0);
}

TEST_CASE("copy_to_host of a strided tensor into a misaligned buffer", "[regression]") {
  // Fuzzer (UBSan misaligned store): a non-contiguous tensor was copied out element by element as
  // doubles straight into the caller's buffer, whatever its alignment.
  Handle t = make<double>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle tt;
  REQUIRE_OK(tensor_transpose(tt.out(), t, 0, 1));
  unsigned char bytes[6 * sizeof(double) + 1];
  REQUIRE_OK(tensor_copy_to_host(tt, bytes + 1, 6 * sizeof(double)));
  double got[6];
  std::memcpy(got, bytes + 1, sizeof got);
  CHECK(std::vector<double>(got, got + 6) == std::vector<double>{1, 4, 2, 5, 3, 6});
}

TEST_CASE("an empty tensor with an enormous stride copies without overflow", "[regression]") {
  // Fuzzer (UBSan signed overflow): the iteration plan turned every stride into bytes, and an empty
  // slice with a step near INT64_MAX keeps that step as its stride (any stride is valid with no elements).
  Handle t = make<float>({1, 2}, {2, 1});
  Handle empty, copy, sum;
  REQUIRE_OK(tensor_slice(empty.out(), t, 0, 1, 1, INT64_MAX));
  REQUIRE(tensor_size(empty, 0) == 0);
  REQUIRE(tensor_strides(empty)[0] == INT64_MAX);
  REQUIRE_OK(tensor_clone(copy.out(), empty));  // clone always runs the copy kernel
  CHECK(shape_of(copy) == std::vector<int64_t>{0, 1});
  REQUIRE_OK(tensor_add(sum.out(), empty, copy));
  CHECK(tensor_numel(sum) == 0);
  const int32_t dim0[1] = {0}, dim1[1] = {1};
  REQUIRE_OK(tensor_sum(sum.out(), empty, dim0, 1, false));  // reduces the empty dim: one zero
  CHECK(values<float>(sum) == std::vector<float>{0});
  REQUIRE_OK(tensor_sum(sum.out(), empty, dim1, 1, false));  // keeps it: empty
  CHECK(tensor_numel(sum) == 0);
}
