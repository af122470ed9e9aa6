// The element formatter (see Note [one formatter per tensor] in format_element.h).
#include "format/format_element.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lt {
namespace {

constexpr int kPrecision = 4;  // torch.set_printoptions default

// Python never writes a sign on NaN and spells the specials in lower case; printf may write "-nan".
bool special_text(double v, std::string& out) {
  if (std::isnan(v)) {
    out = "nan";
    return true;
  }
  if (std::isinf(v)) {
    out = v < 0 ? "-inf" : "inf";
    return true;
  }
  return false;
}

std::string printf_double(const char* fmt, int precision, double v) {
  // A double in %f needs at most 309 integer digits plus sign, point and precision.
  char buf[400];
  int n = std::snprintf(buf, sizeof(buf), fmt, precision, v);
  return std::string(buf, static_cast<size_t>(std::max(0, std::min(n, static_cast<int>(sizeof(buf)) - 1))));
}

int text_width(const std::string& s) { return static_cast<int>(s.size()); }

}  // namespace

std::string python_fixed(double v, int precision) {
  std::string s;
  if (special_text(v, s)) return s;
  return printf_double("%.*f", precision, v);
}

std::string python_sci(double v, int precision) {
  std::string s;
  if (special_text(v, s)) return s;
  return printf_double("%.*e", precision, v);
}

ElementFormatter::ElementFormatter(DType dtype, const std::vector<PrintedValue>& shown)
    : dtype_(dtype), floating_(is_floating(dtype)) {
  if (floating_) {
    measure_floating(shown);
    return;
  }
  for (const PrintedValue& v : shown) max_width_ = std::max(max_width_, text_width(format(v)));
}

void ElementFormatter::measure_floating(const std::vector<PrintedValue>& shown) {
  std::vector<double> vals;  // nonzero finite values: the only ones that choose the style
  for (const PrintedValue& v : shown)
    if (std::isfinite(v.f) && v.f != 0) vals.push_back(v.f);
  if (vals.empty()) return;  // all zero / non-finite: int mode, width 1

  double lo = std::abs(vals[0]), hi = lo;
  for (double v : vals) {
    lo = std::min(lo, std::abs(v));
    hi = std::max(hi, std::abs(v));
    if (v != std::ceil(v)) int_mode_ = false;
  }
  const bool wide_range = hi / lo > 1000.0 || hi > 1.0e8;
  sci_mode_ = int_mode_ ? wide_range : (wide_range || lo < 1.0e-4);
  for (double v : vals) {
    int w;
    if (sci_mode_)
      w = text_width(python_sci(v, kPrecision));
    else if (int_mode_)
      w = text_width(python_fixed(v, 0)) + 1;  // + the trailing "."
    else
      w = text_width(python_fixed(v, kPrecision));
    max_width_ = std::max(max_width_, w);
  }
}

std::string ElementFormatter::format(const PrintedValue& v) const {
  std::string s;
  if (!floating_) {
    s = dtype_ == DType::Bool ? (v.i ? "True" : "False") : std::to_string(v.i);
  } else if (sci_mode_) {
    s = python_sci(v.f, kPrecision);
  } else if (int_mode_) {
    s = python_fixed(v.f, 0);
    if (std::isfinite(v.f)) s += '.';
  } else {
    s = python_fixed(v.f, kPrecision);
  }
  // Elements wider than the common width (zeros like "-0.", or "nan" in int mode) are not cut.
  if (text_width(s) < max_width_) s.insert(0, static_cast<size_t>(max_width_ - text_width(s)), ' ');
  return s;
}

}  // namespace lt
