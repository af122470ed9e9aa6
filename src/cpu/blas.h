// The BLAS library seen from the CPU backend (OpenBLAS through CBLAS).
#pragma once
#include <string>

namespace lt {
// e.g. "OpenBLAS 0.3.21 (core: SkylakeX, 2 threads; set OPENBLAS_CORETYPE to choose the kernel)".
std::string blas_info();
// A one-line description of the CUDA backend (cuda/, or "not built" from the stub).
std::string cuda_info();
}  // namespace lt
