// The indexing ops on CUDA against the CPU on the same inputs: index_select, gather, scatter, scatter_add
// and index_add_ in every dtype and along every dim (bit-exact, except float sums through atomics), their
// grads computed on the GPU, and the device-side index check (an out-of-range index is TENSOR_ERR_INDEX
// naming the value, reported at the call's synchronisation, and the context stays usable).
#include <algorithm>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "test_cuda_util.h"

namespace {

// Indices in [0, n) (n > 0), deterministic.
Handle indices(const std::vector<int64_t>& shape, int64_t n, uint32_t seed) {
  int64_t count = 1;
  for (int64_t s : shape) count *= s;
  std::mt19937 gen(seed);
  std::vector<int64_t> v(static_cast<size_t>(count));
  for (int64_t& x : v) x = static_cast<int64_t>(gen() % static_cast<uint32_t>(n));
  return make<int64_t>(v, shape);
}

using Op2 = std::function<tensor_status(tensor**, const tensor*, const tensor*)>;

// Runs f(a, index) on the CPU and on CUDA copies; requires the same result (within `ulps` for floats).
void same_on_cuda(const char* what, const Op2& f, const tensor* a, const tensor* index, double ulps = 0) {
  INFO(what);
  Handle want, got;
  REQUIRE_OK(f(want.out(), a, index));
  Handle ca = to_cuda(a), ci = to_cuda(index);
  REQUIRE_OK(f(got.out(), ca, ci));
  Handle got_cpu = to_cpu(got);
  require_same(got_cpu, want, ulps);
}

const std::vector<tensor_dtype> kAll = {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT32, TENSOR_INT64, TENSOR_BOOL};
const std::vector<std::vector<int64_t>> kShapes = {{9}, {5, 7}, {3, 4, 6}, {2, 1, 33}, {64, 129}};

}  // namespace

TEST_CASE("cuda index: index_select and gather match the CPU in every dtype and dim") {
  uint32_t seed = 1;
  for (tensor_dtype dt : kAll) {
    for (const std::vector<int64_t>& shape : kShapes) {
      Handle a = make_typed(dt, shape, seed++);
      const int32_t nd = static_cast<int32_t>(shape.size());
      for (int32_t dim = -nd; dim < nd; ++dim) {
        INFO("dtype " << dt << ", ndim " << nd << ", dim " << dim);
        const int64_t n = shape[static_cast<size_t>((dim + nd) % nd)];
        Handle iv = indices({11}, n, seed++);
        same_on_cuda("index_select",
                     [dim](tensor** o, const tensor* x, const tensor* i) { return tensor_index_select(o, x, dim, i); },
                     a, iv);
        std::vector<int64_t> ish = shape;
        ish[static_cast<size_t>((dim + nd) % nd)] = 5;
        Handle ig = indices(ish, n, seed++);
        same_on_cuda("gather", [dim](tensor** o, const tensor* x, const tensor* i) { return tensor_gather(o, x, dim, i); },
                     a, ig);
      }
    }
  }
}

TEST_CASE("cuda index: scatter (unique indices) and scatter_add match the CPU") {
  uint32_t seed = 100;
  for (tensor_dtype dt : kAll) {
    Handle a = make_typed(dt, {6, 40}, seed++, false);
    Handle src = make_typed(dt, {6, 40}, seed++, false);
    // scatter along dim 1: each row a permutation, so no two writes collide
    std::vector<int64_t> perm;
    std::mt19937 gen(seed++);
    for (int r = 0; r < 6; ++r) {
      std::vector<int64_t> p(40);
      for (int k = 0; k < 40; ++k) p[static_cast<size_t>(k)] = k;
      std::shuffle(p.begin(), p.end(), gen);
      perm.insert(perm.end(), p.begin(), p.begin() + 30);
    }
    Handle ip = make<int64_t>(perm, {6, 30});
    Handle csrc = to_cuda(src);
    same_on_cuda("scatter",
                 [&](tensor** o, const tensor* x, const tensor* i) {
                   return tensor_scatter(o, x, 1, i, tensor_get_device(x).type == TENSOR_CUDA ? csrc.get() : src.get());
                 },
                 a, ip);
    Handle ia = indices({6, 40}, 6, seed++);  // many collisions along dim 0
    // float sums through atomics add in another order: a few ulps of the magnitude
    const double ulps = (dt == TENSOR_FLOAT32 || dt == TENSOR_FLOAT64) ? 64 : 0;
    same_on_cuda("scatter_add",
                 [&](tensor** o, const tensor* x, const tensor* i) {
                   return tensor_scatter_add(o, x, 0, i,
                                             tensor_get_device(x).type == TENSOR_CUDA ? csrc.get() : src.get());
                 },
                 a, ia, ulps);
  }
}

TEST_CASE("cuda index: index_add_ matches the CPU") {
  uint32_t seed = 200;
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT32, TENSOR_INT64}) {
    for (int32_t dim : {0, 1, -1}) {
      Handle a = make_typed(dt, {7, 9, 5}, seed++, false);
      std::vector<int64_t> sshape = {7, 9, 5};
      const int32_t d = (dim + 3) % 3;
      const int64_t n = sshape[static_cast<size_t>(d)];
      sshape[static_cast<size_t>(d)] = 13;
      Handle src = make_typed(dt, sshape, seed++, false);
      Handle iv = indices({13}, n, seed++);
      Handle want, got;
      REQUIRE_OK(tensor_clone(want.out(), a));
      REQUIRE_OK(tensor_index_add_(want, dim, iv, src, 3.0));
      got = to_cuda(a);
      Handle ci = to_cuda(iv), cs = to_cuda(src);
      REQUIRE_OK(tensor_index_add_(got, dim, ci, cs, 3.0));
      Handle got_cpu = to_cpu(got);
      require_same(got_cpu, want, (dt == TENSOR_FLOAT32 || dt == TENSOR_FLOAT64) ? 64 : 0);
    }
  }
}

TEST_CASE("cuda index: grads computed on the GPU match the CPU's") {
  Handle x_cpu = make_typed(TENSOR_FLOAT64, {8, 6}, 300, false);
  Handle iv = indices({10}, 8, 301), ig = indices({8, 4}, 6, 302);
  Handle gx[2];
  for (int dev = 0; dev < 2; ++dev) {
    Handle x;
    if (dev) x = to_cuda(x_cpu);
    else REQUIRE_OK(tensor_clone(x.out(), x_cpu));
    REQUIRE_OK(tensor_set_requires_grad(x, true));
    Handle i1 = dev ? to_cuda(iv) : to_cpu(iv), i2 = dev ? to_cuda(ig) : to_cpu(ig);
    Handle a, b, c, s1, s2, tot;
    REQUIRE_OK(tensor_index_select(a.out(), x, 0, i1));
    REQUIRE_OK(tensor_gather(b.out(), x, 1, i2));
    REQUIRE_OK(tensor_scatter_add(c.out(), x, 1, i2, b));
    REQUIRE_OK(tensor_sum(s1.out(), a, nullptr, 0, false));
    REQUIRE_OK(tensor_mul(s2.out(), c, c));
    Handle s3;
    REQUIRE_OK(tensor_sum(s3.out(), s2, nullptr, 0, false));
    REQUIRE_OK(tensor_add(tot.out(), s1, s3));
    REQUIRE_OK(tensor_backward(tot, nullptr, false));
    Handle g;
    REQUIRE_OK(tensor_grad(g.out(), x));
    gx[dev] = dev ? to_cpu(g) : std::move(g);
  }
  require_same(gx[1], gx[0], 64);
}

TEST_CASE("cuda index: an out-of-range index is TENSOR_ERR_INDEX, and the context survives") {
  Handle a = to_cuda(make_typed(TENSOR_FLOAT32, {4, 5}, 400));
  Handle bad = to_cuda(make<int64_t>({0, 2, 9}, {3}));
  Handle out;
  REQUIRE(tensor_index_select(out.out(), a, 0, bad) == TENSOR_ERR_INDEX);
  CHECK(std::string(tensor_last_error()).find("index 9") != std::string::npos);
  CHECK(std::string(tensor_last_error()).find("size 4") != std::string::npos);
  Handle badg = to_cuda(make<int64_t>({0, -3, 1, 1, 0, 2, 2, 2, 2, 2}, {2, 5}));
  REQUIRE(tensor_gather(out.out(), a, 0, badg) == TENSOR_ERR_INDEX);
  CHECK(std::string(tensor_last_error()).find("index -3") != std::string::npos);
  Handle src = to_cuda(make_typed(TENSOR_FLOAT32, {2, 5}, 401));
  REQUIRE(tensor_scatter_add(out.out(), a, 0, badg, src) == TENSOR_ERR_INDEX);
  Handle before = to_cpu(a);
  REQUIRE(tensor_index_add_(a, 0, bad, to_cuda(make_typed(TENSOR_FLOAT32, {3, 5}, 402)), 1.0) == TENSOR_ERR_INDEX);
  Handle after = to_cpu(a);
  require_same(after, before);  // nothing written
  // the context still works
  Handle good = to_cuda(make<int64_t>({3, 0}, {2}));
  REQUIRE_OK(tensor_index_select(out.out(), a, 0, good));
  REQUIRE_OK(tensor_cuda_synchronize(0));
}

TEST_CASE("cuda index: masked_fill, masked_select, nonzero and one_hot match the CPU") {
  uint32_t seed = 500;
  for (tensor_dtype dt : kAll) {
    for (const std::vector<int64_t>& shape : kShapes) {
      Handle a = make_typed(dt, shape, seed++);
      std::vector<int64_t> mshape(shape.begin() + 1, shape.end());  // broadcast along the first dim
      Handle m = make_typed(TENSOR_BOOL, mshape, seed++);
      same_on_cuda("masked_fill",
                   [](tensor** o, const tensor* x, const tensor* mk) { return tensor_masked_fill(o, x, mk, 1.0); }, a, m);
      same_on_cuda("masked_select",
                   [](tensor** o, const tensor* x, const tensor* mk) { return tensor_masked_select(o, x, mk); }, a, m);
      same_on_cuda("nonzero", [](tensor** o, const tensor* x, const tensor*) { return tensor_nonzero(o, x); }, a, m);
    }
  }
  // a long mask: many compaction chunks
  Handle big = make_typed(TENSOR_BOOL, {3, 70001}, 600);
  same_on_cuda("nonzero (long)", [](tensor** o, const tensor* x, const tensor*) { return tensor_nonzero(o, x); }, big, big);
  Handle cls = indices({4, 9}, 7, 601);
  same_on_cuda("one_hot", [](tensor** o, const tensor* x, const tensor*) { return tensor_one_hot(o, x, -1); }, cls, cls);
  Handle bad = to_cuda(make<int64_t>({0, 9}, {2}));
  Handle out;
  REQUIRE(tensor_one_hot(out.out(), bad, 5) == TENSOR_ERR_INDEX);
}

TEST_CASE("cuda index: cumsum and cumprod match the CPU, grads included") {
  uint32_t seed = 700;
  for (tensor_dtype dt : kAll) {
    for (const std::vector<int64_t>& shape : kShapes) {
      Handle a = make_typed(dt, shape, seed++, false);
      const int32_t nd = static_cast<int32_t>(shape.size());
      for (int32_t dim = -nd; dim < nd; ++dim) {
        INFO("dtype " << dt << ", ndim " << nd << ", dim " << dim);
        // the same line code and order on both devices: equal up to the last bit of exp/fma contraction
        same_on_cuda("cumsum", [dim](tensor** o, const tensor* x, const tensor*) { return tensor_cumsum(o, x, dim); },
                     a, a, 4);
        same_on_cuda("cumprod",
                     [dim](tensor** o, const tensor* x, const tensor*) { return tensor_cumprod(o, x, dim); }, a, a, 4);
      }
    }
  }
  Handle x_cpu = make<double>({2, 0, 3, 0.5, 1, 4, 0, 2, 3, 1, 1, 2}, {3, 4});
  Handle g[2];
  for (int dev = 0; dev < 2; ++dev) {
    Handle x;
    if (dev) x = to_cuda(x_cpu);
    else REQUIRE_OK(tensor_clone(x.out(), x_cpu));
    REQUIRE_OK(tensor_set_requires_grad(x, true));
    Handle p, c, s1, s2, tot;
    REQUIRE_OK(tensor_cumprod(p.out(), x, 1));
    REQUIRE_OK(tensor_cumsum(c.out(), p, 0));
    REQUIRE_OK(tensor_mul(s1.out(), c, c));
    REQUIRE_OK(tensor_sum(tot.out(), s1, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(tot, nullptr, false));
    Handle gx;
    REQUIRE_OK(tensor_grad(gx.out(), x));
    g[dev] = dev ? to_cpu(gx) : std::move(gx);
  }
  require_same(g[1], g[0], 16);
}
