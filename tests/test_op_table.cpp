// Every op of the elementwise tables (core/op_kinds.h) against its definition's long double reference
// (core/unary_defs.h, core/binary_defs.h), generated from the table: a new row is tested here with no
// hand edit. Floating results must be within the definition's max_ulp of the reference (+ 0.5 for the
// rounding of the true value), on contiguous rows (the CPU vector forms) and strided rows (their
// one-element forms) alike; integer results exactly (the reference truncated toward zero, as integer
// pow's negative exponents are); bool inputs computed or refused as the definition says.
#include <cmath>
#include <limits>
#include <string>

#include "core/op_table.h"
#include "test_util.h"

namespace {

using lt::Inputs;

// Evenly spread points of [lo, hi], both ends included, with a deterministic jitter so that they are
// not all short binary fractions.
std::vector<double> sample(double lo, double hi, int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) {
    double t = n == 1 ? 0.5 : double(i) / (n - 1);
    double jitter = (i == 0 || i == n - 1) ? 0 : 0.37 * std::sin(12.9898 * i) / (n - 1);
    v.push_back(lo + (hi - lo) * (t + jitter));
  }
  return v;
}

std::vector<double> integers_in(double lo, double hi) {
  std::vector<double> v;
  for (double x = std::ceil(lo); x <= std::floor(hi); x += 1) v.push_back(x);
  return v;
}

// Distance of got from the long double ref, in units of T's ulp at ref.
template <typename T>
double ulps_off(double got, long double ref) {
  if (std::isnan(static_cast<double>(ref))) return std::isnan(got) ? 0 : INFINITY;
  T r = static_cast<T>(ref);
  if (std::isinf(r)) return static_cast<T>(got) == r ? 0 : INFINITY;
  T ulp = std::nextafter(std::fabs(r), std::numeric_limits<T>::infinity()) - std::fabs(r);
  return static_cast<double>(std::fabs(static_cast<long double>(got) - ref) / ulp);
}

// The 1-d tensor of values as T, either contiguous or as a stride-2 view of a larger tensor.
template <typename T>
Handle input_of(const std::vector<double>& v, bool strided) {
  std::vector<T> typed;
  for (double x : v) {
    typed.push_back(static_cast<T>(x));
    if (strided) typed.push_back(static_cast<T>(-x));
  }
  Handle base = make<T>(typed, {static_cast<int64_t>(typed.size())});
  if (!strided) return base;
  Handle view;
  REQUIRE_OK(tensor_slice(view.out(), base, 0, 0, static_cast<int64_t>(typed.size()), 2));
  return view;
}

template <typename T>
std::vector<double> rounded(const std::vector<double>& v) {
  std::vector<double> r;
  for (double x : v) r.push_back(static_cast<double>(static_cast<T>(x)));
  return r;
}

// Whether an op whose definition says `inputs` takes element type T (perhaps promoted).
template <typename T>
bool takes(Inputs inputs) {
  return std::is_floating_point<T>::value ? lt::accepts_floating(inputs) : lt::accepts_integers(inputs);
}

template <lt::UnaryOp op, typename T>
void check_unary(const char* name, tensor_status (*fn)(tensor**, const tensor*)) {
  using Def = lt::UnaryDef<op>;
  constexpr bool floating = std::is_floating_point<T>::value;
  if (!takes<T>(Def::inputs)) {  // refused, with a message
    Handle x = make<T>({T(1), T(2)}, {2}), out;
    CHECK(fn(out.out(), x) == TENSOR_ERR_DTYPE);
    CHECK(std::string(tensor_last_error()).find(name) != std::string::npos);
    return;
  }
  const std::vector<double> xs = rounded<T>(floating ? sample(Def::lo, Def::hi, 1001) : integers_in(Def::lo, Def::hi));
  for (bool strided : {false, true}) {
    INFO(name << " on " << (floating ? "floating" : "integer") << " dtype " << dtype_for<T>() << (strided ? ", strided" : ", contiguous"));
    Handle x = input_of<T>(xs, strided), out;
    REQUIRE_OK(fn(out.out(), x));
    const bool promoted = Def::inputs == Inputs::Floating && !floating;
    REQUIRE(tensor_get_dtype(out) == (Def::predicate ? TENSOR_BOOL : promoted ? TENSOR_FLOAT32 : dtype_for<T>()));
    std::vector<double> got = values<double>(out);
    for (size_t i = 0; i < xs.size(); ++i) {
      long double ref = Def::reference(static_cast<long double>(xs[i]));
      INFO("x = " << xs[i] << ": got " << got[i] << ", reference " << static_cast<double>(ref));
      if (Def::predicate) {
        CHECK(got[i] == static_cast<double>(ref));
      } else if (floating || promoted) {
        double off = floating ? ulps_off<T>(got[i], ref) : ulps_off<float>(got[i], ref);
        CHECK(off <= Def::max_ulp + 0.5);
      } else {
        CHECK(got[i] == static_cast<double>(std::trunc(ref)));
      }
    }
  }
}

template <lt::UnaryOp op>
void check_unary_op(const char* name, tensor_status (*fn)(tensor**, const tensor*)) {
  check_unary<op, float>(name, fn);
  check_unary<op, double>(name, fn);
  check_unary<op, int32_t>(name, fn);
  check_unary<op, int64_t>(name, fn);
  Handle b = make<bool>({true, false}, {2}), out;
  tensor_status st = fn(out.out(), b);
  CHECK(st == (lt::accepts_bool(lt::UnaryDef<op>::inputs) ? TENSOR_OK : TENSOR_ERR_DTYPE));
}

// Binary: a (n, 1) grid against b (m): every pair, through broadcasting.
template <lt::BinaryOp op, typename T>
void check_binary(const char* name, tensor_status (*fn)(tensor**, const tensor*, const tensor*)) {
  using Def = lt::BinaryDef<op>;
  constexpr bool floating = std::is_floating_point<T>::value;
  if (!takes<T>(Def::inputs)) {  // refused, with a message
    Handle x = make<T>({T(1), T(2)}, {2}), out;
    CHECK(fn(out.out(), x, x) == TENSOR_ERR_DTYPE);
    CHECK(std::string(tensor_last_error()).find(name) != std::string::npos);
    return;
  }
  // Comparisons sample integer values so that ties occur.
  const bool grid = !floating || Def::comparison;
  const std::vector<double> as = rounded<T>(grid ? integers_in(Def::a_lo, Def::a_hi) : sample(Def::a_lo, Def::a_hi, 41));
  const std::vector<double> bs = rounded<T>(grid ? integers_in(Def::b_lo, Def::b_hi) : sample(Def::b_lo, Def::b_hi, 37));
  for (bool strided : {false, true}) {
    INFO(name << " on dtype " << dtype_for<T>() << (strided ? ", strided" : ", contiguous"));
    Handle a1 = input_of<T>(as, strided), a, b = input_of<T>(bs, strided), out;
    REQUIRE_OK(tensor_unsqueeze(a.out(), a1, 1));
    REQUIRE_OK(fn(out.out(), a, b));
    const bool promoted = Def::inputs == Inputs::Floating && !floating;
    REQUIRE(tensor_get_dtype(out) == (Def::comparison ? TENSOR_BOOL : promoted ? TENSOR_FLOAT32 : dtype_for<T>()));
    std::vector<double> got = values<double>(out);
    for (size_t i = 0; i < as.size(); ++i) {
      for (size_t j = 0; j < bs.size(); ++j) {
        long double ref = Def::reference(static_cast<long double>(as[i]), static_cast<long double>(bs[j]));
        const double g = got[i * bs.size() + j];
        INFO("a = " << as[i] << ", b = " << bs[j] << ": got " << g << ", reference " << static_cast<double>(ref));
        if (Def::comparison) {
          CHECK(g == static_cast<double>(ref));
        } else if (floating || promoted) {
          double off = floating ? ulps_off<T>(g, ref) : ulps_off<float>(g, ref);
          CHECK(off <= Def::max_ulp + 0.5);
        } else if (std::isfinite(static_cast<double>(ref))) {
          CHECK(g == static_cast<double>(std::trunc(ref)));
        }
      }
    }
  }
}

template <lt::BinaryOp op>
void check_binary_op(const char* name, tensor_status (*fn)(tensor**, const tensor*, const tensor*)) {
  check_binary<op, float>(name, fn);
  check_binary<op, double>(name, fn);
  check_binary<op, int32_t>(name, fn);
  check_binary<op, int64_t>(name, fn);
  Handle t = make<bool>({true, false}, {2}), out;
  tensor_status st = fn(out.out(), t, t);
  if (lt::BinaryDef<op>::bool_refusal != nullptr || !lt::accepts_bool(lt::BinaryDef<op>::inputs)) {
    CHECK(st == TENSOR_ERR_DTYPE);
  } else {
    CHECK(st == TENSOR_OK);
  }
}

}  // namespace

TEST_CASE("every unary op of the table matches its definition's reference, in every dtype and layout") {
#define LT_ROW(name, Enum) \
  SECTION(#name) { check_unary_op<lt::UnaryOp::Enum>(#name, tensor_##name); }
  LT_UNARY_OPS(LT_ROW)
#undef LT_ROW
}

TEST_CASE("every binary op of the table matches its definition's reference, with broadcasting") {
#define LT_ROW(name, Enum) \
  SECTION(#name) { check_binary_op<lt::BinaryOp::Enum>(#name, tensor_##name); }
  LT_BINARY_OPS(LT_ROW)
#undef LT_ROW
}

TEST_CASE("every scalar op of the table matches its binary twin") {
  Handle x = make<float>({1.0f, 2.0f, 3.0f, 0.75f}, {4});
  Handle s = make<float>({2.5f}, {});
#define LT_ROW(name, Enum)                                  \
  SECTION(#name) {                                          \
    Handle out, twin;                                       \
    REQUIRE_OK(tensor_##name##_scalar(out.out(), x, 2.5)); \
    REQUIRE_OK(tensor_##name(twin.out(), x, s));            \
    CHECK(tensor_get_dtype(out) == TENSOR_FLOAT32);         \
    CHECK(values<float>(out) == values<float>(twin));       \
  }
  LT_SCALAR_OPS(LT_ROW)
#undef LT_ROW
}

TEST_CASE("every in-place op of the table matches its out-of-place twin") {
#define LT_ROW(name, Enum)                                             \
  SECTION(#name) {                                                     \
    Handle t = make<double>({1.5, -2.0, 3.25, 0.5}, {2, 2});           \
    Handle o = make<double>({0.5, 4.0}, {2});                          \
    Handle twin;                                                       \
    REQUIRE_OK(tensor_##name(twin.out(), t, o));                       \
    REQUIRE_OK(tensor_##name##_(t, o));                                \
    CHECK(values<double>(t) == values<double>(twin));                  \
  }
  LT_INPLACE_OPS(LT_ROW)
#undef LT_ROW
}
