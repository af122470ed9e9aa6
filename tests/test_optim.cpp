// Optimizers and clip_grad_norm_ through the C API: option checks with torch's messages, parameter rules,
// skipped parameters, zero_grad, learning rate, state (names, errors, creation on request, checkpoint
// resume), ownership, duplicates, version bumps, exact small cases. The torch differential suite is
// tests/python/test_optim_torch.py; CUDA vs CPU is tests/test_cuda_optim.cpp.
#include <cmath>
#include <string>
#include <vector>

#include "test_util.h"

namespace {

struct Opt {
  tensor_optimizer* o = nullptr;
  Opt() = default;
  Opt(const Opt&) = delete;
  Opt& operator=(const Opt&) = delete;
  ~Opt() { tensor_optimizer_free(o); }
  tensor_optimizer** out() {
    tensor_optimizer_free(o);
    o = nullptr;
    return &o;
  }
  operator tensor_optimizer*() const { return o; }
};

void require_status(tensor_status st, tensor_status want, const std::vector<std::string>& words) {
  INFO(tensor_last_error());
  REQUIRE(st == want);
  const std::string msg = tensor_last_error();
  for (const std::string& w : words) CHECK(msg.find(w) != std::string::npos);
}

template <typename T = double>
Handle leaf(const std::vector<T>& v, const std::vector<int64_t>& shape) {
  Handle h = make<T>(v, shape);
  REQUIRE_OK(tensor_set_requires_grad(h, true));
  return h;
}

// Gives p the grad w (p's grad is replaced): backward of sum(p * w).
void set_grad(tensor* p, const tensor* w) {
  REQUIRE_OK(tensor_zero_grad(p));
  Handle prod, s;
  REQUIRE_OK(tensor_mul(prod.out(), p, w));
  REQUIRE_OK(tensor_sum(s.out(), prod, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
}

std::vector<double> grad_values(const tensor* p) {
  Handle g;
  REQUIRE_OK(tensor_grad(g.out(), p));
  REQUIRE(g.get() != nullptr);
  return values<double>(g);
}

Handle state_of(tensor_optimizer* o, int32_t i, const char* name) {
  Handle s;
  REQUIRE_OK(tensor_optimizer_state(s.out(), o, i, name));
  return s;
}

tensor_sgd_options sgd_opts(double lr, double momentum = 0, double dampening = 0, double wd = 0,
                            bool nesterov = false) {
  tensor_sgd_options o = TENSOR_SGD_OPTIONS_INIT;
  o.lr = lr;
  o.momentum = momentum;
  o.dampening = dampening;
  o.weight_decay = wd;
  o.nesterov = nesterov;
  return o;
}

}  // namespace

TEST_CASE("option structs initialise to version 1, lr 1e-3 and PyTorch's other defaults") {
  tensor_sgd_options s = TENSOR_SGD_OPTIONS_INIT;
  CHECK(s.version == 1u);
  CHECK(s.lr == 1e-3);
  CHECK((s.momentum == 0 && s.dampening == 0 && s.weight_decay == 0 && !s.nesterov && !s.maximize));
  tensor_adam_options a = TENSOR_ADAM_OPTIONS_INIT;
  CHECK(a.version == 1u);
  CHECK((a.lr == 1e-3 && a.beta1 == 0.9 && a.beta2 == 0.999 && a.eps == 1e-8 && a.weight_decay == 0));
  CHECK((!a.amsgrad && !a.decoupled_weight_decay && !a.maximize));
}

TEST_CASE("SGD options are checked as torch.optim.SGD, with its messages") {
  Handle p = leaf({1.0}, {1});
  tensor* ps[] = {p};
  Opt o;
  tensor_sgd_options s = sgd_opts(-0.1);
  require_status(tensor_optimizer_sgd(o.out(), ps, 1, &s), TENSOR_ERR_INVALID_ARGUMENT, {"Invalid learning rate: -0.1"});
  CHECK(o.o == nullptr);
  s = sgd_opts(0.1, -1);
  require_status(tensor_optimizer_sgd(o.out(), ps, 1, &s), TENSOR_ERR_INVALID_ARGUMENT, {"Invalid momentum value: -1.0"});
  s = sgd_opts(0.1, 0, 0, -0.5);
  require_status(tensor_optimizer_sgd(o.out(), ps, 1, &s), TENSOR_ERR_INVALID_ARGUMENT,
                 {"Invalid weight_decay value: -0.5"});
  s = sgd_opts(0.1, 0, 0, 0, true);
  require_status(tensor_optimizer_sgd(o.out(), ps, 1, &s), TENSOR_ERR_INVALID_ARGUMENT,
                 {"Nesterov momentum requires a momentum and zero dampening"});
  s = sgd_opts(0.1, 0.9, 0.1, 0, true);
  require_status(tensor_optimizer_sgd(o.out(), ps, 1, &s), TENSOR_ERR_INVALID_ARGUMENT, {"Nesterov"});
  s = sgd_opts(0.1);
  s.version = 7;
  require_status(tensor_optimizer_sgd(o.out(), ps, 1, &s), TENSOR_ERR_INVALID_ARGUMENT, {"version 7"});
  s = sgd_opts(0.1, 0.9, 0, 0, true);
  REQUIRE_OK(tensor_optimizer_sgd(o.out(), ps, 1, &s));
  REQUIRE_OK(tensor_optimizer_sgd(o.out(), ps, 1, nullptr));  // NULL options: the defaults
  CHECK(tensor_optimizer_get_lr(o) == 1e-3);
}

TEST_CASE("Adam options are checked as torch.optim.Adam, with its messages") {
  Handle p = leaf({1.0}, {1});
  tensor* ps[] = {p};
  Opt o;
  auto check = [&](tensor_adam_options a, const char* words) {
    require_status(tensor_optimizer_adam(o.out(), ps, 1, &a), TENSOR_ERR_INVALID_ARGUMENT, {words});
  };
  tensor_adam_options a = TENSOR_ADAM_OPTIONS_INIT;
  a.lr = -1;
  check(a, "Invalid learning rate: -1.0");
  a = TENSOR_ADAM_OPTIONS_INIT;
  a.lr = NAN;
  check(a, "Invalid learning rate: nan");
  a = TENSOR_ADAM_OPTIONS_INIT;
  a.eps = -1e-8;
  check(a, "Invalid epsilon value: -1e-08");
  a = TENSOR_ADAM_OPTIONS_INIT;
  a.beta1 = 1.0;
  check(a, "Invalid beta parameter at index 0: 1.0");
  a = TENSOR_ADAM_OPTIONS_INIT;
  a.beta2 = -0.5;
  check(a, "Invalid beta parameter at index 1: -0.5");
  a = TENSOR_ADAM_OPTIONS_INIT;
  a.weight_decay = -0.01;
  a.decoupled_weight_decay = true;
  check(a, "Invalid weight_decay value: -0.01");
  a = TENSOR_ADAM_OPTIONS_INIT;
  a.beta1 = 0;  // [0, 1) includes 0
  REQUIRE_OK(tensor_optimizer_adam(o.out(), ps, 1, &a));
  REQUIRE_OK(tensor_optimizer_adam(o.out(), ps, 1, nullptr));
}

TEST_CASE("parameters must be a non-empty list of float leaves that require grad") {
  Handle p = leaf({1.0, 2.0}, {2});
  Handle frozen = make<double>({1.0}, {1});
  Handle y;
  REQUIRE_OK(tensor_mul_scalar(y.out(), p, 2.0));
  Opt o;
  tensor* ps[] = {p, nullptr};
  require_status(tensor_optimizer_sgd(o.out(), ps, 0, nullptr), TENSOR_ERR_INVALID_ARGUMENT,
                 {"optimizer got an empty parameter list"});
  require_status(tensor_optimizer_sgd(o.out(), ps, -1, nullptr), TENSOR_ERR_INVALID_ARGUMENT, {"n must be >= 0"});
  require_status(tensor_optimizer_sgd(o.out(), nullptr, 1, nullptr), TENSOR_ERR_INVALID_ARGUMENT, {"params is NULL"});
  require_status(tensor_optimizer_sgd(o.out(), ps, 2, nullptr), TENSOR_ERR_INVALID_ARGUMENT, {"params[1]", "NULL"});
  tensor* nonleaf[] = {p, y};
  require_status(tensor_optimizer_adam(o.out(), nonleaf, 2, nullptr), TENSOR_ERR_INVALID_ARGUMENT,
                 {"can't optimize a non-leaf Tensor", "parameter 1"});
  tensor* nograd[] = {frozen};
  require_status(tensor_optimizer_sgd(o.out(), nograd, 1, nullptr), TENSOR_ERR_INVALID_ARGUMENT,
                 {"parameter 0 does not require grad"});
  require_status(tensor_optimizer_sgd(nullptr, ps, 1, nullptr), TENSOR_ERR_INVALID_ARGUMENT, {"'out' is NULL"});
}

TEST_CASE("NULL and freed optimizer handles are refused") {
  require_status(tensor_optimizer_step(nullptr), TENSOR_ERR_INVALID_ARGUMENT, {"'o' is NULL"});
  require_status(tensor_optimizer_zero_grad(nullptr, true), TENSOR_ERR_INVALID_ARGUMENT, {"'o' is NULL"});
  require_status(tensor_optimizer_set_lr(nullptr, 0.1), TENSOR_ERR_INVALID_ARGUMENT, {"'o' is NULL"});
  CHECK(std::isnan(tensor_optimizer_get_lr(nullptr)));
  Handle s;
  require_status(tensor_optimizer_state(s.out(), nullptr, 0, "step"), TENSOR_ERR_INVALID_ARGUMENT, {"'o' is NULL"});
  tensor_optimizer_free(nullptr);
}

TEST_CASE("SGD steps: plain, momentum (first buffer = grad), dampening, nesterov, weight decay, maximize") {
  Handle p = leaf({1.0, -2.0}, {2});
  Handle w = make<double>({0.5, 4.0}, {2});
  tensor* ps[] = {p};
  Opt o;
  tensor_sgd_options s = sgd_opts(0.1, 0.9, 0.5, 0.25);
  REQUIRE_OK(tensor_optimizer_sgd(o.out(), ps, 1, &s));
  set_grad(p, w);
  REQUIRE_OK(tensor_optimizer_step(o));
  // d = g + 0.25 p = (0.75, 3.5); buf = d (first step: no dampening); p -= 0.1 d
  std::vector<double> pv = values<double>(p);
  CHECK(pv[0] == Approx(1.0 - 0.075));
  CHECK(pv[1] == Approx(-2.0 - 0.35));
  CHECK(values<double>(state_of(o, 0, "momentum_buffer")) == std::vector<double>{0.75, 3.5});
  REQUIRE_OK(tensor_optimizer_step(o));  // the grad is unchanged
  const double d0 = 0.5 + 0.25 * pv[0], buf0 = 0.9 * 0.75 + 0.5 * d0;
  CHECK(values<double>(p)[0] == Approx(pv[0] - 0.1 * buf0));

  Handle q = leaf({1.0}, {1});
  Handle wq = make<double>({2.0}, {1});
  tensor* qs[] = {q};
  s = sgd_opts(0.5, 0.5, 0, 0, true);
  s.maximize = true;
  REQUIRE_OK(tensor_optimizer_sgd(o.out(), qs, 1, &s));
  set_grad(q, wq);
  REQUIRE_OK(tensor_optimizer_step(o));
  // d = -2; buf = -2; nesterov: d + 0.5 buf = -3; q = 1 + 0.5 * 3
  CHECK(values<double>(q)[0] == 2.5);
}

TEST_CASE("Adam's first step moves each element by lr * g / (|g| + eps); AdamW decays the weights first") {
  Handle p = leaf({1.0, 1.0}, {2});
  Handle w = make<double>({3.0, -0.5}, {2});
  tensor* ps[] = {p};
  Opt o;
  tensor_adam_options a = TENSOR_ADAM_OPTIONS_INIT;
  a.lr = 0.1;
  REQUIRE_OK(tensor_optimizer_adam(o.out(), ps, 1, &a));
  set_grad(p, w);
  REQUIRE_OK(tensor_optimizer_step(o));
  std::vector<double> pv = values<double>(p);
  CHECK(pv[0] == Approx(1.0 - 0.1 * 3.0 / (3.0 + 1e-8)).epsilon(1e-12));
  CHECK(pv[1] == Approx(1.0 + 0.1 * 0.5 / (0.5 + 1e-8)).epsilon(1e-12));
  CHECK(values<float>(state_of(o, 0, "step")) == std::vector<float>{1.0f});
  CHECK(tensor_get_dtype(state_of(o, 0, "step")) == TENSOR_FLOAT32);
  CHECK(tensor_ndim(state_of(o, 0, "step")) == 0);
  std::vector<double> m = values<double>(state_of(o, 0, "exp_avg"));
  CHECK(m[0] == Approx(0.3));
  std::vector<double> v = values<double>(state_of(o, 0, "exp_avg_sq"));
  CHECK(v[1] == Approx(0.001 * 0.25));
  Handle none = state_of(o, 0, "max_exp_avg_sq");  // no amsgrad: torch keeps none
  CHECK(none.get() == nullptr);

  Handle q = leaf({2.0}, {1});
  Handle wq = make<double>({1.0}, {1});
  tensor* qs[] = {q};
  a.decoupled_weight_decay = true;
  a.weight_decay = 0.5;
  REQUIRE_OK(tensor_optimizer_adam(o.out(), qs, 1, &a));
  set_grad(q, wq);
  REQUIRE_OK(tensor_optimizer_step(o));
  CHECK(values<double>(q)[0] == Approx(2.0 * (1 - 0.05) - 0.1 * 1.0 / (1.0 + 1e-8)).epsilon(1e-12));
}

TEST_CASE("a parameter without a grad is skipped and gets no state") {
  Handle p = leaf({1.0}, {1});
  Handle q = leaf({5.0}, {1});
  Handle w = make<double>({1.0}, {1});
  tensor* ps[] = {p, q};
  Opt o;
  tensor_adam_options a = TENSOR_ADAM_OPTIONS_INIT;
  REQUIRE_OK(tensor_optimizer_adam(o.out(), ps, 2, &a));
  set_grad(p, w);
  REQUIRE_OK(tensor_optimizer_step(o));
  REQUIRE_OK(tensor_optimizer_step(o));
  CHECK(values<double>(q) == std::vector<double>{5.0});
  CHECK(values<double>(p)[0] < 1.0);
  CHECK(values<float>(state_of(o, 0, "step")) == std::vector<float>{2.0f});
  CHECK(values<float>(state_of(o, 1, "step")) == std::vector<float>{0.0f});  // created on request, unstepped
}

TEST_CASE("zero_grad fills the grads with zeros or drops them") {
  Handle p = leaf({1.0, 2.0}, {2});
  Handle q = leaf({1.0}, {1});
  Handle w = make<double>({3.0, 4.0}, {2});
  tensor* ps[] = {p, q};
  Opt o;
  tensor_sgd_options s = sgd_opts(0.5, 0, 0, 0.5);
  REQUIRE_OK(tensor_optimizer_sgd(o.out(), ps, 2, &s));
  set_grad(p, w);
  REQUIRE_OK(tensor_optimizer_zero_grad(o, false));
  CHECK(grad_values(p) == std::vector<double>{0.0, 0.0});
  Handle g;
  REQUIRE_OK(tensor_grad(g.out(), q));
  CHECK(g.get() == nullptr);  // no grad stays none
  // a zero grad is not a missing one: the step runs and the weight decay moves p, as torch
  REQUIRE_OK(tensor_optimizer_step(o));
  CHECK(values<double>(p) == std::vector<double>{0.75, 1.5});
  CHECK(values<double>(q) == std::vector<double>{1.0});
  REQUIRE_OK(tensor_optimizer_zero_grad(o, true));
  REQUIRE_OK(tensor_grad(g.out(), p));
  CHECK(g.get() == nullptr);
  REQUIRE_OK(tensor_optimizer_step(o));  // nothing has a grad: nothing moves
  CHECK(values<double>(p) == std::vector<double>{0.75, 1.5});
}

TEST_CASE("set_lr / get_lr: the next step uses the new rate; a bad rate is refused and changes nothing") {
  Handle p = leaf({1.0}, {1});
  Handle w = make<double>({2.0}, {1});
  tensor* ps[] = {p};
  Opt o;
  tensor_sgd_options s = sgd_opts(0.1);
  REQUIRE_OK(tensor_optimizer_sgd(o.out(), ps, 1, &s));
  CHECK(tensor_optimizer_get_lr(o) == 0.1);
  REQUIRE_OK(tensor_optimizer_set_lr(o, 0.25));
  CHECK(tensor_optimizer_get_lr(o) == 0.25);
  require_status(tensor_optimizer_set_lr(o, -1.0), TENSOR_ERR_INVALID_ARGUMENT, {"Invalid learning rate: -1.0"});
  CHECK(tensor_optimizer_get_lr(o) == 0.25);
  set_grad(p, w);
  REQUIRE_OK(tensor_optimizer_step(o));
  CHECK(values<double>(p)[0] == 0.5);

  Opt a;
  REQUIRE_OK(tensor_optimizer_adam(a.out(), ps, 1, nullptr));
  require_status(tensor_optimizer_set_lr(a, NAN), TENSOR_ERR_INVALID_ARGUMENT, {"Invalid learning rate: nan"});
  REQUIRE_OK(tensor_optimizer_set_lr(a, 0.0));
  CHECK(tensor_optimizer_get_lr(a) == 0.0);
}

TEST_CASE("state: names per optimizer, bad index and name, none where torch keeps none") {
  Handle p = leaf({1.0}, {1});
  tensor* ps[] = {p};
  Opt sgd, sgdm, adam;
  REQUIRE_OK(tensor_optimizer_sgd(sgd.out(), ps, 1, nullptr));
  tensor_sgd_options s = sgd_opts(0.1, 0.9);
  REQUIRE_OK(tensor_optimizer_sgd(sgdm.out(), ps, 1, &s));
  tensor_adam_options a = TENSOR_ADAM_OPTIONS_INIT;
  a.amsgrad = true;
  REQUIRE_OK(tensor_optimizer_adam(adam.out(), ps, 1, &a));
  Handle st;
  require_status(tensor_optimizer_state(st.out(), sgd, 0, "exp_avg"), TENSOR_ERR_INVALID_ARGUMENT,
                 {"unknown state 'exp_avg'", "momentum_buffer"});
  require_status(tensor_optimizer_state(st.out(), adam, 0, "momentum_buffer"), TENSOR_ERR_INVALID_ARGUMENT,
                 {"unknown state"});
  require_status(tensor_optimizer_state(st.out(), adam, 0, "bogus"), TENSOR_ERR_INVALID_ARGUMENT, {"'bogus'"});
  require_status(tensor_optimizer_state(st.out(), adam, 1, "step"), TENSOR_ERR_INDEX, {"param_index 1", "1 parameters"});
  require_status(tensor_optimizer_state(st.out(), adam, -1, "step"), TENSOR_ERR_INDEX, {"param_index -1"});
  require_status(tensor_optimizer_state(st.out(), adam, 0, nullptr), TENSOR_ERR_INVALID_ARGUMENT, {"'name' is NULL"});
  require_status(tensor_optimizer_state(nullptr, adam, 0, "step"), TENSOR_ERR_INVALID_ARGUMENT, {"'out' is NULL"});
  CHECK(state_of(sgd, 0, "momentum_buffer").get() == nullptr);  // momentum 0: torch keeps None
  Handle buf = state_of(sgdm, 0, "momentum_buffer");
  REQUIRE(buf.get() != nullptr);
  CHECK(values<double>(buf) == std::vector<double>{0.0});
  CHECK(tensor_get_dtype(buf) == TENSOR_FLOAT64);
  Handle mx = state_of(adam, 0, "max_exp_avg_sq");
  REQUIRE(mx.get() != nullptr);
  CHECK(shape_of(mx) == std::vector<int64_t>{1});
}

TEST_CASE("an SGD momentum buffer asked for before the first step changes nothing unless written") {
  auto run = [](bool ask, bool write) {
    Handle p = leaf({1.0, -1.0}, {2});
    Handle w = make<double>({2.0, 0.5}, {2});
    tensor* ps[] = {p};
    Opt o;
    tensor_sgd_options s = sgd_opts(0.1, 0.9, 0.5);
    REQUIRE_OK(tensor_optimizer_sgd(o.out(), ps, 1, &s));
    if (ask) {
      Handle buf = state_of(o, 0, "momentum_buffer");
      if (write) {
        Handle ones = make<double>({1.0, 1.0}, {2});
        REQUIRE_OK(tensor_copy_(buf, ones));
      }
    }
    set_grad(p, w);
    REQUIRE_OK(tensor_optimizer_step(o));
    return values<double>(p);
  };
  const std::vector<double> plain = run(false, false);
  CHECK(run(true, false) == plain);  // still the first step: buf = grad
  const std::vector<double> loaded = run(true, true);
  CHECK(loaded[0] == Approx(1.0 - 0.1 * (0.9 * 1.0 + 0.5 * 2.0)));  // a loaded buffer
}

namespace {

// Steps `o` over params with fixed grads.
void step_with(tensor_optimizer* o, const std::vector<tensor*>& ps, const std::vector<Handle>& ws) {
  for (size_t i = 0; i < ps.size(); ++i) set_grad(ps[i], ws[i]);
  REQUIRE_OK(tensor_optimizer_step(o));
}

// Copies every named state tensor of `from` into `to` and the params into `to_params`; then both continue
// with the same grads and must stay bitwise equal.
void check_resume(bool adam) {
  Handle p1 = leaf<float>({0.5f, -1.5f, 2.0f}, {3}), p2 = leaf<float>({1.0f, 2.0f}, {2, 1});
  std::vector<Handle> ws;
  ws.push_back(make<float>({0.3f, -0.7f, 1.1f}, {3}));
  ws.push_back(make<float>({-2.0f, 0.25f}, {2, 1}));
  std::vector<tensor*> ps = {p1, p2};
  Opt a, b;
  tensor_adam_options ao = TENSOR_ADAM_OPTIONS_INIT;
  ao.lr = 0.05;
  ao.amsgrad = true;
  ao.weight_decay = 0.1;
  tensor_sgd_options so = sgd_opts(0.05, 0.9, 0.3, 0.1);
  if (adam) REQUIRE_OK(tensor_optimizer_adam(a.out(), ps.data(), 2, &ao));
  else REQUIRE_OK(tensor_optimizer_sgd(a.out(), ps.data(), 2, &so));
  for (int k = 0; k < 3; ++k) {
    // vary the grads between steps so the state carries history
    step_with(a, ps, ws);
    for (Handle& w : ws) REQUIRE_OK(tensor_mul_scalar(w.out(), Handle(tensor_retain(w)), 0.7));
  }
  // the fresh run: new parameters with the saved values, a new optimizer, its state overwritten
  Handle q1, q2;
  REQUIRE_OK(tensor_clone(q1.out(), p1));
  REQUIRE_OK(tensor_clone(q2.out(), p2));
  Handle d1, d2;
  REQUIRE_OK(tensor_detach(d1.out(), q1));
  REQUIRE_OK(tensor_detach(d2.out(), q2));
  REQUIRE_OK(tensor_set_requires_grad(d1, true));
  REQUIRE_OK(tensor_set_requires_grad(d2, true));
  std::vector<tensor*> qs = {d1, d2};
  if (adam) REQUIRE_OK(tensor_optimizer_adam(b.out(), qs.data(), 2, &ao));
  else REQUIRE_OK(tensor_optimizer_sgd(b.out(), qs.data(), 2, &so));
  const std::vector<const char*> names =
      adam ? std::vector<const char*>{"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
           : std::vector<const char*>{"momentum_buffer"};
  for (int32_t i = 0; i < 2; ++i)
    for (const char* n : names) {
      Handle src = state_of(a, i, n), dst = state_of(b, i, n);
      REQUIRE_OK(tensor_copy_(dst, src));
    }
  for (int k = 0; k < 2; ++k) {
    step_with(a, ps, ws);
    step_with(b, qs, ws);
  }
  CHECK(values<float>(p1) == values<float>(d1));
  CHECK(values<float>(p2) == values<float>(d2));
  for (int32_t i = 0; i < 2; ++i)
    for (const char* n : names) CHECK(values<float>(state_of(a, i, n)) == values<float>(state_of(b, i, n)));
}

}  // namespace

TEST_CASE("a checkpoint restored into a fresh optimizer's live state resumes identically (Adam, amsgrad)") {
  check_resume(true);
}

TEST_CASE("a checkpoint restored into a fresh optimizer's live state resumes identically (SGD, momentum)") {
  check_resume(false);
}

TEST_CASE("the optimizer keeps its own references: the caller may free its parameter handles") {
  Handle p = leaf({1.0}, {1});
  Handle w = make<double>({1.0}, {1});
  set_grad(p, w);
  Handle alias(tensor_retain(p));
  Opt o;
  tensor* ps[] = {p};
  tensor_sgd_options s = sgd_opts(0.5);
  REQUIRE_OK(tensor_optimizer_sgd(o.out(), ps, 1, &s));
  p.out();  // frees the caller's handle
  REQUIRE_OK(tensor_optimizer_step(o));
  CHECK(values<double>(alias)[0] == 0.5);
}

TEST_CASE("a parameter listed twice shares its state and is updated once per listing, as torch") {
  Handle p = leaf({1.0}, {1});
  Handle w = make<double>({1.0}, {1});
  tensor* ps[] = {p, p};
  Opt o;
  REQUIRE_OK(tensor_optimizer_adam(o.out(), ps, 2, nullptr));
  set_grad(p, w);
  REQUIRE_OK(tensor_optimizer_step(o));
  CHECK(values<float>(state_of(o, 1, "step")) == std::vector<float>{2.0f});
  Handle s0 = state_of(o, 0, "exp_avg"), s1 = state_of(o, 1, "exp_avg");
  CHECK(s0.get() == s1.get());

  Handle q = leaf({1.0}, {1});
  tensor* qs[] = {q, q};
  tensor_sgd_options s = sgd_opts(0.1, 0.9, 0.5);
  REQUIRE_OK(tensor_optimizer_sgd(o.out(), qs, 2, &s));
  set_grad(q, w);
  REQUIRE_OK(tensor_optimizer_step(o));
  // torch reads both buffers (None) before its loop: each listing sets buf = grad, q -= 0.1 twice
  CHECK(values<double>(q)[0] == Approx(0.8));
  CHECK(values<double>(state_of(o, 0, "momentum_buffer")) == std::vector<double>{1.0});
}

TEST_CASE("a step bumps the parameter's version: a graph that saved it refuses backward") {
  Handle p = leaf({1.0, 2.0}, {2});
  Handle w = make<double>({1.0, 1.0}, {2});
  set_grad(p, w);
  Handle sq, s;
  REQUIRE_OK(tensor_mul(sq.out(), p, p));  // saves p
  REQUIRE_OK(tensor_sum(s.out(), sq, nullptr, 0, false));
  tensor* ps[] = {p};
  Opt o;
  REQUIRE_OK(tensor_optimizer_sgd(o.out(), ps, 1, nullptr));
  REQUIRE_OK(tensor_optimizer_step(o));
  CHECK(tensor_backward(s, nullptr, false) != TENSOR_OK);
  CHECK(std::string(tensor_last_error()).find("modified by an in-place operation") != std::string::npos);
}

TEST_CASE("non-contiguous parameters are updated as their contiguous twins") {
  Handle base = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle t, pt;
  REQUIRE_OK(tensor_transpose(t.out(), base, 0, 1));
  REQUIRE_OK(tensor_detach(pt.out(), t));
  REQUIRE(!tensor_is_contiguous(pt));
  REQUIRE_OK(tensor_set_requires_grad(pt, true));
  Handle pc;
  REQUIRE_OK(tensor_contiguous(pc.out(), pt));
  Handle pcd;
  REQUIRE_OK(tensor_detach(pcd.out(), pc));
  REQUIRE_OK(tensor_set_requires_grad(pcd, true));
  Handle w = make<float>({0.5f, -1, 2, 0.25f, 3, -4}, {3, 2});
  set_grad(pt, w);
  set_grad(pcd, w);
  tensor_adam_options a = TENSOR_ADAM_OPTIONS_INIT;
  a.lr = 0.1;
  Opt o1, o2;
  tensor* p1[] = {pt};
  tensor* p2[] = {pcd};
  REQUIRE_OK(tensor_optimizer_adam(o1.out(), p1, 1, &a));
  REQUIRE_OK(tensor_optimizer_adam(o2.out(), p2, 1, &a));
  for (int k = 0; k < 3; ++k) {
    REQUIRE_OK(tensor_optimizer_step(o1));
    REQUIRE_OK(tensor_optimizer_step(o2));
  }
  CHECK(values<float>(pt) == values<float>(pcd));
}

TEST_CASE("clip_grad_norm_: 2, 1, inf norms, scaling only above max_norm, no grads gives 0") {
  Handle p = leaf({1.0, 1.0}, {2});
  Handle q = leaf({1.0}, {1});
  Handle r = leaf({1.0}, {1});  // no grad: ignored
  Handle wp = make<double>({3.0, -4.0}, {2});
  Handle wq = make<double>({12.0}, {1});
  tensor* ps[] = {p, q, r};
  double total = -1;
  set_grad(p, wp);
  set_grad(q, wq);
  REQUIRE_OK(tensor_clip_grad_norm_(&total, ps, 3, 100.0, 2.0));
  CHECK(total == Approx(13.0));
  CHECK(grad_values(q) == std::vector<double>{12.0});  // below max_norm: untouched
  REQUIRE_OK(tensor_clip_grad_norm_(&total, ps, 3, 1.0, 1.0));
  CHECK(total == Approx(19.0));
  const double c = 1.0 / (19.0 + 1e-6);
  CHECK(grad_values(p)[1] == Approx(-4.0 * c));
  set_grad(p, wp);
  set_grad(q, wq);
  REQUIRE_OK(tensor_clip_grad_norm_(&total, ps, 3, 6.0, INFINITY));
  CHECK(total == 12.0);
  CHECK(grad_values(q)[0] == Approx(12.0 * 6.0 / (12.0 + 1e-6)));
  tensor* none[] = {r};
  REQUIRE_OK(tensor_clip_grad_norm_(&total, none, 1, 1.0, 2.0));
  CHECK(total == 0.0);
  REQUIRE_OK(tensor_clip_grad_norm_(&total, nullptr, 0, 1.0, 2.0));
  CHECK(total == 0.0);
}

TEST_CASE("clip_grad_norm_: a non-finite total is returned and scales the grads, as torch") {
  Handle p = leaf({1.0, 1.0}, {2});
  Handle w = make<double>({INFINITY, 1.0}, {2});
  tensor* ps[] = {p};
  double total = 0;
  set_grad(p, w);
  REQUIRE_OK(tensor_clip_grad_norm_(&total, ps, 1, 1.0, 2.0));
  CHECK(std::isinf(total));
  std::vector<double> g = grad_values(p);
  CHECK(std::isnan(g[0]));  // inf * 0
  CHECK(g[1] == 0.0);
  Handle wn = make<double>({NAN, 1.0}, {2});
  set_grad(p, wn);
  REQUIRE_OK(tensor_clip_grad_norm_(&total, ps, 1, 1.0, 2.0));
  CHECK(std::isnan(total));
  CHECK(std::isnan(grad_values(p)[1]));
}

TEST_CASE("clip_grad_norm_ refuses bad arguments") {
  Handle p = leaf({1.0}, {1});
  tensor* ps[] = {p, nullptr};
  double total = 0;
  require_status(tensor_clip_grad_norm_(nullptr, ps, 1, 1.0, 2.0), TENSOR_ERR_INVALID_ARGUMENT, {"total_norm"});
  require_status(tensor_clip_grad_norm_(&total, ps, -1, 1.0, 2.0), TENSOR_ERR_INVALID_ARGUMENT, {"n must be >= 0"});
  require_status(tensor_clip_grad_norm_(&total, nullptr, 1, 1.0, 2.0), TENSOR_ERR_INVALID_ARGUMENT, {"params is NULL"});
  require_status(tensor_clip_grad_norm_(&total, ps, 2, 1.0, 2.0), TENSOR_ERR_INVALID_ARGUMENT, {"params[1]"});
  require_status(tensor_clip_grad_norm_(&total, ps, 1, 1.0, NAN), TENSOR_ERR_INVALID_ARGUMENT, {"norm_type"});
}
