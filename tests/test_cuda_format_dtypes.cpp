// Printing issue 14's dtypes from a CUDA tensor: the edge items are gathered on the device (slice/cat in
// float16, bfloat16, uint8, int8, int16) and copied to the host; the elements must print as the CPU tensor's
// (tests/format_dtypes_cases.inc, texts from torch), followed by the device suffix. Skips without a GPU.
#include <string>
#include <vector>

#include "format_dtypes_cases.h"
#include "test_cuda_util.h"

namespace {

Handle from_raw(tensor_dtype dtype, const std::vector<int64_t>& shape, const std::vector<int64_t>& raw) {
  const std::vector<unsigned char> bytes = format_dtypes::raw_bytes(raw, tensor_dtype_size(dtype));
  tensor_options o = opts_of(dtype);
  Handle h;
  REQUIRE_OK(tensor_from_data(h.out(), bytes.data(), shape.data(), static_cast<int32_t>(shape.size()), &o));
  return h;
}

// The text up to the end of the elements (the last ']'), which no suffix changes; 0-d tensors: up to the
// first suffix.
std::string elements_of(const std::string& text) {
  const size_t close = text.rfind(']');
  if (close != std::string::npos) return text.substr(0, close + 1);
  return text.substr(0, text.find(", "));
}

void check_on_cuda(tensor_dtype dtype, const std::vector<int64_t>& shape, const std::vector<int64_t>& raw,
                   const char* expected) {
  Handle cpu = from_raw(dtype, shape, raw);
  Handle gpu = to_cuda(cpu);
  const std::string text = format_of(gpu);
  INFO("CUDA: " << text << "\nCPU (torch): " << expected);
  CHECK(elements_of(text) == elements_of(expected));
  CHECK(text.find("device='cuda:0'") != std::string::npos);
  CHECK(text.find(std::string("dtype=torch.") + tensor_dtype_name(dtype)) != std::string::npos);
  CHECK(format_of(to_cpu(gpu)) == expected);  // the bits come back unchanged
}

}  // namespace

TEST_CASE("cuda format dtypes: literal cases print their CPU elements with the device suffix") {
  for (const format_dtypes::LiteralCase& c : format_dtypes::kLiteral)
    check_on_cuda(c.dtype, c.shape, c.raw, c.expected);
}

TEST_CASE("cuda format dtypes: summarised tensors gather their edge items on the device") {
  for (const format_dtypes::SeqCase& c : format_dtypes::kSeq)
    check_on_cuda(c.dtype, c.shape, format_dtypes::seq_raw(c), c.expected);
}

TEST_CASE("cuda format dtypes: tensor_item reads each dtype from the device") {
  for (const format_dtypes::LiteralCase& c : format_dtypes::kLiteral) {
    if (!c.shape.empty()) continue;  // 0-d cases
    Handle cpu = from_raw(c.dtype, c.shape, c.raw);
    Handle gpu = to_cuda(cpu);
    double a = 0, b = 0;
    REQUIRE_OK(tensor_item(cpu, &a));
    REQUIRE_OK(tensor_item(gpu, &b));
    CHECK((a == b || (a != a && b != b)));
  }
}
