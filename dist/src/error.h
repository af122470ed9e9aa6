// Errors inside libtensor_dist: a DistError carries a status and a message; guard() at each exported
// call turns it (or anything else thrown) into the call's status and the thread-local message of
// tensor_dist_last_error(), so no exception crosses the C boundary.
#pragma once
#include <exception>
#include <new>
#include <sstream>
#include <string>
#include <utility>

#include "tensor/tensor.h"

namespace tdist {

struct DistError {
  tensor_status status;
  std::string message;
};

[[noreturn]] inline void fail(tensor_status status, std::string message) {
  throw DistError{status, std::move(message)};
}

// Stores "<call>: <message>" as the calling thread's last error (never throws).
void set_last_error(const char* call, const std::string& message) noexcept;

// A libtensor call inside a collective failed: raise its status with libtensor's own message.
inline void check_tensor(tensor_status st) {
  if (st != TENSOR_OK) fail(st, tensor_last_error());
}

// The MPI_Error_string text of an MPI return code; MPI_SUCCESS passes.
void check_mpi(int rc, const char* what);

template <typename Fn>
tensor_status guard(const char* call, Fn&& fn) noexcept {
  try {
    fn();
    return TENSOR_OK;
  } catch (const DistError& e) {
    set_last_error(call, e.message);
    return e.status;
  } catch (const std::bad_alloc&) {
    set_last_error(call, "out of memory");
    return TENSOR_ERR_OUT_OF_MEMORY;
  } catch (...) {
    set_last_error(call, "internal error");
    return TENSOR_ERR_INTERNAL;
  }
}

}  // namespace tdist

#define TDIST_CHECK(cond, status, msg)      \
  do {                                      \
    if (!(cond)) {                          \
      std::ostringstream tdist_os_;         \
      tdist_os_ << msg;                     \
      ::tdist::fail(status, tdist_os_.str()); \
    }                                       \
  } while (0)
