// The oracle of the fuzz harness: what every C API call must do, whatever it is given.
//
// Note [call contract]: a fallible call returns TENSOR_OK or one of the documented error statuses
// (TENSOR_ERR_INTERNAL means "a bug in libtensor", so it counts as a finding too). On failure the
// out-parameters are NULL and tensor_last_error() reads "<call>: <non-empty message>". When the harness
// itself planted a defect in the arguments (a NULL handle, a negative size, a dim out of range ...) the
// call must fail, and with the status documented for that defect when the harness planted only one kind.
// Any violation calls abort(), which libFuzzer (or the corpus replay test) reports with the input.
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "tensor/tensor.h"

namespace fuzz {

[[noreturn]] inline void fail(const char* call, const char* what, long long detail = 0) {
  std::fprintf(stderr, "fuzz_capi: contract violation in %s: %s (%lld); last error: \"%s\"\n", call, what, detail,
               tensor_last_error());
  std::abort();
}

// Marks a harness check failure without the noise of an unused-result warning.
#define FUZZ_REQUIRE(cond, call, what) \
  do {                                 \
    if (!(cond)) ::fuzz::fail((call), (what)); \
  } while (0)

// The defects planted in one call's arguments.
class Expect {
 public:
  // A defect with a documented status (e.g. TENSOR_ERR_INVALID_ARGUMENT for a NULL handle).
  void defect(tensor_status s) {
    if (n_++ == 0) first_ = s;
    else if (s != first_) mixed_ = true;
  }
  // A defect that must make the call fail, with a status the API leaves open.
  void must_fail() { defect(kAnyError); }
  void defect_if(bool cond, tensor_status s) {
    if (cond) defect(s);
  }
  // The call asks for enough memory that TENSOR_ERR_OUT_OF_MEMORY is a valid answer whatever else is
  // wrong (a library may allocate before it validates the rest).
  void may_run_out_of_memory() { oom_ok_ = true; }
  bool any() const { return n_ > 0; }

  // Checks a returned status against the contract and the planted defects; returns it.
  tensor_status check(const char* call, tensor_status st) const {
    if (st > TENSOR_OK || st < TENSOR_ERR_INTERNAL) fail(call, "status outside the documented enum", st);
    if (st == TENSOR_ERR_INTERNAL) fail(call, "TENSOR_ERR_INTERNAL (a libtensor bug)");
    if (st != TENSOR_OK) check_message(call);
    if (n_ == 0 || (oom_ok_ && st == TENSOR_ERR_OUT_OF_MEMORY)) return st;
    if (st == TENSOR_OK) fail(call, "succeeded although the arguments have a defect; expected status", first_);
    if (!mixed_ && first_ != kAnyError && st != first_) fail(call, "wrong status for the planted defect", st);
    return st;
  }

  static void check_message(const char* call) {
    const char* msg = tensor_last_error();
    if (!msg) fail(call, "tensor_last_error() is NULL");
    size_t n = std::strlen(call);
    if (std::strncmp(msg, call, n) != 0 || msg[n] != ':' || msg[n + 1] != ' ' || msg[n + 2] == '\0')
      fail(call, "error message does not read \"<call>: <message>\"");
  }

 private:
  static constexpr tensor_status kAnyError = static_cast<tensor_status>(1);
  int n_ = 0;
  tensor_status first_ = TENSOR_OK;
  bool mixed_ = false;
  bool oom_ok_ = false;
};

// The invariants of a live handle, checked on every tensor a call hands out. Reading the elements
// through tensor_copy_to_host walks the view's strides, so a view that reaches outside its storage is
// caught by AddressSanitizer here. `max_read` bounds the work (expanded views can be huge).
inline void check_tensor(const char* call, const tensor* t, int64_t max_read) {
  int32_t nd = tensor_ndim(t);
  FUZZ_REQUIRE(nd >= 0, call, "negative ndim");
  const int64_t* shape = tensor_shape(t);
  const int64_t* strides = tensor_strides(t);
  FUZZ_REQUIRE(nd == 0 || (shape && strides), call, "NULL shape or strides");
  int64_t n = 1;
  bool zero = false;
  for (int32_t i = 0; i < nd; ++i) {
    FUZZ_REQUIRE(shape[i] >= 0, call, "negative size in a result");
    FUZZ_REQUIRE(tensor_size(t, i) == shape[i] && tensor_size(t, i - nd) == shape[i], call, "tensor_size disagrees");
    if (shape[i] == 0) zero = true;
    else if (__builtin_mul_overflow(n, shape[i], &n)) fail(call, "the sizes of a result overflow int64");
  }
  if (zero) n = 0;
  FUZZ_REQUIRE(tensor_numel(t) == n, call, "numel is not the product of the shape");
  FUZZ_REQUIRE(tensor_size(t, nd) == -1 && tensor_size(t, -nd - 1) == -1, call, "tensor_size out of range");
  tensor_dtype dt = tensor_get_dtype(t);
  size_t item = tensor_dtype_size(dt);
  FUZZ_REQUIRE(item > 0, call, "invalid dtype in a result");
  tensor_device dev = tensor_get_device(t);
  FUZZ_REQUIRE(dev.type == TENSOR_CPU && dev.index == 0, call, "result not on the CPU");
  FUZZ_REQUIRE(n == 0 || tensor_data(t) != nullptr, call, "tensor_data is NULL");
  if (n > max_read) return;
  std::vector<unsigned char> buf(static_cast<size_t>(n) * item);
  tensor_status st = tensor_copy_to_host(t, buf.data(), buf.size());
  if (st != TENSOR_OK) fail(call, "tensor_copy_to_host failed on a result", st);
  if (dt == TENSOR_BOOL)
    for (unsigned char b : buf) FUZZ_REQUIRE(b <= 1, call, "a bool result holds a byte other than 0 or 1");
}

// The bytes of a tensor (row-major), to check that a failed in-place call left its target unchanged.
inline std::vector<unsigned char> snapshot(const tensor* t) {
  std::vector<unsigned char> buf(static_cast<size_t>(tensor_numel(t)) * tensor_dtype_size(tensor_get_dtype(t)));
  if (tensor_copy_to_host(t, buf.data(), buf.size()) != TENSOR_OK) fail("snapshot", "tensor_copy_to_host failed");
  return buf;
}

}  // namespace fuzz
