// Grads of the reductions: every formula against central differences in float64 (eps 1e-6, atol 1e-5,
// rtol 1e-3), on contiguous and transposed inputs; prod with one and with several zeros; the exact
// splitting of max/min ties; the grad_fn names PyTorch prints.
#include <cmath>
#include <functional>
#include <random>
#include <string>

#include "test_util.h"

namespace {

using Dims = std::vector<int32_t>;
using OpFn = std::function<tensor_status(tensor**, const tensor*)>;

// op applied to the input, or to its transpose (a non-contiguous view inside the graph)
OpFn on_transpose(OpFn op) {
  return [op](tensor** out, const tensor* x) {
    Handle t;
    tensor_status st = tensor_transpose(t.out(), x, 0, -1);
    if (st != TENSOR_OK) return st;
    return op(out, t);
  };
}

OpFn dims_op(tensor_status (*fn)(tensor**, const tensor*, const int32_t*, int32_t, bool), Dims dims, bool keep) {
  return [fn, dims, keep](tensor** out, const tensor* x) {
    return fn(out, x, dims.empty() ? nullptr : dims.data(), static_cast<int32_t>(dims.size()), keep);
  };
}
OpFn var_op(bool std_dev, Dims dims, int64_t correction, bool keep) {
  return [=](tensor** out, const tensor* x) {
    auto fn = std_dev ? tensor_std : tensor_var;
    return fn(out, x, dims.empty() ? nullptr : dims.data(), static_cast<int32_t>(dims.size()), correction, keep);
  };
}
OpFn extreme_dim_op(bool is_max, int32_t dim, bool keep) {
  return [=](tensor** out, const tensor* x) {
    Handle indices;
    auto fn = is_max ? tensor_max_dim : tensor_min_dim;
    return fn(out, indices.out(), x, dim, keep);
  };
}

struct GradCase {
  const char* name;
  std::vector<int64_t> shape;
  OpFn fn;
  std::vector<double> data;  // empty: random values in (-2, 2)
};

Handle leaf(const std::vector<double>& v, const std::vector<int64_t>& shape, bool requires_grad) {
  Handle h = make<double>(v, shape);
  if (requires_grad) REQUIRE_OK(tensor_set_requires_grad(h, true));
  return h;
}

double weighted(const OpFn& fn, const std::vector<double>& x, const std::vector<int64_t>& shape,
                const std::vector<double>& w) {
  Handle in = leaf(x, shape, false), out;
  REQUIRE_OK(fn(out.out(), in));
  std::vector<double> y = values<double>(out);
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += y[i] * w[i];
  return s;
}

void gradcheck(const GradCase& c, std::mt19937& rng) {
  INFO("case: " << c.name);
  int64_t n = 1;
  for (int64_t s : c.shape) n *= s;
  std::vector<double> x = c.data;
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  if (x.empty())
    for (int64_t i = 0; i < n; ++i) x.push_back(u(rng));
  Handle in = leaf(x, c.shape, true), out;
  REQUIRE_OK(c.fn(out.out(), in));
  std::vector<double> w(static_cast<size_t>(tensor_numel(out)));
  for (double& v : w) v = u(rng);
  Handle grad_out = make<double>(w, shape_of(out)), grad;
  REQUIRE_OK(tensor_backward(out, grad_out, false));
  REQUIRE_OK(tensor_grad(grad.out(), in));
  REQUIRE(grad.get() != nullptr);
  REQUIRE(shape_of(grad) == c.shape);
  std::vector<double> analytic = values<double>(grad);
  const double eps = 1e-6;
  for (int64_t i = 0; i < n; ++i) {
    std::vector<double> xp = x, xm = x;
    xp[static_cast<size_t>(i)] += eps;
    xm[static_cast<size_t>(i)] -= eps;
    const double numeric = (weighted(c.fn, xp, c.shape, w) - weighted(c.fn, xm, c.shape, w)) / (2 * eps);
    INFO("element " << i);
    CHECK(std::fabs(analytic[static_cast<size_t>(i)] - numeric) <= 1e-5 + 1e-3 * std::fabs(numeric));
  }
}

std::string grad_fn_of(const OpFn& fn) {
  Handle x = leaf({1, 2, 3, 4, 5, 7}, {2, 3}, true), y;
  REQUIRE_OK(fn(y.out(), x));
  std::string s = format_of(y);
  size_t at = s.find("grad_fn=<");
  if (at == std::string::npos) return s;
  return s.substr(at + 9, s.find('>', at) - at - 9);
}

}  // namespace

TEST_CASE("reduction grads match central differences in float64") {
  std::mt19937 rng(1234);
  const std::vector<GradCase> cases = {
      {"sum all", {2, 3, 4}, dims_op(tensor_sum, {}, false), {}},
      {"sum dims {0, 2}", {2, 3, 4}, dims_op(tensor_sum, {0, 2}, false), {}},
      {"sum dim -1 keepdim", {2, 3, 4}, dims_op(tensor_sum, {-1}, true), {}},
      {"sum of a transpose", {3, 4}, on_transpose(dims_op(tensor_sum, {1}, false)), {}},
      {"mean all", {3, 4}, dims_op(tensor_mean, {}, false), {}},
      {"mean dim 1", {2, 3, 4}, dims_op(tensor_mean, {1}, false), {}},
      {"mean of a transpose keepdim", {3, 4}, on_transpose(dims_op(tensor_mean, {0}, true)), {}},
      {"prod all", {2, 3}, dims_op(tensor_prod, {}, false), {}},
      {"prod dim 1", {3, 4}, dims_op(tensor_prod, {1}, false), {}},
      {"prod all, one zero", {2, 3}, dims_op(tensor_prod, {}, false), {1.5, -0.5, 0, 2, 1.25, -1}},
      {"prod all, two zeros", {2, 3}, dims_op(tensor_prod, {}, false), {1.5, 0, 0, 2, 1.25, -1}},
      {"prod dim 1, rows with 0, 1 and 2 zeros", {3, 3}, dims_op(tensor_prod, {1}, true),
       {1.5, -0.5, 2, 0, 1.25, -1, 0, 0.75, 0}},
      {"prod dim 0 of a transpose with zeros", {3, 2}, on_transpose(dims_op(tensor_prod, {0}, false)),
       {0, 2, 1.5, 0, -1, 0}},
      {"var all", {3, 4}, var_op(false, {}, 1, false), {}},
      {"var dim 0, correction 0", {3, 4}, var_op(false, {0}, 0, false), {}},
      {"var dims {0, 2} keepdim, correction 2", {3, 2, 4}, var_op(false, {0, 2}, 2, true), {}},
      {"std all", {3, 4}, var_op(true, {}, 1, false), {}},
      {"std dim 1 of a transpose", {3, 4}, on_transpose(var_op(true, {1}, 1, false)), {}},
      {"max all", {3, 4}, [](tensor** o, const tensor* x) { return tensor_max(o, x); }, {}},
      {"min all", {3, 4}, [](tensor** o, const tensor* x) { return tensor_min(o, x); }, {}},
      {"max dim 1", {3, 4}, extreme_dim_op(true, 1, false), {}},
      {"min dim -2 keepdim", {3, 4}, extreme_dim_op(false, -2, true), {}},
      {"max dim 0 of a transpose", {3, 4}, on_transpose(extreme_dim_op(true, 0, false)), {}},
  };
  for (const GradCase& c : cases) gradcheck(c, rng);
}

TEST_CASE("max/min over all elements share the grad evenly among ties (and among NaNs)") {
  Handle x = leaf({1, 5, 5, 2, 5, 0}, {2, 3}, true), y, g;
  REQUIRE_OK(tensor_max(y.out(), x));
  REQUIRE_OK(tensor_backward(y, nullptr, false));
  REQUIRE_OK(tensor_grad(g.out(), x));
  std::vector<double> third(6, 0.0);
  third[1] = third[2] = third[4] = 1.0 / 3;
  CHECK(values<double>(g) == third);
  Handle xn = leaf({1, NAN, 5, NAN}, {4}, true), yn, gn;
  REQUIRE_OK(tensor_min(yn.out(), xn));
  REQUIRE_OK(tensor_backward(yn, nullptr, false));
  REQUIRE_OK(tensor_grad(gn.out(), xn));
  CHECK(values<double>(gn) == std::vector<double>{0, 0.5, 0, 0.5});
}

TEST_CASE("max_dim sends the grad to the reported index only (first of ties)") {
  Handle x = leaf({3, 7, 7, 1, 2, 2}, {2, 3}, true), v, i, s, g;
  REQUIRE_OK(tensor_max_dim(v.out(), i.out(), x, 1, false));
  REQUIRE_OK(tensor_sum(s.out(), v, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  REQUIRE_OK(tensor_grad(g.out(), x));
  CHECK(values<double>(g) == std::vector<double>{0, 1, 0, 0, 1, 0});
}

TEST_CASE("the seed cell: x.pow(3).sum() is 917 with grad 3 x^2") {
  Handle x = leaf({5, 8, 4, 6}, {2, 2}, true), p, y, g;
  REQUIRE_OK(tensor_pow_scalar(p.out(), x, 3));
  REQUIRE_OK(tensor_sum(y.out(), p, nullptr, 0, false));
  CHECK(values<double>(y) == std::vector<double>{917});
  REQUIRE_OK(tensor_backward(y, nullptr, false));
  REQUIRE_OK(tensor_grad(g.out(), x));
  CHECK(values<double>(g) == std::vector<double>{75, 192, 48, 108});
}

TEST_CASE("reduction grad_fn names are PyTorch's") {
  CHECK(grad_fn_of(dims_op(tensor_sum, {}, false)) == "SumBackward0");
  CHECK(grad_fn_of(dims_op(tensor_sum, {1}, false)) == "SumBackward1");
  CHECK(grad_fn_of(dims_op(tensor_mean, {}, false)) == "MeanBackward0");
  CHECK(grad_fn_of(dims_op(tensor_mean, {0}, true)) == "MeanBackward1");
  CHECK(grad_fn_of(dims_op(tensor_prod, {}, false)) == "ProdBackward0");
  CHECK(grad_fn_of(dims_op(tensor_prod, {1}, false)) == "ProdBackward1");
  CHECK(grad_fn_of(var_op(false, {}, 1, false)) == "VarBackward0");
  CHECK(grad_fn_of(var_op(true, {1}, 1, false)) == "StdBackward0");
  CHECK(grad_fn_of([](tensor** o, const tensor* x) { return tensor_max(o, x); }) == "MaxBackward1");
  CHECK(grad_fn_of([](tensor** o, const tensor* x) { return tensor_min(o, x); }) == "MinBackward1");
  CHECK(grad_fn_of(extreme_dim_op(true, 1, false)) == "MaxBackward0");
  CHECK(grad_fn_of(extreme_dim_op(false, 0, false)) == "MinBackward0");
}

TEST_CASE("argmax, all and any record no graph; indices need no grad") {
  Handle x = leaf({1, 2, 3, 4}, {2, 2}, true), a, v, i;
  REQUIRE_OK(tensor_argmax(a.out(), x, 1, false));
  CHECK_FALSE(tensor_requires_grad(a));
  REQUIRE_OK(tensor_any(a.out(), x, nullptr, 0, false));
  CHECK_FALSE(tensor_requires_grad(a));
  REQUIRE_OK(tensor_max_dim(v.out(), i.out(), x, 0, false));
  CHECK(tensor_requires_grad(v));
  CHECK_FALSE(tensor_requires_grad(i));
}

TEST_CASE("a reduction's saved input modified in place makes backward fail") {
  Handle x = leaf({1, 2, 3}, {3}, true), c, y, one = make<double>({1}, {1});
  REQUIRE_OK(tensor_mul_scalar(c.out(), x, 2.0));
  REQUIRE_OK(tensor_prod(y.out(), c, nullptr, 0, false));
  REQUIRE_OK(tensor_add_(c, one));
  CHECK(tensor_backward(y, nullptr, false) == TENSOR_ERR_AUTOGRAD);
}
