// The gradient step of data-parallel training. Note [gradient buckets]: one collective per parameter
// would pay the engine's latency once per tensor (hundreds of small messages for a deep model); one
// collective over everything would need a second copy of all gradients at once. Grads are therefore
// packed, in parameter order, into flat buckets of at most bucket_bytes (PyTorch DDP's 25 MiB default),
// averaged with one all-reduce per bucket and copied back. A bucket that is a single contiguous grad on
// the engine's device is reduced in place, without the copies.
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
  Owned t;
  int64_t numel = 0;
  int64_t offset = 0;  // in its bucket, in elements
};

struct Bucket {
  std::vector<Grad*> grads;
  int64_t numel = 0;
  tensor_dtype dtype = TENSOR_FLOAT32;
};


bool host_contiguous(const tensor* t) {
  return tensor_get_device(t).type == TENSOR_CPU && tensor_is_contiguous(t);
}

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

void reduce_bucket(const tensor_comm* c, const Bucket& b) {
  const tensor* first = b.grads.front()->t.get();
  const bool nccl = uses_nccl(c, first);
  if (b.grads.size() == 1 && (nccl ? tensor_is_contiguous(first) : host_contiguous(first))) {
    Memory m(first);
    if (nccl) nccl_all_reduce(c, m.data(), b.numel, b.dtype, TENSOR_DIST_AVG);
    else mpi_all_reduce(c, m.data(), b.numel, b.dtype, TENSOR_DIST_AVG);
    return;
  }
  const int64_t shape[] = {b.numel};
  Owned flat = engine_empty(c, first, shape, 1);
  Memory fm(flat.get());
  char* base = static_cast<char*>(fm.data());
  const size_t size = dtype_size(b.dtype);
  const bool host = tensor_get_device(flat.get()).type == TENSOR_CPU;
  for (Grad* g : b.grads) {  // pack
    if (host && host_contiguous(g->t.get())) {
      Memory gm(g->t.get());
      std::memcpy(base + g->offset * size, gm.data(), static_cast<size_t>(g->numel) * size);
    } else {
      copy_across(slot(flat.get(), *g).get(), g->t.get());
    }
  }
  if (nccl) nccl_all_reduce(c, base, b.numel, b.dtype, TENSOR_DIST_AVG);
  else mpi_all_reduce(c, base, b.numel, b.dtype, TENSOR_DIST_AVG);
  for (Grad* g : b.grads) {  // unpack
    if (host && host_contiguous(g->t.get())) {
      Memory gm(g->t.get());
      std::memcpy(gm.data(), base + g->offset * size, static_cast<size_t>(g->numel) * size);
    } else {
      copy_across(g->t.get(), slot(flat.get(), *g).get());
    }
  }
}

std::vector<Bucket> plan_buckets(const tensor_comm* c, std::vector<Grad>& grads, int64_t bucket_bytes) {
  std::vector<Bucket> buckets;
  for (Grad& g : grads) {
    const tensor* t = g.t.get();
    const tensor_dtype d = tensor_get_dtype(t);
    const int64_t bytes = g.numel * static_cast<int64_t>(dtype_size(d));
    bool fits = !buckets.empty();
    if (fits) {
      const Bucket& last = buckets.back();
      const tensor* head = last.grads.front()->t.get();
      const tensor_device hd = tensor_get_device(head), td = tensor_get_device(t);
      fits = last.dtype == d && hd.type == td.type && hd.index == td.index && uses_nccl(c, head) == uses_nccl(c, t) &&
             (last.numel * static_cast<int64_t>(dtype_size(d)) + bytes) <= bucket_bytes;
    }
    if (!fits) {
      buckets.emplace_back();
      buckets.back().dtype = d;
    }
    Bucket& b = buckets.back();
    g.offset = b.numel;
    b.numel += g.numel;
    b.grads.push_back(&g);
  }
  return buckets;
}

// FNV-1a over what every rank's grads must share: which params have one, their dtype, engine and shape.
int64_t grads_signature(const tensor_comm* c, const std::vector<Owned>& per_param) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](uint64_t v) {
    h ^= v;
    h *= 1099511628211ull;
  };
  for (const Owned& g : per_param) {
    mix(g ? 1 : 0);
    if (!g) continue;
    mix(static_cast<uint64_t>(tensor_get_dtype(g.get())));
    mix(uses_nccl(c, g.get()) ? 2 : 1);
    mix(static_cast<uint64_t>(shape_hash(g.get())));
  }
  return static_cast<int64_t>(h >> 1);
}

}  // namespace

extern "C" TENSOR_DIST_API tensor_status tensor_dist_all_reduce_grads(tensor_comm* c, tensor* const* params, int32_t n,
                                                                      int64_t bucket_bytes) {
  return guard("tensor_dist_all_reduce_grads", [&] {
    check_comm(c);
    NoGrad no_grad;
    std::vector<Owned> per_param;
    Header h;
    h.fields = {{"call", kAllReduceGrads}, {"parameter count", n}, {"bucket size", bucket_bytes}, {"grads", 0}};
    h.describe = std::to_string(n) + " parameters";
    capture(h, [&] {
      TDIST_CHECK(n >= 0, TENSOR_ERR_INVALID_ARGUMENT, "negative parameter count " << n);
      TDIST_CHECK(n == 0 || params != nullptr, TENSOR_ERR_INVALID_ARGUMENT, "params is NULL");
      TDIST_CHECK(bucket_bytes >= 0, TENSOR_ERR_INVALID_ARGUMENT, "negative bucket size " << bucket_bytes);
      for (int32_t i = 0; i < n; ++i) {
        TDIST_CHECK(params[i] != nullptr, TENSOR_ERR_INVALID_ARGUMENT, "params[" << i << "] is NULL");
        tensor* g = nullptr;
        check_tensor(tensor_grad(&g, params[i]));
        per_param.emplace_back(g);
        if (!g) continue;
        const tensor_dtype d = tensor_get_dtype(g);
        TDIST_CHECK(dtype_is_floating(d), TENSOR_ERR_DTYPE,
                    "the grad of params[" << i << "] is " << tensor_dtype_name(d) << "; grads must be floating");
        if (uses_nccl(c, g)) {
          TDIST_CHECK(tensor_get_device(g).index == c->device, TENSOR_ERR_DEVICE,
                      "the grad of params[" << i << "] is on cuda:" << tensor_get_device(g).index
                                            << " but this rank's NCCL communicator is on cuda:" << c->device);
        }
        Memory m(g);
        TDIST_CHECK(!m.read_only(), TENSOR_ERR_INVALID_ARGUMENT, "the grad of params[" << i << "] is read-only");
      }
      h.fields[3].value = grads_signature(c, per_param);
    });
    agree(c, h);
    std::vector<Grad> grads;
    for (Owned& g : per_param) {
      if (!g || tensor_numel(g.get()) == 0) continue;
      Grad x;
      x.numel = tensor_numel(g.get());
      x.t = std::move(g);
      grads.push_back(std::move(x));
    }
    const int64_t limit = bucket_bytes == 0 ? TENSOR_DIST_DEFAULT_BUCKET_BYTES : bucket_bytes;
    for (const Bucket& b : plan_buckets(c, grads, limit)) reduce_bucket(c, b);
  });
}
