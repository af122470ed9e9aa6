// The data movement of each collective on contiguous buffers, by engine: MPI on host memory (counts
// past INT_MAX are split, since MPI counts are int) and NCCL on device memory, queued on libtensor's
// stream. Arguments have already been agreed on by every rank (Note [agree before moving data]).
#pragma once
#include <cstdint>
#include <string>

#include "comm.h"
#include "tensor/tensor.h"

namespace tdist {

void mpi_all_reduce(const tensor_comm* c, void* buf, int64_t n, tensor_dtype d, int32_t op);
void mpi_broadcast(const tensor_comm* c, void* buf, int64_t n, tensor_dtype d, int32_t root);
// recv holds world * n elements; rank r's n elements land at r * n.
void mpi_all_gather(const tensor_comm* c, const void* send, void* recv, int64_t n, tensor_dtype d);
// send holds world * n elements; recv gets this rank's n reduced ones.
void mpi_reduce_scatter(const tensor_comm* c, const void* send, void* recv, int64_t n, tensor_dtype d, int32_t op);

// The ncclDataType_t of d, -1 where NCCL has none (int16), and the message refusing such a dtype.
int nccl_type_of(tensor_dtype d);
std::string nccl_refusal(tensor_dtype d);

void nccl_all_reduce(const tensor_comm* c, void* buf, int64_t n, tensor_dtype d, int32_t op);
void nccl_broadcast(const tensor_comm* c, void* buf, int64_t n, tensor_dtype d, int32_t root);
void nccl_all_gather(const tensor_comm* c, const void* send, void* recv, int64_t n, tensor_dtype d);
void nccl_reduce_scatter(const tensor_comm* c, const void* send, void* recv, int64_t n, tensor_dtype d, int32_t op);

}  // namespace tdist
