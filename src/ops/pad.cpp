// Constant padding (PyTorch's torch.nn.functional.pad, mode "constant", = aten::constant_pad_nd) and its
// grad node. No kernel of its own: the result is filled with the value, then the kept part of the input
// (cropped where a pad is negative) is copied into the interior (positive pads) with the copy kernel,
// which is what PyTorch does too. The grad is the same operation with the pads negated and value 0.
#include <algorithm>
#include <vector>

#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "ops/ops.h"

namespace lt {

namespace {

// The result of padding `a` by pads (front, back per dim, last dim first), no autograd.
Tensor pad_raw(const Tensor& a, const std::vector<int64_t>& pads, double value) {
  const int32_t n = a.ndim();
  DimVector shape = a.shape();
  for (size_t k = 0; k < pads.size() / 2; ++k) {
    const int32_t d = n - 1 - static_cast<int32_t>(k);
    const int64_t size = a.size(d) + pads[2 * k] + pads[2 * k + 1];
    LT_CHECK(size >= 0, Status::Shape,
             "pad: the input size " << a.size(d) << ", plus negative padding " << pads[2 * k] << " and "
                                    << pads[2 * k + 1] << " resulted in a negative output size, which is invalid. "
                                    << "Check dimension " << d << " of your input (shape " << shape_str(a.shape())
                                    << ")");
    // PyTorch crops (narrows) before it pads, so a crop may not reach past the input on one side even
    // when a pad on the other side would make up the size.
    LT_CHECK(a.size(d) + std::min<int64_t>(pads[2 * k], 0) + std::min<int64_t>(pads[2 * k + 1], 0) >= 0,
             Status::Shape,
             "pad: negative padding " << pads[2 * k] << " and " << pads[2 * k + 1] << " crops more than the input size "
                                      << a.size(d) << " of dimension " << d << " (shape " << shape_str(a.shape())
                                      << ")");
    shape[d] = size;
  }
  Tensor out = full(shape, value, TensorOptions{a.dtype(), a.device(), false});
  Tensor src = a, dst = out;
  for (size_t k = 0; k < pads.size() / 2; ++k) {
    const int32_t d = n - 1 - static_cast<int32_t>(k);
    const int64_t front = pads[2 * k], back = pads[2 * k + 1];
    // The input's kept range along d, and where it lands in the result.
    const int64_t s0 = front < 0 ? -front : 0, s1 = a.size(d) - (back < 0 ? -back : 0);
    if (s1 <= s0) return out;  // nothing of the input is kept: all value
    src = slice(src, d, s0, s1, 1);
    const int64_t o0 = front > 0 ? front : 0;
    dst = slice(dst, d, o0, o0 + (s1 - s0), 1);
  }
  if (src.numel() > 0) backend_for(a.device()).copy(dst, src);
  return out;
}

class ConstantPadBackward final : public Node {
 public:
  explicit ConstantPadBackward(std::vector<int64_t> pads) : pads_(std::move(pads)) {}
  const char* name() const override { return "ConstantPadNdBackward0"; }
  TensorList apply(TensorList&& grads) override {
    std::vector<int64_t> neg(pads_.size());
    for (size_t i = 0; i < pads_.size(); ++i) neg[i] = -pads_[i];
    return {pad_raw(grads[0], neg, 0.0)};
  }

 private:
  std::vector<int64_t> pads_;
};

}  // namespace

Tensor pad(const Tensor& a, const int64_t* pads, int32_t npads, double value) {
  LT_CHECK(npads >= 0 && (pads || npads == 0), Status::InvalidArgument,
           "pad: pads is NULL or npads negative (npads = " << npads << ")");
  LT_CHECK(npads % 2 == 0, Status::Shape, "pad: Padding length must be divisible by 2 (got " << npads << ")");
  LT_CHECK(npads / 2 <= a.ndim(), Status::Shape,
           "pad: Padding length too large: " << npads << " pads for a tensor of shape " << shape_str(a.shape())
                                             << " (at most 2 per dimension)");
  check_fill_value(value, a.dtype());  // PyTorch: pad(uint8, value=300) cannot convert the value
  std::vector<int64_t> p(pads, pads + npads);
  // Sizes beyond any tensor's are refused before the shape arithmetic can overflow.
  for (int64_t v : p)
    LT_CHECK(v > -(int64_t(1) << 48) && v < (int64_t(1) << 48), Status::Shape, "pad: padding " << v << " is out of range");
  Tensor out;
  {
    NoGradGuard ng;
    out = pad_raw(a, p, value);
  }
  if (any_requires_grad({&a}) && is_floating(a.dtype())) record<ConstantPadBackward>(out, {&a}, std::move(p));
  return out;
}

}  // namespace lt
