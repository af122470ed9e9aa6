// The C++ wrapper's tensor files: lt::File (RAII over tensor_file), save_safetensors / save_npy / save_npz,
// errors as lt::Error with the library's status.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "tensor/tensor.hpp"

namespace lt = libtensor;

TEST_CASE("cpp: File round trips and outlives its tensors' close", "[cpp][files]") {
  char dir[] = "/tmp/lt_cpp_files_XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string st = std::string(dir) + "/m.safetensors", npz = std::string(dir) + "/m.npz",
                    npy = std::string(dir) + "/m.npy";
  lt::Tensor w = lt::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  lt::Tensor b = lt::from_vector<int64_t>({7, 8}, {2});
  lt::save_safetensors(st, {{"w", w}, {"b", b}}, "{\"epoch\": \"3\"}");
  lt::save_npz(npz, {{"w", w}, {"b", b}}, true);
  lt::save_npy(npy, w);
  lt::Tensor loaded;
  {
    lt::File f(st);
    CHECK(f.size() == 2);
    CHECK(f.metadata("epoch") == "3");
    CHECK(f.metadata("none", "-") == "-");
    loaded = f.get("w");
    CHECK(f.get("b").to_vector<int64_t>() == std::vector<int64_t>{7, 8});
  }
  CHECK(loaded.to_vector<float>() == std::vector<float>{1, 2, 3, 4, 5, 6});
  lt::File z(npz);
  CHECK(z.names() == std::vector<std::string>{"w", "b"});
  CHECK(z.get("w").to_vector<float>() == w.to_vector<float>());
  lt::File one(npy);
  CHECK(one.names() == std::vector<std::string>{""});
  try {
    lt::File missing(std::string(dir) + "/missing.npy");
    FAIL("opened a missing file");
  } catch (const lt::Error& e) {
    CHECK(e.status() == TENSOR_ERR_INVALID_ARGUMENT);
    CHECK(std::string(e.what()).find("No such file") != std::string::npos);
  }
  CHECK_THROWS_AS(z.get("nope"), lt::Error);
  for (const std::string& p : {st, npz, npy}) std::remove(p.c_str());
  std::remove(dir);
}
