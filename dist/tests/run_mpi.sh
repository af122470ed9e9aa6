#!/bin/sh
# Runs a test program under MPI: run_mpi.sh <np|0> <program> [args...]. np 0 runs it directly (an MPI
# singleton). Without mpirun the test is skipped (exit 77), never failed. Open MPI refuses root unless
# told, and CI runs as root; --oversubscribe lets 4 ranks share 2 cores.
np=$1
shift
if [ "$np" = 0 ]; then
  exec "$@"
fi
mpirun=${TENSOR_MPIRUN:-mpirun}
if ! command -v "$mpirun" >/dev/null 2>&1; then
  echo "mpirun not found: skipping (apt-get install openmpi-bin)"
  exit 77
fi
flags=""
if "$mpirun" --version 2>/dev/null | grep -q "Open MPI"; then
  flags="--oversubscribe --allow-run-as-root --mca btl ^openib"
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
fi
# shellcheck disable=SC2086
exec "$mpirun" $flags -np "$np" "$@"
