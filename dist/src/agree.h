// Note [agree before moving data]: MPI and NCCL trust every rank to pass matching counts and types; a
// mismatch hangs, truncates or corrupts memory. So every collective first reduces a small header (the
// call, dtype, shape, op, root, and whether this rank's own arguments were valid) with one MPI_Allreduce
// of its fields and their negatives under MAX, which gives every rank each field's maximum and minimum.
// All ranks then see the same verdict: a rank that refused its arguments, or a field whose minimum and
// maximum differ, makes every rank return the same status, and no rank enters the data collective.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "comm.h"
#include "tensor/tensor.h"

namespace tdist {

struct Field {
  const char* name;  // what disagrees, in the message ("dtype", "shape", "root", ...)
  int64_t value;
};

// A rank's side of the exchange: its fields, or a local failure (status + message) that stops all ranks.
struct Header {
  std::vector<Field> fields;
  tensor_status local_status = TENSOR_OK;
  std::string local_message;
  std::string describe;  // this rank's view of its arguments, for a mismatch message ("float32 [2, 3]")
};

// Runs the exchange; throws (on every rank alike) when any rank failed locally or a field disagrees.
// The field list must have the same length on every rank (fixed per call).
void agree(const tensor_comm* c, const Header& h);

// FNV-1a over a tensor's shape: the shape as one field.
int64_t shape_hash(const tensor* t);

}  // namespace tdist
