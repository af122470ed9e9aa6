// Tensor files (safetensors, .npy, .npz): handle checks and the conversion of what is saved to
// contiguous host tensors; the formats live in src/io (Note [tensor files] in io/file.cpp).
#include <memory>
#include <string>
#include <vector>

#include "capi/capi_common.h"
#include "io/io.h"

using namespace lt;
using namespace lt::capi;

// The opaque handle: a magic word (as tensors have) so that a freed or foreign pointer is refused.
struct tensor_file {
  static constexpr uint32_t kMagic = 0x4c54464cu;  // "LTFL"
  uint32_t magic = kMagic;
  std::unique_ptr<io::File> file;
};

namespace {

const io::File& check_file(const tensor_file* f) {
  LT_CHECK(f != nullptr, Status::InvalidArgument, "argument 'f' is NULL");
  LT_CHECK(f->magic == tensor_file::kMagic, Status::InvalidArgument,
           "argument 'f' is not a valid tensor_file handle (closed?)");
  return *f->file;
}

std::string check_path(const char* path) {
  LT_CHECK(path != nullptr, Status::InvalidArgument, "argument 'path' is NULL");
  LT_CHECK(path[0] != '\0', Status::InvalidArgument, "argument 'path' is empty");
  return path;
}

// The bytes a file holds: row-major and on the host (a CUDA tensor is copied down).
Tensor host_contiguous(const tensor* t, const char* arg) {
  Tensor x = Borrowed(check_handle(t, arg)).get();
  if (x.device().is_cuda()) x = to_device(x, cpu_device());
  return x.is_contiguous() ? x : contiguous(x);
}

void gather(const char* const* names, const tensor* const* tensors, int32_t n, std::vector<std::string>& out_names,
            std::vector<Tensor>& out_tensors) {
  LT_CHECK(n >= 0, Status::InvalidArgument, "negative tensor count " << n);
  LT_CHECK(n == 0 || (names && tensors), Status::InvalidArgument, "names or tensors is NULL with n = " << n);
  for (int32_t i = 0; i < n; ++i) {
    LT_CHECK(names[i] != nullptr, Status::InvalidArgument, "names[" << i << "] is NULL");
    std::string arg = "tensors[" + std::to_string(i) + "]";
    out_names.emplace_back(names[i]);
    out_tensors.push_back(host_contiguous(tensors[i], arg.c_str()));
  }
}

}  // namespace

extern "C" {

TENSOR_API tensor_status tensor_save_safetensors(const char* path, const char* const* names,
                                                 const tensor* const* tensors, int32_t n, const char* metadata_json) {
  return guard("tensor_save_safetensors", [&] {
    std::string p = check_path(path);
    std::vector<std::string> ns;
    std::vector<Tensor> ts;
    gather(names, tensors, n, ns, ts);
    io::save_safetensors(p, ns, ts, metadata_json);
  });
}

TENSOR_API tensor_status tensor_save_npy(const char* path, const tensor* t) {
  return guard("tensor_save_npy", [&] {
    std::string p = check_path(path);
    io::save_npy(p, host_contiguous(t, "t"));
  });
}

TENSOR_API tensor_status tensor_save_npz(const char* path, const char* const* names, const tensor* const* tensors,
                                         int32_t n, bool compress) {
  return guard("tensor_save_npz", [&] {
    std::string p = check_path(path);
    std::vector<std::string> ns;
    std::vector<Tensor> ts;
    gather(names, tensors, n, ns, ts);
    io::save_npz(p, ns, ts, compress);
  });
}

TENSOR_API tensor_status tensor_file_open(tensor_file** out, const char* path) {
  return guard("tensor_file_open", [&] {
    LT_CHECK(out != nullptr, Status::InvalidArgument, "output argument 'out' is NULL");
    *out = nullptr;
    std::string p = check_path(path);
    auto h = std::make_unique<tensor_file>();
    h->file = io::File::open(p);
    *out = h.release();
  });
}

TENSOR_API int64_t tensor_file_count(const tensor_file* f) {
  return f && f->magic == tensor_file::kMagic ? f->file->count() : 0;
}

TENSOR_API const char* tensor_file_name(const tensor_file* f, int64_t i) {
  if (!f || f->magic != tensor_file::kMagic || i < 0 || i >= f->file->count()) return nullptr;
  return f->file->name(i).c_str();
}

TENSOR_API tensor_status tensor_file_get(tensor** out, const tensor_file* f, const char* name) {
  return produce("tensor_file_get", out, [&] {
    const io::File& file = check_file(f);
    LT_CHECK(name != nullptr, Status::InvalidArgument, "argument 'name' is NULL");
    Tensor t = file.get(name);
    if (t.dtype() == DType::Bool) check_bool_bytes(t);
    return t;
  });
}

TENSOR_API const char* tensor_file_metadata(const tensor_file* f, const char* key) {
  if (!f || f->magic != tensor_file::kMagic || !key) return nullptr;
  return f->file->metadata(key);
}

TENSOR_API void tensor_file_close(tensor_file* f) {
  if (!f || f->magic != tensor_file::kMagic) return;
  f->magic = 0;
  delete f;
}

}  // extern "C"
