#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages libtensor needs to build and test (idempotent; needs root or sudo).
# Usage: scripts/install_deps.sh [build|test|bench]   (each level includes the previous ones)
set -euo pipefail
level=${1:-build}
# zlib1g-dev, nlohmann-json3-dev: the tensor files (.npz, safetensors), linked privately
pkgs=(cmake ninja-build g++ pkg-config libopenblas-dev zlib1g-dev nlohmann-json3-dev)
# openmpi-bin/libopenmpi-dev: libtensor_dist and its mpirun tests (skipped, not failed, without them)
[ "$level" = build ] || pkgs+=(catch2 python3-numpy valgrind openmpi-bin libopenmpi-dev)
[ "$level" = bench ] && pkgs+=(libtorch-dev python3-torch)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
