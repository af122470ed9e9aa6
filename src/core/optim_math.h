// The element updates of the optimizers (rows sgd_step and adam_step of LT_BACKEND_KERNELS), written once
// for both backends so that the CPU and CUDA kernels compute the same thing. They are PyTorch 1.13's
// single-tensor updates (torch/optim/sgd.py, adam.py, adamw.py) fused into one pass: each element of the
// parameter, its grad and its state is read once and written once, with the operations in torch's order,
// in the element type, every scalar rounded to it as torch's CPU kernels round a Python number:
//
//   SGD   d = maximize ? -g : g;  d = d + wd p (wd != 0)
//         momentum != 0: buf = first ? d : buf momentum + (1 - dampening) d;  d = nesterov ? d + momentum buf : buf
//         p = p + (-lr) d
//   Adam  d = maximize ? -g : g;  decoupled (AdamW): p = p (1 - lr wd);  else d = d + wd p (wd != 0)
//         m = m beta1 + (1 - beta1) d;  v = v beta2 + (1 - beta2) d d
//         amsgrad: vmax = maximum(vmax, v) (NaN propagates, as torch.maximum), v' = vmax, else v' = v
//         p = p + (-step_size) m / (sqrt(v') / sqrt(1 - beta2^step) + eps),  step_size = lr / (1 - beta1^step)
//
// The scalars that depend on the step count (step_size, the square root of the second bias correction) are
// computed on the host in double, as torch computes them in Python.
#pragma once
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "core/philox.h"  // LT_HOST_DEVICE
#include "core/tensor.h"

namespace lt {

// The configuration of one SGD step over one parameter.
struct SgdStepArgs {
  double lr = 0, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false, maximize = false;
  bool first = false;  // no momentum buffer yet: this step sets it to the (decayed) grad
};

// The configuration of one Adam step over one parameter (step already counted).
struct AdamStepArgs {
  double lr = 0, beta1 = 0, beta2 = 0, eps = 0, weight_decay = 0;
  bool amsgrad = false, decoupled = false, maximize = false;
  double step_size = 0;              // lr / (1 - beta1^step)
  double bias_correction2_sqrt = 0;  // sqrt(1 - beta2^step)
};

// Scalars of an SGD step rounded to T once (as torch rounds each Python number to the tensor's dtype).
template <typename T>
struct SgdScalars {
  T neg_lr, momentum, one_minus_dampening, weight_decay;
  explicit SgdScalars(const SgdStepArgs& a)
      : neg_lr(T(-a.lr)), momentum(T(a.momentum)), one_minus_dampening(T(1 - a.dampening)), weight_decay(T(a.weight_decay)) {}
};

template <typename T>
struct AdamScalars {
  T beta1, one_minus_beta1, beta2, one_minus_beta2, eps, weight_decay, decay_factor, neg_step_size, bc2_sqrt;
  explicit AdamScalars(const AdamStepArgs& a)
      : beta1(T(a.beta1)),
        one_minus_beta1(T(1 - a.beta1)),
        beta2(T(a.beta2)),
        one_minus_beta2(T(1 - a.beta2)),
        eps(T(a.eps)),
        weight_decay(T(a.weight_decay)),
        decay_factor(T(1 - a.lr * a.weight_decay)),
        neg_step_size(T(-a.step_size)),
        bc2_sqrt(T(a.bias_correction2_sqrt)) {}
};

// The compile-time shape of an SGD step: which terms exist (so the CPU loop has no branch per element).
template <bool kMaximize, bool kDecay, bool kMomentum, bool kFirst, bool kNesterov>
struct SgdFlags {
  static constexpr bool maximize = kMaximize, decay = kDecay, momentum = kMomentum, first = kFirst,
                        nesterov = kNesterov;
};
template <bool kMaximize, bool kCoupledDecay, bool kDecoupled, bool kAmsgrad>
struct AdamFlags {
  static constexpr bool maximize = kMaximize, coupled = kCoupledDecay, decoupled = kDecoupled, amsgrad = kAmsgrad;
};

// One element of an SGD step. `buf` is read (unless first) and written when F::momentum.
template <class F, typename T>
LT_HOST_DEVICE T sgd_element(T p, T g, T& buf, const SgdScalars<T>& s) {
  T d = F::maximize ? -g : g;
  if constexpr (F::decay) d = d + s.weight_decay * p;
  if constexpr (F::momentum) {
    const T b = F::first ? d : buf * s.momentum + s.one_minus_dampening * d;
    buf = b;
    d = F::nesterov ? d + s.momentum * b : b;
  }
  return p + s.neg_lr * d;
}

// torch.maximum: NaN in either operand gives NaN.
template <typename T>
LT_HOST_DEVICE T nan_maximum(T a, T b) {
  return (a != a) ? a : ((b != b) ? b : (a > b ? a : b));
}

// One element of an Adam step: updates m, v (and vmax with amsgrad) and returns the new parameter.
template <class F, typename T>
LT_HOST_DEVICE T adam_element(T p, T g, T& m, T& v, T& vmax, const AdamScalars<T>& s) {
  T d = F::maximize ? -g : g;
  if constexpr (F::decoupled) p = p * s.decay_factor;
  if constexpr (F::coupled) d = d + s.weight_decay * p;
  const T mn = m * s.beta1 + s.one_minus_beta1 * d;
  const T vn = v * s.beta2 + s.one_minus_beta2 * d * d;
  m = mn;
  v = vn;
  T vd = vn;
  if constexpr (F::amsgrad) {
    vd = nan_maximum(vmax, vn);
    vmax = vd;
  }
  const T denom = std::sqrt(vd) / s.bc2_sqrt + s.eps;
  return p + s.neg_step_size * mn / denom;
}

// The kernels' pointer to an optional operand (the momentum buffer, max_exp_avg_sq): NULL when undefined.
template <typename T>
T* optional_data(const Tensor& t) {
  return t.defined() ? t.data_as<T>() : nullptr;
}

// Calls fn(F{}) with the SgdFlags type for a's configuration (host side, both backends).
template <typename Fn>
inline void dispatch_sgd_flags(const SgdStepArgs& a, Fn&& fn) {
  const bool mom = a.momentum != 0;
  const bool decay = a.weight_decay != 0;
  auto with_max = [&](auto maximize) {
    auto with_decay = [&](auto dec) {
      constexpr bool M = decltype(maximize)::value, D = decltype(dec)::value;
      if (!mom) return fn(SgdFlags<M, D, false, false, false>{});
      if (a.first) {
        if (a.nesterov) return fn(SgdFlags<M, D, true, true, true>{});
        return fn(SgdFlags<M, D, true, true, false>{});
      }
      if (a.nesterov) return fn(SgdFlags<M, D, true, false, true>{});
      return fn(SgdFlags<M, D, true, false, false>{});
    };
    if (decay) return with_decay(std::true_type{});
    return with_decay(std::false_type{});
  };
  if (a.maximize) return with_max(std::true_type{});
  return with_max(std::false_type{});
}

template <typename Fn>
inline void dispatch_adam_flags(const AdamStepArgs& a, Fn&& fn) {
  const bool coupled = !a.decoupled && a.weight_decay != 0;
  auto with_max = [&](auto maximize) {
    auto with_ams = [&](auto ams) {
      constexpr bool M = decltype(maximize)::value, A = decltype(ams)::value;
      if (a.decoupled) return fn(AdamFlags<M, false, true, A>{});
      if (coupled) return fn(AdamFlags<M, true, false, A>{});
      return fn(AdamFlags<M, false, false, A>{});
    };
    if (a.amsgrad) return with_ams(std::true_type{});
    return with_ams(std::false_type{});
  };
  if (a.maximize) return with_max(std::true_type{});
  return with_max(std::false_type{});
}

}  // namespace lt
