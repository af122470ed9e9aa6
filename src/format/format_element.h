// How one element of a printed tensor is written: the port of PyTorch's torch._tensor_str._Formatter.
//
// Note [one formatter per tensor]: PyTorch looks at every element that will be shown (only the edge items
// when the tensor is summarised) once, decides a single style for the whole tensor, and pads every
// element to one common width, so that columns line up. The styles, for floating dtypes:
//   - int mode: every nonzero finite value is integral -> "75." (a trailing dot says "floating");
//   - fixed: "%.4f" (precision 4);
//   - sci: "%.4e" when max/min of |nonzero finite| > 1000, or max > 1e8, or (not int mode) min < 1e-4.
// Zeros, NaN and infinities never influence the choice nor the width. Integers print as decimal, bools
// as True/False. Numbers are written as Python's str.format does (correctly rounded, "nan"/"inf").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/dtype.h"

namespace lt {

// One element read from a tensor: `f` for floating dtypes, `i` for integer and bool dtypes.
struct PrintedValue {
  double f = 0;
  int64_t i = 0;
};

class ElementFormatter {
 public:
  // `shown` holds every element that will be printed (see Note [one formatter per tensor]).
  ElementFormatter(DType dtype, const std::vector<PrintedValue>& shown);

  // The element padded on the left to width().
  std::string format(const PrintedValue& v) const;
  int width() const { return max_width_; }

 private:
  void measure_floating(const std::vector<PrintedValue>& shown);

  DType dtype_;
  bool floating_;
  bool int_mode_ = true;
  bool sci_mode_ = false;
  int max_width_ = 1;
};

// Python's "{:.<precision>f}" / "{:.<precision>e}" of a double ("nan", "inf", "-inf" for non-finite).
std::string python_fixed(double v, int precision);
std::string python_sci(double v, int precision);

}  // namespace lt
