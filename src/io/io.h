// Tensor files: safetensors, NumPy .npy and .npz, read through a private memory map and written
// atomically. The io room sees only core: the C shims (capi/file.cpp) hand it contiguous host tensors to
// save and check what it loads (bool bytes). Note [tensor files] in io/file.cpp.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"
#include "io/format.h"

namespace lt::io {

class Mapping;

// One tensor of a file, as its header describes it.
struct Entry {
  std::string name;
  bool deflated = false;     // a deflated .npz member: header parsed at get
  bool parsed = false;       // `info` is valid
  std::string st_dtype;      // safetensors dtype text when unsupported
  NpyInfo info;              // dtype, shape, layout; data_offset from `offset`
  uint64_t offset = 0;       // parsed: where the data starts in the mapping; deflated: the compressed bytes
  uint64_t comp_size = 0;    // deflated only
  uint64_t uncomp_size = 0;  // deflated only
  uint32_t crc = 0;          // deflated only
};

// An open file: its names, its metadata, and the mapping its zero-copy tensors share.
class File {
 public:
  static std::unique_ptr<File> open(const std::string& path);
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  int64_t count() const { return static_cast<int64_t>(entries_.size()); }
  const std::string& name(int64_t i) const;
  // The tensor named `name` (InvalidArgument when absent): zero-copy over the mapping where the data is
  // aligned, native-endian and stored; a copy otherwise. Safe to call from several threads at once.
  Tensor get(const std::string& name) const;
  // NULL when the file has no such metadata key (only safetensors files have metadata).
  const char* metadata(const std::string& key) const;

  // Internal: filled by the format readers.
  File();
  std::shared_ptr<Mapping> map;
  std::vector<Entry> entries_;
  std::vector<std::pair<std::string, std::string>> metadata_;
};

// Savers take contiguous CPU tensors (the shims make them so); each write is atomic (Note [atomic save]).
void save_safetensors(const std::string& path, const std::vector<std::string>& names,
                      const std::vector<Tensor>& tensors, const char* metadata_json);
void save_npy(const std::string& path, const Tensor& t);
void save_npz(const std::string& path, const std::vector<std::string>& names, const std::vector<Tensor>& tensors,
              bool compress);

}  // namespace lt::io
