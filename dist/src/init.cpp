// Joining and leaving the job: MPI is initialised only when the process has not done it itself, and
// finalised only by whoever initialised it, after its last communicator is freed.
#include <mpi.h>

#include <mutex>

#include "agree.h"
#include "checks.h"
#include "comm.h"
#include "error.h"
#include "nccl_loader.h"
#include "reduce_ops.h"
#include "tensor/tensor_dist.h"

using namespace tdist;

namespace {

std::mutex lifecycle_mutex;
bool we_initialised_mpi = false;
int open_comms = 0;

void start_mpi() {
  int initialised = 0, finalised = 0;
  check_mpi(MPI_Initialized(&initialised), "MPI_Initialized");
  check_mpi(MPI_Finalized(&finalised), "MPI_Finalized");
  TDIST_CHECK(!finalised, TENSOR_ERR_BACKEND, "MPI has already been finalised in this process (it cannot restart)");
  if (!initialised) {
    int provided = 0;
    check_mpi(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided), "MPI_Init_thread");
    we_initialised_mpi = true;
  }
  create_reduce_ops();  // once per MPI lifetime (Note [own reduction operators]), under lifecycle_mutex
}

// MPI_Finalize, after the operators this library created (which must not outlive MPI).
void finalize_mpi() {
  free_reduce_ops();
  we_initialised_mpi = false;
  check_mpi(MPI_Finalize(), "MPI_Finalize");
}

// This rank's GPU: its index among the ranks on its node, modulo the node's GPUs.
int32_t local_device(MPI_Comm comm, int32_t rank) {
  MPI_Comm node = MPI_COMM_NULL;
  check_mpi(MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node), "MPI_Comm_split_type");
  int local = 0;
  const int rc = MPI_Comm_rank(node, &local);
  MPI_Comm_free(&node);
  check_mpi(rc, "MPI_Comm_rank");
  return static_cast<int32_t>(local % tensor_cuda_device_count());
}

// Every rank opens NCCL and its GPU; then, only if all could, rank 0's ncclUniqueId is broadcast over MPI
// and all join. A rank that cannot fails the others through the agreement, instead of leaving them in
// ncclCommInitRank.
void start_nccl(tensor_comm* c) {
  Header h;
  h.fields = {{"backend", TENSOR_DIST_NCCL}};
  NcclUniqueId id{};
  capture(h, [&] {
    const NcclApi& api = nccl_api();
    TDIST_CHECK(api.loaded, TENSOR_ERR_DEVICE, "NCCL is not available: " << api.error);
    TDIST_CHECK(tensor_cuda_device_count() > 0, TENSOR_ERR_DEVICE,
                "NCCL needs a GPU, and libtensor sees none (tensor_cuda_device_count() is 0)");
    c->device = local_device(c->mpi, c->rank);
    nccl_set_device(c->device);
    if (c->rank == 0) check_nccl(api.get_unique_id(&id), "ncclGetUniqueId");
  });
  agree(c, h);
  check_mpi(MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, c->mpi), "MPI_Bcast (ncclUniqueId)");
  ncclComm_t comm = nullptr;
  const int rc = nccl_api().comm_init_rank(&comm, c->world, id, c->rank);
  // Whether every rank joined: a rank that failed must not leave the others using a half communicator.
  int ok = rc == kNcclSuccess ? 1 : 0;
  check_mpi(MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, c->mpi), "MPI_Allreduce (NCCL start)");
  if (!ok) {
    if (comm) nccl_api().comm_destroy(comm);
    check_nccl(rc, "ncclCommInitRank");
    fail(TENSOR_ERR_BACKEND, "ncclCommInitRank failed on another rank");
  }
  c->nccl = comm;
}

// Releases what a communicator holds (MPI stays up; the caller decides about finalising).
void release(tensor_comm* c) {
  if (c->nccl) nccl_api().comm_destroy(c->nccl);
  if (c->mpi != MPI_COMM_NULL) MPI_Comm_free(&c->mpi);
  c->magic = 0;
  delete c;
}

}  // namespace

namespace tdist {

void check_comm(const tensor_comm* c) {
  TDIST_CHECK(c != nullptr, TENSOR_ERR_INVALID_ARGUMENT, "communicator is NULL");
  TDIST_CHECK(c->magic == kCommMagic, TENSOR_ERR_INVALID_ARGUMENT, "not a live communicator (freed?)");
}

}  // namespace tdist

extern "C" {

TENSOR_DIST_API tensor_status tensor_dist_init(tensor_comm** out, int32_t backend) {
  if (out) *out = nullptr;
  return guard("tensor_dist_init", [&] {
    TDIST_CHECK(out != nullptr, TENSOR_ERR_INVALID_ARGUMENT, "out is NULL");
    TDIST_CHECK(backend == TENSOR_DIST_MPI || backend == TENSOR_DIST_NCCL, TENSOR_ERR_INVALID_ARGUMENT,
                "unknown backend " << backend << " (TENSOR_DIST_MPI = 0, TENSOR_DIST_NCCL = 1)");
    std::lock_guard<std::mutex> lock(lifecycle_mutex);
    start_mpi();
    auto* c = new tensor_comm();
    c->magic = kCommMagic;
    c->backend = backend;
    try {
      check_mpi(MPI_Comm_dup(MPI_COMM_WORLD, &c->mpi), "MPI_Comm_dup");
      // Errors on our communicator come back as codes (passed up with their text), never abort the job.
      check_mpi(MPI_Comm_set_errhandler(c->mpi, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
      int rank = 0, world = 1;
      check_mpi(MPI_Comm_rank(c->mpi, &rank), "MPI_Comm_rank");
      check_mpi(MPI_Comm_size(c->mpi, &world), "MPI_Comm_size");
      c->rank = rank;
      c->world = world;
      if (backend == TENSOR_DIST_NCCL) start_nccl(c);
    } catch (...) {
      release(c);
      if (open_comms == 0 && we_initialised_mpi) {
        free_reduce_ops();
        MPI_Finalize();
        we_initialised_mpi = false;
      }
      throw;
    }
    ++open_comms;
    *out = c;
  });
}

TENSOR_DIST_API int32_t tensor_dist_rank(const tensor_comm* c) {
  return c && c->magic == kCommMagic ? c->rank : -1;
}

TENSOR_DIST_API int32_t tensor_dist_world_size(const tensor_comm* c) {
  return c && c->magic == kCommMagic ? c->world : 0;
}

TENSOR_DIST_API tensor_status tensor_dist_barrier(tensor_comm* c) {
  return guard("tensor_dist_barrier", [&] {
    check_comm(c);
    // A barrier orders this rank's queued GPU collectives too: they must have finished here.
    if (c->nccl) check_tensor(tensor_cuda_synchronize(c->device));
    check_mpi(MPI_Barrier(c->mpi), "MPI_Barrier");
  });
}

TENSOR_DIST_API tensor_status tensor_dist_free(tensor_comm* c) {
  if (!c) return TENSOR_OK;
  return guard("tensor_dist_free", [&] {
    check_comm(c);
    std::lock_guard<std::mutex> lock(lifecycle_mutex);
    if (c->nccl) tensor_cuda_synchronize(c->device);  // NCCL work still queued must end before destroy
    release(c);
    if (--open_comms == 0 && we_initialised_mpi) finalize_mpi();
  });
}

}  // extern "C"
