// Creation calls under fuzzing: random shapes, dtypes and options, with planted defects.
#include <cmath>

#include "fuzz/fuzz_ops.h"

namespace fuzz {

namespace {

// Checks shape and dtype of a created tensor against what was asked.
void check_created(const char* call, const tensor* t, const ShapeArg& shape, int32_t dt) {
  FUZZ_REQUIRE(tensor_ndim(t) == shape.ndim, call, "ndim differs from the requested shape");
  for (int32_t i = 0; i < shape.ndim; ++i)
    FUZZ_REQUIRE(tensor_shape(t)[i] == shape.dims[i], call, "size differs from the requested shape");
  FUZZ_REQUIRE(tensor_get_dtype(t) == dt, call, "dtype differs from the requested one");
  FUZZ_REQUIRE(tensor_is_contiguous(t), call, "a new tensor is not contiguous");
  FUZZ_REQUIRE(tensor_is_leaf(t), call, "a new tensor is not a leaf");
}

}  // namespace

void op_create_filled(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  ShapeArg shape = gen_shape(s.in, e);
  tensor_options storage;
  int32_t dt;
  const tensor_options* opts = gen_options(s.in, e, &storage, &dt);
  expect_bytes_fit(shape, dt, e);
  uint32_t which = s.in.below(6);
  const char* call = nullptr;
  tensor_status st = TENSOR_OK;
  switch (which) {
    case 0: call = "tensor_empty"; st = tensor_empty(po, shape.ptr(), shape.ndim, opts); break;
    case 1: call = "tensor_zeros"; st = tensor_zeros(po, shape.ptr(), shape.ndim, opts); break;
    case 2: call = "tensor_ones"; st = tensor_ones(po, shape.ptr(), shape.ndim, opts); break;
    case 3: {
      double v = s.in.real();
      e.defect_if(!value_fits(v, dt), TENSOR_ERR_INVALID_ARGUMENT);
      call = "tensor_full";
      st = tensor_full(po, shape.ptr(), shape.ndim, v, opts);
      break;
    }
    default: {
      // rand / randn: floating dtypes only.
      e.defect_if(is_valid_dtype(dt) && !is_floating(dt), TENSOR_ERR_DTYPE);
      bool normal = which == 5;
      call = normal ? "tensor_randn" : "tensor_rand";
      st = normal ? tensor_randn(po, shape.ptr(), shape.ndim, opts) : tensor_rand(po, shape.ptr(), shape.ndim, opts);
      break;
    }
  }
  tensor* r = result(call, e, st, po, out);
  if (!r) return;
  check_created(call, r, shape, dt);
  if (opts && opts->requires_grad) FUZZ_REQUIRE(tensor_requires_grad(r), call, "requires_grad was not applied");
  s.pool.keep(s.in, r);
}

void op_from_data(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  ShapeArg shape = gen_shape(s.in, e);
  tensor_options storage;
  int32_t dt;
  const tensor_options* opts = gen_options(s.in, e, &storage, &dt);
  expect_bytes_fit(shape, dt, e);
  // The data must be real memory of numel * itemsize bytes: big valid shapes are not worth the bytes.
  if (shape.numel > kMaxKeep && !e.any()) return;
  std::vector<unsigned char> data;
  if (shape.numel > 0 && shape.numel <= kMaxKeep && is_valid_dtype(dt)) {
    data.resize(static_cast<size_t>(shape.numel) * fuzz_dtype_size(dt));
    s.in.bytes(data.data(), data.size());
  }
  bool null_data = data.empty() || s.in.one_in(32);
  e.defect_if(null_data && shape.numel > 0, TENSOR_ERR_INVALID_ARGUMENT);
  tensor_status st = tensor_from_data(po, null_data ? nullptr : data.data(), shape.ptr(), shape.ndim, opts);
  tensor* r = result("tensor_from_data", e, st, po, out);
  if (!r) return;
  check_created("tensor_from_data", r, shape, dt);
  if (dt != TENSOR_BOOL) {  // bool bytes are normalised to 0/1; everything else round-trips exactly
    std::vector<unsigned char> back = snapshot(r);
    FUZZ_REQUIRE(back == data, "tensor_from_data", "the data did not round-trip");
  }
  s.pool.keep(s.in, r);
}

void op_range(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor_options storage;
  int32_t dt;
  const tensor_options* opts = gen_options(s.in, e, &storage, &dt);
  const char* call = nullptr;
  tensor_status st = TENSOR_OK;
  int64_t expect_numel = -1;  // -1: not predicted
  switch (s.in.below(3)) {
    case 0: {
      double start = s.in.real(), end = s.in.real(), step = s.in.real();
      e.defect_if(dt == TENSOR_BOOL, TENSOR_ERR_DTYPE);
      bool finite = std::isfinite(start) && std::isfinite(end) && std::isfinite(step);
      e.defect_if(!finite || step == 0, TENSOR_ERR_INVALID_ARGUMENT);
      // Integer dtypes: as PyTorch, start, end and step are truncated to integers first, and int64's
      // length comes from the truncated values (Note [integer arange] in src/ops/creation.cpp).
      const bool integral = is_valid_dtype(dt) && !is_floating(dt) && dt != TENSOR_BOOL;
      double first = start, last = end, delta = step;
      bool modelled = finite && step != 0;
      if (modelled && integral) {
        const double limit = 9.2e18;  // truncation to int64 must be defined
        if (!(std::fabs(start) < limit && std::fabs(end) < limit && std::fabs(step) < limit)) {
          e.defect(TENSOR_ERR_INVALID_ARGUMENT);
          modelled = false;
        } else {
          first = std::trunc(start);
          last = std::trunc(end);
          delta = std::trunc(step);
          e.defect_if(delta == 0, TENSOR_ERR_INVALID_ARGUMENT);
          modelled = delta != 0;
        }
      }
      e.defect_if(modelled && ((delta > 0 && last < first) || (delta < 0 && last > first)), TENSOR_ERR_INVALID_ARGUMENT);
      if (modelled) {
        double n = dt == TENSOR_INT64 ? std::ceil((last - first) / delta) : std::ceil((end - start) / step);
        if (n < 0) n = 0;  // empty after truncation
        if (!(n < 1e11)) e.must_fail();  // the count overflows int64, or the memory does not exist
        if (!(n < 1e6)) e.may_run_out_of_memory();
        else if (n >= 0 && n <= kMaxKeep) expect_numel = static_cast<int64_t>(n);
      }
      call = "tensor_arange";
      st = tensor_arange(po, start, end, step, opts);
      break;
    }
    case 1: {
      double start = s.in.real(), end = s.in.real();
      int64_t steps = s.in.coin() ? s.in.size() : s.in.index();
      e.defect_if(dt == TENSOR_BOOL, TENSOR_ERR_DTYPE);
      e.defect_if(steps < 0, TENSOR_ERR_INVALID_ARGUMENT);
      if (is_small_integer(dt)) {
        // PyTorch converts the ends to the small type first, as a Python int converts: in the type's range,
        // and uint8 also takes the whole numbers -255..-1 (wrapped); NaN and the infinities never fit.
        const double lo = dt == TENSOR_UINT8 ? -255.0 : dt == TENSOR_INT8 ? -128.0 : -32768.0;
        const double hi = dt == TENSOR_UINT8 ? 255.0 : dt == TENSOR_INT8 ? 127.0 : 32767.0;
        for (double v : {start, end}) {
          const bool fits = v >= lo && v <= hi && (dt != TENSOR_UINT8 || v >= 0 || v == std::trunc(v));
          e.defect_if(!fits, TENSOR_ERR_INVALID_ARGUMENT);
        }
      }
      if (steps > (int64_t(1) << 37)) e.must_fail();
      if (steps > (int64_t(1) << 20)) e.may_run_out_of_memory();
      expect_numel = steps >= 0 && steps <= kMaxKeep ? steps : -1;
      call = "tensor_linspace";
      st = tensor_linspace(po, start, end, steps, opts);
      break;
    }
    default: {
      int64_t n = s.in.coin() ? s.in.size() : s.in.index();
      e.defect_if(n < 0, TENSOR_ERR_INVALID_ARGUMENT);
      if (n > (int64_t(1) << 18)) e.must_fail();  // n * n elements: 2^36 and beyond
      if (n > 1000) e.may_run_out_of_memory();
      call = "tensor_eye";
      st = tensor_eye(po, n, opts);
      break;
    }
  }
  tensor* r = result(call, e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(tensor_get_dtype(r) == dt, call, "dtype differs from the requested one");
  if (expect_numel >= 0) FUZZ_REQUIRE(tensor_numel(r) == expect_numel, call, "wrong element count");
  s.pool.keep(s.in, r);
}

void op_like(Session& s) {
  Expect e;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  tensor* t = s.pool.arg(s.in, e);
  bool ones = s.in.coin();
  const char* call = ones ? "tensor_ones_like" : "tensor_zeros_like";
  tensor_status st = ones ? tensor_ones_like(po, t) : tensor_zeros_like(po, t);
  tensor* r = result(call, e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(shape_of(r) == shape_of(t) && tensor_get_dtype(r) == tensor_get_dtype(t), call,
               "shape or dtype differs from the input's");
  s.pool.keep(s.in, r);
}

}  // namespace fuzz
