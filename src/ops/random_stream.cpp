// The per-thread random stream shared by rand/randn (creation.cpp) and the random family (random.cpp).
#include "ops/random_stream.h"

#include "ops/ops.h"

namespace lt {

namespace {

// Note [random stream]: each thread has its own (seed, offset); tensor_manual_seed sets the seed and
// rewinds the offset to 0, tensor_set_rng_state sets both (tensor_get_rng_state reads them back, so a
// checkpoint resumes the same numbers). Every draw reserves the Philox blocks it reads (rng_reserve) and
// so advances the offset past them (core/philox.h maps elements to blocks), which is why the CPU and CUDA
// backends, given the same (seed, offset), produce the same numbers, and why a draw's numbers do not
// depend on the device or the thread count.
struct RandomState {
  uint64_t seed = 67280421310721ull;
  uint64_t offset = 0;
};
thread_local RandomState t_rng;

}  // namespace

RngDraw rng_reserve(uint64_t blocks) {
  RngDraw d{t_rng.seed, t_rng.offset};
  t_rng.offset += blocks;  // wraps modulo 2^64 as Philox's counter does
  return d;
}

void manual_seed(uint64_t seed) {
  t_rng.seed = seed;
  t_rng.offset = 0;
}

void get_rng_state(uint64_t* seed, uint64_t* offset) {
  *seed = t_rng.seed;
  *offset = t_rng.offset;
}

void set_rng_state(uint64_t seed, uint64_t offset) {
  t_rng.seed = seed;
  t_rng.offset = offset;
}

}  // namespace lt
