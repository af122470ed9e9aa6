// The libFuzzer entry point for the C API (see scripts/fuzz.sh). Each input is decoded into a program
// of at most kMaxCalls calls over a pool of handles (Note [input format] in fuzz_input.h); every call is
// checked against the contract (Note [call contract] in fuzz_check.h). At the end every handle is freed,
// so LeakSanitizer sees any reference the library lost.
#include "fuzz/fuzz_ops.h"

namespace {

constexpr int kMaxCalls = 96;

// Creation calls appear several times so that the pool fills up quickly; the other families once.
const fuzz::Op kOps[] = {
    fuzz::op_create_filled, fuzz::op_create_filled, fuzz::op_create_filled, fuzz::op_from_data,
    fuzz::op_from_data,     fuzz::op_from_data,     fuzz::op_range,         fuzz::op_like,
    fuzz::op_reshape,       fuzz::op_permute,       fuzz::op_transpose,     fuzz::op_expand,
    fuzz::op_squeeze,       fuzz::op_slice,         fuzz::op_select,        fuzz::op_copy_like,
    fuzz::op_join,          fuzz::op_convert,       fuzz::op_binary,        fuzz::op_binary,
    fuzz::op_scalar,        fuzz::op_unary,         fuzz::op_where,         fuzz::op_inplace,
    fuzz::op_assign,        fuzz::op_reduce,        fuzz::op_reduce,        fuzz::op_extreme,
    fuzz::op_extreme_dim,   fuzz::op_matmul,        fuzz::op_matmul,        fuzz::op_requires_grad,
    fuzz::op_requires_grad, fuzz::op_backward,      fuzz::op_backward,      fuzz::op_grad,
    fuzz::op_grad_mode,     fuzz::op_inspect,       fuzz::op_copy_out,      fuzz::op_format,
    fuzz::op_info,          fuzz::op_retain,        fuzz::op_free,
};
constexpr unsigned kNumOps = sizeof(kOps) / sizeof(kOps[0]);

// Ops added after the corpus was built are reached through byte values 254, 253, ... only, values that
// no corpus input (regress-* included) uses to select an op (255 is used), so those inputs still decode
// to the same programs.
const fuzz::Op kLateOps[] = {fuzz::op_hostile_shape, fuzz::op_index, fuzz::op_mask, fuzz::op_random};
constexpr unsigned kNumLateOps = sizeof(kLateOps) / sizeof(kLateOps[0]);

fuzz::Op pick_op(uint8_t b) {
  const unsigned late = 254u - b;  // wraps to a huge value for 255
  return late < kNumLateOps ? kLateOps[late] : kOps[b % kNumOps];
}

}  // namespace

// Sanitizer defaults for the harness binaries (the environment can still override each key): a failed
// allocation returns NULL instead of aborting, so the library's out-of-memory path runs, and any single
// allocation above 64 MiB fails, so an input cannot make the harness slow or exhaust the machine.
extern "C" const char* __asan_default_options() {
  return "allocator_may_return_null=1:max_allocation_size_mb=64:detect_leaks=1";
}
extern "C" const char* __ubsan_default_options() { return "print_stacktrace=1:halt_on_error=1"; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Session s{fuzz::Input(data, size), {}};
  // Per-thread state starts the same for every input, so that each input replays identically.
  tensor_set_grad_enabled(true);
  tensor_manual_seed(0);
  for (int i = 0; i < kMaxCalls && !s.in.empty(); ++i) pick_op(s.in.u8())(s);
  s.pool.clear();
  tensor_set_grad_enabled(true);
  return 0;
}
