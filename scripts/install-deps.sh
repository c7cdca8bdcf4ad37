#!/usr/bin/env bash
# Installs the Debian 12 packages Workdeck needs to build, run and test.
# Usage: scripts/install-deps.sh [--tests | --fuzz]
set -euo pipefail

runtime_and_build=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-charts-dev libqt6sql6-sqlite qt6-svg-dev libqt6svg6
    qt6-qpa-plugins libgl-dev
    libssl-dev libsqlite3-dev rapidjson-dev
)
tests=(
    librapidcheck-dev libbenchmark-dev
    xvfb xauth imagemagick sqlite3
    lintian desktop-file-utils appstream dpkg-dev file
)
fuzz=(
    clang libclang-rt-14-dev
)

packages=("${runtime_and_build[@]}")
if [[ "${1:-}" == "--tests" ]]; then
    packages+=("${tests[@]}")
elif [[ "${1:-}" == "--fuzz" ]]; then
    packages+=("${fuzz[@]}")
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
