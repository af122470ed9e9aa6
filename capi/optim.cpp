// Optimizer and gradient-clipping shims (the "Optimizers" group of tensor.h). The handle owns an
// lt::Optimizer (src/ops/optim.h), which holds its own references to the parameters.
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "capi/capi_common.h"
#include "ops/optim.h"

struct tensor_optimizer {
  static constexpr uint64_t kMagic = 0x6c746f7074696d31ull;  // "ltoptim1"
  uint64_t magic = kMagic;
  lt::Optimizer opt;
  template <typename O>
  tensor_optimizer(const std::vector<lt::Tensor>& params, const O& o) : opt(params, o) {}
};

using namespace lt;
using namespace lt::capi;

namespace {

bool valid_optimizer(const tensor_optimizer* o) { return o && o->magic == tensor_optimizer::kMagic; }

tensor_optimizer* check_optimizer(const tensor_optimizer* o) {
  if (!o) fail(Status::InvalidArgument, "argument 'o' is NULL");
  if (o->magic != tensor_optimizer::kMagic)
    fail(Status::InvalidArgument, "argument 'o' is not a valid optimizer handle (freed?)");
  return const_cast<tensor_optimizer*>(o);
}

// The parameter list of a call: n >= 0 live handles.
std::vector<Tensor> params_from_c(tensor* const* params, int32_t n) {
  LT_CHECK(n >= 0, Status::InvalidArgument, "n must be >= 0, got " << n);
  LT_CHECK(n == 0 || params != nullptr, Status::InvalidArgument, "params is NULL but n is " << n);
  std::vector<Tensor> r;
  r.reserve(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) {
    const std::string name = "params[" + std::to_string(i) + "]";
    r.push_back(Borrowed(check_handle(params[i], name.c_str())).get());
  }
  return r;
}

void check_version(uint32_t version, uint32_t expected, const char* what) {
  LT_CHECK(version == expected, Status::InvalidArgument,
           "unsupported " << what << " version " << version << " (expected " << expected
                          << "; initialise with the matching _INIT macro)");
}

tensor_optimizer** check_optimizer_out(tensor_optimizer** out) {
  if (!out) fail(Status::InvalidArgument, "output argument 'out' is NULL");
  *out = nullptr;
  return out;
}

}  // namespace

extern "C" {

TENSOR_API tensor_status tensor_optimizer_sgd(tensor_optimizer** out, tensor* const* params, int32_t n,
                                              const tensor_sgd_options* o) {
  return guard("tensor_optimizer_sgd", [&] {
    check_optimizer_out(out);
    SgdOptions opts;  // NULL options: TENSOR_SGD_OPTIONS_INIT
    if (o) {
      check_version(o->version, TENSOR_SGD_OPTIONS_VERSION, "tensor_sgd_options");
      opts.lr = o->lr;
      opts.momentum = o->momentum;
      opts.dampening = o->dampening;
      opts.weight_decay = o->weight_decay;
      opts.nesterov = o->nesterov;
      opts.maximize = o->maximize;
    }
    *out = new tensor_optimizer(params_from_c(params, n), opts);
  });
}

TENSOR_API tensor_status tensor_optimizer_adam(tensor_optimizer** out, tensor* const* params, int32_t n,
                                               const tensor_adam_options* o) {
  return guard("tensor_optimizer_adam", [&] {
    check_optimizer_out(out);
    AdamOptions opts;  // NULL options: TENSOR_ADAM_OPTIONS_INIT
    if (o) {
      check_version(o->version, TENSOR_ADAM_OPTIONS_VERSION, "tensor_adam_options");
      opts.lr = o->lr;
      opts.beta1 = o->beta1;
      opts.beta2 = o->beta2;
      opts.eps = o->eps;
      opts.weight_decay = o->weight_decay;
      opts.amsgrad = o->amsgrad;
      opts.decoupled = o->decoupled_weight_decay;
      opts.maximize = o->maximize;
    }
    *out = new tensor_optimizer(params_from_c(params, n), opts);
  });
}

TENSOR_API tensor_status tensor_optimizer_step(tensor_optimizer* o) {
  return guard("tensor_optimizer_step", [&] { check_optimizer(o)->opt.step(); });
}

TENSOR_API tensor_status tensor_optimizer_zero_grad(tensor_optimizer* o, bool set_to_none) {
  return guard("tensor_optimizer_zero_grad", [&] { check_optimizer(o)->opt.zero_grad(set_to_none); });
}

TENSOR_API tensor_status tensor_optimizer_set_lr(tensor_optimizer* o, double lr) {
  return guard("tensor_optimizer_set_lr", [&] { check_optimizer(o)->opt.set_lr(lr); });
}

TENSOR_API double tensor_optimizer_get_lr(const tensor_optimizer* o) {
  return valid_optimizer(o) ? o->opt.lr() : std::numeric_limits<double>::quiet_NaN();
}

TENSOR_API tensor_status tensor_optimizer_state(tensor** out, const tensor_optimizer* o, int32_t param_index,
                                                const char* name) {
  return guard("tensor_optimizer_state", [&] {
    check_out(out, "out");
    tensor_optimizer* h = check_optimizer(o);
    if (!name) fail(Status::InvalidArgument, "argument 'name' is NULL");
    Tensor s = h->opt.state(param_index, name);
    if (s.defined()) *out = to_handle(std::move(s));
  });
}

TENSOR_API void tensor_optimizer_free(tensor_optimizer* o) {
  if (!valid_optimizer(o)) return;
  o->magic = 0;
  delete o;
}

TENSOR_API tensor_status tensor_clip_grad_norm_(double* total_norm, tensor* const* params, int32_t n, double max_norm,
                                                double norm_type) {
  return guard("tensor_clip_grad_norm_", [&] {
    if (!total_norm) fail(Status::InvalidArgument, "output argument 'total_norm' is NULL");
    *total_norm = 0.0;
    *total_norm = clip_grad_norm_(params_from_c(params, n), max_norm, norm_type);
  });
}

}  // extern "C"
