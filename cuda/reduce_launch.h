// Reduction launch plans (after PyTorch's Reduce.cuh and MLX's reduce planning).
//
// Note [reduction launch plan]: the input's dims split into output dims and reduced dims; each group is sorted
// by input stride (innermost first) and coalesced, so a reduction of any rank becomes "n_out outputs, each
// over n_red elements" with two offset calculators. Then one of two thread mappings:
//  - red_x ("inner"): the reduced group holds the input's innermost dim. blockDim.x threads share one
//    output and walk its elements (coalesced, 16-byte vectors when contiguous); blockDim.y outputs per
//    block. Row sums, max over dim -1, and whole-tensor reductions.
//  - out_x ("outer"): an output dim is innermost. Each thread owns W consecutive outputs (16-byte loads
//    across outputs) and walks the reduced elements; blockDim.y threads split that walk. Sums over dim 0.
// When the outputs alone cannot fill the GPU, gridDim.y blocks split each output's elements too, write
// partial states, and the last block to finish (a counter per blockIdx.x) combines them in the same
// launch: one pass over the data, one launch, no atomics on the values (deterministic).
#pragma once
#include <cstdint>

#include "core/op_kinds.h"
#include "core/tensor.h"
#include "cuda/device_math.h"

namespace lt::cuda {

// Threads per block and blocks that must fit on one multiprocessor (which caps registers: 64 for red_x,
// 85 for out_x, whose threads hold W accumulators and kReduceOutXUnroll rows of W loads), so that
// enough loads are in flight per multiprocessor to cover the memory latency under full load. The
// planner sizes grids for this residency. The out_x figures come from bench/gpu/tune_reduce.cu.
constexpr int kReduceMaxThreads = 512;
constexpr int kReduceMinBlocks = 2;
constexpr int kReduceUnroll = 4;  // red_x: vectors (or elements) in flight per thread
// The out_x (column) kernel: block size and residency, rows of W elements each thread has in flight,
// whether it loads the next rows before it combines the current ones (twice the registers), the
// widest block row (threads side by side), the most threads splitting a block's rows (0: up to the block
// size), waves of resident blocks the grid aims at and whether blockIdx.y takes contiguous bands of rows.
constexpr int kReduceOutXMaxThreads = 256;
constexpr int kReduceOutXMinBlocks = 3;
constexpr int kReduceOutXUnroll = 4;
constexpr bool kReduceOutXPipelined = false;
constexpr int kReduceOutXWidth = 64;
constexpr int kReduceOutXDepth = 0;
constexpr int kReduceOutXWaves = 2;
constexpr bool kReduceOutXBands = false;

struct ReduceArgs {
  const char* in;
  char* out[2];           // result (or values, may be null) and, for arg reductions, int64 indices
  int32_t out_dtype[2];
  int64_t n_out_v;        // outputs, in units of W in out_x mode
  int64_t n_red_v;        // elements per output, in units of W in red_x mode
  int64_t n_red;          // elements per output
  int64_t out_inner_stride;  // out_x: output elements between the W outputs of a thread
  bool out32, red32;      // 32-bit index arithmetic for the two calculators
  int32_t op;             // ReduceOp
  int64_t correction;     // var / std
  int64_t band;           // out_x: reduced indices per blockIdx.y (a contiguous band), 0: interleaved
  void* partials;         // gridDim.y > 1: acc_t[n_out * gridDim.y]
  int32_t* sem;           // gridDim.y > 1: one counter per blockIdx.x
  OffsetCalc<2> out_calc;  // output index -> (input offset, output offset), elements
  OffsetCalc<1> red_calc;  // reduced index -> input offset, elements
};

struct ReducePlan {
  ReduceArgs args;
  bool red_x = true;
  int vec = 1;  // W
  unsigned bx = 1, by = 1, gx = 1, gy = 1;
  int64_t n_out = 0;  // outputs (elements)
  bool too_many_dims = false;  // a group has more than kMaxDims dims: make the input contiguous first
};

// out0 (may be null) and out1 (may be null) have in's shape with `dims` set to 1 (equal strides where
// both are given). `max_vec`: W for this dtype. Fills everything but partials / sem.
ReducePlan plan_reduce(const Tensor& in, const Tensor* out0, const Tensor* out1, const DimVector& dims, int max_vec);
// The same for a GPU of `sm_count` multiprocessors of `max_threads_per_sm` threads (no device needed:
// the planner's unit tests run it on CPU tensors).
ReducePlan plan_reduce_for(const Tensor& in, const Tensor* out0, const Tensor* out1, const DimVector& dims, int max_vec,
                           int sm_count, int max_threads_per_sm);

// Where a thread works (Note [reduction launch plan]): its output (in units of W for out_x), its first reduced
// index, the stride between its reduced indices and where they end (in units of W for red_x). red_x
// threads of all blocks interleave over an output's elements; out_x blocks take contiguous bands of rows
// when `band` > 0 (a multiple of blockDim.y), interleave otherwise. Shared by the kernels and the
// planner's tests, which replay the grid on the host.
struct ThreadWork {
  int64_t out, first, step, end;
};
LT_HD ThreadWork red_x_work(unsigned bx, unsigned by, unsigned gy, unsigned block_x, unsigned block_y, unsigned tx,
                            unsigned ty, int64_t n) {
  return {int64_t(block_x) * by + ty, int64_t(block_y) * bx + tx, int64_t(bx) * gy, n};
}
LT_HD ThreadWork out_x_work(unsigned bx, unsigned by, unsigned gy, unsigned block_x, unsigned block_y, unsigned tx,
                            unsigned ty, int64_t n, int64_t band) {
  if (band > 0) {
    const int64_t start = int64_t(block_y) * band, stop = start + band;
    return {int64_t(block_x) * bx + tx, start + ty, int64_t(by), stop < n ? stop : n};
  }
  return {int64_t(block_x) * bx + tx, int64_t(block_y) * by + ty, int64_t(by) * gy, n};
}

// Overrides of the out_x planning choices, for the tuning program (bench/gpu/tune_reduce.cu) and the
// planner's tests only; zeros keep the planner's own choice. outx_min_blocks is the residency of the
// kernel variant the tuner launches (its __launch_bounds__), which sizes the grid. Not thread-safe: set it
// before planning.
struct ReduceTuning {
  int outx_bx = 0, outx_by = 0, outx_waves = 0, outx_min_blocks = 0;
  int outx_band = -1;  // -1: planner's choice, 0: interleaved, 1: bands
};
void set_reduce_tuning(const ReduceTuning& t);

// A copy of `in` laid out as [output dims..., reduced dims...] contiguous, and views of the outputs in the
// same order: every group then coalesces to one dim. Used when plan_reduce reports too_many_dims.
void canonicalize_reduction(Tensor* in, Tensor* out0, Tensor* out1, DimVector* dims);

}  // namespace lt::cuda
