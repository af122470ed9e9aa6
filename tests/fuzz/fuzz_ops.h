// The operations the fuzz harness can decode, one function per family of C API calls. Each reads its
// arguments from the session's input, plants defects on purpose now and then, calls the library, checks
// the outcome against the contract (fuzz_check.h) and, on success, against the shape and dtype rules it
// knows, then keeps the result in the pool for later calls.
#pragma once
#include <algorithm>
#include <vector>

#include "fuzz/fuzz_session.h"

namespace fuzz {

using Op = void (*)(Session&);

// ---- shared by the op files ----
// An out-parameter: usually `out`, one time in 32 NULL (a defect: TENSOR_ERR_INVALID_ARGUMENT).
inline tensor** out_param(Input& in, Expect& e, tensor** out) {
  *out = unset_out();
  if (!in.one_in(32)) return out;
  e.defect(TENSOR_ERR_INVALID_ARGUMENT);
  return nullptr;
}

// Checks a call that hands out one tensor through `po`; returns the new handle on success (owned by the
// caller) and nullptr on failure.
inline tensor* result(const char* call, const Expect& e, tensor_status st, tensor** po, tensor* out) {
  e.check(call, st);
  if (st != TENSOR_OK) {
    if (po && out != nullptr) fail(call, "out-parameter not set to NULL on failure");
    return nullptr;
  }
  if (!out || out == unset_out()) fail(call, "TENSOR_OK without a result");
  check_tensor(call, out, kMaxKeep);
  return out;
}

// A dim argument for the pool tensor `a` of shape `shape`, as the index and sort calls take it (a 0-d tensor
// counts as 1-D): now and then out of range, a planted TENSOR_ERR_INDEX. d is the normalised dim (0 when
// out of range) and n its size.
struct DimArg {
  int32_t dim, d;
  int64_t n;
};
inline DimArg decode_dim(Session& s, Expect& e, const tensor* a, const std::vector<int64_t>& shape) {
  const int32_t nd = std::max<int32_t>(static_cast<int32_t>(shape.size()), 1);
  const int32_t dim = s.in.dim(static_cast<int32_t>(shape.size()));
  const bool dim_ok = dim >= -nd && dim < nd;
  e.defect_if(a && !dim_ok, TENSOR_ERR_INDEX);
  const int32_t d = dim_ok ? (dim < 0 ? dim + nd : dim) : 0;
  return DimArg{dim, d, shape.empty() ? 1 : shape[static_cast<size_t>(d)]};
}

// Plants the in-place refusals on a written-to tensor t: elements sharing memory (TENSOR_ERR_INVALID_ARGUMENT,
// checked first by the library), a leaf that requires grad under grad mode (TENSOR_ERR_AUTOGRAD).
void plant_inplace_defects(Expect& e, const tensor* t);

// NumPy broadcasting of two shapes; false when they do not broadcast.
bool broadcast(const std::vector<int64_t>& a, const std::vector<int64_t>& b, std::vector<int64_t>* out);
// PyTorch's result_type for two tensors (0-d tensors only win with a higher category).
tensor_dtype result_type(const tensor* a, const tensor* b);
int category(tensor_dtype d);  // bool 0, integer 1, floating 2

// ---- creation (fuzz_ops_create.cpp) ----
void op_create_filled(Session& s);  // empty, zeros, ones, full, rand, randn
void op_from_data(Session& s);
void op_range(Session& s);  // arange, linspace, eye
void op_like(Session& s);   // zeros_like, ones_like

// ---- shape and views (fuzz_ops_shape.cpp) ----
void op_reshape(Session& s);
void op_permute(Session& s);
void op_transpose(Session& s);
void op_expand(Session& s);
void op_squeeze(Session& s);  // squeeze, squeeze_all, unsqueeze
void op_slice(Session& s);
void op_select(Session& s);
void op_copy_like(Session& s);  // contiguous, clone, detach
void op_join(Session& s);       // cat, stack
void op_convert(Session& s);    // to_dtype, to_device
void op_hostile_shape(Session& s);  // cat of expanded views past INT64_MAX, ranks around TENSOR_MAX_NDIM

// ---- elementwise (fuzz_ops_elementwise.cpp) ----
void op_binary(Session& s);
void op_scalar(Session& s);
void op_unary(Session& s);
void op_where(Session& s);
void op_inplace(Session& s);  // add_, sub_, mul_, div_
void op_assign(Session& s);   // copy_, fill_, zero_

// ---- reductions and matmul (fuzz_ops_reduce.cpp) ----
void op_reduce(Session& s);      // sum, mean, prod, var, std, all, any
void op_extreme(Session& s);     // max, min
void op_extreme_dim(Session& s); // max_dim, min_dim, argmax, argmin
void op_matmul(Session& s);

// ---- autograd, data out, lifecycle and info (fuzz_ops_misc.cpp) ----
void op_requires_grad(Session& s);
void op_backward(Session& s);
void op_grad(Session& s);  // grad, zero_grad
void op_grad_mode(Session& s);
void op_inspect(Session& s);  // the inspection calls, NULL handles included
void op_copy_out(Session& s); // copy_to_host, item, data
void op_format(Session& s);
void op_info(Session& s);     // status strings, dtype names, version, config, threads, CUDA queries
void op_retain(Session& s);
void op_free(Session& s);

// ---- indexing (fuzz_ops_index.cpp) ----
void op_index(Session& s);  // index_select, gather, scatter, scatter_add, index_add_
void op_mask(Session& s);   // masked_fill, masked_select, nonzero, one_hot
void op_advanced_index(Session& s);  // tensor_index, tensor_index_put_

// ---- sorting (fuzz_ops_sort.cpp) ----
void op_sort(Session& s);  // sort, argsort, topk

// ---- random draws (fuzz_ops_random.cpp) ----
void op_random(Session& s);  // bernoulli, multinomial, dropout, uniform_, normal_

// ---- convolutions (fuzz_ops_conv.cpp) ----
void op_conv(Session& s);  // conv1d, conv2d, conv_transpose2d (+ backward)
// ---- normalisation layers (fuzz_ops_norm.cpp) ----
void op_norm(Session& s);  // batch_norm, layer_norm, group_norm
// ---- pooling, embedding and pad (fuzz_ops_pool.cpp) ----
void op_pool(Session& s);  // max_pool2d, avg_pool2d, adaptive_avg_pool2d, embedding, pad

}  // namespace fuzz
