/**
 * @file tensor_dist.h
 * @brief libtensor_dist: collectives on libtensor tensors over MPI (CPU tensors) and NCCL (CUDA tensors).
 *
 * A separate library (`libtensor_dist.so`, pkg-config `tensor-dist`, CMake `find_package(tensor
 * COMPONENTS dist)` -> `tensor::dist`) built only on libtensor's public C API, DLPack and
 * tensor_cuda_stream(). Programs are launched with `mpirun -np N prog` or `srun -n N prog`; every rank
 * makes the same calls in the same order (the MPI rule).
 *
 * Rules (as libtensor's): every fallible call returns a tensor_status; on failure the thread-local
 * message of tensor_dist_last_error() names the call and the cause, out-parameters are NULL and nothing
 * leaks. Before moving data every collective exchanges a small header (call, dtype, shape, op, root and
 * whether each rank's arguments were valid), so mismatched shapes or dtypes across ranks, an invalid
 * root or a bad argument on one rank make **every** rank return the same error status instead of
 * hanging or corrupting memory. An error reported by MPI or NCCL (a failed peer, a lost link) is
 * returned as TENSOR_ERR_BACKEND with the engine's own text (MPI_Error_string, ncclGetErrorString).
 * Collectives are synchronous for CPU tensors; for CUDA tensors on a NCCL communicator they are queued
 * on libtensor's stream (tensor_cuda_stream), so later libtensor ops on that GPU see the result.
 */
#ifndef TENSOR_TENSOR_DIST_H
#define TENSOR_TENSOR_DIST_H

#include "tensor/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define TENSOR_DIST_API
#else
#define TENSOR_DIST_API __attribute__((visibility("default")))
#endif

/** A communicator over all ranks of the job (MPI_COMM_WORLD), opaque. */
typedef struct tensor_comm tensor_comm;

/** Transports for tensor_dist_init(). */
enum {
  TENSOR_DIST_MPI = 0, /**< MPI for every tensor; CUDA tensors are staged through host memory */
  TENSOR_DIST_NCCL = 1 /**< NCCL for CUDA tensors (one GPU per rank), MPI for CPU tensors */
};

/** Reduction operators. AVG is for floating dtypes only (TENSOR_ERR_DTYPE otherwise, as tensor_mean). */
enum {
  TENSOR_DIST_SUM = 0,
  TENSOR_DIST_AVG = 1,
  TENSOR_DIST_MAX = 2,
  TENSOR_DIST_MIN = 3,
  TENSOR_DIST_PROD = 4
};

/** The bucket size tensor_dist_all_reduce_grads() uses when given 0 (25 MiB, PyTorch DDP's default). */
#define TENSOR_DIST_DEFAULT_BUCKET_BYTES ((int64_t)25 * 1024 * 1024)

/**
 * Joins the job. Calls MPI_Init_thread (MPI_THREAD_MULTIPLE requested, whatever is granted is kept)
 * only when the process has not initialised MPI itself; otherwise the caller's MPI is reused and left
 * to the caller to finalise. With TENSOR_DIST_NCCL, rank r uses GPU (local rank % GPUs on its node):
 * rank 0 creates an ncclUniqueId, MPI broadcasts it and every rank joins the NCCL communicator.
 * NCCL is opened at run time (libnccl.so.2, or the path in TENSOR_NCCL_LIBRARY); without it, or
 * without a GPU, TENSOR_DIST_NCCL fails with TENSOR_ERR_DEVICE and a message (on every rank).
 * Collective: every rank calls it with the same backend.
 */
TENSOR_DIST_API tensor_status tensor_dist_init(tensor_comm **out, int32_t backend);
/** This process's rank in [0, world size); -1 for NULL. */
TENSOR_DIST_API int32_t tensor_dist_rank(const tensor_comm *c);
/** Number of ranks; 0 for NULL. */
TENSOR_DIST_API int32_t tensor_dist_world_size(const tensor_comm *c);
/**
 * Reduces @p t over all ranks with @p op, in place: afterwards every rank's t holds the result. Every
 * rank passes a tensor of the same shape and dtype. Any dtype (bool: SUM and MAX are "any", PROD and MIN
 * "all"; uint8, int8 and int16 SUM and PROD wrap; float16 and bfloat16 combine each pair in float32 and
 * round once, and AVG divides in float32 and rounds once, as PyTorch); int16 is refused on the NCCL
 * backend (TENSOR_ERR_DTYPE: NCCL has no 16-bit integer type). Any strides (a non-contiguous t is
 * reduced through a contiguous copy and written back). t must be writable (not a read-only DLPack
 * import).
 */
TENSOR_DIST_API tensor_status tensor_dist_all_reduce(tensor_comm *c, tensor *t, int32_t op);
/** Copies rank @p root's @p t into every rank's t (same shape and dtype everywhere). */
TENSOR_DIST_API tensor_status tensor_dist_broadcast(tensor_comm *c, tensor *t, int32_t root);
/**
 * *out = the ranks' @p t stacked along a new leading dim of size world size (row r is rank r's t), on
 * t's device, contiguous. Every rank passes the same shape and dtype.
 */
TENSOR_DIST_API tensor_status tensor_dist_all_gather(tensor **out, tensor_comm *c, const tensor *t);
/**
 * Reduces @p t over all ranks with @p op and gives rank r the r-th of world-size equal chunks of the
 * result along dim 0 (PyTorch's reduce_scatter_tensor): t of shape [W*k, ...] gives *out of shape
 * [k, ...]. Dim 0 must be divisible by the world size (TENSOR_ERR_SHAPE otherwise; 0-d is refused).
 */
TENSOR_DIST_API tensor_status tensor_dist_reduce_scatter(tensor **out, tensor_comm *c, const tensor *t,
                                                         int32_t op);
/** Returns when every rank has entered it (and, on NCCL, after this rank's queued GPU work). */
TENSOR_DIST_API tensor_status tensor_dist_barrier(tensor_comm *c);
/**
 * The gradient step of data-parallel training: averages the grad (tensor_grad) of each of the @p n
 * @p params over all ranks, in place. Grads are packed in order into buckets of at most
 * @p bucket_bytes (0 means TENSOR_DIST_DEFAULT_BUCKET_BYTES; a grad larger than a bucket gets a bucket
 * of its own), one flat buffer and one collective per bucket, then copied back. Params without a grad
 * are skipped on every rank alike (a rank whose params have grads where another's have none is an
 * error on every rank). Grads must be floating (float16 and bfloat16 included: divided in float32,
 * rounded once); params may differ in dtype and device (a bucket holds one dtype and device).
 */
TENSOR_DIST_API tensor_status tensor_dist_all_reduce_grads(tensor_comm *c, tensor *const *params, int32_t n,
                                                           int64_t bucket_bytes);
/**
 * Leaves the job: destroys the NCCL communicator and finalises MPI if tensor_dist_init initialised it
 * (and no other communicator is still open). NULL is a no-op. Collective.
 */
TENSOR_DIST_API tensor_status tensor_dist_free(tensor_comm *c);
/**
 * The message of the calling thread's last failed tensor_dist_* call ("" if none): the call's name,
 * then the cause. Like tensor_last_error() but separate, so a libtensor call made in between does not
 * overwrite it; libtensor's own failures inside a collective are copied into it with their text.
 */
TENSOR_DIST_API const char *tensor_dist_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* TENSOR_TENSOR_DIST_H */
