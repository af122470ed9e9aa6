// lt::matmul: numpy.matmul's shape rules, PyTorch's dtype rules, one backend call, one grad node.
//
// Note [matmul shapes]: a 1-D operand is a vector: a of shape (k,) acts as (1, k), b of shape (k,) as
// (k, 1), and that added dim is dropped from the result (so vector . vector is 0-d). Dims before the last
// two are batch dims, broadcast as NumPy does. The backend receives a[..., m, k] and b[..., k, n] with
// the broadcast batch dims (stride 0 where an operand is repeated) and writes a contiguous out[..., m, n]
// that is the result's own memory, viewed with the vector dims put back. Operands are never copied here:
// strides go to the backend as they are (the CPU backend turns them into BLAS transpose flags).
//
// Dtypes: the backend multiplies float32, float64, int32, int64 and the halves (float16 and bfloat16:
// float32 accumulation, rounded once, Note [half matmul] in cpu/matmul.cpp). uint8, int8 and int16 run in
// int32 and wrap once (Note [kernel dtype]): sums and products commute with the wrap-around, so this is
// PyTorch's result, which accumulates in the small type itself.
#include <algorithm>

#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "ops/kernel_dtype.h"
#include "ops/linalg_grad.h"
#include "ops/ops.h"

namespace lt {

namespace {

DimVector batch_shape(const Tensor& t) {
  DimVector s;
  for (int32_t i = 0; i + 2 < t.ndim(); ++i) s.push_back(t.size(i));
  return s;
}

// NumPy broadcast of the batch dims, with an error that names both operands' full shapes.
DimVector broadcast_batch(const Tensor& a, const Tensor& b) {
  const DimVector ba = batch_shape(a), bb = batch_shape(b);
  const int32_t n = std::max(ba.size(), bb.size());
  DimVector out(n);
  for (int32_t i = 0; i < n; ++i) {
    const int32_t ia = i - (n - ba.size()), ib = i - (n - bb.size());
    const int64_t sa = ia >= 0 ? ba[ia] : 1, sb = ib >= 0 ? bb[ib] : 1;
    LT_CHECK(sa == sb || sa == 1 || sb == 1, Status::Shape,
             "shapes " << shape_str(a.shape()) << " and " << shape_str(b.shape())
                       << " cannot be multiplied: batch dimensions " << shape_str(ba) << " and " << shape_str(bb)
                       << " are not broadcastable (" << sa << " vs " << sb << ")");
    out[i] = sa == 1 ? sb : sa;
  }
  return out;
}

// t as [batch..., rows, cols] (Note [matmul shapes]): a vector becomes a row (a) or a column (b), and
// missing or size-1 batch dims get stride 0. No copy; t itself when nothing changes.
Tensor as_batched_matrix(const Tensor& t, const DimVector& batch, bool vector_is_row) {
  const int32_t nb = batch.size(), tb = std::max(t.ndim() - 2, 0);
  DimVector shape = batch, strides(nb);
  for (int32_t i = 0; i < nb; ++i) {
    const int32_t j = i - (nb - tb);
    strides[i] = j >= 0 && t.size(j) == batch[i] ? t.stride(j) : 0;
  }
  if (t.ndim() == 1) {
    const int64_t k = t.size(0), s = t.stride(0);
    shape.push_back(vector_is_row ? 1 : k);
    shape.push_back(vector_is_row ? k : 1);
    strides.push_back(vector_is_row ? k * s : s);  // the size-1 dim's stride is never used
    strides.push_back(vector_is_row ? s : 1);
  } else {
    const int32_t r = t.ndim() - 2, c = t.ndim() - 1;
    shape.push_back(t.size(r));
    shape.push_back(t.size(c));
    strides.push_back(t.stride(r));
    strides.push_back(t.stride(c));
  }
  if (shape == t.shape() && strides == t.strides()) return t;
  return make_view(t, shape, strides, t->offset);
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  check_same_device(a, b);
  LT_CHECK(a.ndim() >= 1 && b.ndim() >= 1, Status::Shape,
           "both arguments to matmul need to be at least 1-D, but got shapes " << shape_str(a.shape()) << " and "
                                                                               << shape_str(b.shape()));
  const DType dt = promote_types(a.dtype(), b.dtype());
  LT_CHECK(dt != DType::Bool, Status::DType,
           "matmul is not supported for bool tensors (shapes " << shape_str(a.shape()) << " and "
                                                               << shape_str(b.shape()) << ")");
  const int64_t m = a.ndim() >= 2 ? a.size(a.ndim() - 2) : 1, k = a.size(a.ndim() - 1);
  const int64_t kb = b.ndim() >= 2 ? b.size(b.ndim() - 2) : b.size(0), n = b.ndim() >= 2 ? b.size(b.ndim() - 1) : 1;
  LT_CHECK(k == kb, Status::Shape,
           "shapes " << shape_str(a.shape()) << " and " << shape_str(b.shape())
                     << " cannot be multiplied (contracted dimension: " << k << " vs " << kb << ")");
  const DimVector batch = broadcast_batch(a, b);

  DimVector full = batch, result_shape = batch;
  full.push_back(m);
  full.push_back(n);
  if (a.ndim() >= 2) result_shape.push_back(m);
  if (b.ndim() >= 2) result_shape.push_back(n);
  checked_numel(full);
  Tensor result = make_empty(result_shape, dt, a.device());
  {
    NoGradGuard no_grad;  // the casts below are not in the graph: the matmul node differentiates a and b
    const Tensor ac = a.dtype() == dt ? a : to_dtype(a, dt);
    const Tensor bc = b.dtype() == dt ? b : to_dtype(b, dt);
    // Small integers compute in int32 (see the top of the file); the other dtypes go to the backend as they are.
    const DType kdt = is_integral(dt) ? kernel_dtype(dt) : dt;
    const Tensor kres = kdt == dt ? result : make_empty(result_shape, kdt, a.device());
    const Tensor out = result_shape == full ? kres : make_view(kres, full, contiguous_strides(full), kres->offset);
    backend_for(a.device())
        .matmul(out, as_batched_matrix(convert(ac, kdt), batch, true),
                as_batched_matrix(convert(bc, kdt), batch, false));
    if (kdt != dt) backend_for(a.device()).copy(result, kres);
  }
  if (any_requires_grad({&a, &b})) record_matmul_grad(result, a, b);
  return result;
}

}  // namespace lt
