#include "ops/half_compute.h"

#include <string>

#include "autograd/autograd_meta.h"
#include "autograd/node.h"
#include "ops/kernel_dtype.h"

namespace lt {

namespace {

// The half result's grad node: named as the float32 result's (PyTorch's grad_fn for the op), it hands the
// grad on to that node in float32.
class HalfResultBackward final : public Node {
 public:
  explicit HalfResultBackward(std::string name) : name_(std::move(name)) {}
  const char* name() const override { return name_.c_str(); }
  TensorList apply(TensorList&& grads) override { return {to_dtype(grads[0], DType::Float32)}; }

 private:
  std::string name_;
};

}  // namespace

Tensor half_result(const Tensor& y, DType dtype) {
  const AutogradMeta* m = meta_of(y.impl());
  if (!m || !m->grad_fn) return convert(y, dtype);  // nothing recorded: a plain rounding
  Tensor out = convert(y, dtype);
  record<HalfResultBackward>(out, {&y}, std::string(m->grad_fn->name()));
  return out;
}

}  // namespace lt
