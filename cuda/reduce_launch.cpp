#include "cuda/reduce_launch.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

ReduceTuning g_tuning;

struct GroupDim {
  int64_t size, in_stride, out_stride;
};

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t pow2_ceil(int64_t n) {
  int64_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

// Sorts by input stride (innermost first) and merges dims that are contiguous for every stride.
void coalesce(std::vector<GroupDim>& g) {
  std::stable_sort(g.begin(), g.end(), [](const GroupDim& a, const GroupDim& b) { return a.in_stride < b.in_stride; });
  size_t w = 0;
  for (size_t d = 1; d < g.size(); ++d) {
    if (g[d].in_stride == g[w].in_stride * g[w].size && g[d].out_stride == g[w].out_stride * g[w].size) {
      g[w].size *= g[d].size;
    } else {
      g[++w] = g[d];
    }
  }
  if (!g.empty()) g.resize(w + 1);
}

bool is_reduced(const DimVector& dims, int32_t d) {
  for (int64_t r : dims)
    if (r == d) return true;
  return false;
}

}  // namespace

void set_reduce_tuning(const ReduceTuning& t) { g_tuning = t; }

ReducePlan plan_reduce(const Tensor& in, const Tensor* out0, const Tensor* out1, const DimVector& dims, int max_vec) {
  const DeviceProps& dp = props(in.device().index);
  return plan_reduce_for(in, out0, out1, dims, max_vec, dp.sm_count, dp.max_threads_per_sm);
}

ReducePlan plan_reduce_for(const Tensor& in, const Tensor* out0, const Tensor* out1, const DimVector& dims, int max_vec,
                           int sm_count, int max_threads_per_sm) {
  // store_as (reduce.cuh) writes the five kernel dtypes; the ops layer reduces the storage dtypes in
  // their kernel dtype (Note [kernel dtype] in core/dtype.h), so another one here is a caller's bug.
  for (const Tensor* o : {out0, out1})
    LT_CHECK(!o || is_kernel_dtype(o->dtype()), Status::Internal,
             "reduction kernel: output dtype " << dtype_name(o->dtype()) << " is not a kernel dtype");
  ReducePlan p;
  std::memset(static_cast<void*>(&p.args), 0, sizeof(p.args));
  const Tensor* ref = out0 ? out0 : out1;
  std::vector<GroupDim> outs, reds;
  int64_t n_out = 1, n_red = 1;
  for (int32_t d = 0; d < in.ndim(); ++d) {
    const int64_t s = in.size(d);
    const bool r = is_reduced(dims, d);
    (r ? n_red : n_out) *= s;
    if (s == 1) continue;
    if (r) reds.push_back({s, in.stride(d), 0});
    else outs.push_back({s, in.stride(d), ref->stride(d)});
  }
  p.n_out = n_out;
  if (n_out == 0) return p;
  coalesce(outs);
  coalesce(reds);
  if (static_cast<int>(outs.size()) > kMaxDims || static_cast<int>(reds.size()) > kMaxDims) {
    p.too_many_dims = true;
    return p;
  }

  // Mapping and vector width (Note [reduction launch plan]).
  const bool red_x = outs.empty() || (!reds.empty() && reds[0].in_stride < outs[0].in_stride);
  const bool aligned = reinterpret_cast<uintptr_t>(in.data()) % 16 == 0;
  int W = 1;
  if (max_vec > 1 && aligned) {
    const std::vector<GroupDim>& lead = red_x ? reds : outs;
    bool ok = !lead.empty() && lead[0].in_stride == 1 && lead[0].size % max_vec == 0;
    for (size_t i = 0; i < outs.size() && ok; ++i)
      if (!(!red_x && i == 0)) ok = outs[i].in_stride % max_vec == 0;
    for (size_t i = 0; i < reds.size() && ok; ++i)
      if (!(red_x && i == 0)) ok = reds[i].in_stride % max_vec == 0;
    if (ok) W = max_vec;
  }

  ReduceArgs& a = p.args;
  for (size_t i = 0; i < outs.size(); ++i) {
    int64_t strides[2] = {outs[i].in_stride, outs[i].out_stride};
    int64_t size = outs[i].size;
    if (!red_x && W > 1 && i == 0) {
      size /= W;
      strides[0] *= W;
      strides[1] *= W;
    }
    a.out_calc.push_dim(size, strides);
  }
  for (size_t i = 0; i < reds.size(); ++i) {
    int64_t stride[1] = {reds[i].in_stride};
    int64_t size = reds[i].size;
    if (red_x && W > 1 && i == 0) {
      size /= W;
      stride[0] *= W;
    }
    a.red_calc.push_dim(size, stride);
  }
  a.in = in.data();
  a.out[0] = out0 ? out0->data() : nullptr;
  a.out[1] = out1 ? out1->data() : nullptr;
  a.out_dtype[0] = out0 ? static_cast<int32_t>(out0->dtype()) : 0;
  a.out_dtype[1] = out1 ? static_cast<int32_t>(out1->dtype()) : 0;
  a.out_inner_stride = outs.empty() ? 0 : outs[0].out_stride;
  a.n_out_v = red_x ? n_out : n_out / W;
  a.n_red = n_red;
  a.n_red_v = red_x ? n_red / W : n_red;
  a.out32 = a.n_out_v < (int64_t(1) << 31);
  a.red32 = a.n_red_v < (int64_t(1) << 31);

  // Block shape: whole warps (the combine uses shuffles), enough elements per thread to hide latency.
  const int64_t wave = int64_t(sm_count) * max_threads_per_sm;  // threads the GPU holds at once
  int64_t bx, by, gx;
  if (red_x) {
    bx = clamp64(pow2_ceil(ceil_div(a.n_red_v, 16)), 1, kReduceMaxThreads);
    // Many outputs: fewer threads per output, down to one warp, so that each thread walks a long
    // stretch and the combine at the end is paid less often (and needs no shared memory at 32).
    while (bx > 32 && n_out * (bx / 2) >= wave) bx /= 2;
    by = clamp64(pow2_ceil(n_out), 1, kReduceMaxThreads / bx);
    if (bx * by < 32) by = 32 / bx;
    gx = ceil_div(n_out, by);
  } else {
    // Up to kReduceOutXWidth threads x W outputs side by side (a row of a block reads that many 16-byte
    // vectors, contiguous).
    bx = clamp64(pow2_ceil(a.n_out_v), 1, g_tuning.outx_bx ? g_tuning.outx_bx : kReduceOutXWidth);
    by = clamp64(pow2_ceil(ceil_div(n_red, 16)), 1, kReduceOutXMaxThreads / bx);
    const int64_t by_cap = g_tuning.outx_by ? g_tuning.outx_by : kReduceOutXDepth;
    if (by_cap) by = std::min<int64_t>(by, by_cap);
    if (bx * by < 32) by = 32 / bx;
    gx = ceil_div(a.n_out_v, bx);
  }
  LT_CHECK(gx < (int64_t(1) << 31), Status::InvalidArgument, "reduction with " << n_out << " outputs is too large for one launch");
  // Split each output's elements over gridDim.y when the outputs alone leave the GPU idle: aim at
  // `waves` waves of resident blocks (at least the kernel's minimum blocks per multiprocessor), rounded
  // so that the last wave is not a sliver.
  const int64_t min_blocks =
      red_x ? kReduceMinBlocks : (g_tuning.outx_min_blocks ? g_tuning.outx_min_blocks : kReduceOutXMinBlocks);
  const int64_t max_threads = red_x ? kReduceMaxThreads : kReduceOutXMaxThreads;
  const int64_t resident = int64_t(sm_count) * std::max<int64_t>(1, min_blocks * max_threads / (bx * by));
  const int64_t waves = red_x ? 2 : (g_tuning.outx_waves ? g_tuning.outx_waves : kReduceOutXWaves);
  const int64_t target = waves * resident;
  int64_t gy = 1;
  if (gx < target) {
    const int64_t per_block = (red_x ? bx : by) * 16;
    gy = std::min<int64_t>({(target + gx / 2) / gx, ceil_div(a.n_red_v, per_block), 65535});
    if (gy < 1) gy = 1;
  }
  // out_x bands: each blockIdx.y takes a contiguous range of rows (a whole multiple of blockDim.y).
  const bool banded = !red_x && gy > 1 && (g_tuning.outx_band >= 0 ? g_tuning.outx_band == 1 : kReduceOutXBands);
  a.band = banded ? ceil_div(ceil_div(a.n_red_v, gy), by) * by : 0;
  if (banded) gy = ceil_div(a.n_red_v, a.band);
  p.red_x = red_x;
  p.vec = W;
  p.bx = static_cast<unsigned>(bx);
  p.by = static_cast<unsigned>(by);
  p.gx = static_cast<unsigned>(gx);
  p.gy = static_cast<unsigned>(gy);
  return p;
}

void canonicalize_reduction(Tensor* in, Tensor* out0, Tensor* out1, DimVector* dims) {
  const int32_t nd = in->ndim();
  std::vector<int32_t> order;
  for (int32_t d = 0; d < nd; ++d)
    if (!is_reduced(*dims, d)) order.push_back(d);
  const int32_t n_keep = static_cast<int32_t>(order.size());
  for (int32_t d = 0; d < nd; ++d)
    if (is_reduced(*dims, d)) order.push_back(d);
  auto permuted = [&](const Tensor& t) {
    DimVector shape, strides;
    for (int32_t d : order) {
      shape.push_back(t.size(d));
      strides.push_back(t.stride(d));
    }
    return make_view(t, shape, strides, t->offset);
  };
  Tensor view = permuted(*in);
  Tensor dense = make_empty(view.shape(), view.dtype(), view.device());
  copy(dense, view);
  *in = dense;
  if (out0 && out0->defined()) *out0 = permuted(*out0);
  if (out1 && out1->defined()) *out1 = permuted(*out1);
  DimVector nd_dims;
  for (int32_t d = n_keep; d < nd; ++d) nd_dims.push_back(d);
  *dims = nd_dims;
}

}  // namespace lt::cuda
