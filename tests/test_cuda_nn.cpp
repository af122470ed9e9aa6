// The softmax family and the losses on CUDA against the CPU on the same inputs: forward values, the grads
// autograd computes on the GPU (the fused softmax / nll backward kernels), and the device-side target check
// (an out-of-range class is TENSOR_ERR_INDEX naming the value, reported at the call's synchronisation).
#include <cstring>
#include <functional>
#include <limits>
#include <string>

#include "test_cuda_util.h"

namespace {

// Tolerances in ulps: the CPU's vector exp/log and the GPU's expf/logf differ by a few ulps per element,
// and a row's sum adds them up in a different order on each device.
constexpr double kElementUlps = 64;
constexpr double kLossUlps = 1024;

Handle targets(const std::vector<int64_t>& v, const std::vector<int64_t>& shape) { return make<int64_t>(v, shape); }

std::vector<int64_t> class_targets(size_t n, int64_t classes, uint32_t seed) {
  std::vector<int64_t> t(n);
  uint32_t s = seed * 2654435761u + 1;
  for (int64_t& x : t) {
    s = s * 1664525u + 1013904223u;
    x = static_cast<int64_t>((s >> 8) % static_cast<uint32_t>(classes));
  }
  return t;
}

using Forward = std::function<tensor_status(tensor**, const tensor*)>;

// Runs f on x (CPU) and on x's CUDA copy, compares the outputs, then the grads of sum(out * weights) with
// respect to x: a weighted sum makes every output element's grad distinct.
void same_forward_and_grad(const char* what, const Forward& f, const tensor* x_cpu, double ulps) {
  INFO(what);
  std::vector<Handle> outs, grads;
  for (bool cuda : {false, true}) {
    // A fresh leaf on each device (to_device of a CPU tensor to the CPU could share its handle's tensor).
    Handle x;
    if (cuda) x = to_cuda(x_cpu);
    else REQUIRE_OK(tensor_clone(x.out(), x_cpu));
    REQUIRE_OK(tensor_set_requires_grad(x, true));
    Handle out;
    REQUIRE_OK(f(out.out(), x));
    Handle w_cpu = make_typed(tensor_get_dtype(out), shape_of(out), 99, false);
    Handle w = cuda ? to_cuda(w_cpu) : std::move(w_cpu);
    Handle prod, loss;
    REQUIRE_OK(tensor_mul(prod.out(), out, w));
    REQUIRE_OK(tensor_sum(loss.out(), prod, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(loss, nullptr, false));
    Handle g;
    REQUIRE_OK(tensor_grad(g.out(), x));
    REQUIRE(g.get() != nullptr);
    REQUIRE(tensor_get_device(g).type == (cuda ? TENSOR_CUDA : TENSOR_CPU));
    outs.push_back(cuda ? to_cpu(out) : std::move(out));
    grads.push_back(cuda ? to_cpu(g) : std::move(g));
  }
  require_same(outs[1], outs[0], ulps);
  require_same(grads[1], grads[0], ulps);
}

}  // namespace

TEST_CASE("cuda nn: softmax and log_softmax match the CPU over every dim, rows long and short") {
  const std::vector<std::vector<int64_t>> shapes = {{7}, {3, 5}, {4, 1000}, {2, 3, 17}, {64, 9, 4}, {1, 4097}};
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    for (const std::vector<int64_t>& shape : shapes) {
      Handle x = make_typed(dt, shape, 7, false);
      for (int32_t dim = -static_cast<int32_t>(shape.size()); dim < static_cast<int32_t>(shape.size()); ++dim) {
        INFO("dtype " << dt << ", ndim " << shape.size() << ", dim " << dim);
        same_forward_and_grad("softmax", [dim](tensor** o, const tensor* a) { return tensor_softmax(o, a, dim); }, x,
                              kElementUlps);
        same_forward_and_grad("log_softmax",
                              [dim](tensor** o, const tensor* a) { return tensor_log_softmax(o, a, dim); }, x,
                              kElementUlps);
      }
    }
  }
}

TEST_CASE("cuda nn: softmax of a transposed input and of rows holding inf and NaN") {
  Handle x = make_typed(TENSOR_FLOAT32, {6, 33}, 3, false);
  Handle xt;
  REQUIRE_OK(tensor_transpose(xt.out(), x, 0, 1));
  same_forward_and_grad("softmax of a transpose", [](tensor** o, const tensor* a) { return tensor_softmax(o, a, 1); },
                        xt, kElementUlps);
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  Handle s = make<float>({1, 2, inf, 3, -inf, -inf, -inf, -inf, 1, nan, 2, 3}, {3, 4});
  for (bool log : {false, true}) {
    Handle want, got, cs = to_cuda(s);
    REQUIRE_OK(log ? tensor_log_softmax(want.out(), s, 1) : tensor_softmax(want.out(), s, 1));
    REQUIRE_OK(log ? tensor_log_softmax(got.out(), cs, 1) : tensor_softmax(got.out(), cs, 1));
    Handle got_cpu = to_cpu(got);
    require_same(got_cpu, want, kElementUlps);
  }
}

TEST_CASE("cuda nn: logsumexp matches the CPU") {
  Handle x = make_typed(TENSOR_FLOAT64, {5, 8, 3}, 11, false);
  for (const std::vector<int32_t>& dims : std::vector<std::vector<int32_t>>{{}, {0}, {1}, {-1}, {0, 2}}) {
    for (bool keepdim : {false, true}) {
      same_forward_and_grad(
          "logsumexp",
          [&dims, keepdim](tensor** o, const tensor* a) {
            return tensor_logsumexp(o, a, dims.data(), static_cast<int32_t>(dims.size()), keepdim);
          },
          x, kElementUlps);
    }
  }
}

TEST_CASE("cuda nn: cross_entropy and nll_loss with class targets match the CPU (fused kernels)") {
  const int64_t N = 37, C = 11;
  std::vector<int64_t> t = class_targets(N, C, 5);
  t[3] = -100;  // ignored
  t[10] = -100;
  Handle target = targets(t, {N});
  Handle weight = make<float>(test_values<float>(C, 8, false), {C});
  Handle abs_weight;
  REQUIRE_OK(tensor_abs(abs_weight.out(), weight));
  Handle logits = make_typed(TENSOR_FLOAT32, {N, C}, 4, false);
  for (tensor_reduction r : {TENSOR_REDUCTION_NONE, TENSOR_REDUCTION_MEAN, TENSOR_REDUCTION_SUM}) {
    for (bool weighted : {false, true}) {
      for (double smoothing : {0.0, 0.1}) {
        INFO("reduction " << r << ", weighted " << weighted << ", label_smoothing " << smoothing);
        Handle cuda_target = to_cuda(target), cuda_weight = to_cuda(abs_weight);
        auto ce = [&](tensor** o, const tensor* a) {
          const bool on_cuda = tensor_get_device(a).type == TENSOR_CUDA;
          const tensor* tt = on_cuda ? cuda_target.get() : target.get();
          const tensor* ww = weighted ? (on_cuda ? cuda_weight.get() : abs_weight.get()) : nullptr;
          return tensor_cross_entropy(o, a, tt, ww, -100, smoothing, r);
        };
        same_forward_and_grad("cross_entropy", ce, logits, kLossUlps);
        auto nll = [&](tensor** o, const tensor* a) {
          const bool on_cuda = tensor_get_device(a).type == TENSOR_CUDA;
          Handle lp;
          tensor_status st = tensor_log_softmax(lp.out(), a, 1);
          if (st != TENSOR_OK) return st;
          const tensor* tt = on_cuda ? cuda_target.get() : target.get();
          const tensor* ww = weighted ? (on_cuda ? cuda_weight.get() : abs_weight.get()) : nullptr;
          return tensor_nll_loss(o, lp, tt, ww, -100, r);
        };
        same_forward_and_grad("nll_loss", nll, logits, kLossUlps);
      }
    }
  }
}

TEST_CASE("cuda nn: cross_entropy over spatial dims (N, C, d1, d2) matches the CPU") {
  const int64_t N = 3, C = 5, H = 4, W = 6;
  Handle target = targets(class_targets(N * H * W, C, 9), {N, H, W});
  Handle cuda_target = to_cuda(target);
  Handle logits = make_typed(TENSOR_FLOAT64, {N, C, H, W}, 12, false);
  auto ce = [&](tensor** o, const tensor* a) {
    const bool on_cuda = tensor_get_device(a).type == TENSOR_CUDA;
    return tensor_cross_entropy(o, a, on_cuda ? cuda_target.get() : target.get(), nullptr, -100, 0.0,
                                TENSOR_REDUCTION_MEAN);
  };
  same_forward_and_grad("spatial cross_entropy", ce, logits, kLossUlps);
}

TEST_CASE("cuda nn: an out-of-range class target is TENSOR_ERR_INDEX naming it, and the device stays usable") {
  Handle logits = to_cuda(make_typed(TENSOR_FLOAT32, {4, 3}, 2, false));
  for (int64_t bad : {int64_t(3), int64_t(-1), int64_t(1) << 40}) {
    INFO("target " << bad);
    Handle target = to_cuda(targets({0, 2, bad, 1}, {4}));
    Handle out;
    REQUIRE(tensor_cross_entropy(out.out(), logits, target, nullptr, -100, 0.0, TENSOR_REDUCTION_MEAN) ==
            TENSOR_ERR_INDEX);
    REQUIRE(out.get() == nullptr);
    REQUIRE(std::strstr(tensor_last_error(), std::to_string(bad).c_str()) != nullptr);
  }
  Handle target = to_cuda(targets({0, 2, 2, 1}, {4}));
  Handle out;
  REQUIRE_OK(tensor_cross_entropy(out.out(), logits, target, nullptr, -100, 0.0, TENSOR_REDUCTION_MEAN));
  REQUIRE_OK(tensor_cuda_synchronize(0));
}

TEST_CASE("cuda nn: mse, l1, smooth_l1 and binary_cross_entropy_with_logits match the CPU") {
  Handle input = make_typed(TENSOR_FLOAT32, {9, 7}, 21, false);
  Handle target_cpu = make_typed(TENSOR_FLOAT32, {9, 7}, 22, false);
  Handle probs_cpu;
  REQUIRE_OK(tensor_sigmoid(probs_cpu.out(), target_cpu));
  Handle weight_cpu = make<float>(test_values<float>(7, 23, false), {7});
  Handle pos_cpu;
  REQUIRE_OK(tensor_abs(pos_cpu.out(), weight_cpu));
  Handle target_gpu = to_cuda(target_cpu), probs_gpu = to_cuda(probs_cpu), weight_gpu = to_cuda(weight_cpu),
         pos_gpu = to_cuda(pos_cpu);
  for (tensor_reduction r : {TENSOR_REDUCTION_NONE, TENSOR_REDUCTION_MEAN, TENSOR_REDUCTION_SUM}) {
    INFO("reduction " << r);
    auto pick = [](const tensor* a, const Handle& cpu, const Handle& gpu) {
      return tensor_get_device(a).type == TENSOR_CUDA ? gpu.get() : cpu.get();
    };
    same_forward_and_grad(
        "mse_loss", [&](tensor** o, const tensor* a) { return tensor_mse_loss(o, a, pick(a, target_cpu, target_gpu), r); },
        input, kLossUlps);
    same_forward_and_grad(
        "l1_loss", [&](tensor** o, const tensor* a) { return tensor_l1_loss(o, a, pick(a, target_cpu, target_gpu), r); },
        input, kLossUlps);
    same_forward_and_grad("smooth_l1_loss",
                          [&](tensor** o, const tensor* a) {
                            return tensor_smooth_l1_loss(o, a, pick(a, target_cpu, target_gpu), 0.5, r);
                          },
                          input, kLossUlps);
    same_forward_and_grad("binary_cross_entropy_with_logits",
                          [&](tensor** o, const tensor* a) {
                            return tensor_binary_cross_entropy_with_logits(o, a, pick(a, probs_cpu, probs_gpu),
                                                                           pick(a, weight_cpu, weight_gpu),
                                                                           pick(a, pos_cpu, pos_gpu), r);
                          },
                          input, kLossUlps);
  }
}
