// Note [tensor files]: tensor_file_open maps the whole file MAP_PRIVATE with PROT_READ | PROT_WRITE and
// parses only the headers (safetensors' JSON, the .npy dict, the zip central directory). tensor_file_get
// then hands out, where the data is stored, native-endian and aligned to its dtype, a tensor whose
// Storage points into the mapping (Storage::wrap_external, as DLPack imports do): the storage holds a
// reference to the Mapping, so the tensor outlives tensor_file_close, and a write to it copies the page
// (MAP_PRIVATE) instead of reaching the file. Anything else is copied: unaligned or big-endian data,
// deflated .npz members (inflated straight into the tensor's memory). Fortran-order arrays keep their
// layout as strides (zero-copy too). The file must not be truncated by someone else while mapped (the
// kernel would raise SIGBUS on access), as with every mmap reader.
//
// Hostile files: every length and offset is checked against the mapping before use, sizes are computed
// with overflow checks, and nothing is allocated from a claimed size that the file cannot back (a
// deflated member may claim at most kMaxDeflateRatio times its compressed bytes, DEFLATE's limit).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "core/shape.h"
#include "core/storage.h"
#include "io/format.h"
#include "io/io.h"

namespace lt::io {

class Mapping {
 public:
  Mapping(uint8_t* base, size_t len) : base_(base), len_(len) {}
  ~Mapping() { munmap(base_, len_); }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  uint8_t* base() const { return base_; }
  uint64_t size() const { return len_; }

 private:
  uint8_t* base_;
  size_t len_;
};


namespace {

constexpr uint64_t kMaxSafetensorsHeader = 100u << 20;  // the reference implementation's limit
constexpr int kMaxJsonDepth = 64;
constexpr uint64_t kMaxDeflateRatio = 1032;  // DEFLATE cannot expand more than ~1032:1

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw_error(Status::InvalidArgument, "'" + path + "': " + why);
}

std::shared_ptr<Mapping> map_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) bad(path, std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    bad(path, std::string("cannot stat: ") + std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    bad(path, "not a regular file");
  }
  if (st.st_size == 0) {
    ::close(fd);
    bad(path, "empty file (not a safetensors, .npy or .npz file)");
  }
  void* p = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  int e = errno;
  ::close(fd);
  if (p == MAP_FAILED) bad(path, std::string("cannot map: ") + std::strerror(e));
  return std::make_shared<Mapping>(static_cast<uint8_t*>(p), static_cast<size_t>(st.st_size));
}

DimVector fortran_strides(const DimVector& shape) {
  DimVector s(shape.size());
  int64_t step = 1;
  for (int32_t d = 0; d < shape.size(); ++d) {
    s[d] = step;
    step *= std::max<int64_t>(shape[d], 1);
  }
  return s;
}

// ---- safetensors -----------------------------------------------------------------------------------

struct StDtype {
  const char* name;
  uint64_t size;
  bool supported;
  DType dtype;
};
const StDtype kStDtypes[] = {
    {"F32", 4, true, DType::Float32},     {"F64", 8, true, DType::Float64},    {"I32", 4, true, DType::Int32},
    {"I64", 8, true, DType::Int64},       {"BOOL", 1, true, DType::Bool},      {"F16", 2, true, DType::Float16},
    {"BF16", 2, true, DType::BFloat16},   {"I8", 1, true, DType::Int8},        {"U8", 1, true, DType::UInt8},
    {"I16", 2, true, DType::Int16},       {"U16", 2, false, DType::Float32},   {"U32", 4, false, DType::Float32},
    {"U64", 8, false, DType::Float32},    {"F8_E4M3", 1, false, DType::Float32},
    {"F8_E5M2", 1, false, DType::Float32}};

// nlohmann's parser recurses per nesting level: refuse deep nesting before handing it the text.
void check_json_depth(const char* p, const char* end, const std::string& path) {
  int depth = 0;
  bool in_string = false;
  for (; p < end; ++p) {
    char c = *p;
    if (in_string) {
      if (c == '\\') ++p;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxJsonDepth) bad(path, "safetensors header nests too deeply");
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
}

uint64_t json_uint(const nlohmann::json& v, const std::string& path, const std::string& what) {
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
    bad(path, what + " must be a non-negative integer");
  return v.get<uint64_t>();
}

void read_safetensors(File& f, const std::string& path) {
  const Mapping& m = *f.map;
  if (m.size() < 8) bad(path, "truncated safetensors file (no header length)");
  uint64_t n = le64(m.base());
  if (n > m.size() - 8) bad(path, "safetensors header length " + std::to_string(n) + " runs past the end of the file (" + std::to_string(m.size()) + " bytes)");
  if (n > kMaxSafetensorsHeader) bad(path, "safetensors header is larger than 100 MiB");
  const char* text = reinterpret_cast<const char*>(m.base() + 8);
  check_json_depth(text, text + n, path);
  std::set<std::string> keys;
  bool duplicate = false;
  auto on_event = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    if (event == nlohmann::json::parse_event_t::key && depth == 1 && !keys.insert(parsed.get<std::string>()).second)
      duplicate = true;
    return true;
  };
  nlohmann::json header = nlohmann::json::parse(text, text + n, on_event, /*allow_exceptions=*/false);
  if (header.is_discarded()) bad(path, "the safetensors header is not valid JSON");
  if (!header.is_object()) bad(path, "the safetensors header is not a JSON object");
  if (duplicate) bad(path, "duplicate tensor name in the safetensors header");
  const uint64_t data_start = 8 + n, data_len = m.size() - data_start;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (auto it = header.begin(); it != header.end(); ++it) {
    const std::string& name = it.key();
    const nlohmann::json& v = it.value();
    if (name == "__metadata__") {
      if (!v.is_object()) bad(path, "__metadata__ must be an object of strings");
      for (auto mt = v.begin(); mt != v.end(); ++mt) {
        if (!mt.value().is_string()) bad(path, "__metadata__ value of '" + mt.key() + "' is not a string");
        f.metadata_.emplace_back(mt.key(), mt.value().get<std::string>());
      }
      continue;
    }
    const std::string what = "tensor '" + name + "'";
    if (!v.is_object()) bad(path, what + " is not an object");
    auto dt = v.find("dtype"), sh = v.find("shape"), off = v.find("data_offsets");
    if (dt == v.end() || !dt->is_string()) bad(path, what + ": 'dtype' must be a string");
    if (sh == v.end() || !sh->is_array()) bad(path, what + ": 'shape' must be an array");
    if (off == v.end() || !off->is_array() || off->size() != 2)
      bad(path, what + ": 'data_offsets' must be an array [begin, end]");
    const std::string dtype = dt->get<std::string>();
    const StDtype* known = nullptr;
    for (const StDtype& k : kStDtypes)
      if (dtype == k.name) known = &k;
    if (!known) bad(path, what + ": unknown dtype '" + dtype + "'");
    if (sh->size() > static_cast<size_t>(kMaxNdim))
      bad(path, what + ": " + std::to_string(sh->size()) + " dims (at most " + std::to_string(kMaxNdim) + ")");
    Entry e;
    e.name = name;
    e.parsed = true;
    for (const nlohmann::json& d : *sh) {
      uint64_t s = json_uint(d, path, what + ": each size in 'shape'");
      if (s > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) bad(path, what + ": a size is too large");
      e.info.shape.push_back(static_cast<int64_t>(s));
    }
    uint64_t nbytes = checked_nbytes(e.info.shape, known->size, "'" + path + "': " + what);
    uint64_t begin = json_uint((*off)[0], path, what + ": data_offsets"),
             end = json_uint((*off)[1], path, what + ": data_offsets");
    if (begin > end || end > data_len)
      bad(path, what + ": data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                    ") out of range (the data holds " + std::to_string(data_len) + " bytes)");
    if (end - begin != nbytes)
      bad(path, what + ": data_offsets span " + std::to_string(end - begin) + " bytes but " + dtype + " " +
                    shape_str(e.info.shape) + " needs " + std::to_string(nbytes));
    if (begin < end) ranges.emplace_back(begin, end);
    e.info.supported = known->supported;
    e.info.dtype = known->dtype;
    e.info.nbytes = nbytes;
    e.st_dtype = dtype;
    e.offset = data_start + begin;
    f.entries_.push_back(std::move(e));
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i)
    if (ranges[i].first < ranges[i - 1].second) bad(path, "two tensors' data_offsets overlap");
}

// ---- .npy --------------------------------------------------------------------------------------------

void read_npy(File& f, const std::string& path) {
  const Mapping& m = *f.map;
  Entry e;
  e.parsed = true;
  e.info = parse_npy(m.base(), m.size(), "'" + path + "'");
  if (e.info.supported && e.info.nbytes > m.size() - e.info.data_offset)
    bad(path, "the .npy data is truncated (" + std::to_string(m.size() - e.info.data_offset) + " bytes, " +
                  std::to_string(e.info.nbytes) + " needed)");
  e.offset = e.info.data_offset;
  f.entries_.push_back(std::move(e));
}

// ---- .npz (a zip of .npy files) -------------------------------------------------------------------------
// Parsed here rather than by libzip or minizip: they read through file descriptors or callbacks and
// copy every member, while the stored members of a mapped .npz can be handed out in place.

struct Cursor {
  const uint8_t* base;
  uint64_t size;
  const std::string& path;
  const uint8_t* at(uint64_t off, uint64_t len, const char* what) const {
    if (off > size || len > size - off) bad(path, std::string("bad zip file: ") + what + " runs past the end");
    return base + off;
  }
};

void read_npz(File& f, const std::string& path) {
  const Mapping& m = *f.map;
  Cursor c{m.base(), m.size(), path};
  if (m.size() < 22) bad(path, "bad zip file: too short for an end of central directory");
  // The end of central directory record: 22 bytes plus a comment of at most 65535.
  uint64_t eocd = UINT64_MAX;
  uint64_t lowest = m.size() >= 22 + 65535 ? m.size() - 22 - 65535 : 0;
  for (uint64_t pos = m.size() - 22 + 1; pos-- > lowest;) {
    const uint8_t* p = m.base() + pos;
    if (le32(p) == 0x06054b50 && pos + 22 + le16(p + 20) <= m.size()) {
      eocd = pos;
      break;
    }
  }
  if (eocd == UINT64_MAX) bad(path, "bad zip file: no end of central directory");
  const uint8_t* e = m.base() + eocd;
  uint64_t count = le16(e + 10), cd_size = le32(e + 12), cd_off = le32(e + 16);
  if (le16(e + 4) != 0 && le16(e + 4) != 0xffff) bad(path, "multi-disk zip files are not supported");
  if (count == 0xffff || cd_size == 0xffffffff || cd_off == 0xffffffff) {
    if (eocd < 20) bad(path, "bad zip file: zip64 locator missing");
    const uint8_t* loc = m.base() + eocd - 20;
    if (le32(loc) != 0x07064b50) bad(path, "bad zip file: zip64 locator missing");
    const uint8_t* z = c.at(le64(loc + 8), 56, "zip64 end of central directory");
    if (le32(z) != 0x06064b50) bad(path, "bad zip file: bad zip64 end of central directory");
    count = le64(z + 32);
    cd_size = le64(z + 40);
    cd_off = le64(z + 48);
  }
  const uint8_t* cd = c.at(cd_off, cd_size, "the central directory");
  if (count > cd_size / 46) bad(path, "bad zip file: " + std::to_string(count) + " entries cannot fit the central directory");
  std::set<std::string> names;
  uint64_t pos = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (cd_size - pos < 46) bad(path, "bad zip file: truncated central directory");
    const uint8_t* h = cd + pos;
    if (le32(h) != 0x02014b50) bad(path, "bad zip file: bad central directory entry");
    uint16_t flags = le16(h + 8), method = le16(h + 10);
    uint32_t crc = le32(h + 16);
    uint64_t comp = le32(h + 20), uncomp = le32(h + 24), local = le32(h + 42);
    uint64_t nlen = le16(h + 28), xlen = le16(h + 30), clen = le16(h + 32);
    if (cd_size - pos - 46 < nlen + xlen + clen) bad(path, "bad zip file: truncated central directory");
    std::string name(reinterpret_cast<const char*>(h + 46), nlen);
    // Zip64 extra field: the 64-bit values of the fields that hold 0xffffffff, in this order.
    const uint8_t* x = h + 46 + nlen;
    for (uint64_t xp = 0; xp + 4 <= xlen;) {
      uint16_t id = le16(x + xp), len = le16(x + xp + 2);
      if (xp + 4 + len > xlen) bad(path, "bad zip file: truncated extra field");
      if (id == 0x0001) {
        uint64_t q = xp + 4, qe = xp + 4 + len;
        for (uint64_t* field : {&uncomp, &comp, &local}) {
          if (*field != 0xffffffff) continue;
          if (q + 8 > qe) bad(path, "bad zip file: short zip64 extra field");
          *field = le64(x + q);
          q += 8;
        }
      }
      xp += 4 + len;
    }
    pos += 46 + nlen + xlen + clen;
    if (!name.empty() && name.back() == '/') continue;  // a directory
    if (flags & 1) bad(path, "member '" + name + "' is encrypted");
    if (method != 0 && method != 8)
      bad(path, "member '" + name + "' uses compression method " + std::to_string(method) + " (stored and deflate only)");
    const uint8_t* lh = c.at(local, 30, "a local header");
    if (le32(lh) != 0x04034b50) bad(path, "bad zip file: bad local header of '" + name + "'");
    uint64_t data = local + 30 + le16(lh + 26) + le16(lh + 28);
    c.at(data, comp, "a member's data");
    if (name.size() >= 4 && name.compare(name.size() - 4, 4, ".npy") == 0) name.resize(name.size() - 4);
    if (!names.insert(name).second) bad(path, "duplicate member '" + name + "'");
    Entry en;
    en.name = name;
    if (method == 0) {
      if (comp != uncomp) bad(path, "stored member '" + name + "' has different compressed and plain sizes");
      en.parsed = true;
      en.info = parse_npy(m.base() + data, comp, "'" + path + "' member '" + name + "'");
      if (en.info.supported && en.info.nbytes > comp - en.info.data_offset)
        bad(path, "member '" + name + "': the .npy data is truncated");
      en.offset = data + en.info.data_offset;
    } else {
      if (uncomp / kMaxDeflateRatio > comp + 1)
        bad(path, "member '" + name + "' claims " + std::to_string(uncomp) + " bytes from " + std::to_string(comp) +
                      " compressed (more than DEFLATE can expand)");
      en.deflated = true;
      en.offset = data;
      en.comp_size = comp;
      en.uncomp_size = uncomp;
      en.crc = crc;
    }
    f.entries_.push_back(std::move(en));
  }
}

// Inflates a raw DEFLATE stream in pieces, each of an exact length.
class Inflater {
 public:
  Inflater(const uint8_t* src, uint64_t n, std::string what) : src_(src), left_(n), what_(std::move(what)) {
    if (inflateInit2(&z_, -15) != Z_OK) throw_error(Status::OutOfMemory, what_ + ": cannot start zlib");
  }
  ~Inflater() { inflateEnd(&z_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  void read(uint8_t* dst, uint64_t n) {
    while (n > 0) {
      feed();
      z_.next_out = dst;
      z_.avail_out = static_cast<uInt>(std::min<uint64_t>(n, 1u << 30));
      uInt asked = z_.avail_out;
      int r = inflate(&z_, Z_NO_FLUSH);
      uint64_t got = asked - z_.avail_out;
      crc_ = crc32_z(crc_, dst, got);
      dst += got;
      n -= got;
      if (r == Z_STREAM_END && n > 0) fail("the compressed data ends early");
      if (r == Z_STREAM_END) ended_ = true;
      if (r == Z_BUF_ERROR && got == 0) fail("the compressed data is truncated");
      if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR) fail("corrupt compressed data");
    }
  }
  void finish(uint32_t crc) {
    if (!ended_) {  // the stream's end marker may follow the last byte of output
      uint8_t b;
      feed();
      z_.next_out = &b;
      z_.avail_out = 1;
      int r = inflate(&z_, Z_FINISH);
      if (r != Z_STREAM_END || z_.avail_out == 0) fail("more data than its declared size");
    }
    if (crc_ != crc) fail("CRC-32 mismatch");
  }

 private:
  void feed() {
    if (z_.avail_in == 0 && left_ > 0) {
      uInt chunk = static_cast<uInt>(std::min<uint64_t>(left_, 1u << 30));
      z_.next_in = const_cast<uint8_t*>(src_);
      z_.avail_in = chunk;
      src_ += chunk;
      left_ -= chunk;
    }
  }
  [[noreturn]] void fail(const char* why) { throw_error(Status::InvalidArgument, what_ + ": " + why); }

  z_stream z_{};
  const uint8_t* src_;
  uint64_t left_;
  std::string what_;
  uLong crc_ = crc32_z(0, nullptr, 0);
  bool ended_ = false;
};

void release_mapping(void* ctx) { delete static_cast<std::shared_ptr<Mapping>*>(ctx); }

void byteswap(uint8_t* p, uint64_t nbytes, size_t item) {
  for (uint64_t i = 0; i + item <= nbytes; i += item) std::reverse(p + i, p + i + item);
}

}  // namespace

File::File() = default;
File::~File() = default;

std::unique_ptr<File> File::open(const std::string& path) {
  auto f = std::make_unique<File>();
  f->map = map_file(path);
  const uint8_t* p = f->map->base();
  uint64_t n = f->map->size();
  if (n >= 6 && std::memcmp(p, "\x93NUMPY", 6) == 0) {
    read_npy(*f, path);
  } else if (n >= 4 && p[0] == 'P' && p[1] == 'K' && ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6))) {
    read_npz(*f, path);
  } else if (n >= 9 && p[8] == '{') {
    read_safetensors(*f, path);
  } else {
    bad(path, "not a safetensors, .npy or .npz file");
  }
  return f;
}

const std::string& File::name(int64_t i) const {
  LT_CHECK(i >= 0 && i < count(), Status::Index, "index " << i << " out of range for a file of " << count() << " tensors");
  return entries_[static_cast<size_t>(i)].name;
}

const char* File::metadata(const std::string& key) const {
  for (const auto& kv : metadata_)
    if (kv.first == key) return kv.second.c_str();
  return nullptr;
}

Tensor File::get(const std::string& name) const {
  const Entry* e = nullptr;
  for (const Entry& x : entries_)
    if (x.name == name) e = &x;
  LT_CHECK(e != nullptr, Status::InvalidArgument, "no tensor named '" << name << "' in the file");
  const std::string what = "tensor '" + name + "'";
  NpyInfo info = e->info;
  std::unique_ptr<Inflater> inflater;
  if (e->deflated) {
    inflater = std::make_unique<Inflater>(map->base() + e->offset, e->comp_size, what);
    uint8_t pre[kNpyPreamble];
    uint64_t first = std::min<uint64_t>(kNpyPreamble, e->uncomp_size);
    inflater->read(pre, first);
    uint64_t hsize = npy_header_size(pre, first);
    LT_CHECK(hsize <= e->uncomp_size, Status::InvalidArgument, what << ": the .npy header runs past the member");
    std::string header(reinterpret_cast<char*>(pre), first);
    header.resize(hsize);
    inflater->read(reinterpret_cast<uint8_t*>(&header[first]), hsize - first);
    info = parse_npy(reinterpret_cast<const uint8_t*>(header.data()), hsize, what);
    LT_CHECK(!info.supported || info.nbytes == e->uncomp_size - hsize, Status::InvalidArgument,
             what << ": the member holds " << e->uncomp_size - hsize << " data bytes, its header says "
                  << info.nbytes);
  }
  if (!info.supported)
    throw_error(Status::DType, what + " has dtype '" + (e->st_dtype.empty() ? info.descr : e->st_dtype) +
                                   "', which libtensor does not support");
  const size_t item = itemsize(info.dtype);
  const DimVector strides = info.fortran ? fortran_strides(info.shape) : contiguous_strides(info.shape);
  Storage* storage;
  if (!e->deflated && !info.swap && e->offset % item == 0) {
    auto ctx = std::make_unique<std::shared_ptr<Mapping>>(map);
    storage = Storage::wrap_external(map->base() + e->offset, info.nbytes, cpu_device(), release_mapping,
                                     ctx.get(), /*read_only=*/false);
    ctx.release();  // the storage's deleter owns it now
  } else {
    storage = Storage::allocate(info.nbytes, cpu_device());
    try {
      auto* dst = static_cast<uint8_t*>(storage->data());
      if (inflater) {
        inflater->read(dst, info.nbytes);
        inflater->finish(e->crc);
      } else if (info.nbytes) {
        std::memcpy(dst, map->base() + e->offset, info.nbytes);
      }
      if (info.swap) byteswap(dst, info.nbytes, item);
    } catch (...) {
      storage->release();
      throw;
    }
  }
  return make_from_storage(storage, info.dtype, info.shape, strides, 0);
}

}  // namespace lt::io
