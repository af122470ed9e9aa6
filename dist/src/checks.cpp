#include "checks.h"

#include "dtype.h"
#include "engine.h"
#include "handle.h"
#include "stage.h"
#include "tensor/tensor_dist.h"

namespace tdist {

void capture(Header& h, const std::function<void()>& fn) {
  if (h.local_status != TENSOR_OK) return;
  try {
    fn();
  } catch (const DistError& e) {
    h.local_status = e.status;
    h.local_message = e.message;
  } catch (const std::bad_alloc&) {
    h.local_status = TENSOR_ERR_OUT_OF_MEMORY;
    h.local_message = "out of memory";
  }
}

Header tensor_header(const tensor_comm* c, Call call, const tensor* t, const TensorRule& rule,
                     const std::function<void()>& more) {
  Header h;
  h.fields = {{"call", call}, {"dtype", 0},  {"device", 0}, {"ndim", 0},
              {"numel", 0},   {"shape", 0},  {"op", 0},     {"root", 0}};
  capture(h, [&] {
    TDIST_CHECK(t != nullptr, TENSOR_ERR_INVALID_ARGUMENT, "tensor is NULL");
    const tensor_dtype d = tensor_get_dtype(t);
    TDIST_CHECK(dtype_size(d) != 0, TENSOR_ERR_DTYPE,
                "dtype " << tensor_dtype_name(d) << " is not supported by libtensor_dist");
    h.describe = std::string(tensor_dtype_name(d)) + " " + shape_string(t);
    if (rule.has_op) {
      const char* name = op_name(rule.op);
      TDIST_CHECK(name != nullptr, TENSOR_ERR_INVALID_ARGUMENT, "unknown reduction operator " << rule.op);
      TDIST_CHECK(rule.op != TENSOR_DIST_AVG || dtype_is_floating(d), TENSOR_ERR_DTYPE,
                  "avg needs a floating dtype, got " << tensor_dtype_name(d));
    }
    if (rule.has_root) {
      TDIST_CHECK(rule.root >= 0 && rule.root < c->world, TENSOR_ERR_INVALID_ARGUMENT,
                  "root " << rule.root << " is not a rank (world size " << c->world << ")");
    }
    const tensor_device dev = tensor_get_device(t);
    if (uses_nccl(c, t)) {
      TDIST_CHECK(nccl_type_of(d) >= 0, TENSOR_ERR_DTYPE, nccl_refusal(d));
      TDIST_CHECK(dev.index == c->device, TENSOR_ERR_DEVICE,
                  "tensor is on cuda:" << dev.index << " but this rank's NCCL communicator is on cuda:" << c->device);
    }
    if (rule.split_dim0) {
      TDIST_CHECK(tensor_ndim(t) > 0, TENSOR_ERR_SHAPE, "a 0-d tensor cannot be scattered");
      TDIST_CHECK(tensor_size(t, 0) % c->world == 0, TENSOR_ERR_SHAPE,
                  "dim 0 of " << shape_string(t) << " is not divisible by the world size " << c->world);
    }
    if (rule.writable) {
      Memory m(t);
      TDIST_CHECK(!m.read_only(), TENSOR_ERR_INVALID_ARGUMENT, "tensor is read-only");
    }
    h.fields[1].value = d;
    h.fields[2].value = uses_nccl(c, t) ? 2 : 1;  // the engine, which all ranks must share
    h.fields[3].value = tensor_ndim(t);
    h.fields[4].value = tensor_numel(t);
    h.fields[5].value = shape_hash(t);
    h.fields[6].value = rule.op;
    h.fields[7].value = rule.root;
    if (more) more();
  });
  return h;
}

}  // namespace tdist
