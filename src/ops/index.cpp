// index_select, gather, scatter, scatter_add and index_add_ with their grad nodes (PyTorch's semantics and
// grad_fn names). The backend kernels see contiguous (A, N, B) operands; this file brings the caller's
// tensors to that form: 0-d tensors act as shape (1), and where PyTorch lets an index be smaller than the
// tensors it reads or writes (gather, scatter), those are narrowed to the index's extent first.
#include <string>

#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "ops/index_common.h"
#include "ops/kernel_dtype.h"
#include "ops/ops.h"

namespace lt {

namespace {

// ---- the kernels' form ----

Tensor zeros(const DimVector& shape, DType dtype, Device device) {
  return full(shape, 0.0, TensorOptions{dtype, device, false});
}

// t narrowed to `shape` in every dim but `skip` (a view).
Tensor narrow_to(const Tensor& t, const DimVector& shape, int32_t skip) {
  Tensor v = t;
  for (int32_t d = 0; d < v.ndim(); ++d)
    if (d != skip && v.size(d) != shape[d]) v = slice(v, d, 0, shape[d], 1);
  return v;
}

// Shapes of gather / scatter operands: one ndim (0-d counts as 1-d), index.size(d) <= limit.size(d) for
// d != dim (for every d when `all_dims`).
void check_index_extent(const char* op, const Tensor& index, const Tensor& t, const char* what, int32_t dim,
                        bool all_dims) {
  LT_CHECK(index_ndim(index) == index_ndim(t), Status::Shape,
           op << ": index tensor must have the same number of dimensions as " << what << " tensor (index shape "
              << shape_str(index.shape()) << ", " << what << " shape " << shape_str(t.shape()) << ")");
  const DimVector is = as_1d(index).shape(), ts = as_1d(t).shape();
  for (int32_t d = 0; d < is.size(); ++d)
    LT_CHECK(is[d] <= ts[d] || (!all_dims && d == dim), Status::Shape,
             op << ": size of index " << shape_str(index.shape()) << " must not exceed the size of " << what << " "
                << shape_str(t.shape()) << " at dimension " << d
                << (all_dims ? "" : std::string(" apart from dimension ") + std::to_string(dim)));
}

Tensor gather_raw(const Tensor& a, int32_t d, const Tensor& index) {
  Tensor a1 = as_1d(a), i1 = contiguous(as_1d(index));
  Tensor in = contiguous(narrow_to(a1, i1.shape(), d));
  Tensor out = make_empty(i1.shape(), a.dtype(), a.device());
  backend_for(a.device()).gather(out, in, i1, d);
  return reshape(out, index.shape());
}

// Scatters src (narrowed to index's extent) into `out` (contiguous, written in place).
void scatter_into(const Tensor& out, int32_t d, const Tensor& index, const Tensor& src, bool accumulate) {
  Tensor o1 = as_1d(out), i1 = contiguous(as_1d(index));
  Tensor s1 = contiguous(narrow_to(as_1d(src), i1.shape(), -1));
  Tensor dst = narrow_to(o1, i1.shape(), d);
  if (accumulate && !is_kernel_dtype(out.dtype())) {  // storage dtypes add in their kernel dtype
    Tensor acc = in_kernel_dtype(o1);
    backend_for(out.device()).scatter(acc, i1, in_kernel_dtype(s1), d, true);
    backend_for(out.device()).copy(o1, acc);
    return;
  }
  if (dst.shape() == o1.shape()) {
    backend_for(out.device()).scatter(o1, i1, s1, d, accumulate);
    return;
  }
  Tensor tmp = contiguous(dst);
  backend_for(out.device()).scatter(tmp, i1, s1, d, accumulate);
  backend_for(out.device()).copy(dst, tmp);
}

// grad of src for gather-shaped reads: g gathered at index, placed in zeros of src's shape when src is
// larger than the index.
Tensor gathered_grad(const Tensor& g, int32_t d, const Tensor& index, const DimVector& src_shape) {
  Tensor part = gather_raw(g, d, index);
  if (part.shape() == src_shape) return part;
  Tensor full_grad = zeros(src_shape, g.dtype(), g.device());
  copy_(narrow_to(as_1d(full_grad), as_1d(part).shape(), -1), as_1d(part));
  return full_grad;
}

// ---- grad nodes ----

// index_select and gather read `a` at the index; the grad adds g back at the same places into zeros of
// a's shape (index_add along the dim, or scatter_add).
class IndexReadBackward final : public Node {
 public:
  IndexReadBackward(bool gather, const DimVector& shape, int32_t dim, const Tensor& index)
      : gather_(gather), shape_(shape), dim_(dim), index_(index) {}
  const char* name() const override { return gather_ ? "GatherBackward0" : "IndexSelectBackward0"; }
  void release_saved() override { index_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor index = index_.unpack(name());
    const Tensor g = in_kernel_dtype(grads[0]);  // half grads add in float32 (Note [kernel dtype])
    Tensor gi = zeros(shape_, g.dtype(), g.device());
    if (gather_) scatter_into(gi, dim_, index, g, true);
    else backend_for(g.device()).index_add(as_1d(gi), index, contiguous(as_1d(g)), dim_, 1.0);
    return {to_result_dtype(gi, grads[0].dtype())};
  }

 private:
  bool gather_;
  DimVector shape_;
  int32_t dim_;
  SavedTensor index_;
};

// scatter: self's grad is g with the scattered positions zeroed; scatter_add: g itself. src's grad is g
// gathered at the index (both).
class ScatterBackward final : public Node {
 public:
  ScatterBackward(bool add, int32_t dim, const Tensor& index, const DimVector& src_shape)
      : add_(add), dim_(dim), index_(index), src_shape_(src_shape) {}
  const char* name() const override { return add_ ? "ScatterAddBackward0" : "ScatterBackward0"; }
  void release_saved() override { index_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor index = index_.unpack(name());
    const Tensor& g = grads[0];
    Tensor g_self = g;
    if (!add_) {
      g_self = contiguous(clone(g));
      scatter_into(g_self, dim_, index, zeros(index.shape(), g.dtype(), g.device()), false);
    }
    return {g_self, gathered_grad(g, dim_, index, src_shape_)};
  }

 private:
  bool add_;
  int32_t dim_;
  SavedTensor index_;
  DimVector src_shape_;
};

class IndexAddBackward final : public Node {
 public:
  IndexAddBackward(int32_t dim, const Tensor& index, const DimVector& src_shape, double alpha)
      : dim_(dim), index_(index), src_shape_(src_shape), alpha_(alpha) {}
  const char* name() const override { return "IndexAddBackward0"; }
  void release_saved() override { index_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor index = index_.unpack(name());
    const Tensor& g = grads[0];
    Tensor g1 = contiguous(as_1d(g));
    DimVector s = g1.shape();
    s[dim_] = index.numel();
    Tensor gs = make_empty(s, g.dtype(), g.device());
    backend_for(g.device()).index_select(gs, g1, index, dim_);
    if (alpha_ != 1.0) gs = binary_scalar(BinaryOp::Mul, gs, alpha_);
    return {g, reshape(gs, src_shape_)};
  }

 private:
  int32_t dim_;
  SavedTensor index_;
  DimVector src_shape_;
  double alpha_;
};

// A 1-D int64 index for index_select / index_add_ (0-d counts as one element; int32 converted).
Tensor vector_index(const char* op, const Tensor& index) {
  LT_CHECK(index.dtype() == DType::Int64 || index.dtype() == DType::Int32, Status::DType,
           op << ": expected an index of dtype int64 or int32, got " << dtype_name(index.dtype()) << " (shape "
              << shape_str(index.shape()) << ")");
  LT_CHECK(index.ndim() <= 1, Status::Shape,
           op << ": index is supposed to be a vector (0-d or 1-D), got shape " << shape_str(index.shape()));
  return contiguous(reshape(to_dtype(index, DType::Int64), DimVector{index.numel()}));
}

void check_same_dtype(const char* op, const Tensor& self, const Tensor& src) {
  LT_CHECK(self.dtype() == src.dtype(), Status::DType,
           op << ": expected self.dtype to be equal to src.dtype (self " << dtype_name(self.dtype()) << ", src "
              << dtype_name(src.dtype()) << ")");
}

Tensor scatter_common(const Tensor& a, int32_t dim, const Tensor& index, const Tensor& src, bool add) {
  const char* op = add ? "scatter_add" : "scatter";
  check_same_device(a, index);
  check_same_device(a, src);
  const int32_t d = normalise_index_dim(a, dim, op);
  check_int64_index(op, index);
  check_same_dtype(op, a, src);
  check_index_extent(op, index, a, "self", d, false);
  check_index_extent(op, index, src, "src", d, true);
  Tensor out;
  {
    NoGradGuard ng;
    out = contiguous(clone(a));
    scatter_into(out, d, index, src, add);
  }
  if (any_requires_grad({&a, &src}) && is_floating(a.dtype()))
    record<ScatterBackward>(out, {&a, &src}, add, d, detach(index), src.shape());
  return out;
}

}  // namespace

Tensor index_select(const Tensor& a, int32_t dim, const Tensor& index) {
  const char* op = "index_select";
  check_same_device(a, index);
  const int32_t d = normalise_index_dim(a, dim, op);
  Tensor ix = vector_index(op, index);
  Tensor out;
  {
    NoGradGuard ng;
    Tensor a1 = contiguous(as_1d(a));
    DimVector s = a1.shape();
    s[d] = ix.numel();
    out = make_empty(s, a.dtype(), a.device());
    backend_for(a.device()).index_select(out, a1, ix, d);
    // A 0-d input gives the index's shape (0-d for a 0-d index), as PyTorch.
    if (a.ndim() == 0) out = reshape(out, index.shape());
  }
  if (any_requires_grad({&a}) && is_floating(a.dtype())) record<IndexReadBackward>(out, {&a}, false, a.shape(), d, ix);
  return out;
}

Tensor gather(const Tensor& a, int32_t dim, const Tensor& index) {
  const char* op = "gather";
  check_same_device(a, index);
  const int32_t d = normalise_index_dim(a, dim, op);
  check_int64_index(op, index);
  check_index_extent(op, index, a, "input", d, false);
  Tensor out;
  {
    NoGradGuard ng;
    out = gather_raw(a, d, index);
  }
  if (any_requires_grad({&a}) && is_floating(a.dtype())) record<IndexReadBackward>(out, {&a}, true, a.shape(), d, detach(index));
  return out;
}

Tensor scatter(const Tensor& a, int32_t dim, const Tensor& index, const Tensor& src) {
  return scatter_common(a, dim, index, src, false);
}

Tensor scatter_add(const Tensor& a, int32_t dim, const Tensor& index, const Tensor& src) {
  return scatter_common(a, dim, index, src, true);
}

void index_add_(const Tensor& t, int32_t dim, const Tensor& index, const Tensor& src, double alpha) {
  const char* op = "index_add_";
  check_same_device(t, index);
  check_same_device(t, src);
  const int32_t d = normalise_index_dim(t, dim, op);
  Tensor ix = vector_index(op, index);
  check_same_dtype(op, t, src);
  LT_CHECK(is_floating(t.dtype()) || alpha == static_cast<double>(static_cast<int64_t>(alpha)), Status::InvalidArgument,
           op << ": for integral input tensors, argument alpha must not be a floating point number (got " << alpha
              << ")");
  DimVector want = as_1d(t).shape();
  want[d] = ix.numel();
  const DimVector got = as_1d(src).shape();
  LT_CHECK(got == want || (t.ndim() == 0 && src.numel() == ix.numel() && src.ndim() <= 1), Status::Shape,
           op << ": source of shape " << shape_str(src.shape()) << " must have the shape of self "
              << shape_str(t.shape()) << " except at dimension " << d << ", where it must be the index's length "
              << ix.numel());
  check_inplace(t, op);
  LT_CHECK(!t.storage()->read_only(), Status::InvalidArgument, "cannot write to a read-only tensor");
  const bool record_grad = any_requires_grad({&t, &src}) && is_floating(t.dtype());
  Tensor s1, dst, tmp;
  {
    NoGradGuard ng;
    s1 = contiguous(reshape(src, want));
    dst = as_1d(t);
    tmp = dst.is_contiguous() ? dst : contiguous(dst);
  }
  // Note [in-place failure atomicity] (elementwise.cpp): the node is made before t is written; the kernel
  // checks every index before it writes.
  std::shared_ptr<Node> node;
  if (record_grad) {
    autograd_meta(t);
    node = std::make_shared<IndexAddBackward>(d, ix, src.shape(), alpha);
    collect_inputs(*node, {&t, &src});
  }
  // Storage dtypes add in their kernel dtype (Note [kernel dtype]) and are rounded or wrapped once.
  Tensor work = in_kernel_dtype(tmp);
  backend_for(t.device()).index_add(work, ix, in_kernel_dtype(s1), d, alpha);
  if (work.storage() != dst.storage()) backend_for(t.device()).copy(dst, work);
  t.storage()->bump_version();
  if (node) set_history(t, node);
}

}  // namespace lt
