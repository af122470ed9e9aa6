// CUDA requests that cannot be served fail cleanly, whatever the machine: without a GPU (or without the
// backend built) every CUDA request is TENSOR_ERR_DEVICE with a message naming CUDA; with one, a device
// index past the last GPU is. Runs on every machine (CI has no GPU).
#include <string>

#include "test_util.h"

namespace {

std::string config() {
  std::string s(static_cast<size_t>(tensor_config_string(nullptr, 0)) + 1, '\0');
  tensor_config_string(&s[0], s.size());
  return s;
}

bool backend_built() { return config().find("cuda: built") != std::string::npos; }

void require_device_error(tensor_status st, const char* call) {
  REQUIRE(st == TENSOR_ERR_DEVICE);
  std::string msg = tensor_last_error();
  INFO(msg);
  REQUIRE(msg.rfind(call, 0) == 0);
  REQUIRE(msg.find("CUDA") != std::string::npos);
}

tensor_options on_device(int32_t type, int32_t index) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.device.type = type;
  o.device.index = index;
  return o;
}

}  // namespace

TEST_CASE("cuda: device count and availability agree") {
  const int32_t n = tensor_cuda_device_count();
  REQUIRE(n >= 0);
  REQUIRE(tensor_cuda_available() == (n > 0));
  if (!backend_built()) REQUIRE(n == 0);
}

TEST_CASE("cuda: the config string has a CUDA line saying whether the backend is built and usable") {
  std::string c = config();
  size_t at = c.find("cuda: ");
  REQUIRE(at != std::string::npos);
  std::string line = c.substr(at, c.find('\n', at) - at);
  INFO(line);
  if (tensor_cuda_available()) REQUIRE(line.find("cuda:0 ") != std::string::npos);
  else REQUIRE((line.find("not built") != std::string::npos || line.find("unavailable") != std::string::npos));
}

TEST_CASE("cuda: requests for a GPU that does not exist are TENSOR_ERR_DEVICE") {
  const int64_t shape[] = {2, 3};
  const int32_t missing = tensor_cuda_device_count();  // one past the last GPU (0 without a GPU)
  tensor_options o = on_device(TENSOR_CUDA, missing);
  tensor* t = reinterpret_cast<tensor*>(0x1);
  require_device_error(tensor_zeros(&t, shape, 2, &o), "tensor_zeros");
  REQUIRE(t == nullptr);
  require_device_error(tensor_empty(&t, shape, 2, &o), "tensor_empty");
  require_device_error(tensor_rand(&t, shape, 2, &o), "tensor_rand");
  require_device_error(tensor_arange(&t, 0, 10, 1, &o), "tensor_arange");
  const float data[] = {1, 2, 3, 4, 5, 6};
  require_device_error(tensor_from_data(&t, data, shape, 2, &o), "tensor_from_data");

  Handle cpu;
  REQUIRE_OK(tensor_ones(cpu.out(), shape, 2, nullptr));
  require_device_error(tensor_to_device(&t, cpu, o.device), "tensor_to_device");
  REQUIRE(t == nullptr);
  require_device_error(tensor_cuda_synchronize(missing), "tensor_cuda_synchronize");
}

TEST_CASE("cuda: memory statistics of a missing GPU") {
  int64_t allocated = -1, cached = -1;
  tensor_status st = tensor_cuda_memory_stats(tensor_cuda_device_count(), &allocated, &cached);
  if (backend_built()) {
    require_device_error(st, "tensor_cuda_memory_stats");
  } else {  // documented: zeros without the backend
    REQUIRE(st == TENSOR_OK);
  }
  REQUIRE(allocated == 0);
  REQUIRE(cached == 0);
  REQUIRE(tensor_cuda_memory_stats(0, nullptr, &cached) == TENSOR_ERR_INVALID_ARGUMENT);
  REQUIRE(tensor_cuda_memory_stats(-1, &allocated, &cached) == TENSOR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("cuda: a bad device type or index is TENSOR_ERR_INVALID_ARGUMENT") {
  const int64_t shape[] = {2};
  tensor* t = nullptr;
  tensor_options o = on_device(7, 0);
  REQUIRE(tensor_zeros(&t, shape, 1, &o) == TENSOR_ERR_INVALID_ARGUMENT);
  o = on_device(TENSOR_CUDA, -1);
  REQUIRE(tensor_zeros(&t, shape, 1, &o) == TENSOR_ERR_INVALID_ARGUMENT);
  REQUIRE(tensor_cuda_synchronize(-1) == TENSOR_ERR_INVALID_ARGUMENT);
  REQUIRE(t == nullptr);
}

TEST_CASE("cuda: emptying the cache and the TF32 switch work on every machine") {
  REQUIRE_OK(tensor_cuda_empty_cache());
  const bool before = tensor_cuda_set_allow_tf32(true);
  REQUIRE(before == false);  // off by default
  REQUIRE(tensor_cuda_set_allow_tf32(false) == backend_built());
  REQUIRE(tensor_cuda_set_allow_tf32(false) == false);
}

TEST_CASE("cuda: the stream of a missing GPU is TENSOR_ERR_DEVICE, bad arguments are refused") {
  void* stream = reinterpret_cast<void*>(0x1);
  require_device_error(tensor_cuda_stream(&stream, tensor_cuda_device_count()), "tensor_cuda_stream");
  REQUIRE(stream == nullptr);
  stream = reinterpret_cast<void*>(0x1);
  REQUIRE(tensor_cuda_stream(&stream, -1) == TENSOR_ERR_INVALID_ARGUMENT);
  REQUIRE(stream == nullptr);
  REQUIRE(tensor_cuda_stream(nullptr, 0) == TENSOR_ERR_INVALID_ARGUMENT);
}
