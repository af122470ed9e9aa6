#!/usr/bin/env bash
# Builds libtensor (CPU backend; the CUDA backend too when a toolkit is present) and runs every test.
# This is the README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh test
cmake --preset dev
cmake --build --preset dev
ctest --preset dev
