/* Who owns MPI: when the program initialised MPI itself, tensor_dist_init reuses it and
 * tensor_dist_free leaves it running; when it did not, the library initialises MPI and finalises it with
 * its last communicator. Argument errors of init and free. Runs with or without mpirun. */
#include <mpi.h>

#include "dist_test.h"

int main(int argc, char **argv) {
  tensor_comm *a = NULL, *b = NULL, *bad = (tensor_comm *)0x1;
  int flag = 0, rank = -1;
  if (argc > 1 && strcmp(argv[1], "--own-mpi") == 0) {
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    CHECK_OK(tensor_dist_init(&a, TENSOR_DIST_MPI));
    dist_rank = tensor_dist_rank(a);
    CHECK(dist_rank == rank);
    CHECK_OK(tensor_dist_free(a));
    MPI_Finalized(&flag);
    CHECK(!flag); /* the program's MPI: still up */
    MPI_Finalize();
  } else {
    CHECK(tensor_dist_init(NULL, TENSOR_DIST_MPI) == TENSOR_ERR_INVALID_ARGUMENT);
    CHECK(tensor_dist_init(&bad, 7) == TENSOR_ERR_INVALID_ARGUMENT && bad == NULL);
    CHECK(strstr(tensor_dist_last_error(), "tensor_dist_init: unknown backend 7") != NULL);
    CHECK_OK(tensor_dist_init(&a, TENSOR_DIST_MPI));
    CHECK_OK(tensor_dist_init(&b, TENSOR_DIST_MPI)); /* a second communicator shares the MPI */
    dist_rank = tensor_dist_rank(a);
    CHECK(tensor_dist_rank(b) == dist_rank);
    MPI_Initialized(&flag);
    CHECK(flag);
    CHECK_OK(tensor_dist_free(a));
    MPI_Finalized(&flag);
    CHECK(!flag); /* b is still open */
    CHECK_OK(tensor_dist_barrier(b));
    CHECK_OK(tensor_dist_free(b));
    MPI_Finalized(&flag);
    CHECK(flag); /* the library started MPI, so its last free finalised it */
    CHECK(tensor_dist_free(NULL) == TENSOR_OK);
    /* MPI cannot restart: a clean error, not an abort */
    CHECK(tensor_dist_init(&a, TENSOR_DIST_MPI) == TENSOR_ERR_BACKEND && a == NULL);
  }
  return dist_failures != 0;
}
