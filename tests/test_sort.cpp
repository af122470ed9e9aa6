// sort, argsort and topk through the C API: exact values and indices on hand-checked cases (PyTorch's
// outputs), stability (ascending and descending), NaN and -0.0, ties, every dtype, 0-d and empty inputs,
// non-contiguous inputs, bad-input statuses and messages, grad_fn names and grads. Differential coverage
// against torch: tests/python/test_sort_torch.py; gradcheck rows in tests/test_gradcheck.cpp.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "test_util.h"

namespace {

void require_status(tensor_status st, tensor_status want, const std::vector<std::string>& words) {
  INFO(tensor_last_error());
  REQUIRE(st == want);
  const std::string msg = tensor_last_error();
  for (const std::string& w : words) CHECK(msg.find(w) != std::string::npos);
}

struct Sorted {
  Handle values, indices;
};

Sorted sort_of(const tensor* a, int32_t dim, bool descending, bool stable = true) {
  Sorted r;
  REQUIRE_OK(tensor_sort(r.values.out(), r.indices.out(), a, dim, descending, stable));
  return r;
}

Sorted topk_of(const tensor* a, int64_t k, int32_t dim, bool largest, bool sorted = true) {
  Sorted r;
  REQUIRE_OK(tensor_topk(r.values.out(), r.indices.out(), a, k, dim, largest, sorted));
  return r;
}

using I = std::vector<int64_t>;

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

}  // namespace

TEST_CASE("sort: ascending and descending with NaN and -0.0 as PyTorch (NaN largest, -0.0 = +0.0)") {
  // torch.sort(torch.tensor([1., nan, -0., 0., -inf, nan]), stable=True)
  Handle a = make<float>({1, kNaN, -0.0f, 0.0f, -kInf, kNaN}, {6});
  Sorted up = sort_of(a, 0, false);
  CHECK(values<int64_t>(up.indices) == I{4, 2, 3, 0, 1, 5});
  std::vector<float> v = values<float>(up.values);
  CHECK(v[0] == -kInf);
  CHECK((v[1] == 0 && std::signbit(v[1])));  // the elements themselves: -0.0 stays -0.0
  CHECK((v[2] == 0 && !std::signbit(v[2])));
  CHECK(v[3] == 1);
  CHECK((std::isnan(v[4]) && std::isnan(v[5])));
  Sorted down = sort_of(a, -1, true);
  CHECK(values<int64_t>(down.indices) == I{1, 5, 0, 2, 3, 4});
  Handle arg;
  REQUIRE_OK(tensor_argsort(arg.out(), a, 0, true));
  CHECK(values<int64_t>(arg) == I{1, 5, 0, 2, 3, 4});
}

TEST_CASE("sort is stable both ways, short lines and long (radix) lines alike") {
  for (int64_t n : {7, 70, 5000, 70000}) {  // std::sort, 8-bit and 11-bit radix digits
    std::vector<int64_t> x(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) x[static_cast<size_t>(i)] = (i * 7 + 3) % 5 - 2;  // many equal keys
    Handle a = make<int64_t>(x, {n});
    for (bool desc : {false, true}) {
      INFO("n " << n << ", descending " << desc);
      Sorted s = sort_of(a, 0, desc, false);
      std::vector<int64_t> v = values<int64_t>(s.values), ix = values<int64_t>(s.indices);
      for (int64_t j = 1; j < n; ++j) {
        const size_t u = static_cast<size_t>(j);
        REQUIRE((desc ? v[u - 1] >= v[u] : v[u - 1] <= v[u]));
        if (v[u - 1] == v[u]) REQUIRE(ix[u - 1] < ix[u]);  // equal keys keep their order
        REQUIRE(v[u] == x[static_cast<size_t>(ix[u])]);
      }
    }
  }
}

TEST_CASE("sort handles every dtype, extreme values included") {
  Handle f64 = make<double>({2.5, -1e300, std::nan(""), -0.0, 1e-300}, {5});
  CHECK(values<int64_t>(sort_of(f64, 0, false).indices) == I{1, 3, 4, 0, 2});
  Handle i32 = make<int32_t>({5, std::numeric_limits<int32_t>::min(), -1, std::numeric_limits<int32_t>::max(), 0}, {5});
  Sorted s32 = sort_of(i32, 0, false);
  CHECK(values<int32_t>(s32.values) ==
        std::vector<int32_t>{std::numeric_limits<int32_t>::min(), -1, 0, 5, std::numeric_limits<int32_t>::max()});
  CHECK(tensor_get_dtype(s32.values) == TENSOR_INT32);
  CHECK(tensor_get_dtype(s32.indices) == TENSOR_INT64);
  Handle i64 = make<int64_t>({3, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), -3}, {4});
  CHECK(values<int64_t>(sort_of(i64, 0, true).indices) == I{2, 0, 3, 1});
  // torch.sort(torch.tensor([True, False, True])) -> [False, True, True], [1, 0, 2]
  Handle b = make<bool>({true, false, true}, {3});
  Sorted sb = sort_of(b, 0, false);
  CHECK(values<int64_t>(sb.indices) == I{1, 0, 2});
  CHECK(values<bool>(sb.values) == std::vector<bool>{false, true, true});
  Handle arg;
  REQUIRE_OK(tensor_argsort(arg.out(), b, 0, true));
  CHECK(values<int64_t>(arg) == I{0, 2, 1});
}

TEST_CASE("sort along every dim of a 3-D tensor and of a transposed (non-contiguous) view") {
  // a (2, 3, 2) = arange(12) permuted by (i * 5) % 12
  std::vector<float> x(12);
  for (int i = 0; i < 12; ++i) x[static_cast<size_t>(i)] = static_cast<float>((i * 5) % 12);
  Handle a = make<float>(x, {2, 3, 2});
  // torch.sort(a, 1): lines (a, :, b)
  Sorted s1 = sort_of(a, 1, false);
  CHECK(values<float>(s1.values) == std::vector<float>{0, 1, 8, 3, 10, 5, 2, 7, 4, 9, 6, 11});
  CHECK(values<int64_t>(s1.indices) == I{0, 2, 2, 1, 1, 0, 2, 2, 1, 1, 0, 0});
  Sorted s0 = sort_of(a, -3, true);
  CHECK(values<float>(s0.values) == std::vector<float>{6, 11, 10, 9, 8, 7, 0, 5, 4, 3, 2, 1});
  CHECK(values<int64_t>(s0.indices) == I{1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0});
  Handle t;
  REQUIRE_OK(tensor_transpose(t.out(), a, 0, 2));  // (2, 3, 2), strided
  Handle tc;
  REQUIRE_OK(tensor_contiguous(tc.out(), t));
  for (int32_t dim = 0; dim < 3; ++dim) {
    Sorted sv = sort_of(t, dim, dim == 1), sc = sort_of(tc, dim, dim == 1);
    CHECK(values<float>(sv.values) == values<float>(sc.values));
    CHECK(values<int64_t>(sv.indices) == values<int64_t>(sc.indices));
  }
}

TEST_CASE("sort, argsort and topk of 0-d and empty tensors follow PyTorch") {
  Handle s = make<float>({3}, {});
  Sorted r = sort_of(s, 0, false);
  CHECK(shape_of(r.values).empty());
  CHECK(values<float>(r.values) == std::vector<float>{3});
  CHECK(values<int64_t>(r.indices) == I{0});
  r = sort_of(s, -1, true);
  CHECK(shape_of(r.indices).empty());
  // torch.topk(torch.tensor(3.), 0) and k = 1: both the 0-d element
  for (int64_t k : {0, 1}) {
    Sorted t = topk_of(s, k, 0, true);
    CHECK(shape_of(t.values).empty());
    CHECK(values<float>(t.values) == std::vector<float>{3});
    CHECK(values<int64_t>(t.indices) == I{0});
  }
  Handle e = make<float>({}, {0, 3});
  Sorted se = sort_of(e, 1, false);
  CHECK(shape_of(se.values) == I{0, 3});
  CHECK(shape_of(se.indices) == I{0, 3});
  Sorted te = topk_of(e, 1, 1, true);
  CHECK(shape_of(te.values) == I{0, 1});
  Handle m = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Sorted t0 = topk_of(m, 0, 1, false);
  CHECK(shape_of(t0.values) == I{2, 0});
  CHECK(shape_of(t0.indices) == I{2, 0});
}

TEST_CASE("topk: largest and smallest, sorted, with PyTorch's CPU tie order") {
  // torch.topk(torch.tensor([1, 2, 2, 2, 1, 3]), 3) -> [3, 2, 2], [5, 3, 1];  largest=False -> [1, 1, 2], [0, 4, 1]
  Handle a = make<int64_t>({1, 2, 2, 2, 1, 3}, {6});
  Sorted hi = topk_of(a, 3, 0, true);
  CHECK(values<int64_t>(hi.values) == I{3, 2, 2});
  CHECK(values<int64_t>(hi.indices) == I{5, 3, 1});
  Sorted lo = topk_of(a, 3, -1, false);
  CHECK(values<int64_t>(lo.values) == I{1, 1, 2});
  CHECK(values<int64_t>(lo.indices) == I{0, 4, 1});
  // NaN is the largest: torch.topk([1, 2, nan, 3], 2) -> [nan, 3], [2, 3]; smallest -> [1, 2], [0, 1]
  Handle f = make<float>({1, 2, kNaN, 3}, {4});
  Sorted fh = topk_of(f, 2, 0, true);
  CHECK(values<int64_t>(fh.indices) == I{2, 3});
  CHECK(std::isnan(values<float>(fh.values)[0]));
  Sorted fl = topk_of(f, 2, 0, false);
  CHECK(values<int64_t>(fl.indices) == I{0, 1});
  CHECK(values<float>(fl.values) == std::vector<float>{1, 2});
}

TEST_CASE("topk along a middle dim, unsorted as a set, on long lines (nth_element and partial_sort paths)") {
  const int64_t n = 200;
  std::vector<double> x(static_cast<size_t>(2 * n * 3));
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>((i * 37) % 101);
  Handle a = make<double>(x, {2, n, 3});
  for (int64_t k : {1, 3, 150}) {  // k * 64 <= n: partial_sort; otherwise nth_element
    for (bool sorted : {true, false}) {
      INFO("k " << k << ", sorted " << sorted);
      Sorted t = topk_of(a, k, 1, true, sorted);
      REQUIRE(shape_of(t.values) == I{2, k, 3});
      Sorted full = sort_of(a, 1, true);
      std::vector<double> tv = values<double>(t.values), fv = values<double>(full.values);
      std::vector<int64_t> ti = values<int64_t>(t.indices);
      for (int64_t o = 0; o < 2; ++o)
        for (int64_t b = 0; b < 3; ++b) {
          std::vector<double> got, want;
          for (int64_t j = 0; j < k; ++j) {
            const size_t p = static_cast<size_t>((o * k + j) * 3 + b);
            got.push_back(tv[p]);
            want.push_back(fv[static_cast<size_t>((o * n + j) * 3 + b)]);
            REQUIRE(tv[p] == x[static_cast<size_t>((o * n + ti[p]) * 3 + b)]);
          }
          if (!sorted) std::sort(got.begin(), got.end(), std::greater<double>());
          REQUIRE(got == want);
        }
    }
  }
}

TEST_CASE("sort and topk refuse bad input with PyTorch's statuses") {
  Handle a = make<float>({1, 2, 3}, {3});
  Handle v, i;
  require_status(tensor_sort(v.out(), i.out(), a, 1, false, false), TENSOR_ERR_INDEX, {"tensor_sort", "dimension 1"});
  CHECK(v.get() == nullptr);
  CHECK(i.get() == nullptr);
  require_status(tensor_argsort(v.out(), a, -2, false), TENSOR_ERR_INDEX, {"tensor_argsort", "-2"});
  require_status(tensor_sort(v.out(), i.out(), nullptr, 0, false, false), TENSOR_ERR_INVALID_ARGUMENT, {"'a'"});
  require_status(tensor_sort(nullptr, i.out(), a, 0, false, false), TENSOR_ERR_INVALID_ARGUMENT, {"values"});
  CHECK(i.get() == nullptr);
  require_status(tensor_sort(v.out(), nullptr, a, 0, false, false), TENSOR_ERR_INVALID_ARGUMENT, {"indices"});
  require_status(tensor_sort(v.out(), v.out(), a, 0, false, false), TENSOR_ERR_INVALID_ARGUMENT, {"different"});
  require_status(tensor_argsort(nullptr, a, 0, false), TENSOR_ERR_INVALID_ARGUMENT, {"out"});
  require_status(tensor_topk(v.out(), i.out(), a, 4, 0, true, true), TENSOR_ERR_INVALID_ARGUMENT,
                 {"tensor_topk", "selected index k out of range", "k = 4", "size 3"});
  require_status(tensor_topk(v.out(), i.out(), a, -1, 0, true, true), TENSOR_ERR_INVALID_ARGUMENT, {"k = -1"});
  require_status(tensor_topk(v.out(), i.out(), a, 1, 1, true, true), TENSOR_ERR_INDEX, {"dimension 1"});
  Handle s = make<float>({3}, {});
  require_status(tensor_topk(v.out(), i.out(), s, 2, 0, true, true), TENSOR_ERR_INVALID_ARGUMENT, {"k = 2"});
  Handle b = make<bool>({true, false}, {2});
  require_status(tensor_topk(v.out(), i.out(), b, 1, 0, true, true), TENSOR_ERR_DTYPE, {"Bool"});
  CHECK(v.get() == nullptr);
  CHECK(i.get() == nullptr);
}

TEST_CASE("sort and topk values carry SortBackward0 / TopkBackward0; the grad goes back through the indices") {
  Handle x = make<double>({3, 1, 2, 5, 4, 0}, {2, 3});
  REQUIRE_OK(tensor_set_requires_grad(x, true));
  Sorted s = sort_of(x, 1, true);
  CHECK(format_of(s.values).find("grad_fn=<SortBackward0>") != std::string::npos);
  CHECK(!tensor_requires_grad(s.indices));
  Handle w = make<double>({1, 10, 100, 1000, 10000, 100000}, {2, 3});
  Handle p, tot;
  REQUIRE_OK(tensor_mul(p.out(), s.values, w));
  REQUIRE_OK(tensor_sum(tot.out(), p, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(tot, nullptr, false));
  Handle g;
  REQUIRE_OK(tensor_grad(g.out(), x));
  // row 0 descending: 3 (pos 0), 2 (pos 2), 1 (pos 1); row 1: 5 (0), 4 (1), 0 (2)
  CHECK(values<double>(g) == std::vector<double>{1, 100, 10, 1000, 10000, 100000});

  Handle y = make<double>({3, 1, 2, 5}, {4});
  REQUIRE_OK(tensor_set_requires_grad(y, true));
  Sorted t = topk_of(y, 2, 0, false);  // 1 (pos 1), 2 (pos 2)
  CHECK(format_of(t.values).find("grad_fn=<TopkBackward0>") != std::string::npos);
  Handle wt = make<double>({10, 100}, {2});
  Handle pt, tt;
  REQUIRE_OK(tensor_mul(pt.out(), t.values, wt));
  REQUIRE_OK(tensor_sum(tt.out(), pt, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(tt, nullptr, false));
  Handle gy;
  REQUIRE_OK(tensor_grad(gy.out(), y));
  CHECK(values<double>(gy) == std::vector<double>{0, 10, 100, 0});

  Handle arg;
  REQUIRE_OK(tensor_argsort(arg.out(), x, 0, false));
  CHECK(!tensor_requires_grad(arg));
}
