// NumPy's .npy header (format versions 1.0, 2.0 and 3.0): a Python dict literal after a magic string.
// The parser accepts what numpy.lib.format writes and reads ({'descr': ..., 'fortran_order': ...,
// 'shape': (...), } in any key order, either quote, trailing commas, Python 2's 3L) and nothing else.
#include <cctype>
#include <limits>

#include "core/shape.h"
#include "core/status.h"
#include "io/format.h"

namespace lt::io {

const char* safetensors_dtype(DType t) {
  switch (t) {
    case DType::Float32: return "F32";
    case DType::Float64: return "F64";
    case DType::Int32: return "I32";
    case DType::Int64: return "I64";
    case DType::Bool: return "BOOL";
    case DType::Float16: return "F16";
    case DType::BFloat16: return "BF16";
    case DType::UInt8: return "U8";
    case DType::Int8: return "I8";
    case DType::Int16: return "I16";
  }
  return "?";
}

const char* npy_descr(DType t) {
  switch (t) {
    case DType::Float32: return "<f4";
    case DType::Float64: return "<f8";
    case DType::Int32: return "<i4";
    case DType::Int64: return "<i8";
    case DType::Bool: return "|b1";
    case DType::Float16: return "<f2";
    case DType::UInt8: return "|u1";
    case DType::Int8: return "|i1";
    case DType::Int16: return "<i2";
    case DType::BFloat16: return nullptr;  // NumPy has no bfloat16
  }
  return nullptr;
}

uint64_t checked_nbytes(const DimVector& shape, uint64_t item, const std::string& what) {
  LT_CHECK(shape.size() <= kMaxNdim, Status::InvalidArgument,
           what << ": " << shape.size() << " dims (at most " << kMaxNdim << ")");
  uint64_t n = item;
  for (int32_t d = 0; d < shape.size(); ++d) {
    LT_CHECK(shape[d] >= 0, Status::InvalidArgument, what << ": negative size " << shape[d] << " in dim " << d);
    LT_CHECK(!__builtin_mul_overflow(n, static_cast<uint64_t>(shape[d]), &n) &&
                 n <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()),
             Status::InvalidArgument, what << ": shape " << shape_str(shape) << " is too large");
  }
  return n;
}

namespace {

constexpr char kMagic[] = "\x93NUMPY";

// A cursor over the header text.
class Lexer {
 public:
  Lexer(const char* p, const char* end, const std::string& what) : p_(p), end_(end), what_(what) {}
  [[noreturn]] void fail(const std::string& why) const {
    throw_error(Status::InvalidArgument, what_ + ": bad .npy header (" + why + ")");
  }
  void skip_space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool peek(char c) {
    skip_space();
    return p_ < end_ && *p_ == c;
  }
  void expect(char c) {
    if (!peek(c)) fail(std::string("expected '") + c + "'");
    ++p_;
  }
  bool accept(char c) {
    if (!peek(c)) return false;
    ++p_;
    return true;
  }
  std::string string() {
    skip_space();
    if (p_ >= end_ || (*p_ != '\'' && *p_ != '"')) fail("expected a string");
    char q = *p_++;
    std::string s;
    while (p_ < end_ && *p_ != q) {
      if (*p_ == '\\') fail("escapes in strings are not supported");
      s += *p_++;
    }
    if (p_ >= end_) fail("unterminated string");
    ++p_;
    return s;
  }
  bool boolean() {
    skip_space();
    if (end_ - p_ >= 4 && std::memcmp(p_, "True", 4) == 0) {
      p_ += 4;
      return true;
    }
    if (end_ - p_ >= 5 && std::memcmp(p_, "False", 5) == 0) {
      p_ += 5;
      return false;
    }
    fail("fortran_order must be True or False");
  }
  int64_t integer() {
    skip_space();
    if (p_ >= end_ || !std::isdigit(static_cast<unsigned char>(*p_))) fail("expected a non-negative integer");
    int64_t v = 0;
    while (p_ < end_ && std::isdigit(static_cast<unsigned char>(*p_))) {
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *p_ - '0', &v)) fail("size overflows");
      ++p_;
    }
    if (p_ < end_ && (*p_ == 'L' || *p_ == 'l')) ++p_;
    return v;
  }
  bool at_end() {
    skip_space();
    return p_ == end_;
  }

 private:
  const char* p_;
  const char* end_;
  std::string what_;
};

void parse_descr(NpyInfo& info, const std::string& d) {
  info.descr = d;
  char order = '=';
  std::string body = d;
  if (!body.empty() && (body[0] == '<' || body[0] == '>' || body[0] == '|' || body[0] == '=')) {
    order = body[0];
    body = body.substr(1);
  }
  struct Known {
    const char* code;
    DType dtype;
  };
  static const Known known[] = {{"f4", DType::Float32}, {"f8", DType::Float64}, {"i4", DType::Int32},
                                {"i8", DType::Int64},   {"b1", DType::Bool},    {"?", DType::Bool},
                                {"f2", DType::Float16}, {"u1", DType::UInt8},   {"i1", DType::Int8},
                                {"B", DType::UInt8},    {"b", DType::Int8},     {"i2", DType::Int16}};
  for (const Known& k : known) {
    if (body == k.code) {
      info.supported = true;
      info.dtype = k.dtype;
      info.swap = order == '>' && itemsize(k.dtype) > 1;
      return;
    }
  }
}

}  // namespace

uint64_t npy_header_size(const uint8_t* p, uint64_t n) {
  LT_CHECK(n >= 10 && std::memcmp(p, kMagic, 6) == 0, Status::InvalidArgument, "not a .npy file (bad magic)");
  uint8_t major = p[6];
  LT_CHECK(major >= 1 && major <= 3, Status::InvalidArgument,
           ".npy format version " << int(major) << "." << int(p[7]) << " is not supported (1.0, 2.0, 3.0)");
  if (major == 1) return 10 + uint64_t(le16(p + 8));
  LT_CHECK(n >= 12, Status::InvalidArgument, "truncated .npy header");
  return 12 + uint64_t(le32(p + 8));
}

NpyInfo parse_npy(const uint8_t* p, uint64_t n, const std::string& what) {
  uint64_t total = npy_header_size(p, n);
  LT_CHECK(total <= n, Status::InvalidArgument,
           what << ": the .npy header (" << total << " bytes) runs past the end (" << n << " bytes)");
  uint64_t start = p[6] == 1 ? 10 : 12;
  const char* text = reinterpret_cast<const char*>(p + start);
  Lexer lx(text, reinterpret_cast<const char*>(p + total), what);
  NpyInfo info;
  info.data_offset = total;
  bool have_descr = false, have_order = false, have_shape = false;
  lx.expect('{');
  while (!lx.accept('}')) {
    std::string key = lx.string();
    lx.expect(':');
    if (key == "descr") {
      if (have_descr) lx.fail("duplicate key 'descr'");
      have_descr = true;
      if (lx.peek('[')) throw_error(Status::DType, what + ": structured NumPy dtypes are not supported");
      parse_descr(info, lx.string());
    } else if (key == "fortran_order") {
      if (have_order) lx.fail("duplicate key 'fortran_order'");
      have_order = true;
      info.fortran = lx.boolean();
    } else if (key == "shape") {
      if (have_shape) lx.fail("duplicate key 'shape'");
      have_shape = true;
      lx.expect('(');
      while (!lx.accept(')')) {
        if (info.shape.size() >= kMaxNdim) lx.fail("more than " + std::to_string(kMaxNdim) + " dims");
        info.shape.push_back(lx.integer());
        if (!lx.accept(',')) {
          lx.expect(')');
          break;
        }
      }
    } else {
      lx.fail("unknown key '" + key + "'");
    }
    if (!lx.accept(',')) {
      lx.expect('}');
      break;
    }
  }
  if (!lx.at_end()) lx.fail("text after the dict");
  if (!have_descr || !have_order || !have_shape) lx.fail("'descr', 'fortran_order' and 'shape' are required");
  if (info.supported) info.nbytes = checked_nbytes(info.shape, itemsize(info.dtype), what);
  return info;
}

std::string npy_header(DType dtype, const DimVector& shape) {
  LT_CHECK(npy_descr(dtype) != nullptr, Status::DType,
           ".npy has no " << dtype_name(dtype) << " (NumPy has no bfloat16); save it as safetensors or convert it");
  std::string dict = std::string("{'descr': '") + npy_descr(dtype) + "', 'fortran_order': False, 'shape': (";
  for (int32_t d = 0; d < shape.size(); ++d) {
    if (d) dict += ", ";
    dict += std::to_string(shape[d]);
  }
  if (shape.size() == 1) dict += ",";
  dict += "), }";
  // NumPy: magic, version, length, dict, spaces, '\n', the whole a multiple of 64 bytes.
  size_t prefix = 10;
  size_t total = (prefix + dict.size() + 1 + 63) / 64 * 64;
  uint8_t major = 1;
  if (total - prefix > 65535) {
    prefix = 12;
    total = (prefix + dict.size() + 1 + 63) / 64 * 64;
    major = 2;
  }
  std::string out(kMagic, 6);
  out += static_cast<char>(major);
  out += '\0';
  uint64_t hlen = total - prefix;
  for (size_t i = 0; i < prefix - 8; ++i) out += static_cast<char>((hlen >> (8 * i)) & 0xff);
  out += dict;
  out.append(total - out.size() - 1, ' ');
  out += '\n';
  return out;
}

}  // namespace lt::io
