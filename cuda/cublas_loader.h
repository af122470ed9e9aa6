// cuBLAS, opened at run time with dlopen so that libtensor.so loads (and runs on the CPU) on machines
// without the CUDA libraries; only the types come from the toolkit's header.
#pragma once
#include <cublas_api.h>

#include <string>

namespace lt::cuda {

// cublasGemmEx and cublasGemmStridedBatchedEx as the library exports them (the header adds C++ overloads
// with the old cudaDataType compute type, so decltype(&cublasGemmEx) would be ambiguous).
using CublasGemmEx = cublasStatus_t (*)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
                                        const void*, const void*, cudaDataType, int, const void*, cudaDataType, int,
                                        const void*, void*, cudaDataType, int, cublasComputeType_t, cublasGemmAlgo_t);
using CublasGemmStridedBatchedEx = cublasStatus_t (*)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int,
                                                      int, const void*, const void*, cudaDataType, int, long long,
                                                      const void*, cudaDataType, int, long long, const void*, void*,
                                                      cudaDataType, int, long long, int, cublasComputeType_t,
                                                      cublasGemmAlgo_t);

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
  CublasGemmEx gemm_ex = nullptr;                        // optional: float16/bfloat16 matmul
  CublasGemmStridedBatchedEx gemm_ex_batched = nullptr;  // optional, with gemm_ex
};

// Opens cuBLAS once: $TENSOR_CUBLAS_LIBRARY if set, else libcublas.so.13, .so.12, .so and the same
// names under /usr/local/cuda/lib64. Never throws.
const CublasApi& cublas_api();

// "cuBLAS error CUBLAS_STATUS_X (text)".
std::string cublas_status_text(cublasStatus_t status);

}  // namespace lt::cuda
