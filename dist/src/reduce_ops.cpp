#include "reduce_ops.h"

#include <cmath>

#include "error.h"
#include "half.h"
#include "tensor/tensor_dist.h"

namespace tdist {

namespace {

// ---- Note [half reductions] -----------------------------------------------------------------------

struct Add {
  static uint16_t combine(uint16_t, float a, uint16_t, float b, uint16_t (*narrow)(float)) { return narrow(a + b); }
};
struct Mul {
  static uint16_t combine(uint16_t, float a, uint16_t, float b, uint16_t (*narrow)(float)) { return narrow(a * b); }
};
// MAX and MIN pick an element's bits unchanged. A NaN wins whichever side it is on, and of +0 and -0
// MAX picks +0 and MIN -0 (IEEE's total order), so that the result does not depend on MPI's order.
struct Max {
  static uint16_t combine(uint16_t x, float a, uint16_t y, float b, uint16_t (*)(float)) {
    if (std::isnan(a)) return x;
    if (std::isnan(b)) return y;
    if (a != b) return a > b ? x : y;
    return (x & 0x8000u) ? y : x;
  }
};
struct Min {
  static uint16_t combine(uint16_t x, float a, uint16_t y, float b, uint16_t (*)(float)) {
    if (std::isnan(a)) return x;
    if (std::isnan(b)) return y;
    if (a != b) return a < b ? x : y;
    return (x & 0x8000u) ? x : y;
  }
};

// MPI's signature: inout[i] = in[i] op inout[i].
template <class Format, class Op>
void reduce_halves(void* in, void* inout, int* len, MPI_Datatype*) {
  const auto* x = static_cast<const uint16_t*>(in);
  auto* y = static_cast<uint16_t*>(inout);
  for (int i = 0; i < *len; ++i) {
    y[i] = Op::combine(x[i], Format::widen(x[i]), y[i], Format::widen(y[i]), &Format::narrow);
  }
}

template <class Format>
void divide_words(uint16_t* dst, const uint16_t* src, int64_t n, int32_t world) {
  const float w = static_cast<float>(world);
  for (int64_t i = 0; i < n; ++i) dst[i] = Format::narrow(Format::widen(src[i]) / w);
}

// ---- Note [wrapping sums] -------------------------------------------------------------------------

template <class Word>
void add_wrapping(void* in, void* inout, int* len, MPI_Datatype*) {
  const auto* x = static_cast<const Word*>(in);
  auto* y = static_cast<Word*>(inout);
  for (int i = 0; i < *len; ++i) y[i] = static_cast<Word>(static_cast<unsigned>(x[i]) + y[i]);
}

// ---- the operators ---------------------------------------------------------------------------------

constexpr int kHalfOps = 4;  // SUM, PROD, MAX, MIN
MPI_Op half_ops[2][kHalfOps] = {{MPI_OP_NULL, MPI_OP_NULL, MPI_OP_NULL, MPI_OP_NULL},
                                {MPI_OP_NULL, MPI_OP_NULL, MPI_OP_NULL, MPI_OP_NULL}};  // float16, bfloat16
MPI_Op sum8 = MPI_OP_NULL, sum16 = MPI_OP_NULL;
bool created = false;

template <class Format>
void create_halves(MPI_Op* row) {
  MPI_User_function* fns[kHalfOps] = {&reduce_halves<Format, Add>, &reduce_halves<Format, Mul>,
                                      &reduce_halves<Format, Max>, &reduce_halves<Format, Min>};
  for (int k = 0; k < kHalfOps; ++k) check_mpi(MPI_Op_create(fns[k], 1, &row[k]), "MPI_Op_create");
}

void free_op(MPI_Op& op) noexcept {
  if (op != MPI_OP_NULL) MPI_Op_free(&op);
  op = MPI_OP_NULL;
}

int half_index(int32_t op) {
  switch (op) {
    case TENSOR_DIST_SUM:
    case TENSOR_DIST_AVG: return 0;
    case TENSOR_DIST_PROD: return 1;
    case TENSOR_DIST_MAX: return 2;
    case TENSOR_DIST_MIN: return 3;
  }
  fail(TENSOR_ERR_INVALID_ARGUMENT, "unknown reduction operator");
}

}  // namespace

bool is_half(tensor_dtype d) { return d == TENSOR_FLOAT16 || d == TENSOR_BFLOAT16; }

void create_reduce_ops() {
  if (created) return;
  try {
    create_halves<Float16Format>(half_ops[0]);
    create_halves<BFloat16Format>(half_ops[1]);
    check_mpi(MPI_Op_create(&add_wrapping<uint8_t>, 1, &sum8), "MPI_Op_create");
    check_mpi(MPI_Op_create(&add_wrapping<uint16_t>, 1, &sum16), "MPI_Op_create");
  } catch (...) {
    free_reduce_ops();
    throw;
  }
  created = true;
}

void free_reduce_ops() noexcept {
  for (auto& row : half_ops) {
    for (MPI_Op& op : row) free_op(op);
  }
  free_op(sum8);
  free_op(sum16);
  created = false;
}

MPI_Op own_op(int32_t op, tensor_dtype d) {
  const bool small_int = d == TENSOR_UINT8 || d == TENSOR_INT8 || d == TENSOR_INT16;
  if (!is_half(d) && !(small_int && op == TENSOR_DIST_SUM)) return MPI_OP_NULL;
  TDIST_CHECK(created, TENSOR_ERR_INTERNAL, "libtensor_dist's reduction operators were not created");
  if (small_int) return d == TENSOR_INT16 ? sum16 : sum8;
  return half_ops[d == TENSOR_BFLOAT16 ? 1 : 0][half_index(op)];
}

void divide_halves(void* dst, const void* src, int64_t n, tensor_dtype d, int32_t world) {
  auto* out = static_cast<uint16_t*>(dst);
  const auto* in = static_cast<const uint16_t*>(src);
  if (d == TENSOR_FLOAT16) {
    divide_words<Float16Format>(out, in, n, world);
  } else {
    divide_words<BFloat16Format>(out, in, n, world);
  }
}

}  // namespace tdist
