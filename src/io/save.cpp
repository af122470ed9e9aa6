// The writers. Note [atomic save]: every save writes <path>.tmp.XXXXXX in the destination's folder
// (mkstemp), fsyncs it, gives it the mode a fresh file would have (or the old file's), renames it over
// <path> and fsyncs the folder. Any failure before the rename unlinks the temporary file, so the old
// file is either intact or wholly replaced, even after a crash.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "core/status.h"
#include "io/format.h"
#include "io/io.h"

namespace lt::io {
namespace {

[[noreturn]] void io_fail(const std::string& path, const char* what, int err) {
  throw_error(Status::InvalidArgument, "'" + path + "': " + what + ": " + std::strerror(err));
}

mode_t new_file_mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return st.st_mode & 07777;
  mode_t mask = 022;  // umask(2) cannot be read without changing it: /proc tells it
  if (FILE* f = std::fopen("/proc/self/status", "re")) {
    char line[256];
    while (std::fgets(line, sizeof line, f))
      if (std::strncmp(line, "Umask:", 6) == 0) mask = static_cast<mode_t>(std::strtoul(line + 6, nullptr, 8));
    std::fclose(f);
  }
  return 0666 & ~mask;
}

class AtomicFile {
 public:
  explicit AtomicFile(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp.XXXXXX") {
    fd_ = mkostemp(&tmp_[0], O_CLOEXEC);
    if (fd_ < 0) io_fail(path_, "cannot create a temporary file beside it", errno);
  }
  ~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(tmp_.c_str());
  }
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  uint64_t pos() const { return pos_; }
  void write(const void* data, uint64_t n) {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
      // At most up to the next chunk boundary, so that stream_out sees every chunk as soon as it is full.
      const uint64_t room = kStreamChunk - pos_ % kStreamChunk;
      ssize_t w = ::write(fd_, p, std::min<uint64_t>(n, room));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) io_fail(path_, "cannot write", w < 0 ? errno : ENOSPC);
      p += w;
      n -= static_cast<uint64_t>(w);
      pos_ += static_cast<uint64_t>(w);
      stream_out();
    }
  }
  void write(const std::string& s) { write(s.data(), s.size()); }
  void write_at(uint64_t off, const void* data, size_t n) {
    if (::pwrite(fd_, data, n, static_cast<off_t>(off)) != static_cast<ssize_t>(n)) io_fail(path_, "cannot write", errno);
  }
  // Note [streamed save]: a large file is handed to the disk while it is written: every full chunk's
  // writeback starts at once (sync_file_range WRITE), and the chunk kStreamLag chunks behind is waited
  // for and dropped from the page cache (POSIX_FADV_DONTNEED). The disk then works while later chunks
  // are copied in, the final fsync has little left, and the file never holds more than a few chunks of
  // dirty or cached pages: a 1 GiB save does not first claim 1 GiB of fresh page cache (on the bench's
  // VM, pages the guest had not touched yet made write() of a new 1 GiB file take 2-4.7 s where the
  // disk itself took 0.9 s). A checkpoint is rarely read back at once; a load maps it from disk.
  // sync_file_range reports (and consumes) a writeback error of the range it waits for, so its error
  // fails the save as fsync's would; a file system without it (EINVAL, ENOSYS, ESPIPE) just skips this.
  static constexpr uint64_t kStreamChunk = uint64_t(16) << 20;
  static constexpr uint64_t kStreamLag = 2;
  void stream_out() {
    while (streaming_ && pos_ - started_ >= kStreamChunk) {
      if (::sync_file_range(fd_, static_cast<off_t>(started_), kStreamChunk, SYNC_FILE_RANGE_WRITE) != 0)
        return stream_error(errno);
      started_ += kStreamChunk;
      if (started_ < (kStreamLag + 1) * kStreamChunk) continue;
      const off_t done = static_cast<off_t>(started_ - (kStreamLag + 1) * kStreamChunk);
      const unsigned wait = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
      if (::sync_file_range(fd_, done, kStreamChunk, wait) != 0) return stream_error(errno);
      ::posix_fadvise(fd_, done, static_cast<off_t>(kStreamChunk), POSIX_FADV_DONTNEED);  // a hint only
    }
  }
  void stream_error(int err) {
    if (err == EINVAL || err == ENOSYS || err == ESPIPE || err == EOPNOTSUPP) {
      streaming_ = false;
      return;
    }
    io_fail(path_, "cannot write", err);
  }

  void commit() {
    if (::fchmod(fd_, new_file_mode(path_)) != 0) io_fail(path_, "cannot set the mode", errno);
    if (::fsync(fd_) != 0) io_fail(path_, "cannot sync", errno);
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) io_fail(path_, "cannot close", errno);
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) io_fail(path_, "cannot rename the temporary file over it", errno);
    committed_ = true;
    std::string dir = path_.find('/') == std::string::npos ? "." : path_.substr(0, path_.rfind('/') + 1);
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {  // durability of the rename; the file itself is complete either way
      ::fsync(dfd);
      ::close(dfd);
    }
  }

 private:
  std::string path_, tmp_;
  int fd_ = -1;
  uint64_t pos_ = 0;
  uint64_t started_ = 0;  // the file's first started_ bytes are under writeback (Note [streamed save])
  bool streaming_ = true;
  bool committed_ = false;
};

uint64_t nbytes_of(const Tensor& t) { return static_cast<uint64_t>(t.numel()) * itemsize(t.dtype()); }

void check_names(const std::vector<std::string>& names, const char* reserved) {
  std::set<std::string> seen;
  for (const std::string& n : names) {
    LT_CHECK(!reserved || n != reserved, Status::InvalidArgument, "'" << n << "' cannot name a tensor");
    LT_CHECK(seen.insert(n).second, Status::InvalidArgument, "duplicate tensor name '" << n << "'");
  }
}

void put16(std::string& s, uint16_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>(v >> 8);
}
void put32(std::string& s, uint32_t v) {
  put16(s, static_cast<uint16_t>(v & 0xffff));
  put16(s, static_cast<uint16_t>(v >> 16));
}
void put64(std::string& s, uint64_t v) {
  put32(s, static_cast<uint32_t>(v & 0xffffffffu));
  put32(s, static_cast<uint32_t>(v >> 32));
}

}  // namespace

void save_safetensors(const std::string& path, const std::vector<std::string>& names,
                      const std::vector<Tensor>& tensors, const char* metadata_json) {
  check_names(names, "__metadata__");
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (metadata_json) {
    nlohmann::ordered_json meta = nlohmann::ordered_json::parse(metadata_json, nullptr, false);
    LT_CHECK(!meta.is_discarded() && meta.is_object(), Status::InvalidArgument,
             "metadata_json must be a JSON object of strings");
    for (auto it = meta.begin(); it != meta.end(); ++it)
      LT_CHECK(it.value().is_string(), Status::InvalidArgument,
               "metadata_json: the value of '" << it.key() << "' is not a string");
    if (!meta.empty()) header["__metadata__"] = meta;
  }
  // As the reference writer: the widest dtypes first, so that every tensor's data stays aligned.
  std::vector<size_t> order(tensors.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return itemsize(tensors[a].dtype()) > itemsize(tensors[b].dtype()); });
  uint64_t off = 0;
  for (size_t i : order) {
    const Tensor& t = tensors[i];
    nlohmann::ordered_json shape = nlohmann::ordered_json::array();
    for (int64_t s : t.shape()) shape.push_back(s);
    header[names[i]] = {{"dtype", safetensors_dtype(t.dtype())},
                        {"shape", shape},
                        {"data_offsets", {off, off + nbytes_of(t)}}};
    off += nbytes_of(t);
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string len;
  put64(len, text.size());
  AtomicFile out(path);
  out.write(len);
  out.write(text);
  for (size_t i : order) out.write(tensors[i].data(), nbytes_of(tensors[i]));
  out.commit();
}

void save_npy(const std::string& path, const Tensor& t) {
  AtomicFile out(path);
  out.write(npy_header(t.dtype(), t.shape()));
  out.write(t.data(), nbytes_of(t));
  out.commit();
}

void save_npz(const std::string& path, const std::vector<std::string>& names, const std::vector<Tensor>& tensors,
              bool compress) {
  check_names(names, nullptr);
  struct Member {
    std::string name;
    uint64_t local = 0, comp = 0, uncomp = 0;
    uint32_t crc = 0;
  };
  std::vector<Member> members;
  AtomicFile out(path);
  const uint16_t method = compress ? 8 : 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    Member m;
    m.name = names[i] + ".npy";
    LT_CHECK(m.name.size() <= 0xffff, Status::InvalidArgument, "tensor name '" << names[i] << "' is too long");
    const std::string header = npy_header(tensors[i].dtype(), tensors[i].shape());
    const auto* data = reinterpret_cast<const uint8_t*>(tensors[i].data());
    const uint64_t nbytes = nbytes_of(tensors[i]);
    m.uncomp = header.size() + nbytes;
    m.local = out.pos();
    // Zip64 sizes in the local header when the member may not fit 32 bits (as Python's zipfile does).
    const bool zip64 = m.uncomp >= 0xffffffffu - (m.uncomp >> 8) - 1024;
    std::string lh;
    put32(lh, 0x04034b50);
    put16(lh, zip64 ? 45 : 20);
    put16(lh, 0);
    put16(lh, method);
    put16(lh, 0);     // time 00:00
    put16(lh, 0x21);  // date 1980-01-01
    put32(lh, 0);     // crc, sizes: written back below
    put32(lh, zip64 ? 0xffffffffu : 0);
    put32(lh, zip64 ? 0xffffffffu : 0);
    put16(lh, static_cast<uint16_t>(m.name.size()));
    put16(lh, zip64 ? 20 : 0);
    lh += m.name;
    if (zip64) {
      put16(lh, 1);
      put16(lh, 16);
      put64(lh, 0);
      put64(lh, 0);
    }
    out.write(lh);
    const uint64_t data_start = out.pos();
    uLong crc = crc32_z(0, nullptr, 0);
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(header.data()), header.size());
    crc = crc32_z(crc, data, nbytes);
    m.crc = static_cast<uint32_t>(crc);
    if (!compress) {
      out.write(header);
      out.write(data, nbytes);
    } else {
      z_stream z{};
      LT_CHECK(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK,
               Status::OutOfMemory, "cannot start zlib");
      struct End {
        z_stream* z;
        ~End() { deflateEnd(z); }
      } end{&z};
      std::vector<uint8_t> buf(1 << 18);
      auto pump = [&](const uint8_t* src, uint64_t n, bool last) {
        do {
          uInt chunk = static_cast<uInt>(std::min<uint64_t>(n, 1u << 30));
          z.next_in = const_cast<Bytef*>(src);
          z.avail_in = chunk;
          src += chunk;
          n -= chunk;
          const int flush = last && n == 0 ? Z_FINISH : Z_NO_FLUSH;
          int r;
          do {
            z.next_out = buf.data();
            z.avail_out = static_cast<uInt>(buf.size());
            r = deflate(&z, flush);
            LT_CHECK(r != Z_STREAM_ERROR, Status::Internal, "zlib deflate failed");
            out.write(buf.data(), buf.size() - z.avail_out);
          } while (z.avail_out == 0 || (flush == Z_FINISH && r != Z_STREAM_END));
        } while (n > 0);
      };
      pump(reinterpret_cast<const uint8_t*>(header.data()), header.size(), false);
      pump(data, nbytes, true);
    }
    m.comp = out.pos() - data_start;
    std::string fix;
    put32(fix, m.crc);
    out.write_at(m.local + 14, fix.data(), 4);
    if (zip64) {
      std::string sizes;
      put64(sizes, m.uncomp);
      put64(sizes, m.comp);
      out.write_at(m.local + 30 + m.name.size() + 4, sizes.data(), 16);
    } else {
      std::string sizes;
      put32(sizes, static_cast<uint32_t>(m.comp));
      put32(sizes, static_cast<uint32_t>(m.uncomp));
      out.write_at(m.local + 18, sizes.data(), 8);
    }
    members.push_back(std::move(m));
  }
  const uint64_t cd_start = out.pos();
  for (const Member& m : members) {
    std::string x;  // zip64 extra: the fields that do not fit, in order
    if (m.uncomp >= 0xffffffffu) put64(x, m.uncomp);
    if (m.comp >= 0xffffffffu) put64(x, m.comp);
    if (m.local >= 0xffffffffu) put64(x, m.local);
    std::string h;
    put32(h, 0x02014b50);
    put16(h, static_cast<uint16_t>((3 << 8) | (x.empty() ? 20 : 45)));  // made by Unix
    put16(h, x.empty() ? 20 : 45);
    put16(h, 0);
    put16(h, method);
    put16(h, 0);
    put16(h, 0x21);
    put32(h, m.crc);
    put32(h, static_cast<uint32_t>(std::min<uint64_t>(m.comp, 0xffffffffu)));
    put32(h, static_cast<uint32_t>(std::min<uint64_t>(m.uncomp, 0xffffffffu)));
    put16(h, static_cast<uint16_t>(m.name.size()));
    put16(h, static_cast<uint16_t>(x.empty() ? 0 : x.size() + 4));
    put16(h, 0);
    put16(h, 0);
    put16(h, 0);
    put32(h, 0644u << 16);
    put32(h, static_cast<uint32_t>(std::min<uint64_t>(m.local, 0xffffffffu)));
    h += m.name;
    if (!x.empty()) {
      put16(h, 1);
      put16(h, static_cast<uint16_t>(x.size()));
      h += x;
    }
    out.write(h);
  }
  const uint64_t cd_end = out.pos(), cd_size = cd_end - cd_start, n = members.size();
  const bool zip64 = n >= 0xffff || cd_size >= 0xffffffffu || cd_start >= 0xffffffffu;
  std::string tail;
  if (zip64) {
    put32(tail, 0x06064b50);
    put64(tail, 44);
    put16(tail, 45);
    put16(tail, 45);
    put32(tail, 0);
    put32(tail, 0);
    put64(tail, n);
    put64(tail, n);
    put64(tail, cd_size);
    put64(tail, cd_start);
    put32(tail, 0x07064b50);
    put32(tail, 0);
    put64(tail, cd_end);
    put32(tail, 1);
  }
  put32(tail, 0x06054b50);
  put16(tail, 0);
  put16(tail, 0);
  put16(tail, static_cast<uint16_t>(zip64 ? 0xffff : n));
  put16(tail, static_cast<uint16_t>(zip64 ? 0xffff : n));
  put32(tail, static_cast<uint32_t>(zip64 ? 0xffffffffu : cd_size));
  put32(tail, static_cast<uint32_t>(zip64 ? 0xffffffffu : cd_start));
  put16(tail, 0);
  out.write(tail);
  out.commit();
}

}  // namespace lt::io
