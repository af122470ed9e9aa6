// The CUDA caching allocator: steady-state ops reuse cached blocks (no cudaMalloc), statistics track
// tensors and the cache, empty_cache returns the cache, and an impossible allocation is
// TENSOR_ERR_OUT_OF_MEMORY with a message rather than a crash.
#include <string>

#include "cuda/caching_allocator.h"
#include "test_cuda_util.h"

TEST_CASE("cuda memory: a steady-state loop never calls cudaMalloc") {
  const int64_t shape[] = {256, 1024};
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.device = cuda_device();
  Handle a, b;
  REQUIRE_OK(tensor_rand(a.out(), shape, 2, &o));
  REQUIRE_OK(tensor_rand(b.out(), shape, 2, &o));
  auto step = [&] {
    Handle c, d, s;
    REQUIRE_OK(tensor_mul(c.out(), a, b));
    REQUIRE_OK(tensor_add(d.out(), c, a));
    const int32_t dim = 1;
    REQUIRE_OK(tensor_sum(s.out(), d, &dim, 1, false));
  };
  step();  // warm the cache
  const lt::cuda::MemoryStats before = lt::cuda::memory_stats(0);
  for (int i = 0; i < 20; ++i) step();
  REQUIRE_OK(tensor_cuda_synchronize(0));
  const lt::cuda::MemoryStats after = lt::cuda::memory_stats(0);
  REQUIRE(after.malloc_calls == before.malloc_calls);
  REQUIRE(after.free_calls == before.free_calls);
}

TEST_CASE("cuda memory: statistics follow tensors, and empty_cache releases what is cached") {
  REQUIRE_OK(tensor_cuda_empty_cache());
  int64_t alloc0 = 0, cached0 = 0;
  REQUIRE_OK(tensor_cuda_memory_stats(0, &alloc0, &cached0));
  REQUIRE(cached0 == 0);
  const int64_t shape[] = {1 << 20};  // 4 MiB of float32
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.device = cuda_device();
  int64_t alloc1 = 0, cached1 = 0;
  {
    Handle t;
    REQUIRE_OK(tensor_zeros(t.out(), shape, 1, &o));
    REQUIRE_OK(tensor_cuda_memory_stats(0, &alloc1, &cached1));
    REQUIRE(alloc1 >= alloc0 + (int64_t(4) << 20));
  }
  int64_t alloc2 = 0, cached2 = 0;
  REQUIRE_OK(tensor_cuda_memory_stats(0, &alloc2, &cached2));
  REQUIRE(alloc2 == alloc0);
  REQUIRE(cached2 >= (int64_t(4) << 20));
  REQUIRE_OK(tensor_cuda_empty_cache());
  REQUIRE_OK(tensor_cuda_memory_stats(0, &alloc2, &cached2));
  REQUIRE(cached2 == 0);
}

TEST_CASE("cuda memory: an allocation larger than the GPU is TENSOR_ERR_OUT_OF_MEMORY") {
  const int64_t shape[] = {int64_t(1) << 50};  // 4 PiB of float32
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.device = cuda_device();
  tensor* t = reinterpret_cast<tensor*>(0x1);
  REQUIRE(tensor_empty(&t, shape, 1, &o) == TENSOR_ERR_OUT_OF_MEMORY);
  REQUIRE(t == nullptr);
  std::string msg = tensor_last_error();
  INFO(msg);
  REQUIRE(msg.find("cuda:0") != std::string::npos);
  REQUIRE(msg.find("cudaErrorMemoryAllocation") != std::string::npos);
  // The device is still usable afterwards.
  Handle ok;
  const int64_t small[] = {4};
  REQUIRE_OK(tensor_ones(ok.out(), small, 1, &o));
  REQUIRE(values<float>(ok) == std::vector<float>{1, 1, 1, 1});
}
