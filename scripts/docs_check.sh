#!/usr/bin/env bash
# Builds the HTML API reference of include/tensor/*.h with Doxygen and fails on any warning (an
# undocumented public declaration, a broken reference, ...). Needs doxygen (apt-get install doxygen).
# Usage: scripts/docs_check.sh [output-dir]      (default build/docs; the HTML lands in <output-dir>/html)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/docs}
rm -rf "$out"
mkdir -p "$out"
log="$out/doxygen-warnings.log"
# The Doxyfile sets WARN_AS_ERROR = FAIL_ON_WARNINGS; the log shows every warning, not only the first.
if ! { cat Doxyfile; echo "OUTPUT_DIRECTORY = $out"; echo "WARN_LOGFILE = $log"; } | doxygen - ; then
  echo "doxygen reported warnings:" >&2
  cat "$log" >&2
  exit 1
fi
if [ -s "$log" ]; then
  echo "doxygen reported warnings:" >&2
  cat "$log" >&2
  exit 1
fi
[ -f "$out/html/tensor_8h.html" ] || { echo "no reference page for tensor.h was generated" >&2; exit 1; }
echo "API reference: $out/html/index.html (no warnings)"
