// A kernel fault is asynchronous: the launch succeeds and the error surfaces later. It must come back
// as TENSOR_ERR_BACKEND with the CUDA error text at the next synchronisation, never be lost, never
// abort. The fault is made by copying from a device pointer that maps nothing (an external storage).
// The CUDA context of this process is unusable afterwards, so this file holds only this test.
#include <string>

#include "core/backend.h"
#include "ops/ops.h"
#include "test_cuda_util.h"

TEST_CASE("cuda errors: an asynchronous kernel fault is reported by tensor_cuda_synchronize") {
  using namespace lt;
  const Device cuda{DeviceType::CUDA, 0};
  const size_t n = 1 << 20;
  // Address 16 (not 0, so that nothing takes it for "no data") is never mapped on the device.
  Storage* bogus = Storage::wrap_external(reinterpret_cast<void*>(uintptr_t(16)), n * 4, cuda, nullptr, nullptr, true);
  Tensor src = make_from_storage(bogus, DType::Float32, DimVector{static_cast<int64_t>(n)}, DimVector{1}, 0);
  Tensor src_view = make_view(src, DimVector{static_cast<int64_t>(n / 2)}, DimVector{2}, 0);  // strided: a kernel
  Tensor dst = make_empty(DimVector{static_cast<int64_t>(n / 2)}, DType::Float32, cuda);
  cuda_backend().copy(dst, src_view);  // queued; the fault happens on the device
  const tensor_status st = tensor_cuda_synchronize(0);
  REQUIRE(st == TENSOR_ERR_BACKEND);
  std::string msg = tensor_last_error();
  INFO(msg);
  REQUIRE(msg.rfind("tensor_cuda_synchronize: ", 0) == 0);
  REQUIRE(msg.find("cudaError") != std::string::npos);
  // Later calls keep reporting the error instead of crashing.
  REQUIRE(tensor_cuda_synchronize(0) == TENSOR_ERR_BACKEND);
}
