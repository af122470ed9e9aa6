// ConvolutionBackward0 (PyTorch's name for the grad of every convolution). With y = conv2d(x, W) + b:
//   dx = conv2d_backward_input(g, W), dW = conv2d_backward_weight(g, x), db = g summed over (N, OH, OW);
// and with y = conv_transpose2d(x, W) + b, which is conv2d_backward_input(x, W):
//   dx = conv2d(g, W), dW = conv2d_backward_weight(grad_out := x, input := g), db as above.
// Only the grads an edge needs are computed. The grads are not themselves differentiable (no double
// backward through a convolution yet).
#include "ops/conv_grad.h"

#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "core/backend.h"
#include "ops/ops.h"

namespace lt {

namespace {

class ConvolutionBackward final : public Node {
 public:
  ConvolutionBackward(const Tensor& x4, const Tensor& w4, const DimVector& out4_shape, const DimVector& x_shape,
                      const DimVector& w_shape, const ConvArgs& args, bool transposed)
      : x4_(x4),
        w4_(w4),
        out4_shape_(out4_shape),
        x_shape_(x_shape),
        w_shape_(w_shape),
        args_(args),
        transposed_(transposed) {}
  const char* name() const override { return "ConvolutionBackward0"; }
  void release_saved() override {
    x4_.reset();
    w4_.reset();
  }
  TensorList apply(TensorList&& grads) override {
    Tensor x4 = x4_.unpack(name()), w4 = w4_.unpack(name());
    Tensor g = to_dtype(grads[0], x4.dtype());
    g = contiguous(reshape(g, out4_shape_));
    Backend& be = backend_for(x4.device());
    Tensor gx, gw, gb;
    if (next_edges[0].fn) {
      gx = make_empty(x4.shape(), x4.dtype(), x4.device());
      if (transposed_)
        be.conv2d(gx, g, w4, Tensor(), args_);
      else
        be.conv2d_backward_input(gx, g, w4, args_);
      gx = reshape(gx, x_shape_);
    }
    if (next_edges[1].fn) {
      gw = make_empty(w4.shape(), w4.dtype(), w4.device());
      if (transposed_)
        be.conv2d_backward_weight(gw, x4, g, args_);
      else
        be.conv2d_backward_weight(gw, g, x4, args_);
      gw = reshape(gw, w_shape_);
    }
    if (next_edges.size() > 2 && next_edges[2].fn) gb = sum(g, {0, 2, 3}, false);
    return {gx, gw, gb};
  }

 private:
  SavedTensor x4_, w4_;
  DimVector out4_shape_, x_shape_, w_shape_;
  ConvArgs args_;
  bool transposed_;
};

}  // namespace

void record_convolution(const Tensor& out, const Tensor& input, const Tensor& weight, const Tensor& bias,
                        const Tensor& x4, const Tensor& w4, const DimVector& out4_shape, const ConvArgs& args,
                        bool transposed) {
  if (!any_requires_grad({&input, &weight, &bias})) return;
  record<ConvolutionBackward>(out, {&input, &weight, &bias}, x4, w4, out4_shape, input.shape(), weight.shape(), args,
                              transposed);
}

}  // namespace lt
