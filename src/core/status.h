// Internal error type. Ops throw lt::Error; only capi/ turns it into a tensor_status, so src/ stays free
// of the C API. The numeric values equal the C ABI's (capi static_asserts this).
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace lt {

enum class Status : int32_t {
  Ok = 0,
  InvalidArgument = -1,
  Shape = -2,
  DType = -3,
  Device = -4,
  Index = -5,
  OutOfMemory = -6,
  Autograd = -7,
  Backend = -8,
  Internal = -9,
};

class Error : public std::runtime_error {
 public:
  Error(Status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  Status status() const noexcept { return status_; }

 private:
  Status status_;
};

// Builds a message from streamable parts and throws. Cold path: kept out of line.
[[noreturn]] void throw_error(Status status, const std::string& message);

}  // namespace lt

// LT_CHECK(cond, Status::Shape, "a " << x << " b") throws when cond is false.
#include <sstream>
#define LT_CHECK(cond, status, stream_expr)            \
  do {                                                 \
    if (__builtin_expect(!(cond), 0)) {                \
      std::ostringstream lt_check_os_;                 \
      lt_check_os_ << stream_expr;                     \
      ::lt::throw_error((status), lt_check_os_.str()); \
    }                                                  \
  } while (0)
