// cuBLAS, opened at run time with dlopen so that libtensor.so loads (and runs on the CPU) on machines
// without the CUDA libraries; only the types come from the toolkit's header.
#pragma once
#include <cublas_api.h>

#include <string>

namespace lt::cuda {

struct CublasApi {
  bool loaded = false;
  std::string path;   // the library that was opened
  std::string error;  // why it could not be opened, when !loaded
  decltype(&cublasCreate_v2) create = nullptr;
  decltype(&cublasDestroy_v2) destroy = nullptr;
  decltype(&cublasSetStream_v2) set_stream = nullptr;
  decltype(&cublasSetMathMode) set_math_mode = nullptr;
  decltype(&cublasSetWorkspace_v2) set_workspace = nullptr;   // optional
  decltype(&cublasGetStatusString) status_string = nullptr;   // optional
  decltype(&cublasSgemm_v2) sgemm = nullptr;
  decltype(&cublasDgemm_v2) dgemm = nullptr;
  decltype(&cublasSgemmStridedBatched) sgemm_batched = nullptr;
  decltype(&cublasDgemmStridedBatched) dgemm_batched = nullptr;
};

// Opens cuBLAS once: $TENSOR_CUBLAS_LIBRARY if set, else libcublas.so.13, .so.12, .so and the same
// names under /usr/local/cuda/lib64. Never throws.
const CublasApi& cublas_api();

// "cuBLAS error CUBLAS_STATUS_X (text)".
std::string cublas_status_text(cublasStatus_t status);

}  // namespace lt::cuda
