// Tensor files through the C API: round trips of every dtype and shape through safetensors, .npy and
// .npz (stored and deflated), zero-copy loads (the data lies in the file's mapping, outlives the close,
// and writes to it never reach the file), atomic saves (a failed save leaves the old file), metadata,
// hand-made NumPy headers (Fortran order, big-endian, versions 2 and 3), and a table of hostile files.
// NumPy and the safetensors spec from the other side: tests/python/test_files_numpy.py.
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/lt_files_XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
  int entries() const {
    std::string cmd = "ls -A '" + path + "' | wc -l";
    FILE* p = popen(cmd.c_str(), "r");
    int n = -1;
    if (p) {
      if (std::fscanf(p, "%d", &n) != 1) n = -1;
      pclose(p);
    }
    return n;
  }
};

std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}
void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

struct FileHandle {
  tensor_file* f = nullptr;
  ~FileHandle() { tensor_file_close(f); }
  tensor_file** out() { return &f; }
  operator tensor_file*() const { return f; }
};

void require_status(tensor_status st, tensor_status want, const std::string& word) {
  INFO(tensor_last_error());
  REQUIRE(st == want);
  CHECK(std::string(tensor_last_error()).find(word) != std::string::npos);
}

std::string le64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}
std::string safetensors_bytes(const std::string& header, const std::string& data) {
  return le64(header.size()) + header + data;
}
std::string npy_bytes(const std::string& dict, const std::string& data, int major = 1) {
  std::string h = "\x93NUMPY";
  h += static_cast<char>(major);
  h += '\0';
  std::string body = dict;
  size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + body.size() + 1) % 64) body += ' ';
  body += '\n';
  for (size_t i = 0; i < prefix - 8; ++i) h += static_cast<char>((body.size() >> (8 * i)) & 0xff);
  return h + body + data;
}

// Opens `path` and loads every tensor; the first failing status.
tensor_status open_and_get_all(const std::string& path) {
  FileHandle f;
  tensor_status st = tensor_file_open(f.out(), path.c_str());
  if (st != TENSOR_OK) return st;
  for (int64_t i = 0; i < tensor_file_count(f); ++i) {
    Handle t;
    st = tensor_file_get(t.out(), f, tensor_file_name(f, i));
    if (st != TENSOR_OK) return st;
  }
  return TENSOR_OK;
}

Handle arange_of(tensor_dtype dt, const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = dt == TENSOR_BOOL ? double(i % 3 == 1) : double(i) * 1.5 - 7;
  Handle d = make<double>(v, shape), r;
  REQUIRE_OK(tensor_to_dtype(r.out(), d, dt));
  return r;
}

void require_same(const tensor* a, const tensor* b) {
  REQUIRE(tensor_get_dtype(a) == tensor_get_dtype(b));
  REQUIRE(shape_of(a) == shape_of(b));
  CHECK(values<double>(a) == values<double>(b));
}

enum class Format { Safetensors, Npy, Npz, NpzDeflate };

void save_one(Format fmt, const std::string& path, const char* name, const tensor* t) {
  const tensor* ts[] = {t};
  const char* ns[] = {name};
  switch (fmt) {
    case Format::Safetensors: REQUIRE_OK(tensor_save_safetensors(path.c_str(), ns, ts, 1, nullptr)); break;
    case Format::Npy: REQUIRE_OK(tensor_save_npy(path.c_str(), t)); break;
    case Format::Npz: REQUIRE_OK(tensor_save_npz(path.c_str(), ns, ts, 1, false)); break;
    case Format::NpzDeflate: REQUIRE_OK(tensor_save_npz(path.c_str(), ns, ts, 1, true)); break;
  }
}

// The mapping of /proc/self/maps that holds `p`, or "".
std::string mapping_of(const void* p) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  auto a = reinterpret_cast<uintptr_t>(p);
  while (std::getline(maps, line)) {
    unsigned long lo = 0, hi = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx", &lo, &hi) == 2 && a >= lo && a < hi) return line;
  }
  return "";
}

}  // namespace

TEST_CASE("files: every dtype and shape round-trips through every format") {
  TempDir dir;
  const tensor_dtype dtypes[] = {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT32, TENSOR_INT64, TENSOR_BOOL};
  const std::vector<std::vector<int64_t>> shapes = {{}, {0}, {3, 0}, {5}, {2, 3}, {2, 3, 4}};
  const Format formats[] = {Format::Safetensors, Format::Npy, Format::Npz, Format::NpzDeflate};
  for (Format fmt : formats) {
    for (tensor_dtype dt : dtypes) {
      for (const auto& shape : shapes) {
        INFO("format " << int(fmt) << " dtype " << int(dt) << " ndim " << shape.size());
        Handle t = arange_of(dt, shape);
        std::string path = dir / "t.bin";
        save_one(fmt, path, "w", t);
        FileHandle f;
        REQUIRE_OK(tensor_file_open(f.out(), path.c_str()));
        REQUIRE(tensor_file_count(f) == 1);
        const std::string name = fmt == Format::Npy ? "" : "w";
        REQUIRE(std::string(tensor_file_name(f, 0)) == name);
        Handle back;
        REQUIRE_OK(tensor_file_get(back.out(), f, name.c_str()));
        require_same(back, t);
      }
    }
  }
  CHECK(dir.entries() == 1);  // no temporary file left behind
}

TEST_CASE("files: several tensors, a non-contiguous source, names in order") {
  TempDir dir;
  Handle a = arange_of(TENSOR_FLOAT32, {3, 4}), at, b = arange_of(TENSOR_BOOL, {7}), c = arange_of(TENSOR_INT64, {2});
  REQUIRE_OK(tensor_transpose(at.out(), a, 0, 1));
  REQUIRE(!tensor_is_contiguous(at));
  const tensor* ts[] = {at, b, c};
  const char* ns[] = {"a.t", "b", "c/d"};
  for (int fmt = 0; fmt < 3; ++fmt) {
    std::string path = dir / "m";
    if (fmt == 0) REQUIRE_OK(tensor_save_safetensors(path.c_str(), ns, ts, 3, nullptr));
    else REQUIRE_OK(tensor_save_npz(path.c_str(), ns, ts, 3, fmt == 2));
    FileHandle f;
    REQUIRE_OK(tensor_file_open(f.out(), path.c_str()));
    REQUIRE(tensor_file_count(f) == 3);
    for (int i = 0; i < 3; ++i) {
      Handle back;
      REQUIRE_OK(tensor_file_get(back.out(), f, ns[i]));
      require_same(back, ts[i]);
    }
    if (fmt != 0)  // .npz keeps the order given; safetensors' keys come back sorted
      for (int i = 0; i < 3; ++i) CHECK(std::string(tensor_file_name(f, i)) == ns[i]);
    CHECK(tensor_file_name(f, 3) == nullptr);
    CHECK(tensor_file_name(f, -1) == nullptr);
    Handle none;
    require_status(tensor_file_get(none.out(), f, "nope"), TENSOR_ERR_INVALID_ARGUMENT, "nope");
  }
}

TEST_CASE("files: safetensors layout is the reference writer's") {
  TempDir dir;
  Handle a = arange_of(TENSOR_BOOL, {3}), b = arange_of(TENSOR_FLOAT64, {2});
  const tensor* ts[] = {a, b};
  const char* ns[] = {"a", "b"};
  std::string path = dir / "x.safetensors";
  REQUIRE_OK(tensor_save_safetensors(path.c_str(), ns, ts, 2, "{\"epoch\": \"5\"}"));
  std::string bytes = read_bytes(path);
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= uint64_t(uint8_t(bytes[i])) << (8 * i);
  CHECK((8 + n) % 8 == 0);
  const std::string json =
      "{\"__metadata__\":{\"epoch\":\"5\"},\"b\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
      "\"a\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[16,19]}}";
  REQUIRE(n >= json.size());
  CHECK(n - json.size() < 8);
  CHECK(bytes.substr(8, n) == json + std::string(n - json.size(), ' '));
  CHECK(bytes.size() == 8 + n + 19);
  FileHandle f;
  REQUIRE_OK(tensor_file_open(f.out(), path.c_str()));
  REQUIRE(tensor_file_metadata(f, "epoch") != nullptr);
  CHECK(std::string(tensor_file_metadata(f, "epoch")) == "5");
  CHECK(tensor_file_metadata(f, "step") == nullptr);
  CHECK(tensor_file_metadata(f, nullptr) == nullptr);
  CHECK(tensor_file_metadata(nullptr, "epoch") == nullptr);
}

TEST_CASE("files: loads are zero-copy, outlive the close, and never write the file") {
  TempDir dir;
  Handle a = arange_of(TENSOR_FLOAT32, {64, 8});
  const tensor* ts[] = {a};
  const char* ns[] = {"a"};
  for (int fmt = 0; fmt < 2; ++fmt) {
    std::string path = dir / (fmt == 0 ? "z.safetensors" : "z.npy");
    if (fmt == 0) REQUIRE_OK(tensor_save_safetensors(path.c_str(), ns, ts, 1, nullptr));
    else REQUIRE_OK(tensor_save_npy(path.c_str(), a));
    const std::string before = read_bytes(path);
    Handle t;
    {
      FileHandle f;
      REQUIRE_OK(tensor_file_open(f.out(), path.c_str()));
      REQUIRE_OK(tensor_file_get(t.out(), f, fmt == 0 ? "a" : ""));
      const std::string m = mapping_of(tensor_data(t));
      INFO(m);
      CHECK(m.find(path.substr(path.rfind('/') + 1)) != std::string::npos);
      CHECK(m.find(" rw-p ") != std::string::npos);  // private, writable
    }  // closed
    require_same(t, a);
    REQUIRE_OK(tensor_fill_(t, 42.0));
    CHECK(values<float>(t)[100] == 42.0f);
    CHECK(read_bytes(path) == before);
    FileHandle again;
    REQUIRE_OK(tensor_file_open(again.out(), path.c_str()));
    Handle fresh;
    REQUIRE_OK(tensor_file_get(fresh.out(), again, fmt == 0 ? "a" : ""));
    require_same(fresh, a);
  }
}

TEST_CASE("files: NumPy headers by hand: Fortran order, big-endian, versions 2 and 3, unsupported dtypes") {
  TempDir dir;
  std::string data;
  for (int32_t v : {0, 3, 1, 4, 2, 5}) {  // [[0,1,2],[3,4,5]] in Fortran order, big-endian
    for (int i = 3; i >= 0; --i) data += static_cast<char>((uint32_t(v) >> (8 * i)) & 0xff);
  }
  for (int major = 1; major <= 3; ++major) {
    std::string path = dir / "f.npy";
    write_bytes(path, npy_bytes("{'descr': '>i4', 'fortran_order': True, 'shape': (2, 3), }", data, major));
    FileHandle f;
    REQUIRE_OK(tensor_file_open(f.out(), path.c_str()));
    Handle t;
    REQUIRE_OK(tensor_file_get(t.out(), f, ""));
    CHECK(shape_of(t) == std::vector<int64_t>{2, 3});
    CHECK(values<int32_t>(t) == std::vector<int32_t>{0, 1, 2, 3, 4, 5});
  }
  // Little-endian Fortran order is a zero-copy strided view.
  std::string le;
  for (float v : {0.f, 3.f, 1.f, 4.f, 2.f, 5.f}) le.append(reinterpret_cast<const char*>(&v), 4);
  std::string path = dir / "l.npy";
  write_bytes(path, npy_bytes("{\"descr\": \"<f4\", \"shape\": (2, 3), \"fortran_order\": True}", le));
  {
    FileHandle f;
    REQUIRE_OK(tensor_file_open(f.out(), path.c_str()));
    Handle t;
    REQUIRE_OK(tensor_file_get(t.out(), f, ""));
    CHECK(!tensor_is_contiguous(t));
    CHECK(tensor_strides(t)[0] == 1);
    CHECK(values<float>(t) == std::vector<float>{0, 1, 2, 3, 4, 5});
  }
  write_bytes(path, npy_bytes("{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }", "abcd"));  // uint16
  {
    FileHandle f;
    REQUIRE_OK(tensor_file_open(f.out(), path.c_str()));
    Handle t;
    require_status(tensor_file_get(t.out(), f, ""), TENSOR_ERR_DTYPE, "<u2");
  }
}

TEST_CASE("files: safetensors with a dtype libtensor lacks opens; that tensor is TENSOR_ERR_DTYPE") {
  TempDir dir;
  std::string path = dir / "h.safetensors";
  std::string header = "{\"h\":{\"dtype\":\"U16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                       "\"i\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
  write_bytes(path, safetensors_bytes(header, std::string("\0\0\0\0\7\0\0\0", 8)));
  FileHandle f;
  REQUIRE_OK(tensor_file_open(f.out(), path.c_str()));
  Handle h, i;
  require_status(tensor_file_get(h.out(), f, "h"), TENSOR_ERR_DTYPE, "U16");
  REQUIRE_OK(tensor_file_get(i.out(), f, "i"));
  CHECK(values<int32_t>(i) == std::vector<int32_t>{7});
}

// RLIMIT_FSIZE lowered to `bytes` (write(2) then fails with EFBIG, SIGXFSZ ignored) for one scope.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old_) == 0);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = old_;
    lim.rlim_cur = bytes;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &lim) == 0);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  struct rlimit old_ {};
  void (*old_handler_)(int) = nullptr;
};

TEST_CASE("files: a failed save leaves the old file intact and no temporary file") {
  TempDir dir;
  std::string path = dir / "ckpt.safetensors";
  Handle small = arange_of(TENSOR_FLOAT32, {4}), big = arange_of(TENSOR_FLOAT64, {1 << 16});
  const char* ns[] = {"w"};
  const tensor* ts_small[] = {small};
  const tensor* ts_big[] = {big};
  REQUIRE_OK(tensor_save_safetensors(path.c_str(), ns, ts_small, 1, nullptr));
  const std::string before = read_bytes(path);
  // The file size limit makes write(2) fail (EFBIG) midway through the temporary file.
  tensor_status s1, s2, s3;
  std::string m1;
  {
    FileSizeLimit limit(4096);
    s1 = tensor_save_safetensors(path.c_str(), ns, ts_big, 1, nullptr);
    m1 = tensor_last_error();
    s2 = tensor_save_npz(path.c_str(), ns, ts_big, 1, false);
    s3 = tensor_save_npy(path.c_str(), big);
  }
  CHECK(s1 == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(m1.find("cannot write") != std::string::npos);
  CHECK(s2 == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(s3 == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(read_bytes(path) == before);
  CHECK(dir.entries() == 1);
  // A folder that does not exist: the system's reason, nothing created.
  std::string missing = dir / "no/such/file.npy";
  require_status(tensor_save_npy(missing.c_str(), small), TENSOR_ERR_INVALID_ARGUMENT, "No such file or directory");
  // Bad arguments are refused before anything is written.
  const tensor* ts2[] = {small, small};
  const char* dup[] = {"w", "w"};
  require_status(tensor_save_safetensors(path.c_str(), dup, ts2, 2, nullptr), TENSOR_ERR_INVALID_ARGUMENT, "duplicate");
  require_status(tensor_save_npz(path.c_str(), dup, ts2, 2, false), TENSOR_ERR_INVALID_ARGUMENT, "duplicate");
  const char* meta[] = {"__metadata__"};
  require_status(tensor_save_safetensors(path.c_str(), meta, ts_small, 1, nullptr), TENSOR_ERR_INVALID_ARGUMENT,
                 "__metadata__");
  require_status(tensor_save_safetensors(path.c_str(), ns, ts_small, 1, "{\"a\": 1}"), TENSOR_ERR_INVALID_ARGUMENT,
                 "not a string");
  require_status(tensor_save_safetensors(path.c_str(), ns, ts_small, 1, "[1"), TENSOR_ERR_INVALID_ARGUMENT,
                 "metadata_json");
  require_status(tensor_save_safetensors(nullptr, ns, ts_small, 1, nullptr), TENSOR_ERR_INVALID_ARGUMENT, "path");
  require_status(tensor_save_safetensors(path.c_str(), nullptr, ts_small, 1, nullptr), TENSOR_ERR_INVALID_ARGUMENT,
                 "NULL");
  require_status(tensor_save_npz(path.c_str(), ns, ts_small, -1, false), TENSOR_ERR_INVALID_ARGUMENT, "negative");
  require_status(tensor_save_npy(path.c_str(), nullptr), TENSOR_ERR_INVALID_ARGUMENT, "'t'");
  CHECK(read_bytes(path) == before);
  CHECK(dir.entries() == 1);
}

TEST_CASE("files: bad arguments and missing files") {
  TempDir dir;
  FileHandle f;
  std::string missing = dir / "missing.safetensors";
  require_status(tensor_file_open(f.out(), missing.c_str()), TENSOR_ERR_INVALID_ARGUMENT, "No such file");
  CHECK(f.f == nullptr);
  require_status(tensor_file_open(nullptr, missing.c_str()), TENSOR_ERR_INVALID_ARGUMENT, "out");
  require_status(tensor_file_open(f.out(), nullptr), TENSOR_ERR_INVALID_ARGUMENT, "path");
  require_status(tensor_file_open(f.out(), dir.path.c_str()), TENSOR_ERR_INVALID_ARGUMENT, "regular file");
  Handle t;
  require_status(tensor_file_get(t.out(), nullptr, "a"), TENSOR_ERR_INVALID_ARGUMENT, "'f'");
  CHECK(tensor_file_count(nullptr) == 0);
  CHECK(tensor_file_name(nullptr, 0) == nullptr);
  tensor_file_close(nullptr);
}

namespace {

// A stored .npz of one member, with fields to corrupt afterwards.
std::string tiny_npz(Format fmt) {
  TempDir dir;
  Handle a = arange_of(TENSOR_FLOAT32, {16});
  save_one(fmt, dir / "t.npz", "a", a);
  return read_bytes(dir / "t.npz");
}

}  // namespace

TEST_CASE("files: hostile files are statuses with a reason") {
  TempDir dir;
  const std::string one_f32 = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
  const std::string npy_ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  struct Case {
    const char* what;
    std::string bytes;
    tensor_status status;
    const char* word;
  };
  std::string npz = tiny_npz(Format::Npz), npzd = tiny_npz(Format::NpzDeflate);
  const size_t cd = npz.size() - 22 - 46 - 5;  // the central directory entry of "a.npy"
  auto with = [](std::string s, size_t at, const std::string& bytes) { return s.replace(at, bytes.size(), bytes); };
  const size_t uncomp_at = npzd.size() - 22 - 46 - 5 + 24;  // the central directory's uncompressed size
  const uint32_t real_size = uint32_t(uint8_t(npzd[uncomp_at])) | uint32_t(uint8_t(npzd[uncomp_at + 1])) << 8;
  std::string npzd_lying = with(npzd, uncomp_at, le64(real_size + 64).substr(0, 4));
  // A bomb: 4 GiB - 2 claimed from a few hundred compressed bytes.
  std::string npzd_bomb = with(npzd, uncomp_at, std::string("\xfe\xff\xff\xff", 4));
  std::string npzd_corrupt = npzd;
  npzd_corrupt[30 + 5 + 3] ^= 0x55;  // inside the DEFLATE stream
  std::string deep = "{\"a\":";
  for (int i = 0; i < 100000; ++i) deep += "[";
  const std::vector<Case> cases = {
      {"empty", "", TENSOR_ERR_INVALID_ARGUMENT, "empty"},
      {"garbage", "hello world, not a tensor file", TENSOR_ERR_INVALID_ARGUMENT, "not a safetensors"},
      {"header length past the end", le64(1000) + "{}", TENSOR_ERR_INVALID_ARGUMENT, "runs past the end"},
      {"huge header length", le64(~uint64_t(0)) + "{", TENSOR_ERR_INVALID_ARGUMENT, "runs past the end"},
      {"bad JSON", safetensors_bytes("{\"a\":", ""), TENSOR_ERR_INVALID_ARGUMENT, "not valid JSON"},
      {"not an object", safetensors_bytes("{\"a\":[1,2]}", ""), TENSOR_ERR_INVALID_ARGUMENT, "not an object"},
      {"deep nesting", safetensors_bytes(deep, ""), TENSOR_ERR_INVALID_ARGUMENT, "nests too deeply"},
      {"dtype not a string", safetensors_bytes("{\"a\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", "abcd"),
       TENSOR_ERR_INVALID_ARGUMENT, "dtype"},
      {"unknown dtype", safetensors_bytes("{\"a\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", "abcd"),
       TENSOR_ERR_INVALID_ARGUMENT, "unknown dtype"},
      {"negative size", safetensors_bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "abcd"),
       TENSOR_ERR_INVALID_ARGUMENT, "non-negative"},
      {"fractional size", safetensors_bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", "abcd"),
       TENSOR_ERR_INVALID_ARGUMENT, "non-negative integer"},
      {"offsets out of range", safetensors_bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "ab"),
       TENSOR_ERR_INVALID_ARGUMENT, "out of range"},
      {"offsets reversed", safetensors_bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", "abcd"),
       TENSOR_ERR_INVALID_ARGUMENT, "out of range"},
      {"size mismatch", safetensors_bytes("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}", "abcd"),
       TENSOR_ERR_INVALID_ARGUMENT, "needs 8"},
      {"overlap", safetensors_bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                                    "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "abcdefgh"),
       TENSOR_ERR_INVALID_ARGUMENT, "overlap"},
      {"duplicate names", safetensors_bytes(one_f32.substr(0, one_f32.size() - 1) + "," + one_f32.substr(1), "abcd"),
       TENSOR_ERR_INVALID_ARGUMENT, "duplicate"},
      {"too many dims", safetensors_bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + [] {
         std::string s = "1";
         for (int i = 0; i < 64; ++i) s += ",1";
         return s;
       }() + "],\"data_offsets\":[0,4]}}", "abcd"), TENSOR_ERR_INVALID_ARGUMENT, "dims"},
      {"dims overflow", safetensors_bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],"
                                          "\"data_offsets\":[0,4]}}", "abcd"),
       TENSOR_ERR_INVALID_ARGUMENT, "too large"},
      {"metadata not strings", safetensors_bytes("{\"__metadata__\":{\"a\":1}}", ""), TENSOR_ERR_INVALID_ARGUMENT,
       "__metadata__"},
      {"npy version 4", std::string("\x93NUMPY\x04\x00\x10\x00", 10) + std::string(16, ' '),
       TENSOR_ERR_INVALID_ARGUMENT, "version"},
      {"npy header past the end", std::string("\x93NUMPY\x01\x00\xff\xff{", 11), TENSOR_ERR_INVALID_ARGUMENT,
       "runs past the end"},
      {"npy bad dict", npy_bytes("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }", "abcdefgh"),
       TENSOR_ERR_INVALID_ARGUMENT, "True or False"},
      {"npy missing key", npy_bytes("{'descr': '<f4', 'shape': (2,), }", "abcdefgh"), TENSOR_ERR_INVALID_ARGUMENT,
       "required"},
      {"npy unknown key", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", "abcdefgh"),
       TENSOR_ERR_INVALID_ARGUMENT, "unknown key"},
      {"npy too many dims", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (" + [] {
         std::string s;
         for (int i = 0; i < 65; ++i) s += "1, ";
         return s;
       }() + "), }", "abcd"), TENSOR_ERR_INVALID_ARGUMENT, "more than 64 dims"},
      {"npy truncated data", npy_bytes(npy_ok, "abcd"), TENSOR_ERR_INVALID_ARGUMENT, "truncated"},
      {"npy shape overflow", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", ""),
       TENSOR_ERR_INVALID_ARGUMENT, "overflows"},
      {"npy size overflow", npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", ""),
       TENSOR_ERR_INVALID_ARGUMENT, "too large"},
      {"npy structured", npy_bytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", "abcdefgh"),
       TENSOR_ERR_DTYPE, "structured"},
      {"zip truncated", npz.substr(0, npz.size() - 30), TENSOR_ERR_INVALID_ARGUMENT, "zip"},
      {"zip central directory cut", npz.substr(0, cd + 10) + npz.substr(npz.size() - 22), TENSOR_ERR_INVALID_ARGUMENT,
       "zip"},
      {"zip local offset lies", with(npz, cd + 42, std::string("\xff\xff\xff\x0f", 4)), TENSOR_ERR_INVALID_ARGUMENT,
       "runs past the end"},
      {"zip entry count lies", with(npz, npz.size() - 12, std::string("\xff\x7f", 2)), TENSOR_ERR_INVALID_ARGUMENT,
       "entries"},
      {"zip deflated size lies", npzd_lying, TENSOR_ERR_INVALID_ARGUMENT, "data bytes"},
      {"zip bomb", npzd_bomb, TENSOR_ERR_INVALID_ARGUMENT, "DEFLATE"},
      {"zip corrupt stream", npzd_corrupt, TENSOR_ERR_INVALID_ARGUMENT, "tensor 'a'"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    std::string path = dir / "hostile";
    write_bytes(path, c.bytes);
    require_status(open_and_get_all(path), c.status, c.word);
  }
}

// Note [streamed save] in src/io/save.cpp: a file of more than kStreamLag + 1 chunks of 16 MiB goes
// through the started, waited-for and dropped chunks; what is read back must be every byte, and a write
// failing after some chunks were already streamed must still leave the old file alone.
TEST_CASE("files: a save streamed in chunks reads back bit for bit; failing midway keeps the old file") {
  TempDir dir;
  const int64_t n = int64_t(14) << 20;  // 56 MiB of int32
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = TENSOR_INT32;
  Handle t, small = arange_of(TENSOR_FLOAT32, {4});
  REQUIRE_OK(tensor_arange(t.out(), 0, static_cast<double>(n), 1, &o));
  const char* ns[] = {"w"};
  const tensor* ts[] = {t};
  const std::string st = dir / "big.safetensors", npy = dir / "big.npy";
  REQUIRE_OK(tensor_save_safetensors(st.c_str(), ns, ts, 1, nullptr));
  REQUIRE_OK(tensor_save_npy(npy.c_str(), t));
  for (const std::string& path : {st, npy}) {
    FileHandle f;
    REQUIRE_OK(tensor_file_open(f.out(), path.c_str()));
    Handle back;
    REQUIRE_OK(tensor_file_get(back.out(), f, path == st ? "w" : ""));
    REQUIRE(tensor_numel(back) == n);
    CHECK(std::memcmp(tensor_data(back), tensor_data(t), static_cast<size_t>(n) * 4) == 0);
  }
  const std::string path = dir / "ckpt.safetensors";
  const tensor* ts_small[] = {small};
  REQUIRE_OK(tensor_save_safetensors(path.c_str(), ns, ts_small, 1, nullptr));
  const std::string before = read_bytes(path);
  tensor_status s;
  std::string m;
  {
    FileSizeLimit limit(rlim_t(52) << 20);  // after three chunks were started and the first waited for and dropped
    s = tensor_save_safetensors(path.c_str(), ns, ts, 1, nullptr);
    m = tensor_last_error();
  }
  CHECK(s == TENSOR_ERR_INVALID_ARGUMENT);
  CHECK(m.find("cannot write") != std::string::npos);
  CHECK(read_bytes(path) == before);
  CHECK(dir.entries() == 3);  // big.safetensors, big.npy, ckpt.safetensors: no temporary file
}
