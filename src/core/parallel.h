// CPU parallelism. Note [threading choice]: OpenMP (libgomp) with an explicit num_threads clause on each
// region: no pool of our own to maintain, threads are reused between regions, and the team size is our
// own setting (tensor_set_num_threads), not the process-wide OMP ICV that other libraries may change.
// Regions start only above a grain size, so tiny ops never touch the thread team.
#pragma once
#include <cstdint>
#include <functional>

namespace lt {

int32_t get_num_threads();
// Note [thread cap]: more threads than the machine has logical CPUs never speed up these kernels, and
// each one costs a stack: libgomp exits the process ("Thread creation failed") when it cannot create a
// team member, and OpenBLAS spins retrying. So the count is capped at max_num_threads().
int32_t max_num_threads();
// Sets the count, clamped to [1, max_num_threads()]; also sets OpenBLAS's thread count (Note [BLAS
// thread count] in src/cpu/blas.cpp: safe while other threads run matmul).
void set_num_threads(int32_t n);
// Implemented by src/cpu/blas.cpp: forwards the thread count to the BLAS library.
void blas_set_num_threads(int32_t n);
// True inside a parallel region (nested regions run serially).
bool in_parallel_region();

// Elements per thread below which a loop stays serial.
constexpr int64_t kGrainSize = 32768;

// Calls fn(begin, end) over [0, n) split into at most get_num_threads() contiguous chunks, each of at
// least `grain` items (serial when n < 2 * grain).
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace lt
