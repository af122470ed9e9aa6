// conv1d, conv2d and conv_transpose2d through the C API: values against a direct (six-loop) convolution
// computed here, hand-computed small cases, grads of a known case, batch 0, and bad input as a status with
// PyTorch's message, never a crash. The C++ wrapper (libtensor::conv2d ...) is checked at the end. The torch
// comparison is tests/python/test_conv_torch.py, the float64 gradchecks are rows of tests/test_gradcheck.cpp.
#include <cstdint>
#include <random>
#include <string>

#include "tensor/tensor.hpp"
#include "test_util.h"

namespace {

void require_status(tensor_status got, tensor_status want, const std::string& needle) {
  INFO("status " << tensor_status_string(got) << ": " << tensor_last_error());
  REQUIRE(got == want);
  CHECK(std::string(tensor_last_error()).find(needle) != std::string::npos);
}

// conv2d of (x, w) with these parameters must fail with `want` and a message containing `needle`.
struct ParamCase {
  const int64_t *stride, *padding, *dilation;
  int64_t groups;
  tensor_status want;
  const char* needle;
};
void require_param_status(const tensor* x, const tensor* w, const ParamCase& c) {
  Handle y;
  require_status(tensor_conv2d(y.out(), x, w, nullptr, c.stride, c.padding, c.dilation, c.groups), c.want, c.needle);
  CHECK(y.get() == nullptr);
}

std::vector<double> random_values(size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<double> d(-1, 1);
  std::vector<double> v(n);
  for (double& x : v) x = d(rng);
  return v;
}

struct Geometry {
  int64_t n, c, h, w, o, kh, kw;
  int64_t stride[2], padding[2], dilation[2], groups;
};

int64_t out_size(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d) {
  return (in + 2 * p - d * (k - 1) - 1) / s + 1;
}

// The definition: y[n, o, i, j] = b[o] + sum over the group's channels and the kernel of x * w.
std::vector<double> direct_conv2d(const Geometry& g, const std::vector<double>& x, const std::vector<double>& w,
                                  const std::vector<double>& b) {
  const int64_t oh = out_size(g.h, g.kh, g.stride[0], g.padding[0], g.dilation[0]);
  const int64_t ow = out_size(g.w, g.kw, g.stride[1], g.padding[1], g.dilation[1]);
  const int64_t cg = g.c / g.groups, og = g.o / g.groups;
  std::vector<double> y(static_cast<size_t>(g.n * g.o * oh * ow));
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t o = 0; o < g.o; ++o)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          double s = b.empty() ? 0 : b[static_cast<size_t>(o)];
          for (int64_t c = 0; c < cg; ++c)
            for (int64_t ki = 0; ki < g.kh; ++ki)
              for (int64_t kj = 0; kj < g.kw; ++kj) {
                const int64_t ih = i * g.stride[0] - g.padding[0] + ki * g.dilation[0];
                const int64_t iw = j * g.stride[1] - g.padding[1] + kj * g.dilation[1];
                if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
                const int64_t ci = (o / og) * cg + c;
                s += x[static_cast<size_t>(((n * g.c + ci) * g.h + ih) * g.w + iw)] *
                     w[static_cast<size_t>(((o * cg + c) * g.kh + ki) * g.kw + kj)];
              }
          y[static_cast<size_t>(((n * g.o + o) * oh + i) * ow + j)] = s;
        }
  return y;
}

void check_close(const std::vector<double>& got, const std::vector<double>& want, double tol) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i);
    CHECK(got[i] == Approx(want[i]).margin(tol));
  }
}

}  // namespace

TEST_CASE("conv2d: values equal the direct convolution (stride, padding, dilation, groups, depthwise, 1x1)") {
  const Geometry cases[] = {
      {2, 3, 5, 6, 4, 3, 3, {1, 1}, {0, 0}, {1, 1}, 1},  // plain
      {2, 2, 7, 6, 3, 3, 2, {2, 1}, {1, 2}, {1, 1}, 1},  // stride and padding per dim
      {1, 2, 7, 7, 2, 2, 3, {1, 2}, {1, 0}, {2, 2}, 1},  // dilation
      {3, 4, 5, 5, 6, 3, 3, {1, 1}, {1, 1}, {1, 1}, 2},  // groups
      {2, 3, 6, 5, 3, 3, 3, {2, 2}, {1, 1}, {1, 1}, 3},  // depthwise
      {2, 5, 4, 3, 3, 1, 1, {1, 1}, {0, 0}, {1, 1}, 1},  // 1x1: the GEMM-only path
      {1, 1, 3, 3, 2, 3, 3, {1, 1}, {0, 0}, {1, 1}, 1},  // kernel as large as the input
  };
  std::mt19937 rng(19);
  for (const Geometry& g : cases) {
    INFO("N C H W O KH KW = " << g.n << " " << g.c << " " << g.h << " " << g.w << " " << g.o << " " << g.kh << " "
                              << g.kw << ", groups " << g.groups);
    const std::vector<int64_t> xs{g.n, g.c, g.h, g.w}, ws{g.o, g.c / g.groups, g.kh, g.kw};
    const auto xv = random_values(static_cast<size_t>(g.n * g.c * g.h * g.w), rng);
    const auto wv = random_values(static_cast<size_t>(g.o * (g.c / g.groups) * g.kh * g.kw), rng);
    const auto bv = random_values(static_cast<size_t>(g.o), rng);
    for (bool with_bias : {true, false}) {
      Handle x = make<double>(xv, xs), w = make<double>(wv, ws), b = make<double>(bv, {g.o}), y;
      REQUIRE_OK(
          tensor_conv2d(y.out(), x, w, with_bias ? b.get() : nullptr, g.stride, g.padding, g.dilation, g.groups));
      check_close(values<double>(y), direct_conv2d(g, xv, wv, with_bias ? bv : std::vector<double>{}), 1e-12);
      // float32 through the same kernels
      Handle xf = make<float>(std::vector<float>(xv.begin(), xv.end()), xs);
      Handle wf = make<float>(std::vector<float>(wv.begin(), wv.end()), ws), yf;
      REQUIRE_OK(tensor_conv2d(yf.out(), xf, wf, nullptr, g.stride, g.padding, g.dilation, g.groups));
      REQUIRE(tensor_get_dtype(yf) == TENSOR_FLOAT32);
      const auto got = values<float>(yf);
      check_close(std::vector<double>(got.begin(), got.end()), direct_conv2d(g, xv, wv, {}), 1e-5);
    }
  }
}

TEST_CASE("conv2d: GEMMs large enough for threaded OpenBLAS (images split, OpenBLAS at one thread)") {
  // og * OH*OW * Cg*KH*KW = 32 * 256 * 144 multiply-adds per GEMM, above OpenBLAS's calling-thread limit:
  // the images run split over two threads (Note [CPU conv strategy]); forward and both grads against the
  // direct loops, then the same with one thread (the single-image path: threaded GEMMs in order).
  const Geometry g{3, 16, 16, 16, 32, 3, 3, {1, 1}, {1, 1}, {1, 1}, 1};
  std::mt19937 rng(3);
  const auto xv = random_values(static_cast<size_t>(g.n * g.c * g.h * g.w), rng);
  const auto wv = random_values(static_cast<size_t>(g.o * g.c * g.kh * g.kw), rng);
  const std::vector<int64_t> ys{g.n, g.o, 16, 16};
  const auto gyv = random_values(static_cast<size_t>(g.n * g.o * 256), rng);
  // grads of sum(y * gy): gx[n, c, ih, iw] += gy * w, gw[o, c, ki, kj] += gy * x
  std::vector<double> want_gx(xv.size(), 0.0), want_gw(wv.size(), 0.0);
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t o = 0; o < g.o; ++o)
      for (int64_t i = 0; i < 16; ++i)
        for (int64_t j = 0; j < 16; ++j)
          for (int64_t c = 0; c < g.c; ++c)
            for (int64_t ki = 0; ki < 3; ++ki)
              for (int64_t kj = 0; kj < 3; ++kj) {
                const int64_t ih = i - 1 + ki, iw = j - 1 + kj;
                if (ih < 0 || ih >= 16 || iw < 0 || iw >= 16) continue;
                const size_t xi = static_cast<size_t>(((n * g.c + c) * 16 + ih) * 16 + iw);
                const size_t wi = static_cast<size_t>(((o * g.c + c) * 3 + ki) * 3 + kj);
                const double gy = gyv[static_cast<size_t>(((n * g.o + o) * 16 + i) * 16 + j)];
                want_gx[xi] += gy * wv[wi];
                want_gw[wi] += gy * xv[xi];
              }
  const int32_t threads = tensor_get_num_threads();
  for (int32_t t : {2, 1}) {
    INFO(t << " threads");
    REQUIRE_OK(tensor_set_num_threads(t));
    Handle x = make<double>(xv, {g.n, g.c, g.h, g.w}), w = make<double>(wv, {g.o, g.c, 3, 3}), y, gx, gw;
    REQUIRE_OK(tensor_set_requires_grad(x, true));
    REQUIRE_OK(tensor_set_requires_grad(w, true));
    REQUIRE_OK(tensor_conv2d(y.out(), x, w, nullptr, nullptr, g.padding, nullptr, 1));
    check_close(values<double>(y), direct_conv2d(g, xv, wv, {}), 1e-11);
    Handle gy = make<double>(gyv, ys);
    REQUIRE_OK(tensor_backward(y, gy, false));
    REQUIRE_OK(tensor_grad(gx.out(), x));
    REQUIRE_OK(tensor_grad(gw.out(), w));
    check_close(values<double>(gx), want_gx, 1e-11);
    check_close(values<double>(gw), want_gw, 1e-10);
  }
  REQUIRE_OK(tensor_set_num_threads(threads));
}

TEST_CASE("conv2d: a hand-computed case, NULL parameters mean stride 1, padding 0, dilation 1") {
  std::vector<double> xs(16);
  for (size_t i = 0; i < 16; ++i) xs[i] = double(i + 1);  // 1..16 in a 4x4 image
  Handle x = make<double>(xs, {1, 1, 4, 4}), w = make<double>({1, 2, 3, 4}, {1, 1, 2, 2});
  Handle b = make<double>({0.5}, {1}), y;
  REQUIRE_OK(tensor_conv2d(y.out(), x, w, b, nullptr, nullptr, nullptr, 1));
  REQUIRE(shape_of(y) == std::vector<int64_t>{1, 1, 3, 3});
  // y[i, j] = x[i, j] + 2 x[i, j+1] + 3 x[i+1, j] + 4 x[i+1, j+1] + 0.5; x[i, j] = 4i + j + 1
  CHECK(values<double>(y) == std::vector<double>{44.5, 54.5, 64.5, 84.5, 94.5, 104.5, 124.5, 134.5, 144.5});
}

TEST_CASE("conv2d: grads of input, weight and bias of a hand-computed case") {
  Handle x = make<double>(std::vector<double>(16, 1.0), {1, 1, 4, 4}), w = make<double>({1, 1, 1, 1}, {1, 1, 2, 2});
  Handle b = make<double>({0}, {1});
  for (tensor* t : {x.get(), w.get(), b.get()}) REQUIRE_OK(tensor_set_requires_grad(t, true));
  Handle y, s, gx, gw, gb;
  REQUIRE_OK(tensor_conv2d(y.out(), x, w, b, nullptr, nullptr, nullptr, 1));
  REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  REQUIRE_OK(tensor_grad(gx.out(), x));
  REQUIRE_OK(tensor_grad(gw.out(), w));
  REQUIRE_OK(tensor_grad(gb.out(), b));
  // Each input pixel's grad counts the 2x2 windows covering it; each weight sees 9 ones; the bias 9 outputs.
  CHECK(values<double>(gx) == std::vector<double>{1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1});
  CHECK(values<double>(gw) == std::vector<double>{9, 9, 9, 9});
  CHECK(values<double>(gb) == std::vector<double>{9});
}

TEST_CASE("conv1d: hand-computed values, padding, unbatched input") {
  Handle x = make<double>({1, 2, 3, 4, 5}, {1, 1, 5}), w = make<double>({1, -1}, {1, 1, 2}), y;
  REQUIRE_OK(tensor_conv1d(y.out(), x, w, nullptr, nullptr, nullptr, nullptr, 1));
  REQUIRE(shape_of(y) == std::vector<int64_t>{1, 1, 4});
  CHECK(values<double>(y) == std::vector<double>{-1, -1, -1, -1});
  int64_t p[] = {1}, s[] = {2};
  REQUIRE_OK(tensor_conv1d(y.out(), x, w, nullptr, s, p, nullptr, 1));  // padded 0 1 2 3 4 5 0, stride 2
  CHECK(values<double>(y) == std::vector<double>{-1, -1, -1});
  Handle xu = make<double>({1, 2, 3, 4, 5}, {1, 5});
  REQUIRE_OK(tensor_conv1d(y.out(), xu, w, nullptr, nullptr, p, nullptr, 1));
  REQUIRE(shape_of(y) == std::vector<int64_t>{1, 6});
  CHECK(values<double>(y) == std::vector<double>{-1, -1, -1, -1, -1, 5});
}

TEST_CASE("conv_transpose2d: stride 2 spreads each pixel over a 2x2 block; output_padding and bias") {
  Handle x = make<double>({1, 2, 3, 4}, {1, 1, 2, 2}), w = make<double>({1, 1, 1, 1}, {1, 1, 2, 2}), y;
  int64_t s[] = {2, 2};
  REQUIRE_OK(tensor_conv_transpose2d(y.out(), x, w, nullptr, s, nullptr, nullptr, nullptr, 1));
  REQUIRE(shape_of(y) == std::vector<int64_t>{1, 1, 4, 4});
  CHECK(values<double>(y) == std::vector<double>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
  // output_padding adds a row and a column that no input reaches: only the bias lands there.
  int64_t op[] = {1, 1};
  Handle b = make<double>({10}, {1});
  REQUIRE_OK(tensor_conv_transpose2d(y.out(), x, w, b, s, nullptr, op, nullptr, 1));
  REQUIRE(shape_of(y) == std::vector<int64_t>{1, 1, 5, 5});
  const auto v = values<double>(y);
  CHECK(v[0] == 11);
  CHECK(v[4] == 10);
  CHECK(v[24] == 10);
  CHECK(v[18] == 14);
}

TEST_CASE("conv_transpose2d: equals the input grad of conv2d with the same weight (groups, stride, padding)") {
  // conv_transpose2d(g, W) is d/dx <conv2d(x, W), g>.
  std::mt19937 rng(7);
  const Geometry g{2, 4, 6, 5, 6, 3, 2, {2, 1}, {1, 1}, {1, 2}, 2};
  const std::vector<int64_t> xs{g.n, g.c, g.h, g.w}, ws{g.o, g.c / g.groups, g.kh, g.kw};
  Handle x = make<double>(random_values(static_cast<size_t>(g.n * g.c * g.h * g.w), rng), xs);
  Handle w = make<double>(random_values(static_cast<size_t>(g.o * 2 * g.kh * g.kw), rng), ws);
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  Handle y, gx, yt;
  REQUIRE_OK(tensor_conv2d(y.out(), x, w, nullptr, g.stride, g.padding, g.dilation, g.groups));
  Handle gy = make<double>(random_values(static_cast<size_t>(tensor_numel(y)), rng), shape_of(y));
  REQUIRE_OK(tensor_backward(y, gy, false));
  REQUIRE_OK(tensor_grad(gx.out(), x));
  // The output size of the transposed convolution is ambiguous by stride - 1: output_padding picks it.
  int64_t op[] = {(g.h + 2 * g.padding[0] - g.dilation[0] * (g.kh - 1) - 1) % g.stride[0],
                  (g.w + 2 * g.padding[1] - g.dilation[1] * (g.kw - 1) - 1) % g.stride[1]};
  REQUIRE_OK(tensor_conv_transpose2d(yt.out(), gy, w, nullptr, g.stride, g.padding, op, g.dilation, g.groups));
  REQUIRE(shape_of(yt) == xs);
  check_close(values<double>(yt), values<double>(gx), 1e-12);
}

TEST_CASE("conv2d: batch 0 gives an empty output and zero weight grads") {
  Handle x, w = make<double>(std::vector<double>(54, 1.0), {3, 2, 3, 3}), y, s, gw;
  tensor_options o = opts_of(TENSOR_FLOAT64);
  int64_t xs[] = {0, 2, 5, 5};
  REQUIRE_OK(tensor_zeros(x.out(), xs, 4, &o));
  REQUIRE_OK(tensor_set_requires_grad(w, true));
  REQUIRE_OK(tensor_conv2d(y.out(), x, w, nullptr, nullptr, nullptr, nullptr, 1));
  REQUIRE(shape_of(y) == std::vector<int64_t>{0, 3, 3, 3});
  REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  REQUIRE_OK(tensor_grad(gw.out(), w));
  CHECK(values<double>(gw) == std::vector<double>(54, 0.0));
}

TEST_CASE("conv: grad_fn is ConvolutionBackward0") {
  Handle x = make<double>(std::vector<double>(8, 1.0), {1, 2, 4}), w = make<double>({1, 1, 1, 1}, {1, 2, 2}), y;
  REQUIRE_OK(tensor_set_requires_grad(w, true));
  REQUIRE_OK(tensor_conv1d(y.out(), x, w, nullptr, nullptr, nullptr, nullptr, 1));
  CHECK(format_of(y).find("grad_fn=<ConvolutionBackward0>") != std::string::npos);
}

TEST_CASE("conv: bad input is a status with PyTorch's message, never a crash") {
  Handle x = make<float>(std::vector<float>(100, 1.f), {1, 4, 5, 5});
  Handle w = make<float>(std::vector<float>(72, 1.f), {4, 2, 3, 3}), y;
  // NULL out, input, weight
  require_status(tensor_conv2d(nullptr, x, w, nullptr, nullptr, nullptr, nullptr, 1), TENSOR_ERR_INVALID_ARGUMENT,
                 "NULL");
  require_status(tensor_conv2d(y.out(), nullptr, w, nullptr, nullptr, nullptr, nullptr, 1), TENSOR_ERR_INVALID_ARGUMENT,
                 "input");
  require_status(tensor_conv1d(y.out(), x, nullptr, nullptr, nullptr, nullptr, nullptr, 1), TENSOR_ERR_INVALID_ARGUMENT,
                 "weight");
  require_status(tensor_conv_transpose2d(y.out(), nullptr, w, nullptr, nullptr, nullptr, nullptr, nullptr, 1),
                 TENSOR_ERR_INVALID_ARGUMENT, "input");
  // ranks
  Handle w3 = make<float>(std::vector<float>(24, 1.f), {4, 2, 3});
  require_status(tensor_conv2d(y.out(), x, w3, nullptr, nullptr, nullptr, nullptr, 2), TENSOR_ERR_SHAPE,
                 "expected weight to be 4-dimensional");
  Handle x2 = make<float>(std::vector<float>(20, 1.f), {4, 5});
  require_status(tensor_conv2d(y.out(), x2, w, nullptr, nullptr, nullptr, nullptr, 2), TENSOR_ERR_SHAPE,
                 "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [4, 5]");
  require_status(tensor_conv1d(y.out(), x, w, nullptr, nullptr, nullptr, nullptr, 2), TENSOR_ERR_SHAPE,
                 "expected weight to be 3-dimensional");
  // channels and groups
  require_status(tensor_conv2d(y.out(), x, w, nullptr, nullptr, nullptr, nullptr, 1), TENSOR_ERR_SHAPE,
                 "Given groups=1, weight of size [4, 2, 3, 3], expected input[1, 4, 5, 5] to have 2 channels, but got "
                 "4 channels instead");
  require_status(tensor_conv2d(y.out(), x, w, nullptr, nullptr, nullptr, nullptr, 3), TENSOR_ERR_SHAPE,
                 "Given groups=3, expected weight to be divisible by 3 at dimension 0");
  Handle w0 = make<float>({}, {0, 2, 3, 3});
  require_status(tensor_conv2d(y.out(), x, w0, nullptr, nullptr, nullptr, nullptr, 2), TENSOR_ERR_SHAPE,
                 "expected weight to be at least 1 at dimension 0");
  require_status(tensor_conv_transpose2d(y.out(), x, w3, nullptr, nullptr, nullptr, nullptr, nullptr, 1),
                 TENSOR_ERR_SHAPE, "expected weight to be 4-dimensional");
  Handle wt = make<float>(std::vector<float>(54, 1.f), {3, 2, 3, 3});
  require_status(tensor_conv_transpose2d(y.out(), x, wt, nullptr, nullptr, nullptr, nullptr, nullptr, 1),
                 TENSOR_ERR_SHAPE,
                 "Given transposed=1, weight of size [3, 2, 3, 3], expected input[1, 4, 5, 5] to have 3");
  // bias
  Handle b3 = make<float>({1, 2, 3}, {3});
  require_status(tensor_conv2d(y.out(), x, w, b3, nullptr, nullptr, nullptr, 2), TENSOR_ERR_SHAPE,
                 "expected bias to be 1-dimensional with 4 elements, but got bias of size [3] instead");
  // kernel larger than the padded input
  Handle big = make<float>(std::vector<float>(4 * 2 * 7 * 7, 1.f), {4, 2, 7, 7});
  require_status(tensor_conv2d(y.out(), x, big, nullptr, nullptr, nullptr, nullptr, 2), TENSOR_ERR_SHAPE,
                 "Calculated padded input size per channel: (5 x 5). Kernel size: (7 x 7). Kernel size can't be "
                 "greater than actual input size");
  int64_t d3[] = {3, 3};
  require_status(tensor_conv2d(y.out(), x, w, nullptr, nullptr, nullptr, d3, 2), TENSOR_ERR_SHAPE,
                 "Kernel size: (7 x 7)");
  // parameters
  const int64_t zero[] = {0, 1}, neg[] = {1, -1};
  const ParamCase params[] = {
      {zero, nullptr, nullptr, 2, TENSOR_ERR_INVALID_ARGUMENT, "non-positive stride is not supported"},
      {nullptr, neg, nullptr, 2, TENSOR_ERR_INVALID_ARGUMENT, "negative padding is not supported"},
      {nullptr, nullptr, zero, 2, TENSOR_ERR_INVALID_ARGUMENT, "dilation should be greater than zero, but got [0, 1]"},
      {nullptr, nullptr, nullptr, 0, TENSOR_ERR_INVALID_ARGUMENT, "non-positive groups is not supported"},
  };
  for (const ParamCase& c : params) require_param_status(x, w, c);
  int64_t op1[] = {1, 1};
  Handle wt4 = make<float>(std::vector<float>(144, 1.f), {4, 4, 3, 3});
  require_status(tensor_conv_transpose2d(y.out(), x, wt4, nullptr, nullptr, nullptr, op1, nullptr, 1), TENSOR_ERR_SHAPE,
                 "output padding must be smaller than either stride or dilation");
  Handle x1 = make<float>(std::vector<float>(4, 1.f), {1, 4, 1, 1}),
         w1 = make<float>(std::vector<float>(16, 1.f), {4, 4, 1, 1});
  int64_t p1[] = {1, 1};
  require_status(tensor_conv_transpose2d(y.out(), x1, w1, nullptr, nullptr, p1, nullptr, nullptr, 1), TENSOR_ERR_SHAPE,
                 "Given input size per channel: (1 x 1). Calculated output size per channel: (-1 x -1). Output size is "
                 "too small");
  // dtypes
  Handle xd = make<double>(std::vector<double>(100, 1.0), {1, 4, 5, 5});
  require_status(tensor_conv2d(y.out(), xd, w, nullptr, nullptr, nullptr, nullptr, 2), TENSOR_ERR_DTYPE,
                 "Input type (float64) and weight type (float32) should be the same");
  Handle xi = make<int64_t>(std::vector<int64_t>(100, 1), {1, 4, 5, 5});
  require_status(tensor_conv2d(y.out(), xi, w, nullptr, nullptr, nullptr, nullptr, 2), TENSOR_ERR_DTYPE,
                 "expected a floating point input");
  Handle bd = make<double>({1, 2, 3, 4}, {4});
  require_status(tensor_conv2d(y.out(), x, w, bd, nullptr, nullptr, nullptr, 2), TENSOR_ERR_DTYPE, "bias type");
  CHECK(y.get() == nullptr);  // no result on failure
}

TEST_CASE("conv: hostile sizes are a clear status") {
  Handle x = make<float>(std::vector<float>(16, 1.f), {1, 1, 4, 4}), w = make<float>({1}, {1, 1, 1, 1}), y;
  const int64_t huge[] = {int64_t(1) << 40, 1}, edge[] = {int64_t(1) << 32, int64_t(1) << 32};
  const ParamCase params[] = {
      {huge, nullptr, nullptr, 1, TENSOR_ERR_INVALID_ARGUMENT, "at most"},
      {nullptr, huge, nullptr, 1, TENSOR_ERR_INVALID_ARGUMENT, "at most"},
      {nullptr, nullptr, huge, 1, TENSOR_ERR_INVALID_ARGUMENT, "at most"},
      {nullptr, nullptr, nullptr, INT64_MAX, TENSOR_ERR_SHAPE, "groups"},
  };
  for (const ParamCase& c : params) require_param_status(x, w, c);
  // A legal padding whose output (about 2^33 x 2^33 elements) cannot exist: refused, not allocated.
  tensor_status st = tensor_conv2d(y.out(), x, w, nullptr, nullptr, edge, nullptr, 1);
  INFO(tensor_last_error());
  CHECK(st != TENSOR_OK);
  CHECK(std::string(tensor_last_error()).size() > 0);
  CHECK(y.get() == nullptr);
  // A zero batch carries any extent: the output is empty and nothing is allocated.
  Handle e, wbig;
  tensor_options o = opts_of(TENSOR_FLOAT32);
  int64_t xs[] = {0, 1, int64_t(1) << 28, int64_t(1) << 28}, ws[] = {2, 1, 3, 3};
  REQUIRE_OK(tensor_empty(e.out(), xs, 4, &o));
  REQUIRE_OK(tensor_empty(wbig.out(), ws, 4, &o));
  REQUIRE_OK(tensor_conv2d(y.out(), e, wbig, nullptr, nullptr, nullptr, nullptr, 1));
  CHECK(shape_of(y) == std::vector<int64_t>{0, 2, (int64_t(1) << 28) - 2, (int64_t(1) << 28) - 2});
  int64_t xs2[] = {0, 1, 4, 4}, ws2[] = {1, 1, int64_t(1) << 62, 1};
  Handle e2, w2;
  REQUIRE_OK(tensor_empty(e2.out(), xs2, 4, &o));
  if (tensor_empty(w2.out(), ws2, 4, &o) == TENSOR_OK)  // a kernel extent beyond the padded input
    require_status(tensor_conv2d(y.out(), e2, w2, nullptr, nullptr, nullptr, nullptr, 1), TENSOR_ERR_SHAPE,
                   "Kernel size");
}

TEST_CASE("conv: the C++ wrapper (int-or-tuple parameters, torch's defaults and argument order)") {
  using libtensor::Tensor;
  std::vector<double> xs(16);
  for (size_t i = 0; i < 16; ++i) xs[i] = double(i + 1);
  Tensor x = libtensor::from_vector(xs, {1, 1, 4, 4});
  Tensor w = libtensor::from_vector(std::vector<double>{1, 2, 3, 4}, {1, 1, 2, 2});
  Tensor b = libtensor::from_vector(std::vector<double>{0.5}, {1});
  CHECK(libtensor::conv2d(x, w, b).to_vector<double>() ==
        std::vector<double>{44.5, 54.5, 64.5, 84.5, 94.5, 104.5, 124.5, 134.5, 144.5});
  Tensor y = libtensor::conv2d(x, w, Tensor(), {2}, {1, 0});  // stride 2 for both dims, padding (1, 0)
  CHECK(y.shape() == std::vector<int64_t>{1, 1, 3, 2});
  CHECK_THROWS_AS(libtensor::conv2d(x, w, b, {1, 2, 3}), libtensor::Error);
  Tensor x1 = libtensor::from_vector(std::vector<double>{1, 2, 3, 4, 5}, {1, 5});
  Tensor w1 = libtensor::from_vector(std::vector<double>{1, -1}, {1, 1, 2});
  CHECK(libtensor::conv1d(x1, w1, Tensor(), {1}, {1}).to_vector<double>() ==
        std::vector<double>{-1, -1, -1, -1, -1, 5});
  Tensor xt = libtensor::from_vector(std::vector<double>{1, 2, 3, 4}, {1, 1, 2, 2});
  Tensor wt = libtensor::from_vector(std::vector<double>{1, 1, 1, 1}, {1, 1, 2, 2});
  Tensor yt = libtensor::conv_transpose2d(xt, wt, Tensor(), {2}, {0}, {1}, 1, {1});
  CHECK(yt.shape() == std::vector<int64_t>{1, 1, 5, 5});
  try {
    libtensor::conv2d(x, w, Tensor(), {1}, {0}, {0});
    FAIL("no throw");
  } catch (const libtensor::Error& e) {
    CHECK(e.status() == TENSOR_ERR_INVALID_ARGUMENT);
    CHECK(std::string(e.what()).find("dilation should be greater than zero") != std::string::npos);
  }
}
