#include "stage.h"

namespace tdist {

namespace {
constexpr tensor_device kCpu = {TENSOR_CPU, 0};
}

bool uses_nccl(const tensor_comm* c, const tensor* t) {
  return c->nccl != nullptr && tensor_get_device(t).type == TENSOR_CUDA;
}

Staged stage(const tensor_comm* c, const tensor* t) {
  Staged s;
  const bool on_engine_device = uses_nccl(c, t) || tensor_get_device(t).type == TENSOR_CPU;
  tensor* out = nullptr;
  if (on_engine_device && tensor_is_contiguous(t)) {
    s.work.reset(tensor_retain(const_cast<tensor*>(t)));
    return s;
  }
  if (on_engine_device) {
    check_tensor(tensor_contiguous(&out, t));
  } else {  // a CUDA tensor on an MPI communicator travels through host memory
    check_tensor(tensor_to_device(&out, t, kCpu));
    Owned moved(out);
    out = nullptr;
    check_tensor(tensor_contiguous(&out, moved.get()));
  }
  s.work.reset(out);
  s.copied = true;
  return s;
}

void write_back(tensor* t, const Staged& s) {
  if (!s.copied) return;
  Owned src = to_device_of(Owned(tensor_retain(s.work.get())), t);
  check_tensor(tensor_copy_(t, src.get()));
}

Owned engine_empty(const tensor_comm* c, const tensor* t, const int64_t* shape, int32_t ndim) {
  tensor_options o = options_like(t);
  if (!uses_nccl(c, t)) o.device = kCpu;
  tensor* out = nullptr;
  check_tensor(tensor_empty(&out, shape, ndim, &o));
  return Owned(out);
}

Owned to_device_of(Owned result, const tensor* t) {
  const tensor_device want = tensor_get_device(t), have = tensor_get_device(result.get());
  if (want.type == have.type && want.index == have.index) return result;
  tensor* out = nullptr;
  check_tensor(tensor_to_device(&out, result.get(), want));
  return Owned(out);
}

}  // namespace tdist
