// Optimizers and gradient clipping (optim.cpp): PyTorch 1.13's torch.optim.SGD, Adam and AdamW over one
// parameter group, and torch.nn.utils.clip_grad_norm_. The semantics (validation with torch's messages,
// lazily created state under torch's names, skipped parameters without a grad, duplicates) live here; the
// fused element updates are the backend rows sgd_step and adam_step (core/optim_math.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace lt {

struct SgdOptions {
  double lr = 1e-3, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false, maximize = false;
};

struct AdamOptions {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  bool amsgrad = false, decoupled = false, maximize = false;  // decoupled: AdamW
};

// Holds a reference to each parameter (so the caller may drop its own) and the per-parameter state.
// Not thread-safe: one thread at a time, as a torch optimizer.
class Optimizer {
 public:
  // Throw InvalidArgument with torch's messages for bad options, an empty list, a non-leaf parameter or
  // one that does not require grad; DType for a parameter other than float32/float64.
  Optimizer(const std::vector<Tensor>& params, const SgdOptions& o);
  Optimizer(const std::vector<Tensor>& params, const AdamOptions& o);

  // One step over every parameter that has a grad (torch.no_grad; bumps the versions of what it writes).
  void step();
  void zero_grad(bool set_to_none);
  void set_lr(double lr);
  double lr() const { return is_adam_ ? adam_.lr : sgd_.lr; }
  int32_t size() const { return static_cast<int32_t>(params_.size()); }
  // The live state tensor `name` of parameter `index` (undefined where torch keeps none: SGD's
  // momentum_buffer without momentum, max_exp_avg_sq without amsgrad). Before the parameter's first step
  // the state is created as torch's first step would begin it (Note [optimizer state on request]).
  Tensor state(int32_t index, const std::string& name);

 private:
  struct State {
    bool exists = false;
    Tensor momentum_buffer;
    bool buffer_on_request = false;  // created by state() and not yet used by a step
    uint32_t buffer_version = 0;     // its version when created
    Tensor step, exp_avg, exp_avg_sq, max_exp_avg_sq;
  };
  void init(const std::vector<Tensor>& params);
  void create_state(size_t index);  // the state of params_[index]'s slot, if none yet
  void check_lr(double lr) const;

  bool is_adam_ = false;
  SgdOptions sgd_;
  AdamOptions adam_;
  std::vector<Tensor> params_;
  std::vector<int32_t> slot_;  // params_[i]'s state is states_[slot_[i]]: duplicates share one
  std::vector<State> states_;
};

// torch.nn.utils.clip_grad_norm_ (error_if_nonfinite=False): the norm_type-norm of the per-grad norms of
// the params' grads (params without a grad are ignored); every grad is multiplied by min(1, max_norm /
// (total + 1e-6)), so a non-finite total is returned and the grads scaled by it (to 0 or NaN), as torch.
double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type);

}  // namespace lt
