#!/usr/bin/env bash
# Regenerates bindings/python/libtensor/_op_table.py from the op tables (src/core/op_kinds.h and the op
# definitions), through the op_table_dump program. Usage: scripts/gen_op_table.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/gen-op-table}
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DTENSOR_CUDA=OFF -DTENSOR_BUILD_EXAMPLES=OFF >/dev/null
fi
cmake --build "$build" --target op_table_dump >/dev/null
"$build/tests/op_table_dump" > bindings/python/libtensor/_op_table.py
echo "wrote bindings/python/libtensor/_op_table.py"
