#include "engine.h"
#include "error.h"
#include "handle.h"
#include "nccl_loader.h"
#include "tensor/tensor_dist.h"

namespace tdist {

namespace {

int nccl_type(tensor_dtype d) {
  const int type = nccl_type_of(d);
  TDIST_CHECK(type >= 0, TENSOR_ERR_DTYPE, nccl_refusal(d));
  return type;
}

// Same mapping as MPI's (dtype.h): bool SUM/PROD are any/all.
int nccl_op(int32_t op, tensor_dtype d) {
  const bool boolean = d == TENSOR_BOOL;
  switch (op) {
    case TENSOR_DIST_SUM: return boolean ? kNcclMax : kNcclSum;
    case TENSOR_DIST_AVG: return kNcclAvg;
    case TENSOR_DIST_MAX: return kNcclMax;
    case TENSOR_DIST_MIN: return kNcclMin;
    case TENSOR_DIST_PROD: return boolean ? kNcclMin : kNcclProd;
  }
  fail(TENSOR_ERR_INVALID_ARGUMENT, "unknown reduction operator");
}

// libtensor's stream on the communicator's GPU, which NCCL's kernels are queued on so that they run
// after the ops that produced the data and before the ops that read the result.
void* stream_of(const tensor_comm* c) {
  void* s = nullptr;
  check_tensor(tensor_cuda_stream(&s, c->device));
  nccl_set_device(c->device);
  return s;
}

}  // namespace

int nccl_type_of(tensor_dtype d) {
  switch (d) {
    case TENSOR_FLOAT32: return kNcclFloat32;
    case TENSOR_FLOAT64: return kNcclFloat64;
    case TENSOR_INT32: return kNcclInt32;
    case TENSOR_INT64: return kNcclInt64;
    case TENSOR_BOOL: return kNcclUint8;
    case TENSOR_FLOAT16: return kNcclFloat16;
    case TENSOR_BFLOAT16: return kNcclBfloat16;
    case TENSOR_UINT8: return kNcclUint8;
    case TENSOR_INT8: return kNcclInt8;
    case TENSOR_INT16: return -1;  // NCCL has no 16-bit integer type
  }
  return -1;
}

std::string nccl_refusal(tensor_dtype d) {
  return std::string("dtype ") + tensor_dtype_name(d) +
         " has no NCCL type, so the NCCL backend cannot move it (CUDA tensors on a TENSOR_DIST_NCCL "
         "communicator); convert it (e.g. to int32) or use a TENSOR_DIST_MPI communicator";
}

void nccl_all_reduce(const tensor_comm* c, void* buf, int64_t n, tensor_dtype d, int32_t op) {
  check_nccl(nccl_api().all_reduce(buf, buf, static_cast<size_t>(n), nccl_type(d), nccl_op(op, d), c->nccl, stream_of(c)),
             "ncclAllReduce");
}

void nccl_broadcast(const tensor_comm* c, void* buf, int64_t n, tensor_dtype d, int32_t root) {
  check_nccl(nccl_api().broadcast(buf, buf, static_cast<size_t>(n), nccl_type(d), root, c->nccl, stream_of(c)),
             "ncclBroadcast");
}

void nccl_all_gather(const tensor_comm* c, const void* send, void* recv, int64_t n, tensor_dtype d) {
  check_nccl(nccl_api().all_gather(send, recv, static_cast<size_t>(n), nccl_type(d), c->nccl, stream_of(c)),
             "ncclAllGather");
}

void nccl_reduce_scatter(const tensor_comm* c, const void* send, void* recv, int64_t n, tensor_dtype d, int32_t op) {
  check_nccl(nccl_api().reduce_scatter(send, recv, static_cast<size_t>(n), nccl_type(d), nccl_op(op, d), c->nccl,
                                       stream_of(c)),
             "ncclReduceScatter");
}

}  // namespace tdist
