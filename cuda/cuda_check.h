// CUDA runtime errors -> lt::Error. Every runtime call of the backend goes through check(); a failure
// becomes Status::OutOfMemory (allocation failures) or Status::Backend carrying the CUDA error name and
// text, never an abort.
#pragma once
#include <cuda_runtime_api.h>

#include "core/status.h"

namespace lt::cuda {

// Throws Error(OutOfMemory or Backend) "<what>: CUDA error cudaErrorX (text)". Clears the runtime's
// non-sticky last error first, so that one failure is reported once.
[[noreturn]] void throw_cuda_error(cudaError_t err, const std::string& what);

inline void check(cudaError_t err, const char* what) {
  if (__builtin_expect(err != cudaSuccess, 0)) throw_cuda_error(err, what);
}

// After a kernel launch: reports a bad launch configuration, or an earlier asynchronous error that the
// runtime now returns (Note [asynchronous errors] in runtime.cpp).
void check_launch(const char* kernel);

}  // namespace lt::cuda
