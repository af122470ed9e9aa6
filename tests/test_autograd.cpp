// Autograd behaviour: the seed cell, accumulation, retain_graph, grad mode, detach, errors, memory.
#include "test_util.h"

namespace {
Handle leaf(const std::vector<double>& v, const std::vector<int64_t>& shape) {
  Handle h = make<double>(v, shape);
  REQUIRE_OK(tensor_set_requires_grad(h, true));
  return h;
}
Handle grad_of(const tensor* t) {
  Handle g;
  REQUIRE_OK(tensor_grad(g.out(), t));
  return g;
}
}  // namespace

TEST_CASE("the seed cell: x.pow(3).sum() -> 917, x.grad = 3 x^2") {
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.requires_grad = true;
  float data[] = {5, 8, 4, 6};
  int64_t shape[] = {2, 2};
  Handle x, p, y;
  REQUIRE_OK(tensor_from_data(x.out(), data, shape, 2, &o));
  REQUIRE_OK(tensor_pow_scalar(p.out(), x, 3));
  REQUIRE_OK(tensor_sum(y.out(), p, nullptr, 0, false));
  double v;
  REQUIRE_OK(tensor_item(y, &v));
  CHECK(v == 917.0);
  CHECK_FALSE(tensor_is_leaf(y));
  CHECK(format_of(y) == "tensor(917., grad_fn=<SumBackward0>)");
  REQUIRE_OK(tensor_backward(y, nullptr, false));
  Handle g = grad_of(x);
  CHECK(values<float>(g) == std::vector<float>{75, 192, 48, 108});
  CHECK(format_of(g) == "tensor([[ 75., 192.],\n        [ 48., 108.]])");
}

TEST_CASE("grads accumulate over two backward calls; zero_grad clears") {
  Handle x = leaf({1, 2, 3}, {3});
  for (int i = 0; i < 2; ++i) {
    Handle y, s;
    REQUIRE_OK(tensor_mul(y.out(), x, x));
    REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(s, nullptr, false));
  }
  CHECK(values<double>(grad_of(x)) == std::vector<double>{4, 8, 12});
  REQUIRE_OK(tensor_zero_grad(x));
  Handle none;
  REQUIRE_OK(tensor_grad(none.out(), x));
  CHECK(none.get() == nullptr);
}

TEST_CASE("x * x: the grad is g*x + g*x bitwise, for leaves, non-leaves, views and broadcast grads") {
  // The grad of a product of a tensor with itself is computed in one fused pass (2 * g * x); doubling
  // is exact, so it must equal the two-product sum PyTorch forms, to the bit.
  Handle x = leaf({0.1, -2.5, 3.3, 1e-3, 7.25, -0.7}, {2, 3});
  Handle xt, y, w, s;
  REQUIRE_OK(tensor_transpose(xt.out(), x, 0, 1));  // a non-contiguous view, a non-leaf
  REQUIRE_OK(tensor_mul(y.out(), xt, xt));
  Handle g = make<double>({0.3, 1.7, -0.9, 2.2, 5.5, -1.1}, {3, 2});
  REQUIRE_OK(tensor_backward(y, g, false));
  std::vector<double> xv = values<double>(x), gv = values<double>(g), got = values<double>(grad_of(x));
  // grad of x (2,3) is the transpose of g * xt
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) {
      double gx = gv[static_cast<size_t>(j * 2 + i)] * xv[static_cast<size_t>(i * 3 + j)];
      CHECK(got[static_cast<size_t>(i * 3 + j)] == gx + gx);
    }
  // (x * x).sum(): the incoming grad is a broadcast scalar
  REQUIRE_OK(tensor_zero_grad(x));
  REQUIRE_OK(tensor_mul(w.out(), x, x));
  REQUIRE_OK(tensor_sum(s.out(), w, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  std::vector<double> want;
  for (double v : xv) want.push_back(v + v);
  CHECK(values<double>(grad_of(x)) == want);
}

TEST_CASE("a grad handed out keeps its value when more is accumulated") {
  Handle x = leaf({1, 2}, {2});
  Handle y;
  REQUIRE_OK(tensor_mul_scalar(y.out(), x, 3));
  Handle g(nullptr);
  Handle ones = make<double>({1, 1}, {2});
  REQUIRE_OK(tensor_backward(y, ones, true));
  g = grad_of(x);
  REQUIRE_OK(tensor_backward(y, ones, true));
  CHECK(values<double>(g) == std::vector<double>{3, 3});
  CHECK(values<double>(grad_of(x)) == std::vector<double>{6, 6});
}

TEST_CASE("a second backward without retain_graph is an autograd error") {
  Handle x = leaf({5, 8, 4, 6}, {2, 2});
  Handle p, y;
  REQUIRE_OK(tensor_pow_scalar(p.out(), x, 3));
  REQUIRE_OK(tensor_sum(y.out(), p, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(y, nullptr, false));
  CHECK(tensor_backward(y, nullptr, false) == TENSOR_ERR_AUTOGRAD);
  CHECK(std::string(tensor_last_error()).find("retain_graph") != std::string::npos);
}

TEST_CASE("retain_graph keeps the graph for another backward") {
  Handle x = leaf({2}, {1});
  Handle y;
  REQUIRE_OK(tensor_mul(y.out(), x, x));
  REQUIRE_OK(tensor_backward(y, nullptr, true));
  REQUIRE_OK(tensor_backward(y, nullptr, false));
  CHECK(values<double>(grad_of(x)) == std::vector<double>{8});
}

TEST_CASE("backward needs a grad for non-scalar outputs and a tensor in the graph") {
  Handle x = leaf({1, 2}, {2});
  Handle y;
  REQUIRE_OK(tensor_exp(y.out(), x));
  CHECK(tensor_backward(y, nullptr, false) == TENSOR_ERR_AUTOGRAD);
  Handle wrong = make<double>({1, 2, 3}, {3});
  CHECK(tensor_backward(y, wrong, false) == TENSOR_ERR_SHAPE);
  Handle plain = make<double>({1}, {1});
  CHECK(tensor_backward(plain, nullptr, false) == TENSOR_ERR_AUTOGRAD);
}

TEST_CASE("grad mode off records nothing; the mode is per thread") {
  Handle x = leaf({1, 2}, {2});
  bool prev = tensor_set_grad_enabled(false);
  CHECK(prev);
  CHECK_FALSE(tensor_is_grad_enabled());
  Handle y;
  REQUIRE_OK(tensor_mul(y.out(), x, x));
  CHECK_FALSE(tensor_requires_grad(y));
  CHECK(tensor_is_leaf(y));
  tensor_set_grad_enabled(true);
  REQUIRE_OK(tensor_mul(y.out(), x, x));
  CHECK(tensor_requires_grad(y));
}

TEST_CASE("detach shares data and leaves the graph") {
  Handle x = leaf({1, 2}, {2});
  Handle y, d;
  REQUIRE_OK(tensor_mul_scalar(y.out(), x, 2));
  REQUIRE_OK(tensor_detach(d.out(), y));
  CHECK_FALSE(tensor_requires_grad(d));
  CHECK(tensor_data(d) == tensor_data(y));
}

TEST_CASE("requires_grad is for floating leaves only") {
  Handle i = make<int64_t>({1, 2}, {2});
  CHECK(tensor_set_requires_grad(i, true) == TENSOR_ERR_DTYPE);
  Handle x = leaf({1, 2}, {2});
  Handle y;
  REQUIRE_OK(tensor_exp(y.out(), x));
  CHECK(tensor_set_requires_grad(y, false) == TENSOR_ERR_AUTOGRAD);
}

TEST_CASE("in-place ops on a leaf that requires grad are refused while grad mode is on") {
  Handle x = leaf({1, 2}, {2});
  Handle one = make<double>({1}, {1});
  CHECK(tensor_add_(x, one) == TENSOR_ERR_AUTOGRAD);
  CHECK(tensor_fill_(x, 0) == TENSOR_ERR_AUTOGRAD);
  tensor_set_grad_enabled(false);
  REQUIRE_OK(tensor_add_(x, one));  // an SGD step
  tensor_set_grad_enabled(true);
  CHECK(values<double>(x) == std::vector<double>{2, 3});
}

TEST_CASE("modifying a saved tensor in place makes backward fail instead of lying") {
  Handle x = leaf({1, 2}, {2});
  Handle a, y, s;
  REQUIRE_OK(tensor_mul_scalar(a.out(), x, 1));  // non-leaf a
  REQUIRE_OK(tensor_mul(y.out(), a, a));         // saves a
  Handle one = make<double>({1}, {1});
  REQUIRE_OK(tensor_add_(a, one));               // bumps a's version
  REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
  CHECK(tensor_backward(s, nullptr, false) == TENSOR_ERR_AUTOGRAD);
  CHECK(std::string(tensor_last_error()).find("modified by an in-place operation") != std::string::npos);
}

TEST_CASE("in-place ops on non-leaves are differentiated through") {
  Handle x = leaf({1, 2, 3}, {3});
  Handle y, s;
  REQUIRE_OK(tensor_mul_scalar(y.out(), x, 2));
  REQUIRE_OK(tensor_mul_(y, x));  // y = 2x * x
  REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  CHECK(values<double>(grad_of(x)) == std::vector<double>{4, 8, 12});
}

TEST_CASE("a former leaf written in place from its own graph: no reference cycle, its old grads dropped") {
  // Note [orphaned accumulator]: x's AccumulateGrad is in m's graph; x.copy_(m) makes x a non-leaf whose
  // grad_fn leads back to that node. The node drops x (ASan/valgrind runs catch the leak it used to be;
  // the fuzzer found it with min, whose saved x then makes backward an in-place error instead).
  Handle x = leaf({3, 1, 2}, {3});
  Handle m, s;
  REQUIRE_OK(tensor_sum(m.out(), x, nullptr, 0, false));  // SumBackward0 -> AccumulateGrad(x)
  REQUIRE_OK(tensor_set_requires_grad(x, false));
  REQUIRE_OK(tensor_copy_(x, m));  // x = [6, 6, 6], grad_fn CopyBackwards
  CHECK(values<double>(x) == std::vector<double>{6, 6, 6});
  CHECK(format_of(x).find("grad_fn=<CopyBackwards>") != std::string::npos);
  REQUIRE_OK(tensor_sum(s.out(), x, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));  // reaches the orphaned node: nothing to accumulate into
  CHECK(grad_of(x).get() == nullptr);
}

TEST_CASE("broadcast grads are summed back to the input's shape") {
  Handle a = leaf({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle b = leaf({1, 1, 1}, {3});
  Handle c = leaf({2}, {});
  Handle ab, abc, s;
  REQUIRE_OK(tensor_mul(ab.out(), a, b));
  REQUIRE_OK(tensor_mul(abc.out(), ab, c));
  REQUIRE_OK(tensor_sum(s.out(), abc, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  CHECK(values<double>(grad_of(b)) == std::vector<double>{10, 14, 18});
  CHECK(values<double>(grad_of(c)) == std::vector<double>{21});
  CHECK(shape_of(grad_of(c)) == std::vector<int64_t>{});
}

TEST_CASE("mixed dtypes: the grad has the leaf's dtype") {
  Handle x = leaf({1, 2}, {2});
  Handle f = make<float>({3, 4}, {2});
  Handle y, s;
  REQUIRE_OK(tensor_mul(y.out(), x, f));
  REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  Handle g = grad_of(x);
  CHECK(tensor_get_dtype(g) == TENSOR_FLOAT64);
  CHECK(values<double>(g) == std::vector<double>{3, 4});
}

TEST_CASE("a chain of 100k ops builds, back-propagates and frees without recursion") {
  Handle x = leaf({1.0}, {1});
  Handle cur;
  REQUIRE_OK(tensor_mul_scalar(cur.out(), x, 1.0));
  for (int i = 0; i < 100000; ++i) {
    Handle next;
    REQUIRE_OK(tensor_add_scalar(next.out(), cur, 0.0));
    cur = std::move(next);
  }
  REQUIRE_OK(tensor_backward(cur, nullptr, false));
  CHECK(values<double>(grad_of(x)) == std::vector<double>{1.0});
  Handle again;  // and a graph that is freed without ever running backward
  REQUIRE_OK(tensor_mul_scalar(again.out(), x, 1.0));
  for (int i = 0; i < 100000; ++i) {
    Handle next;
    REQUIRE_OK(tensor_mul_scalar(next.out(), again, 1.0));
    again = std::move(next);
  }
}

TEST_CASE("grad_fn names as PyTorch prints them") {
  Handle x = leaf({1, 2}, {2});
  Handle a, b, c, d;
  REQUIRE_OK(tensor_add(a.out(), x, x));
  REQUIRE_OK(tensor_mul_scalar(b.out(), x, 2));
  REQUIRE_OK(tensor_exp(c.out(), x));
  int64_t s[] = {2, 1};
  REQUIRE_OK(tensor_reshape(d.out(), x, s, 2));
  CHECK(format_of(a).find("grad_fn=<AddBackward0>") != std::string::npos);
  CHECK(format_of(b).find("grad_fn=<MulBackward0>") != std::string::npos);
  CHECK(format_of(c).find("grad_fn=<ExpBackward0>") != std::string::npos);
  CHECK(format_of(d).find("grad_fn=<ViewBackward0>") != std::string::npos);
  CHECK(format_of(x).find("requires_grad=True") != std::string::npos);
}

// PyTorch's subgradients at NaN and ties (torch 1.13 on the same inputs): maximum/minimum pass the grad
// to both operands when either is NaN (neither wins nor ties) and split it in half at a tie; relu's
// threshold_backward zeroes only where the result is <= 0, so a NaN passes its grad through.
TEST_CASE("maximum, minimum and relu backward at NaN and ties match PyTorch") {
  auto grads_of = [](tensor_status (*op)(tensor**, const tensor*, const tensor*), double av, double bv) {
    Handle a = make<double>({av}, {1}), b = make<double>({bv}, {1}), out, ga, gb;
    REQUIRE_OK(tensor_set_requires_grad(a, true));
    REQUIRE_OK(tensor_set_requires_grad(b, true));
    REQUIRE_OK(op(out.out(), a, b));
    Handle s;
    REQUIRE_OK(tensor_sum(s.out(), out, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(s, nullptr, false));
    REQUIRE_OK(tensor_grad(ga.out(), a));
    REQUIRE_OK(tensor_grad(gb.out(), b));
    return std::make_pair(values<double>(ga)[0], values<double>(gb)[0]);
  };
  for (auto op : {tensor_maximum, tensor_minimum}) {
    CHECK(grads_of(op, NAN, 1.0) == std::make_pair(1.0, 1.0));
    CHECK(grads_of(op, 1.0, NAN) == std::make_pair(1.0, 1.0));
    CHECK(grads_of(op, 2.0, 2.0) == std::make_pair(0.5, 0.5));
  }
  CHECK(grads_of(tensor_maximum, 3.0, 1.0) == std::make_pair(1.0, 0.0));
  CHECK(grads_of(tensor_minimum, 3.0, 1.0) == std::make_pair(0.0, 1.0));

  Handle x = make<double>({NAN, -1.0, 0.0, 2.0}, {4}), r, s, g;
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  REQUIRE_OK(tensor_relu(r.out(), x));
  REQUIRE_OK(tensor_sum(s.out(), r, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  REQUIRE_OK(tensor_grad(g.out(), x));
  CHECK(values<double>(g) == std::vector<double>{1.0, 0.0, 0.0, 1.0});
}
