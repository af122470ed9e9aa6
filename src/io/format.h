// What the readers and writers of io/ share: the formats' dtype names, little-endian fields and the
// NumPy header.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>

#include "core/dim_vector.h"
#include "core/dtype.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the file formats are written little-endian");

namespace lt::io {

inline uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t le32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint64_t le64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// safetensors' name of a dtype ("F32", ...).
const char* safetensors_dtype(DType t);
// NumPy's descr of a dtype ("<f4", ..., "|b1").
const char* npy_descr(DType t);

// One parsed NumPy header.
struct NpyInfo {
  bool supported = false;  // false: a dtype libtensor has no counterpart for (descr kept for the message)
  DType dtype = DType::Float32;
  std::string descr;
  DimVector shape;
  bool fortran = false;
  bool swap = false;  // big-endian data
  uint64_t data_offset = 0;  // from the start of the .npy bytes
  uint64_t nbytes = 0;       // numel * itemsize (supported dtypes only)
};

constexpr size_t kNpyPreamble = 12;  // enough bytes to know the header's length (magic, version, length)
// The length of magic + version + length field + header, from the first bytes of a .npy (n >= 10;
// 12 for versions 2 and 3). Throws InvalidArgument for a bad magic or version.
uint64_t npy_header_size(const uint8_t* p, uint64_t n);
// Parses the header in p[0, n) (n >= npy_header_size) of a .npy file; throws InvalidArgument naming
// `what` for anything malformed.
NpyInfo parse_npy(const uint8_t* p, uint64_t n, const std::string& what);
// The bytes before the data of a .npy holding a tensor of this dtype and shape (version 1.0, or 2.0 when
// the header needs it), padded to 64 bytes as NumPy does.
std::string npy_header(DType dtype, const DimVector& shape);

// Product of dims times itemsize; throws InvalidArgument naming `what` on overflow or a negative dim.
uint64_t checked_nbytes(const DimVector& shape, uint64_t item, const std::string& what);

}  // namespace lt::io
