// matmul's backward: for out = a @ b, grad_a = g @ b^T and grad_b = a^T @ g, on the batched-matrix forms
// of Note [matmul shapes] (linalg.cpp). The transposes are views, so the backward matmuls reach BLAS with
// transpose flags, not copies. Grads come back in the broadcast batch shape; the engine sums them to each
// input's shape (Note [grad to input shape]).
#include "autograd/autograd_meta.h"
#include "autograd/node.h"
#include "ops/linalg_grad.h"
#include "ops/ops.h"

namespace lt {

namespace {

Tensor mT(const Tensor& t) { return transpose(t, -2, -1); }

class MatmulBackward final : public Node {
 public:
  // Saves only what the wanted grads need: grad_a needs b, grad_b needs a.
  MatmulBackward(const Tensor& a, const Tensor& b) : a_ndim_(a.ndim()), b_ndim_(b.ndim()) {
    if (requires_grad(b)) a_ = SavedTensor(a);
    if (requires_grad(a)) b_ = SavedTensor(b);
  }
  // One node per matmul, named after the kernel PyTorch runs for these shapes (PyTorch may add a view or
  // squeeze node on top of it, which we have no need for).
  const char* name() const override {
    if (a_ndim_ == 1 && b_ndim_ == 1) return "DotBackward0";
    if (a_ndim_ == 2 && b_ndim_ == 1) return "MvBackward0";
    if (a_ndim_ <= 2 && b_ndim_ == 2) return "MmBackward0";
    return "BmmBackward0";
  }
  void release_saved() override {
    a_.reset();
    b_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    // g as [batch..., m, n]: put back the dims the forward dropped for vector operands.
    Tensor g = grads[0];
    if (b_ndim_ == 1) g = unsqueeze(g, -1);
    if (a_ndim_ == 1) g = unsqueeze(g, -2);
    Tensor ga, gb;
    if (next_edges[0].fn) {
      Tensor b = b_.unpack(name());
      if (b_ndim_ == 1) b = unsqueeze(b, -1);
      ga = matmul(g, mT(b));
      if (a_ndim_ == 1) ga = squeeze(ga, -2);
    }
    if (next_edges[1].fn) {
      Tensor a = a_.unpack(name());
      if (a_ndim_ == 1) a = unsqueeze(a, 0);
      if (b_ndim_ == 2 && a.ndim() > 2) {
        // b is shared by the whole batch: fold the batch into the rows, one gemm instead of a batch of
        // them plus a sum over it.
        // The row count is spelled out, not inferred with -1: with k or n of 0 the inference is
        // ambiguous ("shape [-1, 0] is invalid"), and PyTorch gives zero grads there.
        const int64_t k = a.size(a.ndim() - 1), n = g.size(g.ndim() - 1);
        int64_t rows = 1;  // batch... * m; bounded by a's extent, so no overflow
        for (int32_t i = 0; i + 1 < a.ndim(); ++i) rows *= a.size(i);
        gb = matmul(mT(reshape(a, {rows, k})), reshape(g, {rows, n}));
      } else {
        gb = matmul(mT(a), g);
      }
      if (b_ndim_ == 1) gb = squeeze(gb, -1);
    }
    return {ga, gb};
  }

 private:
  int32_t a_ndim_, b_ndim_;
  SavedTensor a_, b_;
};

}  // namespace

void record_matmul_grad(const Tensor& out, const Tensor& a, const Tensor& b) {
  record<MatmulBackward>(out, {&a, &b}, a, b);
}

}  // namespace lt
