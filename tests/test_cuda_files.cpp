// Saving CUDA tensors: each format copies them to the host (any layout, every dtype); what loads back
// equals the CPU tensor the CUDA one was made from. Skips (77) without a GPU.
#include <cstdlib>
#include <string>
#include <vector>

#include "test_cuda_util.h"

TEST_CASE("cuda files: CUDA tensors save through the host in every format") {
  char dir[] = "/tmp/lt_cuda_files_XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string base = dir;
  const tensor_dtype dtypes[] = {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT32, TENSOR_INT64, TENSOR_BOOL};
  for (tensor_dtype dt : dtypes) {
    INFO("dtype " << int(dt));
    Handle d = make<double>(test_values<double>(12, 7, false), {3, 4}), cpu, cuda, cuda_t;
    REQUIRE_OK(tensor_to_dtype(cpu.out(), d, dt));
    cuda = to_cuda(cpu);
    REQUIRE_OK(tensor_transpose(cuda_t.out(), cuda, 0, 1));  // non-contiguous on the device
    Handle cpu_t;
    REQUIRE_OK(tensor_transpose(cpu_t.out(), cpu, 0, 1));
    const tensor* ts[] = {cuda, cuda_t};
    const char* ns[] = {"a", "at"};
    const std::string st = base + "/c.safetensors", npz = base + "/c.npz", npy = base + "/c.npy";
    REQUIRE_OK(tensor_save_safetensors(st.c_str(), ns, ts, 2, nullptr));
    REQUIRE_OK(tensor_save_npz(npz.c_str(), ns, ts, 2, true));
    REQUIRE_OK(tensor_save_npy(npy.c_str(), cuda_t));
    for (const std::string& p : {st, npz}) {
      tensor_file* f = nullptr;
      REQUIRE_OK(tensor_file_open(&f, p.c_str()));
      Handle a, at;
      REQUIRE_OK(tensor_file_get(a.out(), f, "a"));
      REQUIRE_OK(tensor_file_get(at.out(), f, "at"));
      tensor_file_close(f);
      CHECK(values<double>(a) == values<double>(cpu));
      CHECK(values<double>(at) == values<double>(cpu_t));
    }
    tensor_file* f = nullptr;
    REQUIRE_OK(tensor_file_open(&f, npy.c_str()));
    Handle x;
    REQUIRE_OK(tensor_file_get(x.out(), f, ""));
    tensor_file_close(f);
    CHECK(values<double>(x) == values<double>(cpu_t));
  }
  std::system(("rm -rf '" + base + "'").c_str());
}
