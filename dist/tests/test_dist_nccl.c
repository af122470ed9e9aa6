/* The NCCL path: every collective on CUDA tensors (one GPU per rank) in every dtype NCCL has (int16 has
 * none and is refused), against the same collective on CPU tensors over MPI. The CUDA inputs are made by libtensor ops
 * just before each collective and read by libtensor ops just after, so a missing order with libtensor's stream shows as
 * wrong values. Skips (77) without a GPU or NCCL. */
#include "dist_test.h"

static tensor *on_gpu(const tensor *t, int32_t device) {
  tensor *out = NULL;
  tensor_device d = {TENSOR_CUDA, 0};
  d.index = device;
  return tensor_to_device(&out, t, d) == TENSOR_OK ? out : NULL;
}

/* A CUDA tensor computed on the GPU (x * 3 - rank), so the collective must wait for that kernel. */
static tensor *gpu_input(const tensor *cpu, int32_t device) {
  tensor *g = on_gpu(cpu, device), *m = NULL, *s = NULL;
  if (!g) return NULL;
  if (tensor_mul_scalar(&m, g, 3.0) == TENSOR_OK) tensor_sub_scalar(&s, m, (double)dist_rank);
  tensor_free(m);
  tensor_free(g);
  return s;
}

static tensor *cpu_input(const tensor *cpu) {
  tensor *m = NULL, *s = NULL;
  if (tensor_mul_scalar(&m, cpu, 3.0) == TENSOR_OK) tensor_sub_scalar(&s, m, (double)dist_rank);
  tensor_free(m);
  return s;
}

static void same(const tensor *a, const tensor *b) {
  double x[256], y[256];
  int64_t n = values(a, x, 256), i;
  CHECK(n >= 0 && n == values(b, y, 256));
  for (i = 0; i < n; ++i) CHECK(x[i] == y[i]);
}

int main(void) {
  tensor_comm *nccl = NULL, *mpi = NULL;
  const int64_t shape[] = {4, 6};
  const tensor_dtype dtypes[] = {TENSOR_FLOAT32, TENSOR_FLOAT64,  TENSOR_INT32, TENSOR_INT64,
                                 TENSOR_FLOAT16, TENSOR_BFLOAT16, TENSOR_UINT8, TENSOR_INT8};
  const int n_dtypes = (int)(sizeof dtypes / sizeof dtypes[0]);
  double v[24];
  int32_t dev;
  int k, op, i, world;
  if (tensor_cuda_device_count() == 0) {
    printf("no GPU: skipping the NCCL test\n");
    return 77;
  }
  if (tensor_dist_init(&nccl, TENSOR_DIST_NCCL) != TENSOR_OK) {
    printf("NCCL unavailable: skipping (%s)\n", tensor_dist_last_error());
    return 77;
  }
  CHECK_OK(tensor_dist_init(&mpi, TENSOR_DIST_MPI));
  dist_rank = tensor_dist_rank(nccl);
  world = tensor_dist_world_size(nccl);
  dev = dist_rank % tensor_cuda_device_count();
  for (k = 0; k < n_dtypes; ++k) {
    tensor_dtype d = dtypes[k];
    tensor* base;
    /* halves: x * 3 - rank of 1 and 0.5 keeps every sum and product exact (NCCL's order of combining
     * ranks is not MPI's); uint8: positive (x * 3 - rank may still wrap, alike on both sides) */
    for (i = 0; i < 24; ++i) {
      v[i] = is_half(d) ? (i % 2 ? 0.5 : 1.0) : d == TENSOR_UINT8 ? i % 5 + 1 : (i % 5) - 2 + 0.5 * (i % 2);
      if (!is_floating(d)) v[i] = (double)(int)v[i];
    }
    base = make(v, shape, 2, d);
    for (op = TENSOR_DIST_SUM; op <= TENSOR_DIST_PROD; ++op) {
      tensor *g = gpu_input(base, dev), *c = cpu_input(base), *r = NULL;
      /* NCCL's AVG of halves scales each input by 1/world before summing (ncclAvg, as torch's NCCL
       * backend); equal to MPI's sum-then-divide only for a power-of-two world on these values */
      if (op == TENSOR_DIST_AVG && is_half(d) && (world & (world - 1)) != 0) {
        tensor_free(g);
        tensor_free(c);
        continue;
      }
      if (op == TENSOR_DIST_AVG && !is_floating(d)) {
        CHECK(tensor_dist_all_reduce(nccl, g, op) == TENSOR_ERR_DTYPE);
      } else {
        CHECK_OK(tensor_dist_all_reduce(nccl, g, op));
        CHECK_OK(tensor_dist_all_reduce(mpi, c, op));
        CHECK_OK(tensor_add_scalar(&r, g, 0.0)); /* a libtensor op after the collective, on its stream */
        same(r, c);
      }
      tensor_free(r);
      tensor_free(g);
      tensor_free(c);
    }
    {
      tensor *g = gpu_input(base, dev), *c = cpu_input(base), *gg = NULL, *cg = NULL, *gs = NULL, *cs = NULL;
      CHECK_OK(tensor_dist_broadcast(nccl, g, world - 1));
      CHECK_OK(tensor_dist_broadcast(mpi, c, world - 1));
      same(g, c);
      CHECK_OK(tensor_dist_all_gather(&gg, nccl, g));
      CHECK_OK(tensor_dist_all_gather(&cg, mpi, c));
      CHECK(gg && tensor_get_device(gg).type == TENSOR_CUDA);
      same(gg, cg);
      if (4 % world == 0) {
        CHECK_OK(tensor_dist_reduce_scatter(&gs, nccl, g, TENSOR_DIST_SUM));
        CHECK_OK(tensor_dist_reduce_scatter(&cs, mpi, c, TENSOR_DIST_SUM));
        same(gs, cs);
      }
      tensor_free(gs);
      tensor_free(cs);
      tensor_free(gg);
      tensor_free(cg);
      tensor_free(g);
      tensor_free(c);
    }
    tensor_free(base);
  }
  {
    /* int16 has no NCCL type: refused on every rank before anything moves, naming dtype and backend;
     * the same tensor on the MPI communicator is staged through host memory */
    tensor *base = make(v, shape, 2, TENSOR_INT16), *g = gpu_input(base, dev), *c = cpu_input(base);
    tensor* out = (tensor*)0x1;
    CHECK(tensor_dist_all_reduce(nccl, g, TENSOR_DIST_SUM) == TENSOR_ERR_DTYPE);
    CHECK(strstr(tensor_dist_last_error(), "int16") && strstr(tensor_dist_last_error(), "NCCL"));
    CHECK(tensor_dist_broadcast(nccl, g, 0) == TENSOR_ERR_DTYPE);
    CHECK(tensor_dist_all_gather(&out, nccl, g) == TENSOR_ERR_DTYPE && out == NULL);
    CHECK_OK(tensor_dist_all_reduce(mpi, g, TENSOR_DIST_SUM));
    CHECK_OK(tensor_dist_all_reduce(mpi, c, TENSOR_DIST_SUM));
    same(g, c);
    tensor_free(g);
    tensor_free(c);
    tensor_free(base);
  }
  {
    /* a transposed CUDA tensor goes through a contiguous copy */
    tensor *base = make(v, shape, 2, TENSOR_FLOAT32), *g = gpu_input(base, dev), *c = cpu_input(base);
    tensor *gt = NULL, *ct = NULL;
    CHECK_OK(tensor_transpose(&gt, g, 0, 1));
    CHECK_OK(tensor_transpose(&ct, c, 0, 1));
    CHECK_OK(tensor_dist_all_reduce(nccl, gt, TENSOR_DIST_SUM));
    CHECK_OK(tensor_dist_all_reduce(mpi, ct, TENSOR_DIST_SUM));
    same(g, c);
    tensor_free(gt);
    tensor_free(ct);
    tensor_free(g);
    tensor_free(c);
    tensor_free(base);
  }
  CHECK_OK(tensor_dist_barrier(nccl));
  CHECK_OK(tensor_dist_free(nccl));
  CHECK_OK(tensor_dist_free(mpi));
  if (dist_failures == 0 && dist_rank == 0) printf("nccl: all checks passed on %d ranks\n", world);
  return dist_failures != 0;
}
