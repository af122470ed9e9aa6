/* The dtypes of issue 14 (float16, bfloat16, uint8, int8, int16) in libtensor_dist, beyond the exact
 * values of test_dist_collectives: integer sums and products that wrap (on buffers long enough for Open
 * MPI's vector loop, Note [wrapping sums] in dist/src/reduce_ops.h), float16/bfloat16 sums and
 * products rounded once per pair from float32 (ties to even, overflow to inf, subnormals), AVG divided
 * in float32 and rounded once, NaN and signed zeros in MAX/MIN, bit-exact broadcast and all_gather,
 * and the refusals (AVG of integers, dtypes that differ across ranks but have the same size).
 *
 * Expected values are computed here: integers modulo 2^64 then wrapped; halves by folding the ranks'
 * values in rank order, each step computed in float32 and rounded by libtensor's own conversion
 * (round_to). MPI does not fix the order in which it combines ranks, so the rounding cases give a
 * non-identity value on ranks 0 and 1 only (0 for SUM, 1 for PROD elsewhere): every order then rounds
 * the same single pair, and the result does not depend on the order. */
#include <math.h>

#include "dist_test.h"

#define LONG 96
#define MAX_WORLD 8 /* the buffers below hold a reduce_scatter input of MAX_WORLD rows */

static int world;

static double int_value(tensor_dtype d, int r, int i) {
  if (d == TENSOR_UINT8) return 200 + (r * 7 + i * 13) % 56;
  if (d == TENSOR_INT8) return i % 2 ? 100 + (r * 5 + i) % 28 : -100 - (r * 3 + i) % 29;
  return i % 2 ? 30000 + (r * 101 + i * 37) % 2768 : -30000 - (r * 89 + i * 41) % 2769;
}

static double int_expected(tensor_dtype d, int i, int op) {
  uint64_t wide = (uint64_t)(int64_t)int_value(d, 0, i);
  double best = int_value(d, 0, i);
  int r;
  for (r = 1; r < world; ++r) {
    double v = int_value(d, r, i);
    if (op == TENSOR_DIST_SUM) wide += (uint64_t)(int64_t)v;
    if (op == TENSOR_DIST_PROD) wide *= (uint64_t)(int64_t)v;
    if (op == TENSOR_DIST_MAX && v > best) best = v;
    if (op == TENSOR_DIST_MIN && v < best) best = v;
  }
  return op == TENSOR_DIST_SUM || op == TENSOR_DIST_PROD ? wrap_to(wide, d) : best;
}

static void test_wrapping(tensor_comm* c) {
  static const tensor_dtype ints[] = {TENSOR_UINT8, TENSOR_INT8, TENSOR_INT16};
  static const int ops[] = {TENSOR_DIST_SUM, TENSOR_DIST_PROD, TENSOR_DIST_MAX, TENSOR_DIST_MIN};
  double v[LONG * MAX_WORLD], got[LONG];
  int k, o, i, bad;
  /* the oracle itself */
  CHECK(wrap_to(200 + 201, TENSOR_UINT8) == 145 && wrap_to(100 + 100, TENSOR_INT8) == -56);
  CHECK(wrap_to(30000 + 30000, TENSOR_INT16) == -5536 && wrap_to((uint64_t)-1, TENSOR_UINT8) == 255);
  for (k = 0; k < 3; ++k) {
    tensor_dtype d = ints[k];
    for (o = 0; o < 4; ++o) {
      int64_t shape[2] = {LONG}, rs_shape[2] = {0, LONG};
      tensor *t, *out = NULL;
      rs_shape[0] = world;
      for (i = 0; i < LONG; ++i) v[i] = int_value(d, dist_rank, i);
      t = make(v, shape, 1, d);
      CHECK_OK(tensor_dist_all_reduce(c, t, ops[o]));
      CHECK(values(t, got, LONG) == LONG);
      for (i = 0, bad = 0; i < LONG; ++i) bad += got[i] != int_expected(d, i, ops[o]);
      if (bad)
        fprintf(stderr, "rank %d: all_reduce %s op %d: %d of %d wrong\n", dist_rank, tensor_dtype_name(d), ops[o], bad,
                LONG);
      CHECK(bad == 0);
      tensor_free(t);
      /* reduce_scatter: row r of every rank's [world, LONG] input goes to rank r; all rows alike */
      for (i = 0; i < LONG * world; ++i) v[i] = int_value(d, dist_rank, i % LONG);
      t = make(v, rs_shape, 2, d);
      CHECK_OK(tensor_dist_reduce_scatter(&out, c, t, ops[o]));
      CHECK(out && values(out, got, LONG) == LONG);
      for (i = 0, bad = 0; out && i < LONG; ++i) bad += got[i] != int_expected(d, i, ops[o]);
      CHECK(bad == 0);
      tensor_free(out);
      tensor_free(t);
    }
  }
}

/* Rounding cases: element j is x on rank 0 and y on rank 1 (the identity elsewhere). */
struct pair {
  double x, y;
};

static const struct pair f16_sums[] = {{2048, 1}, /* 2049: tie, to even 2048 */
                                       {2048, 3}, /* 2051: tie, to even 2052 (truncation would give 2050) */
                                       {2048, 5}, /* 2053: tie, to even 2052 */
                                       {1 + 0x1p-10, 0x1p-11}, /* tie, to even 1 + 2^-9 */
                                       {65504, 16},            /* 65520: overflows to inf */
                                       {65504, 8},             /* 65512: back to 65504 */
                                       {0x1p-24, 0x1p-24},     /* subnormals */
                                       {3 * 0x1p-24, 0x1p-14}, /* subnormal + normal */
                                       {0.1, 0.2},             /* inputs rounded to float16 first */
                                       {-7.5, 1000.25},
                                       {INFINITY, -INFINITY}, /* NaN */
                                       {INFINITY, 1}};
static const struct pair bf16_sums[] = {{256, 1},              /* tie, to even 256 */
                                        {256, 3},              /* 259: tie, to even 260 */
                                        {1 + 0x1p-7, 0x1p-8},  /* tie, to even 1 + 2^-6 */
                                        {0x1.fep127, 0x1p119}, /* largest + half an ulp: tie, to even: inf */
                                        {0x1.fep127, 0x1p118}, /* stays the largest */
                                        {0x1p-133, 0x1p-133},  /* float32 subnormal range, as bfloat16 has it */
                                        {0.1, 0.2},
                                        {-7.5, 1000.25},
                                        {INFINITY, -INFINITY},
                                        {INFINITY, 1}};
static const struct pair f16_prods[] = {{1 + 0x1p-10, 1.5}, /* 1.5 + 1.5 * 2^-10: tie, to even 1.5 + 2^-9 */
                                        {256, 256},         /* 65536: inf */
                                        {0x1p-14, 0x1p-10}, /* 2^-24, the smallest subnormal */
                                        {0x1p-14, 0x1p-11}, /* 2^-25: tie between 0 and 2^-24, to even 0 */
                                        {0.1, 3},           {-2.5, 1.7}};
static const struct pair bf16_prods[] = {{1 + 0x1p-7, 1.5},  /* tie, to even 1.5 + 2^-6 */
                                         {0x1p100, 0x1p100}, /* inf */
                                         {0.1, 3},
                                         {-2.5, 1.7},
                                         {1.0 / 3, 3}};

/* The inputs as the tensors hold them (rounded to d): xs and ys. */
static int pair_inputs(const struct pair* p, int n, tensor_dtype d, double* xs, double* ys) {
  double a[32], b[32];
  int64_t shape[1];
  int j;
  tensor *tx, *ty;
  shape[0] = n;
  for (j = 0; j < n; ++j) {
    a[j] = p[j].x;
    b[j] = p[j].y;
  }
  tx = make(a, shape, 1, d);
  ty = make(b, shape, 1, d);
  CHECK(tx && ty && values(tx, xs, 32) == n && values(ty, ys, 32) == n);
  tensor_free(tx);
  tensor_free(ty);
  return n;
}

/* What the reduction of element j must give: the ranks folded in rank order, each step in float32 and
 * rounded to d; AVG then divides in float32 and rounds once. */
static double half_expected(double x, double y, tensor_dtype d, int op) {
  double identity = op == TENSOR_DIST_PROD ? 1 : 0, acc = x;
  int r;
  for (r = 1; r < world; ++r) {
    double v = r == 1 ? y : identity;
    acc = round_to(op == TENSOR_DIST_PROD ? (float)acc * (float)v : (float)acc + (float)v, d);
  }
  if (op == TENSOR_DIST_AVG) acc = round_to((float)acc / (float)world, d);
  return acc;
}

static int same_value(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

static void check_pairs(tensor_comm* c, const struct pair* p, int n, tensor_dtype d, int op) {
  double xs[32], ys[32], mine[32 * MAX_WORLD], got[32];
  double identity = op == TENSOR_DIST_PROD ? 1 : 0;
  int64_t shape[1], rs_shape[2];
  tensor *t, *out = NULL;
  int j, r;
  pair_inputs(p, n, d, xs, ys);
  for (j = 0; j < n; ++j) mine[j] = dist_rank == 0 ? xs[j] : dist_rank == 1 ? ys[j] : identity;
  shape[0] = n;
  t = make(mine, shape, 1, d);
  CHECK_OK(tensor_dist_all_reduce(c, t, op));
  CHECK(values(t, got, 32) == n);
  for (j = 0; j < n; ++j) {
    double want = half_expected(xs[j], ys[j], d, op);
    if (!same_value(got[j], want))
      fprintf(stderr, "rank %d: %s op %d: %a (+) %a gave %a, want %a\n", dist_rank, tensor_dtype_name(d), op, xs[j],
              ys[j], got[j], want);
    CHECK(same_value(got[j], want));
  }
  tensor_free(t);
  /* the same pairs in every row of a [world, n] reduce_scatter */
  rs_shape[0] = world;
  rs_shape[1] = n;
  for (r = 0; r < world; ++r)
    for (j = 0; j < n; ++j) mine[r * n + j] = dist_rank == 0 ? xs[j] : dist_rank == 1 ? ys[j] : identity;
  t = make(mine, rs_shape, 2, d);
  CHECK_OK(tensor_dist_reduce_scatter(&out, c, t, op));
  CHECK(out && values(out, got, 32) == n);
  for (j = 0; out && j < n; ++j) CHECK(same_value(got[j], half_expected(xs[j], ys[j], d, op)));
  tensor_free(out);
  tensor_free(t);
}

static void test_half_rounding(tensor_comm* c) {
  /* the oracle itself: libtensor's conversion rounds to nearest even */
  CHECK(round_to(2049, TENSOR_FLOAT16) == 2048 && round_to(2051, TENSOR_FLOAT16) == 2052);
  CHECK(round_to(257, TENSOR_BFLOAT16) == 256 && round_to(259, TENSOR_BFLOAT16) == 260);
  CHECK(isinf(round_to(65520, TENSOR_FLOAT16)) && round_to(65519, TENSOR_FLOAT16) == 65504);
#define PAIRS(a) a, (int)(sizeof a / sizeof a[0])
  check_pairs(c, PAIRS(f16_sums), TENSOR_FLOAT16, TENSOR_DIST_SUM);
  check_pairs(c, PAIRS(bf16_sums), TENSOR_BFLOAT16, TENSOR_DIST_SUM);
  check_pairs(c, PAIRS(f16_prods), TENSOR_FLOAT16, TENSOR_DIST_PROD);
  check_pairs(c, PAIRS(bf16_prods), TENSOR_BFLOAT16, TENSOR_DIST_PROD);
  check_pairs(c, PAIRS(f16_sums), TENSOR_FLOAT16, TENSOR_DIST_AVG);
  check_pairs(c, PAIRS(bf16_sums), TENSOR_BFLOAT16, TENSOR_DIST_AVG);
#undef PAIRS
  if (world == 2) { /* the worked examples, spelled out */
    double v = dist_rank == 0 ? 2048 : 3, got = 0;
    tensor* t = make(&v, NULL, 0, TENSOR_FLOAT16);
    CHECK_OK(tensor_dist_all_reduce(c, t, TENSOR_DIST_SUM));
    CHECK(values(t, &got, 1) == 1 && got == 2052);
    tensor_free(t);
    v = dist_rank == 0 ? 3 * 0x1p-24 : 0; /* AVG: 1.5 * 2^-24 is a tie between subnormals, to even 2^-23 */
    t = make(&v, NULL, 0, TENSOR_FLOAT16);
    CHECK_OK(tensor_dist_all_reduce(c, t, TENSOR_DIST_AVG));
    CHECK(values(t, &got, 1) == 1 && got == 0x1p-23);
    tensor_free(t);
  }
}

/* MAX and MIN of halves: negatives (a comparison of the 16-bit words as integers would put them above
 * the positives), NaN on one rank, -0 against +0, infinities. */
static void test_half_extremes(tensor_comm* c) {
  static const tensor_dtype halves[] = {TENSOR_FLOAT16, TENSOR_BFLOAT16};
  int k, o, r;
  for (k = 0; k < 2; ++k) {
    tensor_dtype d = halves[k];
    for (o = 0; o < 2; ++o) {
      int op = o ? TENSOR_DIST_MIN : TENSOR_DIST_MAX;
      const int64_t shape[] = {5};
      double mine[5], got[5], want[5];
      unsigned short bits[5];
      tensor* t;
      mine[0] = dist_rank % 2 ? -3 : 2;
      mine[1] = -0.5 * (dist_rank + 1);
      mine[2] = dist_rank == world - 1 ? NAN : dist_rank;
      mine[3] = dist_rank == 0 ? -0.0 : 0.0;
      mine[4] = dist_rank == 0 ? -INFINITY : 100 + dist_rank; /* exact in bfloat16 */
      want[0] = world == 1 ? 2 : (op == TENSOR_DIST_MAX ? 2 : -3);
      want[1] = op == TENSOR_DIST_MAX ? -0.5 : -0.5 * world;
      want[2] = NAN;
      want[4] = op == TENSOR_DIST_MIN || world == 1 ? -INFINITY : 100 + world - 1;
      t = make(mine, shape, 1, d);
      CHECK_OK(tensor_dist_all_reduce(c, t, op));
      CHECK(values(t, got, 5) == 5);
      CHECK(tensor_copy_to_host(t, bits, sizeof bits) == TENSOR_OK);
      for (r = 0; r < 5; ++r) {
        if (r == 3) continue;
        if (!same_value(got[r], want[r]))
          fprintf(stderr, "rank %d: %s op %d [%d]: %g != %g\n", dist_rank, tensor_dtype_name(d), op, r, got[r],
                  want[r]);
        CHECK(same_value(got[r], want[r]));
      }
      /* max(-0, +0) is +0 and min is -0 whatever the order */
      CHECK(got[3] == 0 && (bits[3] == 0x8000) == (op == TENSOR_DIST_MIN || world == 1));
      tensor_free(t);
    }
  }
}

/* Broadcast and all_gather move the 16 bits unchanged: NaN payloads, -0, subnormals, infinities. */
static void test_bits(tensor_comm* c) {
  static const tensor_dtype halves[] = {TENSOR_FLOAT16, TENSOR_BFLOAT16};
  const int64_t shape[] = {6};
  int k, r, i;
  for (k = 0; k < 2; ++k) {
    tensor_options o = TENSOR_OPTIONS_INIT;
    unsigned short mine[6], got[6], all[6 * 64];
    tensor *t = NULL, *out = NULL;
    mine[0] = k ? 0x7fc1 : 0x7e01; /* NaNs with a payload */
    mine[1] = k ? 0xff80 : 0xfc00; /* -inf */
    mine[2] = 0x8000;
    mine[3] = 0x0001;
    mine[4] = k ? 0x7f7f : 0x7bff; /* largest finite */
    mine[5] = (unsigned short)(0x3c00 + dist_rank);
    o.dtype = halves[k];
    CHECK_OK(tensor_from_data(&t, mine, shape, 1, &o));
    CHECK_OK(tensor_dist_all_gather(&out, c, t));
    CHECK(out && tensor_copy_to_host(out, all, sizeof all) == TENSOR_OK);
    for (r = 0; out && r < world; ++r) {
      for (i = 0; i < 5; ++i) CHECK(all[r * 6 + i] == mine[i]);
      CHECK(all[r * 6 + 5] == 0x3c00 + r);
    }
    tensor_free(out);
    CHECK_OK(tensor_dist_broadcast(c, t, world - 1));
    CHECK(tensor_copy_to_host(t, got, sizeof got) == TENSOR_OK);
    for (i = 0; i < 5; ++i) CHECK(got[i] == mine[i]);
    CHECK(got[5] == 0x3c00 + world - 1);
    tensor_free(t);
  }
}

/* A transposed uint8 tensor: staged, summed with wrapping, written back through the view. */
static void test_non_contiguous(tensor_comm* c) {
  const int64_t shape[] = {8, 12};
  double v[LONG], got[LONG];
  tensor *t, *tr = NULL;
  int i, bad = 0;
  for (i = 0; i < LONG; ++i) v[i] = int_value(TENSOR_UINT8, dist_rank, i);
  t = make(v, shape, 2, TENSOR_UINT8);
  CHECK_OK(tensor_transpose(&tr, t, 0, 1));
  CHECK_OK(tensor_dist_all_reduce(c, tr, TENSOR_DIST_SUM));
  CHECK(values(t, got, LONG) == LONG);
  for (i = 0; i < LONG; ++i) bad += got[i] != int_expected(TENSOR_UINT8, i, TENSOR_DIST_SUM);
  CHECK(bad == 0);
  tensor_free(tr);
  tensor_free(t);
}

static void test_refusals(tensor_comm* c) {
  static const tensor_dtype ints[] = {TENSOR_UINT8, TENSOR_INT8, TENSOR_INT16};
  double v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  int64_t shape[1];
  int k;
  shape[0] = 2 * world;
  for (k = 0; k < 3; ++k) {
    tensor *t = make(v, shape, 1, ints[k]), *out = (tensor*)0x1;
    CHECK(tensor_dist_all_reduce(c, t, TENSOR_DIST_AVG) == TENSOR_ERR_DTYPE);
    CHECK(strstr(tensor_dist_last_error(), "avg") && strstr(tensor_dist_last_error(), tensor_dtype_name(ints[k])));
    CHECK(tensor_dist_reduce_scatter(&out, c, t, TENSOR_DIST_AVG) == TENSOR_ERR_DTYPE && out == NULL);
    tensor_free(t);
  }
  if (world > 1) {
    /* same element size, different dtypes: the header catches it before any data moves */
    tensor* t = make(v, shape, 1, dist_rank == 0 ? TENSOR_FLOAT16 : TENSOR_BFLOAT16);
    CHECK(tensor_dist_all_reduce(c, t, TENSOR_DIST_SUM) == TENSOR_ERR_DTYPE);
    CHECK(strstr(tensor_dist_last_error(), "disagree on the dtype") != NULL);
    tensor_free(t);
    t = make(v, shape, 1, dist_rank == 0 ? TENSOR_UINT8 : TENSOR_INT8);
    CHECK(tensor_dist_broadcast(c, t, 0) == TENSOR_ERR_DTYPE);
    tensor_free(t);
  }
}

int main(void) {
  tensor_comm* c = NULL;
  if (tensor_dist_init(&c, TENSOR_DIST_MPI) != TENSOR_OK) {
    fprintf(stderr, "tensor_dist_init: %s\n", tensor_dist_last_error());
    return 1;
  }
  dist_rank = tensor_dist_rank(c);
  world = tensor_dist_world_size(c);
  if (world > MAX_WORLD) {
    if (dist_rank == 0) printf("dtypes: written for at most %d ranks: skipping\n", MAX_WORLD);
    tensor_dist_free(c);
    return 77;
  }
  test_wrapping(c);
  test_half_rounding(c);
  test_half_extremes(c);
  test_bits(c);
  test_non_contiguous(c);
  test_refusals(c);
  CHECK_OK(tensor_dist_free(c));
  if (dist_failures == 0 && dist_rank == 0) printf("dtypes: all checks passed on %d ranks\n", world);
  return dist_failures != 0;
}
