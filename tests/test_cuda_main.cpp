// main() of the GPU tests: without a usable GPU the executable prints one line and exits with 77, which
// ctest (SKIP_RETURN_CODE) reports as skipped; with one it runs the Catch2 session.
#define CATCH_CONFIG_RUNNER
#include <cstdio>
#include <string>

#include "catch.hpp"
#include "tensor/tensor.h"

int main(int argc, char** argv) {
  if (!tensor_cuda_available()) {
    std::string config(static_cast<size_t>(tensor_config_string(nullptr, 0)) + 1, '\0');
    tensor_config_string(&config[0], config.size());
    size_t at = config.find("cuda:");
    std::string line = at == std::string::npos ? "" : config.substr(at, config.find('\n', at) - at);
    std::printf("CUDA not available: skipping (%s)\n", line.c_str());
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
