// The CPU Backend: forwards each kernel of the list to its free function in cpu/kernels.h. The CPU has
// one device and no current-device state, so entering it does nothing.
#include "core/allocator.h"
#include "cpu/kernels.h"

namespace lt {

namespace {

namespace kernels = cpu;

class CpuBackend final : public Backend {
 public:
  Allocator& allocator(int32_t) override { return cpu_allocator(); }
  LT_BACKEND_KERNELS(LT_BACKEND_FORWARD)

 private:
  static void enter(const Tensor&) {}
};

}  // namespace

Backend& cpu_backend() {
  static CpuBackend* b = new CpuBackend();
  return *b;
}

Backend& backend_for(Device device) {
  if (device.is_cpu()) return cpu_backend();
  return cuda_backend();
}

}  // namespace lt
