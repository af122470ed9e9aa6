// Replays fuzz inputs through the harness without libFuzzer, so that every build (plain, ASan,
// coverage) runs the seed corpus and the regression inputs as an ordinary ctest test.
// Usage: fuzz_capi_replay <file or directory>...
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define FUZZ_REPLAY_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FUZZ_REPLAY_SANITIZED 1
#endif

namespace fs = std::filesystem;

int main(int argc, char** argv) {
#ifndef FUZZ_REPLAY_SANITIZED
  // Without AddressSanitizer's allocation cap (fuzz_capi.cpp), cap the address space instead, so that
  // an input asking for a huge tensor meets a failing allocation rather than the machine's memory.
  struct rlimit lim = {size_t(8) << 30, size_t(8) << 30};
  setrlimit(RLIMIT_AS, &lim);
#endif
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    fs::path p(argv[i]);
    if (fs::is_directory(p)) {
      for (const auto& entry : fs::directory_iterator(p))
        if (entry.is_regular_file()) inputs.push_back(entry.path());
    } else {
      inputs.push_back(p);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::fprintf(stderr, "fuzz_capi_replay: no inputs given\n");
    return 1;
  }
  for (const fs::path& p : inputs) {
    std::ifstream f(p, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", p.string().c_str(), bytes.size());
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  }
  std::printf("fuzz_capi_replay: %zu inputs replayed\n", inputs.size());
  return 0;
}
