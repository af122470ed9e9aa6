// The calling thread's Philox stream (seed, offset): Note [random stream] in random_stream.cpp.
#pragma once
#include <cstdint>

namespace lt {

// The (seed, offset) a draw uses: its element i reads Philox blocks at counters offset + ... as
// core/philox.h's Note [random stream layout] says.
struct RngDraw {
  uint64_t seed;
  uint64_t offset;
};

// Hands out the next `blocks` Philox blocks of the calling thread's stream and advances its offset past
// them, so consecutive draws never reuse numbers.
RngDraw rng_reserve(uint64_t blocks);

}  // namespace lt
