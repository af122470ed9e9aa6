// Host <-> device copies (Backend::copy_across_devices): contiguous buffers of one shape and dtype.
// Device -> host waits for the copy (the caller reads the bytes next), which is also where an earlier
// kernel's asynchronous fault is reported (Note [asynchronous errors] in runtime.cpp).
#include <string>

#include "cuda/cuda_check.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt::cuda {

void copy_across_devices(const Tensor& dst, const Tensor& src) {
  LT_CHECK(dst.numel() == src.numel() && dst.dtype() == src.dtype() && dst.is_contiguous() && src.is_contiguous(),
           Status::Internal, "copy_across_devices expects contiguous tensors of one shape and dtype");
  const size_t nbytes = static_cast<size_t>(dst.numel()) * itemsize(dst.dtype());
  if (nbytes == 0) return;
  if (dst.device().is_cuda() && src.device().is_cpu()) {
    const int32_t dev = dst.device().index;
    check_device(dev);
    set_device(dev);
    // From pageable memory the runtime stages the bytes before returning, so src may be freed at once.
    check(cudaMemcpyAsync(dst.data(), src.data(), nbytes, cudaMemcpyHostToDevice, stream(dev)),
          ("copy of " + std::to_string(nbytes) + " bytes to cuda:" + std::to_string(dev)).c_str());
    return;
  }
  LT_CHECK(dst.device().is_cpu() && src.device().is_cuda(), Status::Internal,
           "copy_across_devices: one side must be the CPU");
  const int32_t dev = src.device().index;
  check_device(dev);
  set_device(dev);
  const std::string what = "copy of " + std::to_string(nbytes) + " bytes from cuda:" + std::to_string(dev);
  check(cudaMemcpyAsync(dst.data(), src.data(), nbytes, cudaMemcpyDeviceToHost, stream(dev)), what.c_str());
  check(cudaStreamSynchronize(stream(dev)), what.c_str());
}

}  // namespace lt::cuda
