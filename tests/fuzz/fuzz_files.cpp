// libFuzzer target of the tensor file readers: the input is a whole file (safetensors, .npy or .npz,
// told apart by content as tensor_file_open does). It opens it, loads every tensor, reads a value of
// each (so that ASan sees every byte handed out), asks for metadata, and closes. Any status is fine;
// a crash, a leak, an ASan report or a huge allocation is a finding. Seed corpus: tests/fuzz/corpus_files
// (tiny files from NumPy, np.savez_compressed and a writer of the safetensors spec).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <vector>

#include "tensor/tensor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The readers take a path: an anonymous in-memory file gives one without touching the disk.
  int fd = memfd_create("fuzz_files", MFD_CLOEXEC);
  if (fd < 0) return 0;
  size_t done = 0;
  while (done < size) {
    ssize_t w = write(fd, data + done, size - done);
    if (w <= 0) break;
    done += static_cast<size_t>(w);
  }
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  tensor_file* f = nullptr;
  if (tensor_file_open(&f, path) == TENSOR_OK) {
    (void)tensor_file_metadata(f, "epoch");
    for (int64_t i = 0; i < tensor_file_count(f); ++i) {
      tensor* t = nullptr;
      if (tensor_file_get(&t, f, tensor_file_name(f, i)) != TENSOR_OK) continue;
      int64_t n = tensor_numel(t);
      if (n > 0) {
        std::vector<unsigned char> bytes(static_cast<size_t>(n) * tensor_dtype_size(tensor_get_dtype(t)));
        (void)tensor_copy_to_host(t, bytes.data(), bytes.size());
        (void)tensor_fill_(t, 1.0);  // a write goes to the private mapping or the copy, never the file
      }
      tensor_free(t);
    }
    tensor_file_close(f);
  }
  close(fd);
  return 0;
}
