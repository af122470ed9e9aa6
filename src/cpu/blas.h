// The BLAS library seen from the CPU backend (OpenBLAS through CBLAS): thread count and a report of the
// library and the kernel it selected, for tensor_config_string.
#pragma once
#include <shared_mutex>
#include <string>

namespace lt {
// Held (shared) for the whole of every call into BLAS; blas_set_num_threads takes it exclusively (Note
// [BLAS thread count] in blas.cpp).
std::shared_mutex& blas_threads_mutex();
// e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".
std::string blas_library();
// The kernel set OpenBLAS selected at load time (openblas_get_corename), e.g. "Haswell" or "SkylakeX".
std::string blas_corename();
// The kernel line of the config report: core, how it was chosen, OpenBLAS's thread count and, when this
// CPU can run faster kernels than the selected ones, how to select them (Note [OpenBLAS kernel choice]).
std::string blas_core_report();
}  // namespace lt
