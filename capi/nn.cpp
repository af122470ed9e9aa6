// Softmax and loss shims (the "Softmax and losses" group of tensor.h).
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

namespace {

Reduction reduction_from_c(const tensor_reduction& r) {
  const int32_t v = enum_value(r);
  LT_CHECK(v >= 0 && v <= 2, Status::InvalidArgument,
           "invalid reduction " << v << " (expected TENSOR_REDUCTION_NONE, _MEAN or _SUM)");
  return static_cast<Reduction>(v);
}

using PairLoss = Tensor (*)(const Tensor&, const Tensor&, Reduction);

tensor_status pair_loss(const char* call, PairLoss op, tensor** out, const tensor* input, const tensor* target,
                        const tensor_reduction& reduction) {
  return produce(call, out, [&] {
    LT_ARG(input);
    LT_ARG(target);
    return op(input_t, target_t, reduction_from_c(reduction));
  });
}

}  // namespace

extern "C" {

TENSOR_API tensor_status tensor_softmax(tensor** out, const tensor* a, int32_t dim) {
  return produce("tensor_softmax", out, [&] {
    LT_ARG(a);
    return softmax(a_t, dim);
  });
}

TENSOR_API tensor_status tensor_log_softmax(tensor** out, const tensor* a, int32_t dim) {
  return produce("tensor_log_softmax", out, [&] {
    LT_ARG(a);
    return log_softmax(a_t, dim);
  });
}

TENSOR_API tensor_status tensor_logsumexp(tensor** out, const tensor* a, const int32_t* dims, int32_t ndims,
                                          bool keepdim) {
  return produce("tensor_logsumexp", out, [&] {
    LT_ARG(a);
    return logsumexp(a_t, dims_from_c(dims, ndims), keepdim);
  });
}

TENSOR_API tensor_status tensor_cross_entropy(tensor** out, const tensor* logits, const tensor* target,
                                              const tensor* weight, int64_t ignore_index, double label_smoothing,
                                              tensor_reduction reduction) {
  return produce("tensor_cross_entropy", out, [&] {
    LT_ARG(logits);
    LT_ARG(target);
    Tensor w = optional_arg(weight, "weight");
    return cross_entropy(logits_t, target_t, w, ignore_index, label_smoothing, reduction_from_c(reduction));
  });
}

TENSOR_API tensor_status tensor_nll_loss(tensor** out, const tensor* log_probs, const tensor* target,
                                         const tensor* weight, int64_t ignore_index, tensor_reduction reduction) {
  return produce("tensor_nll_loss", out, [&] {
    LT_ARG(log_probs);
    LT_ARG(target);
    Tensor w = optional_arg(weight, "weight");
    return nll_loss(log_probs_t, target_t, w, ignore_index, reduction_from_c(reduction));
  });
}

TENSOR_API tensor_status tensor_mse_loss(tensor** out, const tensor* input, const tensor* target,
                                         tensor_reduction reduction) {
  return pair_loss("tensor_mse_loss", &lt::mse_loss, out, input, target, reduction);
}

TENSOR_API tensor_status tensor_l1_loss(tensor** out, const tensor* input, const tensor* target,
                                        tensor_reduction reduction) {
  return pair_loss("tensor_l1_loss", &lt::l1_loss, out, input, target, reduction);
}

TENSOR_API tensor_status tensor_smooth_l1_loss(tensor** out, const tensor* input, const tensor* target, double beta,
                                               tensor_reduction reduction) {
  return produce("tensor_smooth_l1_loss", out, [&] {
    LT_ARG(input);
    LT_ARG(target);
    return smooth_l1_loss(input_t, target_t, beta, reduction_from_c(reduction));
  });
}

TENSOR_API tensor_status tensor_binary_cross_entropy_with_logits(tensor** out, const tensor* logits,
                                                                 const tensor* target, const tensor* weight,
                                                                 const tensor* pos_weight,
                                                                 tensor_reduction reduction) {
  return produce("tensor_binary_cross_entropy_with_logits", out, [&] {
    LT_ARG(logits);
    LT_ARG(target);
    Tensor w = optional_arg(weight, "weight");
    Tensor pw = optional_arg(pos_weight, "pos_weight");
    return binary_cross_entropy_with_logits(logits_t, target_t, w, pw, reduction_from_c(reduction));
  });
}

}  // extern "C"
