// The tensor collectives: agree on the arguments (Note [agree before moving data]), stage the tensor
// into contiguous memory on the engine's device, move the data, write back.
#include <vector>

#include "checks.h"
#include "engine.h"
#include "stage.h"
#include "tensor/tensor_dist.h"

using namespace tdist;

namespace {

void* memory_of(const Owned& t, std::unique_ptr<Memory>* keep) {
  keep->reset(new Memory(t.get()));
  return (*keep)->data();
}

}  // namespace

extern "C" {

TENSOR_DIST_API tensor_status tensor_dist_all_reduce(tensor_comm* c, tensor* t, int32_t op) {
  return guard("tensor_dist_all_reduce", [&] {
    check_comm(c);
    NoGrad no_grad;
    Staged s;
    TensorRule rule;
    rule.writable = true;
    rule.has_op = true;
    rule.op = op;
    agree(c, tensor_header(c, kAllReduce, t, rule, [&] { s = stage(c, t); }));
    const int64_t n = tensor_numel(t);
    if (n == 0) return;
    std::unique_ptr<Memory> mem;
    void* buf = memory_of(s.work, &mem);
    if (uses_nccl(c, t)) {
      nccl_all_reduce(c, buf, n, tensor_get_dtype(t), op);
    } else {
      mpi_all_reduce(c, buf, n, tensor_get_dtype(t), op);
    }
    write_back(t, s);
  });
}

TENSOR_DIST_API tensor_status tensor_dist_broadcast(tensor_comm* c, tensor* t, int32_t root) {
  return guard("tensor_dist_broadcast", [&] {
    check_comm(c);
    NoGrad no_grad;
    Staged s;
    TensorRule rule;
    rule.writable = true;
    rule.has_root = true;
    rule.root = root;
    agree(c, tensor_header(c, kBroadcast, t, rule, [&] { s = stage(c, t); }));
    const int64_t n = tensor_numel(t);
    if (n == 0) return;
    std::unique_ptr<Memory> mem;
    void* buf = memory_of(s.work, &mem);
    if (uses_nccl(c, t)) {
      nccl_broadcast(c, buf, n, tensor_get_dtype(t), root);
    } else {
      mpi_broadcast(c, buf, n, tensor_get_dtype(t), root);
    }
    write_back(t, s);
  });
}

TENSOR_DIST_API tensor_status tensor_dist_all_gather(tensor** out, tensor_comm* c, const tensor* t) {
  if (out) *out = nullptr;
  return guard("tensor_dist_all_gather", [&] {
    TDIST_CHECK(out != nullptr, TENSOR_ERR_INVALID_ARGUMENT, "out is NULL");
    check_comm(c);
    NoGrad no_grad;
    Staged s;
    Owned result;
    agree(c, tensor_header(c, kAllGather, t, TensorRule{}, [&] {
      s = stage(c, t);
      std::vector<int64_t> shape(1, c->world);
      shape.insert(shape.end(), tensor_shape(t), tensor_shape(t) + tensor_ndim(t));
      result = engine_empty(c, t, shape.data(), static_cast<int32_t>(shape.size()));
    }));
    const int64_t n = tensor_numel(t);
    if (n > 0) {
      std::unique_ptr<Memory> in, res;
      const void* send = memory_of(s.work, &in);
      void* recv = memory_of(result, &res);
      if (uses_nccl(c, t)) {
        nccl_all_gather(c, send, recv, n, tensor_get_dtype(t));
      } else {
        mpi_all_gather(c, send, recv, n, tensor_get_dtype(t));
      }
    }
    *out = to_device_of(std::move(result), t).release();
  });
}

TENSOR_DIST_API tensor_status tensor_dist_reduce_scatter(tensor** out, tensor_comm* c, const tensor* t, int32_t op) {
  if (out) *out = nullptr;
  return guard("tensor_dist_reduce_scatter", [&] {
    TDIST_CHECK(out != nullptr, TENSOR_ERR_INVALID_ARGUMENT, "out is NULL");
    check_comm(c);
    NoGrad no_grad;
    Staged s;
    Owned result;
    TensorRule rule;
    rule.has_op = true;
    rule.op = op;
    rule.split_dim0 = true;
    agree(c, tensor_header(c, kReduceScatter, t, rule, [&] {
      s = stage(c, t);
      std::vector<int64_t> shape(tensor_shape(t), tensor_shape(t) + tensor_ndim(t));
      shape[0] /= c->world;
      result = engine_empty(c, t, shape.data(), static_cast<int32_t>(shape.size()));
    }));
    const int64_t n = tensor_numel(result.get());
    if (n > 0) {
      std::unique_ptr<Memory> in, res;
      const void* send = memory_of(s.work, &in);
      void* recv = memory_of(result, &res);
      if (uses_nccl(c, t)) {
        nccl_reduce_scatter(c, send, recv, n, tensor_get_dtype(t), op);
      } else {
        mpi_reduce_scatter(c, send, recv, n, tensor_get_dtype(t), op);
      }
    }
    *out = to_device_of(std::move(result), t).release();
  });
}

}  // extern "C"
