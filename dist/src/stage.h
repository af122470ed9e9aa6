// Staging: the contiguous memory a collective's engine works on, for a tensor of any strides and device.
// A contiguous tensor already where the engine wants it (host memory for MPI, its GPU for NCCL) is used
// in place; any other is copied into a contiguous tensor first and, for in-place calls, written back.
#pragma once
#include "comm.h"
#include "handle.h"

namespace tdist {

// Whether t's data go through NCCL on this communicator (a CUDA tensor on a NCCL communicator).
bool uses_nccl(const tensor_comm* c, const tensor* t);

struct Staged {
  Owned work;              // contiguous, on the engine's device; t itself (retained) when no copy was needed
  bool copied = false;     // work is a copy of t
};

Staged stage(const tensor_comm* c, const tensor* t);
// Writes staged results back into t (only when staging copied; values of t's dtype, any device).
void write_back(tensor* t, const Staged& s);
// An uninitialised contiguous tensor of this shape and t's dtype on the engine's device for t.
Owned engine_empty(const tensor_comm* c, const tensor* t, const int64_t* shape, int32_t ndim);
// Moves an engine-side result to t's device (a no-op when it is there already).
Owned to_device_of(Owned result, const tensor* t);

}  // namespace tdist
