// Optimizers and clip_grad_norm_ (declared in ops/optim.h): PyTorch 1.13's torch/optim/sgd.py, adam.py,
// adamw.py (single-tensor path) and torch/nn/utils/clip_grad.py. Each step runs one fused backend kernel
// per parameter (sgd_step / adam_step); this file holds the rest of torch's semantics.
#include "ops/optim.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "core/backend.h"
#include "core/status.h"
#include "ops/kernel_dtype.h"
#include "ops/ops.h"

namespace lt {

namespace {

// A double as Python's str(float) writes it (torch's messages format the Python number): "0.5", "-1.0",
// "1e-08", "inf", "nan".
std::string py_float(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".ein") == std::string::npos) s += ".0";
  return s;
}

Tensor zeros_like_contiguous(const Tensor& p) {
  TensorOptions o;
  o.dtype = p.dtype();
  o.device = p.device();
  return full(p.shape(), 0.0, o);
}

}  // namespace

// ---- construction and options ----

void Optimizer::init(const std::vector<Tensor>& params) {
  LT_CHECK(!params.empty(), Status::InvalidArgument, "optimizer got an empty parameter list");
  std::unordered_map<const TensorImpl*, int32_t> seen;
  for (size_t i = 0; i < params.size(); ++i) {
    const Tensor& p = params[i];
    LT_CHECK(p.defined(), Status::InvalidArgument, "parameter " << i << " is NULL");
    LT_CHECK(is_leaf(p), Status::InvalidArgument, "can't optimize a non-leaf Tensor (parameter " << i << ")");
    LT_CHECK(requires_grad(p), Status::InvalidArgument,
             "parameter " << i << " does not require grad (set it with tensor_set_requires_grad first)");
    LT_CHECK(is_floating(p.dtype()), Status::DType,
             "parameter " << i << " has dtype " << dtype_name(p.dtype())
                          << "; the optimizers take float32, float64, float16 and bfloat16");
    // Duplicates (a warning in torch 1.13) share one state, keyed by the tensor, as torch's state dict.
    auto [it, fresh] = seen.emplace(p.impl(), static_cast<int32_t>(states_.size()));
    if (fresh) states_.emplace_back();
    slot_.push_back(it->second);
  }
  params_ = params;
}

Optimizer::Optimizer(const std::vector<Tensor>& params, const SgdOptions& o) : is_adam_(false), sgd_(o) {
  LT_CHECK(!(o.lr < 0.0), Status::InvalidArgument, "Invalid learning rate: " << py_float(o.lr));
  LT_CHECK(!(o.momentum < 0.0), Status::InvalidArgument, "Invalid momentum value: " << py_float(o.momentum));
  LT_CHECK(!(o.weight_decay < 0.0), Status::InvalidArgument,
           "Invalid weight_decay value: " << py_float(o.weight_decay));
  LT_CHECK(!(o.nesterov && (o.momentum <= 0 || o.dampening != 0)), Status::InvalidArgument,
           "Nesterov momentum requires a momentum and zero dampening");
  init(params);
}

Optimizer::Optimizer(const std::vector<Tensor>& params, const AdamOptions& o) : is_adam_(true), adam_(o) {
  LT_CHECK(0.0 <= o.lr, Status::InvalidArgument, "Invalid learning rate: " << py_float(o.lr));
  LT_CHECK(0.0 <= o.eps, Status::InvalidArgument, "Invalid epsilon value: " << py_float(o.eps));
  LT_CHECK(0.0 <= o.beta1 && o.beta1 < 1.0, Status::InvalidArgument,
           "Invalid beta parameter at index 0: " << py_float(o.beta1));
  LT_CHECK(0.0 <= o.beta2 && o.beta2 < 1.0, Status::InvalidArgument,
           "Invalid beta parameter at index 1: " << py_float(o.beta2));
  LT_CHECK(0.0 <= o.weight_decay, Status::InvalidArgument,
           "Invalid weight_decay value: " << py_float(o.weight_decay));
  init(params);
}

// torch checks the learning rate only in the constructor; set_lr applies the same rule (SGD's `lr < 0`,
// Adam's `not 0 <= lr`, which also refuses NaN).
void Optimizer::check_lr(double lr) const {
  const bool bad = is_adam_ ? !(0.0 <= lr) : lr < 0.0;
  LT_CHECK(!bad, Status::InvalidArgument, "Invalid learning rate: " << py_float(lr));
}

void Optimizer::set_lr(double lr) {
  check_lr(lr);
  (is_adam_ ? adam_.lr : sgd_.lr) = lr;
}

// ---- state ----

// Note [optimizer state on request]: torch creates a parameter's state in its first step (Adam: step 0,
// zero exp_avg, exp_avg_sq, max_exp_avg_sq; SGD: the momentum buffer is a copy of the first grad), and
// restoring a checkpoint fills it through load_state_dict. Here the state tensors are live handles that a
// caller writes into, so asking for one before the first step creates the parameter's state then. That
// changes no result: Adam's first step starts from exactly these values, and an SGD momentum buffer that
// was created on request but not written since (its version counter unchanged) is still treated as
// absent by the next step, which sets it to the grad as torch's first step does; a written one is used as
// a loaded buffer, as after torch's load_state_dict.
void Optimizer::create_state(size_t index) {
  State& s = states_[static_cast<size_t>(slot_[index])];
  if (s.exists) return;
  const Tensor& p = params_[index];
  NoGradGuard no_grad;
  if (is_adam_) {
    s.step = scalar_tensor(0.0, DType::Float32, Device{});
    s.exp_avg = zeros_like_contiguous(p);
    s.exp_avg_sq = zeros_like_contiguous(p);
    if (adam_.amsgrad) s.max_exp_avg_sq = zeros_like_contiguous(p);
  }
  s.exists = true;
}

Tensor Optimizer::state(int32_t index, const std::string& name) {
  LT_CHECK(index >= 0 && index < size(), Status::Index,
           "param_index " << index << " is out of range for an optimizer of " << size() << " parameters");
  const bool known = is_adam_ ? (name == "step" || name == "exp_avg" || name == "exp_avg_sq" ||
                                 name == "max_exp_avg_sq")
                              : name == "momentum_buffer";
  LT_CHECK(known, Status::InvalidArgument,
           "unknown state '" << name << "' for " << (is_adam_ ? "Adam" : "SGD") << " (its state: "
                             << (is_adam_ ? "step, exp_avg, exp_avg_sq, max_exp_avg_sq" : "momentum_buffer") << ")");
  const int32_t slot = slot_[static_cast<size_t>(index)];
  State& s = states_[static_cast<size_t>(slot)];
  if (!is_adam_) {
    if (sgd_.momentum == 0) return Tensor();  // torch keeps momentum_buffer None
    if (!s.momentum_buffer.defined()) {
      NoGradGuard no_grad;
      s.momentum_buffer = zeros_like_contiguous(params_[static_cast<size_t>(index)]);
      s.buffer_on_request = true;
      s.buffer_version = s.momentum_buffer.storage()->version();
      s.exists = true;
    }
    return s.momentum_buffer;
  }
  create_state(static_cast<size_t>(index));
  if (name == "step") return s.step;
  if (name == "exp_avg") return s.exp_avg;
  if (name == "exp_avg_sq") return s.exp_avg_sq;
  return s.max_exp_avg_sq;  // undefined without amsgrad, as torch keeps none
}

// ---- step ----

namespace {

// The contiguous operand a kernel writes: t itself, or a contiguous copy written back afterwards.
struct Workspace {
  Tensor original, work;
  explicit Workspace(const Tensor& t) : original(t), work(t.is_contiguous() ? t : contiguous(t)) {}
  void finish() {
    if (!work.same(original)) backend_for(original.device()).copy(original, work);
    original.storage()->bump_version();
  }
};

void check_grad(const Tensor& p, const Tensor& g, size_t i) {
  LT_CHECK(g.shape() == p.shape(), Status::Shape,
           "the grad of parameter " << i << " has shape " << shape_str(g.shape()) << ", the parameter "
                                    << shape_str(p.shape()));
  LT_CHECK(g.dtype() == p.dtype(), Status::DType,
           "the grad of parameter " << i << " has dtype " << dtype_name(g.dtype()) << ", the parameter "
                                    << dtype_name(p.dtype()));
  LT_CHECK(g.device() == p.device(), Status::Device, "the grad of parameter " << i << " is on another device");
  LT_CHECK(!p.storage()->read_only(), Status::InvalidArgument,
           "parameter " << i << " is read-only (e.g. loaded from a file without a copy)");
}

}  // namespace

void Optimizer::step() {
  NoGradGuard no_grad;
  // Everything that can fail is checked before any parameter is written.
  std::vector<Tensor> grads(params_.size());
  for (size_t i = 0; i < params_.size(); ++i) {
    grads[i] = grad_of(params_[i]);
    if (grads[i].defined()) check_grad(params_[i], grads[i], i);
  }
  // torch's SGD reads every momentum buffer before its loop, so duplicates all see the state at the start.
  std::vector<char> first(states_.size(), 0);
  for (size_t k = 0; k < states_.size(); ++k) {
    const State& s = states_[k];
    first[k] = !s.momentum_buffer.defined() ||
               (s.buffer_on_request && s.momentum_buffer.storage()->version() == s.buffer_version);
  }
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!grads[i].defined()) continue;  // torch skips a parameter without a grad
    const Tensor& p = params_[i];
    const Tensor g = grads[i].is_contiguous() ? grads[i] : contiguous(grads[i]);
    State& s = states_[static_cast<size_t>(slot_[i])];
    Workspace pw(p);
    Backend& be = backend_for(p.device());
    // float16 / bfloat16 parameters keep their state in their dtype, as torch's; the fused kernel runs on
    // float32 copies of the parameter, grad and state, whose results are rounded once back into them
    // (torch 1.13 rounds after every op of the update instead; Note [kernel dtype]).
    const bool half = p.dtype() == DType::Float16 || p.dtype() == DType::BFloat16;
    auto wide = [&](const Tensor& t) { return half && t.defined() ? convert(t, DType::Float32) : t; };
    auto round_back = [&](const Tensor& dst, const Tensor& wide_t) {
      if (half && dst.defined()) be.copy(dst, wide_t);
    };
    const Tensor pk = wide(pw.work), gk = wide(g);
    if (!is_adam_) {
      SgdStepArgs a;
      a.lr = sgd_.lr;
      a.momentum = sgd_.momentum;
      a.dampening = sgd_.dampening;
      a.weight_decay = sgd_.weight_decay;
      a.nesterov = sgd_.nesterov;
      a.maximize = sgd_.maximize;
      a.first = first[static_cast<size_t>(slot_[i])] != 0;
      if (a.momentum != 0 && !s.momentum_buffer.defined()) s.momentum_buffer = zeros_like_contiguous(p);
      const Tensor bk = a.momentum != 0 ? wide(s.momentum_buffer) : Tensor();
      be.sgd_step(pk, gk, bk, a);
      round_back(pw.work, pk);
      if (a.momentum != 0) round_back(s.momentum_buffer, bk);
      if (a.momentum != 0) {
        s.momentum_buffer.storage()->bump_version();
        s.buffer_on_request = false;
      }
      s.exists = true;
    } else {
      create_state(i);
      // step_t += 1 in float32, then step = step_t.item() (torch's non-capturable path).
      float* step_t = s.step.data_as<float>();
      *step_t += 1.0f;
      s.step.storage()->bump_version();
      const double step = static_cast<double>(*step_t);
      AdamStepArgs a;
      a.lr = adam_.lr;
      a.beta1 = adam_.beta1;
      a.beta2 = adam_.beta2;
      a.eps = adam_.eps;
      a.weight_decay = adam_.weight_decay;
      a.amsgrad = adam_.amsgrad;
      a.decoupled = adam_.decoupled;
      a.maximize = adam_.maximize;
      a.step_size = adam_.lr / (1 - std::pow(adam_.beta1, step));
      a.bias_correction2_sqrt = std::sqrt(1 - std::pow(adam_.beta2, step));
      const Tensor mk = wide(s.exp_avg), vk = wide(s.exp_avg_sq), vmaxk = wide(s.max_exp_avg_sq);
      be.adam_step(pk, gk, mk, vk, vmaxk, a);
      round_back(pw.work, pk);
      round_back(s.exp_avg, mk);
      round_back(s.exp_avg_sq, vk);
      round_back(s.max_exp_avg_sq, vmaxk);
      s.exp_avg.storage()->bump_version();
      s.exp_avg_sq.storage()->bump_version();
      if (s.max_exp_avg_sq.defined()) s.max_exp_avg_sq.storage()->bump_version();
    }
    pw.finish();
  }
}

void Optimizer::zero_grad(bool set_to_none) {
  NoGradGuard no_grad;
  for (const Tensor& p : params_) {
    if (set_to_none) {
      lt::zero_grad(p);
      continue;
    }
    Tensor g = grad_of(p);
    if (g.defined()) fill_(g, 0.0);
  }
}

// ---- clip_grad_norm_ ----

namespace {

bool is_nan(double v) { return v != v; }

// max / min that propagate NaN, as torch.max over a tensor.
double nan_max(double a, double b) { return is_nan(a) || is_nan(b) ? std::numeric_limits<double>::quiet_NaN() : std::max(a, b); }
double nan_min(double a, double b) { return is_nan(a) || is_nan(b) ? std::numeric_limits<double>::quiet_NaN() : std::min(a, b); }

// torch.norm(g, p) of one grad, as a double.
double grad_norm(const Tensor& g, double p) {
  if (g.numel() == 0) return 0.0;
  if (std::isinf(p)) {
    const Tensor a = unary(UnaryOp::Abs, g);
    return item(p > 0 ? max_all(a) : min_all(a));
  }
  if (p == 0) return item(sum(binary_scalar(BinaryOp::Ne, g, 0.0), {}, false));
  if (p == 1) return item(sum(unary(UnaryOp::Abs, g), {}, false));
  if (p == 2) return std::sqrt(item(sum(mul(g, g), {}, false)));
  return std::pow(item(sum(binary_scalar(BinaryOp::Pow, unary(UnaryOp::Abs, g), p), {}, false)), 1.0 / p);
}

// torch.norm(stack(norms), p): the same norm over the per-grad norms.
double outer_norm(const std::vector<double>& norms, double p) {
  if (std::isinf(p)) {
    double r = norms[0];
    for (double n : norms) r = p > 0 ? nan_max(r, n) : nan_min(r, n);
    return r;
  }
  double acc = 0;
  if (p == 0) {
    for (double n : norms) acc += n != 0 ? 1.0 : 0.0;  // NaN counts as nonzero
    return acc;
  }
  for (double n : norms) acc += p == 1 ? std::fabs(n) : p == 2 ? n * n : std::pow(std::fabs(n), p);
  return p == 1 ? acc : p == 2 ? std::sqrt(acc) : std::pow(acc, 1.0 / p);
}

}  // namespace

double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type) {
  LT_CHECK(!is_nan(norm_type), Status::InvalidArgument, "norm_type is NaN");
  NoGradGuard no_grad;
  std::vector<Tensor> grads;
  for (const Tensor& p : params) {
    Tensor g = grad_of(p);
    if (g.defined()) grads.push_back(std::move(g));
  }
  if (grads.empty()) return 0.0;
  std::vector<double> norms;
  norms.reserve(grads.size());
  for (const Tensor& g : grads) norms.push_back(grad_norm(g, norm_type));
  const double total = outer_norm(norms, norm_type);
  const double coef = max_norm / (total + 1e-6);
  const double clamped = coef > 1.0 ? 1.0 : coef;  // torch.clamp(max=1): NaN stays NaN
  if (clamped != 1.0) {  // g * 1 is g: torch's multiply by a clamped 1 changes nothing
    for (const Tensor& g : grads)
      LT_CHECK(!g.storage()->read_only(), Status::InvalidArgument, "a grad is read-only");
    for (const Tensor& g : grads) binary_(BinaryOp::Mul, g, scalar_tensor(clamped, g.dtype(), g.device()));
  }
  return total;
}

}  // namespace lt
