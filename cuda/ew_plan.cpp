#include "cuda/ew_plan.h"


#include "core/iterator.h"
#include "core/shape.h"

namespace lt::cuda {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

bool aligned(const void* p, int64_t bytes) { return reinterpret_cast<uintptr_t>(p) % static_cast<uintptr_t>(bytes) == 0; }

}  // namespace

namespace {

// Note [tiny-op path]: an op on contiguous operands (the common case, and all of a tiny op's host time
// that is ours) skips the iteration plan: one flat row, vectorised when sizes and addresses allow.
bool plan_flat(EwPlan& p, const Tensor* const* tensors, const int* slot_of, int nt, uint32_t const_mask,
               const uint64_t* constant, int vec, int32_t op) {
  for (int j = 0; j < nt; ++j)
    if (!tensors[j]->is_contiguous()) return false;
  const int64_t numel = tensors[0]->numel();
  if (numel == 0) return true;  // nothing to launch (blocks = 0)
  bool rows = vec > 0 && numel % vec == 0;
  for (int j = 0; j < nt && rows; ++j)
    rows = aligned(tensors[j]->data(), vec * static_cast<int64_t>(itemsize(tensors[j]->dtype())));
  if (rows) {
    EwRowsArgs& r = p.r;
    for (int k = 0; k < kEwMaxOperands; ++k) {
      r.data[k] = nullptr;
      r.row_stride[k] = 0;
      r.constant[k] = constant[k];
    }
    for (int j = 0; j < nt; ++j) r.data[slot_of[j]] = tensors[j]->data();
    r.const_mask = const_mask;
    r.bcast_mask = 0;
    r.rows = 1;
    r.vec_per_row = numel / vec;
    r.nvec = r.vec_per_row;
    r.use32 = r.nvec < (int64_t(1) << 31);
    r.op = op;
    p.rows = true;
    p.blocks = ceil_div(r.nvec, int64_t(kEwThreads) * kEwUnroll);
    return true;
  }
  EwNdArgs& a = p.nd;
  int64_t strides[kEwMaxOperands] = {0, 0, 0, 0};
  for (int k = 0; k < kEwMaxOperands; ++k) {
    a.data[k] = nullptr;
    a.constant[k] = constant[k];
  }
  for (int j = 0; j < nt; ++j) {
    a.data[slot_of[j]] = tensors[j]->data();
    strides[slot_of[j]] = static_cast<int64_t>(itemsize(tensors[j]->dtype()));
  }
  a.const_mask = const_mask;
  a.numel = numel;
  a.use32 = numel < (int64_t(1) << 31);
  a.op = op;
  a.calc.ndim = 0;
  a.calc.push_dim(numel, strides);
  p.rows = false;
  p.blocks = ceil_div(numel, int64_t(kEwThreads) * kEwUnroll);
  return true;
}

}  // namespace

EwPlan plan_elementwise(const Tensor& out, const EwInput* inputs, int nin, int vec, int32_t op) {
  EwPlan p;
  p.rows = false;
  p.blocks = 0;
  // The tensors among the operands, in slot order, for the iteration plan.
  const Tensor* tensors[kEwMaxOperands];
  int slot_of[kEwMaxOperands];
  int nt = 0;
  tensors[nt] = &out;
  slot_of[nt++] = 0;
  uint32_t const_mask = 0;
  uint64_t constant[kEwMaxOperands] = {0, 0, 0, 0};
  for (int k = 0; k < nin; ++k) {
    if (inputs[k].tensor) {
      tensors[nt] = inputs[k].tensor;
      slot_of[nt++] = k + 1;
    } else {
      const_mask |= 1u << (k + 1);
      constant[k + 1] = inputs[k].constant;
    }
  }
  if (plan_flat(p, tensors, slot_of, nt, const_mask, constant, vec, op)) return p;

  ElementwisePlan plan(tensors, nt);
  const int32_t nd = plan.ndim();
  const int64_t numel = plan.numel();
  if (numel == 0) return p;  // nothing to launch (blocks = 0)

  // Rows layout (Note [elementwise layouts]).
  bool rows = vec > 0 && nd >= 1 && nd <= 2 && plan.shape()[0] % vec == 0;
  for (int j = 0; j < nt && rows; ++j) {
    const int64_t isz = static_cast<int64_t>(itemsize(tensors[j]->dtype()));
    const int64_t inner = plan.stride(j, 0);
    const int64_t row = nd == 2 ? plan.stride(j, 1) : 0;
    if (inner == 0 && j > 0) continue;  // one value per row: a scalar load, no alignment needed
    rows = inner == isz && aligned(tensors[j]->data(), vec * isz) && row % (vec * isz) == 0;
  }
  if (rows) {
    EwRowsArgs& r = p.r;
    for (int k = 0; k < kEwMaxOperands; ++k) {
      r.data[k] = nullptr;
      r.row_stride[k] = 0;
      r.constant[k] = constant[k];
    }
    r.bcast_mask = 0;
    for (int j = 0; j < nt; ++j) {
      const int k = slot_of[j];
      r.data[k] = tensors[j]->data();
      r.row_stride[k] = nd == 2 ? plan.stride(j, 1) : 0;
      if (plan.stride(j, 0) == 0) r.bcast_mask |= 1u << k;
    }
    r.const_mask = const_mask;
    r.rows = nd == 2 ? plan.shape()[1] : 1;
    r.vec_per_row = plan.shape()[0] / vec;
    r.nvec = r.rows * r.vec_per_row;
    r.use32 = r.nvec < (int64_t(1) << 31);
    if (r.use32) r.vpr_div = FastDiv::make(static_cast<uint32_t>(r.vec_per_row));
    r.op = op;
    p.rows = true;
    p.blocks = ceil_div(r.nvec, int64_t(kEwThreads) * kEwUnroll);
    return p;
  }

  LT_CHECK(nd <= kMaxDims, Status::InvalidArgument,
           "CUDA kernels support at most " << kMaxDims << " dimensions after merging contiguous ones, but the operands of shape "
                                          << shape_str(out.shape()) << " need " << nd);
  EwNdArgs& a = p.nd;
  for (int k = 0; k < kEwMaxOperands; ++k) {
    a.data[k] = nullptr;
    a.constant[k] = constant[k];
  }
  for (int j = 0; j < nt; ++j) a.data[slot_of[j]] = tensors[j]->data();
  a.const_mask = const_mask;
  a.numel = numel;
  a.use32 = numel < (int64_t(1) << 31);
  a.op = op;
  a.calc.ndim = 0;
  for (int32_t d = 0; d < nd; ++d) {
    int64_t strides[kEwMaxOperands] = {0, 0, 0, 0};
    for (int j = 0; j < nt; ++j) strides[slot_of[j]] = plan.stride(j, d);
    a.calc.push_dim(plan.shape()[d], strides);
  }
  p.blocks = ceil_div(numel, int64_t(kEwThreads) * kEwUnroll);
  return p;
}

}  // namespace lt::cuda
