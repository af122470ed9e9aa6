// Moving tensors between devices. Nothing moves implicitly: only to_device (and copy_ into a tensor on
// another device) crosses, through the non-CPU backend's copy_across_devices on contiguous buffers.
#include "autograd/node.h"
#include "ops/ops.h"

namespace lt {

namespace {

class ToDeviceBackward final : public Node {
 public:
  explicit ToDeviceBackward(Device src) : src_(src) {}
  const char* name() const override { return "ToCopyBackward0"; }
  TensorList apply(TensorList&& grads) override { return {to_device(grads[0], src_)}; }

 private:
  Device src_;
};

}  // namespace

Tensor to_device(const Tensor& t, Device device) {
  if (t.device() == device) return t;
  Tensor src = t.is_contiguous() ? t : clone(t);
  Tensor out = make_empty(t.shape(), t.dtype(), device);
  if (!device.is_cpu() && !t.device().is_cpu()) {  // GPU -> GPU through the host
    Tensor host = to_device(src, cpu_device());
    backend_for(device).copy_across_devices(out, host);
  } else {
    Backend& be = backend_for(device.is_cpu() ? t.device() : device);
    be.copy_across_devices(out, src);
  }
  if (any_requires_grad({&t})) record<ToDeviceBackward>(out, {&t}, t.device());
  return out;
}

}  // namespace lt
