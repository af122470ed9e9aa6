#include "agree.h"

#include <mpi.h>

#include <climits>
#include <sstream>

#include "error.h"

namespace tdist {

int64_t shape_hash(const tensor* t) {
  uint64_t h = 1469598103934665603ull;
  const int64_t* s = tensor_shape(t);
  const int32_t nd = tensor_ndim(t);
  auto mix = [&h](uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xffu;
      h *= 1099511628211ull;
    }
  };
  mix(static_cast<uint64_t>(nd));
  for (int32_t i = 0; i < nd; ++i) mix(static_cast<uint64_t>(s[i]));
  return static_cast<int64_t>(h >> 1);  // non-negative, so that -h cannot overflow
}

void agree(const tensor_comm* c, const Header& h) {
  const size_t k = h.fields.size();
  // [fields..., -fields..., failure slot, status slot]; a failed rank leaves its fields at 0.
  std::vector<int64_t> v(2 * k + 2, 0);
  const bool failed = h.local_status != TENSOR_OK;
  for (size_t i = 0; i < k && !failed; ++i) {
    v[i] = h.fields[i].value;
    v[k + i] = -h.fields[i].value;
  }
  // The lowest failing rank r shows as world - r (0: nobody failed); its status as -status (> 0).
  v[2 * k] = failed ? c->world - c->rank : 0;
  v[2 * k + 1] = failed ? -static_cast<int64_t>(h.local_status) : 0;
  check_mpi(MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_INT64_T, MPI_MAX, c->mpi),
            "MPI_Allreduce (argument check)");
  if (v[2 * k] > 0) {
    if (failed) fail(h.local_status, h.local_message);
    const int64_t who = c->world - v[2 * k];
    std::ostringstream os;
    os << "rank " << who << " refused its arguments (its tensor_dist_last_error() says why); no data was moved";
    fail(static_cast<tensor_status>(-v[2 * k + 1]), os.str());
  }
  for (size_t i = 0; i < k; ++i) {
    const int64_t hi = v[i], lo = -v[k + i];
    if (hi != lo) {
      const std::string name = h.fields[i].name;
      std::ostringstream os;
      os << "ranks disagree on the " << name << " (this rank: " << h.describe;
      if (name != "shape") os << ", " << name << " " << h.fields[i].value << "; across ranks " << lo << " to " << hi;
      os << "); no data was moved";
      tensor_status st = TENSOR_ERR_INVALID_ARGUMENT;
      if (name == "dtype") st = TENSOR_ERR_DTYPE;
      else if (name == "shape" || name == "numel" || name == "ndim") st = TENSOR_ERR_SHAPE;
      else if (name == "device") st = TENSOR_ERR_DEVICE;
      fail(st, os.str());
    }
  }
}

}  // namespace tdist
