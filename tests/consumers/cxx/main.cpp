// An out-of-tree C++17 program using an installed libtensor's C ABI with its own RAII: checks a
// broadcasting multiply read back to the host, and the error contract. Exit status 0 means OK.
#include <tensor/tensor.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace {

struct Free {
  void operator()(tensor* t) const { tensor_free(t); }
};
using Owned = std::unique_ptr<tensor, Free>;

int failures = 0;
void expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "failed: %s\n", what);
    ++failures;
  }
}
#define EXPECT(cond) expect((cond), #cond)

Owned from(const std::vector<double>& values, const std::vector<int64_t>& shape) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = TENSOR_FLOAT64;
  tensor* t = nullptr;
  EXPECT(tensor_from_data(&t, values.data(), shape.data(), static_cast<int32_t>(shape.size()), &o) == TENSOR_OK);
  return Owned(t);
}

}  // namespace

int main() {
  Owned col = from({1, 2}, {2, 1});
  Owned row = from({10, 20, 30}, {1, 3});
  tensor* raw = nullptr;
  EXPECT(tensor_mul(&raw, col.get(), row.get()) == TENSOR_OK);
  Owned prod(raw);
  EXPECT(tensor_get_dtype(prod.get()) == TENSOR_FLOAT64);
  std::vector<double> got(6);
  EXPECT(tensor_copy_to_host(prod.get(), got.data(), got.size() * sizeof(double)) == TENSOR_OK);
  EXPECT((got == std::vector<double>{10, 20, 30, 20, 40, 60}));

  tensor* out = col.get();
  int32_t dims[] = {0, 5};
  EXPECT(tensor_permute(&out, col.get(), dims, 2) == TENSOR_ERR_INDEX);
  EXPECT(out == nullptr);
  EXPECT(std::string(tensor_last_error()).rfind("tensor_permute: ", 0) == 0);

  if (failures == 0) std::printf("C++ consumer OK: libtensor %s\n", tensor_version());
  return failures == 0 ? 0 : 1;
}
