// Advanced indexing on CUDA against the CPU on the same inputs: tensor_index with int64 / int32 / bool
// index lists (NULL entries, separated and adjacent indexed dims, broadcasting, negative indices) in every
// dtype; tensor_index_put_ with accumulate (atomics: float sums within a few ulps) and without (distinct
// indices: exact); grads computed on the GPU; an out-of-range index is TENSOR_ERR_INDEX naming the value,
// read back at the call's synchronisation, with the context still usable afterwards.
#include <functional>
#include <string>
#include <vector>

#include "test_cuda_util.h"

namespace {

struct IndexCase {
  const char* what;
  std::vector<int64_t> shape;
  std::function<std::vector<Handle>()> indices;  // an empty Handle is a NULL entry
};

Handle ints(const std::vector<int64_t>& v, const std::vector<int64_t>& shape) { return make<int64_t>(v, shape); }

std::vector<const tensor*> raw(const std::vector<Handle>& hs) {
  std::vector<const tensor*> r;
  for (const Handle& h : hs) r.push_back(h.get());
  return r;
}

std::vector<Handle> on_cuda(const std::vector<Handle>& hs) {
  std::vector<Handle> r;
  for (const Handle& h : hs) r.push_back(h.get() ? to_cuda(h) : Handle());
  return r;
}

const std::vector<tensor_dtype> kAll = {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT32, TENSOR_INT64, TENSOR_BOOL};

std::vector<IndexCase> cases() {
  std::vector<IndexCase> c;
  c.push_back({"rows", {64, 129}, [] {
                 std::vector<Handle> r;
                 r.push_back(ints({5, 0, 63, -1, 5, 17}, {6}));
                 return r;
               }});
  c.push_back({"a[:, i, j] adjacent", {3, 5, 7}, [] {
                 std::vector<Handle> r;
                 r.emplace_back();
                 r.push_back(ints({4, 0, -2}, {3}));
                 r.push_back(ints({6, 1, 0}, {3}));
                 return r;
               }});
  c.push_back({"a[i, :, j] separated, broadcast", {4, 3, 6}, [] {
                 std::vector<Handle> r;
                 r.push_back(ints({0, 3}, {2, 1}));
                 r.emplace_back();
                 r.push_back(make<int32_t>({5, -6, 2}, {3}));
                 return r;
               }});
  c.push_back({"mask over two dims", {3, 4, 5}, [] {
                 std::vector<Handle> r;
                 r.emplace_back();
                 std::vector<bool> m(20);
                 for (size_t k = 0; k < m.size(); ++k) m[k] = (k * 7) % 3 == 0;
                 r.push_back(make<bool>(m, {4, 5}));
                 return r;
               }});
  return c;
}

}  // namespace

TEST_CASE("cuda advanced index: tensor_index matches the CPU in every dtype") {
  uint32_t seed = 1;
  for (const IndexCase& ic : cases()) {
    for (tensor_dtype dt : kAll) {
      INFO(ic.what << ", dtype " << dt);
      Handle a = make_typed(dt, ic.shape, seed++);
      std::vector<Handle> ix = ic.indices();
      std::vector<Handle> cix = on_cuda(ix);
      Handle want, got, ca = to_cuda(a);
      std::vector<const tensor*> r = raw(ix), cr = raw(cix);
      REQUIRE_OK(tensor_index(want.out(), a, r.data(), static_cast<int32_t>(r.size())));
      REQUIRE_OK(tensor_index(got.out(), ca, cr.data(), static_cast<int32_t>(cr.size())));
      require_same(to_cpu(got), want);
      // CPU indices for a CUDA tensor are copied over
      REQUIRE_OK(tensor_index(got.out(), ca, r.data(), static_cast<int32_t>(r.size())));
      require_same(to_cpu(got), want);
    }
  }
}

TEST_CASE("cuda advanced index: index_put_ with and without accumulate matches the CPU") {
  uint32_t seed = 100;
  for (tensor_dtype dt : kAll) {
    INFO("dtype " << dt);
    // accumulate with repeated rows; values broadcast along the rows
    Handle t = make_typed(dt, {8, 33}, seed++, false);
    Handle i = ints({3, 3, 0, 7, 3, -1}, {6});
    Handle v = make_typed(dt, {33}, seed++, false);
    Handle ct = to_cuda(t), ci = to_cuda(i), cv = to_cuda(v);
    const tensor* ix[] = {i};
    const tensor* cix[] = {ci};
    REQUIRE_OK(tensor_index_put_(t, ix, 1, v, true));
    REQUIRE_OK(tensor_index_put_(ct, cix, 1, cv, true));
    require_same(to_cpu(ct), t, 8);
    // no repeats without accumulate: exact
    Handle u = make_typed(dt, {5, 6, 4}, seed++, false);
    Handle p = ints({4, 0, 2}, {3}), q = ints({3, 1, 1}, {3});
    Handle w = make_typed(dt, {3, 6}, seed++, false);
    Handle cu = to_cuda(u), cp = to_cuda(p), cq = to_cuda(q), cw = to_cuda(w);
    const tensor* jx[] = {p, nullptr, q};
    const tensor* cjx[] = {cp, nullptr, cq};
    REQUIRE_OK(tensor_index_put_(u, jx, 3, w, false));
    REQUIRE_OK(tensor_index_put_(cu, cjx, 3, cw, false));
    require_same(to_cpu(cu), u);
  }
}

TEST_CASE("cuda advanced index: grads on the GPU match the CPU") {
  std::vector<Handle> g;
  for (int dev = 0; dev < 2; ++dev) {
    Handle x0 = make_typed(TENSOR_FLOAT64, {6, 4}, 300, false);
    Handle x = dev ? to_cuda(x0) : std::move(x0);
    REQUIRE_OK(tensor_set_requires_grad(x, true));
    Handle i = ints({5, 0, 5, 2}, {4});
    Handle di = dev ? to_cuda(i) : std::move(i);
    const tensor* ix[] = {di};
    Handle out, s;
    REQUIRE_OK(tensor_index(out.out(), x, ix, 1));
    Handle w0 = make_typed(TENSOR_FLOAT64, {4, 4}, 301, false);
    Handle w = dev ? to_cuda(w0) : std::move(w0);
    Handle prod;
    REQUIRE_OK(tensor_mul(prod.out(), out, w));
    REQUIRE_OK(tensor_sum(s.out(), prod, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(s, nullptr, false));
    Handle gr;
    REQUIRE_OK(tensor_grad(gr.out(), x));
    g.push_back(to_cpu(gr));
  }
  require_same(g[1], g[0], 16);
}

TEST_CASE("cuda advanced index: an out-of-range index is TENSOR_ERR_INDEX, and the context survives") {
  Handle a = to_cuda(make_typed(TENSOR_FLOAT32, {4, 5}, 400));
  Handle bad = to_cuda(ints({0, 2, 9}, {3}));
  const tensor* ix[] = {nullptr, bad};
  Handle out;
  REQUIRE(tensor_index(out.out(), a, ix, 2) == TENSOR_ERR_INDEX);
  CHECK(std::string(tensor_last_error()).find("index 9 is out of bounds for dimension 1 with size 5") !=
        std::string::npos);
  Handle before = to_cpu(a);
  Handle v = to_cuda(make<float>({1}, {1}));
  REQUIRE(tensor_index_put_(a, ix, 2, v, true) == TENSOR_ERR_INDEX);
  require_same(to_cpu(a), before);  // nothing written
  Handle good = to_cuda(ints({3, -5}, {2}));
  const tensor* gx[] = {nullptr, good};
  REQUIRE_OK(tensor_index(out.out(), a, gx, 2));
  REQUIRE_OK(tensor_cuda_synchronize(0));
}
