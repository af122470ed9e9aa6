#include "nccl_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <vector>

#include "error.h"

namespace tdist {

namespace {

template <typename Fn>
bool bind(void* lib, const char* name, Fn* fn, std::string* missing) {
  *fn = reinterpret_cast<Fn>(dlsym(lib, name));
  if (!*fn) *missing += std::string(missing->empty() ? "" : ", ") + name;
  return *fn != nullptr;
}

void* open_first(const std::vector<std::string>& candidates, std::string* opened, std::string* errors) {
  for (const std::string& c : candidates) {
    if (void* lib = dlopen(c.c_str(), RTLD_NOW | RTLD_LOCAL)) {
      *opened = c;
      return lib;
    }
    const char* e = dlerror();
    if (errors->empty() && e) *errors = e;
  }
  return nullptr;
}

void load(NcclApi& api) {
  std::vector<std::string> names;
  if (const char* env = std::getenv("TENSOR_NCCL_LIBRARY"); env && *env) names.push_back(env);
  for (const char* n : {"libnccl.so.2", "libnccl.so", "/usr/local/cuda/lib64/libnccl.so.2",
                        "/usr/local/cuda/lib/libnccl.so.2"})
    names.push_back(n);
  std::string errors;
  void* nccl = open_first(names, &api.path, &errors);
  if (!nccl) {
    api.error = "could not open libnccl.so.2 (install NCCL or set TENSOR_NCCL_LIBRARY): " + errors;
    return;
  }
  std::string driver_path;
  errors.clear();
  void* cuda = open_first({"libcuda.so.1", "libcuda.so"}, &driver_path, &errors);
  if (!cuda) {
    api.error = "could not open the CUDA driver (libcuda.so.1): " + errors;
    return;
  }
  std::string missing;
  bool ok = bind(nccl, "ncclGetVersion", &api.get_version, &missing);
  ok &= bind(nccl, "ncclGetUniqueId", &api.get_unique_id, &missing);
  ok &= bind(nccl, "ncclCommInitRank", &api.comm_init_rank, &missing);
  ok &= bind(nccl, "ncclCommDestroy", &api.comm_destroy, &missing);
  ok &= bind(nccl, "ncclCommGetAsyncError", &api.comm_get_async_error, &missing);
  ok &= bind(nccl, "ncclGetErrorString", &api.get_error_string, &missing);
  ok &= bind(nccl, "ncclAllReduce", &api.all_reduce, &missing);
  ok &= bind(nccl, "ncclBroadcast", &api.broadcast, &missing);
  ok &= bind(nccl, "ncclAllGather", &api.all_gather, &missing);
  ok &= bind(nccl, "ncclReduceScatter", &api.reduce_scatter, &missing);
  ok &= bind(cuda, "cuInit", &api.cu_init, &missing);
  ok &= bind(cuda, "cuDeviceGet", &api.cu_device_get, &missing);
  ok &= bind(cuda, "cuDevicePrimaryCtxRetain", &api.cu_primary_ctx_retain, &missing);
  ok &= bind(cuda, "cuCtxSetCurrent", &api.cu_ctx_set_current, &missing);
  if (!ok) {
    api.error = api.path + " / " + driver_path + " lack " + missing;
    return;
  }
  int version = 0;
  // ncclAvg arrived in NCCL 2.10 (version code 21000).
  if (api.get_version(&version) != kNcclSuccess || version < 21000) {
    api.error = api.path + " is NCCL " + std::to_string(version) + "; libtensor_dist needs 2.10 or later";
    return;
  }
  api.loaded = true;  // both libraries stay open for the life of the process
}

}  // namespace

const NcclApi& nccl_api() {
  static NcclApi* api = new NcclApi();
  static std::once_flag once;
  std::call_once(once, [] {
    try {
      load(*api);
    } catch (...) {
      api->loaded = false;
      api->error = "out of memory while opening NCCL";
    }
  });
  return *api;
}

void check_nccl(int rc, const char* what) {
  if (rc == kNcclSuccess) return;
  const NcclApi& api = nccl_api();
  std::string text = api.get_error_string ? api.get_error_string(rc) : "";
  fail(TENSOR_ERR_BACKEND, std::string(what) + " failed: NCCL error " + std::to_string(rc) + " (" + text + ")");
}

void nccl_set_device(int device) {
  const NcclApi& api = nccl_api();
  // The primary context is retained once per thread and device (a retain is a reference, not a switch).
  thread_local int retained_device = -1;
  thread_local void* retained_ctx = nullptr;
  if (retained_device != device) {
    int dev = 0;
    void* ctx = nullptr;
    TDIST_CHECK(api.cu_init(0) == 0 && api.cu_device_get(&dev, device) == 0 &&
                    api.cu_primary_ctx_retain(&ctx, dev) == 0,
                TENSOR_ERR_DEVICE, "could not open GPU " << device << " through the CUDA driver");
    retained_device = device;
    retained_ctx = ctx;
  }
  TDIST_CHECK(api.cu_ctx_set_current(retained_ctx) == 0, TENSOR_ERR_DEVICE,
              "could not make GPU " << device << " current through the CUDA driver");
}

}  // namespace tdist
