// lt::format: a tensor as PyTorch 2.x's repr() writes it (torch/_tensor_str.py with the default print
// options: precision 4, threshold 1000, edgeitems 3, linewidth 80).
//
// Note [layout]: the text is "tensor(" + contents + suffixes + ")". Contents nest one "[" per dim; a row
// of the innermost dim wraps after floor((80 - indent) / (width + 2)) elements, continuation lines
// indented to just inside their "["; slices of an outer dim are separated by "," plus one newline per
// remaining inner dim. Tensors with more than 1000 elements are summarised: along every dim longer than
// 6 only the first and last 3 entries are shown, with "..." between them. Suffixes (device, dtype,
// grad_fn or requires_grad) follow ", " on the last line, or start a new line when they would pass
// column 80.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "format/format.h"
#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "format/format_element.h"
#include "format/format_internal.h"
#include "ops/ops.h"

namespace lt {
namespace {

constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int kLineWidth = 80;
constexpr const char* kPrefix = "tensor(";
constexpr int kIndent = 7;  // strlen(kPrefix)

bool summarized_dim(int64_t size, bool summarize) { return summarize && size > 2 * kEdgeItems; }

// Only the edge items of every summarised dim, as one tensor (PyTorch's get_summarized_data without the
// flattening), so that a large tensor on another device is not copied whole to print a few rows of it.
Tensor edge_items(Tensor t) {
  NoGradGuard no_grad;
  for (int32_t d = 0; d < t.ndim(); ++d) {
    const int64_t n = t.size(d);
    if (summarized_dim(n, true))
      t = cat({slice(t, d, 0, kEdgeItems, 1), slice(t, d, n - kEdgeItems, n, 1)}, d);
  }
  return t;
}

// Element access on the host by the indices of the original tensor. CPU tensors are read in place through
// their strides. Tensors on other devices are copied to host memory (row-major) first, when summarised
// only their edge items, with indices past the gap shifted down to match.
class HostElements {
 public:
  HostElements(const Tensor& t, bool summarize, bool copy) : dtype_(t.dtype()), strides_(t.strides()) {
    if (!copy) {
      base_ = t.data();
      return;
    }
    const Tensor small = summarize ? edge_items(t) : t;
    host_.resize(static_cast<size_t>(small.numel()) * itemsize(dtype_));
    copy_to_host(small, host_.data(), host_.size());
    base_ = host_.data();
    strides_ = contiguous_strides(small.shape());
    if (summarize)
      for (int32_t d = 0; d < t.ndim(); ++d)
        if (summarized_dim(t.size(d), true)) gap_.push_back({d, t.size(d) - 2 * kEdgeItems});
  }
  // The element offset of index i along dim d.
  int64_t step(int32_t d, int64_t i) const {
    for (const Gap& g : gap_)
      if (g.dim == d && i >= kEdgeItems) return (i - g.removed) * strides_[d];
    return i * strides_[d];
  }
  PrintedValue at(int64_t offset) const {
    PrintedValue v;
    const char* p = base_ + offset * static_cast<int64_t>(itemsize(dtype_));
    LT_DISPATCH_STORAGE(dtype_, "format", {
      scalar_t x;
      std::memcpy(&x, p, sizeof(x));
      if (is_floating(dtype_))
        v.f = static_cast<double>(x);
      else
        v.i = static_cast<int64_t>(x);
    });
    return v;
  }

 private:
  struct Gap {
    int32_t dim;
    int64_t removed;  // how many middle indices the host copy lacks
  };
  DType dtype_;
  DimVector strides_;
  std::vector<Gap> gap_;
  const char* base_ = nullptr;
  std::vector<char> host_;
};

// The indices of a dim that are printed; -1 marks the "..." of a summarised dim.
std::vector<int64_t> shown_indices(int64_t size, bool summarize) {
  std::vector<int64_t> idx;
  if (summarized_dim(size, summarize)) {
    for (int64_t i = 0; i < kEdgeItems; ++i) idx.push_back(i);
    idx.push_back(-1);
    for (int64_t i = size - kEdgeItems; i < size; ++i) idx.push_back(i);
  } else {
    for (int64_t i = 0; i < size; ++i) idx.push_back(i);
  }
  return idx;
}

class Printer {
 public:
  Printer(const Tensor& t, bool summarize, bool copy) : t_(t), host_(t, summarize, copy), summarize_(summarize) {}

  std::string contents() {
    std::vector<PrintedValue> shown;
    collect(0, 0, shown);
    ElementFormatter fmt(t_.dtype(), shown);
    return block(0, 0, kIndent, fmt);
  }

 private:
  // collect and block recurse once per dim: at most kMaxNdim (64) frames, which every shape is held to.
  // Every printed element, in order (PyTorch's get_summarized_data).
  void collect(int32_t d, int64_t offset, std::vector<PrintedValue>& out) const {
    if (d == t_.ndim()) {
      out.push_back(host_.at(offset));
      return;
    }
    for (int64_t i : shown_indices(t_.size(d), summarize_))
      if (i >= 0) collect(d + 1, offset + host_.step(d, i), out);
  }

  // The text of the sub-tensor starting at dim d (PyTorch's _tensor_str_with_formatter).
  std::string block(int32_t d, int64_t offset, int indent, const ElementFormatter& fmt) const {
    if (t_.ndim() == 0) return fmt.format(host_.at(offset));
    if (d == t_.ndim() - 1) return row(d, offset, indent, fmt);
    const int32_t remaining = t_.ndim() - d;
    const std::string sep = "," + std::string(static_cast<size_t>(remaining - 1), '\n') +
                            std::string(static_cast<size_t>(indent + 1), ' ');
    std::string s = "[";
    bool first = true;
    for (int64_t i : shown_indices(t_.size(d), summarize_)) {
      if (!first) s += sep;
      first = false;
      s += i < 0 ? "..." : block(d + 1, offset + host_.step(d, i), indent + 1, fmt);
    }
    return s + "]";
  }

  // The innermost dim (PyTorch's _vector_str), wrapped at the line width.
  std::string row(int32_t d, int64_t offset, int indent, const ElementFormatter& fmt) const {
    const int element_length = fmt.width() + 2;  // ", " between elements
    // Python floors the division; for a negative numerator max(1, ...) wins either way.
    const int per_line = std::max(1, (kLineWidth - indent) / element_length);
    const std::string line_sep = ",\n" + std::string(static_cast<size_t>(indent + 1), ' ');
    std::string s = "[";
    int on_line = 0;
    for (int64_t i : shown_indices(t_.size(d), summarize_)) {
      if (on_line == per_line) {
        s += line_sep;
        on_line = 0;
      } else if (on_line > 0) {
        s += ", ";
      }
      s += i < 0 ? " ..." : fmt.format(host_.at(offset + host_.step(d, i)));
      ++on_line;
    }
    return s + "]";
  }

  const Tensor& t_;
  HostElements host_;
  bool summarize_;
};

// Python's str(tuple(shape)): "(0, 3)", "(0,)".
std::string python_tuple(const DimVector& shape) {
  std::string s = "(";
  for (int32_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

std::string torch_dtype(DType dt) { return std::string("torch.") + dtype_name(dt); }

std::vector<std::string> suffixes_of(const Tensor& t) {
  std::vector<std::string> sfx;
  if (!t.device().is_cpu()) sfx.push_back("device='" + t.device().str() + "'");
  if (t.numel() == 0) {
    // Nothing shows the dtype of an empty tensor, so every non-float32 dtype is named.
    if (t.ndim() != 1) sfx.push_back("size=" + python_tuple(t.shape()));
    if (t.dtype() != DType::Float32) sfx.push_back("dtype=" + torch_dtype(t.dtype()));
  } else if (t.dtype() != DType::Float32 && t.dtype() != DType::Int64 && t.dtype() != DType::Bool) {
    sfx.push_back("dtype=" + torch_dtype(t.dtype()));
  }
  const AutogradMeta* m = meta_of(t.impl());
  if (m && m->grad_fn)
    sfx.push_back(std::string("grad_fn=<") + m->grad_fn->name() + ">");
  else if (m && m->requires_grad)
    sfx.push_back("requires_grad=True");
  return sfx;
}

// PyTorch's _add_suffixes.
std::string add_suffixes(std::string text, const std::vector<std::string>& suffixes) {
  const size_t nl = text.rfind('\n');
  // Characters on the last line + 2 (PyTorch's off-by-two, kept for identical wrapping).
  int64_t last_line_len = static_cast<int64_t>(nl == std::string::npos ? text.size() : text.size() - nl - 1) + 2;
  for (const std::string& s : suffixes) {
    const int64_t len = static_cast<int64_t>(s.size());
    if (last_line_len + len + 2 > kLineWidth) {
      text += ",\n" + std::string(kIndent, ' ') + s;
      last_line_len = kIndent + len;
    } else {
      text += ", " + s;
      last_line_len += len + 2;
    }
  }
  return text + ")";
}

std::string format_impl(const Tensor& t, bool via_host_copy) {
  std::string contents = "[]";
  if (t.numel() > 0) contents = Printer(t, t.numel() > kThreshold, via_host_copy).contents();
  return add_suffixes(kPrefix + contents, suffixes_of(t));
}

}  // namespace

std::string format(const Tensor& t) { return format_impl(t, !t.device().is_cpu()); }

std::string format_copying_to_host(const Tensor& t) { return format_impl(t, true); }

}  // namespace lt
