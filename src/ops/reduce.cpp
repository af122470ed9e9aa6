// Reductions: dims normalisation, PyTorch's dtype rules and empty-input rules, output allocation in the
// keepdim layout, one backend call, the squeeze for keepdim=false, and the grad node.
#include <algorithm>
#include <string>
#include <utility>

#include "autograd/node.h"
#include "ops/kernel_dtype.h"
#include "ops/ops.h"
#include "ops/reduce_grad.h"

namespace lt {

namespace {

const char* dtype_label(DType t) { return dtype_name(t); }

// Normalised, sorted dims to reduce: `dims` empty means all. A 0-d tensor accepts dim 0 / -1 and has
// nothing to reduce over. A dim listed twice is an error (as PyTorch).
DimVector reduce_dims(const Tensor& t, const std::vector<int32_t>& dims, const char* op) {
  const int32_t nd = t.ndim();
  DimVector rd;
  if (dims.empty()) {
    for (int32_t d = 0; d < nd; ++d) rd.push_back(d);
    return rd;
  }
  const int32_t n = nd > 0 ? nd : 1;
  for (int32_t d : dims) {
    LT_CHECK(d >= -n && d < n, Status::Index,
             op << ": dimension " << d << " out of range (expected to be in [" << -n << ", " << n - 1
                << "]) for a tensor of shape " << shape_str(t.shape()));
    const int32_t nd_d = d < 0 ? d + n : d;
    LT_CHECK(std::find(rd.begin(), rd.end(), nd_d) == rd.end(), Status::InvalidArgument,
             op << ": dim " << nd_d << " appears multiple times in the list of dims");
    rd.push_back(nd_d);
  }
  if (nd == 0) return DimVector();
  std::sort(rd.begin(), rd.end());
  return rd;
}

DimVector keepdim_shape(const Tensor& t, const DimVector& rd) {
  DimVector shape = t.shape();
  for (int64_t d : rd) shape[static_cast<int32_t>(d)] = 1;
  return shape;
}

// Drops the reduced dims of a freshly made keepdim result. The result has not been handed out yet (its
// only reference is ours), so its geometry is rewritten in place rather than wrapped in a view: one
// tensor allocation less on the tiny-op path.
Tensor drop_dims(Tensor out, const DimVector& rd, bool keepdim) {
  if (keepdim || rd.empty()) return out;
  DimVector shape, strides;
  for (int32_t d = 0, r = 0; d < out.ndim(); ++d) {
    if (r < rd.size() && rd[r] == d) {
      ++r;
      continue;
    }
    shape.push_back(out.size(d));
    strides.push_back(out.stride(d));
  }
  if (out->refs.load() == 1 && out->autograd == nullptr) {
    out->shape = shape;
    out->strides = strides;
    out->contiguous = is_contiguous_layout(shape, strides);
    return out;
  }
  return make_view(out, shape, strides, out->offset);
}

int64_t reduced_count(const Tensor& t, const DimVector& rd) {
  int64_t n = 1;
  for (int64_t d : rd) n *= t.size(static_cast<int32_t>(d));
  return n;
}

void check_floating(const Tensor& t, const char* op) {
  LT_CHECK(is_floating(t.dtype()), Status::DType,
           op << ": input dtype must be floating point, got " << dtype_label(t.dtype()) << " (shape "
              << shape_str(t.shape()) << "); convert it with to_dtype first");
}

// The common path of the dims reductions: allocate, run, squeeze.
Tensor reduce_into(ReduceOp op, const Tensor& t, const DimVector& rd, DType out_dtype, int64_t correction,
                   bool keepdim) {
  // Storage dtypes reduce in their kernel dtype (Note [kernel dtype]): sum of float16 accumulates in
  // float32 and rounds once, as PyTorch's.
  // The CPU sums float16/bfloat16 directly, widening chunk by chunk (cpu/reduce_half.h).
  const bool half_sum = (op == ReduceOp::Sum || op == ReduceOp::Mean) && t.dtype() == out_dtype &&
                        elementwise_kernel_dtype(t.dtype(), t.device()) == t.dtype();
  Tensor out = make_empty(keepdim_shape(t, rd), half_sum ? out_dtype : kernel_dtype(out_dtype), t.device());
  backend_for(t.device()).reduce(op, out, half_sum ? t : in_kernel_dtype(t), rd, correction);
  return drop_dims(to_result_dtype(out, out_dtype), rd, keepdim);
}

DType widened(DType t) { return is_floating(t) ? t : DType::Int64; }

// max/min over all elements.
Tensor extreme_all(const Tensor& t, ReduceOp op, const char* name) {
  LT_CHECK(t.numel() > 0, Status::InvalidArgument,
           name << ": cannot reduce an empty tensor of shape " << shape_str(t.shape())
                << " over all elements (there is no identity); give a dim with " << name << "_dim");
  DimVector rd;
  for (int32_t d = 0; d < t.ndim(); ++d) rd.push_back(d);
  Tensor out = reduce_into(op, t, rd, t.dtype(), 0, false);
  if (any_requires_grad({&t})) record_extreme_all_grad(op == ReduceOp::Max, out, t);
  return out;
}

// max/min/argmax/argmin along one dim: {values (undefined unless wanted), indices}.
std::pair<Tensor, Tensor> extreme_dim(const Tensor& t, int32_t dim, bool keepdim, bool is_max, bool want_values,
                                      const char* name) {
  DimVector rd = reduce_dims(t, {dim}, name);
  const int32_t d = t.ndim() == 0 ? 0 : static_cast<int32_t>(rd[0]);
  if (t.ndim() > 0) {
    LT_CHECK(t.size(d) > 0, Status::Index,
             name << ": expected reduction dim " << d << " to have non-zero size (input shape "
                  << shape_str(t.shape()) << ")");
  }
  DimVector shape = keepdim_shape(t, rd);
  Tensor values = want_values ? make_empty(shape, kernel_dtype(t.dtype()), t.device()) : Tensor();
  Tensor indices = make_empty(shape, DType::Int64, t.device());
  ReduceOp op = is_max ? (want_values ? ReduceOp::Max : ReduceOp::ArgMax) : (want_values ? ReduceOp::Min : ReduceOp::ArgMin);
  backend_for(t.device()).arg_reduce(op, values, indices, in_kernel_dtype(t), d);
  if (want_values) values = drop_dims(to_result_dtype(values, t.dtype()), rd, keepdim);
  indices = drop_dims(std::move(indices), rd, keepdim);
  return {values, indices};
}

}  // namespace

Tensor sum(const Tensor& t, const std::vector<int32_t>& dims, bool keepdim) {
  DimVector rd = reduce_dims(t, dims, "sum");
  Tensor out = reduce_into(ReduceOp::Sum, t, rd, widened(t.dtype()), 0, keepdim);
  if (any_requires_grad({&t})) record_sum_grad(out, t, rd, keepdim, dims.empty());
  return out;
}

Tensor mean(const Tensor& t, const std::vector<int32_t>& dims, bool keepdim) {
  check_floating(t, "mean");
  DimVector rd = reduce_dims(t, dims, "mean");
  Tensor out = reduce_into(ReduceOp::Mean, t, rd, t.dtype(), 0, keepdim);
  if (any_requires_grad({&t})) record_mean_grad(out, t, rd, keepdim, dims.empty(), reduced_count(t, rd));
  return out;
}

Tensor prod(const Tensor& t, const std::vector<int32_t>& dims, bool keepdim) {
  DimVector rd = reduce_dims(t, dims, "prod");
  Tensor out = reduce_into(ReduceOp::Prod, t, rd, widened(t.dtype()), 0, keepdim);
  if (any_requires_grad({&t})) record_prod_grad(out, t, rd, keepdim, dims.empty());
  return out;
}

Tensor var(const Tensor& t, const std::vector<int32_t>& dims, int64_t correction, bool keepdim) {
  check_floating(t, "var");
  DimVector rd = reduce_dims(t, dims, "var");
  Tensor out = reduce_into(ReduceOp::Var, t, rd, t.dtype(), correction, keepdim);
  if (any_requires_grad({&t})) record_var_grad(out, t, rd, keepdim, correction, false, dims.empty());
  return out;
}

Tensor std_dev(const Tensor& t, const std::vector<int32_t>& dims, int64_t correction, bool keepdim) {
  check_floating(t, "std");
  DimVector rd = reduce_dims(t, dims, "std");
  Tensor out = reduce_into(ReduceOp::Std, t, rd, t.dtype(), correction, keepdim);
  if (any_requires_grad({&t})) record_var_grad(out, t, rd, keepdim, correction, true, dims.empty());
  return out;
}

Tensor max_all(const Tensor& t) { return extreme_all(t, ReduceOp::Max, "max"); }
Tensor min_all(const Tensor& t) { return extreme_all(t, ReduceOp::Min, "min"); }

std::pair<Tensor, Tensor> max_dim(const Tensor& t, int32_t dim, bool keepdim) {
  auto r = extreme_dim(t, dim, keepdim, true, true, "max");
  if (any_requires_grad({&t})) record_extreme_dim_grad(true, r.first, r.second, t, dim, keepdim);
  return r;
}

std::pair<Tensor, Tensor> min_dim(const Tensor& t, int32_t dim, bool keepdim) {
  auto r = extreme_dim(t, dim, keepdim, false, true, "min");
  if (any_requires_grad({&t})) record_extreme_dim_grad(false, r.first, r.second, t, dim, keepdim);
  return r;
}

Tensor argmax(const Tensor& t, int32_t dim, bool keepdim) {
  return extreme_dim(t, dim, keepdim, true, false, "argmax").second;
}

Tensor argmin(const Tensor& t, int32_t dim, bool keepdim) {
  return extreme_dim(t, dim, keepdim, false, false, "argmin").second;
}

Tensor all(const Tensor& t, const std::vector<int32_t>& dims, bool keepdim) {
  DimVector rd = reduce_dims(t, dims, "all");
  return reduce_into(ReduceOp::All, t, rd, DType::Bool, 0, keepdim);
}

Tensor any(const Tensor& t, const std::vector<int32_t>& dims, bool keepdim) {
  DimVector rd = reduce_dims(t, dims, "any");
  return reduce_into(ReduceOp::Any, t, rd, DType::Bool, 0, keepdim);
}

}  // namespace lt
