#include "error.h"

#include <mpi.h>

#include <cstdio>

#include "tensor/tensor_dist.h"

namespace tdist {

namespace {
// A fixed buffer: storing a message must not allocate (it may report an allocation failure).
thread_local char last_error[1024] = "";
}  // namespace

void set_last_error(const char* call, const std::string& message) noexcept {
  std::snprintf(last_error, sizeof last_error, "%s: %s", call, message.c_str());
}

void check_mpi(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING] = "";
  int len = 0;
  if (MPI_Error_string(rc, text, &len) != MPI_SUCCESS) std::snprintf(text, sizeof text, "MPI error %d", rc);
  fail(TENSOR_ERR_BACKEND, std::string(what) + " failed: " + text);
}

}  // namespace tdist

extern "C" TENSOR_DIST_API const char* tensor_dist_last_error(void) { return tdist::last_error; }
