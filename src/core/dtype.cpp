#include "core/dtype.h"

namespace lt {

[[noreturn]] void throw_error(Status status, const std::string& message) { throw Error(status, message); }

const char* dtype_name(DType t) {
  switch (t) {
    case DType::Float32: return "float32";
    case DType::Float64: return "float64";
    case DType::Int32: return "int32";
    case DType::Int64: return "int64";
    case DType::Bool: return "bool";
  }
  return "unknown";
}

static int category(DType t) { return t == DType::Bool ? 0 : is_integral(t) ? 1 : 2; }

DType promote_types(DType a, DType b) {
  if (a == b) return a;
  int ca = category(a), cb = category(b);
  if (ca != cb) return ca > cb ? a : b;
  return itemsize(a) >= itemsize(b) ? a : b;
}

}  // namespace lt
