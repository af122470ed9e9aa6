// The C++ wrapper of the optimizers (libtensor::Optimizer, SgdOptions, AdamOptions, clip_grad_norm_): RAII,
// the builder options, errors as exceptions, live state, and a small least-squares fit that converges.
#include <cmath>
#include <vector>

#include "tensor/tensor.hpp"
#include "catch.hpp"

namespace ltw = libtensor;

TEST_CASE("C++ Optimizer: AdamW fits a least-squares problem; state, lr and errors through the wrapper") {
  ltw::Tensor x = ltw::from_vector<float>({1, 2, 3, 4, 5, 6}, {3, 2});
  ltw::Tensor y = ltw::from_vector<float>({0, 1, 2}, {3});  // x @ (1, -0.5): an exact fit exists
  ltw::Tensor w = ltw::from_vector<float>({0, 0}, {2}).requires_grad_();
  ltw::Optimizer opt = ltw::Optimizer::adamw({w}, ltw::AdamOptions(0.1).weight_decay(0.0));
  CHECK(opt.lr() == 0.1);
  float first_loss = 0, loss_v = 0;
  for (int k = 0; k < 300; ++k) {
    opt.zero_grad();
    ltw::Tensor r = x.matmul(w) - y;
    ltw::Tensor loss = (r * r).sum();
    loss.backward();
    loss_v = loss.item<float>();
    if (k == 0) first_loss = loss_v;
    opt.step();
  }
  CHECK(loss_v < 0.1f * first_loss);
  CHECK(opt.state(0, "step").item<float>() == 300.0f);
  CHECK(!opt.state(0, "max_exp_avg_sq").defined());
  opt.set_lr(0.5);
  CHECK(opt.lr() == 0.5);
  CHECK_THROWS_AS(opt.set_lr(-1), ltw::Error);
  CHECK_THROWS_AS(opt.state(3, "step"), ltw::Error);
  CHECK_THROWS_AS(ltw::Optimizer::sgd({w}, ltw::SgdOptions(0.1).nesterov(true)), ltw::Error);
  ltw::Optimizer moved = std::move(opt);
  CHECK(moved.lr() == 0.5);
}

TEST_CASE("C++ Optimizer: SGD with momentum and clip_grad_norm_") {
  ltw::Tensor p = ltw::from_vector<double>({1.0, 2.0}, {2}).requires_grad_();
  ltw::Tensor w = ltw::from_vector<double>({3.0, 4.0}, {2});
  (p * w).sum().backward();
  CHECK(ltw::clip_grad_norm_({p}, 1.0) == Approx(5.0));
  std::vector<double> g = p.grad().to_vector<double>();
  CHECK(g[0] == Approx(0.6).epsilon(1e-5));
  ltw::Optimizer sgd = ltw::Optimizer::sgd({p}, ltw::SgdOptions(1.0).momentum(0.9));
  sgd.step();
  CHECK(p.to_vector<double>()[1] == Approx(2.0 - 0.8).epsilon(1e-5));
  CHECK(sgd.state(0, "momentum_buffer").to_vector<double>()[0] == Approx(0.6).epsilon(1e-5));
}
