// Autograd, data out, lifecycle and information calls under fuzzing, including the calls that cannot
// fail and must give their documented results for NULL.
#include <cmath>
#include <cstring>
#include <string>

#include "fuzz/fuzz_ops.h"

namespace fuzz {

void op_requires_grad(Session& s) {
  Expect e;
  tensor* t = s.pool.arg(s.in, e);
  bool on = !s.in.one_in(4);
  if (t && !tensor_is_leaf(t)) e.defect(TENSOR_ERR_AUTOGRAD);
  else if (t && on && !is_floating(tensor_get_dtype(t))) e.defect(TENSOR_ERR_DTYPE);
  tensor_status st = e.check("tensor_set_requires_grad", tensor_set_requires_grad(t, on));
  if (st == TENSOR_OK)
    FUZZ_REQUIRE(tensor_requires_grad(t) == on, "tensor_set_requires_grad", "requires_grad not applied");
}

void op_backward(Session& s) {
  Expect e;
  tensor* t = s.pool.arg(s.in, e);
  tensor* made = nullptr;
  const tensor* grad = nullptr;
  switch (s.in.below(3)) {
    case 0:  // implicit grad of 1: one-element tensors only
      if (t && tensor_requires_grad(t) && tensor_numel(t) != 1) e.must_fail();
      break;
    case 1:  // a grad of the right shape
      if (t && tensor_ones_like(&made, t) != TENSOR_OK) fail("tensor_ones_like", "failed on a live tensor");
      grad = made;
      break;
    default: {  // whatever is in the pool
      Expect ignored;
      grad = s.pool.arg(s.in, ignored);
      if (t && grad && shape_of(grad) != shape_of(t)) e.must_fail();
    }
  }
  if (t && !tensor_requires_grad(t)) e.defect(TENSOR_ERR_AUTOGRAD);
  bool retain = s.in.coin();
  e.check("tensor_backward", tensor_backward(t, grad, retain));
  tensor_free(made);
}

void op_grad(Session& s) {
  Expect e;
  tensor* t;
  if (s.in.one_in(4)) {
    t = s.pool.arg(s.in, e);
    e.check("tensor_zero_grad", tensor_zero_grad(t));
    return;
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  t = s.pool.arg(s.in, e);
  tensor_status st = e.check("tensor_grad", tensor_grad(po, t));
  if (st != TENSOR_OK) {
    FUZZ_REQUIRE(!po || out == nullptr, "tensor_grad", "out-parameter not NULL on failure");
    return;
  }
  FUZZ_REQUIRE(out != unset_out(), "tensor_grad", "out-parameter not written");
  if (!out) return;  // no grad yet
  check_tensor("tensor_grad", out, kMaxKeep);
  FUZZ_REQUIRE(shape_of(out) == shape_of(t), "tensor_grad", "grad shape differs from the tensor's");
  FUZZ_REQUIRE(tensor_get_dtype(out) == tensor_get_dtype(t), "tensor_grad", "grad dtype differs from the tensor's");
  // The pool gets a detached alias of the grad (same memory), not the grad's own handle: an in-place op
  // on the grad with an operand computed from its parameter would give the grad a graph that refers back
  // to the parameter, the reference cycle PyTorch documents for backward(create_graph=True), which would
  // read as a leak of the library once the pool lets go of the parameter.
  tensor* alias = nullptr;
  if (tensor_detach(&alias, out) != TENSOR_OK) fail("tensor_detach", "cannot alias a grad");
  tensor_free(out);
  s.pool.keep(s.in, alias);
}

void op_grad_mode(Session& s) {
  bool on = s.in.coin();
  bool before = tensor_is_grad_enabled();
  FUZZ_REQUIRE(tensor_set_grad_enabled(on) == before, "tensor_set_grad_enabled", "did not return the previous mode");
  FUZZ_REQUIRE(tensor_is_grad_enabled() == on, "tensor_set_grad_enabled", "mode not applied");
}

void op_inspect(Session& s) {
  Expect ignored;
  tensor* t = s.pool.arg(s.in, ignored);
  int32_t dim = s.in.dim(t ? tensor_ndim(t) : 1);
  int64_t size = tensor_size(t, dim);
  if (!t) {  // the documented results for NULL
    FUZZ_REQUIRE(tensor_ndim(t) == 0 && tensor_shape(t) == nullptr && tensor_strides(t) == nullptr,
                 "tensor_ndim", "NULL handle: wrong ndim/shape/strides");
    FUZZ_REQUIRE(tensor_numel(t) == 0 && size == -1 && tensor_get_dtype(t) == TENSOR_FLOAT32, "tensor_numel",
                 "NULL handle: wrong numel/size/dtype");
    tensor_device d = tensor_get_device(t);
    FUZZ_REQUIRE(d.type == TENSOR_CPU && d.index == 0 && !tensor_is_contiguous(t) && tensor_data(t) == nullptr,
                 "tensor_get_device", "NULL handle: wrong device/contiguity/data");
    FUZZ_REQUIRE(!tensor_requires_grad(t) && !tensor_is_leaf(t) && tensor_format(t, nullptr, 0) == -1,
                 "tensor_requires_grad", "NULL handle: wrong autograd flags or format");
    return;
  }
  int32_t nd = tensor_ndim(t);
  bool in_range = dim >= -nd && dim < nd;
  FUZZ_REQUIRE(in_range ? size == tensor_shape(t)[dim < 0 ? dim + nd : dim] : size == -1, "tensor_size",
               "wrong size for the dim");
  check_tensor("inspection", t, kMaxKeep);
}

void op_copy_out(Session& s) {
  Expect e;
  tensor* t = s.pool.arg(s.in, e);
  switch (s.in.below(3)) {
    case 0: {
      size_t need = t ? static_cast<size_t>(tensor_numel(t)) * tensor_dtype_size(tensor_get_dtype(t)) : 8;
      static const int32_t deltas[] = {0, 0, 0, -1, 1, 64};
      int64_t delta = s.in.pick(deltas);
      size_t nbytes = delta < 0 && need == 0 ? 0 : need + delta;
      e.defect_if(nbytes < need, TENSOR_ERR_INVALID_ARGUMENT);
      // Exactly nbytes after the start (any overrun is an ASan report); the start is misaligned now and
      // then, as a caller's byte buffer may be.
      size_t misalign = s.in.coin() ? 1 : 0;
      std::vector<unsigned char> buf(nbytes + misalign);
      bool null_dst = s.in.one_in(16);
      e.defect_if(null_dst && need > 0, TENSOR_ERR_INVALID_ARGUMENT);
      e.check("tensor_copy_to_host", tensor_copy_to_host(t, null_dst ? nullptr : buf.data() + misalign, nbytes));
      break;
    }
    case 1: {
      double v = 0;
      bool null_value = s.in.one_in(16);
      e.defect_if(null_value, TENSOR_ERR_INVALID_ARGUMENT);
      if (t && tensor_numel(t) != 1) e.must_fail();
      e.check("tensor_item", tensor_item(t, null_value ? nullptr : &v));
      break;
    }
    default:
      if (t && tensor_numel(t) > 0) FUZZ_REQUIRE(tensor_data(t) != nullptr, "tensor_data", "NULL for a CPU tensor");
  }
}

void op_format(Session& s) {
  Expect ignored;
  tensor* t = s.pool.arg(s.in, ignored);
  if (!t) return;
  int64_t n = tensor_format(t, nullptr, 0);
  if (n < 0) return Expect::check_message("tensor_format");  // it may fail (out of memory), with a message
  static const int64_t caps[] = {0, 1, 2, 7, 16, -1, 0, -2};  // -1: exactly n + 1, -2: exactly n
  int64_t c = s.in.pick(caps);
  size_t cap = static_cast<size_t>(c == -1 ? n + 1 : c == -2 ? n : c);
  std::vector<char> buf(cap + 1, '#');  // one guard byte past cap
  int64_t m = tensor_format(t, buf.data(), cap);
  FUZZ_REQUIRE(m == n, "tensor_format", "length differs between two calls");
  FUZZ_REQUIRE(buf[cap] == '#', "tensor_format", "wrote past cap");
  if (cap == 0) return;
  size_t len = static_cast<size_t>(n) < cap - 1 ? static_cast<size_t>(n) : cap - 1;
  FUZZ_REQUIRE(buf[len] == '\0' && std::strlen(buf.data()) == len, "tensor_format", "not truncated snprintf-style");
  if (len >= 7) FUZZ_REQUIRE(std::strncmp(buf.data(), "tensor(", 7) == 0, "tensor_format", "text is not tensor(...)");
}

void op_info(Session& s) {
  switch (s.in.below(6)) {
    case 0: {
      int32_t v = static_cast<int32_t>(s.in.u32());
      const char* str = fuzz_status_string(v);
      FUZZ_REQUIRE(str && *str, "tensor_status_string", "NULL or empty");
      break;
    }
    case 1: {
      int32_t v = static_cast<int32_t>(s.in.u8()) - 64;
      const char* name = fuzz_dtype_name(v);
      FUZZ_REQUIRE(name && *name, "tensor_dtype_name", "NULL or empty");
      FUZZ_REQUIRE((fuzz_dtype_size(v) == 0) == !is_valid_dtype(v), "tensor_dtype_size", "wrong size");
      break;
    }
    case 2: {
      std::string v = std::to_string(TENSOR_VERSION_MAJOR) + "." + std::to_string(TENSOR_VERSION_MINOR) + "." +
                      std::to_string(TENSOR_VERSION_PATCH);
      FUZZ_REQUIRE(v == tensor_version(), "tensor_version", "differs from the header's macros");
      break;
    }
    case 3: {
      size_t cap = s.in.below(40);
      std::vector<char> buf(cap + 1, '#');
      int64_t n = tensor_config_string(cap ? buf.data() : nullptr, cap);
      FUZZ_REQUIRE(n > 0 && buf[cap] == '#', "tensor_config_string", "bad length or overrun");
      break;
    }
    case 4: {  // only invalid counts: the thread count is process-wide
      Expect e;
      int32_t n = s.in.coin() ? 0 : INT32_MIN + static_cast<int32_t>(s.in.u8());
      e.defect(TENSOR_ERR_INVALID_ARGUMENT);
      e.check("tensor_set_num_threads", tensor_set_num_threads(n));
      break;
    }
    default: {
      Expect e;
      int32_t index = static_cast<int32_t>(s.in.u8()) - 4;
      FUZZ_REQUIRE(tensor_cuda_device_count() >= 0, "tensor_cuda_device_count", "negative");
      if (!tensor_cuda_available()) e.must_fail();
      if (index < 0 || index >= tensor_cuda_device_count()) e.must_fail();
      e.check("tensor_cuda_synchronize", tensor_cuda_synchronize(index));
      int64_t allocated = -1, cached = -1;
      Expect stats;
      bool null_ptrs = s.in.one_in(4);
      stats.defect_if(null_ptrs, TENSOR_ERR_INVALID_ARGUMENT);
      stats.check("tensor_cuda_memory_stats",
                  tensor_cuda_memory_stats(index, null_ptrs ? nullptr : &allocated, null_ptrs ? nullptr : &cached));
    }
  }
}

void op_retain(Session& s) {
  Expect ignored;
  tensor* t = s.pool.arg(s.in, ignored);
  tensor* r = tensor_retain(t);
  FUZZ_REQUIRE(r == t, "tensor_retain", "did not return its argument");
  s.pool.keep(s.in, r);  // now held by two slots (or replaced itself: keep frees the old reference)
}

void op_free(Session& s) { s.pool.drop(s.in); }

}  // namespace fuzz
