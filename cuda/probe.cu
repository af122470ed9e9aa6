// A kernel that does nothing, used to ask the runtime whether this build's code can run on a GPU (an
// older GPU than the architectures we were built for has no image: cudaErrorNoKernelImageForDevice).
#include <cuda_runtime_api.h>

namespace lt::cuda {

namespace {
__global__ void probe_kernel() {}
}  // namespace

cudaError_t probe_kernel_image() {
  cudaFuncAttributes attr;
  return cudaFuncGetAttributes(&attr, probe_kernel);
}

}  // namespace lt::cuda
