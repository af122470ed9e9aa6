// Advanced indexing a[i0, i1, ...] (tensor_index) and its assignment (tensor_index_put_), NumPy's and
// PyTorch's rules, grad_fn IndexBackward0 / IndexPutBackward0.
//
// No kernel of its own: the index tensors are combined into one int64 tensor of linear offsets L into the
// indexed dims, and the source is brought, as a view, to the backend's (A, N, B) form with the indexed dims
// in the middle (permuted to the front first when a NULL entry separates them, which is also where the
// result places them). Then a[...] is one index_select along the middle dim (rows of B elements move with
// memcpy on the CPU), accumulating index_put_ is index_add (atomics on CUDA), plain index_put_ is scatter
// with L expanded over B. Every index tensor's min and max are read back once to check the range and to
// learn whether negative indices need wrapping: a synchronisation on CUDA, where an out-of-range index
// surfaces as TENSOR_ERR_INDEX at that point, never as a device assert.
#include <string>
#include <vector>

#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "core/element_bytes.h"
#include "ops/index_common.h"
#include "ops/kernel_dtype.h"
#include "ops/ops.h"

namespace lt {

namespace {

int64_t prod(const DimVector& s, int32_t begin, int32_t end) {
  int64_t p = 1;
  for (int32_t d = begin; d < end; ++d) p *= s[d];
  return p;
}

DimVector concat(const DimVector& a, const DimVector& b, const DimVector& c) {
  DimVector r = a;
  for (int64_t v : b) r.push_back(v);
  for (int64_t v : c) r.push_back(v);
  return r;
}

// True when `from` broadcasts to `to` (NumPy's rule, one way).
bool broadcasts_to(const DimVector& from, const DimVector& to) {
  if (from.size() > to.size()) return false;
  for (int32_t i = 1; i <= from.size(); ++i) {
    const int64_t f = from[from.size() - i];
    if (f != 1 && f != to[to.size() - i]) return false;
  }
  return true;
}

int64_t int64_value(const Tensor& t) {
  int64_t v = 0;
  copy_to_host(t, &v, sizeof v);
  return v;
}

// How a tensor is indexed: `source` (the caller's tensor, with a unit dim inserted for each 0-d bool
// index) permuted by `perm` into `permuted` = (pre..., indexed..., post...), and the int64 linear offsets
// `linear` (shape index_shape, contiguous) into the N = prod(indexed) positions of the middle.
struct IndexPlan {
  DimVector unsqueezed_shape;  // the caller's shape with the 0-d bool indices' unit dims
  std::vector<int32_t> unit_dims;  // where those unit dims are in it, increasing
  std::vector<int32_t> perm;   // empty: identity
  DimVector pre, mid, post;
  DimVector index_shape;
  Tensor linear;
  int64_t a = 1, n = 1, b = 1;

  DimVector result_shape() const { return concat(pre, index_shape, post); }
  int64_t k() const { return linear.numel(); }
  DimVector abn() const { return DimVector{a, n, b}; }
  DimVector akb() const { return DimVector{a, k(), b}; }
  // t (of the caller's shape) as its permuted view.
  Tensor permuted(const Tensor& t) const {
    Tensor v = t;  // unsqueeze keeps a view of a strided t (a write must reach t)
    for (int32_t d : unit_dims) v = unsqueeze(v, d);
    return perm.empty() ? v : permute(v, perm);
  }
  // A tensor of the permuted shape back to the caller's `shape`.
  Tensor unpermuted(const Tensor& p, const DimVector& shape) const {
    Tensor v = p;
    if (!perm.empty()) {
      std::vector<int32_t> inv(perm.size());
      for (size_t i = 0; i < perm.size(); ++i) inv[static_cast<size_t>(perm[i])] = static_cast<int32_t>(i);
      v = permute(v, inv);
    }
    return reshape(contiguous(v), shape);
  }
  // L as the (A, K, B) index of the backend's scatter.
  Tensor expanded_linear() const { return contiguous(expand(reshape(linear, DimVector{1, k(), 1}), akb())); }
};

struct IndexEntry {
  int32_t dim;  // in the unsqueezed source
  int32_t caller_dim;  // the same dim in the caller's tensor (for messages)
  Tensor index;  // int64, on the source's device
  bool checked;  // from a bool mask: in range by construction
};

bool is_index_dtype(DType d) { return d == DType::Int64 || d == DType::Int32 || d == DType::Bool; }

// The entries of `indices` as one int64 index per indexed dim (bool masks become their nonzero
// coordinates, one column per dim they cover; a 0-d bool adds a unit dim to the source).
std::vector<IndexEntry> expand_entries(const char* op, const Tensor& src, const std::vector<Tensor>& indices,
                                       DimVector* unsqueezed, std::vector<int32_t>* unit_dims) {
  std::vector<IndexEntry> entries;
  *unsqueezed = src.shape();
  int32_t consumed = 0;
  for (const Tensor& ix : indices) {
    if (ix.defined()) {
      LT_CHECK(is_index_dtype(ix.dtype()), Status::DType,
               op << ": tensors used as indices must be int64, int32 or bool tensors, got "
                  << dtype_name(ix.dtype()) << " (shape " << shape_str(ix.shape()) << ")");
      consumed += ix.dtype() == DType::Bool ? ix.ndim() : 1;
    } else {
      ++consumed;
    }
  }
  LT_CHECK(consumed <= src.ndim(), Status::Index,
           op << ": too many indices for tensor of dimension " << src.ndim() << " (shape " << shape_str(src.shape())
              << ")");
  int32_t d = 0;
  for (const Tensor& raw : indices) {
    if (!raw.defined()) {
      ++d;
      continue;
    }
    Tensor ix = raw.device() == src.device() ? detach(raw) : to_device(detach(raw), src.device());
    if (ix.dtype() != DType::Bool) {
      const int32_t cd = d - static_cast<int32_t>(unit_dims->size());
      entries.push_back({d++, cd, contiguous(to_dtype(ix, DType::Int64)), false});
      continue;
    }
    if (ix.ndim() == 0) {  // a[True] / a[False]: a new unit dim, indexed by [0] or []
      unsqueezed->insert(d, 1);
      unit_dims->push_back(d);
      const int64_t count = int64_value(to_dtype(ix, DType::Int64));
      entries.push_back({d++, -1, full(DimVector{count}, 0.0, TensorOptions{DType::Int64, src.device(), false}), true});
      continue;
    }
    for (int32_t j = 0; j < ix.ndim(); ++j)
      LT_CHECK(ix.size(j) == (*unsqueezed)[d + j], Status::Index,
               op << ": the shape of the mask " << shape_str(ix.shape()) << " at index " << j
                  << " does not match the shape of the indexed tensor " << shape_str(src.shape()) << " at index "
                  << d + j - static_cast<int32_t>(unit_dims->size()));
    Tensor coords = nonzero(ix);  // (count, ndim)
    for (int32_t j = 0; j < ix.ndim(); ++j) entries.push_back({d++, -1, contiguous(select(coords, 1, j)), true});
  }
  return entries;
}

DimVector broadcast_index_shapes(const char* op, const std::vector<IndexEntry>& entries) {
  DimVector shape = entries[0].index.shape();
  for (const IndexEntry& e : entries) {
    bool ok = true;
    try {
      shape = broadcast_shapes(shape, e.index.shape());
    } catch (const Error&) {
      ok = false;
    }
    if (!ok) {
      std::string all;
      for (const IndexEntry& f : entries) all += (all.empty() ? "" : ", ") + shape_str(f.index.shape());
      throw_error(Status::Index, std::string(op) + ": shape mismatch: indexing tensors could not be broadcast "
                                                   "together with shapes " + all);
    }
  }
  return shape;
}

// Checks idx against [-n, n) (naming the bad value and the dim) and wraps its negative entries.
Tensor checked_index(const Tensor& idx, int32_t dim, int64_t n) {
  if (idx.numel() == 0) return idx;
  int64_t range[2];  // min and max, read back together: one synchronisation on CUDA
  copy_to_host(stack({min_all(idx), max_all(idx)}, 0), range, sizeof range);
  const int64_t lo = range[0], hi = range[1];
  if (lo < -n) throw_index_out_of_range(lo, dim, n);
  if (hi >= n) throw_index_out_of_range(hi, dim, n);
  if (lo >= 0) return idx;
  Tensor neg = binary_scalar(BinaryOp::Lt, idx, 0.0);
  return where(neg, binary_scalar(BinaryOp::Add, idx, static_cast<double>(n)), idx);
}

IndexPlan make_plan(const char* op, const Tensor& src, const std::vector<Tensor>& indices) {
  NoGradGuard ng;
  IndexPlan p;
  std::vector<IndexEntry> entries = expand_entries(op, src, indices, &p.unsqueezed_shape, &p.unit_dims);
  const DimVector& s = p.unsqueezed_shape;
  const int32_t nd = s.size();
  if (entries.empty()) {  // nothing indexed: the whole tensor, as one row
    p.pre = DimVector{};
    p.mid = DimVector{};
    p.post = s;
    p.index_shape = DimVector{};
    p.b = prod(s, 0, nd);
    p.linear = full(DimVector{}, 0.0, TensorOptions{DType::Int64, src.device(), false});
    return p;
  }
  p.index_shape = broadcast_index_shapes(op, entries);
  bool adjacent = true;
  for (size_t i = 1; i < entries.size(); ++i) adjacent = adjacent && entries[i].dim == entries[i - 1].dim + 1;
  const int32_t first = entries.front().dim, m = static_cast<int32_t>(entries.size());
  std::vector<int32_t> order;
  if (adjacent) {
    for (int32_t d = 0; d < nd; ++d) order.push_back(d);
  } else {  // the indexed dims first, the others after them in order
    std::vector<bool> indexed(static_cast<size_t>(nd), false);
    for (const IndexEntry& e : entries) {
      order.push_back(e.dim);
      indexed[static_cast<size_t>(e.dim)] = true;
    }
    for (int32_t d = 0; d < nd; ++d)
      if (!indexed[static_cast<size_t>(d)]) order.push_back(d);
    p.perm = order;
  }
  const int32_t pos = adjacent ? first : 0;
  DimVector ps;
  for (int32_t d : order) ps.push_back(s[d]);
  for (int32_t d = 0; d < nd; ++d) (d < pos ? p.pre : d < pos + m ? p.mid : p.post).push_back(ps[d]);
  p.a = prod(ps, 0, pos);
  p.n = prod(ps, pos, pos + m);
  p.b = prod(ps, pos + m, nd);
  // L = sum_j idx_j * (product of the later indexed dims' sizes), broadcast to index_shape.
  Tensor linear;
  int64_t stride = 1;
  for (int32_t j = m - 1; j >= 0; --j) {
    const IndexEntry& e = entries[static_cast<size_t>(j)];
    const int64_t size = s[e.dim];
    Tensor idx = e.checked ? e.index : checked_index(e.index, e.caller_dim, size);
    if (stride != 1) idx = binary_scalar(BinaryOp::Mul, idx, static_cast<double>(stride));
    linear = linear.defined() ? binary(BinaryOp::Add, linear, idx) : idx;
    stride *= size;
  }
  if (linear.shape() != p.index_shape) linear = expand(linear, p.index_shape);
  p.linear = contiguous(linear);
  return p;
}

// The (A, N, B) rows of p's permuted t, gathered at L: (A, K, B) reshaped to the result's shape.
Tensor index_rows(const IndexPlan& p, const Tensor& t) {
  Tensor in = reshape(contiguous(p.permuted(t)), p.abn());
  Tensor out = make_empty(p.akb(), t.dtype(), t.device());
  backend_for(t.device()).index_select(out, in, reshape(p.linear, DimVector{p.k()}), 1);
  return reshape(out, p.result_shape());
}

// Adds (accumulate) or writes rows (A, K, B) into dst, contiguous (A, N, B), at L.
void put_rows(const IndexPlan& p, const Tensor& dst, const Tensor& rows, bool accumulate) {
  Backend& be = backend_for(dst.device());
  if (!accumulate) {
    be.scatter(dst, p.expanded_linear(), rows, 1, false);
  } else if (dst.dtype() != DType::Bool && is_kernel_dtype(dst.dtype())) {
    be.index_add(dst, reshape(p.linear, DimVector{p.k()}), rows, 1, 1.0);
  } else if (dst.dtype() != DType::Bool) {  // storage dtypes add in their kernel dtype (Note [kernel dtype])
    Tensor acc = in_kernel_dtype(dst);
    be.index_add(acc, reshape(p.linear, DimVector{p.k()}), in_kernel_dtype(rows), 1, 1.0);
    be.copy(dst, acc);
  } else {  // bool accumulates as a logical or, through int64
    Tensor acc = contiguous(to_dtype(dst, DType::Int64));
    be.index_add(acc, reshape(p.linear, DimVector{p.k()}), contiguous(to_dtype(rows, DType::Int64)), 1, 1.0);
    be.copy(dst, to_dtype(acc, DType::Bool));
  }
}

// ---- grad nodes ----

// The plan a node keeps: its offsets may be the caller's index tensor itself (one int64 index, nothing to
// wrap), which the caller may write later, so the node holds its own copy.
IndexPlan saved(IndexPlan plan) {
  NoGradGuard ng;
  plan.linear = clone(plan.linear);
  return plan;
}

// The nodes keep their plan (the offsets are internal: nothing else can write them); release_saved drops
// the offsets, and a second backward then reads as SavedTensor::unpack's refusal.
void check_saved(const IndexPlan& plan, const char* node) {
  LT_CHECK(plan.linear.defined(), Status::Autograd,
           "trying to backward through the graph a second time (or to use saved tensors after they were "
           "freed); saved tensors of "
               << node << " were freed by the first backward: pass retain_graph=true to keep them");
}

// a[indices]: the grad adds g back at the indexed positions of zeros of a's shape.
class IndexBackward final : public Node {
 public:
  IndexBackward(IndexPlan plan, const DimVector& shape) : plan_(std::move(plan)), shape_(shape) {}
  const char* name() const override { return "IndexBackward0"; }
  void release_saved() override { plan_.linear = Tensor(); }
  TensorList apply(TensorList&& grads) override {
    check_saved(plan_, name());
    const Tensor& g = grads[0];
    Tensor gi = full(plan_.abn(), 0.0, TensorOptions{g.dtype(), g.device(), false});
    put_rows(plan_, gi, contiguous(reshape(g, plan_.akb())), true);
    DimVector ps = concat(plan_.pre, plan_.mid, plan_.post);
    return {plan_.unpermuted(reshape(gi, ps), shape_)};
  }

 private:
  IndexPlan plan_;
  DimVector shape_;
};

// t[indices] = values (+= when accumulating): t's grad is g, its indexed positions zeroed unless
// accumulating; values' grad is g read at the indexed positions (the engine sums it to values' shape).
class IndexPutBackward final : public Node {
 public:
  IndexPutBackward(IndexPlan plan, const DimVector& shape, bool accumulate)
      : plan_(std::move(plan)), shape_(shape), accumulate_(accumulate) {}
  const char* name() const override { return "IndexPutBackward0"; }
  void release_saved() override { plan_.linear = Tensor(); }
  TensorList apply(TensorList&& grads) override {
    check_saved(plan_, name());
    const Tensor& g = grads[0];
    Tensor g_values = index_rows(plan_, g);
    Tensor g_self = g;
    if (!accumulate_) {
      Tensor gp = contiguous(clone(reshape(contiguous(plan_.permuted(g)), plan_.abn())));
      put_rows(plan_, gp, full(plan_.akb(), 0.0, TensorOptions{g.dtype(), g.device(), false}), false);
      g_self = plan_.unpermuted(reshape(gp, concat(plan_.pre, plan_.mid, plan_.post)), shape_);
    }
    return {g_self, g_values};
  }

 private:
  IndexPlan plan_;
  DimVector shape_;
  bool accumulate_;
};

}  // namespace

Tensor index(const Tensor& a, const std::vector<Tensor>& indices) {
  const char* op = "index";
  IndexPlan plan = make_plan(op, a, indices);
  Tensor out;
  {
    NoGradGuard ng;
    out = index_rows(plan, a);
  }
  if (any_requires_grad({&a}) && is_floating(a.dtype())) record<IndexBackward>(out, {&a}, saved(plan), a.shape());
  return out;
}

void index_put_(const Tensor& t, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate) {
  const char* op = "index_put_";
  check_same_device(t, values);
  LT_CHECK(t.dtype() == values.dtype(), Status::DType,
           op << ": index put requires the source and destination dtypes match, got " << dtype_name(t.dtype())
              << " for the destination and " << dtype_name(values.dtype()) << " for the source");
  IndexPlan plan = make_plan(op, t, indices);
  if (plan.linear.storage() == t.storage()) plan.linear = clone(plan.linear);  // t indexing itself
  const DimVector rs = plan.result_shape();
  LT_CHECK(broadcasts_to(values.shape(), rs), Status::Shape,
           op << ": shape mismatch: value tensor of shape " << shape_str(values.shape())
              << " cannot be broadcast to indexing result of shape " << shape_str(rs));
  check_inplace(t, op);
  LT_CHECK(!t.storage()->read_only(), Status::InvalidArgument, "cannot write to a read-only tensor");
  Tensor rows, dst, tmp;
  {
    NoGradGuard ng;
    rows = contiguous(reshape(contiguous(expand(values, rs)), plan.akb()));
    if (rows.storage() == t.storage()) rows = clone(rows);  // values read from t: copy before writing t
    dst = plan.permuted(t);
    tmp = dst.is_contiguous() ? reshape(dst, plan.abn()) : reshape(contiguous(dst), plan.abn());
  }
  // Note [in-place failure atomicity] (elementwise.cpp): every index was checked by make_plan, and the
  // node is made before t is written.
  std::shared_ptr<Node> node;
  if (any_requires_grad({&t, &values}) && is_floating(t.dtype())) {
    autograd_meta(t);
    node = std::make_shared<IndexPutBackward>(saved(plan), t.shape(), accumulate);
    collect_inputs(*node, {&t, &values});
  }
  put_rows(plan, tmp, rows, accumulate);
  if (tmp.storage() != dst.storage()) backend_for(t.device()).copy(dst, reshape(tmp, dst.shape()));
  t.storage()->bump_version();
  if (node) set_history(t, node);
}

}  // namespace lt
