// Shape and view ops. Views share storage (make_view); their grads reshape, permute, or scatter the
// incoming grad back into the input's shape.
#include <algorithm>
#include <cstring>
#include <functional>

#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "core/scalar_ops.h"
#include "ops/ops.h"

namespace lt {

namespace {

// A grad node whose formula needs no saved tensors (shape ops): a named closure.
class ShapeBackward final : public Node {
 public:
  using Fn = std::function<TensorList(const Tensor&)>;
  ShapeBackward(const char* name, Fn fn) : name_(name), fn_(std::move(fn)) {}
  const char* name() const override { return name_; }
  TensorList apply(TensorList&& grads) override { return fn_(grads[0]); }

 private:
  const char* name_;
  Fn fn_;
};

// Records a view (or copy when `is_view` is false) of `in` as `out` with backward `fn`.
void record_shape(const Tensor& out, const Tensor& in, const char* name, ShapeBackward::Fn fn, bool is_view = true) {
  if (!any_requires_grad({&in})) return;
  auto node = std::make_shared<ShapeBackward>(name, std::move(fn));
  collect_inputs(*node, {&in});
  if (is_view) set_view_history(out, node);
  else set_history(out, node);
}

// PyTorch's computeStride: strides for viewing (shape, strides) as new_shape, or false when the
// existing layout cannot express it without a copy.
bool view_strides(const DimVector& shape, const DimVector& strides, const DimVector& new_shape, DimVector* out) {
  *out = DimVector(new_shape.size());
  int64_t numel = 1;
  for (int64_t s : shape) numel *= s;
  if (numel == 0 || shape.empty()) {
    *out = contiguous_strides(new_shape);
    return true;
  }
  int32_t view_d = new_shape.size() - 1;
  int64_t chunk_base_stride = strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int32_t d = shape.size() - 1; d >= 0; --d) {
    tensor_numel *= shape[d];
    if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || new_shape[view_d] == 1)) {
        (*out)[view_d] = view_numel * chunk_base_stride;
        view_numel *= new_shape[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return false;
      if (d > 0) {
        chunk_base_stride = strides[d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  return view_d == -1;
}

DimVector infer_shape(const DimVector& shape, int64_t numel) {
  DimVector r = shape;
  int32_t infer = -1;
  int64_t known = 1;
  for (int32_t i = 0; i < r.size(); ++i) {
    if (r[i] == -1) {
      LT_CHECK(infer < 0, Status::Shape, "only one dimension can be inferred in shape " << shape_str(shape));
      infer = i;
    } else {
      LT_CHECK(r[i] >= 0, Status::InvalidArgument, "invalid size " << r[i] << " in shape " << shape_str(shape));
      LT_CHECK(!__builtin_mul_overflow(known, r[i], &known), Status::Shape,
               "shape " << shape_str(shape) << " is invalid for input of size " << numel);
    }
  }
  if (infer >= 0) {
    LT_CHECK(known != 0 && numel % known == 0, Status::Shape,
             "shape " << shape_str(shape) << " is invalid for input of size " << numel);
    r[infer] = numel / known;
  } else {
    LT_CHECK(known == numel, Status::Shape, "shape " << shape_str(shape) << " is invalid for input of size " << numel);
  }
  // A size 0 hides the others from the product above ([0, 2^62, 4] has 0 elements), but the extent must
  // still fit int64 (Note [extent] in shape.cpp), and the rank must be within kMaxNdim.
  checked_numel(r);
  return r;
}

Tensor reshape_grad(const Tensor& g, const DimVector& shape) { return reshape(g, shape); }

}  // namespace

Tensor view(const Tensor& t, const DimVector& shape) {
  DimVector s = infer_shape(shape, t.numel()), strides;
  LT_CHECK(view_strides(t.shape(), t.strides(), s, &strides), Status::Shape,
           "view size " << shape_str(s) << " is not compatible with input size " << shape_str(t.shape())
                        << " and strides " << shape_str(t.strides()) << "; use reshape");
  Tensor out = make_view(t, s, strides, t->offset);
  DimVector in_shape = t.shape();
  record_shape(out, t, "ViewBackward0", [in_shape](const Tensor& g) { return TensorList{reshape_grad(g, in_shape)}; });
  return out;
}

Tensor reshape(const Tensor& t, const DimVector& shape) {
  DimVector s = infer_shape(shape, t.numel()), strides;
  if (view_strides(t.shape(), t.strides(), s, &strides)) return view(t, s);
  Tensor c;
  {
    NoGradGuard no_grad;
    c = contiguous(t);
  }
  Tensor out = make_view(c, s, contiguous_strides(s), c->offset);
  DimVector in_shape = t.shape();
  record_shape(out, t, "UnsafeViewBackward0", [in_shape](const Tensor& g) { return TensorList{reshape_grad(g, in_shape)}; },
               false);
  return out;
}

Tensor permute(const Tensor& t, const std::vector<int32_t>& dims) {
  const int32_t nd = t.ndim();
  LT_CHECK(static_cast<int32_t>(dims.size()) == nd, Status::Shape,
           "permute: number of dims (" << dims.size() << ") doesn't match the tensor's " << nd);
  DimVector shape(nd), strides(nd);
  std::vector<int32_t> inverse(static_cast<size_t>(nd), -1);
  for (int32_t i = 0; i < nd; ++i) {
    int32_t d = normalize_dim(dims[static_cast<size_t>(i)], nd);
    LT_CHECK(inverse[static_cast<size_t>(d)] < 0, Status::InvalidArgument, "permute: repeated dim " << dims[static_cast<size_t>(i)]);
    inverse[static_cast<size_t>(d)] = i;
    shape[i] = t.size(d);
    strides[i] = t.stride(d);
  }
  Tensor out = make_view(t, shape, strides, t->offset);
  record_shape(out, t, "PermuteBackward0", [inverse](const Tensor& g) { return TensorList{permute(g, inverse)}; });
  return out;
}

Tensor transpose(const Tensor& t, int32_t d0, int32_t d1) {
  const int32_t nd = t.ndim();
  int32_t a = normalize_dim(d0, nd), b = normalize_dim(d1, nd);
  DimVector shape = t.shape(), strides = t.strides();
  if (nd > 0) {
    std::swap(shape[a], shape[b]);
    std::swap(strides[a], strides[b]);
  }
  Tensor out = make_view(t, shape, strides, t->offset);
  record_shape(out, t, "TransposeBackward0", [a, b](const Tensor& g) { return TensorList{transpose(g, a, b)}; });
  return out;
}

Tensor expand(const Tensor& t, const DimVector& shape) {
  const int32_t nd = shape.size(), tn = t.ndim();
  LT_CHECK(nd >= tn, Status::Shape,
           "expand: the number of sizes provided (" << nd << ") must be greater or equal to the number of "
                                                    << "dimensions in the tensor (" << tn << ")");
  DimVector out_shape(nd), strides(nd);
  for (int32_t i = nd - 1; i >= 0; --i) {
    int32_t j = tn - nd + i;
    int64_t want = shape[i];
    if (j < 0) {
      LT_CHECK(want >= 0, Status::Shape, "expand: the expanded size " << want << " is not allowed in a leading, non-existing dimension " << i);
      out_shape[i] = want;
      strides[i] = 0;
      continue;
    }
    int64_t have = t.size(j);
    if (want == -1) want = have;
    LT_CHECK(want >= 0, Status::Shape, "expand: invalid size " << want);
    LT_CHECK(have == want || have == 1, Status::Shape,
             "the expanded size of the tensor (" << want << ") must match the existing size (" << have
                                                 << ") at non-singleton dimension " << i << ".  Target sizes: "
                                                 << shape_str(shape) << ".  Tensor sizes: " << shape_str(t.shape()));
    out_shape[i] = want;
    strides[i] = have == want ? t.stride(j) : 0;
  }
  checked_numel(out_shape);
  Tensor out = make_view(t, out_shape, strides, t->offset);
  DimVector in_shape = t.shape();
  record_shape(out, t, "ExpandBackward0", [in_shape](const Tensor& g) { return TensorList{sum_to(g, in_shape)}; });
  return out;
}

Tensor squeeze(const Tensor& t, int32_t dim) {
  int32_t d = normalize_dim(dim, t.ndim());
  if (t.ndim() == 0 || t.size(d) != 1) return view(t, t.shape());
  DimVector shape = t.shape(), strides = t.strides();
  shape.erase(d);
  strides.erase(d);
  Tensor out = make_view(t, shape, strides, t->offset);
  DimVector in_shape = t.shape();
  record_shape(out, t, "SqueezeBackward1", [in_shape](const Tensor& g) { return TensorList{reshape_grad(g, in_shape)}; });
  return out;
}

Tensor squeeze_all(const Tensor& t) {
  DimVector shape, strides;
  for (int32_t i = 0; i < t.ndim(); ++i) {
    if (t.size(i) == 1) continue;
    shape.push_back(t.size(i));
    strides.push_back(t.stride(i));
  }
  Tensor out = make_view(t, shape, strides, t->offset);
  DimVector in_shape = t.shape();
  record_shape(out, t, "SqueezeBackward0", [in_shape](const Tensor& g) { return TensorList{reshape_grad(g, in_shape)}; });
  return out;
}

Tensor unsqueeze(const Tensor& t, int32_t dim) {
  int32_t d = normalize_dim(dim, t.ndim() + 1);
  DimVector shape = t.shape(), strides = t.strides();
  int64_t stride = d < t.ndim() ? t.stride(d) * t.size(d) : 1;
  shape.insert(d, 1);
  strides.insert(d, stride);
  Tensor out = make_view(t, shape, strides, t->offset);
  DimVector in_shape = t.shape();
  record_shape(out, t, "UnsqueezeBackward0", [in_shape](const Tensor& g) { return TensorList{reshape_grad(g, in_shape)}; });
  return out;
}

Tensor slice(const Tensor& t, int32_t dim, int64_t start, int64_t end, int64_t step) {
  LT_CHECK(t.ndim() > 0, Status::Index, "slice() cannot be applied to a 0-dim tensor");
  int32_t d = normalize_dim(dim, t.ndim());
  LT_CHECK(step > 0, Status::InvalidArgument, "slice step must be positive, got " << step);
  const int64_t n = t.size(d);
  if (start < 0) start += n;
  if (end < 0) end += n;
  start = std::clamp<int64_t>(start, 0, n);
  end = std::clamp<int64_t>(end, start, n);
  // No overflow for any step (fuzzer finding: step near INT64_MAX overflowed the rounding-up sum).
  int64_t len = end > start ? 1 + (end - start - 1) / step : 0;
  DimVector shape = t.shape(), strides = t.strides();
  shape[d] = len;
  // stride * step fits int64 whenever len >= 2 (step < size, and stride * size is bounded by the
  // extent); beyond that the product may overflow, and any stride serves a dim of size <= 1.
  if (__builtin_mul_overflow(t.stride(d), step, &strides[d])) strides[d] = t.stride(d);
  Tensor out = make_view(t, shape, strides, t->offset + start * t.stride(d));
  DimVector in_shape = t.shape();
  record_shape(out, t, "SliceBackward0", [in_shape, d, start, end, step](const Tensor& g) {
    Tensor z = make_empty(in_shape, g.dtype(), g.device());
    fill_(z, 0.0);
    copy_(slice(z, d, start, end, step), g);
    return TensorList{z};
  });
  return out;
}

Tensor select(const Tensor& t, int32_t dim, int64_t index) {
  LT_CHECK(t.ndim() > 0, Status::Index, "select() cannot be applied to a 0-dim tensor");
  int32_t d = normalize_dim(dim, t.ndim());
  const int64_t n = t.size(d);
  LT_CHECK(index >= -n && index < n, Status::Index,
           "index " << index << " is out of bounds for dimension " << d << " with size " << n);
  if (index < 0) index += n;
  DimVector shape = t.shape(), strides = t.strides();
  shape.erase(d);
  strides.erase(d);
  Tensor out = make_view(t, shape, strides, t->offset + index * t.stride(d));
  DimVector in_shape = t.shape();
  record_shape(out, t, "SelectBackward0", [in_shape, d, index](const Tensor& g) {
    Tensor z = make_empty(in_shape, g.dtype(), g.device());
    fill_(z, 0.0);
    copy_(select(z, d, index), g);
    return TensorList{z};
  });
  return out;
}

Tensor clone(const Tensor& t) {
  Tensor out = make_empty(t.shape(), t.dtype(), t.device());
  backend_for(t.device()).copy(out, t);
  record_shape(out, t, "CloneBackward0", [](const Tensor& g) { return TensorList{g}; }, false);
  return out;
}

Tensor contiguous(const Tensor& t) { return t.is_contiguous() ? t : clone(t); }

Tensor detach(const Tensor& t) { return make_view(t, t.shape(), t.strides(), t->offset); }

Tensor to_dtype(const Tensor& t, DType dtype) {
  if (t.dtype() == dtype) return t;
  Tensor out = make_empty(t.shape(), dtype, t.device());
  backend_for(t.device()).copy(out, t);
  if (is_floating(dtype) && is_floating(t.dtype()))  // the engine casts the grad back to t's dtype
    record_shape(out, t, "ToCopyBackward0", [](const Tensor& g) { return TensorList{g}; }, false);
  return out;
}

// PyTorch's legacy rule: a 1-d tensor of size 0 is skipped by cat whatever the other operands' shapes
// (cat([zeros(0), ones(2, 2)]) is (2, 2)); it still takes part in dtype promotion and the device check.
static bool cat_skips(const Tensor& t) { return t.ndim() == 1 && t.size(0) == 0; }

Tensor cat(const std::vector<Tensor>& ts, int32_t dim) {
  LT_CHECK(!ts.empty(), Status::InvalidArgument, "expected a non-empty list of tensors");
  // The shape comes from the first operand that is not skipped (all skipped: the result is that 1-d
  // empty tensor's shape, as in PyTorch).
  size_t ref = 0;
  while (ref + 1 < ts.size() && cat_skips(ts[ref])) ++ref;
  const Tensor& first = ts[ref];
  for (size_t i = 0; i < ts.size(); ++i)
    LT_CHECK(ts[i].ndim() > 0, Status::Shape,
             "zero-dimensional tensor (at position " << i << ") cannot be concatenated");
  int32_t d = normalize_dim(dim, first.ndim());
  DType dt = first.dtype();
  DimVector shape = first.shape();
  shape[d] = 0;
  for (size_t i = 0; i < ts.size(); ++i) {
    const Tensor& t = ts[i];
    check_same_device(first, t);
    dt = promote_types(dt, t.dtype());
    if (i != ref && cat_skips(t)) continue;
    LT_CHECK(t.ndim() == first.ndim(), Status::Shape,
             "tensors must have the same number of dimensions: got " << first.ndim() << " and " << t.ndim()
                                                                      << " (at position " << i << ")");
    for (int32_t k = 0; k < t.ndim(); ++k)
      LT_CHECK(k == d || t.size(k) == first.size(k), Status::Shape,
               "sizes of tensors must match except in dimension " << d << ": expected size " << first.size(k)
                                                                  << " but got size " << t.size(k) << " for tensor number "
                                                                  << i << " in the list");
    // Expanded operands are cheap to make arbitrarily large, so the sum may overflow int64.
    LT_CHECK(!__builtin_add_overflow(shape[d], t.size(d), &shape[d]), Status::Shape,
             "the concatenated size along dimension " << d << " does not fit in int64 (tensor number " << i
                                                       << " has size " << t.size(d) << ")");
  }
  Tensor out = make_empty(shape, dt, first.device());
  Backend& be = backend_for(first.device());
  int64_t off = 0;
  std::vector<int64_t> sizes;
  for (size_t i = 0; i < ts.size(); ++i) {
    const Tensor& t = ts[i];
    const bool skipped = i != ref && cat_skips(t);
    const int64_t n = skipped ? 0 : t.size(d);
    if (n > 0) {
      DimVector vs = out.shape();
      vs[d] = n;
      be.copy(make_view(out, vs, out.strides(), off * out.stride(d)), t);
    }
    off += n;
    sizes.push_back(skipped ? -1 : n);  // -1: no grad slice (an undefined grad counts as zero)
  }
  bool record = false;
  for (const Tensor& t : ts) record = record || any_requires_grad({&t});
  if (record) {
    auto node = std::make_shared<ShapeBackward>("CatBackward0", [sizes, d](const Tensor& g) {
      TensorList r;
      int64_t o = 0;
      for (int64_t s : sizes) {
        if (s < 0) {
          r.emplace_back();
          continue;
        }
        r.push_back(slice(g, d, o, o + s, 1));
        o += s;
      }
      return r;
    });
    collect_inputs(*node, ts);
    set_history(out, node);
  }
  return out;
}

Tensor stack(const std::vector<Tensor>& ts, int32_t dim) {
  LT_CHECK(!ts.empty(), Status::InvalidArgument, "expected a non-empty list of tensors");
  int32_t d = normalize_dim(dim, ts[0].ndim() + 1);
  for (size_t i = 1; i < ts.size(); ++i)
    LT_CHECK(ts[i].shape() == ts[0].shape(), Status::Shape,
             "stack expects each tensor to be equal size, but got " << shape_str(ts[0].shape()) << " at entry 0 and "
                                                                    << shape_str(ts[i].shape()) << " at entry " << i);
  std::vector<Tensor> parts;
  parts.reserve(ts.size());
  for (const Tensor& t : ts) parts.push_back(unsqueeze(t, d));
  return cat(parts, d);
}

Tensor sum_to(const Tensor& grad, const DimVector& shape) {
  if (grad.shape() == shape) return grad;
  const int32_t lead = grad.ndim() - shape.size();
  std::vector<int32_t> dims;
  for (int32_t i = 0; i < grad.ndim(); ++i)
    if (i < lead || (shape[i - lead] == 1 && grad.size(i) != 1)) dims.push_back(i);
  Tensor r = dims.empty() ? grad : sum(grad, dims, true);
  return reshape(r, shape);
}

void copy_to_host(const Tensor& t, void* dst, size_t nbytes) {
  size_t need = static_cast<size_t>(t.numel()) * itemsize(t.dtype());
  LT_CHECK(nbytes >= need, Status::InvalidArgument,
           "destination holds " << nbytes << " bytes but the tensor of shape " << shape_str(t.shape()) << " ("
                                << dtype_name(t.dtype()) << ") needs " << need);
  LT_CHECK(dst != nullptr || need == 0, Status::InvalidArgument, "destination is NULL");
  if (need == 0) return;
  Tensor src = t.device().is_cpu() ? t : to_device(t, cpu_device());
  if (src.is_contiguous()) {
    std::memcpy(dst, src.data(), need);
    return;
  }
  if (reinterpret_cast<uintptr_t>(dst) % itemsize(t.dtype()) != 0) {
    // The copy kernels store whole elements, which needs an aligned address (a C caller may pass any
    // byte buffer): gather into the library's own memory first.
    std::memcpy(dst, contiguous(src).data(), need);
    return;
  }
  Tensor out = make_from_storage(Storage::wrap_external(dst, need, cpu_device(), nullptr, nullptr, false), t.dtype(),
                                 t.shape(), contiguous_strides(t.shape()), 0);
  cpu_backend().copy(out, src);
}

void check_bool_bytes(const Tensor& t) {
  if (t.dtype() != DType::Bool || t.numel() == 0) return;
  // Read as bytes, never as bool: loading a bool object that holds 2 is undefined behaviour.
  const Tensor h = t.device().is_cpu() ? t : to_device(t, cpu_device());
  const auto* base = reinterpret_cast<const unsigned char*>(h.data());
  auto fail = [&](int64_t i, unsigned char byte) {
    throw_error(Status::InvalidArgument, "bool element " + std::to_string(i) + " (row-major) of shape " +
                                             shape_str(h.shape()) + " holds byte " + std::to_string(byte) +
                                             "; bool elements must be 0 or 1");
  };
  if (h.is_contiguous()) {
    unsigned char any = 0;  // branch-free scan; the position is looked up only on failure
    for (int64_t i = 0; i < h.numel(); ++i) any |= base[i];
    if (any <= 1) return;
    for (int64_t i = 0;; ++i)
      if (base[i] > 1) fail(i, base[i]);
  }
  const int32_t nd = h.ndim();
  DimVector index(nd);  // odometer over the elements, row-major (bounded by kMaxNdim)
  for (int64_t i = 0; i < h.numel(); ++i) {
    int64_t off = 0;
    for (int32_t d = 0; d < nd; ++d) off += index[d] * h.stride(d);
    if (base[off] > 1) fail(i, base[off]);
    for (int32_t d = nd - 1; d >= 0 && ++index[d] == h.size(d); --d) index[d] = 0;
  }
}

double item(const Tensor& t) {
  LT_CHECK(t.numel() == 1, Status::InvalidArgument,
           "a tensor with " << t.numel() << " elements cannot be converted to a scalar");
  alignas(8) unsigned char buf[8];
  copy_to_host(t, buf, sizeof(buf));
  double v = 0;
  LT_DISPATCH_STORAGE(t.dtype(), "item", {
    scalar_t x;
    std::memcpy(&x, buf, sizeof(x));
    v = cast_value<double, scalar_t>(x);
  });
  return v;
}

}  // namespace lt
