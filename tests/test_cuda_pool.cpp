// max_pool2d, avg_pool2d, adaptive_avg_pool2d, embedding and pad on CUDA against the CPU on the same inputs:
// forward values (max pools and their indices bit for bit, NaN and infinities included: both backends run
// core/pool_args.h's window rules), and the grads of the input / weight. The CUDA backward adds
// overlapping windows' shares with atomics in no fixed order, so grads agree to a few ulps, not bits.
#include <functional>

#include "test_cuda_util.h"

namespace {

constexpr double kUlps = 64;

// out = f(x) on the CPU and on CUDA; compares out, the second output when f makes one (indices), and the
// grad of sum(out * r) with respect to x.
using PoolFn = std::function<tensor_status(tensor** out, tensor** extra, const tensor* x)>;

void same_on_cuda(const char* what, const PoolFn& f, const tensor* x_cpu, bool grads, double ulps) {
  INFO(what);
  Handle outs[2], extras[2], gx[2];
  for (int k = 0; k < 2; ++k) {
    const bool cuda = k == 1;
    Handle x;
    if (cuda)
      x = to_cuda(x_cpu);
    else
      REQUIRE_OK(tensor_clone(x.out(), x_cpu));
    if (grads) REQUIRE_OK(tensor_set_requires_grad(x, true));
    Handle out, extra;
    REQUIRE_OK(f(out.out(), extra.out(), x));
    if (grads) {
      Handle r_cpu = make_typed(tensor_get_dtype(out), shape_of(out), 91, false);
      Handle r = cuda ? to_cuda(r_cpu) : std::move(r_cpu);
      Handle prod, loss, g;
      REQUIRE_OK(tensor_mul(prod.out(), out, r));
      REQUIRE_OK(tensor_sum(loss.out(), prod, nullptr, 0, false));
      REQUIRE_OK(tensor_backward(loss, nullptr, false));
      REQUIRE_OK(tensor_grad(g.out(), x));
      REQUIRE(g.get() != nullptr);
      gx[k] = cuda ? to_cpu(g) : std::move(g);
    }
    outs[k] = cuda ? to_cpu(out) : std::move(out);
    if (extra.get()) extras[k] = cuda ? to_cpu(extra) : std::move(extra);
  }
  require_same(outs[1], outs[0], ulps);
  REQUIRE((extras[0].get() == nullptr) == (extras[1].get() == nullptr));
  if (extras[0].get()) require_same(extras[1], extras[0]);
  if (grads) require_same(gx[1], gx[0], kUlps);
}

}  // namespace

TEST_CASE("cuda pool: max_pool2d, avg_pool2d, adaptive_avg_pool2d match the CPU, forward and grads") {
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    INFO("dtype " << dt);
    Handle x = make_typed(dt, {4, 6, 13, 11}, 3, false), xt, x3 = make_typed(dt, {5, 9, 8}, 4, false);
    REQUIRE_OK(tensor_transpose(xt.out(), x, 2, 3));            // non-contiguous (4, 6, 11, 13)
    Handle specials = make_typed(dt, {3, 4, 12, 10}, 5, true);  // NaN, +-inf: forward only
    const int64_t k2[2] = {2, 2}, k3[2] = {3, 3}, k32[2] = {3, 2}, s1[2] = {1, 1}, s21[2] = {2, 1}, p1[2] = {1, 1},
                  p10[2] = {1, 0}, d2[2] = {2, 2}, o[2] = {5, 3};
    struct Case {
      const char* what;
      PoolFn f;
      const tensor* x;
    };
    const Case cases[] = {
        {"max 2x2",
         [&](tensor** y, tensor** i, const tensor* a) {
           return tensor_max_pool2d(y, i, a, k2, nullptr, nullptr, nullptr, false);
         },
         x},
        {"max 3x3 s1 p1 d2 ceil strided",
         [&](tensor** y, tensor** i, const tensor* a) { return tensor_max_pool2d(y, i, a, k3, s1, p1, d2, true); }, xt},
        {"max (3, 2) s(2, 1) p(1, 0) 3-d",
         [&](tensor** y, tensor** i, const tensor* a) {
           return tensor_max_pool2d(y, i, a, k32, s21, p10, nullptr, false);
         },
         x3},
        {"avg 3x3 s1 p1 count_include_pad",
         [&](tensor** y, tensor**, const tensor* a) { return tensor_avg_pool2d(y, a, k3, s1, p1, false, true); }, x},
        {"avg 3x3 p1 ceil no pad count strided",
         [&](tensor** y, tensor**, const tensor* a) { return tensor_avg_pool2d(y, a, k3, nullptr, p1, true, false); },
         xt},
        {"adaptive (5, 3)", [&](tensor** y, tensor**, const tensor* a) { return tensor_adaptive_avg_pool2d(y, a, o); },
         x},
        {"adaptive (5, 3) 3-d",
         [&](tensor** y, tensor**, const tensor* a) { return tensor_adaptive_avg_pool2d(y, a, o); }, x3},
    };
    for (const Case& c : cases) same_on_cuda(c.what, c.f, c.x, true, 4);
    // Max pools pick the same element bit for bit, NaN and infinities included.
    same_on_cuda("max 3x3 s1 p1 with NaN/inf", cases[1].f, specials, false, 0);
    same_on_cuda("max 2x2 with NaN/inf", cases[0].f, specials, false, 0);
  }
}

TEST_CASE("cuda pool: embedding and pad match the CPU, forward and grads") {
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    INFO("dtype " << dt);
    Handle w = make_typed(dt, {7, 5}, 6, false);
    Handle idx_cpu = make<int64_t>({0, 3, 3, 6, 1, 3, 0, 0, 2, 6, 6, 6}, {3, 4});  // repeated rows add
    same_on_cuda(
        "embedding",
        [&](tensor** y, tensor**, const tensor* a) {
          Handle idx = tensor_get_device(a).type == TENSOR_CUDA ? to_cuda(idx_cpu) : to_cpu(idx_cpu);
          return tensor_embedding(y, a, idx);
        },
        w, true, 0);
    Handle x = make_typed(dt, {3, 4, 5}, 7, false);
    const int64_t pads[6] = {2, -1, -1, 3, 1, 0};
    same_on_cuda(
        "pad mixed", [&](tensor** y, tensor**, const tensor* a) { return tensor_pad(y, a, pads, 6, 0.5); }, x, true, 0);
  }
  // pad of every dtype, forward
  for (tensor_dtype dt : {TENSOR_INT32, TENSOR_INT64, TENSOR_BOOL}) {
    Handle x = make_typed(dt, {4, 6}, 8, false);
    const int64_t pads[4] = {-2, 3, 1, 1};
    same_on_cuda(
        "pad int/bool", [&](tensor** y, tensor**, const tensor* a) { return tensor_pad(y, a, pads, 4, 1); }, x, false,
        0);
  }
}
