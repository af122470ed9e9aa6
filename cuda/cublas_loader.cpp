#include "cuda/cublas_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <vector>

namespace lt::cuda {

namespace {

template <typename Fn>
bool bind(void* lib, const char* name, Fn* fn, std::string* missing) {
  *fn = reinterpret_cast<Fn>(dlsym(lib, name));
  if (!*fn && missing) *missing += std::string(missing->empty() ? "" : ", ") + name;
  return *fn != nullptr;
}

void load(CublasApi& api) {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("TENSOR_CUBLAS_LIBRARY"); env && *env) candidates.push_back(env);
  for (const char* name : {"libcublas.so.13", "libcublas.so.12", "libcublas.so"}) {
    candidates.push_back(name);
    candidates.push_back(std::string("/usr/local/cuda/lib64/") + name);
  }
  void* lib = nullptr;
  std::string errors;
  for (const std::string& c : candidates) {
    lib = dlopen(c.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib) {
      api.path = c;
      break;
    }
    const char* e = dlerror();
    if (errors.empty() && e) errors = e;
  }
  if (!lib) {
    api.error = "could not open libcublas.so.13 (set TENSOR_CUBLAS_LIBRARY to its path): " + errors;
    return;
  }
  std::string missing;
  bool ok = bind(lib, "cublasCreate_v2", &api.create, &missing);
  ok &= bind(lib, "cublasDestroy_v2", &api.destroy, &missing);
  ok &= bind(lib, "cublasSetStream_v2", &api.set_stream, &missing);
  ok &= bind(lib, "cublasSetMathMode", &api.set_math_mode, &missing);
  ok &= bind(lib, "cublasSgemm_v2", &api.sgemm, &missing);
  ok &= bind(lib, "cublasDgemm_v2", &api.dgemm, &missing);
  ok &= bind(lib, "cublasSgemmStridedBatched", &api.sgemm_batched, &missing);
  ok &= bind(lib, "cublasDgemmStridedBatched", &api.dgemm_batched, &missing);
  bind(lib, "cublasSetWorkspace_v2", &api.set_workspace, nullptr);
  bind(lib, "cublasGetStatusString", &api.status_string, nullptr);
  // Without these the half dtypes use the tiled kernel (cublas_takes in matmul.cpp).
  if (!bind(lib, "cublasGemmEx", &api.gemm_ex, nullptr) ||
      !bind(lib, "cublasGemmStridedBatchedEx", &api.gemm_ex_batched, nullptr)) {
    api.gemm_ex = nullptr;
    api.gemm_ex_batched = nullptr;
  }
  if (!ok) {
    api.error = api.path + " lacks " + missing;
    dlclose(lib);
    return;
  }
  api.loaded = true;  // the handle stays open for the life of the process
}

}  // namespace

const CublasApi& cublas_api() {
  static CublasApi* api = new CublasApi();
  static std::once_flag once;
  std::call_once(once, [] {
    try {
      load(*api);
    } catch (...) {
      api->loaded = false;
      api->error = "out of memory while opening cuBLAS";
    }
  });
  return *api;
}

std::string cublas_status_text(cublasStatus_t status) {
  const CublasApi& api = cublas_api();
  std::string s = "cuBLAS error " + std::to_string(static_cast<int>(status));
  if (api.status_string) s += std::string(" (") + api.status_string(status) + ")";
  return s;
}

}  // namespace lt::cuda
