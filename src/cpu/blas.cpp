// OpenBLAS configuration (thread count, kernel report). Matmul itself is in cpu/matmul.cpp.
#include "cpu/blas.h"

#include <cblas.h>

#include <string>

#include "core/parallel.h"

namespace lt {

void blas_set_num_threads(int32_t n) { openblas_set_num_threads(n); }

std::string blas_info() {
  std::string s = openblas_get_config();
  s += " (core: ";
  s += openblas_get_corename();
  s += ", " + std::to_string(openblas_get_num_threads()) + " threads)";
  return s;
}

}  // namespace lt
