#include <mpi.h>

#include <algorithm>
#include <climits>

#include "dtype.h"
#include "engine.h"
#include "error.h"
#include "handle.h"
#include "tensor/tensor_dist.h"

namespace tdist {

namespace {
constexpr int64_t kMaxCount = INT_MAX;
}

void mpi_all_reduce(const tensor_comm* c, void* buf, int64_t n, tensor_dtype d, int32_t op) {
  char* p = static_cast<char*>(buf);
  const size_t size = dtype_size(d);
  for (int64_t done = 0; done < n;) {
    const int64_t count = std::min(n - done, kMaxCount);
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, p + done * size, static_cast<int>(count), mpi_type(d), mpi_op(op, d), c->mpi),
              "MPI_Allreduce");
    done += count;
  }
  if (op == TENSOR_DIST_AVG) divide_in_place(buf, n, d, c->world);
}

void mpi_broadcast(const tensor_comm* c, void* buf, int64_t n, tensor_dtype d, int32_t root) {
  char* p = static_cast<char*>(buf);
  const size_t size = dtype_size(d);
  for (int64_t done = 0; done < n;) {
    const int64_t count = std::min(n - done, kMaxCount);
    check_mpi(MPI_Bcast(p + done * size, static_cast<int>(count), mpi_type(d), root, c->mpi), "MPI_Bcast");
    done += count;
  }
}

void mpi_all_gather(const tensor_comm* c, const void* send, void* recv, int64_t n, tensor_dtype d) {
  const size_t size = dtype_size(d);
  if (n <= kMaxCount) {
    check_mpi(MPI_Allgather(send, static_cast<int>(n), mpi_type(d), recv, static_cast<int>(n), mpi_type(d), c->mpi),
              "MPI_Allgather");
    return;
  }
  // Past INT_MAX elements per rank: every rank broadcasts its part in turn, in int-sized chunks.
  char* out = static_cast<char*>(recv);
  std::copy_n(static_cast<const char*>(send), n * size, out + c->rank * n * size);
  for (int32_t r = 0; r < c->world; ++r) mpi_broadcast(c, out + r * n * size, n, d, r);
}

void mpi_reduce_scatter(const tensor_comm* c, const void* send, void* recv, int64_t n, tensor_dtype d, int32_t op) {
  const size_t size = dtype_size(d);
  if (n <= kMaxCount) {
    check_mpi(MPI_Reduce_scatter_block(send, recv, static_cast<int>(n), mpi_type(d), mpi_op(op, d), c->mpi),
              "MPI_Reduce_scatter_block");
  } else {
    // Past INT_MAX elements per rank: one reduction per destination rank, in int-sized chunks.
    const char* in = static_cast<const char*>(send);
    char* out = static_cast<char*>(recv);
    for (int32_t r = 0; r < c->world; ++r) {
      for (int64_t done = 0; done < n;) {
        const int64_t count = std::min(n - done, kMaxCount);
        const char* src = in + (r * n + done) * size;
        check_mpi(MPI_Reduce(src, r == c->rank ? out + done * size : nullptr, static_cast<int>(count), mpi_type(d),
                             mpi_op(op, d), r, c->mpi),
                  "MPI_Reduce");
        done += count;
      }
    }
  }
  if (op == TENSOR_DIST_AVG) divide_in_place(recv, n, d, c->world);
}

}  // namespace tdist
