// sort, argsort and topk with their grad nodes (PyTorch's semantics and grad_fn names). The backend
// kernels see a contiguous (A, N, B) input (a 0-d tensor as shape (1)); both backends sort stably, so
// `stable` changes nothing (PyTorch's unstable CPU sort may order equal keys differently; any order of
// equal keys is a valid unstable result). topk's ties: Note [CPU topk ties] in src/cpu/sort_kernels.cpp.
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "ops/index_common.h"
#include "ops/kernel_dtype.h"
#include "ops/ops.h"

namespace lt {

namespace {

// The values of sort and topk were read at `indices` along dim: the grad goes back to those places, into
// zeros of the input's shape (a scatter: the indices of one line are distinct).
class SortBackward final : public Node {
 public:
  SortBackward(bool topk, const DimVector& shape, int32_t dim, const Tensor& indices)
      : topk_(topk), shape_(shape), dim_(dim), indices_(indices) {}
  const char* name() const override { return topk_ ? "TopkBackward0" : "SortBackward0"; }
  void release_saved() override { indices_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor idx = indices_.unpack(name());
    const Tensor& g = grads[0];
    Tensor gi = full(shape_, 0.0, TensorOptions{g.dtype(), g.device(), false});
    if (g.numel() > 0)
      backend_for(g.device()).scatter(as_1d(gi), contiguous(as_1d(idx)), contiguous(as_1d(g)), dim_, false);
    return {gi};
  }

 private:
  bool topk_;
  DimVector shape_;
  int32_t dim_;
  SavedTensor indices_;
};

std::pair<Tensor, Tensor> sort_impl(const Tensor& a, int32_t dim, bool descending, bool with_values,
                                    const char* op) {
  const int32_t d = normalise_index_dim(a, dim, op);
  Tensor values, indices;
  {
    NoGradGuard ng;
    // Storage dtypes sort in their kernel dtype (Note [kernel dtype]): widening keeps every value and
    // the order, so the values convert back exactly.
    Tensor x = in_kernel_dtype(contiguous(as_1d(a)));
    if (with_values) values = make_empty(x.shape(), x.dtype(), a.device());
    indices = make_empty(x.shape(), DType::Int64, a.device());
    backend_for(a.device()).sort(values, indices, x, d, descending);
    if (with_values) values = to_result_dtype(values, a.dtype());
    if (a.ndim() == 0) {
      if (with_values) values = reshape(values, a.shape());
      indices = reshape(indices, a.shape());
    }
  }
  if (with_values && is_floating(a.dtype()) && any_requires_grad({&a}))
    record<SortBackward>(values, {&a}, false, a.shape(), d, indices);
  return {values, indices};
}

}  // namespace

std::pair<Tensor, Tensor> sort(const Tensor& a, int32_t dim, bool descending, bool /*stable*/) {
  return sort_impl(a, dim, descending, true, "sort");
}

Tensor argsort(const Tensor& a, int32_t dim, bool descending) {
  return sort_impl(a, dim, descending, false, "argsort").second;
}

std::pair<Tensor, Tensor> topk(const Tensor& a, int64_t k, int32_t dim, bool largest, bool sorted) {
  const int32_t d = normalise_index_dim(a, dim, "topk");
  LT_CHECK(a.dtype() != DType::Bool, Status::DType,
           "topk: bool tensors are not supported (PyTorch: \"topk_cpu\" not implemented for 'Bool')");
  const int64_t n = a.ndim() == 0 ? 1 : a.size(d);
  LT_CHECK(k >= 0 && k <= n, Status::InvalidArgument,
           "topk: selected index k out of range (k = " << k << ", size " << n << " along dim " << d
                                                         << " of a tensor of shape " << shape_str(a.shape())
                                                         << ")");
  // PyTorch gives a 0-d tensor's element for k = 0 too: its result keeps the input's 0-d shape.
  const int64_t kk = a.ndim() == 0 ? 1 : k;
  Tensor values, indices;
  {
    NoGradGuard ng;
    Tensor x = in_kernel_dtype(contiguous(as_1d(a)));  // Note [kernel dtype], as sort
    DimVector shape = x.shape();
    shape[d] = kk;
    values = make_empty(shape, x.dtype(), a.device());
    indices = make_empty(shape, DType::Int64, a.device());
    backend_for(a.device()).topk(values, indices, x, kk, d, largest, sorted);
    values = to_result_dtype(values, a.dtype());
    if (a.ndim() == 0) {
      values = reshape(values, a.shape());
      indices = reshape(indices, a.shape());
    }
  }
  if (is_floating(a.dtype()) && any_requires_grad({&a}))
    record<SortBackward>(values, {&a}, true, a.shape(), d, indices);
  return {values, indices};
}

}  // namespace lt
