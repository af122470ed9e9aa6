// max_pool2d, avg_pool2d, adaptive_avg_pool2d, embedding and pad through the C API: exact values and grads
// on small cases worked out by hand, and bad input (NULL arguments, wrong rank or dtype, hostile sizes) as
// a status with a message, never a crash (the torch comparison is tests/python/test_pool_torch.py).
#include <cmath>
#include <limits>
#include <string>

#include "tensor/tensor.hpp"
#include "test_util.h"

namespace {

void require_status(tensor_status got, tensor_status want, const std::string& needle) {
  INFO("status " << tensor_status_string(got) << ": " << tensor_last_error());
  REQUIRE(got == want);
  CHECK(std::string(tensor_last_error()).find(needle) != std::string::npos);
}

// The grad of sum(out * r) with respect to x (x must require grad).
std::vector<double> grad_of(const tensor* out, const tensor* x, const std::vector<double>& r) {
  Handle rt = make<double>(r, shape_of(out)), prod, loss, g;
  REQUIRE_OK(tensor_mul(prod.out(), out, rt));
  REQUIRE_OK(tensor_sum(loss.out(), prod, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(loss, nullptr, false));
  REQUIRE_OK(tensor_grad(g.out(), x));
  return values<double>(g);
}

std::vector<double> iota(int n) {
  std::vector<double> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = i;
  return v;
}

}  // namespace

TEST_CASE("max_pool2d: 2x2 windows, indices, and the grad going to the chosen elements") {
  // one (1, 1, 4, 4) plane; the maxima sit at different corners of the four windows
  Handle x = make<double>({1, 9, 2, 3,   //
                           4, 0, 8, 7,   //
                           5, 1, 0, 0,   //
                           2, 6, 0, 3},  //
                          {1, 1, 4, 4});
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  Handle y, idx;
  const int64_t k[2] = {2, 2};
  REQUIRE_OK(tensor_max_pool2d(y.out(), idx.out(), x, k, nullptr, nullptr, nullptr, false));
  CHECK(shape_of(y) == std::vector<int64_t>{1, 1, 2, 2});
  CHECK(values<double>(y) == std::vector<double>{9, 8, 6, 3});
  CHECK(values<int64_t>(idx) == std::vector<int64_t>{1, 6, 13, 15});
  CHECK(grad_of(y, x, {1, 2, 3, 4}) == std::vector<double>{0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 4});
}

TEST_CASE("max_pool2d: overlapping windows add their grads; ties pick the first; NaN wins") {
  Handle x = make<double>({1, 5, 1, 5, 1}, {1, 1, 5});  // (C, H, W) = (1, 1, 5)
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  Handle y, idx;
  const int64_t k[2] = {1, 3}, s[2] = {1, 1};
  REQUIRE_OK(tensor_max_pool2d(y.out(), idx.out(), x, k, s, nullptr, nullptr, false));
  CHECK(values<double>(y) == std::vector<double>{5, 5, 5});
  CHECK(values<int64_t>(idx) == std::vector<int64_t>{1, 1, 3});  // the window [1 5 1 5 ...]: first 5
  CHECK(grad_of(y, x, {1, 10, 100}) == std::vector<double>{0, 11, 0, 100, 0});

  const double nan = std::numeric_limits<double>::quiet_NaN();
  Handle xn = make<double>({nan, 3, nan, 1}, {1, 1, 4}), yn, in;
  const int64_t k4[2] = {1, 4};
  REQUIRE_OK(tensor_max_pool2d(yn.out(), in.out(), xn, k4, nullptr, nullptr, nullptr, false));
  CHECK(std::isnan(values<double>(yn)[0]));
  CHECK(values<int64_t>(in) == std::vector<int64_t>{2});  // the last NaN
}

TEST_CASE("max_pool2d: padding, dilation and ceil_mode windows") {
  // (1, 1, 5, 5) of 0..24; kernel 2 dilation 2 stride 2 padding 1: rows {-1, 1}, {1, 3}, {3, 5}
  Handle x = make<double>(iota(25), {1, 1, 5, 5}), y, idx;
  const int64_t k[2] = {2, 2}, s[2] = {2, 2}, p[2] = {1, 1}, d[2] = {2, 2};
  REQUIRE_OK(tensor_max_pool2d(y.out(), idx.out(), x, k, s, p, d, false));
  // out = floor((5 + 2 - 2 - 1) / 2) + 1 = 3 per dim; windows' kept rows: {1}, {1, 3}, {3}
  CHECK(shape_of(y) == std::vector<int64_t>{1, 1, 3, 3});
  CHECK(values<double>(y) == std::vector<double>{6, 8, 8, 16, 18, 18, 16, 18, 18});
  // ceil_mode: kernel 2 stride 2 over 5 gives 3 (the last window half outside), not 2
  Handle yc;
  REQUIRE_OK(tensor_max_pool2d(yc.out(), nullptr, x, k, nullptr, nullptr, nullptr, true));
  CHECK(shape_of(yc) == std::vector<int64_t>{1, 1, 3, 3});
  CHECK(values<double>(yc) == std::vector<double>{6, 8, 9, 16, 18, 19, 21, 23, 24});
}

TEST_CASE("max_pool2d: a window holding no input element gives -inf, PyTorch's index, and no grad") {
  // H = 1 with padding 1 and dilation 2: the window's rows are -1 and 1, neither inside the input.
  Handle x = make<double>({1, 2, 3, 4, 5, 6, 7, 8}, {2, 1, 4});
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  Handle y, idx;
  const int64_t k[2] = {2, 2}, s[2] = {3, 3}, p[2] = {1, 1}, d[2] = {2, 1};
  REQUIRE_OK(tensor_max_pool2d(y.out(), idx.out(), x, k, s, p, d, true));
  CHECK(shape_of(y) == std::vector<int64_t>{2, 1, 2});
  CHECK(values<double>(y) == std::vector<double>(4, -std::numeric_limits<double>::infinity()));
  CHECK(values<int64_t>(idx) == std::vector<int64_t>{4, 6, 4, 6});  // outside the 4-element planes
  CHECK(grad_of(y, x, {1, 2, 3, 4}) == std::vector<double>(8, 0.0));
}

TEST_CASE("avg_pool2d: count_include_pad decides the divisor at the borders") {
  Handle x = make<double>(std::vector<double>(9, 1.0), {1, 1, 3, 3});
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  const int64_t k[2] = {3, 3}, s[2] = {1, 1}, p[2] = {1, 1};
  Handle with, without;
  REQUIRE_OK(tensor_avg_pool2d(with.out(), x, k, s, p, false, true));
  REQUIRE_OK(tensor_avg_pool2d(without.out(), x, k, s, p, false, false));
  const std::vector<double> a = values<double>(with);
  CHECK(a[0] == Approx(4.0 / 9));
  CHECK(a[1] == Approx(6.0 / 9));
  CHECK(a[4] == Approx(1.0));
  CHECK(values<double>(without) == std::vector<double>(9, 1.0));
  // the grad of the centre output alone: 1/9 to each input element
  std::vector<double> r(9, 0.0);
  r[4] = 9;
  CHECK(grad_of(with, x, r) == std::vector<double>(9, 1.0));
}

TEST_CASE("adaptive_avg_pool2d: PyTorch's overlapping windows for non-divisible sizes") {
  // width 5 -> 3: columns [0, 2), [1, 4), [3, 5)
  Handle x = make<double>(iota(5), {1, 1, 5});
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  Handle y;
  const int64_t o[2] = {1, 3};
  REQUIRE_OK(tensor_adaptive_avg_pool2d(y.out(), x, o));
  CHECK(shape_of(y) == std::vector<int64_t>{1, 1, 3});
  const std::vector<double> v = values<double>(y);
  CHECK(v[0] == Approx(0.5));
  CHECK(v[1] == Approx(2.0));
  CHECK(v[2] == Approx(3.5));
  const std::vector<double> g = grad_of(y, x, {2, 3, 2});
  CHECK(g[0] == Approx(1.0));
  CHECK(g[1] == Approx(2.0));  // in windows 0 and 1: 2/2 + 3/3
  CHECK(g[3] == Approx(2.0));  // in windows 1 and 2: 3/3 + 2/2
  // an empty batch gives an empty result
  Handle e = make<float>({}, {0, 2, 3, 3}), ye;
  const int64_t o2[2] = {2, 2};
  REQUIRE_OK(tensor_adaptive_avg_pool2d(ye.out(), e, o2));
  CHECK(shape_of(ye) == std::vector<int64_t>{0, 2, 2, 2});
}

TEST_CASE("embedding: rows picked by any index shape; repeated rows add their grads") {
  Handle w = make<double>({0, 1, 10, 11, 20, 21}, {3, 2});
  REQUIRE_OK(tensor_set_requires_grad(w, true));
  Handle idx = make<int32_t>({2, 0, 2, 2}, {2, 2}), y;
  REQUIRE_OK(tensor_embedding(y.out(), w, idx));
  CHECK(shape_of(y) == std::vector<int64_t>{2, 2, 2});
  CHECK(values<double>(y) == std::vector<double>{20, 21, 0, 1, 20, 21, 20, 21});
  CHECK(grad_of(y, w, {1, 2, 3, 4, 5, 6, 7, 8}) == std::vector<double>{3, 4, 0, 0, 13, 16});
  Handle scalar = make<int64_t>({1}, {}), y0;
  REQUIRE_OK(tensor_embedding(y0.out(), w, scalar));
  CHECK(shape_of(y0) == std::vector<int64_t>{2});
  CHECK(values<double>(y0) == std::vector<double>{10, 11});
}

TEST_CASE("pad: positive pads fill, negative pads crop, over several dims") {
  Handle x = make<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3}), y;
  const int64_t pads[4] = {1, -1, -1, 1};  // last dim: 1 front, crop 1 back; first dim: crop 1 front, 1 back
  REQUIRE_OK(tensor_pad(y.out(), x, pads, 4, 9));
  CHECK(shape_of(y) == std::vector<int64_t>{2, 3});
  CHECK(values<int32_t>(y) == std::vector<int32_t>{9, 4, 5, 9, 9, 9});
  Handle xf = make<double>({1, 2, 3}, {3}), yf;
  REQUIRE_OK(tensor_set_requires_grad(xf, true));
  const int64_t p1[2] = {2, -1};
  REQUIRE_OK(tensor_pad(yf.out(), xf, p1, 2, -0.5));
  CHECK(values<double>(yf) == std::vector<double>{-0.5, -0.5, 1, 2});
  CHECK(grad_of(yf, xf, {1, 2, 3, 4}) == std::vector<double>{3, 4, 0});
  Handle b = make<bool>({true}, {1}), yb;
  const int64_t p2[2] = {1, 1};
  REQUIRE_OK(tensor_pad(yb.out(), b, p2, 2, 0));
  CHECK(values<bool>(yb) == std::vector<bool>{false, true, false});
}

TEST_CASE("pool, embedding, pad: bad input is a status with a message, never a crash") {
  Handle x = make<float>(std::vector<float>(16, 1.f), {1, 1, 4, 4}), y, idx;
  const int64_t k2[2] = {2, 2};
  // NULL arguments
  require_status(tensor_max_pool2d(nullptr, nullptr, x, k2, nullptr, nullptr, nullptr, false),
                 TENSOR_ERR_INVALID_ARGUMENT, "NULL");
  require_status(tensor_max_pool2d(y.out(), nullptr, nullptr, k2, nullptr, nullptr, nullptr, false),
                 TENSOR_ERR_INVALID_ARGUMENT, "NULL");
  require_status(tensor_max_pool2d(y.out(), nullptr, x, nullptr, nullptr, nullptr, nullptr, false),
                 TENSOR_ERR_INVALID_ARGUMENT, "kernel_size is NULL");
  tensor* same = nullptr;
  require_status(tensor_max_pool2d(&same, &same, x, k2, nullptr, nullptr, nullptr, false), TENSOR_ERR_INVALID_ARGUMENT,
                 "different");
  CHECK(same == nullptr);
  require_status(tensor_avg_pool2d(y.out(), x, nullptr, nullptr, nullptr, false, true), TENSOR_ERR_INVALID_ARGUMENT,
                 "kernel_size is NULL");
  require_status(tensor_adaptive_avg_pool2d(y.out(), x, nullptr), TENSOR_ERR_INVALID_ARGUMENT, "NULL");
  require_status(tensor_embedding(y.out(), nullptr, x), TENSOR_ERR_INVALID_ARGUMENT, "NULL");
  require_status(tensor_pad(y.out(), x, nullptr, 2, 0), TENSOR_ERR_INVALID_ARGUMENT, "NULL");
  require_status(tensor_pad(y.out(), x, k2, -2, 0), TENSOR_ERR_INVALID_ARGUMENT, "negative");
  // wrong rank and dtype
  Handle flat = make<float>({1, 2, 3, 4}, {2, 2});
  require_status(tensor_max_pool2d(y.out(), idx.out(), flat, k2, nullptr, nullptr, nullptr, false), TENSOR_ERR_SHAPE,
                 "3D or 4D");
  CHECK(idx.get() == nullptr);
  require_status(tensor_avg_pool2d(y.out(), flat, k2, nullptr, nullptr, false, true), TENSOR_ERR_SHAPE, "3D or 4D");
  const int64_t o1[2] = {1, 1};
  require_status(tensor_adaptive_avg_pool2d(y.out(), flat, o1), TENSOR_ERR_SHAPE, "Expected 3D or 4D tensor");
  Handle xi = make<int64_t>(std::vector<int64_t>(16, 1), {1, 1, 4, 4});
  require_status(tensor_max_pool2d(y.out(), nullptr, xi, k2, nullptr, nullptr, nullptr, false), TENSOR_ERR_DTYPE,
                 "input");
  require_status(tensor_adaptive_avg_pool2d(y.out(), xi, o1), TENSOR_ERR_DTYPE, "input");
  Handle w3 = make<float>(std::vector<float>(8, 0.f), {2, 2, 2}), i1 = make<int64_t>({0}, {1});
  require_status(tensor_embedding(y.out(), w3, i1), TENSOR_ERR_SHAPE, "'weight' must be 2-D");
  Handle w2 = make<float>(std::vector<float>(4, 0.f), {2, 2});
  require_status(tensor_embedding(y.out(), w2, x), TENSOR_ERR_DTYPE, "Long, Int");
  Handle far = make<int64_t>({0, 2}, {2});
  require_status(tensor_embedding(y.out(), w2, far), TENSOR_ERR_INDEX, "out of bounds");
  // impossible and hostile sizes
  const int64_t k5[2] = {5, 5}, zero[2] = {0, 0}, big[2] = {int64_t(1) << 62, 2},
                lowest[2] = {std::numeric_limits<int64_t>::min(), 1}, neg[2] = {-1, 2};
  require_status(tensor_max_pool2d(y.out(), nullptr, x, k5, nullptr, nullptr, nullptr, false), TENSOR_ERR_SHAPE,
                 "Output size is too small");
  require_status(tensor_max_pool2d(y.out(), nullptr, x, zero, nullptr, nullptr, nullptr, false), TENSOR_ERR_SHAPE,
                 "greater than zero");
  require_status(tensor_max_pool2d(y.out(), nullptr, x, big, nullptr, nullptr, nullptr, false), TENSOR_ERR_SHAPE,
                 "out of range");
  require_status(tensor_max_pool2d(y.out(), nullptr, x, k2, lowest, nullptr, nullptr, true), TENSOR_ERR_SHAPE,
                 "out of range");
  require_status(tensor_max_pool2d(y.out(), nullptr, x, k2, nullptr, nullptr, big, false), TENSOR_ERR_SHAPE,
                 "out of range");
  require_status(tensor_avg_pool2d(y.out(), x, k2, nullptr, neg, false, true), TENSOR_ERR_SHAPE,
                 "pad must be non-negative");
  require_status(tensor_avg_pool2d(y.out(), x, k2, nullptr, big, true, false), TENSOR_ERR_SHAPE, "out of range");
  require_status(tensor_adaptive_avg_pool2d(y.out(), x, neg), TENSOR_ERR_SHAPE, "greater than or equal to 0");
  const int64_t huge_out[2] = {int64_t(1) << 40, int64_t(1) << 40};
  const tensor_status st = tensor_adaptive_avg_pool2d(y.out(), x, huge_out);
  INFO(tensor_last_error());
  CHECK((st == TENSOR_ERR_SHAPE || st == TENSOR_ERR_OUT_OF_MEMORY));
  const int64_t huge_pad[2] = {int64_t(1) << 62, int64_t(1) << 62};
  require_status(tensor_pad(y.out(), x, huge_pad, 2, 0), TENSOR_ERR_SHAPE, "out of range");
  const int64_t crop[2] = {-3, -2};
  require_status(tensor_pad(y.out(), x, crop, 2, 0), TENSOR_ERR_SHAPE, "negative output size");
  require_status(tensor_pad(y.out(), x, k2, 3, 0), TENSOR_ERR_SHAPE, "divisible by 2");
  const int64_t ten[10] = {};
  require_status(tensor_pad(y.out(), x, ten, 10, 0), TENSOR_ERR_SHAPE, "Padding length too large");
}

TEST_CASE("pool, embedding, pad: the C++ wrapper") {
  namespace L = libtensor;
  std::vector<double> v(2 * 4 * 4);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>((i * 7) % 11);
  Handle h = make<double>(v, {2, 4, 4});
  const L::Tensor x = L::Tensor::borrow(h.get());
  L::ValuesIndices mi = L::max_pool2d_with_indices(x, 2);
  L::Tensor m = L::max_pool2d(x, {2, 2}, {2, 2}, 0, 1, false);
  CHECK(values<double>(mi.values.get()) == values<double>(m.get()));
  // plane 0 is 0, 7, 3, 10 / 6, 2, 9, 5 / 1, 8, 4, 0 / 7, 3, 10, 6: window maxima 7, 10, 8, 10
  CHECK(values<double>(m.get())[0] == 7);
  CHECK(values<double>(m.get())[1] == 10);
  CHECK(values<int64_t>(mi.indices.get())[1] == 3);
  L::Tensor a = L::avg_pool2d(x, 3, 1, 1, false, false), b = L::adaptive_avg_pool2d(x, 1);
  CHECK(shape_of(a.get()) == std::vector<int64_t>{2, 4, 4});
  CHECK(values<double>(b.get())[0] == Approx(81.0 / 16));  // the mean of plane 0
  Handle ih = make<int64_t>({1, 1, 0}, {3});
  L::Tensor e = L::embedding(L::Tensor::borrow(ih.get()), L::pad(b.reshape({2, 1}), {0, 2}, -1.0));
  CHECK(shape_of(e.get()) == std::vector<int64_t>{3, 3});
  CHECK(values<double>(e.get())[1] == -1.0);
  CHECK_THROWS_AS(L::max_pool2d(x, 5), L::Error);
  CHECK_THROWS_AS(L::pad(x, {1}), L::Error);
}
