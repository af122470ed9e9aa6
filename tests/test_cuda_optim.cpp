// SGD and Adam/AdamW steps on CUDA against the CPU on the same parameters and grads: every configuration
// (momentum, dampening, nesterov, weight decay, maximize; amsgrad, coupled or decoupled decay), float32
// and float64, a large parameter (many blocks, grid-stride) and a parameter without a grad, 3 steps each,
// parameters and state compared. Both backends evaluate core/optim_math.h's formulas in the element type,
// so they differ only where the device contracts a multiply-add (a few ulps). Also clip_grad_norm_.
#include <string>
#include <vector>

#include "test_cuda_util.h"

namespace {

constexpr double kUlps = 64;

Handle leaf_copy(const tensor* src, bool cuda) {
  Handle c, d;
  if (cuda) c = to_cuda(src);
  else REQUIRE_OK(tensor_clone(c.out(), src));
  REQUIRE_OK(tensor_detach(d.out(), c));
  REQUIRE_OK(tensor_set_requires_grad(d, true));
  return d;
}

void set_grad(tensor* p, const tensor* w) {
  REQUIRE_OK(tensor_zero_grad(p));
  Handle prod, s;
  REQUIRE_OK(tensor_mul(prod.out(), p, w));
  REQUIRE_OK(tensor_sum(s.out(), prod, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
}


void compare_runs(const char* what, bool adam, const void* opts, const std::vector<const char*>& names) {
  INFO(what);
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    const std::vector<std::vector<int64_t>> shapes = {{5, 7}, {300001}, {3}};
    std::vector<Handle> init, grads;
    for (size_t i = 0; i < shapes.size(); ++i) {
      init.push_back(make_typed(dt, shapes[i], 11 + uint32_t(i), false));
      grads.push_back(make_typed(dt, shapes[i], 51 + uint32_t(i), false));
    }
    std::vector<std::vector<Handle>> params(2);
    std::vector<tensor_optimizer*> opt(2, nullptr);
    for (int dev = 0; dev < 2; ++dev) {
      std::vector<tensor*> hs;
      for (size_t i = 0; i < shapes.size(); ++i) {
        params[dev].push_back(leaf_copy(init[i], dev == 1));
        hs.push_back(params[dev].back());
      }
      if (adam)
        REQUIRE_OK(tensor_optimizer_adam(&opt[dev], hs.data(), 3, static_cast<const tensor_adam_options*>(opts)));
      else
        REQUIRE_OK(tensor_optimizer_sgd(&opt[dev], hs.data(), 3, static_cast<const tensor_sgd_options*>(opts)));
      for (int k = 0; k < 3; ++k) {
        for (size_t i = 0; i < 2; ++i) {  // the last parameter has no grad
          Handle w = dev == 1 ? to_cuda(grads[i]) : Handle(tensor_retain(grads[i]));
          set_grad(hs[i], w);
        }
        REQUIRE_OK(tensor_optimizer_step(opt[dev]));
      }
    }
    for (size_t i = 0; i < shapes.size(); ++i) {
      require_same(to_cpu(params[1][i]), params[0][i], kUlps);
      if (i == 2) continue;
      for (const char* n : names) {
        Handle a, b;
        REQUIRE_OK(tensor_optimizer_state(a.out(), opt[0], int32_t(i), n));
        REQUIRE_OK(tensor_optimizer_state(b.out(), opt[1], int32_t(i), n));
        REQUIRE((a.get() == nullptr) == (b.get() == nullptr));
        if (a.get()) require_same(to_cpu(b), a, kUlps);
      }
    }
    tensor_optimizer_free(opt[0]);
    tensor_optimizer_free(opt[1]);
  }
}

}  // namespace

TEST_CASE("cuda SGD steps match the CPU in every configuration") {
  const std::vector<const char*> names = {"momentum_buffer"};
  tensor_sgd_options o = TENSOR_SGD_OPTIONS_INIT;
  o.lr = 0.1;
  compare_runs("plain", false, &o, names);
  o.momentum = 0.9;
  o.dampening = 0.2;
  o.weight_decay = 0.05;
  compare_runs("momentum dampening weight_decay", false, &o, names);
  o.dampening = 0;
  o.nesterov = true;
  o.maximize = true;
  compare_runs("nesterov maximize", false, &o, names);
}

TEST_CASE("cuda Adam and AdamW steps match the CPU in every configuration") {
  const std::vector<const char*> names = {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
  tensor_adam_options o = TENSOR_ADAM_OPTIONS_INIT;
  o.lr = 0.01;
  compare_runs("adam", true, &o, names);
  o.amsgrad = true;
  o.weight_decay = 0.1;
  compare_runs("adam amsgrad weight_decay", true, &o, names);
  o.decoupled_weight_decay = true;
  o.maximize = true;
  compare_runs("adamw amsgrad maximize", true, &o, names);
}

TEST_CASE("cuda clip_grad_norm_ matches the CPU") {
  for (double norm : {1.0, 2.0, 3.0, double(INFINITY)}) {
    std::vector<double> totals;
    std::vector<Handle> gs;
    for (int dev = 0; dev < 2; ++dev) {
      Handle init = make_typed(TENSOR_FLOAT32, {1000}, 3, false);
      Handle w = make_typed(TENSOR_FLOAT32, {1000}, 4, false);
      Handle p = leaf_copy(init, dev == 1);
      Handle wd = dev == 1 ? to_cuda(w) : Handle(tensor_retain(w));
      set_grad(p, wd);
      tensor* ps[] = {p};
      double total = 0;
      REQUIRE_OK(tensor_clip_grad_norm_(&total, ps, 1, 0.5, norm));
      totals.push_back(total);
      Handle g;
      REQUIRE_OK(tensor_grad(g.out(), p));
      gs.push_back(dev == 1 ? to_cpu(g) : std::move(g));
    }
    CHECK(totals[1] == Approx(totals[0]).epsilon(1e-5));
    require_same(gs[1], gs[0], kUlps);
  }
}
