// conv1d, conv2d and conv_transpose2d on CUDA against the CPU on the same inputs: forward values and the
// grads of input, weight and bias (of sum(out * r)), in float32 and float64, over strides, paddings,
// dilations, groups, depthwise, 1x1, a non-contiguous input and batch 0. Both sides sum the same products
// through GEMMs that order them differently, so the results are compared norm-wise: each element within
// tol * (1 + max |cpu|), tol a few hundred epsilons of the dtype (TF32 is off by default).
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "test_cuda_util.h"

namespace {

using ConvFn = std::function<tensor_status(tensor**, const tensor* x, const tensor* w, const tensor* b)>;

void require_close(const tensor* got, const tensor* want) {
  REQUIRE(tensor_get_dtype(got) == tensor_get_dtype(want));
  REQUIRE(shape_of(got) == shape_of(want));
  const double eps = tensor_get_dtype(want) == TENSOR_FLOAT32 ? std::numeric_limits<float>::epsilon()
                                                              : std::numeric_limits<double>::epsilon();
  const std::vector<double> g = values<double>(got), w = values<double>(want);
  double scale = 1;
  for (double v : w) scale = std::max(scale, std::fabs(v));
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < w.size(); ++i)
    if (!(std::fabs(g[i] - w[i]) <= 256 * eps * scale) && bad++ == 0) first = i;
  INFO("mismatches: " << bad << " of " << w.size() << "; first at " << first << ": cuda " << (bad ? g[first] : 0.0)
                      << " vs cpu " << (bad ? w[first] : 0.0));
  REQUIRE(bad == 0);
}

// Runs f on (x, w, b) on the CPU and on CUDA; compares the outputs and the grads of x, w and b.
void same_conv(const char* what, const ConvFn& f, const tensor* x_cpu, const tensor* w_cpu, const tensor* b_cpu) {
  INFO(what);
  std::vector<Handle> outs, gx, gw, gb;
  for (bool cuda : {false, true}) {
    Handle x = cuda ? to_cuda(x_cpu) : to_cpu(x_cpu), w = cuda ? to_cuda(w_cpu) : to_cpu(w_cpu);
    Handle b = cuda ? to_cuda(b_cpu) : to_cpu(b_cpu);
    for (tensor* t : {x.get(), w.get(), b.get()}) REQUIRE_OK(tensor_set_requires_grad(t, true));
    Handle out;
    REQUIRE_OK(f(out.out(), x, w, b));
    REQUIRE(tensor_get_device(out).type == (cuda ? TENSOR_CUDA : TENSOR_CPU));
    Handle r_cpu = make_typed(tensor_get_dtype(out), shape_of(out), 77, false);
    Handle r = cuda ? to_cuda(r_cpu) : std::move(r_cpu);
    Handle prod, loss;
    REQUIRE_OK(tensor_mul(prod.out(), out, r));
    REQUIRE_OK(tensor_sum(loss.out(), prod, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(loss, nullptr, false));
    auto grab = [&](std::vector<Handle>& into, const tensor* t) {
      Handle g;
      REQUIRE_OK(tensor_grad(g.out(), t));
      REQUIRE(g.get() != nullptr);
      into.push_back(to_cpu(g));
    };
    grab(gx, x);
    grab(gw, w);
    grab(gb, b);
    outs.push_back(to_cpu(out));
  }
  require_close(outs[1], outs[0]);
  require_close(gx[1], gx[0]);
  require_close(gw[1], gw[0]);
  require_close(gb[1], gb[0]);
}

struct Case2d {
  const char* name;
  std::vector<int64_t> x, w;
  int64_t stride[2], padding[2], dilation[2], groups;
};

}  // namespace

TEST_CASE("cuda conv: conv2d matches the CPU, forward and grads") {
  const Case2d cases[] = {
      {"3x3 padding 1", {4, 3, 9, 8}, {8, 3, 3, 3}, {1, 1}, {1, 1}, {1, 1}, 1},
      {"stride 2, padding (1, 2)", {3, 4, 11, 10}, {6, 4, 3, 2}, {2, 2}, {1, 2}, {1, 1}, 1},
      {"dilation 2", {2, 3, 12, 9}, {5, 3, 3, 3}, {1, 2}, {0, 1}, {2, 2}, 1},
      {"groups 2", {3, 6, 7, 7}, {4, 3, 3, 3}, {1, 1}, {1, 1}, {1, 1}, 2},
      {"depthwise", {2, 8, 9, 9}, {8, 1, 3, 3}, {2, 1}, {1, 1}, {1, 1}, 8},
      {"1x1", {5, 16, 6, 6}, {12, 16, 1, 1}, {1, 1}, {0, 0}, {1, 1}, 1},
      {"batch 0", {0, 3, 6, 6}, {4, 3, 3, 3}, {1, 1}, {1, 1}, {1, 1}, 1},
  };
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    INFO("dtype " << dt);
    for (const Case2d& c : cases) {
      Handle x = make_typed(dt, c.x, 3, false), w = make_typed(dt, c.w, 4, false);
      Handle b = make_typed(dt, {c.w[0]}, 5, false);
      same_conv(
          c.name,
          [&](tensor** o, const tensor* a, const tensor* wt, const tensor* bb) {
            return tensor_conv2d(o, a, wt, bb, c.stride, c.padding, c.dilation, c.groups);
          },
          x, w, b);
    }
    // A non-contiguous input: (N, C, W, H) transposed to (N, C, H, W).
    Handle x = make_typed(dt, {3, 4, 7, 9}, 6, false), xt;
    REQUIRE_OK(tensor_transpose(xt.out(), x, 2, 3));
    Handle w = make_typed(dt, {5, 4, 3, 3}, 7, false), b = make_typed(dt, {5}, 8, false);
    same_conv(
        "transposed input",
        [](tensor** o, const tensor* a, const tensor* wt, const tensor* bb) {
          int64_t p[] = {1, 1};
          return tensor_conv2d(o, a, wt, bb, nullptr, p, nullptr, 1);
        },
        xt, w, b);
  }
}

TEST_CASE("cuda conv: conv1d and conv_transpose2d match the CPU, forward and grads") {
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    INFO("dtype " << dt);
    Handle x1 = make_typed(dt, {4, 6, 20}, 11, false), w1 = make_typed(dt, {9, 2, 4}, 12, false);
    Handle b1 = make_typed(dt, {9}, 13, false);
    same_conv(
        "conv1d stride 2, padding 2, dilation 2, groups 3",
        [](tensor** o, const tensor* a, const tensor* wt, const tensor* bb) {
          int64_t s[] = {2}, p[] = {2}, d[] = {2};
          return tensor_conv1d(o, a, wt, bb, s, p, d, 3);
        },
        x1, w1, b1);
    // conv_transpose2d: weight shape, stride, padding, output_padding, dilation, groups
    const struct {
      const char* name;
      std::vector<int64_t> w;
      int64_t s[2], p[2], op[2], d[2], groups;
    } transposed[] = {
        {"conv_transpose2d stride 2, padding 1, output_padding 1, groups 2",
         {4, 3, 3, 3},
         {2, 2},
         {1, 1},
         {1, 1},
         {1, 1},
         2},
        {"conv_transpose2d dilation (2, 1), stride (1, 3), output_padding (1, 2)",
         {4, 2, 2, 3},
         {1, 3},
         {0, 0},
         {1, 2},
         {2, 1},
         1},
    };
    Handle xt = make_typed(dt, {3, 4, 5, 6}, 14, false);
    uint32_t seed = 15;
    for (const auto& c : transposed) {
      Handle wt = make_typed(dt, c.w, seed++, false), bt = make_typed(dt, {c.w[1] * c.groups}, seed++, false);
      same_conv(
          c.name,
          [&](tensor** o, const tensor* a, const tensor* w, const tensor* bb) {
            return tensor_conv_transpose2d(o, a, w, bb, c.s, c.p, c.op, c.d, c.groups);
          },
          xt, wt, bt);
    }
  }
}

TEST_CASE("cuda conv: a CPU weight with a CUDA input is TENSOR_ERR_DEVICE") {
  Handle x = make_typed(TENSOR_FLOAT32, {1, 2, 5, 5}, 1, false), w = make_typed(TENSOR_FLOAT32, {3, 2, 3, 3}, 2, false);
  Handle xc = to_cuda(x), y;
  REQUIRE(tensor_conv2d(y.out(), xc, w, nullptr, nullptr, nullptr, nullptr, 1) == TENSOR_ERR_DEVICE);
  REQUIRE(y.get() == nullptr);
}
