// The C API end to end on CUDA against the CPU on the same inputs: reductions, matmul, and autograd,
// which runs on the GPU unchanged because the op layer is device-agnostic.
#include "test_cuda_util.h"

namespace {

using DimsFn = tensor_status (*)(tensor**, const tensor*, const int32_t*, int32_t, bool);

// Quarter-multiples: the sums of these tests are exact on both devices, whatever the order.
Handle quarters(const std::vector<int64_t>& shape, uint32_t seed) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  std::vector<float> v = test_values<float>(static_cast<size_t>(n), seed, false);
  for (float& x : v) x = std::round(x * 4) / 4;
  return make<float>(v, shape);
}

void same_dims_op(const char* name, DimsFn fn, const tensor* a, const std::vector<int32_t>& dims, bool keepdim,
                  double ulps) {
  INFO(name << " over " << dims.size() << " dims, keepdim " << keepdim);
  Handle want, got, ca = to_cuda(a);
  tensor_status st = fn(want.out(), a, dims.data(), static_cast<int32_t>(dims.size()), keepdim);
  REQUIRE(fn(got.out(), ca, dims.data(), static_cast<int32_t>(dims.size()), keepdim) == st);
  if (st == TENSOR_OK) require_same(got, want, ulps);
}

}  // namespace

TEST_CASE("cuda ops: reductions through the C API match the CPU") {
  Handle a = quarters({37, 64, 9}, 1);
  Handle i = make_typed(TENSOR_INT32, {37, 64, 9}, 2);
  Handle b = make_typed(TENSOR_BOOL, {37, 64, 9}, 3);
  // +-1 as int32: products stay exact (no overflow), so prod compares bit for bit.
  Handle b32, twice, pm1;
  REQUIRE_OK(tensor_to_dtype(b32.out(), b, TENSOR_INT32));
  REQUIRE_OK(tensor_mul_scalar(twice.out(), b32, 2));
  REQUIRE_OK(tensor_sub_scalar(pm1.out(), twice, 1));
  const std::vector<std::vector<int32_t>> dim_sets = {{}, {0}, {1}, {2}, {-1}, {0, 2}, {1, 2}};
  for (const std::vector<int32_t>& dims : dim_sets) {
    for (bool keepdim : {false, true}) {
      same_dims_op("sum", tensor_sum, a, dims, keepdim, 0);
      same_dims_op("sum int32", tensor_sum, i, dims, keepdim, 0);
      same_dims_op("sum bool", tensor_sum, b, dims, keepdim, 0);
      same_dims_op("mean", tensor_mean, a, dims, keepdim, 1);
      same_dims_op("all", tensor_all, a, dims, keepdim, 0);
      same_dims_op("any", tensor_any, b, dims, keepdim, 0);
      same_dims_op("prod int32", tensor_prod, pm1, dims, keepdim, 0);
      for (int64_t corr : {0, 1}) {
        INFO("correction " << corr);
        Handle want, got, ca = to_cuda(a);
        REQUIRE_OK(tensor_var(want.out(), a, dims.data(), static_cast<int32_t>(dims.size()), corr, keepdim));
        REQUIRE_OK(tensor_var(got.out(), ca, dims.data(), static_cast<int32_t>(dims.size()), corr, keepdim));
        require_same(got, want, 64);
        REQUIRE_OK(tensor_std(want.out(), a, dims.data(), static_cast<int32_t>(dims.size()), corr, keepdim));
        REQUIRE_OK(tensor_std(got.out(), ca, dims.data(), static_cast<int32_t>(dims.size()), corr, keepdim));
        require_same(got, want, 64);
      }
    }
  }
  Handle ca = to_cuda(a), ci = to_cuda(i);
  Handle want, got;
  REQUIRE_OK(tensor_max(want.out(), a));
  REQUIRE_OK(tensor_max(got.out(), ca));
  require_same(got, want);
  REQUIRE_OK(tensor_min(want.out(), i));
  REQUIRE_OK(tensor_min(got.out(), ci));
  require_same(got, want);
  for (int32_t dim : {0, 1, 2, -1}) {
    for (bool keepdim : {false, true}) {
      Handle wv, wi, gv, gi;
      REQUIRE_OK(tensor_max_dim(wv.out(), wi.out(), i, dim, keepdim));
      REQUIRE_OK(tensor_max_dim(gv.out(), gi.out(), ci, dim, keepdim));
      require_same(gv, wv);
      require_same(gi, wi);
      REQUIRE_OK(tensor_min_dim(wv.out(), wi.out(), a, dim, keepdim));
      REQUIRE_OK(tensor_min_dim(gv.out(), gi.out(), ca, dim, keepdim));
      require_same(gv, wv);
      require_same(gi, wi);
      REQUIRE_OK(tensor_argmax(want.out(), a, dim, keepdim));
      REQUIRE_OK(tensor_argmax(got.out(), ca, dim, keepdim));
      require_same(got, want);
      REQUIRE_OK(tensor_argmin(want.out(), i, dim, keepdim));
      REQUIRE_OK(tensor_argmin(got.out(), ci, dim, keepdim));
      require_same(got, want);
    }
  }
}

TEST_CASE("cuda ops: matmul through the C API matches the CPU (1-d, 2-d, batched with broadcast)") {
  const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> shapes = {
      {{5}, {5}}, {{3, 5}, {5}}, {{5}, {5, 4}}, {{3, 5}, {5, 4}}, {{2, 3, 5}, {5, 4}}, {{2, 1, 3, 5}, {4, 5, 2}}};
  uint32_t seed = 10;
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT64}) {
    for (const auto& s : shapes) {
      // Small integers: every product and sum is exact, so CPU and GPU agree bit for bit.
      Handle a0 = make_typed(TENSOR_INT32, s.first, seed++), b0 = make_typed(TENSOR_INT32, s.second, seed++);
      Handle a, b;
      REQUIRE_OK(tensor_to_dtype(a.out(), a0, dt));
      REQUIRE_OK(tensor_to_dtype(b.out(), b0, dt));
      Handle want, got, ca = to_cuda(a), cb = to_cuda(b);
      REQUIRE_OK(tensor_matmul(want.out(), a, b));
      REQUIRE_OK(tensor_matmul(got.out(), ca, cb));
      require_same(got, want);
    }
  }
}

TEST_CASE("cuda ops: autograd runs on the GPU and gives the CPU's grads") {
  // loss = sum((x * w + b).tanh() * x) with broadcasting, a matmul and a reduction.
  auto run = [](bool cuda, std::vector<std::vector<double>>* grads) {
    Handle x = make<double>(test_values<double>(24, 1, false), {4, 6});
    Handle w = make<double>(test_values<double>(6, 2, false), {6});
    Handle m = make<double>(test_values<double>(18, 3, false), {6, 3});
    if (cuda) {
      x = to_cuda(x);
      w = to_cuda(w);
      m = to_cuda(m);
    }
    REQUIRE_OK(tensor_set_requires_grad(x, true));
    REQUIRE_OK(tensor_set_requires_grad(w, true));
    REQUIRE_OK(tensor_set_requires_grad(m, true));
    Handle xw, t, p, mm, loss;
    REQUIRE_OK(tensor_mul(xw.out(), x, w));
    REQUIRE_OK(tensor_tanh(t.out(), xw));
    REQUIRE_OK(tensor_mul(p.out(), t, x));
    REQUIRE_OK(tensor_matmul(mm.out(), p, m));
    REQUIRE_OK(tensor_sum(loss.out(), mm, nullptr, 0, false));
    REQUIRE(tensor_get_device(loss).type == (cuda ? TENSOR_CUDA : TENSOR_CPU));
    REQUIRE_OK(tensor_backward(loss, nullptr, false));
    for (tensor* leaf : {x.get(), w.get(), m.get()}) {
      Handle g;
      REQUIRE_OK(tensor_grad(g.out(), leaf));
      REQUIRE(g.get() != nullptr);
      REQUIRE(tensor_get_device(g).type == (cuda ? TENSOR_CUDA : TENSOR_CPU));
      grads->push_back(values<double>(g));
    }
  };
  std::vector<std::vector<double>> cpu, gpu;
  run(false, &cpu);
  run(true, &gpu);
  REQUIRE(cpu.size() == gpu.size());
  for (size_t k = 0; k < cpu.size(); ++k) {
    REQUIRE(cpu[k].size() == gpu[k].size());
    for (size_t i = 0; i < cpu[k].size(); ++i) REQUIRE(std::fabs(cpu[k][i] - gpu[k][i]) <= 1e-12 * (1 + std::fabs(cpu[k][i])));
  }
}

TEST_CASE("cuda ops: printing a CUDA tensor shows its values and device") {
  Handle a = make<float>({1.5f, -2.0f, 3.25f, 4.0f}, {2, 2});
  Handle ca = to_cuda(a);
  std::string s = format_of(ca);
  INFO(s);
  REQUIRE(s.find("1.5000") != std::string::npos);
  REQUIRE(s.find("cuda:0") != std::string::npos);
}

TEST_CASE("cuda ops: tensor_cuda_stream gives libtensor's one stream of each GPU") {
  for (int32_t d = 0; d < tensor_cuda_device_count(); ++d) {
    void* first = nullptr;
    void* again = nullptr;
    REQUIRE(tensor_cuda_stream(&first, d) == TENSOR_OK);
    REQUIRE(first != nullptr);  // a created stream, never the legacy default stream (0)
    REQUIRE(tensor_cuda_stream(&again, d) == TENSOR_OK);
    REQUIRE(again == first);
  }
}
