// embedding (PyTorch's torch.nn.functional.embedding without padding_idx / max_norm) and its grad node.
// No kernel of its own: the forward is index_select of weight's rows, the grad index_add of the output's
// grad into zeros of weight's shape (on CUDA with atomics), so repeated indices add, as PyTorch's
// EmbeddingBackward0.
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "ops/kernel_dtype.h"
#include "ops/ops.h"

namespace lt {

namespace {

class EmbeddingBackward final : public Node {
 public:
  EmbeddingBackward(const DimVector& weight_shape, const Tensor& index)
      : weight_shape_(weight_shape), index_(index) {}
  const char* name() const override { return "EmbeddingBackward0"; }
  void release_saved() override { index_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor index = index_.unpack(name());
    const Tensor g = in_kernel_dtype(grads[0]);  // half grads add in float32 (Note [kernel dtype])
    Tensor gi = full(weight_shape_, 0.0, TensorOptions{g.dtype(), g.device(), false});
    if (index.numel() > 0)
      backend_for(g.device())
          .index_add(gi, index, contiguous(reshape(g, DimVector{index.numel(), weight_shape_[1]})), 0, 1.0);
    return {to_result_dtype(gi, grads[0].dtype())};
  }

 private:
  DimVector weight_shape_;
  SavedTensor index_;
};

}  // namespace

Tensor embedding(const Tensor& weight, const Tensor& indices) {
  check_same_device(weight, indices);
  LT_CHECK(weight.ndim() == 2, Status::Shape, "embedding: 'weight' must be 2-D, got shape " << shape_str(weight.shape()));
  LT_CHECK(indices.dtype() == DType::Int64 || indices.dtype() == DType::Int32, Status::DType,
           "embedding: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, "
           "Int; but got "
               << dtype_name(indices.dtype()) << " (shape " << shape_str(indices.shape()) << ")");
  Tensor out, ix;
  {
    NoGradGuard ng;
    ix = contiguous(reshape(to_dtype(indices, DType::Int64), DimVector{indices.numel()}));
    out = make_empty(DimVector{ix.numel(), weight.size(1)}, weight.dtype(), weight.device());
    // The index kernel checks every index against [0, V) and names the bad one (TENSOR_ERR_INDEX).
    if (ix.numel() > 0) backend_for(weight.device()).index_select(out, contiguous(weight), ix, 0);
    DimVector shape = indices.shape();
    shape.push_back(weight.size(1));
    out = reshape(out, shape);
  }
  if (any_requires_grad({&weight}) && is_floating(weight.dtype())) record<EmbeddingBackward>(out, {&weight}, weight.shape(), ix);
  return out;
}

}  // namespace lt
