// Launch shape of the CUDA backend's one-dimensional grid-stride kernels (index.cu, sort.cu): blocks of
// kGridThreads threads, at most kGridMaxBlocks blocks (the loop covers the rest), and the loop itself.
#pragma once
#include <cstdint>

namespace lt::cuda {

constexpr int kGridThreads = 256;
constexpr int64_t kGridMaxBlocks = 65535 * 64;

inline unsigned grid_blocks(int64_t n) {
  const int64_t b = (n + kGridThreads - 1) / kGridThreads;
  return static_cast<unsigned>(b < kGridMaxBlocks ? b : kGridMaxBlocks);
}

}  // namespace lt::cuda

// for (i = this thread's first element; i < total; i += the grid's thread count)
#define LT_GRID_LOOP(i, total) \
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < (total); i += int64_t(gridDim.x) * blockDim.x)
