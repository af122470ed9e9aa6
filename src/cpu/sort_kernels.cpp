// CPU kernels of the sort family (rows sort, topk of LT_BACKEND_KERNELS; the CUDA side is cuda/sort.cu).
// Operands are contiguous and seen as (A, N, B) around the dim; the A * B lines are shared among the
// threads, each line sorted by one thread. Elements are compared through their unsigned keys (Note [sort
// keys] in core/sort_keys.h), carried with their index:
//   - 32-bit keys (float32, int32, bool) on lines shorter than 2^32 are packed into one uint64
//     (key << 32 | index), so that the uint64 order is the stable order (ties by index);
//   - 64-bit keys (float64, int64) travel as a (key, index) pair compared lexicographically.
// Note [CPU sort]: a line of at least kRadixMin items is sorted by an LSD radix sort on the key (8-bit
// digits, 11-bit ones from 2^16 items: fewer passes; stable by construction; a digit that is the same in
// every item is skipped), a shorter one by std::sort
// on the (key, index) order, which is a total order, so the result is the stable order either way.
// Note [CPU topk ties]: topk runs PyTorch's CPU selection (aten/src/ATen/native/cpu/SortingKernel.cpp,
// topk_impl_loop): std::partial_sort when k * 64 <= N, else std::nth_element then std::sort of the first
// k - 1, comparing values only (NaN largest). Comparing keys instead gives the same outcome for every
// comparison, so libstdc++ moves the items exactly as it does in PyTorch, and equal values come out in
// PyTorch's order, with and without `sorted`. The partial_sort case gets there faster without changing
// a result (Note [CPU topk selection]).
#include <algorithm>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "core/parallel.h"
#include "core/shape.h"
#include "core/sort_keys.h"
#include "core/status.h"
#include "cpu/kernels.h"
#include "cpu/vec_dispatch.h"

namespace lt::cpu {

namespace {

constexpr int64_t kRadixMin = 512;

template <typename K>
struct KeyIndex {
  K key;
  int64_t index;
  bool operator<(const KeyIndex& o) const { return key < o.key || (key == o.key && index < o.index); }
};

// The item of a line: packed uint64 or a (key, index) pair, with its key byte, index and key.
template <typename T>
struct Packed {
  using Item = uint64_t;
  static constexpr int kKeyBytes = sizeof(SortKey<T>);
  static Item make(T v, int64_t j, bool desc) {
    return (static_cast<uint64_t>(directed_sort_key(v, desc)) << 32) | static_cast<uint64_t>(j);
  }
  static Item of_key(SortKey<T> k, int64_t j) { return (static_cast<uint64_t>(k) << 32) | static_cast<uint64_t>(j); }
  static int64_t index(Item x) { return static_cast<int64_t>(x & 0xffffffffu); }
  static uint64_t key(Item x) { return x >> 32; }
};

template <typename T>
struct Pair {
  using Item = KeyIndex<SortKey<T>>;
  static constexpr int kKeyBytes = sizeof(SortKey<T>);
  static Item make(T v, int64_t j, bool desc) { return Item{directed_sort_key(v, desc), j}; }
  static Item of_key(SortKey<T> k, int64_t j) { return Item{k, j}; }
  static int64_t index(const Item& x) { return x.index; }
  static SortKey<T> key(const Item& x) { return x.key; }
};

// LSD radix sort of a[0, n) on the key in digits of `Bits` bits (Note [CPU sort]); `hist` holds
// passes << Bits counters. Returns the buffer holding the result (a or tmp).
template <typename L, int Bits, typename Item>
Item* radix_sort(Item* a, Item* tmp, int64_t n, int64_t* hist) {
  constexpr int kPasses = (L::kKeyBytes * 8 + Bits - 1) / Bits;
  constexpr uint64_t kMask = (uint64_t(1) << Bits) - 1;
  std::memset(hist, 0, sizeof(int64_t) * (size_t(kPasses) << Bits));
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t k = L::key(a[i]);
    for (int p = 0; p < kPasses; ++p) ++hist[(int64_t(p) << Bits) + int64_t((k >> (p * Bits)) & kMask)];
  }
  for (int p = 0; p < kPasses; ++p) {
    int64_t* h = hist + (int64_t(p) << Bits);
    const int shift = p * Bits;
    if (h[(L::key(a[0]) >> shift) & kMask] == n) continue;  // one digit value: the pass would move nothing
    int64_t sum = 0;
    for (uint64_t v = 0; v <= kMask; ++v) {
      const int64_t c = h[v];
      h[v] = sum;
      sum += c;
    }
    for (int64_t i = 0; i < n; ++i) tmp[h[(L::key(a[i]) >> shift) & kMask]++] = a[i];
    std::swap(a, tmp);
  }
  return a;
}

// Short lines take 8-bit digits (few counters to clear), long ones 11-bit digits (fewer passes).
constexpr int kSmallDigit = 8, kLargeDigit = 11;
constexpr int64_t kLargeDigitMin = int64_t(1) << 16;

// Per-thread scratch of one line: items, their radix copy and the radix counters (uninitialised). Items
// live in tensors' storage, whose large blocks come from the CPU block cache (Note [CPU block cache] in
// cpu_allocator.cpp): a fresh 8 MB buffer per call would pay its page faults every time.
template <typename Item>
struct LineBuffers {
  static_assert(sizeof(Item) % 8 == 0, "items are whole int64 words");
  explicit LineBuffers(int64_t n)
      : items_t(make_empty(DimVector{n * int64_t(sizeof(Item) / 8)}, DType::Int64, cpu_device())),
        tmp_t(make_empty(DimVector{n * int64_t(sizeof(Item) / 8)}, DType::Int64, cpu_device())),
        hist(new int64_t[size_t(8) << (n >= kLargeDigitMin ? kLargeDigit : kSmallDigit)]) {}
  Item* items() const { return reinterpret_cast<Item*>(items_t.data()); }
  Item* tmp() const { return reinterpret_cast<Item*>(tmp_t.data()); }
  Tensor items_t, tmp_t;
  std::unique_ptr<int64_t[]> hist;
};

// Calls line(o, buffers) for each line offset o of an (A, N, B) tensor, the lines shared among the
// threads, each thread with its own buffers.
template <typename Item, typename F>
void for_each_line(const DimSplit& g, F&& line) {
  const int64_t lines = g.outer * g.inner;
  const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(g.size, 1) / 4);
  parallel_for(lines, grain, [&](int64_t begin, int64_t end) {
    LineBuffers<Item> buf(g.size);
    for (int64_t l = begin; l < end; ++l) line((l / g.inner) * g.size * g.inner + l % g.inner, buf);
  });
}

// items[j] = (key of x[j * s], j); the contiguous case (s == 1) is its own loop, which vectorises.
template <typename L, typename T>
void fill_items(typename L::Item* items, const T* x, int64_t n, int64_t s, bool desc) {
  if (s == 1) {
    for (int64_t j = 0; j < n; ++j) items[j] = L::make(x[j], j, desc);
  } else {
    for (int64_t j = 0; j < n; ++j) items[j] = L::make(x[j * s], j, desc);
  }
}

template <typename T, typename L>
void sort_lines(const Tensor& values, const Tensor& indices, const Tensor& in, const DimSplit& g, bool desc) {
  using Item = typename L::Item;
  const T* src = in.data_as<T>();
  T* vals = values.defined() ? values.data_as<T>() : nullptr;
  int64_t* idx = indices.defined() ? indices.data_as<int64_t>() : nullptr;
  const int64_t n = g.size, s = g.inner;
  for_each_line<Item>(g, [&](int64_t o, LineBuffers<Item>& buf) {
    const T* x = src + o;
    Item* items = buf.items();
    fill_items<L>(items, x, n, s, desc);
    Item* sorted = items;
    if (n >= kLargeDigitMin) sorted = radix_sort<L, kLargeDigit>(items, buf.tmp(), n, buf.hist.get());
    else if (n >= kRadixMin) sorted = radix_sort<L, kSmallDigit>(items, buf.tmp(), n, buf.hist.get());
    else std::sort(items, items + n);
    if (idx)
      for (int64_t j = 0; j < n; ++j) idx[o + j * s] = L::index(sorted[j]);
    if (vals)
      for (int64_t j = 0; j < n; ++j) vals[o + j * s] = x[L::index(sorted[j]) * s];
  });
}

// libstdc++'s __adjust_heap(h, 0, len, value): the step of std::partial_sort's heap selection that
// replaces the heap's top (the k-th best so far) with `value`. Copied move for move (the hole walks down
// to a leaf along the better child, then `value` climbs back), so that equal keys end where std::partial_sort
// puts them (Note [CPU topk ties]).
template <typename Item, typename Less>
void heap_replace_top(Item* h, int64_t len, const Item& value, Less less) {
  int64_t hole = 0, child = 0;
  while (child < (len - 1) / 2) {
    child = 2 * (child + 1);
    if (less(h[child], h[child - 1])) --child;
    h[hole] = h[child];
    hole = child;
  }
  if ((len & 1) == 0 && child == (len - 2) / 2) {
    child = 2 * (child + 1);
    h[hole] = h[child - 1];
    hole = child - 1;
  }
  int64_t parent = (hole - 1) / 2;
  while (hole > 0 && less(h[parent], value)) {
    h[hole] = h[parent];
    hole = parent;
    parent = (hole - 1) / 2;
  }
  h[hole] = value;
}

// sort_key(v) ^ flip (flip 0 or all ones: directed_sort_key) in integer operations only, so that a loop of
// them vectorises: the same key as sort_key for every value (-0.0 as +0.0, every NaN the largest key).
template <typename T>
SortKey<T> scan_key(T v, SortKey<T> flip) {
  using K = SortKey<T>;
  if constexpr (std::is_floating_point<T>::value) {
    constexpr int kTop = int(sizeof(K)) * 8 - 1;
    constexpr K sign = K(1) << kTop, inf = std::is_same<T, float>::value ? K(0x7f800000u) : K(0x7ff0000000000000ull);
    K bits;
    std::memcpy(&bits, &v, sizeof bits);
    bits = bits == sign ? K(0) : bits;  // -0.0 -> +0.0
    const K key = bits ^ ((K(0) - (bits >> kTop)) | sign);
    return K((((bits & ~sign) > inf) ? ~K(0) : key) ^ flip);  // NaN: the largest key
  } else {
    return K(sort_key(v) ^ flip);
  }
}

// keys[t] = scan_key(x[t], flip) for a block of kTopkBlock elements, and their least key: one vector loop
// (a min reduction; the 32-bit unsigned min needs SSE4.1, hence the AVX2 and AVX-512 builds).
constexpr int64_t kTopkBlock = 32;
template <typename T>
__attribute__((always_inline)) inline SortKey<T> scan_block_body(const T* x, SortKey<T> flip, SortKey<T>* keys) {
  SortKey<T> least = SortKey<T>(~SortKey<T>(0));
  for (int64_t t = 0; t < kTopkBlock; ++t) {
    keys[t] = scan_key(x[t], flip);
    least = std::min(least, keys[t]);
  }
  return least;
}
template <typename T>
SortKey<T> scan_block_base(const T* x, SortKey<T> flip, SortKey<T>* keys) {
  return scan_block_body(x, flip, keys);
}
#ifdef LT_HAVE_WIDE_VECTORS
template <typename T>
LT_AVX2 SortKey<T> scan_block_avx2(const T* x, SortKey<T> flip, SortKey<T>* keys) {
  return scan_block_body(x, flip, keys);
}
template <typename T>
LT_AVX512 SortKey<T> scan_block_avx512(const T* x, SortKey<T> flip, SortKey<T>* keys) {
  return scan_block_body(x, flip, keys);
}
#endif
template <typename T>
using ScanBlockFn = SortKey<T> (*)(const T*, SortKey<T>, SortKey<T>*);
template <typename T>
ScanBlockFn<T> scan_block() {
#ifdef LT_HAVE_WIDE_VECTORS
  static const ScanBlockFn<T> fn =
      pick_width<ScanBlockFn<T>>(scan_block_base<T>, scan_block_avx2<T>, scan_block_avx512<T>);
#else
  static const ScanBlockFn<T> fn = scan_block_base<T>;
#endif
  return fn;
}

// Note [CPU topk selection]: std::partial_sort(items, items + k, items + n) by key only (Note [CPU topk
// ties]) on the line's keys kb[0, n) (sort_key in the requested direction), in two steps:
//   1. The least key of each block of kTopkBlock is an upper bound of some element in k distinct blocks,
//      so the k-th smallest block minimum `bound` is at least the k-th smallest key. The elements of keys
//      <= bound (in the blocks whose minimum is <= bound: about k of them) are gathered and sorted by
//      (key, index). When their first k keys are distinct and the k-th is below the (k+1)-th, the answer
//      is unique: the k least keys in increasing order, which is what partial_sort gives, whatever the
//      path it takes. On random data this is nearly every line, at the cost of a vector pass. (Far more
//      than k keys <= bound means ties at the bound, most likely: straight to step 2.)
//   2. Otherwise (equal keys where they decide the answer) libstdc++'s partial_sort is replayed move for
//      move: std::make_heap of the first k, an element entering when its key is below the top's (the same
//      test partial_sort makes) through heap_replace_top, then std::sort_heap; so the heap goes through the
//      same states and equal keys come out where std::partial_sort puts them. A block whose least key
//      is not below the top is skipped whole: partial_sort's test fails for each of its elements.
// `mins` has room for n / kTopkBlock + 1 keys.
template <typename T, typename L>
void topk_select(typename L::Item* items, const SortKey<T>* kb, SortKey<T>* mins, int64_t n, int64_t k) {
  using Item = typename L::Item;
  using K = SortKey<T>;
  auto before = [](const Item& a, const Item& b) { return L::key(a) < L::key(b); };
  const int64_t blocks = n / kTopkBlock;  // >= 2k: the caller takes this path when k * 64 <= n
  K* order = mins + blocks;
  std::copy(mins, mins + blocks, order);
  std::nth_element(order, order + k - 1, order + blocks);
  const K bound = order[k - 1];
  // Far more than k keys <= bound means ties at the bound, most likely: step 2, without gathering further.
  const int64_t most = 2 * k + 24;
  int64_t c = 0;
  for (int64_t b = 0; b < blocks && c <= most; ++b) {
    if (mins[b] > bound) continue;
    for (int64_t j = b * kTopkBlock; j < (b + 1) * kTopkBlock; ++j) {
      items[c] = L::of_key(kb[j], j);  // written always, kept when the key is <= bound: no branch
      c += kb[j] <= bound;
    }
  }
  for (int64_t j = blocks * kTopkBlock; j < n && c <= most; ++j) {
    items[c] = L::of_key(kb[j], j);
    c += kb[j] <= bound;
  }
  if (c <= most) {
    std::sort(items, items + c);  // (key, index) order, a total order
    bool unique = c == k || L::key(items[k]) != L::key(items[k - 1]);
    for (int64_t j = 1; j < k && unique; ++j) unique = L::key(items[j]) != L::key(items[j - 1]);
    if (unique) return;
  }
  for (int64_t j = 0; j < k; ++j) items[j] = L::of_key(kb[j], j);
  std::make_heap(items, items + k, before);
  K top = K(L::key(items[0]));
  for (int64_t j = k; j < n;) {
    // A whole block whose least key is not below the top has no element that enters (the top only falls).
    if (j % kTopkBlock == 0 && j / kTopkBlock < blocks && mins[j / kTopkBlock] >= top) {
      j += kTopkBlock;
      continue;
    }
    if (kb[j] < top) {
      heap_replace_top(items, k, L::of_key(kb[j], j), before);
      top = K(L::key(items[0]));
    }
    ++j;
  }
  std::sort_heap(items, items + k, before);
}

// The line's keys kb[0, n) in the direction `largest` and the least key of each whole block (`mins`).
template <typename T>
void topk_keys(SortKey<T>* kb, SortKey<T>* mins, const T* x, int64_t n, int64_t s, bool largest) {
  using K = SortKey<T>;
  const K flip = largest ? K(~K(0)) : K(0);
  const int64_t blocks = n / kTopkBlock;
  if (s == 1) {
    const ScanBlockFn<T> scan = scan_block<T>();
    for (int64_t b = 0; b < blocks; ++b) mins[b] = scan(x + b * kTopkBlock, flip, kb + b * kTopkBlock);
  } else {
    for (int64_t b = 0; b < blocks; ++b) {
      K least = K(~K(0));
      for (int64_t j = b * kTopkBlock; j < (b + 1) * kTopkBlock; ++j)
        least = std::min(least, kb[j] = scan_key(x[j * s], flip));
      mins[b] = least;
    }
  }
  for (int64_t j = blocks * kTopkBlock; j < n; ++j) kb[j] = scan_key(x[j * s], flip);
}

template <typename T, typename L>
void topk_lines(const Tensor& values, const Tensor& indices, const Tensor& in, const DimSplit& g, int64_t k,
                bool largest, bool sorted) {
  using Item = typename L::Item;
  const T* src = in.data_as<T>();
  T* vals = values.data_as<T>();
  int64_t* idx = indices.data_as<int64_t>();
  const int64_t n = g.size, s = g.inner;
  // Note [CPU topk ties]: keys only, the index plays no part in a comparison.
  auto before = [](const Item& a, const Item& b) { return L::key(a) < L::key(b); };
  for_each_line<Item>(g, [&](int64_t o, LineBuffers<Item>& buf) {
    const T* x = src + o;
    Item* items = buf.items();
    if (k * 64 <= n) {
      // The keys and block minima in the radix scratch: n keys + 2 (n / kTopkBlock) minima fit in n items.
      static_assert(sizeof(Item) >= sizeof(SortKey<T>) * 3 / 2, "room for the keys and the minima");
      SortKey<T>* kb = reinterpret_cast<SortKey<T>*>(buf.tmp());
      topk_keys(kb, kb + n, x, n, s, largest);
      topk_select<T, L>(items, kb, kb + n, n, k);
    } else {
      fill_items<L>(items, x, n, s, largest);
      std::nth_element(items, items + k - 1, items + n, before);
      if (sorted) std::sort(items, items + k - 1, before);
    }
    const int64_t ob = (o / (n * s)) * k * s + o % s;  // the line's offset in the (A, k, B) outputs
    for (int64_t j = 0; j < k; ++j) {
      const int64_t i = L::index(items[j]);
      idx[ob + j * s] = i;
      vals[ob + j * s] = x[i * s];
    }
  });
}

// Runs F<T, Layout> for in's dtype with the packed layout where the keys and indices fit in it.
template <template <typename, typename> class F, typename... Args>
void dispatch_layout(DType dt, int64_t n, const char* what, Args&&... args) {
  const bool packable = n <= int64_t(0xffffffff);
  switch (dt) {
    case DType::Float32:
      return packable ? F<float, Packed<float>>::run(args...) : F<float, Pair<float>>::run(args...);
    case DType::Int32:
      return packable ? F<int32_t, Packed<int32_t>>::run(args...) : F<int32_t, Pair<int32_t>>::run(args...);
    case DType::Bool: return packable ? F<bool, Packed<bool>>::run(args...) : F<bool, Pair<bool>>::run(args...);
    case DType::Float64: return F<double, Pair<double>>::run(args...);
    case DType::Int64: return F<int64_t, Pair<int64_t>>::run(args...);
    case DType::Float16:
    case DType::BFloat16:
    case DType::UInt8:
    case DType::Int8:
    case DType::Int16: break;  // storage dtypes sort in their kernel dtype (Note [kernel dtype])
  }
  throw_error(Status::Internal, std::string(what) + ": unexpected dtype");
}

template <typename T, typename L>
struct SortRun {
  static void run(const Tensor& v, const Tensor& i, const Tensor& in, const DimSplit& g, bool desc) {
    sort_lines<T, L>(v, i, in, g, desc);
  }
};

template <typename T, typename L>
struct TopkRun {
  static void run(const Tensor& v, const Tensor& i, const Tensor& in, const DimSplit& g, int64_t k, bool largest,
                  bool sorted) {
    topk_lines<T, L>(v, i, in, g, k, largest, sorted);
  }
};

}  // namespace

void sort(const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim, bool descending) {
  if (in.numel() == 0) return;
  const DimSplit g = split_at_dim(in.shape(), dim);
  dispatch_layout<SortRun>(in.dtype(), g.size, "sort", values, indices, in, g, descending);
}

void topk(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t k, int32_t dim, bool largest,
          bool sorted) {
  if (values.numel() == 0) return;
  const DimSplit g = split_at_dim(in.shape(), dim);
  dispatch_layout<TopkRun>(in.dtype(), g.size, "topk", values, indices, in, g, k, largest, sorted);
}

}  // namespace lt::cpu
