// The CUDA Backend: makes the operand's device current for the calling thread and hands the work to the
// kernel entry points of cuda/kernels.h (forwarders generated from LT_BACKEND_KERNELS). Semantics
// (dtypes, shapes, autograd) stay in src/ops, which is device-agnostic; this class only runs kernels.
#include "core/backend.h"
#include "cuda/caching_allocator.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt {

namespace {

namespace kernels = cuda;

class CudaBackend final : public Backend {
 public:
  Allocator& allocator(int32_t device_index) override {
    cuda::check_device(device_index);
    return cuda::device_allocator(device_index);
  }
  LT_BACKEND_KERNELS(LT_BACKEND_FORWARD)

 private:
  // Every tensor given to a kernel lives on one GPU; its index selects the device.
  static void enter(const Tensor& t) { cuda::set_device(t.device().index); }
};

}  // namespace

Backend& cuda_backend() {
  static CudaBackend* backend = new CudaBackend();
  if (__builtin_expect(cuda::device_count() == 0, 0))
    throw_error(Status::Device, "CUDA is not available: " + cuda::unavailable_reason());
  return *backend;
}

}  // namespace lt
