// NCCL and the CUDA driver, opened at run time with dlopen (as libtensor opens cuBLAS), so that
// libtensor_dist loads and serves CPU tensors over MPI on machines without a GPU, a driver or NCCL.
// The few NCCL types used are declared here with NCCL's ABI (stable since NCCL 2.0): no build-time
// dependency on nccl.h or the CUDA toolkit.
#pragma once
#include <cstddef>
#include <string>

typedef struct ncclComm* ncclComm_t;

namespace tdist {

struct NcclUniqueId {
  char internal[128];  // NCCL_UNIQUE_ID_BYTES
};

// ncclDataType_t, ncclRedOp_t and ncclResult_t values (nccl.h; the types checked against NCCL 2.28.9's).
// ncclBfloat16 arrived in NCCL 2.10, the oldest version nccl_api() accepts.
enum : int {
  kNcclInt8 = 0,
  kNcclUint8 = 1,
  kNcclInt32 = 2,
  kNcclInt64 = 4,
  kNcclFloat16 = 6,
  kNcclFloat32 = 7,
  kNcclFloat64 = 8,
  kNcclBfloat16 = 9
};
enum : int { kNcclSum = 0, kNcclProd = 1, kNcclMax = 2, kNcclMin = 3, kNcclAvg = 4 };
enum : int { kNcclSuccess = 0, kNcclInProgress = 7 };

struct NcclApi {
  bool loaded = false;
  std::string path;
  std::string error;  // why NCCL (or the CUDA driver) could not be opened
  int (*get_version)(int*) = nullptr;
  int (*get_unique_id)(NcclUniqueId*) = nullptr;
  int (*comm_init_rank)(ncclComm_t*, int, NcclUniqueId, int) = nullptr;
  int (*comm_destroy)(ncclComm_t) = nullptr;
  int (*comm_get_async_error)(ncclComm_t, int*) = nullptr;
  const char* (*get_error_string)(int) = nullptr;
  int (*all_reduce)(const void*, void*, size_t, int, int, ncclComm_t, void*) = nullptr;
  int (*broadcast)(const void*, void*, size_t, int, int, ncclComm_t, void*) = nullptr;
  int (*all_gather)(const void*, void*, size_t, int, ncclComm_t, void*) = nullptr;
  int (*reduce_scatter)(const void*, void*, size_t, int, int, ncclComm_t, void*) = nullptr;
  // CUDA driver: NCCL binds a communicator to the calling thread's current device, which the driver's
  // primary context of that device sets without linking the CUDA runtime.
  int (*cu_init)(unsigned) = nullptr;
  int (*cu_device_get)(int*, int) = nullptr;
  int (*cu_primary_ctx_retain)(void**, int) = nullptr;
  int (*cu_ctx_set_current)(void*) = nullptr;
};

// Opens libnccl.so.2 ($TENSOR_NCCL_LIBRARY first) and libcuda.so.1 once. Never throws.
const NcclApi& nccl_api();

// Throws Backend with ncclGetErrorString's text unless rc is ncclSuccess.
void check_nccl(int rc, const char* what);

// Makes GPU `device` current for the calling thread (the driver's primary context).
void nccl_set_device(int device);

}  // namespace tdist
