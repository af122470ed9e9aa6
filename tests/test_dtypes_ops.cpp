// The op families beyond elementwise and reductions on the storage dtypes of issue 14 (float16, bfloat16,
// uint8, int8, int16) through the C API: the refusals (TENSOR_ERR_DTYPE naming the dtype where PyTorch
// refuses the dtype, TENSOR_ERR_INVALID_ARGUMENT where c10's checked conversion refuses a value) and
// hand-checked values of the cases whose rule is easy to get wrong (PyTorch 1.13's outputs). The sweep of
// every op x dtype against torch is tests/python/test_dtypes_ops_torch.py.
#include <cmath>
#include <cstdint>
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

// A tensor of `dtype` holding `v` (converted by the library from float64, exact for these values).
Handle of(tensor_dtype dtype, const std::vector<double>& v, std::vector<int64_t> shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  Handle d = make<double>(v, shape), r;
  REQUIRE_OK(tensor_to_dtype(r.out(), d, dtype));
  return r;
}

const tensor_dtype kNew[] = {TENSOR_FLOAT16, TENSOR_BFLOAT16, TENSOR_UINT8, TENSOR_INT8, TENSOR_INT16};

}  // namespace

TEST_CASE("dtypes ops: PyTorch's dtype refusals are TENSOR_ERR_DTYPE naming the dtype") {
  for (tensor_dtype dt : {TENSOR_UINT8, TENSOR_INT8, TENSOR_INT16}) {
    const std::string name = tensor_dtype_name(dt);
    Handle x = of(dt, {1, 2, 3, 4, 5, 6}, {2, 3}), out, idx;
    require_status(tensor_mean(out.out(), x, nullptr, 0, false), TENSOR_ERR_DTYPE, {name});
    require_status(tensor_softmax(out.out(), x, 1), TENSOR_ERR_DTYPE, {name});
    require_status(tensor_gelu(out.out(), x, false), TENSOR_ERR_DTYPE, {name});
    require_status(tensor_layer_norm(out.out(), x, std::vector<int64_t>{3}.data(), 1, nullptr, nullptr, 1e-5),
                   TENSOR_ERR_DTYPE, {name});
    tensor_options o = opts_of(dt);
    const int64_t shape[] = {4};
    require_status(tensor_rand(out.out(), shape, 1, &o), TENSOR_ERR_DTYPE, {name});
    require_status(tensor_randn(out.out(), shape, 1, &o), TENSOR_ERR_DTYPE, {name});
    require_status(tensor_bernoulli(out.out(), x), TENSOR_ERR_DTYPE, {name});
    require_status(tensor_dropout(out.out(), x, 0.5, true), TENSOR_ERR_DTYPE, {name});
    require_status(tensor_set_requires_grad(x, true), TENSOR_ERR_DTYPE, {name});
  }
  // Mixed dtypes are not widened for the float-only families: the op's own check refuses them.
  Handle h = of(TENSOR_FLOAT16, {1, 2, 3}, {1, 3}), w = of(TENSOR_BFLOAT16, {1, 2, 3}, {1, 3}), out;
  require_status(tensor_linear(out.out(), h, w, nullptr), TENSOR_ERR_DTYPE, {"float16", "bfloat16"});
}

TEST_CASE("dtypes ops: fill values c10's checked conversion refuses") {
  const int64_t shape[] = {2};
  Handle out;
  auto full = [&](tensor_dtype dt, double v) {
    tensor_options o = opts_of(dt);
    return tensor_full(out.out(), shape, 1, v, &o);
  };
  // torch.full((2,), 300, dtype=torch.uint8) errors; 255 does not.
  require_status(full(TENSOR_UINT8, 300), TENSOR_ERR_INVALID_ARGUMENT, {"300", "uint8", "overflow"});
  require_status(full(TENSOR_UINT8, -1), TENSOR_ERR_INVALID_ARGUMENT, {"uint8"});
  REQUIRE_OK(full(TENSOR_UINT8, 255));
  CHECK(values<int32_t>(out) == std::vector<int32_t>{255, 255});
  require_status(full(TENSOR_INT8, 128), TENSOR_ERR_INVALID_ARGUMENT, {"int8"});
  require_status(full(TENSOR_INT16, NAN), TENSOR_ERR_INVALID_ARGUMENT, {"int16"});
  require_status(full(TENSOR_INT16, INFINITY), TENSOR_ERR_INVALID_ARGUMENT, {"int16"});
  // float16: 65504 is the largest finite value; 65519 (which would round to it) is refused as torch does.
  REQUIRE_OK(full(TENSOR_FLOAT16, 65504));
  CHECK(values<double>(out) == std::vector<double>{65504, 65504});
  require_status(full(TENSOR_FLOAT16, 65519), TENSOR_ERR_INVALID_ARGUMENT, {"float16"});
  REQUIRE_OK(full(TENSOR_FLOAT16, INFINITY));
  CHECK(std::isinf(values<double>(out)[0]));
  REQUIRE_OK(full(TENSOR_BFLOAT16, 3.38e38));
  require_status(full(TENSOR_BFLOAT16, 3.4e38), TENSOR_ERR_INVALID_ARGUMENT, {"bfloat16"});
  // fill_, masked_fill and pad check the same way.
  Handle u = of(TENSOR_UINT8, {1, 2}), m = make<bool>({true, false}, {2});
  require_status(tensor_fill_(u, 256), TENSOR_ERR_INVALID_ARGUMENT, {"uint8"});
  require_status(tensor_masked_fill(out.out(), u, m, -1), TENSOR_ERR_INVALID_ARGUMENT, {"uint8"});
  const int64_t pads[] = {1, 1};
  require_status(tensor_pad(out.out(), u, pads, 2, 300), TENSOR_ERR_INVALID_ARGUMENT, {"uint8"});
  REQUIRE_OK(tensor_masked_fill(out.out(), u, m, 7));
  CHECK(values<int32_t>(out) == std::vector<int32_t>{7, 2});
}

TEST_CASE("dtypes ops: arange, linspace and eye as torch computes them") {
  Handle out;
  tensor_options u8 = opts_of(TENSOR_UINT8);
  // arange wraps past 255 (torch computes in int64 and converts): 37 * 7 = 259 -> 3.
  REQUIRE_OK(tensor_arange(out.out(), 0, 300, 7, &u8));
  std::vector<int32_t> a = values<int32_t>(out);
  REQUIRE(a.size() == 43);
  CHECK(a[36] == 252);
  CHECK(a[37] == 3);
  // linspace converts its ends first: -10 is 246 in uint8, so the values run down from 246 to 10.
  REQUIRE_OK(tensor_linspace(out.out(), -10, 10, 7, &u8));
  CHECK(values<int32_t>(out) == std::vector<int32_t>{246, 206, 167, 128, 88, 49, 10});
  tensor_options i8 = opts_of(TENSOR_INT8);
  require_status(tensor_linspace(out.out(), 0, 255, 11, &i8), TENSOR_ERR_INVALID_ARGUMENT, {"int8"});
  tensor_options h = opts_of(TENSOR_FLOAT16);
  REQUIRE_OK(tensor_linspace(out.out(), 0, 1, 5, &h));
  CHECK(values<double>(out) == std::vector<double>{0, 0.25, 0.5, 0.75, 1});
  for (tensor_dtype dt : kNew) {
    tensor_options o = opts_of(dt);
    REQUIRE_OK(tensor_eye(out.out(), 2, &o));
    CHECK(tensor_get_dtype(out) == dt);
    CHECK(values<double>(out) == std::vector<double>{1, 0, 0, 1});
  }
}

TEST_CASE("dtypes ops: random bounds per dtype and half draws") {
  Handle out;
  const int64_t shape[] = {1000};
  tensor_manual_seed(3);
  tensor_options u8 = opts_of(TENSOR_UINT8);
  REQUIRE_OK(tensor_randint(out.out(), 0, 256, shape, 1, &u8));  // high may be 256 for uint8
  bool saw_high = false;
  for (int32_t v : values<int32_t>(out)) {
    REQUIRE((v >= 0 && v <= 255));
    saw_high = saw_high || v > 200;
  }
  CHECK(saw_high);
  require_status(tensor_randint(out.out(), 0, 257, shape, 1, &u8), TENSOR_ERR_INVALID_ARGUMENT, {"uint8"});
  require_status(tensor_randint(out.out(), -1, 5, shape, 1, &u8), TENSOR_ERR_INVALID_ARGUMENT, {"uint8"});
  tensor_options i8 = opts_of(TENSOR_INT8);
  REQUIRE_OK(tensor_randperm(out.out(), 128, &i8));
  require_status(tensor_randperm(out.out(), 129, &i8), TENSOR_ERR_INVALID_ARGUMENT, {"int8"});
  tensor_options f16 = opts_of(TENSOR_FLOAT16);
  REQUIRE_OK(tensor_randperm(out.out(), 2049, &f16));
  require_status(tensor_randperm(out.out(), 2050, &f16), TENSOR_ERR_INVALID_ARGUMENT, {"float16"});
  // rand of bfloat16: multiples of 2^-8 in [0, 1), never 1 (float32 values rounded would reach 1).
  tensor_options bf = opts_of(TENSOR_BFLOAT16);
  REQUIRE_OK(tensor_rand(out.out(), shape, 1, &bf));
  CHECK(tensor_get_dtype(out) == TENSOR_BFLOAT16);
  for (double v : values<double>(out)) {
    REQUIRE((v >= 0 && v < 1));
    REQUIRE(v * 256 == std::floor(v * 256));
  }
}

TEST_CASE("dtypes ops: scans, sorting and indexing keep torch's dtypes and values") {
  Handle out, idx;
  // cumsum of uint8 is int64 (no wrap); of float16 it is float16.
  Handle u = of(TENSOR_UINT8, {200, 100, 50});
  REQUIRE_OK(tensor_cumsum(out.out(), u, 0));
  CHECK(tensor_get_dtype(out) == TENSOR_INT64);
  CHECK(values<int64_t>(out) == std::vector<int64_t>{200, 300, 350});
  Handle h = of(TENSOR_FLOAT16, {0.5, 0.25, 2048, 1});
  REQUIRE_OK(tensor_cumsum(out.out(), h, 0));
  CHECK(tensor_get_dtype(out) == TENSOR_FLOAT16);
  // 2048.75 and 2049.75 round to float16's spacing of 2 there (once each, from float32).
  CHECK(values<double>(out) == std::vector<double>{0.5, 0.75, 2048, 2050});
  // sort and topk in the storage dtype, values exact.
  Handle i8 = of(TENSOR_INT8, {5, -128, 127, 0});
  REQUIRE_OK(tensor_sort(out.out(), idx.out(), i8, 0, false, true));
  CHECK(tensor_get_dtype(out) == TENSOR_INT8);
  CHECK(values<int32_t>(out) == std::vector<int32_t>{-128, 0, 5, 127});
  CHECK(values<int64_t>(idx) == std::vector<int64_t>{1, 3, 0, 2});
  Handle bf = of(TENSOR_BFLOAT16, {1.5, -3, 256, 0.0078125});
  REQUIRE_OK(tensor_topk(out.out(), idx.out(), bf, 2, 0, true, true));
  CHECK(tensor_get_dtype(out) == TENSOR_BFLOAT16);
  CHECK(values<double>(out) == std::vector<double>{256, 1.5});
  // gather moves 2-byte elements; index_add_ on int16 wraps once.
  Handle s16 = of(TENSOR_INT16, {32767, 1, -2, 4}, {2, 2});
  Handle gi = make<int64_t>({1, 0, 0, 0}, {2, 2});
  REQUIRE_OK(tensor_gather(out.out(), s16, 1, gi));
  CHECK(values<int32_t>(out) == std::vector<int32_t>{1, 32767, -2, -2});
  Handle t16 = of(TENSOR_INT16, {32767, 0});
  Handle ia = make<int64_t>({0}, {1});
  Handle one = of(TENSOR_INT16, {1});
  REQUIRE_OK(tensor_index_add_(t16, 0, ia, one, 1.0));
  CHECK(values<int32_t>(t16) == std::vector<int32_t>{-32768, 0});
}

TEST_CASE("dtypes ops: clamp_scalar bounds on small integers as torch converts a Python int") {
  Handle out;
  Handle u = of(TENSOR_UINT8, {0, 1, 2, 200});
  // -1 is 255 in uint8: clamp to [255, 1] makes every element 1, as torch.clamp(u, -1, 1).
  REQUIRE_OK(tensor_clamp_scalar(out.out(), u, -1, 1));
  CHECK(tensor_get_dtype(out) == TENSOR_UINT8);
  CHECK(values<int32_t>(out) == std::vector<int32_t>{1, 1, 1, 1});
  REQUIRE_OK(tensor_clamp_scalar(out.out(), u, 1, 100));
  CHECK(values<int32_t>(out) == std::vector<int32_t>{1, 1, 2, 100});
  Handle i8 = of(TENSOR_INT8, {-100, 0, 100});
  require_status(tensor_clamp_scalar(out.out(), i8, -1000, 1), TENSOR_ERR_INVALID_ARGUMENT, {"int8"});
}

TEST_CASE("dtypes ops: half grads come out in the parameter's dtype and match float32's") {
  for (tensor_dtype dt : {TENSOR_FLOAT16, TENSOR_BFLOAT16}) {
    Handle x = of(dt, {0.5, -1, 2, 0.25, 1, -0.5}, {2, 3}), x32, y, y32, s, s32, g, g32;
    REQUIRE_OK(tensor_to_dtype(x32.out(), x, TENSOR_FLOAT32));
    REQUIRE_OK(tensor_set_requires_grad(x, true));
    REQUIRE_OK(tensor_set_requires_grad(x32, true));
    REQUIRE_OK(tensor_log_softmax(y.out(), x, 1));
    REQUIRE_OK(tensor_log_softmax(y32.out(), x32, 1));
    CHECK(tensor_get_dtype(y) == dt);
    Handle w = of(dt, {1, 2, 3, 4, 5, 6}, {2, 3}), w32, p, p32;
    REQUIRE_OK(tensor_to_dtype(w32.out(), w, TENSOR_FLOAT32));
    REQUIRE_OK(tensor_mul(p.out(), y, w));
    REQUIRE_OK(tensor_mul(p32.out(), y32, w32));
    REQUIRE_OK(tensor_sum(s.out(), p, nullptr, 0, false));
    REQUIRE_OK(tensor_sum(s32.out(), p32, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(s, nullptr, false));
    REQUIRE_OK(tensor_backward(s32, nullptr, false));
    REQUIRE_OK(tensor_grad(g.out(), x));
    REQUIRE_OK(tensor_grad(g32.out(), x32));
    CHECK(tensor_get_dtype(g) == dt);
    const double tol = dt == TENSOR_FLOAT16 ? 4e-3 : 3e-2;
    std::vector<double> a = values<double>(g), b = values<double>(g32);
    for (size_t i = 0; i < a.size(); ++i) CHECK(std::fabs(a[i] - b[i]) <= tol * (1 + std::fabs(b[i])));
  }
}

TEST_CASE("dtypes ops: optimizers keep half parameters and state in their dtype") {
  for (tensor_dtype dt : {TENSOR_FLOAT16, TENSOR_BFLOAT16}) {
    Handle p = of(dt, {1, -2, 0.5}), w = of(dt, {0.5, 1, -1}), prod, s, state;
    REQUIRE_OK(tensor_set_requires_grad(p, true));
    tensor_optimizer* o = nullptr;
    tensor_adam_options ao = TENSOR_ADAM_OPTIONS_INIT;
    ao.lr = 0.1;
    REQUIRE_OK(tensor_optimizer_adam(&o, &p.t, 1, &ao));
    REQUIRE_OK(tensor_mul(prod.out(), p, w));
    REQUIRE_OK(tensor_sum(s.out(), prod, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(s, nullptr, false));
    REQUIRE_OK(tensor_optimizer_step(o));
    // Adam's first step moves each element by lr * sign(grad) (m / sqrt(v) = +-1, up to eps).
    CHECK(tensor_get_dtype(p) == dt);
    const std::vector<double> v = values<double>(p);
    CHECK(std::fabs(v[0] - 0.9) < 0.01);
    CHECK(std::fabs(v[1] - -2.1) < 0.02);
    CHECK(std::fabs(v[2] - 0.6) < 0.01);
    REQUIRE_OK(tensor_optimizer_state(state.out(), o, 0, "exp_avg"));
    CHECK(tensor_get_dtype(state) == dt);
    tensor_optimizer_free(o);
  }
}

TEST_CASE("dtypes ops: item of every storage dtype") {
  for (tensor_dtype dt : kNew) {
    Handle t = of(dt, {100}, {1});
    double v = 0;
    REQUIRE_OK(tensor_item(t, &v));
    CHECK(v == 100);
  }
}
