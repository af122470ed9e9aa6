#include "config/config.h"

#include <sstream>

#include "core/cuda_api.h"
#include "core/parallel.h"
#include "cpu/blas.h"

namespace lt {

std::string config_string() {
  std::ostringstream os;
  os << "libtensor " << TENSOR_VERSION_STRING << "\n";
#if defined(__clang__)
  os << "  compiler: clang " << __clang_major__ << "." << __clang_minor__ << "\n";
#elif defined(__GNUC__)
  os << "  compiler: gcc " << __GNUC__ << "." << __GNUC_MINOR__ << "\n";
#endif
  os << "  cpu threads: " << get_num_threads() << " (OpenMP)\n";
  os << "  blas: " << blas_library() << "\n";
  os << "  blas core: " << blas_core_report() << "\n";
  os << "  cuda: " << cuda_info() << "\n";
  return os.str();
}

}  // namespace lt
