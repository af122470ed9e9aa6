// DLPack interop through the public C API: zero-copy export and import, the deleter contract (exactly
// once, also on failure), read-only memory, strides, byte_offset, devices and version checks.
#include <cstring>
#include <vector>

#include "tensor/tensor_dlpack.h"
#include "test_util.h"

namespace {

// A foreign buffer with a counting deleter, standing in for another library's tensor.
struct Foreign {
  std::vector<double> data;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
  int deleter_calls = 0;
  DLManagedTensorVersioned managed{};

  static void deleter(DLManagedTensorVersioned* self) { static_cast<Foreign*>(self->manager_ctx)->deleter_calls++; }

  // A float64 tensor over `data` with the given geometry (empty strides: NULL, row-major).
  DLManagedTensorVersioned* describe(std::vector<int64_t> shp, std::vector<int64_t> str = {}, uint64_t byte_offset = 0) {
    shape = std::move(shp);
    strides = std::move(str);
    managed = DLManagedTensorVersioned{};
    managed.version.major = DLPACK_MAJOR_VERSION;
    managed.version.minor = DLPACK_MINOR_VERSION;
    managed.manager_ctx = this;
    managed.deleter = &Foreign::deleter;
    managed.dl_tensor.data = data.data();
    managed.dl_tensor.device.device_type = kDLCPU;
    managed.dl_tensor.device.device_id = 0;
    managed.dl_tensor.ndim = static_cast<int32_t>(shape.size());
    managed.dl_tensor.dtype.code = kDLFloat;
    managed.dl_tensor.dtype.bits = 64;
    managed.dl_tensor.dtype.lanes = 1;
    managed.dl_tensor.shape = shape.data();
    managed.dl_tensor.strides = strides.empty() ? nullptr : strides.data();
    managed.dl_tensor.byte_offset = byte_offset;
    return &managed;
  }
};

std::vector<int64_t> dl_shape(const DLManagedTensorVersioned* m) {
  return std::vector<int64_t>(m->dl_tensor.shape, m->dl_tensor.shape + m->dl_tensor.ndim);
}
std::vector<int64_t> dl_strides(const DLManagedTensorVersioned* m) {
  return std::vector<int64_t>(m->dl_tensor.strides, m->dl_tensor.strides + m->dl_tensor.ndim);
}

// Imports `m` expecting failure with `status`; the deleter must have run once and *out must be NULL.
void require_import_fails(Foreign& f, DLManagedTensorVersioned* m, tensor_status status, const char* fragment) {
  tensor* out = reinterpret_cast<tensor*>(&f);  // garbage that must be overwritten
  REQUIRE(tensor_from_dlpack(&out, m) == status);
  CHECK(out == nullptr);
  CHECK(f.deleter_calls == 1);
  std::string msg = tensor_last_error();
  INFO(msg);
  CHECK(msg.rfind("tensor_from_dlpack: ", 0) == 0);
  CHECK(msg.find(fragment) != std::string::npos);
}

}  // namespace

TEST_CASE("to_dlpack describes a contiguous tensor without copying", "[dlpack]") {
  Handle t = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  DLManagedTensorVersioned* m = nullptr;
  REQUIRE_OK(tensor_to_dlpack(&m, t));
  REQUIRE(m != nullptr);
  CHECK(m->version.major == 1);
  CHECK(m->version.minor == DLPACK_MINOR_VERSION);
  CHECK(m->flags == 0);
  CHECK(m->dl_tensor.data == tensor_data(t));
  CHECK(m->dl_tensor.byte_offset == 0);
  CHECK(m->dl_tensor.device.device_type == kDLCPU);
  CHECK(m->dl_tensor.device.device_id == 0);
  CHECK(m->dl_tensor.dtype.code == kDLFloat);
  CHECK(m->dl_tensor.dtype.bits == 32);
  CHECK(m->dl_tensor.dtype.lanes == 1);
  CHECK(dl_shape(m) == std::vector<int64_t>{2, 3});
  CHECK(dl_strides(m) == std::vector<int64_t>{3, 1});
  m->deleter(m);
}

TEST_CASE("to_dlpack maps every dtype to its DLPack code", "[dlpack]") {
  struct Case {
    tensor_dtype dtype;
    uint8_t code, bits;
  };
  for (Case c : {Case{TENSOR_FLOAT32, kDLFloat, 32}, Case{TENSOR_FLOAT64, kDLFloat, 64}, Case{TENSOR_INT32, kDLInt, 32},
                 Case{TENSOR_INT64, kDLInt, 64}, Case{TENSOR_BOOL, kDLBool, 8}}) {
    Handle t;
    tensor_options o = opts_of(c.dtype);
    int64_t shape[] = {3};
    REQUIRE_OK(tensor_zeros(t.out(), shape, 1, &o));
    DLManagedTensorVersioned* m = nullptr;
    REQUIRE_OK(tensor_to_dlpack(&m, t));
    CHECK(m->dl_tensor.dtype.code == c.code);
    CHECK(m->dl_tensor.dtype.bits == c.bits);
    m->deleter(m);
  }
}

TEST_CASE("to_dlpack of a view gives its strides and first element", "[dlpack]") {
  Handle base = make<int64_t>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {3, 4});
  Handle tr, sl;
  REQUIRE_OK(tensor_transpose(tr.out(), base, 0, 1));
  REQUIRE_OK(tensor_slice(sl.out(), tr, 0, 1, 4, 2));  // rows 1 and 3 of the transpose: shape [2, 3]
  DLManagedTensorVersioned* m = nullptr;
  REQUIRE_OK(tensor_to_dlpack(&m, sl));
  CHECK(dl_shape(m) == std::vector<int64_t>{2, 3});
  CHECK(dl_strides(m) == std::vector<int64_t>{2, 4});
  auto* p = static_cast<const int64_t*>(m->dl_tensor.data) + m->dl_tensor.byte_offset / sizeof(int64_t);
  // Element [i][j] of the view is base[j][1 + 2i].
  CHECK(p[0] == 1);
  CHECK(p[1 * 2 + 2 * 4] == 11);
  CHECK(p == static_cast<const int64_t*>(tensor_data(sl)));
  m->deleter(m);
}

TEST_CASE("to_dlpack keeps the memory alive after the tensor is freed", "[dlpack]") {
  Handle t = make<double>({1.5, 2.5, 3.5}, {3});
  DLManagedTensorVersioned* m = nullptr;
  REQUIRE_OK(tensor_to_dlpack(&m, t));
  tensor_free(t.t);
  t.t = nullptr;
  auto* p = static_cast<const double*>(m->dl_tensor.data);
  CHECK(p[0] == 1.5);
  CHECK(p[2] == 3.5);
  m->deleter(m);
}

TEST_CASE("to_dlpack of a 0-d tensor has ndim 0", "[dlpack]") {
  Handle t = make<double>({7.0}, {});
  DLManagedTensorVersioned* m = nullptr;
  REQUIRE_OK(tensor_to_dlpack(&m, t));
  CHECK(m->dl_tensor.ndim == 0);
  CHECK(*static_cast<const double*>(m->dl_tensor.data) == 7.0);
  m->deleter(m);
}

TEST_CASE("to_dlpack rejects NULL arguments", "[dlpack]") {
  Handle t = make<float>({1}, {1});
  DLManagedTensorVersioned* m = reinterpret_cast<DLManagedTensorVersioned*>(&t);
  CHECK(tensor_to_dlpack(&m, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(m == nullptr);
  CHECK(std::string(tensor_last_error()).rfind("tensor_to_dlpack: ", 0) == 0);
  CHECK(tensor_to_dlpack(nullptr, t) == TENSOR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("from_dlpack wraps foreign memory and calls the deleter exactly once", "[dlpack]") {
  Foreign f;
  f.data = std::vector<double>{1, 2, 3, 4, 5, 6};
  Handle t;
  REQUIRE_OK(tensor_from_dlpack(t.out(), f.describe({2, 3})));
  CHECK(shape_of(t) == std::vector<int64_t>{2, 3});
  CHECK(tensor_get_dtype(t) == TENSOR_FLOAT64);
  CHECK(tensor_data(t) == f.data.data());
  CHECK(values<double>(t) == std::vector<double>{1, 2, 3, 4, 5, 6});

  // A view outlives the tensor it came from: the memory must stay until the view is gone too.
  Handle row;
  REQUIRE_OK(tensor_select(row.out(), t, 0, 1));
  tensor_free(t.t);
  t.t = nullptr;
  CHECK(f.deleter_calls == 0);
  CHECK(values<double>(row) == std::vector<double>{4, 5, 6});
  tensor_free(row.t);
  row.t = nullptr;
  CHECK(f.deleter_calls == 1);
}

TEST_CASE("from_dlpack shares memory both ways (writes are visible)", "[dlpack]") {
  Foreign f;
  f.data = std::vector<double>{1, 2, 3, 4};
  Handle t;
  REQUIRE_OK(tensor_from_dlpack(t.out(), f.describe({4})));
  REQUIRE_OK(tensor_fill_(t, 9.0));
  CHECK(f.data == std::vector<double>{9, 9, 9, 9});
  f.data[2] = -1;
  CHECK(values<double>(t) == std::vector<double>{9, 9, -1, 9});
}

TEST_CASE("from_dlpack honours strides", "[dlpack]") {
  Foreign f;
  f.data = std::vector<double>{0, 1, 2, 3, 4, 5};  // column-major storage of [[0, 2, 4], [1, 3, 5]]
  Handle t;
  REQUIRE_OK(tensor_from_dlpack(t.out(), f.describe({2, 3}, {1, 2})));
  CHECK(std::vector<int64_t>(tensor_strides(t), tensor_strides(t) + 2) == std::vector<int64_t>{1, 2});
  CHECK_FALSE(tensor_is_contiguous(t));
  CHECK(values<double>(t) == std::vector<double>{0, 2, 4, 1, 3, 5});
}

TEST_CASE("from_dlpack honours byte_offset", "[dlpack]") {
  Foreign f;
  f.data = std::vector<double>{10, 11, 12, 13, 14};
  Handle t;
  REQUIRE_OK(tensor_from_dlpack(t.out(), f.describe({3}, {}, 2 * sizeof(double))));
  CHECK(values<double>(t) == std::vector<double>{12, 13, 14});
  CHECK(tensor_data(t) == f.data.data() + 2);
}

TEST_CASE("from_dlpack accepts broadcast (zero) strides and empty tensors", "[dlpack]") {
  Foreign f;
  f.data = std::vector<double>{3, 4};
  Handle t;
  REQUIRE_OK(tensor_from_dlpack(t.out(), f.describe({3, 2}, {0, 1})));
  CHECK(values<double>(t) == std::vector<double>{3, 4, 3, 4, 3, 4});

  Foreign e;
  Handle empty;
  REQUIRE_OK(tensor_from_dlpack(empty.out(), e.describe({0, 5})));
  CHECK(tensor_numel(empty) == 0);
  CHECK(shape_of(empty) == std::vector<int64_t>{0, 5});
}

TEST_CASE("from_dlpack of read-only memory refuses in-place writes", "[dlpack]") {
  Foreign f;
  f.data = std::vector<double>{1, 2, 3};
  DLManagedTensorVersioned* m = f.describe({3});
  m->flags = DLPACK_FLAG_BITMASK_READ_ONLY;
  Handle t;
  REQUIRE_OK(tensor_from_dlpack(t.out(), m));
  Handle one = make<double>({1}, {1});
  CHECK(tensor_fill_(t, 0.0) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(std::string(tensor_last_error()).find("read-only") != std::string::npos);
  CHECK(tensor_add_(t, one) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_copy_(t, one) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_zero_(t) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(f.data == std::vector<double>{1, 2, 3});
  // Reading, and ops that make new tensors, still work.
  Handle sum;
  REQUIRE_OK(tensor_add(sum.out(), t, one));
  CHECK(values<double>(sum) == std::vector<double>{2, 3, 4});

  // Re-exporting keeps the flag, so the next consumer is told too.
  DLManagedTensorVersioned* again = nullptr;
  REQUIRE_OK(tensor_to_dlpack(&again, t));
  CHECK((again->flags & DLPACK_FLAG_BITMASK_READ_ONLY) != 0);
  again->deleter(again);
}

TEST_CASE("from_dlpack accepts a newer minor version", "[dlpack]") {
  Foreign f;
  f.data = std::vector<double>{1};
  DLManagedTensorVersioned* m = f.describe({1});
  m->version.minor = 99;
  Handle t;
  REQUIRE_OK(tensor_from_dlpack(t.out(), m));
  CHECK(values<double>(t) == std::vector<double>{1});
}

TEST_CASE("from_dlpack refuses another major version and still calls the deleter", "[dlpack]") {
  Foreign f;
  f.data = std::vector<double>{1};
  DLManagedTensorVersioned* m = f.describe({1});
  m->version.major = 2;
  require_import_fails(f, m, TENSOR_ERR_INVALID_ARGUMENT, "DLPack version 2.");
}

TEST_CASE("from_dlpack refuses unsupported element types", "[dlpack]") {
  Foreign f;
  f.data = std::vector<double>{1};
  DLManagedTensorVersioned* m = f.describe({1});
  m->dl_tensor.dtype.code = kDLUInt;  // uint16: no such dtype (float16 is one since issue 14)
  m->dl_tensor.dtype.bits = 16;
  require_import_fails(f, m, TENSOR_ERR_DTYPE, "code 1, bits 16");

  Foreign g;
  g.data = std::vector<double>{1};
  m = g.describe({1});
  m->dl_tensor.dtype.lanes = 4;
  require_import_fails(g, m, TENSOR_ERR_DTYPE, "lanes 4");
}

TEST_CASE("from_dlpack refuses unsupported devices", "[dlpack]") {
  Foreign f;
  f.data = std::vector<double>{1};
  DLManagedTensorVersioned* m = f.describe({1});
  m->dl_tensor.device.device_type = kDLOpenCL;
  require_import_fails(f, m, TENSOR_ERR_DEVICE, "device type 4");

  if (!tensor_cuda_available()) {
    Foreign g;
    g.data = std::vector<double>{1};
    m = g.describe({1});
    m->dl_tensor.device.device_type = kDLCUDA;
    tensor* out = nullptr;
    CHECK(tensor_from_dlpack(&out, m) == TENSOR_ERR_DEVICE);
    CHECK(out == nullptr);
    CHECK(g.deleter_calls == 1);
  }
}

TEST_CASE("from_dlpack refuses bad geometry", "[dlpack]") {
  Foreign a;
  a.data = {1, 2};
  require_import_fails(a, a.describe({2}, {-1}), TENSOR_ERR_INVALID_ARGUMENT, "negative stride -1");

  Foreign b;
  b.data = {1};
  require_import_fails(b, b.describe({-3}), TENSOR_ERR_INVALID_ARGUMENT, "negative size");

  Foreign c;
  c.data = {1};
  DLManagedTensorVersioned* m = c.describe({1});
  m->dl_tensor.ndim = -1;
  require_import_fails(c, m, TENSOR_ERR_INVALID_ARGUMENT, "negative ndim");

  Foreign d;
  d.data = {1, 2};
  require_import_fails(d, d.describe({1}, {}, 3), TENSOR_ERR_INVALID_ARGUMENT, "not aligned");

  Foreign e;
  m = e.describe({2});
  m->dl_tensor.data = nullptr;
  require_import_fails(e, m, TENSOR_ERR_INVALID_ARGUMENT, "data is NULL");

  Foreign g;
  g.data = std::vector<double>{1};
  require_import_fails(g, g.describe({INT64_MAX / 2, 4}, {4, 1}), TENSOR_ERR_INVALID_ARGUMENT, "overflows");
}

TEST_CASE("from_dlpack with NULL arguments", "[dlpack]") {
  tensor* out = nullptr;
  CHECK(tensor_from_dlpack(&out, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(out == nullptr);

  // out == NULL: the call still owns m, so the deleter runs.
  Foreign f;
  f.data = std::vector<double>{1};
  CHECK(tensor_from_dlpack(nullptr, f.describe({1})) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(f.deleter_calls == 1);

  // A NULL deleter is allowed (the producer needs no notification).
  Foreign g;
  g.data = {5};
  DLManagedTensorVersioned* m = g.describe({1});
  m->deleter = nullptr;
  Handle t;
  REQUIRE_OK(tensor_from_dlpack(t.out(), m));
  CHECK(values<double>(t) == std::vector<double>{5});
}

TEST_CASE("a round trip through DLPack shares memory and frees once", "[dlpack]") {
  Handle t = make<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  Handle tr;
  REQUIRE_OK(tensor_transpose(tr.out(), t, 0, 1));
  DLManagedTensorVersioned* m = nullptr;
  REQUIRE_OK(tensor_to_dlpack(&m, tr));
  Handle back;
  REQUIRE_OK(tensor_from_dlpack(back.out(), m));
  CHECK(shape_of(back) == std::vector<int64_t>{3, 2});
  CHECK(tensor_data(back) == tensor_data(tr));
  CHECK(values<int32_t>(back) == std::vector<int32_t>{1, 4, 2, 5, 3, 6});
  Handle two = make<int32_t>({2}, {1});
  REQUIRE_OK(tensor_mul_(back, two));
  CHECK(values<int32_t>(t) == std::vector<int32_t>{2, 4, 6, 8, 10, 12});
  // Freeing in any order leaves nothing behind (checked for leaks under the sanitizer builds).
  tensor_free(t.t);
  t.t = nullptr;
  tensor_free(tr.t);
  tr.t = nullptr;
  CHECK(values<int32_t>(back) == std::vector<int32_t>{2, 8, 4, 10, 6, 12});
}

TEST_CASE("to_dlpack of a CUDA tensor gives a device pointer", "[dlpack][cuda]") {
  if (!tensor_cuda_available()) {
    SUCCEED("no CUDA device");
    return;
  }
  Handle host = make<float>({1, 2, 3}, {3});
  Handle dev;
  REQUIRE_OK(tensor_to_device(dev.out(), host, tensor_device{TENSOR_CUDA, 0}));
  DLManagedTensorVersioned* m = nullptr;
  REQUIRE_OK(tensor_to_dlpack(&m, dev));
  CHECK(m->dl_tensor.device.device_type == kDLCUDA);
  CHECK(m->dl_tensor.device.device_id == 0);
  Handle back;
  REQUIRE_OK(tensor_from_dlpack(back.out(), m));
  CHECK(tensor_get_device(back).type == TENSOR_CUDA);
  CHECK(values<float>(back) == std::vector<float>{1, 2, 3});
}
