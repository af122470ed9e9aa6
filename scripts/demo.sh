#!/usr/bin/env bash
# Builds libtensor and runs the demo: the seed notebook (NumPy vs PyTorch) through the C and C++ API.
# This is the README's demo command.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh build
cmake --preset cpu -DTENSOR_BUILD_TESTS=OFF
cmake --build --preset cpu --target notebook_c notebook_cpp
echo "=== examples/notebook.c ==="
build/cpu/examples/notebook_c
echo "=== examples/notebook.cpp ==="
build/cpu/examples/notebook_cpp
# Issue 18: the digits classifier trained from C (examples/digits), checkpointed every epoch.
cmake --build --preset cpu --target digits
echo "=== examples/digits/digits.c (30 epochs) ==="
build/cpu/examples/digits --epochs 30 --out "${TMPDIR:-/tmp}/libtensor-digits-demo"
