// Bad input of every kind gets the documented status, a message naming the call, and NULL outputs.
#include <thread>

#include "test_util.h"

TEST_CASE("NULL handles and NULL outputs are invalid arguments, never crashes") {
  Handle a = make<float>({1, 2}, {2});
  tensor* out = reinterpret_cast<tensor*>(0x1);
  CHECK(tensor_add(&out, nullptr, a) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(out == nullptr);
  CHECK(std::string(tensor_last_error()) == "tensor_add: argument 'a' is NULL");
  CHECK(tensor_add(nullptr, a, a) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_exp(&out, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_add_(nullptr, a) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_item(a, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_copy_to_host(nullptr, nullptr, 0) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_backward(nullptr, nullptr, false) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_grad(&out, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  tensor_free(nullptr);
  CHECK(tensor_retain(nullptr) == nullptr);
}

TEST_CASE("inspection of NULL gives defined results") {
  CHECK(tensor_ndim(nullptr) == 0);
  CHECK(tensor_shape(nullptr) == nullptr);
  CHECK(tensor_strides(nullptr) == nullptr);
  CHECK(tensor_numel(nullptr) == 0);
  CHECK(tensor_size(nullptr, 0) == -1);
  CHECK(tensor_get_dtype(nullptr) == TENSOR_FLOAT32);
  CHECK(tensor_get_device(nullptr).type == TENSOR_CPU);
  CHECK_FALSE(tensor_is_contiguous(nullptr));
  CHECK(tensor_data(nullptr) == nullptr);
  CHECK(tensor_format(nullptr, nullptr, 0) == -1);
  CHECK_FALSE(tensor_requires_grad(nullptr));
  Handle a = make<float>({1, 2}, {2});
  CHECK(tensor_size(a, 1) == -1);
  CHECK(tensor_size(a, -1) == 2);
}

TEST_CASE("bad shapes: negative sizes, NULL shape, element counts that overflow int64") {
  Handle t;
  int64_t neg[] = {3, -2};
  CHECK(tensor_zeros(t.out(), neg, 2, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(std::string(tensor_last_error()).find("tensor_zeros: negative size -2") == 0);
  CHECK(tensor_zeros(t.out(), nullptr, 2, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(tensor_zeros(t.out(), neg, -1, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  int64_t huge[] = {INT64_MAX / 4, 8};
  CHECK(tensor_empty(t.out(), huge, 2, nullptr) == TENSOR_ERR_SHAPE);
  int64_t too_many_bytes[] = {INT64_MAX / 2};  // fits int64 as a count, not as bytes
  CHECK(tensor_empty(t.out(), too_many_bytes, 1, nullptr) == TENSOR_ERR_SHAPE);
}

TEST_CASE("an allocation the machine cannot satisfy is out of memory") {
  Handle t;
  int64_t big[] = {int64_t(1) << 50};  // 4 PiB of float32
  CHECK(tensor_empty(t.out(), big, 1, nullptr) == TENSOR_ERR_OUT_OF_MEMORY);
  CHECK(t.get() == nullptr);
}

TEST_CASE("bad enums and options") {
  Handle t;
  int64_t s[] = {2};
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = static_cast<tensor_dtype>(42);
  CHECK(tensor_zeros(t.out(), s, 1, &o) == TENSOR_ERR_INVALID_ARGUMENT);
  o = TENSOR_OPTIONS_INIT;
  o.version = 99;
  CHECK(tensor_zeros(t.out(), s, 1, &o) == TENSOR_ERR_INVALID_ARGUMENT);
  o = TENSOR_OPTIONS_INIT;
  o.device.type = 7;
  CHECK(tensor_zeros(t.out(), s, 1, &o) == TENSOR_ERR_INVALID_ARGUMENT);
  o = TENSOR_OPTIONS_INIT;
  o.device.index = -3;
  CHECK(tensor_zeros(t.out(), s, 1, &o) == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(std::string(tensor_status_string(static_cast<tensor_status>(5))) == "unknown status");
  CHECK(tensor_dtype_size(static_cast<tensor_dtype>(-1)) == 0);
  CHECK(std::string(tensor_dtype_name(TENSOR_INT32)) == "int32");
}

TEST_CASE("CUDA requests without a GPU are device errors") {
  if (tensor_cuda_available()) return;
  Handle t;
  int64_t s[] = {2};
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.device.type = TENSOR_CUDA;
  CHECK(tensor_zeros(t.out(), s, 1, &o) == TENSOR_ERR_DEVICE);
  CHECK(std::string(tensor_last_error()).find("tensor_zeros: CUDA") == 0);
  CHECK(tensor_cuda_device_count() == 0);
  CHECK(tensor_cuda_synchronize(0) == TENSOR_ERR_DEVICE);
}

TEST_CASE("dims out of range are index errors") {
  Handle a = make<float>({1, 2, 3, 4}, {2, 2}), out;
  CHECK(tensor_squeeze(out.out(), a, 2) == TENSOR_ERR_INDEX);
  CHECK(tensor_squeeze(out.out(), a, -3) == TENSOR_ERR_INDEX);
  CHECK(std::string(tensor_last_error()) ==
        "tensor_squeeze: dimension -3 out of range (expected to be in [-2, 1])");
  CHECK(tensor_slice(out.out(), a, 5, 0, 1, 1) == TENSOR_ERR_INDEX);
}

TEST_CASE("the error message is per thread and every status has a name") {
  Handle a = make<float>({1, 2}, {2}), b = make<float>({1, 2, 3}, {3}), out;
  CHECK(tensor_add(out.out(), a, b) == TENSOR_ERR_SHAPE);
  std::string mine = tensor_last_error();
  std::string theirs = "unset";
  std::thread th([&] {
    Handle o;
    tensor_exp(o.out(), nullptr);
    theirs = tensor_last_error();
  });
  th.join();
  CHECK(mine == "tensor_add: shapes [2] and [3] are not broadcastable (dimension -1: 2 vs 3)");
  CHECK(theirs == "tensor_exp: argument 'a' is NULL");
  CHECK(std::string(tensor_last_error()) == mine);
  for (int s = 0; s >= -9; --s) CHECK(std::string(tensor_status_string(static_cast<tensor_status>(s))) != "unknown status");
}

TEST_CASE("a failed call leaves its inputs unchanged") {
  Handle t = make<int32_t>({1, 2}, {2});
  Handle f = make<float>({0.5f, 0.5f}, {2});
  CHECK(tensor_add_(t, f) == TENSOR_ERR_DTYPE);
  CHECK(values<int32_t>(t) == std::vector<int32_t>{1, 2});
}
