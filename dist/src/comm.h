// The communicator behind the opaque tensor_comm handle.
#pragma once
#include <mpi.h>

#include <cstdint>

#include "nccl_loader.h"

struct tensor_comm {
  uint32_t magic;          // kCommMagic while alive, so a freed or foreign pointer is refused
  int32_t backend;         // TENSOR_DIST_MPI or TENSOR_DIST_NCCL
  int32_t rank = 0;
  int32_t world = 1;
  MPI_Comm mpi = MPI_COMM_NULL;  // a duplicate of MPI_COMM_WORLD whose errors return (never abort)
  int32_t device = -1;           // the GPU of this rank (NCCL only)
  ncclComm_t nccl = nullptr;     // NULL on an MPI communicator
};

namespace tdist {

constexpr uint32_t kCommMagic = 0x7d157c0au;

// Throws InvalidArgument unless c is a live communicator. Local only: a rank whose handle is bad cannot
// take part in a collective at all.
void check_comm(const tensor_comm* c);

}  // namespace tdist
