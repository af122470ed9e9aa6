// Hostile inputs and call sequences through the public C API: what a user running another library's test
// inputs, or an attacker, found (heap overflow in cat, stack overflow at huge ranks, races in backward
// and in the thread-count setting, DLPack descriptors that lie, in-place writes into overlapping memory,
// and semantic gaps against PyTorch). The TSan build runs the threaded cases.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <thread>
#include <vector>

#include "tensor/tensor_dlpack.h"
#include "test_util.h"

namespace {

Handle zeros(const std::vector<int64_t>& shape, tensor_dtype dt = TENSOR_FLOAT32) {
  tensor_options o = opts_of(dt);
  Handle h;
  REQUIRE_OK(tensor_zeros(h.out(), shape.data(), static_cast<int32_t>(shape.size()), &o));
  return h;
}

Handle expand(const tensor* t, const std::vector<int64_t>& shape) {
  Handle h;
  REQUIRE_OK(tensor_expand(h.out(), t, shape.data(), static_cast<int32_t>(shape.size())));
  return h;
}

bool message_has(const char* fragment) { return std::string(tensor_last_error()).find(fragment) != std::string::npos; }

Handle grad_of(const tensor* t) {
  Handle g;
  REQUIRE_OK(tensor_grad(g.out(), t));
  return g;
}

Handle leaf(const std::vector<double>& v, const std::vector<int64_t>& shape) {
  Handle h = make<double>(v, shape);
  REQUIRE_OK(tensor_set_requires_grad(h, true));
  return h;
}

}  // namespace

// ---- shapes ----------------------------------------------------------------------------------------

TEST_CASE("cat of expanded views whose sizes sum past INT64_MAX is refused", "[hostile][shape]") {
  // The sum along the cat dim wrapped, a small result was allocated and the copies overflowed the heap.
  Handle one = zeros({1, 1});
  for (int64_t size : {int64_t(1) << 62, INT64_MAX / 2 + 1, INT64_MAX}) {
    Handle big = expand(one, {size, 1});
    for (int32_t n : {2, 4}) {
      std::vector<const tensor*> list(static_cast<size_t>(n), big.get());
      tensor* out = reinterpret_cast<tensor*>(&big);
      REQUIRE(tensor_cat(&out, list.data(), n, 0) == TENSOR_ERR_SHAPE);
      CHECK(out == nullptr);
      CHECK(message_has("tensor_cat: "));
      CHECK(message_has("does not fit in int64"));
    }
  }
  // A sum that fits is still checked against the extent rule (too many bytes), not allocated blindly.
  Handle big = expand(one, {int64_t(1) << 61, 1});
  const tensor* list[] = {big, big};
  Handle out;
  CHECK(tensor_cat(out.out(), list, 2, 0) != TENSOR_OK);
}

TEST_CASE("reshape refuses a zero-size shape whose other sizes overflow the extent", "[hostile][shape]") {
  // [0, 2^62, 4] has 0 elements, so the element-count check passed; its strides overflow int64.
  Handle t = zeros({0});
  const int64_t bad[] = {0, int64_t(1) << 62, 4};
  Handle out;
  CHECK(tensor_reshape(out.out(), t, bad, 3) == TENSOR_ERR_SHAPE);
}

TEST_CASE("ranks above TENSOR_MAX_NDIM are refused wherever a shape enters", "[hostile][rank]") {
  STATIC_REQUIRE(TENSOR_MAX_NDIM == 64);
  for (int32_t nd : {TENSOR_MAX_NDIM + 1, 5000, 40000}) {
    std::vector<int64_t> ones(static_cast<size_t>(nd), 1);
    Handle out;
    REQUIRE(tensor_zeros(out.out(), ones.data(), nd, nullptr) == TENSOR_ERR_SHAPE);
    CHECK(message_has("at most 64 dimensions"));
    std::vector<double> v{1};
    tensor_options o = opts_of(TENSOR_FLOAT64);
    CHECK(tensor_from_data(out.out(), v.data(), ones.data(), nd, &o) == TENSOR_ERR_SHAPE);
  }
  // At the limit everything works, printing included (it recursed once per dim: ASan saw the stack
  // overflow at rank 5000).
  std::vector<int64_t> shape(TENSOR_MAX_NDIM, 1);
  shape[10] = 2;
  Handle deep = zeros(shape);
  std::string text(4096, '\0');
  int64_t len = tensor_format(deep, &text[0], text.size());
  REQUIRE(len > 0);
  REQUIRE(static_cast<size_t>(len) < text.size());
  CHECK(text.rfind("tensor(" + std::string(TENSOR_MAX_NDIM, '['), 0) == 0);
  // Views that would add a dim.
  Handle out;
  CHECK(tensor_unsqueeze(out.out(), deep, 0) == TENSOR_ERR_SHAPE);
  std::vector<int64_t> more(TENSOR_MAX_NDIM + 1, 1);
  more[0] = 2;
  CHECK(tensor_reshape(out.out(), deep, more.data(), TENSOR_MAX_NDIM + 1) == TENSOR_ERR_SHAPE);
  CHECK(tensor_expand(out.out(), deep, more.data(), TENSOR_MAX_NDIM + 1) == TENSOR_ERR_SHAPE);
  const tensor* list[] = {deep, deep};
  CHECK(tensor_stack(out.out(), list, 2, 0) == TENSOR_ERR_SHAPE);
  CHECK(tensor_cat(out.out(), list, 2, 0) == TENSOR_OK);
}

TEST_CASE("a DLPack import above TENSOR_MAX_NDIM is refused and its deleter runs", "[hostile][rank][dlpack]") {
  static int deleted = 0;
  deleted = 0;
  static double cell = 0;
  std::vector<int64_t> shape(TENSOR_MAX_NDIM + 1, 1);
  DLManagedTensorVersioned m{};
  m.version.major = DLPACK_MAJOR_VERSION;
  m.deleter = [](DLManagedTensorVersioned*) { ++deleted; };
  m.dl_tensor.data = &cell;
  m.dl_tensor.device.device_type = kDLCPU;
  m.dl_tensor.ndim = TENSOR_MAX_NDIM + 1;
  m.dl_tensor.dtype = DLDataType{kDLFloat, 64, 1};
  m.dl_tensor.shape = shape.data();
  Handle out;
  CHECK(tensor_from_dlpack(out.out(), &m) == TENSOR_ERR_SHAPE);
  CHECK(deleted == 1);
}

TEST_CASE("cat skips legacy 1-d empty tensors as PyTorch does", "[hostile][cat]") {
  Handle e = zeros({0});
  Handle x = make<float>({1, 2, 3, 4}, {2, 2});
  const tensor* list[] = {e, x, e};
  Handle out;
  REQUIRE_OK(tensor_cat(out.out(), list, 3, 0));
  CHECK(shape_of(out) == std::vector<int64_t>{2, 2});
  CHECK(values<float>(out) == std::vector<float>{1, 2, 3, 4});
  REQUIRE_OK(tensor_cat(out.out(), list, 3, 1));
  CHECK(shape_of(out) == std::vector<int64_t>{2, 2});
  // dtype promotion still counts the skipped operand (PyTorch: float32 and int64 [0] give float32; a
  // float64 [0] widens).
  Handle e64 = zeros({0}, TENSOR_FLOAT64);
  const tensor* list64[] = {x, e64};
  REQUIRE_OK(tensor_cat(out.out(), list64, 2, 0));
  CHECK(tensor_get_dtype(out) == TENSOR_FLOAT64);
  // Only empty tensors: the result is empty.
  const tensor* empties[] = {e, e};
  REQUIRE_OK(tensor_cat(out.out(), empties, 2, 0));
  CHECK(shape_of(out) == std::vector<int64_t>{0});
  // A [0] next to a [0, 3] is skipped too; a [3] next to a [2, 2] is still an error.
  Handle e03 = zeros({0, 3});
  const tensor* mixed[] = {e, e03};
  REQUIRE_OK(tensor_cat(out.out(), mixed, 2, 0));
  CHECK(shape_of(out) == std::vector<int64_t>{0, 3});
  Handle v3 = zeros({3});
  const tensor* bad[] = {v3, x};
  CHECK(tensor_cat(out.out(), bad, 2, 0) == TENSOR_ERR_SHAPE);
  // Backward: the skipped operand gets no grad, the others theirs.
  Handle a = leaf({1, 2, 3, 4}, {2, 2});
  Handle b = leaf({}, {0});
  const tensor* glist[] = {b, a};
  Handle c, s;
  REQUIRE_OK(tensor_cat(c.out(), glist, 2, 0));
  REQUIRE_OK(tensor_sum(s.out(), c, nullptr, 0, false));
  REQUIRE_OK(tensor_backward(s, nullptr, false));
  CHECK(values<double>(grad_of(a)) == std::vector<double>{1, 1, 1, 1});
}

// ---- creation --------------------------------------------------------------------------------------

TEST_CASE("integer arange truncates start and step first, as PyTorch", "[hostile][arange]") {
  // Reference values from torch 1.13 (NumPy agrees on the int32 case).
  tensor_options i32 = opts_of(TENSOR_INT32), i64 = opts_of(TENSOR_INT64);
  Handle t;
  REQUIRE_OK(tensor_arange(t.out(), 2.1, -2.9, -1.0, &i32));
  CHECK(values<int32_t>(t) == std::vector<int32_t>{2, 1, 0, -1, -2});
  REQUIRE_OK(tensor_arange(t.out(), 0, 3.1, 1, &i64));
  CHECK(values<int64_t>(t) == std::vector<int64_t>{0, 1, 2});
  REQUIRE_OK(tensor_arange(t.out(), 0.5, 7.9, 2.5, &i32));  // step 2; count ceil(7.4 / 2.5) = 3
  CHECK(values<int32_t>(t) == std::vector<int32_t>{0, 2, 4});
  REQUIRE_OK(tensor_arange(t.out(), 0.5, 7.9, 2.5, &i64));  // int64: ceil((7 - 0) / 2) = 4
  CHECK(values<int64_t>(t) == std::vector<int64_t>{0, 2, 4, 6});
  CHECK(tensor_arange(t.out(), 0, 3, 0.5, &i64) == TENSOR_ERR_INVALID_ARGUMENT);  // step truncates to 0
  CHECK(tensor_arange(t.out(), 0, 1e300, 1, &i64) == TENSOR_ERR_INVALID_ARGUMENT);
  // Floating dtypes keep the fractional values.
  tensor_options f64 = opts_of(TENSOR_FLOAT64);
  REQUIRE_OK(tensor_arange(t.out(), 2.1, -2.9, -1.0, &f64));
  std::vector<double> want{2.1, 1.1, 0.1, -0.9, -1.9};
  std::vector<double> got = values<double>(t);
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) CHECK(std::fabs(got[i] - want[i]) < 1e-12);
}

// ---- in-place writes with internal overlap ---------------------------------------------------------

TEST_CASE("in-place writes into tensors with internal overlap are refused", "[hostile][inplace]") {
  Handle base = make<float>({1, 2, 3}, {3, 1});
  Handle ex = expand(base, {3, 4});  // each row is 4 aliases of one element
  Handle one = make<float>({1}, {1});
  CHECK(tensor_add_(ex, one) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(message_has("tensor_add_: "));
  CHECK(message_has("single memory location"));
  CHECK(tensor_mul_(ex, one) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_copy_(ex, one) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_fill_(ex, 2.0) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_zero_(ex) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(values<float>(base) == std::vector<float>{1, 2, 3});  // untouched
  // The overlap is reported before the leaf rule (a fuzz finding: its model expected the autograd status).
  Handle leaf;
  REQUIRE_OK(tensor_detach(leaf.out(), ex));
  REQUIRE_OK(tensor_set_requires_grad(leaf, true));
  CHECK(tensor_fill_(leaf, 2.0) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_zero_(leaf) == TENSOR_ERR_INVALID_ARGUMENT);
  // Non-overlapping views stay writable: transposed, sliced with a step, expanded along a size-1 dim.
  Handle m = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle mt, sl;
  REQUIRE_OK(tensor_transpose(mt.out(), m, 0, 1));
  REQUIRE_OK(tensor_add_(mt, one));
  REQUIRE_OK(tensor_slice(sl.out(), m, 1, 0, 3, 2));
  REQUIRE_OK(tensor_mul_(sl, one));
  Handle same = expand(base, {3, 1});
  REQUIRE_OK(tensor_add_(same, one));
  CHECK(values<float>(m) == std::vector<float>{2, 3, 4, 5, 6, 7});
}

TEST_CASE("in-place writes into a stride-0 DLPack import are refused", "[hostile][inplace][dlpack]") {
  static double cell[2] = {1, 0};
  static int deleted = 0;
  deleted = 0;
  int64_t shape[] = {4}, strides[] = {0};
  DLManagedTensorVersioned m{};
  m.version.major = DLPACK_MAJOR_VERSION;
  m.deleter = [](DLManagedTensorVersioned*) { ++deleted; };
  m.dl_tensor.data = cell;
  m.dl_tensor.device.device_type = kDLCPU;
  m.dl_tensor.ndim = 1;
  m.dl_tensor.dtype = DLDataType{kDLFloat, 64, 1};
  m.dl_tensor.shape = shape;
  m.dl_tensor.strides = strides;
  {
    Handle t;
    REQUIRE_OK(tensor_from_dlpack(t.out(), &m));
    CHECK(values<double>(t) == std::vector<double>{1, 1, 1, 1});  // reading is fine
    Handle one = make<double>({1}, {1});
    CHECK(tensor_add_(t, one) == TENSOR_ERR_INVALID_ARGUMENT);
    CHECK(cell[0] == 1);
  }
  CHECK(deleted == 1);
}

// ---- DLPack descriptors that lie -------------------------------------------------------------------

namespace {

struct Import {
  static int deleted;
  std::vector<int64_t> shape, strides;
  DLManagedTensorVersioned m{};
  Import(void* data, DLDataType dt, std::vector<int64_t> shp, std::vector<int64_t> str = {})
      : shape(std::move(shp)), strides(std::move(str)) {
    deleted = 0;
    m.version.major = DLPACK_MAJOR_VERSION;
    m.deleter = [](DLManagedTensorVersioned*) { ++deleted; };
    m.dl_tensor.data = data;
    m.dl_tensor.device.device_type = kDLCPU;
    m.dl_tensor.ndim = static_cast<int32_t>(shape.size());
    m.dl_tensor.dtype = dt;
    m.dl_tensor.shape = shape.data();
    m.dl_tensor.strides = strides.empty() ? nullptr : strides.data();
  }
};
int Import::deleted = 0;

}  // namespace

TEST_CASE("a DLPack device type outside the enum is refused, read as an integer", "[hostile][dlpack]") {
  // Loading the enum field held 12345 was undefined behaviour (UBSan: invalid value for DLDeviceType).
  double data[1] = {0};
  for (int32_t type : {12345, -7, 0x7fffffff}) {
    Import im(data, DLDataType{kDLFloat, 64, 1}, {1});
    std::memcpy(&im.m.dl_tensor.device.device_type, &type, sizeof type);  // what a C producer can send
    Handle out;
    CHECK(tensor_from_dlpack(out.out(), &im.m) == TENSOR_ERR_DEVICE);
    CHECK(message_has(std::to_string(type).c_str()));
    CHECK(Import::deleted == 1);
  }
}

TEST_CASE("a zero-copy bool import must hold only 0 and 1", "[hostile][dlpack]") {
  // Bytes 2 and 0x80 broke the bool invariant: sum counted them as 2 and 128 (386 in the report).
  unsigned char bad[] = {1, 0, 2, 1, 0x80, 1};
  {
    Import im(bad, DLDataType{kDLBool, 8, 1}, {6});
    Handle out;
    CHECK(tensor_from_dlpack(out.out(), &im.m) == TENSOR_ERR_INVALID_ARGUMENT);
    CHECK(message_has("bool element 2"));
    CHECK(Import::deleted == 1);
  }
  // A strided import only reads its own elements: the bytes between them may be anything.
  {
    Import im(bad, DLDataType{kDLBool, 8, 1}, {2}, {3});  // elements bad[0] = 1 and bad[3] = 1
    Handle out;
    REQUIRE_OK(tensor_from_dlpack(out.out(), &im.m));
    Handle s;
    REQUIRE_OK(tensor_sum(s.out(), out, nullptr, 0, false));
    CHECK(values<int64_t>(s) == std::vector<int64_t>{2});
  }
  unsigned char good[] = {1, 0, 1, 1};
  {
    Import im(good, DLDataType{kDLBool, 8, 1}, {2, 2});
    Handle out;
    REQUIRE_OK(tensor_from_dlpack(out.out(), &im.m));
    CHECK(tensor_data(out) == static_cast<const void*>(good));  // still zero-copy
  }
}

TEST_CASE("a DLPack byte_offset that wraps the address space is refused", "[hostile][dlpack]") {
  double data[2] = {1, 2};
  for (uint64_t off : {~uint64_t(0) - 7, ~uint64_t(0) - 15, ~uint64_t(0) - 4095}) {
    Import im(data, DLDataType{kDLFloat, 64, 1}, {2});
    im.m.dl_tensor.byte_offset = off;
    Handle out;
    CHECK(tensor_from_dlpack(out.out(), &im.m) == TENSOR_ERR_INVALID_ARGUMENT);
    CHECK(message_has("overflows the address space"));
    CHECK(Import::deleted == 1);
  }
}

// ---- autograd ---------------------------------------------------------------------------------------

TEST_CASE("matmul backward with an inner or outer size of 0 gives zero grads", "[hostile][autograd]") {
  // PyTorch 1.13 gives zero grads of the operands' shapes; the batch-folding path reshaped with -1,
  // which is ambiguous with a 0 ("shape [-1, 0] is invalid").
  struct Case {
    std::vector<int64_t> a, b;
  };
  for (const Case& c : {Case{{5, 5, 0}, {0, 5}}, Case{{5, 5, 3}, {3, 0}}, Case{{2, 0, 3}, {3, 4}},
                        Case{{0, 3}, {3, 2}}, Case{{4, 0}, {0}}}) {
    auto numel = [](const std::vector<int64_t>& s) {
      int64_t n = 1;
      for (int64_t d : s) n *= d;
      return n;
    };
    Handle a = leaf(std::vector<double>(static_cast<size_t>(numel(c.a)), 1.0), c.a);
    Handle b = leaf(std::vector<double>(static_cast<size_t>(numel(c.b)), 1.0), c.b);
    Handle out, s;
    REQUIRE_OK(tensor_matmul(out.out(), a, b));
    REQUIRE_OK(tensor_sum(s.out(), out, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(s, nullptr, false));
    Handle ga = grad_of(a), gb = grad_of(b);
    REQUIRE(ga.get() != nullptr);
    REQUIRE(gb.get() != nullptr);
    CHECK(shape_of(ga) == c.a);
    CHECK(shape_of(gb) == c.b);
    // With k, m or n of 0 every grad element is 0 (or there is none).
    for (double v : values<double>(ga)) CHECK(v == 0.0);
    for (double v : values<double>(gb)) CHECK(v == 0.0);
  }
}

TEST_CASE("a failed backward keeps grads already accumulated (documented, as PyTorch)", "[hostile][autograd]") {
  // loss = (exp(y) + x).sum() with exp's saved result modified in place: the engine reaches x's
  // accumulator before ExpBackward, which then fails.
  Handle x = leaf({1, 2}, {2});
  Handle y = leaf({0, 0}, {2});
  Handle e, sum, loss;
  REQUIRE_OK(tensor_exp(e.out(), y));
  REQUIRE_OK(tensor_add(sum.out(), e, x));
  REQUIRE_OK(tensor_sum(loss.out(), sum, nullptr, 0, false));
  {
    tensor_set_grad_enabled(false);
    Handle one = make<double>({1}, {1});
    REQUIRE_OK(tensor_add_(e, one));
    tensor_set_grad_enabled(true);
  }
  CHECK(tensor_backward(loss, nullptr, false) == TENSOR_ERR_AUTOGRAD);
  CHECK(message_has("modified by an in-place operation"));
  Handle gx = grad_of(x), gy = grad_of(y);
  REQUIRE(gx.get() != nullptr);  // the part that ran stays: not all-or-nothing
  CHECK(values<double>(gx) == std::vector<double>{1, 1});
  CHECK(gy.get() == nullptr);
  CHECK(values<double>(x) == std::vector<double>{1, 2});  // values are unchanged
}

TEST_CASE("backward on two threads over graphs that share nodes", "[hostile][autograd][threads]") {
  // Two roots over one shared MulBackward (saves x twice): the second backward read saved tensors while
  // the first freed them (segfault in 2 of 3 runs). Each node now runs under its own lock: each call
  // either succeeds or reports the freed graph, and with retain_graph both add their grads.
  for (int round = 0; round < 50; ++round) {
    const bool retain = round % 2 == 1;
    Handle x = leaf({1, 2, 3}, {3});
    Handle h, h2, r1, r2;
    REQUIRE_OK(tensor_mul(h.out(), x, x));
    REQUIRE_OK(tensor_mul_scalar(h2.out(), h, 2.0));
    REQUIRE_OK(tensor_sum(r1.out(), h, nullptr, 0, false));
    REQUIRE_OK(tensor_sum(r2.out(), h2, nullptr, 0, false));
    std::atomic<int> go{0};
    tensor_status st[2] = {TENSOR_OK, TENSOR_OK};
    auto run = [&](int i, tensor* root) {
      go.fetch_add(1);
      while (go.load() < 2) {
      }
      st[i] = tensor_backward(root, nullptr, retain);
    };
    std::thread t1(run, 0, r1.get()), t2(run, 1, r2.get());
    t1.join();
    t2.join();
    for (tensor_status s : st) CHECK((s == TENSOR_OK || s == TENSOR_ERR_AUTOGRAD));
    Handle g = grad_of(x);
    if (retain) {
      REQUIRE(st[0] == TENSOR_OK);
      REQUIRE(st[1] == TENSOR_OK);
      CHECK(values<double>(g) == std::vector<double>{6, 12, 18});  // 2x + 4x
    } else if (st[0] == TENSOR_OK && st[1] == TENSOR_OK) {
      CHECK(values<double>(g) == std::vector<double>{6, 12, 18});
    } else {
      REQUIRE(g.get() != nullptr);  // exactly one of them ran MulBackward
      std::vector<double> gv = values<double>(g);
      CHECK((gv == std::vector<double>{2, 4, 6} || gv == std::vector<double>{4, 8, 12}));
    }
  }
}

// ---- threads ---------------------------------------------------------------------------------------

// [openmp]: these run OpenMP and OpenBLAS thread teams, which TSan cannot see into (uninstrumented
// runtimes: false reports); the TSan run excludes them, as it does test_threads' [openmp] cases.
TEST_CASE("the thread count is validated and capped at the machine's CPUs", "[hostile][threads][openmp]") {
  const int32_t before = tensor_get_num_threads();
  const int32_t cpus = static_cast<int32_t>(std::max(1u, std::thread::hardware_concurrency()));
  CHECK(tensor_set_num_threads(0) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_set_num_threads(-5) == TENSOR_ERR_INVALID_ARGUMENT);
  // A huge count made libgomp try to create that many threads on the next big op (and exit the process
  // when it could not).
  REQUIRE_OK(tensor_set_num_threads(1 << 30));
  CHECK(tensor_get_num_threads() == cpus);
  int64_t n = 1 << 20;
  Handle a, b;
  REQUIRE_OK(tensor_ones(a.out(), &n, 1, nullptr));
  REQUIRE_OK(tensor_add(b.out(), a, a));
  CHECK(values<float>(b)[static_cast<size_t>(n - 1)] == 2.0f);
  REQUIRE_OK(tensor_set_num_threads(1));
  CHECK(tensor_get_num_threads() == 1);
  REQUIRE_OK(tensor_set_num_threads(before));
}

TEST_CASE("changing the thread count while other threads run matmul", "[hostile][threads][openmp]") {
  // openblas_set_num_threads raced with a running gemm inside OpenBLAS.
  const int32_t before = tensor_get_num_threads();
  int64_t shape[] = {192, 192};
  Handle a;
  REQUIRE_OK(tensor_ones(a.out(), shape, 2, nullptr));
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  auto worker = [&] {
    while (!stop.load()) {
      tensor* c = nullptr;
      if (tensor_matmul(&c, a, a) != TENSOR_OK) failures.fetch_add(1);
      std::vector<float> v(192 * 192, 0.0f);
      if (c) tensor_copy_to_host(c, v.data(), v.size() * sizeof(float));
      if (v.front() != 192.0f || v.back() != 192.0f) failures.fetch_add(1);
      tensor_free(c);
    }
  };
  std::thread w1(worker), w2(worker);
  // 60 switches: each waits for OpenBLAS's running gemms, which under ctest -j2 on a loaded machine made
  // 200 of them take minutes; 60 still interleave with dozens of running gemms on both threads.
  for (int i = 0; i < 60; ++i) CHECK(tensor_set_num_threads(1 + i % 2) == TENSOR_OK);
  stop = true;
  w1.join();
  w2.join();
  CHECK(failures.load() == 0);
  REQUIRE_OK(tensor_set_num_threads(before));
}
