// Random shims (the "Random" group of tensor.h): the calling thread's Philox stream.
#include "capi/capi_common.h"

using namespace lt;
using namespace lt::capi;

namespace {

// randint / randperm: NULL options mean int64 (the C API's default dtype otherwise is float32).
TensorOptions int64_options_from_c(const tensor_options* opts) {
  TensorOptions o = options_from_c(opts);
  if (!opts) o.dtype = DType::Int64;
  return o;
}

}  // namespace

extern "C" {

TENSOR_API tensor_status tensor_randint(tensor** out, int64_t low, int64_t high, const int64_t* shape, int32_t ndim,
                                        const tensor_options* opts) {
  return produce("tensor_randint", out,
                 [&] { return randint(low, high, shape_from_c(shape, ndim), int64_options_from_c(opts)); });
}

TENSOR_API tensor_status tensor_randperm(tensor** out, int64_t n, const tensor_options* opts) {
  return produce("tensor_randperm", out, [&] { return randperm(n, int64_options_from_c(opts)); });
}

TENSOR_API tensor_status tensor_bernoulli(tensor** out, const tensor* probs) {
  return produce("tensor_bernoulli", out, [&] {
    LT_ARG(probs);
    return bernoulli(probs_t);
  });
}

TENSOR_API tensor_status tensor_multinomial(tensor** out, const tensor* probs, int64_t num_samples, bool replacement) {
  return produce("tensor_multinomial", out, [&] {
    LT_ARG(probs);
    return multinomial(probs_t, num_samples, replacement);
  });
}

TENSOR_API tensor_status tensor_dropout(tensor** out, const tensor* a, double p, bool training) {
  return produce("tensor_dropout", out, [&] {
    LT_ARG(a);
    return dropout(a_t, p, training);
  });
}

TENSOR_API tensor_status tensor_uniform_(tensor* t, double low, double high) {
  return guard("tensor_uniform_", [&] {
    LT_ARG(t);
    uniform_(t_t, low, high);
  });
}

TENSOR_API tensor_status tensor_normal_(tensor* t, double mean, double std) {
  return guard("tensor_normal_", [&] {
    LT_ARG(t);
    normal_(t_t, mean, std);
  });
}

TENSOR_API tensor_status tensor_get_rng_state(uint64_t* seed, uint64_t* offset) {
  return guard("tensor_get_rng_state", [&] {
    LT_CHECK(seed != nullptr && offset != nullptr, Status::InvalidArgument,
             (seed ? "offset" : "seed") << " is NULL");
    get_rng_state(seed, offset);
  });
}

TENSOR_API tensor_status tensor_set_rng_state(uint64_t seed, uint64_t offset) {
  return guard("tensor_set_rng_state", [&] { set_rng_state(seed, offset); });
}

}  // extern "C"
