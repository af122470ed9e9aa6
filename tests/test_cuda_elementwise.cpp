// Elementwise ops on CUDA against the CPU on the same inputs, every op of the tables in core/op_kinds.h,
// every dtype, and layouts that reach each kernel path: contiguous (vectorised rows), broadcast rows and
// columns, 0-d scalars, transposed and misaligned views (Nd kernel), empty tensors.
#include <functional>

#include "core/op_table.h"
#include "test_cuda_util.h"

namespace {

using BinaryFn = tensor_status (*)(tensor**, const tensor*, const tensor*);
using UnaryFn = tensor_status (*)(tensor**, const tensor*);
using ScalarFn = tensor_status (*)(tensor**, const tensor*, double);
using InplaceFn = tensor_status (*)(tensor*, const tensor*);

// Each device is within its definition's max_ulp of the true value, so the two differ by at most twice
// that (0 for the IEEE-exact ops).
struct BinaryEntry {
  const char* name;
  BinaryFn fn;
  double ulps;
};
const BinaryEntry kBinary[] = {
#define LT_ENTRY(name, Enum) {#name, tensor_##name, 2 * lt::BinaryDef<lt::BinaryOp::Enum>::max_ulp},
    LT_BINARY_OPS(LT_ENTRY)
#undef LT_ENTRY
};
struct UnaryEntry {
  const char* name;
  UnaryFn fn;
  double ulps;
};
const UnaryEntry kUnary[] = {
#define LT_ENTRY(name, Enum) {#name, tensor_##name, 2 * lt::UnaryDef<lt::UnaryOp::Enum>::max_ulp},
    LT_UNARY_OPS(LT_ENTRY)
#undef LT_ENTRY
};
struct ScalarEntry {
  const char* name;
  ScalarFn fn;
};
const ScalarEntry kScalar[] = {
#define LT_ENTRY(name, ...) {#name, tensor_##name##_scalar},
    LT_SCALAR_OPS(LT_ENTRY)
#undef LT_ENTRY
};
struct InplaceEntry {
  const char* name;
  InplaceFn fn;
};
const InplaceEntry kInplace[] = {
#define LT_ENTRY(name, Enum) {#name, tensor_##name##_},
    LT_INPLACE_OPS(LT_ENTRY)
#undef LT_ENTRY
};

const tensor_dtype kDtypes[] = {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT32, TENSOR_INT64, TENSOR_BOOL};

// Runs fn on the CPU operands and on CUDA copies of them; both must agree on the status, and on success
// on dtype, shape and values.
void check_binary(const char* name, BinaryFn fn, const tensor* a, const tensor* b, double ulps) {
  INFO("op " << name << ", dtypes " << tensor_get_dtype(a) << "/" << tensor_get_dtype(b) << ", shapes "
             << shape_of(a).size() << "d/" << shape_of(b).size() << "d");
  Handle want, got;
  tensor_status st_cpu = fn(want.out(), a, b);
  Handle ca = to_cuda(a), cb = to_cuda(b);
  tensor_status st_cuda = fn(got.out(), ca, cb);
  REQUIRE(st_cuda == st_cpu);
  if (st_cpu != TENSOR_OK) return;
  REQUIRE(tensor_get_device(got).type == TENSOR_CUDA);
  require_same(got, want, ulps);
}


// Layouts of (a, b) that select different kernel paths.
struct Layout {
  const char* what;
  std::vector<int64_t> a, b;
};
const Layout kLayouts[] = {
    {"contiguous, vectorised", {4, 1024}, {4, 1024}},
    {"contiguous, odd size", {1001}, {1001}},
    {"broadcast row", {33, 256}, {256}},
    {"broadcast column", {64, 96}, {64, 1}},
    {"odd broadcast row", {17, 33}, {33}},
    {"3-d broadcast", {3, 1, 40}, {1, 5, 40}},
    {"0-d scalar", {500}, {}},
    {"both 0-d", {}, {}},
    {"empty", {0, 7}, {7}},
};

}  // namespace

TEST_CASE("cuda elementwise: binary ops match the CPU for every dtype and layout") {
  uint32_t seed = 1;
  for (const Layout& l : kLayouts) {
    for (tensor_dtype dt : kDtypes) {
      Handle a = make_typed(dt, l.a, seed++), b = make_typed(dt, l.b, seed++);
      for (const BinaryEntry& e : kBinary) {
        INFO("layout " << l.what);
        check_binary(e.name, e.fn, a, b, e.ulps);
        check_binary(e.name, e.fn, b, a, e.ulps);
      }
    }
  }
}

TEST_CASE("cuda elementwise: mixed dtypes promote as on the CPU") {
  for (tensor_dtype da : kDtypes) {
    for (tensor_dtype db : kDtypes) {
      Handle a = make_typed(da, {3, 64}, 11), b = make_typed(db, {64}, 12);
      for (const BinaryEntry& e : kBinary) check_binary(e.name, e.fn, a, b, e.ulps);
    }
  }
}

TEST_CASE("cuda elementwise: non-contiguous and misaligned views take the Nd kernel") {
  Handle a = make_typed(TENSOR_FLOAT32, {64, 48}, 3), b = make_typed(TENSOR_FLOAT32, {48, 64}, 4);
  Handle at, sliced_a, sliced_b;
  REQUIRE_OK(tensor_transpose(at.out(), a, 0, 1));  // (48, 64), strides (1, 48)
  REQUIRE_OK(tensor_slice(sliced_a.out(), b, 1, 1, 64, 1));  // offset of one element: not 16-byte aligned
  REQUIRE_OK(tensor_slice(sliced_b.out(), at, 1, 0, 63, 1));
  // Views must be made on each device: transpose/slice the CUDA copies the same way.
  for (const BinaryEntry& e : kBinary) {
    INFO("op " << e.name);
    Handle want, got, ca, cb, cat_, csa, csb;
    REQUIRE_OK(e.fn(want.out(), at, b));
    ca = to_cuda(a);
    cb = to_cuda(b);
    REQUIRE_OK(tensor_transpose(cat_.out(), ca, 0, 1));
    REQUIRE_OK(e.fn(got.out(), cat_, cb));
    require_same(got, want, e.ulps);
    REQUIRE_OK(e.fn(want.out(), sliced_a, sliced_b));
    REQUIRE_OK(tensor_slice(csa.out(), cb, 1, 1, 64, 1));
    REQUIRE_OK(tensor_slice(csb.out(), cat_, 1, 0, 63, 1));
    REQUIRE_OK(e.fn(got.out(), csa, csb));
    require_same(got, want, e.ulps);
  }
}

TEST_CASE("cuda elementwise: ops with a scalar match the CPU") {
  const double scalars[] = {2.0, 3.0, -1.0, 0.5, 0.0, -2.5};
  for (tensor_dtype dt : kDtypes) {
    Handle a = make_typed(dt, {3, 1000}, 21);
    Handle ca = to_cuda(a);
    for (const ScalarEntry& e : kScalar) {
      for (double s : scalars) {
        INFO("op " << e.name << "_scalar(" << s << "), dtype " << dt);
        Handle want, got;
        tensor_status st = e.fn(want.out(), a, s);
        REQUIRE(e.fn(got.out(), ca, s) == st);
        if (st == TENSOR_OK) require_same(got, want, std::string(e.name) == "pow" ? 8 : 0);
      }
    }
  }
}

TEST_CASE("cuda elementwise: unary ops match the CPU") {
  for (tensor_dtype dt : kDtypes) {
    for (const std::vector<int64_t>& shape : {std::vector<int64_t>{8, 512}, std::vector<int64_t>{999}, std::vector<int64_t>{}}) {
      Handle a = make_typed(dt, shape, 31);
      Handle ca = to_cuda(a);
      for (const UnaryEntry& e : kUnary) {
        INFO("op " << e.name << ", dtype " << dt);
        Handle want, got;
        tensor_status st = e.fn(want.out(), a);
        REQUIRE(e.fn(got.out(), ca) == st);
        if (st == TENSOR_OK) require_same(got, want, e.ulps);
      }
    }
  }
}

TEST_CASE("cuda elementwise: where with broadcast condition and operands") {
  for (tensor_dtype dt : kDtypes) {
    Handle c = make_typed(TENSOR_BOOL, {5, 1, 64}, 41), a = make_typed(dt, {1, 3, 64}, 42), b = make_typed(dt, {64}, 43);
    Handle want, got;
    REQUIRE_OK(tensor_where(want.out(), c, a, b));
    Handle cc = to_cuda(c), ca = to_cuda(a), cb = to_cuda(b);
    REQUIRE_OK(tensor_where(got.out(), cc, ca, cb));
    require_same(got, want);
  }
}

TEST_CASE("cuda elementwise: in-place ops match the CPU") {
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT64}) {
    for (const InplaceEntry& e : kInplace) {
      INFO("op " << e.name << "_, dtype " << dt);
      Handle t = make_typed(dt, {6, 128}, 51), o = make_typed(dt, {128}, 52);
      Handle ct = to_cuda(t), co = to_cuda(o);
      tensor_status st = e.fn(t, o);
      REQUIRE(e.fn(ct, co) == st);
      if (st == TENSOR_OK) require_same(ct, t);
    }
  }
}

TEST_CASE("cuda elementwise: operands on different devices are TENSOR_ERR_DEVICE") {
  Handle a = make_typed(TENSOR_FLOAT32, {4}, 61);
  Handle ca = to_cuda(a);
  tensor* out = reinterpret_cast<tensor*>(0x1);
  REQUIRE(tensor_add(&out, a, ca) == TENSOR_ERR_DEVICE);
  REQUIRE(out == nullptr);
  std::string msg = tensor_last_error();
  INFO(msg);
  REQUIRE(msg.find("cpu") != std::string::npos);
  REQUIRE(msg.find("cuda:0") != std::string::npos);
  REQUIRE(tensor_add_(ca, a) == TENSOR_ERR_DEVICE);
}

TEST_CASE("cuda elementwise: large tensors cross the 32-bit block and vector boundaries") {
  // 2^22 + 3 floats: the vectorised path cannot take it (odd size) and a slice of it (aligned size) can.
  const int64_t n = (int64_t(1) << 22) + 3;
  Handle a = make_typed(TENSOR_FLOAT32, {n}, 71, false), b = make_typed(TENSOR_FLOAT32, {n}, 72, false);
  check_binary("add", tensor_add, a, b, 0);
  Handle sa, sb;
  REQUIRE_OK(tensor_slice(sa.out(), a, 0, 3, n, 1));
  REQUIRE_OK(tensor_slice(sb.out(), b, 0, 0, n - 3, 1));
  Handle want, got, ca, cb, csa, csb;
  REQUIRE_OK(tensor_mul(want.out(), sa, sb));
  ca = to_cuda(a);
  cb = to_cuda(b);
  REQUIRE_OK(tensor_slice(csa.out(), ca, 0, 3, n, 1));
  REQUIRE_OK(tensor_slice(csb.out(), cb, 0, 0, n - 3, 1));
  REQUIRE_OK(tensor_mul(got.out(), csa, csb));
  require_same(got, want);
}
