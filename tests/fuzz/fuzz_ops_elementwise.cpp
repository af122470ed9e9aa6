// Elementwise calls under fuzzing: broadcasting and dtype promotion are predicted by the harness
// (independently of the library's code), in-place calls must leave their target untouched on failure.
// The calls are every row of the op tables (core/op_kinds.h); which dtypes an op computes on comes from
// its definition's flags.
#include <cmath>
#include <cstring>

#include "core/op_table.h"
#include "fuzz/fuzz_ops.h"

namespace fuzz {

int category(tensor_dtype d) { return d == TENSOR_BOOL ? 0 : is_floating(d) ? 2 : 1; }

// Mirrors the library's rule (src/core/shape.cpp, has_internal_overlap): dims of size > 1 sorted by
// |stride|; a stride of 0, or one within the span of the smaller dims, makes elements share memory (an
// overflowing span counts as overlap). A contiguous tensor never overlaps.
bool self_overlapping(const tensor* t) {
  if (tensor_is_contiguous(t)) return false;  // an empty tensor too, whatever its strides
  const int32_t nd = tensor_ndim(t);
  const int64_t* shape = tensor_shape(t);
  const int64_t* strides = tensor_strides(t);
  std::vector<std::pair<int64_t, int64_t>> dims;  // (|stride|, size)
  for (int32_t i = 0; i < nd; ++i) {
    if (shape[i] == 0) return false;
    if (shape[i] == 1) continue;
    const int64_t st = strides[i] < 0 ? -strides[i] : strides[i];
    if (st == 0) return true;
    dims.emplace_back(st, shape[i]);
  }
  std::sort(dims.begin(), dims.end());
  int64_t span = 0, step = 0;
  for (const auto& d : dims) {
    if (d.first <= span) return true;
    if (__builtin_mul_overflow(d.first, d.second - 1, &step) || __builtin_add_overflow(span, step, &span)) return true;
  }
  return false;
}

void plant_inplace_defects(Expect& e, const tensor* t) {
  // The library refuses a written-to tensor whose elements share memory before it looks at autograd.
  e.defect_if(t && self_overlapping(t), TENSOR_ERR_INVALID_ARGUMENT);
  e.defect_if(t && tensor_requires_grad(t) && tensor_is_leaf(t) && tensor_is_grad_enabled(), TENSOR_ERR_AUTOGRAD);
}

namespace {

// PyTorch's promotion table (c10/core/ScalarType.cpp), written out from its rules: a higher category wins
// (bool < integers < floating); within floating the wider type, except float16 with bfloat16, which meet in
// float32; within integers the wider type, except uint8 with a signed type, which needs int16 at least.
int width(tensor_dtype d) {
  switch (d) {
    case TENSOR_UINT8:
    case TENSOR_INT8: return 1;
    case TENSOR_INT16:
    case TENSOR_FLOAT16:
    case TENSOR_BFLOAT16: return 2;
    case TENSOR_INT32:
    case TENSOR_FLOAT32: return 4;
    default: return 8;
  }
}

tensor_dtype promote(tensor_dtype a, tensor_dtype b) {
  if (a == b) return a;
  if (category(a) != category(b)) return category(a) > category(b) ? a : b;
  if (category(a) == 2) {
    if (width(a) == 2 && width(b) == 2) return TENSOR_FLOAT32;  // float16 with bfloat16
    return width(a) > width(b) ? a : b;
  }
  if (a == TENSOR_UINT8 || b == TENSOR_UINT8) {  // the other is signed
    const tensor_dtype other = a == TENSOR_UINT8 ? b : a;
    return width(other) >= 2 ? other : TENSOR_INT16;
  }
  return width(a) > width(b) ? a : b;
}

}  // namespace

tensor_dtype result_type(const tensor* a, const tensor* b) {
  bool a0 = tensor_ndim(a) == 0, b0 = tensor_ndim(b) == 0;
  tensor_dtype ta = tensor_get_dtype(a), tb = tensor_get_dtype(b);
  if (a0 == b0) return promote(ta, tb);
  tensor_dtype dimmed = a0 ? tb : ta, zero_d = a0 ? ta : tb;
  return category(zero_d) > category(dimmed) ? zero_d : dimmed;
}

bool broadcast(const std::vector<int64_t>& a, const std::vector<int64_t>& b, std::vector<int64_t>* out) {
  size_t n = a.size() > b.size() ? a.size() : b.size();
  out->assign(n, 1);
  for (size_t i = 0; i < n; ++i) {
    int64_t sa = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t sb = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (sa != sb && sa != 1 && sb != 1) return false;
    (*out)[i] = sa == 1 ? sb : sa;
  }
  return true;
}

namespace {

using BinaryFn = tensor_status (*)(tensor**, const tensor*, const tensor*);
struct BinaryCall {
  const char* name;
  BinaryFn fn;
  bool comparison;
  bool division;     // integer inputs compute in float32 (true division)
  bool subtraction;  // a bool input is refused
  lt::Inputs inputs;      // the dtypes the definition refuses (bitwise on floats, remainder on bool ...)
  bool integer_division;  // an integer zero divisor is refused (PyTorch's ZeroDivisionError)
};
const BinaryCall kBinary[] = {
#define LT_ROW(name, Enum)                                                              \
  {"tensor_" #name, tensor_##name, lt::BinaryDef<lt::BinaryOp::Enum>::comparison,         \
   lt::BinaryDef<lt::BinaryOp::Enum>::inputs == lt::Inputs::Floating,                     \
   lt::BinaryDef<lt::BinaryOp::Enum>::bool_refusal != nullptr, lt::BinaryDef<lt::BinaryOp::Enum>::inputs, \
   lt::BinaryDef<lt::BinaryOp::Enum>::integer_division},
    LT_BINARY_OPS(LT_ROW)
#undef LT_ROW
};

using ScalarFn = tensor_status (*)(tensor**, const tensor*, double);
struct ScalarCall {
  const char* name;
  ScalarFn fn;
  bool division;
};
const ScalarCall kScalar[] = {
#define LT_ROW(name, Enum) \
  {"tensor_" #name "_scalar", tensor_##name##_scalar, lt::BinaryDef<lt::BinaryOp::Enum>::inputs == lt::Inputs::Floating},
    LT_SCALAR_OPS(LT_ROW)
#undef LT_ROW
};

using UnaryFn = tensor_status (*)(tensor**, const tensor*);
struct UnaryCall {
  const char* name;
  UnaryFn fn;
  lt::Inputs inputs;  // Floating: integer input gives float32 (torch.exp(int) is float) ...
  bool predicate;     // bool result
};
const UnaryCall kUnary[] = {
#define LT_ROW(name, Enum) \
  {"tensor_" #name, tensor_##name, lt::UnaryDef<lt::UnaryOp::Enum>::inputs, lt::UnaryDef<lt::UnaryOp::Enum>::predicate},
    LT_UNARY_OPS(LT_ROW)
#undef LT_ROW
};

using InplaceFn = tensor_status (*)(tensor*, const tensor*);
struct InplaceCall {
  const char* name;
  InplaceFn fn;
  bool division;
  bool subtraction;
};
const InplaceCall kInplace[] = {
#define LT_ROW(name, Enum)                                                                  \
  {"tensor_" #name "_", tensor_##name##_,                                                  \
   lt::BinaryDef<lt::BinaryOp::Enum>::inputs == lt::Inputs::Floating,                      \
   lt::BinaryDef<lt::BinaryOp::Enum>::bool_refusal != nullptr},
    LT_INPLACE_OPS(LT_ROW)
#undef LT_ROW
};

// PyTorch refuses in-place writes to a leaf that requires grad while grad mode is on.
// Whether a definition's Inputs kind refuses dtype d (the call must fail; which status comes first when
// another defect is planted too is left open).
bool refuses(lt::Inputs inputs, tensor_dtype d) {
  if (d == TENSOR_BOOL) return !lt::accepts_bool(inputs);
  return is_floating(d) ? !lt::accepts_floating(inputs) : !lt::accepts_integers(inputs);
}

void require_unchanged(const char* call, const tensor* t, const std::vector<unsigned char>& before) {
  FUZZ_REQUIRE(snapshot(t) == before, call, "a failed in-place call changed its target");
}

}  // namespace

void op_binary(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  const BinaryCall& c = s.in.pick(kBinary);
  tensor* a = s.pool.arg(s.in, e);
  tensor* b = s.pool.arg(s.in, e);
  std::vector<int64_t> shape;
  tensor_dtype dt = TENSOR_FLOAT32;
  if (a && b) {
    e.defect_if(!broadcast(shape_of(a), shape_of(b), &shape), TENSOR_ERR_SHAPE);
    tensor_dtype compute = result_type(a, b);
    if (c.division && !is_floating(compute)) compute = TENSOR_FLOAT32;  // true division
    const bool bool_operand = tensor_get_dtype(a) == TENSOR_BOOL || tensor_get_dtype(b) == TENSOR_BOOL;
    if (c.subtraction && bool_operand) e.must_fail();  // as PyTorch: x - bool_tensor is refused too
    if (refuses(c.inputs, compute)) e.must_fail();
    // A zero divisor is refused only when b holds one: with another defect planted, either status may come
    // first, so the defect is then marked as one with an open status.
    if (c.integer_division && !is_floating(compute) && e.any()) e.must_fail();
    dt = c.comparison ? TENSOR_BOOL : compute;
  }
  tensor_status st = c.fn(po, a, b);
  tensor* r = result(c.name, e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(shape_of(r) == shape, c.name, "result shape is not the broadcast shape");
  FUZZ_REQUIRE(tensor_get_dtype(r) == dt, c.name, "result dtype differs from PyTorch's promotion");
  s.pool.keep(s.in, r);
}

void op_scalar(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  const ScalarCall& c = s.in.pick(kScalar);
  tensor* a = s.pool.arg(s.in, e);
  double v = s.in.real();
  tensor_status st = c.fn(po, a, v);
  tensor* r = result(c.name, e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(shape_of(r) == shape_of(a), c.name, "result shape differs from the input's");
  tensor_dtype in = tensor_get_dtype(a), got = tensor_get_dtype(r);
  if (is_floating(in)) FUZZ_REQUIRE(got == in, c.name, "a double scalar changed a floating dtype");
  if (c.division) FUZZ_REQUIRE(is_floating(got), c.name, "division gave a non-floating result");
  if (category(in) == 1 && std::isfinite(v) && v != std::trunc(v))
    FUZZ_REQUIRE(got == TENSOR_FLOAT32, c.name, "a fractional scalar with an integer tensor is not float32");
  s.pool.keep(s.in, r);
}

void op_unary(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  const UnaryCall& c = s.in.pick(kUnary);
  tensor* a = s.pool.arg(s.in, e);
  if (a && refuses(c.inputs, tensor_get_dtype(a))) e.must_fail();
  tensor_status st = c.fn(po, a);
  tensor* r = result(c.name, e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(shape_of(r) == shape_of(a), c.name, "result shape differs from the input's");
  tensor_dtype in = tensor_get_dtype(a);
  tensor_dtype want = in;
  if (c.predicate) want = TENSOR_BOOL;
  else if (c.inputs == lt::Inputs::Floating && !is_floating(in)) want = TENSOR_FLOAT32;
  else if (c.inputs == lt::Inputs::NumericBoolAsInt64 && in == TENSOR_BOOL) want = TENSOR_INT64;
  FUZZ_REQUIRE(tensor_get_dtype(r) == want, c.name, "unexpected result dtype");
  s.pool.keep(s.in, r);
}

void op_where(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* cond = s.pool.arg(s.in, e);
  tensor* a = s.pool.arg(s.in, e);
  tensor* b = s.pool.arg(s.in, e);
  std::vector<int64_t> ab, shape;
  if (cond && a && b) {
    if (tensor_get_dtype(cond) != TENSOR_BOOL) e.must_fail();
    bool ok = broadcast(shape_of(a), shape_of(b), &ab) && broadcast(shape_of(cond), ab, &shape);
    e.defect_if(!ok, TENSOR_ERR_SHAPE);
  }
  tensor_status st = tensor_where(po, cond, a, b);
  tensor* r = result("tensor_where", e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(shape_of(r) == shape, "tensor_where", "result shape is not the broadcast shape");
  FUZZ_REQUIRE(tensor_get_dtype(r) == result_type(a, b), "tensor_where", "result dtype differs from promotion");
  s.pool.keep(s.in, r);
}

void op_inplace(Session& s) {
  Expect e;
  const InplaceCall& c = s.in.pick(kInplace);
  tensor* t = s.pool.arg(s.in, e);
  tensor* other = s.pool.arg(s.in, e);
  if (t && other) {
    std::vector<int64_t> shape;
    if (!broadcast(shape_of(t), shape_of(other), &shape) || shape != shape_of(t)) e.must_fail();
    tensor_dtype compute = result_type(t, other);
    if (c.division && !is_floating(compute)) compute = TENSOR_FLOAT32;
    if (category(compute) > category(tensor_get_dtype(t))) e.must_fail();  // can't cast back to t's dtype
    if (c.subtraction && (tensor_get_dtype(t) == TENSOR_BOOL || tensor_get_dtype(other) == TENSOR_BOOL)) e.must_fail();
    plant_inplace_defects(e, t);
  }
  std::vector<unsigned char> before = t ? snapshot(t) : std::vector<unsigned char>();
  std::vector<int64_t> shape = t ? shape_of(t) : std::vector<int64_t>();
  tensor_dtype dt = t ? tensor_get_dtype(t) : TENSOR_FLOAT32;
  tensor_status st = e.check(c.name, c.fn(t, other));
  if (!t) return;
  if (st != TENSOR_OK) return require_unchanged(c.name, t, before);
  FUZZ_REQUIRE(shape_of(t) == shape && tensor_get_dtype(t) == dt, c.name, "in-place call changed shape or dtype");
}

void op_assign(Session& s) {
  Expect e;
  tensor* t = s.pool.arg(s.in, e);
  plant_inplace_defects(e, t);
  std::vector<unsigned char> before = t ? snapshot(t) : std::vector<unsigned char>();
  const char* call;
  tensor_status st;
  uint32_t which = s.in.below(3);
  double v = 0;
  if (which == 0) {
    tensor* src = s.pool.arg(s.in, e);
    std::vector<int64_t> shape;
    if (t && src && (!broadcast(shape_of(t), shape_of(src), &shape) || shape != shape_of(t))) e.must_fail();
    call = "tensor_copy_";
    st = e.check(call, tensor_copy_(t, src));
  } else if (which == 1) {
    v = s.in.real();
    if (t && !value_fits(v, tensor_get_dtype(t))) {
      // The library refuses an in-place write into a view of a tensor that requires grad (a rule this
      // harness does not model: views are not visible through the C API) before it looks at the value.
      if (tensor_requires_grad(t) && !tensor_is_leaf(t)) e.must_fail();
      else e.defect(TENSOR_ERR_INVALID_ARGUMENT);
    }
    call = "tensor_fill_";
    st = e.check(call, tensor_fill_(t, v));
  } else {
    call = "tensor_zero_";
    st = e.check(call, tensor_zero_(t));
  }
  if (!t) return;
  if (st != TENSOR_OK) return require_unchanged(call, t, before);
  std::vector<unsigned char> after = snapshot(t);
  if (which == 2)
    for (unsigned char byte : after) FUZZ_REQUIRE(byte == 0, call, "zero_ left a nonzero byte");
  if (which == 1 && tensor_get_dtype(t) == TENSOR_FLOAT64) {
    for (size_t i = 0; i < after.size(); i += sizeof(double)) {
      double x;
      std::memcpy(&x, &after[i], sizeof x);
      FUZZ_REQUIRE(x == v || (std::isnan(x) && std::isnan(v)), call, "fill_ did not write the value");
    }
  }
}

}  // namespace fuzz
