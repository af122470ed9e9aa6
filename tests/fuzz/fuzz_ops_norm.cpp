// Fuzz operations for the normalisation layers: batch_norm (training with and without running stats,
// evaluation without them: TENSOR_ERR_INVALID_ARGUMENT; one value per channel when training:
// TENSOR_ERR_SHAPE; running stats that cannot be written in place), layer_norm (normalized_shape taken
// from the input's trailing sizes or decoded, of length -1 to 3, NULL now and then) and group_norm
// (num_groups from -1 to C + 1). Weight, bias and running stats are pool tensors or NULL, so wrong
// dtypes (TENSOR_ERR_DTYPE) and sizes (TENSOR_ERR_SHAPE) come up by themselves. A result has the input's
// shape and dtype.
#include "fuzz/fuzz_ops.h"

namespace fuzz {

namespace {

// An optional operand: a pool slot, or NULL (an empty slot included), which the norms accept.
tensor* optional_arg(Session& s) {
  Expect ignored;
  return s.in.one_in(3) ? nullptr : s.pool.arg(s.in, ignored);
}

// The defects of a per-element parameter of `want` shape (weight, bias, running stats) for input a.
void plant_param_defects(Expect& e, const tensor* a, const tensor* p, const std::vector<int64_t>& want) {
  if (!a || !p) return;
  e.defect_if(tensor_get_dtype(p) != tensor_get_dtype(a), TENSOR_ERR_DTYPE);
  e.defect_if(shape_of(p) != want, TENSOR_ERR_SHAPE);
}

void check_result(Session& s, const char* call, const Expect& e, tensor_status st, tensor** po, tensor* out,
                  const tensor* a) {
  tensor* r = result(call, e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(shape_of(r) == shape_of(a) && tensor_get_dtype(r) == tensor_get_dtype(a), call,
               "result shape or dtype differs from the input's");
  s.pool.keep(s.in, r);
}

void op_batch_norm(Session& s, Expect& e, tensor* a, const std::vector<int64_t>& shape) {
  tensor *w = optional_arg(s), *b = optional_arg(s), *rm = optional_arg(s), *rv = optional_arg(s);
  const bool training = s.in.coin();
  const double momentum = s.in.real(), eps = s.in.one_in(2) ? 1e-5 : s.in.real();
  if (a) {
    const bool rank_ok = shape.size() >= 2;
    e.defect_if(!rank_ok, TENSOR_ERR_SHAPE);
    if (rank_ok) {
      const int64_t c = shape[1], numel = tensor_numel(a);
      for (const tensor* p : {w, b, rm, rv}) plant_param_defects(e, a, p, {c});
      e.defect_if(!training && (!rm || !rv), TENSOR_ERR_INVALID_ARGUMENT);
      e.defect_if(training && c != 0 && numel / c == 1, TENSOR_ERR_SHAPE);
      if (training) {
        plant_inplace_defects(e, rm);
        plant_inplace_defects(e, rv);
      }
    }
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  const tensor_status st = tensor_batch_norm(po, a, w, b, rm, rv, training, momentum, eps);
  check_result(s, "tensor_batch_norm", e, st, po, out, a);
}

void op_layer_norm(Session& s, Expect& e, tensor* a, const std::vector<int64_t>& shape) {
  const int32_t n = static_cast<int32_t>(s.in.u8() % 5) - 1;  // -1 .. 3
  std::vector<int64_t> ns(static_cast<size_t>(n > 0 ? n : 0) + 1);
  const bool decoded = s.in.one_in(4), null_shape = s.in.one_in(16);
  bool negative = false;
  for (int32_t i = 0; i < n; ++i) {
    const size_t k = shape.size() - static_cast<size_t>(n) + static_cast<size_t>(i);
    ns[static_cast<size_t>(i)] = decoded || static_cast<size_t>(n) > shape.size() ? s.in.size() : shape[k];
    // negative or huge decoded sizes: refused as a shape or as the input's mismatch, either status
    negative = negative || ns[static_cast<size_t>(i)] < 0 || ns[static_cast<size_t>(i)] > (int64_t(1) << 20);
  }
  tensor *w = optional_arg(s), *b = optional_arg(s);
  const double eps = s.in.one_in(2) ? 1e-5 : s.in.real();
  e.defect_if(n < 0 || (n > 0 && null_shape), TENSOR_ERR_INVALID_ARGUMENT);
  if (n > 0 && negative) e.must_fail();
  if (a && n >= 0) {
    e.defect_if(n == 0, TENSOR_ERR_SHAPE);
    bool match = shape.size() >= static_cast<size_t>(n);
    for (int32_t i = 0; match && i < n; ++i)
      match = shape[shape.size() - static_cast<size_t>(n) + static_cast<size_t>(i)] == ns[static_cast<size_t>(i)];
    e.defect_if(!match, TENSOR_ERR_SHAPE);
    const std::vector<int64_t> want(ns.begin(), ns.begin() + n);
    plant_param_defects(e, a, w, want);
    plant_param_defects(e, a, b, want);
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  const tensor_status st = tensor_layer_norm(po, a, null_shape ? nullptr : ns.data(), n, w, b, eps);
  check_result(s, "tensor_layer_norm", e, st, po, out, a);
}

void op_group_norm(Session& s, Expect& e, tensor* a, const std::vector<int64_t>& shape) {
  const int64_t c = shape.size() >= 2 ? shape[1] : 1;
  const int64_t groups = static_cast<int64_t>(s.in.u8() % (c + 3)) - 1;  // -1 .. C + 1
  tensor *w = optional_arg(s), *b = optional_arg(s);
  const double eps = s.in.one_in(2) ? 1e-5 : s.in.real();
  if (a) {
    const bool rank_ok = shape.size() >= 2;
    e.defect_if(!rank_ok, TENSOR_ERR_SHAPE);
    e.defect_if(groups <= 0, TENSOR_ERR_INVALID_ARGUMENT);
    if (rank_ok) {
      e.defect_if(groups > 0 && c % groups != 0, TENSOR_ERR_SHAPE);
      plant_param_defects(e, a, w, {c});
      plant_param_defects(e, a, b, {c});
    }
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  const tensor_status st = tensor_group_norm(po, a, groups, w, b, eps);
  check_result(s, "tensor_group_norm", e, st, po, out, a);
}

}  // namespace

void op_norm(Session& s) {
  using NormOp = void (*)(Session&, Expect&, tensor*, const std::vector<int64_t>&);
  static const NormOp kNorms[] = {op_batch_norm, op_layer_norm, op_group_norm};
  Expect e;
  const NormOp norm = kNorms[s.in.u8() % 3];
  tensor* a = s.pool.arg(s.in, e);
  if (a && tensor_numel(a) > kMaxKeep) return;  // expanded views: keep the work small
  e.defect_if(a && !is_floating(tensor_get_dtype(a)), TENSOR_ERR_DTYPE);
  norm(s, e, a, a ? shape_of(a) : std::vector<int64_t>());
}

}  // namespace fuzz
