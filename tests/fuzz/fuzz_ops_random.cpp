// Fuzz operations for the random calls that take a tensor: bernoulli (probabilities outside [0, 1] or NaN
// are planted often, since pool values are), multinomial (1-D or 2-D weights, negative / infinite / NaN
// weights, zero rows, sample counts around the category count with and without replacement), dropout (p
// from the interesting doubles, in and out of training) and uniform_ / normal_ in place (bad ranges, a
// leaf requiring grad). Non-floating inputs are TENSOR_ERR_DTYPE; several defects may answer either status.
#include <cmath>

#include "fuzz/fuzz_ops.h"

namespace fuzz {

namespace {

// t's elements as doubles (t floating, small).
std::vector<double> doubles_of(const tensor* t) {
  tensor* d = nullptr;
  if (tensor_to_dtype(&d, t, TENSOR_FLOAT64) != TENSOR_OK) fail("tensor_to_dtype", "cannot read a tensor");
  std::vector<double> v(static_cast<size_t>(tensor_numel(d)) + 1);
  if (tensor_copy_to_host(d, v.data(), v.size() * sizeof(double)) != TENSOR_OK) fail("tensor_copy_to_host", "cannot read");
  tensor_free(d);
  v.pop_back();
  return v;
}

void op_bernoulli(Session& s, Expect& e, tensor* a) {
  if (a) {
    const bool floating = is_floating(tensor_get_dtype(a));
    e.defect_if(!floating, TENSOR_ERR_DTYPE);
    if (floating)
      for (double x : doubles_of(a))
        if (!(x >= 0 && x <= 1)) {
          e.defect(TENSOR_ERR_INVALID_ARGUMENT);
          break;
        }
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  const tensor_status st = tensor_bernoulli(po, a);  // before reading `out`
  tensor* r = result("tensor_bernoulli", e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(shape_of(r) == shape_of(a) && tensor_get_dtype(r) == tensor_get_dtype(a), "tensor_bernoulli",
               "result shape or dtype differs from the probabilities'");
  for (double x : doubles_of(r)) FUZZ_REQUIRE(x == 0 || x == 1, "tensor_bernoulli", "a value other than 0 or 1");
  s.pool.keep(s.in, r);
}

void op_multinomial(Session& s, Expect& e, tensor* a) {
  const int64_t n = static_cast<int64_t>(s.in.u8() % 7) - 1;
  const bool replacement = s.in.one_in(2);
  int64_t C = 0;
  if (a) {
    const int32_t nd = tensor_ndim(a);
    const bool floating = is_floating(tensor_get_dtype(a));
    e.defect_if(!floating, TENSOR_ERR_DTYPE);
    e.defect_if(nd != 1 && nd != 2, TENSOR_ERR_SHAPE);
    e.defect_if(n <= 0, TENSOR_ERR_INVALID_ARGUMENT);
    C = nd >= 1 ? tensor_size(a, nd - 1) : 0;
    e.defect_if((nd == 1 || nd == 2) && !replacement && n > C, TENSOR_ERR_INVALID_ARGUMENT);
    const int64_t R = nd == 2 ? tensor_size(a, 0) : 1;
    if (floating && (nd == 1 || nd == 2) && R > 0) {
      const std::vector<double> w = doubles_of(a);
      bool bad = C == 0;
      for (int64_t r = 0; r < R && !bad; ++r) {
        double sum = 0;
        for (int64_t c = 0; c < C; ++c) {
          const double x = w[static_cast<size_t>(r * C + c)];
          if (!(x >= 0) || std::isinf(x)) bad = true;
          sum += x;
        }
        if (!(sum > 0)) bad = true;
      }
      e.defect_if(bad, TENSOR_ERR_INVALID_ARGUMENT);
    }
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  const tensor_status st = tensor_multinomial(po, a, n, replacement);
  tensor* r = result("tensor_multinomial", e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(tensor_get_dtype(r) == TENSOR_INT64 && tensor_ndim(r) == tensor_ndim(a) &&
                   tensor_size(r, tensor_ndim(r) - 1) == n,
               "tensor_multinomial", "result is not int64 (..., num_samples)");
  for (double x : doubles_of(r)) FUZZ_REQUIRE(x >= 0 && x < static_cast<double>(C), "tensor_multinomial", "category out of range");
  s.pool.keep(s.in, r);
}

void op_dropout(Session& s, Expect& e, tensor* a) {
  const double p = s.in.real();
  const bool training = !s.in.one_in(4);
  e.defect_if(!(p >= 0 && p <= 1), TENSOR_ERR_INVALID_ARGUMENT);
  e.defect_if(a && training && !is_floating(tensor_get_dtype(a)), TENSOR_ERR_DTYPE);
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  const tensor_status st = tensor_dropout(po, a, p, training);
  tensor* r = result("tensor_dropout", e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(shape_of(r) == shape_of(a) && tensor_get_dtype(r) == tensor_get_dtype(a), "tensor_dropout",
               "result shape or dtype differs from the input's");
  s.pool.keep(s.in, r);
}

void op_fill_random(Session& s, Expect& e, tensor* t) {
  const bool normal = s.in.one_in(2);
  const double x = s.in.real(), y = s.in.real();
  if (t) {
    e.defect_if(!is_floating(tensor_get_dtype(t)), TENSOR_ERR_DTYPE);
    plant_inplace_defects(e, t);
  }
  if (normal) e.defect_if(!(y >= 0), TENSOR_ERR_INVALID_ARGUMENT);
  else e.defect_if(!(x <= y) || !std::isfinite(y - x), TENSOR_ERR_INVALID_ARGUMENT);
  const std::vector<unsigned char> before = t ? snapshot(t) : std::vector<unsigned char>();
  const char* call = normal ? "tensor_normal_" : "tensor_uniform_";
  const tensor_status st = e.check(call, normal ? tensor_normal_(t, x, y) : tensor_uniform_(t, x, y));
  if (t && st != TENSOR_OK) FUZZ_REQUIRE(snapshot(t) == before, call, "a failed in-place call changed its target");
}

}  // namespace

void op_random(Session& s) {
  Expect e;
  const uint8_t which = s.in.u8() % 4;
  tensor* a = s.pool.arg(s.in, e);
  if (a && tensor_numel(a) > kMaxKeep) return;  // expanded views: keep the work small
  switch (which) {
    case 0: return op_bernoulli(s, e, a);
    case 1: return op_multinomial(s, e, a);
    case 2: return op_dropout(s, e, a);
    default: return op_fill_random(s, e, a);
  }
}

}  // namespace fuzz
