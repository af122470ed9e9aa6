// The gradient step of data-parallel training. Note [gradient buckets]: one collective per parameter
// would pay the engine's latency once per tensor (hundreds of small messages for a deep model); one
// collective over everything would need a second copy of all gradients at once. Grads are therefore
// packed, in parameter order, into flat buckets of at most bucket_bytes (PyTorch DDP's 25 MiB default),
// averaged with one all-reduce per bucket and copied back. A bucket that is a single contiguous grad on
// the engine's device is reduced in place, without the copies.
//
// The pack and unpack are what a bucket costs over one all-reduce of the same bytes, and the pack is
// inherent: the unpack also does AVG's division (the all-reduce sums), so it replaces the division pass
// that one all-reduce has, but the pack is one more memcpy of the bucket. Everything else per call is
// per grad and small: its lookup and one DLPack export (the read-only check, whose pointer the pack and
// unpack reuse). The bucket memory is the communicator's (Note [bucket workspace]). Large grads are not
// split off to be reduced in place: on 2 ranks here, one more all-reduce of a few MiB cost as much as
// the memcpy it saved, and at scale each extra collective costs more.
#include <algorithm>
#include <cstring>
#include <vector>

#include "checks.h"
#include "dtype.h"
#include "engine.h"
#include "stage.h"
#include "tensor/tensor_dist.h"

using namespace tdist;

namespace {

struct Grad {
  Owned t;              // NULL for a parameter without a grad
  Memory mem;           // t's export (the read-only check), kept for the pack and unpack
  int64_t numel = 0;
  int64_t offset = 0;   // in its bucket, in elements
  bool direct = false;  // contiguous on the engine's device: packed, or reduced, straight from mem
};

struct Bucket {
  std::vector<Grad*> grads;
  int64_t numel = 0;
  tensor_dtype dtype = TENSOR_FLOAT32;
  bool nccl = false;
};

// The bucket's slice of `flat` holding g, shaped as g.
Owned slot(const tensor* flat, const Grad& g) {
  tensor* s = nullptr;
  check_tensor(tensor_slice(&s, flat, 0, g.offset, g.offset + g.numel, 1));
  Owned sliced(s);
  tensor* r = nullptr;
  check_tensor(tensor_reshape(&r, sliced.get(), tensor_shape(g.t.get()), tensor_ndim(g.t.get())));
  return Owned(r);
}

// dst <- src for tensors of one shape and dtype, on any devices.
void copy_across(tensor* dst, const tensor* src) {
  Owned moved = to_device_of(Owned(tensor_retain(const_cast<tensor*>(src))), dst);
  check_tensor(tensor_copy_(dst, moved.get()));
}

// The communicator's flat buffer for buckets like `like` (dtype, engine), of at least numel elements.
Workspace& workspace(tensor_comm* c, const tensor* like, bool nccl, int64_t numel) {
  const tensor_dtype d = tensor_get_dtype(like);
  auto it = std::find_if(c->workspaces.begin(), c->workspaces.end(),
                         [&](const Workspace& w) { return w.dtype == d && w.nccl == nccl; });
  if (it == c->workspaces.end()) {
    c->workspaces.emplace_back();
    it = c->workspaces.end() - 1;
    it->dtype = d;
    it->nccl = nccl;
  }
  Workspace& w = *it;
  if (w.numel < numel) {
    w.mem = Memory();  // the old buffer goes before the new one comes
    w.t.reset();
    w.numel = 0;
    w.t = engine_empty(c, like, &numel, 1);
    w.mem = Memory(w.t.get());
    w.numel = numel;
  }
  return w;
}

void reduce_bucket(tensor_comm* c, const Bucket& b) {
  Grad& first = *b.grads.front();
  if (b.grads.size() == 1 && first.direct) {
    if (b.nccl) nccl_all_reduce(c, first.mem.data(), b.numel, b.dtype, TENSOR_DIST_AVG);
    else mpi_all_reduce(c, first.mem.data(), b.numel, b.dtype, TENSOR_DIST_AVG);
    return;
  }
  Workspace& w = workspace(c, first.t.get(), b.nccl, b.numel);
  char* base = static_cast<char*>(w.mem.data());
  const size_t size = dtype_size(b.dtype);
  for (Grad* g : b.grads) {  // pack
    if (g->direct && !b.nccl) {
      std::memcpy(base + g->offset * size, g->mem.data(), static_cast<size_t>(g->numel) * size);
    } else {
      copy_across(slot(w.t.get(), *g).get(), g->t.get());
    }
  }
  if (b.nccl) {
    nccl_all_reduce(c, base, b.numel, b.dtype, TENSOR_DIST_AVG);
    for (Grad* g : b.grads) copy_across(g->t.get(), slot(w.t.get(), *g).get());
    return;
  }
  mpi_all_reduce(c, base, b.numel, b.dtype, TENSOR_DIST_SUM);
  for (Grad* g : b.grads) {  // unpack, dividing on the way (AVG)
    char* sum = base + g->offset * size;
    if (g->direct) {
      divide_into(g->mem.data(), sum, g->numel, b.dtype, c->world);
    } else {
      divide_in_place(sum, g->numel, b.dtype, c->world);
      copy_across(g->t.get(), slot(w.t.get(), *g).get());
    }
  }
}

// Buckets in parameter order, split where the dtype or the engine changes or bucket_bytes would be
// passed. It reads only what every rank agreed on (dtypes, engines, shapes), so that all ranks plan the
// same collectives: a CPU grad and a CUDA grad on an MPI communicator share a (host) bucket.
std::vector<Bucket> plan_buckets(const tensor_comm* c, std::vector<Grad>& grads, int64_t bucket_bytes) {
  std::vector<Bucket> buckets;
  for (Grad& g : grads) {
    if (!g.t || g.numel == 0) continue;
    const tensor_dtype d = tensor_get_dtype(g.t.get());
    const bool nccl = uses_nccl(c, g.t.get());
    const int64_t size = static_cast<int64_t>(dtype_size(d));
    const bool fits = !buckets.empty() && buckets.back().dtype == d && buckets.back().nccl == nccl &&
                      (buckets.back().numel + g.numel) * size <= bucket_bytes;
    if (!fits) {
      buckets.emplace_back();
      buckets.back().dtype = d;
      buckets.back().nccl = nccl;
    }
    Bucket& b = buckets.back();
    g.offset = b.numel;
    b.numel += g.numel;
    b.grads.push_back(&g);
  }
  return buckets;
}

// FNV-1a over what every rank's grads must share: which params have one, their dtype, engine and shape.
int64_t grads_signature(const tensor_comm* c, const std::vector<Grad>& per_param) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](uint64_t v) {
    h ^= v;
    h *= 1099511628211ull;
  };
  for (const Grad& x : per_param) {
    const tensor* g = x.t.get();
    mix(g ? 1 : 0);
    if (!g) continue;
    mix(static_cast<uint64_t>(tensor_get_dtype(g)));
    mix(uses_nccl(c, g) ? 2 : 1);
    mix(static_cast<uint64_t>(shape_hash(g)));
  }
  return static_cast<int64_t>(h >> 1);
}

}  // namespace

extern "C" TENSOR_DIST_API tensor_status tensor_dist_all_reduce_grads(tensor_comm* c, tensor* const* params, int32_t n,
                                                                      int64_t bucket_bytes) {
  return guard("tensor_dist_all_reduce_grads", [&] {
    check_comm(c);
    NoGrad no_grad;
    std::vector<Grad> per_param;
    Header h;
    h.fields = {{"call", kAllReduceGrads}, {"parameter count", n}, {"bucket size", bucket_bytes}, {"grads", 0}};
    h.describe = std::to_string(n) + " parameters";
    capture(h, [&] {
      TDIST_CHECK(n >= 0, TENSOR_ERR_INVALID_ARGUMENT, "negative parameter count " << n);
      TDIST_CHECK(n == 0 || params != nullptr, TENSOR_ERR_INVALID_ARGUMENT, "params is NULL");
      TDIST_CHECK(bucket_bytes >= 0, TENSOR_ERR_INVALID_ARGUMENT, "negative bucket size " << bucket_bytes);
      per_param.reserve(static_cast<size_t>(n));
      for (int32_t i = 0; i < n; ++i) {
        TDIST_CHECK(params[i] != nullptr, TENSOR_ERR_INVALID_ARGUMENT, "params[" << i << "] is NULL");
        tensor* g = nullptr;
        check_tensor(tensor_grad(&g, params[i]));
        per_param.emplace_back();
        Grad& x = per_param.back();
        x.t.reset(g);
        if (!g) continue;
        const tensor_dtype d = tensor_get_dtype(g);
        TDIST_CHECK(dtype_is_floating(d), TENSOR_ERR_DTYPE,
                    "the grad of params[" << i << "] is " << tensor_dtype_name(d) << "; grads must be floating");
        const bool nccl = uses_nccl(c, g);
        if (nccl) {
          TDIST_CHECK(tensor_get_device(g).index == c->device, TENSOR_ERR_DEVICE,
                      "the grad of params[" << i << "] is on cuda:" << tensor_get_device(g).index
                                            << " but this rank's NCCL communicator is on cuda:" << c->device);
        }
        x.mem = Memory(g);
        TDIST_CHECK(!x.mem.read_only(), TENSOR_ERR_INVALID_ARGUMENT, "the grad of params[" << i << "] is read-only");
        x.numel = tensor_numel(g);
        x.direct = tensor_is_contiguous(g) && (nccl || tensor_get_device(g).type == TENSOR_CPU);
      }
      h.fields[3].value = grads_signature(c, per_param);
    });
    agree(c, h);
    const int64_t limit = bucket_bytes == 0 ? TENSOR_DIST_DEFAULT_BUCKET_BYTES : bucket_bytes;
    for (const Bucket& b : plan_buckets(c, per_param, limit)) reduce_bucket(c, b);
  });
}
