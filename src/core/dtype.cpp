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
    case DType::Float16: return "float16";
    case DType::BFloat16: return "bfloat16";
    case DType::UInt8: return "uint8";
    case DType::Int8: return "int8";
    case DType::Int16: return "int16";
  }
  return "unknown";
}

void throw_unsupported_dtype(const char* what, DType t) {
  throw Error(Status::DType, std::string(what) + ": not implemented for " + dtype_name(t));
}

static int category(DType t) { return t == DType::Bool ? 0 : is_integral(t) ? 1 : 2; }

DType promote_types(DType a, DType b) {
  if (a == b) return a;
  int ca = category(a), cb = category(b);
  if (ca != cb) return ca > cb ? a : b;
  if (ca == 1) {
    // uint8 is the only unsigned type: with int8 neither holds the other, int16 holds both.
    const bool ua = a == DType::UInt8, ub = b == DType::UInt8;
    if (ua || ub) {
      const DType s = ua ? b : a;
      return itemsize(s) > 1 ? s : DType::Int16;
    }
  }
  if (ca == 2 && itemsize(a) == 2 && itemsize(b) == 2) return DType::Float32;  // float16 with bfloat16
  return itemsize(a) >= itemsize(b) ? a : b;
}

}  // namespace lt
