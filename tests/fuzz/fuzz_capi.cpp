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

// Ops added after the corpus was built are reached only through byte values that no corpus input
// (regress-* included) uses to select an op, so those inputs still decode to the same programs: 254 down
// to 251, then 249, 247 and 246. 250 is skipped (regress-argmax-no-indices-param selects kOps[250 % kNumOps]
// with it), 248 too (two corpus inputs hold that byte), and 255 is used. Logging pick_op's argument while
// replaying the corpus lists the bytes it uses.
// The norm op has 242: 243 to 245 select ops in the corpus (seed-random-019 picks with 244), 246 is conv's,
// 241 pool's (checked free the same way).
struct LateOp {
  uint8_t selector;
  fuzz::Op op;
};
const LateOp kLateOps[] = {
    {254, fuzz::op_hostile_shape},  {253, fuzz::op_index}, {252, fuzz::op_mask},
    {251, fuzz::op_advanced_index}, {249, fuzz::op_sort},      {247, fuzz::op_random},
    {246, fuzz::op_conv},
    {242, fuzz::op_norm},
    {241, fuzz::op_pool},
};

fuzz::Op pick_op(uint8_t b) {
  for (const LateOp& late : kLateOps)
    if (late.selector == b) return late.op;
  return kOps[b % kNumOps];
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
