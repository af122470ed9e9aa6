// The communicator behind the opaque tensor_comm handle.
#pragma once
#include <mpi.h>

#include <cstdint>
#include <vector>

#include "handle.h"
#include "nccl_loader.h"

namespace tdist {

// Note [bucket workspace]: the flat buffer that all_reduce_grads packs a bucket into. It is kept on the
// communicator between calls (one per dtype and engine, grown to the largest bucket seen, at most
// bucket_bytes) so that a training step allocates no bucket and touches no fresh pages (a new buffer per
// call was allocated, page-faulted and unmapped on every step). Freed with the communicator. Collectives on
// one communicator are ordered by the caller (MPI's rule), so one buffer per communicator is enough.
struct Workspace {
  tensor_dtype dtype = TENSOR_FLOAT32;
  bool nccl = false;  // on the NCCL communicator's GPU; otherwise host memory for MPI
  int64_t numel = 0;
  Owned t;     // contiguous, 1-d
  Memory mem;  // t's DLPack export, held for t's life: its writable memory
};

}  // namespace tdist

struct tensor_comm {
  uint32_t magic;          // kCommMagic while alive, so a freed or foreign pointer is refused
  int32_t backend;         // TENSOR_DIST_MPI or TENSOR_DIST_NCCL
  int32_t rank = 0;
  int32_t world = 1;
  MPI_Comm mpi = MPI_COMM_NULL;  // a duplicate of MPI_COMM_WORLD whose errors return (never abort)
  int32_t device = -1;           // the GPU of this rank (NCCL only)
  ncclComm_t nccl = nullptr;     // NULL on an MPI communicator
  std::vector<tdist::Workspace> workspaces;  // Note [bucket workspace]
};

namespace tdist {

constexpr uint32_t kCommMagic = 0x7d157c0au;

// Throws InvalidArgument unless c is a live communicator. Local only: a rank whose handle is bad cannot
// take part in a collective at all.
void check_comm(const tensor_comm* c);

}  // namespace tdist
