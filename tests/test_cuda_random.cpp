// The random family on CUDA against the CPU from the same seed: randint, randperm, bernoulli, dropout
// (values and masks), uniform_ bit for bit, normal_ within the rounding of each device's log and cos (as
// randn), multinomial with replacement bit for bit (the same float64 running sums and comparisons) and
// without replacement as a set of distinct categories; every draw advances the stream by the same blocks.
#include <algorithm>
#include <functional>
#include <set>
#include <vector>

#include "test_cuda_util.h"

namespace {

tensor_options on(tensor_dtype dt, bool cuda) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = dt;
  o.device = cuda ? cuda_device() : cpu_device_c();
  return o;
}

// Runs draw(cuda) from the same seed on each device; the results must agree (ulps 0: bitwise) and
// leave the stream at the same offset.
void same_draw(const char* what, const std::function<Handle(bool)>& draw, double ulps = 0) {
  INFO(what);
  tensor_manual_seed(20260);
  Handle want = draw(false);
  uint64_t seed = 0, cpu_offset = 0, cuda_offset = 0;
  REQUIRE_OK(tensor_get_rng_state(&seed, &cpu_offset));
  tensor_manual_seed(20260);
  Handle got = draw(true);
  REQUIRE_OK(tensor_get_rng_state(&seed, &cuda_offset));
  CHECK(cuda_offset == cpu_offset);
  Handle got_cpu = to_cpu(got);
  require_same(got_cpu, want, ulps);
}

Handle full_on(double v, const std::vector<int64_t>& shape, tensor_dtype dt, bool cuda) {
  tensor_options o = on(dt, cuda);
  Handle h;
  REQUIRE_OK(tensor_full(h.out(), shape.data(), static_cast<int32_t>(shape.size()), v, &o));
  return h;
}

Handle maybe_cuda(const tensor* t, bool cuda) { return cuda ? to_cuda(t) : to_cpu(t); }

}  // namespace

TEST_CASE("cuda random: randint and randperm are bitwise the CPU's") {
  for (tensor_dtype dt : {TENSOR_INT64, TENSOR_INT32, TENSOR_FLOAT32}) {
    same_draw("randint", [dt](bool cuda) {
      tensor_options o = on(dt, cuda);
      const int64_t shape[] = {333, 7};
      Handle h;
      REQUIRE_OK(tensor_randint(h.out(), -50, 1000, shape, 2, &o));
      return h;
    });
  }
  same_draw("randint full int64 range", [](bool cuda) {
    tensor_options o = on(TENSOR_INT64, cuda);
    const int64_t shape[] = {1001};
    Handle h;
    REQUIRE_OK(tensor_randint(h.out(), INT64_MIN, INT64_MAX, shape, 1, &o));
    return h;
  });
  for (int64_t n : {int64_t(1), int64_t(777), int64_t(100000), int64_t(1) << 20}) {
    same_draw("randperm", [n](bool cuda) {
      tensor_options o = on(TENSOR_INT64, cuda);
      Handle h;
      REQUIRE_OK(tensor_randperm(h.out(), n, &o));
      return h;
    });
  }
}

TEST_CASE("cuda random: bernoulli and dropout masks are bitwise the CPU's") {
  Handle probs = make_typed(TENSOR_FLOAT64, {64, 65}, 3, false);
  Handle p01;
  REQUIRE_OK(tensor_sigmoid(p01.out(), probs));
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    Handle p;
    REQUIRE_OK(tensor_to_dtype(p.out(), p01, dt));
    same_draw("bernoulli", [&p](bool cuda) {
      Handle pc = maybe_cuda(p, cuda), h;
      REQUIRE_OK(tensor_bernoulli(h.out(), pc));
      return h;
    });
    same_draw("dropout", [dt](bool cuda) {
      Handle ones = full_on(1.0, {100, 37}, dt, cuda), h;
      REQUIRE_OK(tensor_dropout(h.out(), ones, 0.3, true));
      return h;
    });
  }
  same_draw("dropout grad", [](bool cuda) {
    Handle x = full_on(3.0, {999}, TENSOR_FLOAT32, cuda), d, s, g;
    REQUIRE_OK(tensor_set_requires_grad(x, true));
    REQUIRE_OK(tensor_dropout(d.out(), x, 0.6, true));
    REQUIRE_OK(tensor_sum(s.out(), d, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(s, nullptr, false));
    REQUIRE_OK(tensor_grad(g.out(), x));
    return g;
  });
}

TEST_CASE("cuda random: uniform_ is bitwise the CPU's, normal_ within rounding") {
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    same_draw("uniform_", [dt](bool cuda) {
      Handle t = full_on(0.0, {1001, 3}, dt, cuda);
      REQUIRE_OK(tensor_uniform_(t, -2, 3));
      return t;
    });
    same_draw("normal_", [dt](bool cuda) {
      Handle t = full_on(0.0, {1001, 3}, dt, cuda);
      REQUIRE_OK(tensor_normal_(t, 1, 2));
      return t;
    }, 16);
  }
}

TEST_CASE("cuda random: multinomial matches the CPU") {
  Handle w = make_typed(TENSOR_FLOAT32, {40, 30}, 5, false), aw;
  REQUIRE_OK(tensor_abs(aw.out(), w));
  same_draw("multinomial with replacement", [&aw](bool cuda) {
    Handle wc = maybe_cuda(aw, cuda), h;
    REQUIRE_OK(tensor_multinomial(h.out(), wc, 50, true));
    return h;
  });
  // Without replacement: distinct categories per row, and the same samples as the CPU unless two keys
  // round differently through the device's log (not expected on these sizes).
  same_draw("multinomial without replacement", [&aw](bool cuda) {
    Handle wc = maybe_cuda(aw, cuda), h;
    REQUIRE_OK(tensor_multinomial(h.out(), wc, 12, false));
    Handle host = to_cpu(h);
    const std::vector<int64_t> v = values<int64_t>(host);
    for (size_t r = 0; r < 40; ++r) CHECK(std::set<int64_t>(v.begin() + r * 12, v.begin() + r * 12 + 12).size() == 12);
    return h;
  });
}

TEST_CASE("cuda random: bad probabilities are refused on the device too") {
  Handle bad = make<float>({0.5f, 1.5f}, {2});
  Handle cb = to_cuda(bad), out;
  CHECK(tensor_bernoulli(out.out(), cb) == TENSOR_ERR_INVALID_ARGUMENT);
  Handle neg = make<float>({1.0f, -1.0f}, {2});
  Handle cn = to_cuda(neg);
  CHECK(tensor_multinomial(out.out(), cn, 1, true) == TENSOR_ERR_INVALID_ARGUMENT);
}
