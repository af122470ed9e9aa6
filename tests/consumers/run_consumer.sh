#!/bin/sh
# Builds and runs one consumer project (c or cxx) against an installed libtensor, the way a user would.
#
#   run_consumer.sh <cmake|pkgconfig> <c|cxx> <prefix> <workdir> [sysroot]
#
# prefix:  where libtensor is installed (contains include/ and lib*/), e.g. /usr inside a sysroot.
# sysroot: optional root the prefix lives under (the .debs unpacked by dpkg -x): CMake gets
#          <sysroot><prefix>, pkg-config gets PKG_CONFIG_SYSROOT_DIR, the program runs with the
#          sysroot's library directory first on LD_LIBRARY_PATH.
# Environment: CC, CXX (compilers), CMAKE (cmake executable), CMAKE_GENERATOR (optional).
set -eu

mode=$1 lang=$2 prefix=$3 work=$4 sysroot=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
root_prefix="$sysroot$prefix"
CC=${CC:-cc}
CXX=${CXX:-c++}
CMAKE=${CMAKE:-cmake}

# The library directory under the prefix (lib, lib64 or Debian's multiarch lib/<triplet>).
libdir=$(dirname "$(find "$root_prefix"/lib* -name 'libtensor.so.[0-9]*' -type f | head -n 1)")
[ -d "$libdir" ] || { echo "no libtensor.so under $root_prefix" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
exe="$work/consumer_$lang"

case "$mode" in
cmake)
  # CMAKE_FIND_ROOT_PATH is not used: the package is relocatable, so the prefix path alone must work.
  if [ "$lang" = c ]; then compiler="-DCMAKE_C_COMPILER=$CC"; else compiler="-DCMAKE_CXX_COMPILER=$CXX"; fi
  "$CMAKE" -S "$here/$lang" -B "$work/build" -DCMAKE_PREFIX_PATH="$root_prefix" "$compiler" \
           -DCMAKE_BUILD_TYPE=Release >"$work/configure.log" \
    || { cat "$work/configure.log"; exit 1; }
  "$CMAKE" --build "$work/build" || exit 1
  exe="$work/build/consumer_$lang"
  ;;
pkgconfig)
  pcdir=$(dirname "$(find "$root_prefix"/lib* -name tensor.pc | head -n 1)")
  PKG_CONFIG_LIBDIR="$pcdir"
  export PKG_CONFIG_LIBDIR
  if [ -n "$sysroot" ]; then
    PKG_CONFIG_SYSROOT_DIR="$sysroot"
    export PKG_CONFIG_SYSROOT_DIR
  fi
  pkg-config --exists --print-errors "tensor >= 0.1"
  flags="$(pkg-config --cflags tensor) $(pkg-config --libs tensor)"
  echo "pkg-config: $flags"
  if [ "$lang" = c ]; then
    # shellcheck disable=SC2086
    "$CC" -std=c99 -pedantic -Wall -Wextra -Werror "$here/c/main.c" $flags -o "$exe"
  else
    # shellcheck disable=SC2086
    "$CXX" -std=c++17 -pedantic -Wall -Wextra -Werror "$here/cxx/main.cpp" $flags -o "$exe"
  fi
  ;;
*)
  echo "unknown mode $mode (expected cmake or pkgconfig)" >&2
  exit 2
  ;;
esac

# Run against the installed library, never the build tree's.
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
resolved=$(ldd "$exe" | awk '/libtensor\.so/ {print $3}')
case "$resolved" in
"$libdir"/*) ;;
*) echo "consumer resolved libtensor to '$resolved', expected one under $libdir" >&2; exit 1 ;;
esac
"$exe"
