// Fuzz operation for advanced indexing: tensor_index and tensor_index_put_ on a pool tensor with a list of
// up to ndim + 1 entries built from the input: NULL (a whole dim), int64 indices of a small shape (values
// small, negative or extreme, so the range check is hit often; shapes that may not broadcast together) or
// a bool mask of the dims it covers (sometimes a wrong size). Planted defects: an index outside [-n, n),
// more indices than dims, a mask of the wrong shape and index shapes that do not broadcast, all
// TENSOR_ERR_INDEX; index_put_ may also meet the in-place refusals, so its defects only require a failure.
#include <algorithm>
#include <limits>
#include <vector>

#include "fuzz/fuzz_ops.h"

namespace fuzz {

namespace {

tensor* build(const std::vector<int64_t>& shape, tensor_dtype dt, const void* data) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = dt;
  tensor* t = nullptr;
  if (tensor_from_data(&t, data, shape.data(), static_cast<int32_t>(shape.size()), &o) != TENSOR_OK)
    fail("tensor_from_data", "cannot build an index");
  return t;
}

bool broadcast_into(std::vector<int64_t>* acc, const std::vector<int64_t>& s) {
  std::vector<int64_t> r(std::max(acc->size(), s.size()), 1);
  for (size_t i = 0; i < r.size(); ++i) {
    const int64_t x = i < acc->size() ? (*acc)[acc->size() - 1 - i] : 1;
    const int64_t y = i < s.size() ? s[s.size() - 1 - i] : 1;
    if (x != y && x != 1 && y != 1) return false;
    r[r.size() - 1 - i] = std::max(x, y) == 1 ? std::min(x, y) : std::max(x, y);
  }
  *acc = r;
  return true;
}

}  // namespace

void op_advanced_index(Session& s) {
  Expect e;
  tensor* a = s.pool.arg(s.in, e);
  if (a && tensor_numel(a) > kMaxKeep) return;  // expanded views: keep the work small
  const std::vector<int64_t> ashape = a ? shape_of(a) : std::vector<int64_t>();
  const int32_t nd = static_cast<int32_t>(ashape.size());
  const int32_t count = static_cast<int32_t>(s.in.u8() % (nd + 2));
  std::vector<tensor*> owned;
  std::vector<const tensor*> list;
  int32_t d = 0;
  bool too_many = false, bad_value = false, bad_mask = false, bad_broadcast = false;
  std::vector<int64_t> ishape;
  for (int32_t k = 0; k < count; ++k) {
    const uint8_t kind = s.in.u8() % 3;
    if (kind == 0) {
      list.push_back(nullptr);
      if (++d > nd) too_many = true;
      continue;
    }
    if (kind == 1) {  // a mask over 1 or 2 dims
      const int32_t cover = 1 + static_cast<int32_t>(s.in.u8() % 2);
      std::vector<int64_t> mshape;
      for (int32_t j = 0; j < cover; ++j) {
        int64_t sz = d + j < nd ? ashape[static_cast<size_t>(d + j)] : 1;
        if (s.in.one_in(8)) {  // a size that differs; at a hostile INT64_MAX extent, one less (no overflow)
          sz = sz < std::numeric_limits<int64_t>::max() ? sz + 1 : sz - 1;
          if (d + j < nd) bad_mask = true;
        }
        mshape.push_back(sz);
      }
      if (d + cover > nd) too_many = true;
      int64_t n = 1;
      for (int64_t v : mshape) n = v > kMaxKeep ? kMaxKeep + 1 : std::min<int64_t>(n * v, kMaxKeep + 1);
      if (n > kMaxKeep) {  // a huge dim beside an empty one (numel 0): no mask that large
        for (tensor* t : owned) tensor_free(t);
        return;
      }
      std::vector<unsigned char> bits(static_cast<size_t>(n) + 1);
      int64_t trues = 0;
      for (size_t i = 0; i + 1 < bits.size(); ++i) trues += bits[i] = s.in.u8() & 1;
      if (!broadcast_into(&ishape, {trues})) bad_broadcast = true;
      owned.push_back(build(mshape, TENSOR_BOOL, bits.data()));
      list.push_back(owned.back());
      d += cover;
      continue;
    }
    const int64_t n = d < nd ? ashape[static_cast<size_t>(d)] : 1;
    std::vector<int64_t> shp;
    const int32_t rank = static_cast<int32_t>(s.in.u8() % 3);
    for (int32_t j = 0; j < rank; ++j) shp.push_back(static_cast<int64_t>(s.in.u8() % 3));
    int64_t m = 1;
    for (int64_t v : shp) m *= v;
    std::vector<int64_t> vals(static_cast<size_t>(m) + 1);
    for (size_t i = 0; i + 1 < vals.size(); ++i) {
      int64_t& x = vals[i];
      x = s.in.one_in(4) ? s.in.index() : static_cast<int64_t>(s.in.u8() % (2 * std::max<int64_t>(n, 1))) - n;
      if (x < -n || x >= n) bad_value = true;
    }
    if (!broadcast_into(&ishape, shp)) bad_broadcast = true;
    owned.push_back(build(shp, TENSOR_INT64, vals.data()));
    list.push_back(owned.back());
    if (++d > nd) too_many = true;
  }
  // Several defects may be planted at once: each is TENSOR_ERR_INDEX.
  e.defect_if(a && (too_many || bad_mask || bad_broadcast || bad_value), TENSOR_ERR_INDEX);
  const bool put = s.in.coin();
  if (put) {
    Expect ep;
    if (e.any()) ep.must_fail();
    tensor* v = nullptr;
    tensor_options o = TENSOR_OPTIONS_INIT;
    o.dtype = a ? tensor_get_dtype(a) : TENSOR_FLOAT32;
    if (tensor_ones(&v, nullptr, 0, &o) != TENSOR_OK) fail("tensor_ones", "cannot build values");
    ep.check("tensor_index_put_",
             tensor_index_put_(a, list.data(), static_cast<int32_t>(list.size()), v, s.in.coin()));
    tensor_free(v);
  } else {
    tensor* out;
    tensor** po = out_param(s.in, e, &out);
    tensor_status st = tensor_index(po, a, list.data(), static_cast<int32_t>(list.size()));
    tensor* r = result("tensor_index", e, st, po, out);
    if (r) {
      FUZZ_REQUIRE(tensor_get_dtype(r) == tensor_get_dtype(a), "tensor_index", "result dtype differs from a's");
      s.pool.keep(s.in, r);
    }
  }
  for (tensor* t : owned) tensor_free(t);
}

}  // namespace fuzz
