// Elementwise ops: dtype promotion, broadcasting, output allocation, then one backend call.
#include <cmath>

#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "core/op_table.h"
#include "ops/elementwise_grad.h"
#include "ops/kernel_dtype.h"
#include "ops/ops.h"

namespace lt {

namespace {

int category(DType t) { return t == DType::Bool ? 0 : is_integral(t) ? 1 : 2; }

// Expands t to `shape` unless it already has it (the common case costs no allocation).
Tensor expand_to(const Tensor& t, const DimVector& shape) { return t.shape() == shape ? t : expand(t, shape); }
// The op records its own grad node with its real operands: the casts feeding a kernel record none.
Tensor cast_to(const Tensor& t, DType dtype) { return convert(t, dtype); }

// The dtype an op whose definition says `inputs` computes in for an input (or promoted) dtype t:
// t itself, float32 for integers and bool of a Floating op, int64 for bool of a NumericBoolAsInt64 op;
// dtypes the op does not take are refused with PyTorch's reason.
DType compute_dtype(const char* name, Inputs inputs, DType t) {
  if (t == DType::Bool) {
    LT_CHECK(accepts_bool(inputs), Status::DType, name << " is not supported for bool tensors");
  } else if (is_floating(t)) {
    LT_CHECK(accepts_floating(inputs), Status::DType,
             name << " is not supported for floating tensors (" << dtype_name(t) << "); it takes integer and bool tensors");
  } else {
    LT_CHECK(accepts_integers(inputs), Status::DType,
             name << " is not supported for integer tensors (" << dtype_name(t) << "); it takes floating tensors");
  }
  if (inputs == Inputs::Floating && !is_floating(t)) return DType::Float32;  // torch.exp(int) is float32
  if (inputs == Inputs::NumericBoolAsInt64 && t == DType::Bool) return DType::Int64;
  return t;
}

// The dtype op computes in and the dtype of its result (from the op's definition); refuses dtypes the
// op does not take, with PyTorch's message for two bool operands where it has one (bool - bool).
void op_dtypes(BinaryOp op, DType promoted, DType* compute, DType* out) {
  const char* refusal = bool_refusal(op);
  LT_CHECK(promoted != DType::Bool || refusal == nullptr, Status::DType, refusal);
  *compute = compute_dtype(op_name(op), op_inputs(op), promoted);
  *out = is_comparison(op) ? DType::Bool : *compute;
}

// Note [integer division]: PyTorch raises ZeroDivisionError for an integer zero divisor; the kernels
// must not see one (x86 traps). One reduction over b, before anything is allocated or launched.
void check_integer_divisor(BinaryOp op, DType compute, const Tensor& b) {
  if (!is_integer_division(op) || !is_integral(compute) || b.numel() == 0) return;
  NoGradGuard no_grad;
  const bool zero = item(any(binary_scalar(BinaryOp::Eq, b, 0.0), {}, false)) != 0.0;
  LT_CHECK(!zero, Status::InvalidArgument, op_name(op) << ": integer division by zero (ZeroDivisionError)");
}

}  // namespace

void check_same_device(const Tensor& a, const Tensor& b) {
  LT_CHECK(a.device() == b.device(), Status::Device,
           "expected all tensors to be on the same device, but found " << a.device().str() << " and "
                                                                      << b.device().str());
}

DType result_type(const Tensor& a, const Tensor& b) {
  // Note [0-d promotion]: as PyTorch, a 0-d tensor only decides the result type when its category
  // (bool < integer < floating) is higher than every dimensioned operand's.
  bool a0 = a.ndim() == 0, b0 = b.ndim() == 0;
  if (a0 == b0) return promote_types(a.dtype(), b.dtype());
  const Tensor& dimmed = a0 ? b : a;
  const Tensor& zero_d = a0 ? a : b;
  if (category(zero_d.dtype()) > category(dimmed.dtype())) return zero_d.dtype();
  return dimmed.dtype();
}

Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b) {
  check_same_device(a, b);
  DType compute, out_dtype;
  op_dtypes(op, result_type(a, b), &compute, &out_dtype);
  check_integer_divisor(op, compute, b);
  const DType kernel = elementwise_kernel_dtype(compute, a.device());  // Note [kernel dtype]
  const DType kernel_out = is_comparison(op) ? DType::Bool : kernel;
  Tensor out;
  if (a.shape() == b.shape()) {  // fast path: no broadcast views
    out = make_empty(a.shape(), kernel_out, a.device());
    Backend& backend = backend_for(a.device());
    if (a.dtype() == kernel && b.dtype() == kernel) backend.binary(op, out, a, b);  // no handle copies
    else backend.binary(op, out, cast_to(a, kernel), cast_to(b, kernel));
  } else {
    DimVector shape = broadcast_shapes(a.shape(), b.shape());
    out = make_empty(shape, kernel_out, a.device());
    backend_for(a.device()).binary(op, out, expand_to(cast_to(a, kernel), shape), expand_to(cast_to(b, kernel), shape));
  }
  out = to_result_dtype(out, out_dtype);
  if (op_grads(op) != Grad::None && any_requires_grad({&a, &b})) record_binary_grad(op, out, a, b);
  return out;
}

Tensor binary_scalar(BinaryOp op, const Tensor& a, double s) {
  // A double scalar never widens a floating tensor; with an integer/bool tensor it acts as a Python
  // float (float32 result) when fractional and as a Python int otherwise (bool tensors become int64).
  // An integral value outside int64 cannot be a Python int that PyTorch accepts: it acts as a float.
  DType promoted = a.dtype();
  if (!is_floating(a.dtype())) {
    bool fractional = !std::isfinite(s) || s != std::trunc(s) || !(s >= -0x1p63 && s < 0x1p63);
    if (fractional) promoted = DType::Float32;
    else if (a.dtype() == DType::Bool) promoted = DType::Int64;
  }
  DType compute, out_dtype;
  op_dtypes(op, promoted, &compute, &out_dtype);
  if (op == BinaryOp::Pow && is_integral(compute)) {
    LT_CHECK(s >= 0, Status::InvalidArgument, "integers to negative integer powers are not allowed");
  }
  const DType kernel = elementwise_kernel_dtype(compute, a.device());
  Tensor out = make_empty(a.shape(), is_comparison(op) ? DType::Bool : kernel, a.device());
  backend_for(a.device()).binary_scalar(op, out, cast_to(a, kernel), s);
  out = to_result_dtype(out, out_dtype);
  if (op_grads(op) != Grad::None && any_requires_grad({&a})) record_binary_scalar_grad(op, out, a, s);
  return out;
}

Tensor unary(UnaryOp op, const Tensor& a) {
  const DType compute = compute_dtype(op_name(op), op_inputs(op), a.dtype());
  const DType kernel = elementwise_kernel_dtype(compute, a.device());
  Tensor out = make_empty(a.shape(), is_predicate(op) ? DType::Bool : kernel, a.device());
  backend_for(a.device()).unary(op, out, cast_to(a, kernel));
  out = to_result_dtype(out, is_predicate(op) ? DType::Bool : compute);
  if (op_grads(op) != Grad::None && any_requires_grad({&a})) record_unary_grad(op, out, a);
  return out;
}

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  check_same_device(cond, a);
  check_same_device(a, b);
  LT_CHECK(cond.dtype() == DType::Bool, Status::DType,
           "where expected condition to be a bool tensor, but got " << dtype_name(cond.dtype()));
  DType dt = result_type(a, b);
  DimVector shape = broadcast_shapes(broadcast_shapes(cond.shape(), a.shape()), b.shape());
  const DType kernel = kernel_dtype(dt);
  Tensor out = make_empty(shape, kernel, a.device());
  backend_for(a.device())
      .where(out, expand_to(cond, shape), expand_to(cast_to(a, kernel), shape), expand_to(cast_to(b, kernel), shape));
  out = to_result_dtype(out, dt);
  if (any_requires_grad({&a, &b})) record_where_grad(out, cond, a, b);
  return out;
}

// Note [in-place writes]: t op= other computes in the promoted dtype, which must be castable to t's
// dtype without changing category (PyTorch: "result type Float can't be cast to Long"). When other
// shares t's storage with a different layout, the result goes through a temporary so no element is
// read after it was overwritten.
void binary_(BinaryOp op, const Tensor& t, const Tensor& other) {
  check_same_device(t, other);
  check_inplace(t, op_name(op));
  LT_CHECK(!t.storage()->read_only(), Status::InvalidArgument, "cannot write to a read-only tensor");
  DType compute, out_dtype;
  op_dtypes(op, result_type(t, other), &compute, &out_dtype);
  check_integer_divisor(op, compute, other);
  LT_CHECK(category(out_dtype) <= category(t.dtype()), Status::DType,
           "result type " << dtype_name(out_dtype) << " can't be cast to the desired output type "
                          << dtype_name(t.dtype()));
  DimVector shape = broadcast_shapes(t.shape(), other.shape());
  LT_CHECK(shape == t.shape(), Status::Shape,
           "output with shape " << shape_str(t.shape()) << " doesn't match the broadcast shape " << shape_str(shape));
  bool record = any_requires_grad({&t, &other});
  Tensor old_value = record ? inplace_saved_old_value(op, t) : Tensor();
  bool aliased = other.storage() == t.storage() &&
                 !(other.shape() == t.shape() && other.strides() == t.strides() && other->offset == t->offset);
  // Note [in-place failure atomicity]: whatever can fail (temporaries, t's autograd metadata, the grad
  // node) is done before t is written, and after the write only non-allocating steps remain, so a failed
  // call leaves t's values and history as they were. When recording, the version is bumped before the
  // node saves t (the saved result must carry the new version); a failure after that bump only makes
  // older saved views of t refuse backward (an error, never a wrong grad).
  bool direct = compute == t.dtype() && elementwise_kernel_dtype(compute, t.device()) == compute && !aliased;
  Tensor src;  // direct: other, cast and broadcast; otherwise the whole result, computed out of place
  if (direct) {
    src = expand_to(cast_to(other, compute), shape);
  } else {
    NoGradGuard no_grad;
    src = binary(op, t, other);
  }
  std::shared_ptr<Node> node;
  if (record) {
    autograd_meta(t);
    t.storage()->bump_version();
    node = prepare_inplace_binary_grad(op, t, old_value, other);
  }
  if (direct) backend_for(t.device()).binary(op, t, t, src);
  else backend_for(t.device()).copy(t, src);
  if (!record) t.storage()->bump_version();
  if (node) set_history(t, node);
}

void copy_(const Tensor& dst, const Tensor& src) {
  check_inplace(dst, "copy_");
  LT_CHECK(!dst.storage()->read_only(), Status::InvalidArgument, "cannot write to a read-only tensor");
  DimVector shape = broadcast_shapes(dst.shape(), src.shape());
  LT_CHECK(shape == dst.shape(), Status::Shape,
           "source of shape " << shape_str(src.shape()) << " cannot be broadcast to destination shape "
                              << shape_str(dst.shape()));
  Tensor s = src.device() == dst.device() ? src : to_device(src, dst.device());
  if (s.storage() == dst.storage()) s = clone(s);  // overlapping copy: read everything first
  s = expand_to(s, shape);
  std::shared_ptr<Node> node;  // prepared before the write: Note [in-place failure atomicity]
  if (any_requires_grad({&dst, &src})) {
    autograd_meta(dst);
    node = prepare_copy_grad(dst, src);
  }
  backend_for(dst.device()).copy(dst, s);
  dst.storage()->bump_version();
  if (node) set_history(dst, node);
}

void fill_(const Tensor& t, double value) {
  check_inplace(t, "fill_");
  LT_CHECK(!t.storage()->read_only(), Status::InvalidArgument, "cannot write to a read-only tensor");
  check_fill_value(value, t.dtype());
  std::shared_ptr<Node> node;  // prepared before the write: Note [in-place failure atomicity]
  if (any_requires_grad({&t})) node = prepare_fill_grad();
  backend_for(t.device()).fill(t, value);
  t.storage()->bump_version();
  if (node) set_history(t, node);
}

}  // namespace lt
