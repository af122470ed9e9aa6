#!/usr/bin/env bash
# Builds the Debian packages (libtensor0, libtensor-dev, libtensor-dist0, libtensor-dist-dev) from a copy of this tree with
# `dpkg-buildpackage -us -uc -b`, runs lintian on them (errors fail), then unpacks both .debs into a
# scratch root with `dpkg -x` and builds and runs the C and C++ consumers (tests/consumers) against that
# root, through find_package(tensor) and through pkg-config.
# Usage: scripts/deb_check.sh [work-dir]   (default build/deb; the .debs are left in <work-dir>/src)
# Needs: dpkg-dev debhelper lintian and the Build-Depends of debian/control (scripts/ci_dist.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mkdir -p "${1:-build/deb}" && cd "${1:-build/deb}" && pwd)
version=$(dpkg-parsechangelog -S Version)
upstream=${version%-*}
src="$work/src/libtensor-$upstream"
root="$work/root"
rm -rf "$work/src" "$root" "$work/consumers"
mkdir -p "$src" "$root"

# The packages are built from what git sees (tracked files plus new, non-ignored ones): no build trees.
git ls-files -z --cached --others --exclude-standard \
  | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$src"

echo "=== dpkg-buildpackage -us -uc -b (log: $work/build.log)"
export DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-parallel=$(nproc)}
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
  tail -n 60 "$work/build.log"
  exit 1
fi
grep -E "dpkg-gensymbols: warning|^[+-] tensor_" "$work/build.log" || true  # symbols-file drift, if any

changes=$(ls "$work"/src/libtensor_"${version}"_*.changes)
echo "=== lintian $(basename "$changes")"
lintian --fail-on error --tag-display-limit 0 "$changes"

echo "=== dpkg -x into $root"
for pkg in libtensor0 libtensor-dev libtensor-dist0 libtensor-dist-dev; do
  deb=$(ls "$work"/src/${pkg}_"${version}"_*.deb)
  dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Depends\): /  \1: /p'
  dpkg -x "$deb" "$root"
done

for mode in cmake pkgconfig; do
  for lang in c cxx; do
    echo "=== consumer: $lang through $mode, against the unpacked packages"
    sh "$repo/tests/consumers/run_consumer.sh" "$mode" "$lang" /usr "$work/consumers/${lang}_$mode" "$root"
  done
done
echo "=== libtensor-dist-dev: header, pkg-config and CMake component in the unpacked root"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for f in usr/include/tensor/tensor_dist.h "usr/lib/$multiarch/pkgconfig/tensor-dist.pc" \
         "usr/lib/$multiarch/cmake/tensor/tensorDistTargets.cmake" "usr/lib/$multiarch/libtensor_dist.so"; do
  [ -e "$root/$f" ] || { echo "missing from the packages: $f"; exit 1; }
done
if nm -D --defined-only "$root/usr/lib/$multiarch/libtensor_dist.so" | awk '{print $3}' | grep -v '^tensor_dist_'; then
  echo "libtensor_dist exports symbols outside tensor_dist_*"; exit 1
fi
echo "Debian packages OK: $(cd "$work/src" && ls ./*.deb | tr '\n' ' ')"
