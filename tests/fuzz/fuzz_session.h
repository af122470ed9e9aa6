// The state of one fuzz input: the byte reader and a pool of live handles, plus the generators of
// call arguments (shapes, dtypes, options) that know which of their choices are defects.
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_enums.h"
#include "fuzz/fuzz_input.h"

namespace fuzz {

// Results with more elements than this are checked and then freed at once, so that no later call can
// turn a huge (expanded) view into a huge amount of work. Sizes are small: the harness hunts for
// wrong behaviour, not for slow inputs.
constexpr int64_t kMaxKeep = 1024;

// A fixed set of slots holding owned references. An empty slot reads as NULL, so handle arguments are
// sometimes NULL for free.
class Pool {
 public:
  static constexpr uint32_t kSlots = 12;

  Pool() = default;
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool() { clear(); }

  // A handle argument: one of the slots or (one time in kSlots + 1) an explicit NULL. A NULL handle is a
  // defect with status TENSOR_ERR_INVALID_ARGUMENT.
  tensor* arg(Input& in, Expect& e) {
    uint32_t i = in.below(kSlots + 1);
    tensor* t = i < kSlots ? slot_[i] : nullptr;
    e.defect_if(t == nullptr, TENSOR_ERR_INVALID_ARGUMENT);
    return t;
  }
  // Takes ownership of `t` (a result already checked) into a slot chosen by the input.
  void keep(Input& in, tensor* t) {
    if (!t) return;
    if (tensor_numel(t) > kMaxKeep) {
      tensor_free(t);
      return;
    }
    uint32_t i = in.below(kSlots);
    tensor_free(slot_[i]);
    slot_[i] = t;
  }
  void drop(Input& in) {
    uint32_t i = in.below(kSlots);
    tensor_free(slot_[i]);
    slot_[i] = nullptr;
  }
  void clear() {
    for (tensor*& t : slot_) {
      tensor_free(t);
      t = nullptr;
    }
  }

 private:
  tensor* slot_[kSlots] = {};
};

struct Session {
  Input in;
  Pool pool;
};

// A value the harness never passes as a handle: out-parameters start with it so that a call that fails
// without clearing them is caught.
inline tensor* unset_out() { return reinterpret_cast<tensor*>(static_cast<uintptr_t>(0x5a5a5a5a)); }

// Dtypes are int32_t on this side: an invalid value must never live in a C++ enum (fuzz_enums.c).
// Valid: every dtype of the header, all of which gen_dtype draws; the harness predicts PyTorch's promotion
// and refusals for the ten (fuzz_ops_elementwise.cpp, value_fits below).
inline bool is_valid_dtype(int32_t d) { return d >= TENSOR_FLOAT32 && d <= TENSOR_INT16; }
inline bool is_floating(int32_t d) {
  return d == TENSOR_FLOAT32 || d == TENSOR_FLOAT64 || d == TENSOR_FLOAT16 || d == TENSOR_BFLOAT16;
}
// uint8, int8 and int16: stored as themselves, computed in int32 and wrapped (Note [kernel dtype]).
inline bool is_small_integer(int32_t d) { return d == TENSOR_UINT8 || d == TENSOR_INT8 || d == TENSOR_INT16; }

// A dtype argument: valid most of the time, sometimes an invalid enum value.
inline int32_t gen_dtype(Input& in, Expect& e) {
  static const int32_t invalid[] = {10, -1, 1000, INT32_MIN};  // 10: one past TENSOR_INT16
  uint8_t b = in.u8();
  int32_t d = b < 240 ? b % 10 : invalid[b % 4];
  e.defect_if(!is_valid_dtype(d), TENSOR_ERR_INVALID_ARGUMENT);
  return d;
}

// A device argument: the CPU most of the time, sometimes CUDA (unavailable in a CPU-only build) or
// an invalid type or index.
inline tensor_device gen_device(Input& in, Expect& e) {
  uint8_t b = in.u8();
  if (b < 224) return tensor_device{TENSOR_CPU, 0};
  switch (b % 4) {
    case 0:
      e.defect_if(!tensor_cuda_available(), TENSOR_ERR_DEVICE);
      return tensor_device{TENSOR_CUDA, 0};
    case 1:
      e.defect(TENSOR_ERR_INVALID_ARGUMENT);
      return tensor_device{7, 0};
    case 2:
      e.defect(TENSOR_ERR_INVALID_ARGUMENT);
      return tensor_device{TENSOR_CPU, -3};
    default:
      e.defect(TENSOR_ERR_DEVICE);  // no machine has 1000 GPUs
      return tensor_device{TENSOR_CUDA, 999};
  }
}

// Options for a creation call: NULL (float32) or a struct, sometimes with a defect. `*dtype` receives
// the dtype the call will create.
inline const tensor_options* gen_options(Input& in, Expect& e, tensor_options* storage, int32_t* dtype) {
  *dtype = TENSOR_FLOAT32;
  if (in.one_in(4)) return nullptr;
  tensor_options o = TENSOR_OPTIONS_INIT;
  if (in.one_in(32)) {
    o.version = in.coin() ? 0u : TENSOR_OPTIONS_VERSION + 1;
    e.defect(TENSOR_ERR_INVALID_ARGUMENT);
  }
  int32_t dt = gen_dtype(in, e);
  o.device = gen_device(in, e);
  o.requires_grad = in.one_in(4);
  e.defect_if(o.requires_grad && is_valid_dtype(dt) && !is_floating(dt), TENSOR_ERR_DTYPE);
  *storage = o;
  fuzz_set_options_dtype(storage, dt);
  *dtype = dt;
  return storage;
}

// Whether fill_/full can store `v` in dtype `d` (PyTorch: "value cannot be converted to type int without
// overflow" for NaN, infinities and out-of-range integers, finite values beyond the floating type's largest
// finite value even where they would round to it, as c10's checked conversion compares them).
inline bool value_fits(double v, int32_t d) {
  switch (d) {
    case TENSOR_INT32: return v >= -2147483648.0 && v <= 2147483647.0;
    case TENSOR_INT64: return v >= -0x1p63 && v < 0x1p63;
    case TENSOR_UINT8: return v >= 0.0 && v <= 255.0;
    case TENSOR_INT8: return v >= -128.0 && v <= 127.0;
    case TENSOR_INT16: return v >= -32768.0 && v <= 32767.0;
    case TENSOR_FLOAT32: return !std::isfinite(v) || std::fabs(v) <= 3.4028234663852886e38;
    case TENSOR_FLOAT16: return !std::isfinite(v) || std::fabs(v) <= 65504.0;
    case TENSOR_BFLOAT16: return !std::isfinite(v) || std::fabs(v) <= 3.3895313892515355e38;
    default: return true;
  }
}

// A shape argument as (pointer, ndim).
struct ShapeArg {
  std::vector<int64_t> dims;
  int32_t ndim = 0;
  bool null_ptr = false;
  // -1 when an entry is negative, -2 when the product overflows int64 (a zero size wins over both).
  int64_t numel = 1;

  const int64_t* ptr() const { return null_ptr ? nullptr : dims.data(); }
};

// The element count of sizes, or -1 (a negative size) / -2 (the product of max(size, 1) overflows
// int64, which the library refuses even when a size is 0, as NumPy does).
inline int64_t numel_of(const int64_t* s, int32_t n) {
  int64_t p = 1;
  bool negative = false, overflow = false, zero = false;
  for (int32_t i = 0; i < n; ++i) {
    if (s[i] < 0) negative = true;
    else if (s[i] == 0) zero = true;
    else if (__builtin_mul_overflow(p, s[i], &p)) overflow = true;
  }
  if (negative) return -1;
  if (overflow) return -2;
  return zero ? 0 : p;
}

// A shape for a creation call. Defects: negative ndim, NULL with ndim > 0, negative sizes
// (TENSOR_ERR_INVALID_ARGUMENT); sizes whose product overflows int64, or that need 128 GiB or more, must
// fail (with TENSOR_ERR_OUT_OF_MEMORY at the latest: the harness runs under an allocation cap).
inline ShapeArg gen_shape(Input& in, Expect& e) {
  ShapeArg s;
  uint8_t b = in.u8();
  if (b < 240) {
    s.ndim = b % 5;
  } else {
    static const int32_t odd[] = {-1, INT32_MIN, 7, 12, 25, 64, 65, 6};
    s.ndim = odd[b % 8];
  }
  if (s.ndim < 0) {
    e.defect(TENSOR_ERR_INVALID_ARGUMENT);
    s.dims.push_back(1);  // a valid pointer: the call must look at ndim first
    return s;
  }
  e.defect_if(s.ndim > TENSOR_MAX_NDIM, TENSOR_ERR_SHAPE);  // the documented maximum rank
  s.dims.resize(static_cast<size_t>(s.ndim) + 1);  // one spare entry so that data() is never NULL
  for (int32_t i = 0; i < s.ndim; ++i) s.dims[i] = s.ndim > 6 && !in.one_in(8) ? 1 : in.size();
  s.null_ptr = s.ndim > 0 && in.one_in(64);
  e.defect_if(s.null_ptr, TENSOR_ERR_INVALID_ARGUMENT);
  s.numel = numel_of(s.dims.data(), s.ndim);
  e.defect_if(s.numel == -1, TENSOR_ERR_INVALID_ARGUMENT);
  if (s.numel == -2 || s.numel > (int64_t(1) << 37)) e.must_fail();
  if (s.numel == -2 || s.numel > (int64_t(1) << 20)) e.may_run_out_of_memory();
  return s;
}

// The library also refuses a shape whose extent (product of max(size, 1)) times the element size
// overflows int64, even with a zero size (fuzzer finding: [INT64_MAX, 0, 1] in float32 is
// TENSOR_ERR_SHAPE). Called once the dtype of the call is known.
inline void expect_bytes_fit(const ShapeArg& s, int32_t dt, Expect& e) {
  if (s.ndim <= 0 || s.null_ptr || s.numel < 0 || !is_valid_dtype(dt)) return;
  int64_t extent = 1;  // cannot overflow: numel_of found no overflow
  for (int32_t i = 0; i < s.ndim; ++i) extent *= s.dims[static_cast<size_t>(i)] > 1 ? s.dims[static_cast<size_t>(i)] : 1;
  if (extent > INT64_MAX / static_cast<int64_t>(fuzz_dtype_size(dt))) e.must_fail();
}

// Shape and dtype of a live handle, as the harness sees it through the C API.
inline std::vector<int64_t> shape_of(const tensor* t) {
  const int64_t* s = tensor_shape(t);
  return s ? std::vector<int64_t>(s, s + tensor_ndim(t)) : std::vector<int64_t>();
}

}  // namespace fuzz
