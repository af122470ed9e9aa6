// An out-of-tree C++17 program using an installed libtensor through its header-only wrapper
// (tensor/tensor.hpp, itself only calls into the C ABI): a broadcasting multiply read back to the host,
// a reduction, and the error contract surfacing as libtensor::Error. Exit status 0 means OK.
#include <tensor/tensor.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace lt = libtensor;

namespace {
int failures = 0;
void expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "failed: %s\n", what);
    ++failures;
  }
}
#define EXPECT(cond) expect((cond), #cond)
}  // namespace

int main() {
  lt::Tensor col = lt::from_vector<double>({1, 2}, {2, 1});
  lt::Tensor row = lt::from_vector<double>({10, 20, 30}, {1, 3});
  lt::Tensor prod = col * row;
  EXPECT(prod.dtype() == lt::kFloat64);
  EXPECT((prod.shape() == std::vector<int64_t>{2, 3}));
  EXPECT((prod.to_vector<double>() == std::vector<double>{10, 20, 30, 20, 40, 60}));
  EXPECT(prod.sum().item<double>() == 180.0);

  bool threw = false;
  try {
    col.permute({0, 5});
  } catch (const lt::Error& e) {
    threw = true;
    EXPECT(e.status() == TENSOR_ERR_INDEX);
    EXPECT(std::string(e.what()).rfind("tensor_permute: ", 0) == 0);
  }
  EXPECT(threw);

  if (failures == 0) std::printf("C++ consumer OK: libtensor %s\n", tensor_version());
  return failures == 0 ? 0 : 1;
}
