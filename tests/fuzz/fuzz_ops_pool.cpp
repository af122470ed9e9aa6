// Fuzz operation for the pooling, embedding and pad calls: max_pool2d (with and without indices),
// avg_pool2d, adaptive_avg_pool2d, embedding and pad on pool tensors, with decoded kernel / stride /
// padding / dilation pairs (NULL now and then: PyTorch's defaults, or for the kernel a planted
// TENSOR_ERR_INVALID_ARGUMENT), hostile sizes from Input::size(), and pads of any sign. The harness models
// PyTorch's shape rules (the output size formula with ceil_mode, pad at most half the kernel, ranks 3/4,
// non-empty planes, the index range of embedding) to plant the expected status and to check a result's
// shape and dtype.
#include <cstdlib>

#include "fuzz/fuzz_ops.h"

namespace fuzz {

namespace {

// A (h, w) pool argument; NULL one time in `null_in` (never when null_in is 0).
struct Pair {
  int64_t v[2] = {0, 0};
  bool null_ptr = false;
  const int64_t* ptr() const { return null_ptr ? nullptr : v; }
};

Pair gen_pair(Input& in, uint8_t null_in) {
  Pair p;
  p.null_ptr = null_in != 0 && in.one_in(null_in);
  p.v[0] = in.size();
  p.v[1] = in.coin() ? p.v[0] : in.size();
  return p;
}

bool in_range(const Pair& p) {
  const int64_t limit = int64_t(1) << 30;
  return p.v[0] > -limit && p.v[0] < limit && p.v[1] > -limit && p.v[1] < limit;
}

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// PyTorch's pooled size of one dim; -1 for any shape error (all are TENSOR_ERR_SHAPE).
int64_t pooled(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d, bool ceil_mode) {
  if (k <= 0 || s <= 0 || d <= 0 || p < 0 || p > k / 2) return -1;
  int64_t out = floor_div(in + 2 * p - d * (k - 1) - 1 + (ceil_mode ? s - 1 : 0), s) + 1;
  if (ceil_mode && (out - 1) * s >= in + p) --out;
  return out >= 1 ? out : -1;
}

// Plants the input rules of the pools: a floating (C, H, W) / (N, C, H, W) tensor, C, H, W non-empty
// (adaptive: only the dims after the first). Returns the shape when it is usable.
bool pool_input(Expect& e, const tensor* a, bool adaptive, std::vector<int64_t>* shape) {
  if (!a) return false;
  *shape = shape_of(a);
  const size_t n = shape->size();
  e.defect_if(!is_floating(tensor_get_dtype(a)), TENSOR_ERR_DTYPE);
  if (n != 3 && n != 4) {
    e.defect(TENSOR_ERR_SHAPE);
    return false;
  }
  bool ok = true;
  for (size_t d = adaptive ? 1 : n - 3; d < n; ++d) ok = ok && (*shape)[d] != 0;
  e.defect_if(!ok, TENSOR_ERR_SHAPE);
  return ok;
}

// The values of an int32 / int64 tensor as int64.
std::vector<int64_t> host_indices(const tensor* ix) {
  const size_t n = static_cast<size_t>(tensor_numel(ix));
  std::vector<int64_t> v(n);
  if (tensor_get_dtype(ix) == TENSOR_INT64) {
    if (tensor_copy_to_host(ix, v.data(), n * sizeof(int64_t)) != TENSOR_OK) fail("host_indices", "copy failed");
    return v;
  }
  std::vector<int32_t> w(n);
  if (tensor_copy_to_host(ix, w.data(), n * sizeof(int32_t)) != TENSOR_OK) fail("host_indices", "copy failed");
  for (size_t i = 0; i < n; ++i) v[i] = w[i];
  return v;
}

void check_result(Session& s, const char* call, const Expect& e, tensor_status st, tensor** po, tensor* out,
                  const std::vector<int64_t>& want, tensor_dtype dtype) {
  tensor* r = result(call, e, st, po, out);
  if (!r) return;
  FUZZ_REQUIRE(shape_of(r) == want, call, "result shape differs from PyTorch's");
  FUZZ_REQUIRE(tensor_get_dtype(r) == dtype, call, "result dtype differs from the input's");
  s.pool.keep(s.in, r);
}

void fuzz_pool(Session& s, uint8_t which) {
  Expect e;
  tensor* a = s.pool.arg(s.in, e);
  if (a && tensor_numel(a) > kMaxKeep) return;  // expanded views: keep the work small
  std::vector<int64_t> shape;
  const bool usable = pool_input(e, a, false, &shape);
  const Pair k = gen_pair(s.in, 32), st = gen_pair(s.in, 4), p = gen_pair(s.in, 4), d = gen_pair(s.in, 4);
  const bool ceil_mode = s.in.coin(), flag = s.in.coin();
  e.defect_if(k.null_ptr, TENSOR_ERR_INVALID_ARGUMENT);
  const int64_t one[2] = {1, 1};
  const int64_t* kv = k.v;
  const int64_t* sv = st.null_ptr ? kv : st.v;
  const int64_t* dv = which == 0 && !d.null_ptr ? d.v : one;
  int64_t out_h = -1, out_w = -1;
  if (!k.null_ptr) {
    const bool ranges = in_range(k) && (st.null_ptr || in_range(st)) && (p.null_ptr || in_range(p)) &&
                        (which != 0 || d.null_ptr || in_range(d));
    e.defect_if(!ranges, TENSOR_ERR_SHAPE);
    if (ranges && usable) {
      const size_t n = shape.size();
      const int64_t ph = p.null_ptr ? 0 : p.v[0], pw = p.null_ptr ? 0 : p.v[1];
      out_h = pooled(shape[n - 2], kv[0], sv[0], ph, dv[0], ceil_mode);
      out_w = pooled(shape[n - 1], kv[1], sv[1], pw, dv[1], ceil_mode);
      e.defect_if(out_h < 0 || out_w < 0, TENSOR_ERR_SHAPE);
    }
  }
  std::vector<int64_t> want = shape;
  if (out_h > 0 && out_w > 0) {
    want[want.size() - 2] = out_h;
    want[want.size() - 1] = out_w;
  }
  const tensor_dtype dt = a ? tensor_get_dtype(a) : TENSOR_FLOAT32;
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  if (which == 1) {
    const tensor_status r = tensor_avg_pool2d(po, a, k.ptr(), st.ptr(), p.ptr(), ceil_mode, flag);
    check_result(s, "tensor_avg_pool2d", e, r, po, out, want, dt);
    return;
  }
  tensor* indices = unset_out();
  const bool with_indices = flag;
  const tensor_status r =
      tensor_max_pool2d(po, with_indices ? &indices : nullptr, a, k.ptr(), st.ptr(), p.ptr(), d.ptr(), ceil_mode);
  const char* call = "tensor_max_pool2d";
  if (r != TENSOR_OK && with_indices && indices != nullptr) fail(call, "indices not set to NULL on failure");
  check_result(s, call, e, r, po, out, want, dt);
  if (r == TENSOR_OK && with_indices) {
    check_tensor(call, indices, kMaxKeep);
    FUZZ_REQUIRE(shape_of(indices) == want, call, "indices shape differs from the output's");
    FUZZ_REQUIRE(tensor_get_dtype(indices) == TENSOR_INT64, call, "indices are not int64");
    s.pool.keep(s.in, indices);
  }
}

void fuzz_adaptive(Session& s) {
  Expect e;
  tensor* a = s.pool.arg(s.in, e);
  if (a && tensor_numel(a) > kMaxKeep) return;
  std::vector<int64_t> shape;
  const bool usable = pool_input(e, a, true, &shape);
  const Pair o = gen_pair(s.in, 32);
  e.defect_if(o.null_ptr, TENSOR_ERR_INVALID_ARGUMENT);
  std::vector<int64_t> want = shape;
  if (!o.null_ptr) {
    e.defect_if(o.v[0] < 0 || o.v[1] < 0, TENSOR_ERR_SHAPE);
    // Hostile sizes: an output too large to count (TENSOR_ERR_SHAPE) or to allocate.
    if (o.v[0] > 64 || o.v[1] > 64) e.may_run_out_of_memory();
    if (usable && o.v[0] >= 0 && o.v[1] >= 0) {
      want[want.size() - 2] = o.v[0];
      want[want.size() - 1] = o.v[1];
      if (numel_of(want.data(), static_cast<int32_t>(want.size())) < 0) e.defect(TENSOR_ERR_SHAPE);
    }
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  const tensor_status r = tensor_adaptive_avg_pool2d(po, a, o.ptr());
  check_result(s, "tensor_adaptive_avg_pool2d", e, r, po, out, want, a ? tensor_get_dtype(a) : TENSOR_FLOAT32);
}

void fuzz_embedding(Session& s) {
  Expect e;
  tensor* w = s.pool.arg(s.in, e);
  tensor* ix = s.pool.arg(s.in, e);
  if ((w && tensor_numel(w) > kMaxKeep) || (ix && tensor_numel(ix) > kMaxKeep)) return;
  std::vector<int64_t> want;
  if (w && ix) {
    const std::vector<int64_t> ws = shape_of(w);
    const tensor_dtype it = tensor_get_dtype(ix);
    e.defect_if(ws.size() != 2, TENSOR_ERR_SHAPE);
    e.defect_if(it != TENSOR_INT64 && it != TENSOR_INT32, TENSOR_ERR_DTYPE);
    if (ws.size() == 2 && (it == TENSOR_INT64 || it == TENSOR_INT32)) {
      // Every index must lie in [0, V) (negative ones too: TENSOR_ERR_INDEX, as PyTorch).
      const std::vector<int64_t> values = host_indices(ix);
      bool in_bounds = true;
      for (int64_t v : values) in_bounds = in_bounds && v >= 0 && v < ws[0];
      e.defect_if(!in_bounds, TENSOR_ERR_INDEX);
      want = shape_of(ix);
      want.push_back(ws[1]);
      // A wide weight of no rows (an expanded view) asks for a huge result before any index is read.
      const int64_t count = numel_of(want.data(), static_cast<int32_t>(want.size()));
      if (count == -2)
        e.defect(TENSOR_ERR_SHAPE);
      else if (count > (int64_t(1) << 20))
        e.may_run_out_of_memory();
    }
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  const tensor_status r = tensor_embedding(po, w, ix);
  check_result(s, "tensor_embedding", e, r, po, out, want, w ? tensor_get_dtype(w) : TENSOR_FLOAT32);
}

void fuzz_pad(Session& s) {
  Expect e;
  tensor* a = s.pool.arg(s.in, e);
  if (a && tensor_numel(a) > kMaxKeep) return;
  int32_t npads = static_cast<int32_t>(s.in.below(10)) - (s.in.one_in(32) ? 11 : 0);
  int64_t pads[10] = {};
  for (int64_t& v : pads) v = s.in.one_in(16) ? s.in.size() : static_cast<int64_t>(s.in.below(8)) - 3;
  const bool null_pads = s.in.one_in(32);
  const double value = s.in.real();
  e.defect_if(npads < 0 || (null_pads && npads != 0), TENSOR_ERR_INVALID_ARGUMENT);
  std::vector<int64_t> want;
  // The fill value converted as tensor_full converts it (NaN into an int: TENSOR_ERR_INVALID_ARGUMENT).
  e.defect_if(a && !value_fits(value, tensor_get_dtype(a)), TENSOR_ERR_INVALID_ARGUMENT);
  if (a && npads >= 0) {
    want = shape_of(a);
    const int32_t n = static_cast<int32_t>(want.size());
    e.defect_if(npads % 2 != 0 || npads / 2 > n, TENSOR_ERR_SHAPE);
    bool ranges = true;
    for (int32_t i = 0; i < npads; ++i) {
      const int64_t lim = int64_t(1) << 48;
      ranges = ranges && pads[i] > -lim && pads[i] < lim;
    }
    e.defect_if(!ranges, TENSOR_ERR_SHAPE);
    if (ranges && npads % 2 == 0 && npads / 2 <= n) {
      for (int32_t k = 0; k < npads / 2; ++k) {
        int64_t& size = want[static_cast<size_t>(n - 1 - k)];
        size += pads[2 * k] + pads[2 * k + 1];
        e.defect_if(size < 0, TENSOR_ERR_SHAPE);
      }
      // Pads up to 2^48 can ask for more than any machine has (or than an int64 count).
      if (numel_of(want.data(), n) < 0)
        e.defect(TENSOR_ERR_SHAPE);
      else if (numel_of(want.data(), n) > (int64_t(1) << 20))
        e.may_run_out_of_memory();
    }
  }
  tensor* out;
  tensor** po = out_param(s.in, e, &out);
  const tensor_status r = tensor_pad(po, a, null_pads ? nullptr : pads, npads, value);
  check_result(s, "tensor_pad", e, r, po, out, want, a ? tensor_get_dtype(a) : TENSOR_FLOAT32);
}

}  // namespace

void op_pool(Session& s) {
  const uint8_t which = s.in.u8() % 5;
  if (which <= 1) return fuzz_pool(s, which);
  if (which == 2) return fuzz_adaptive(s);
  if (which == 3) return fuzz_embedding(s);
  fuzz_pad(s);
}

}  // namespace fuzz
