#!/usr/bin/env bash
# Installs m2msim's build and test dependencies from Debian 12's packages.
# Safe to re-run: packages already present are not installed again, and apt-get
# is not touched at all when everything is there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libyaml-cpp-dev      # scenario files (YAML::Mark gives line and column)
  libcli11-dev         # the m2msim command line
  libeigen3-dev        # linear algebra (link budgets, statistics)
  libboost-dev libboost-graph-dev  # backhaul graph, Boost.Geometry
  libgtest-dev libgmock-dev        # tests
  libbenchmark-dev                 # bench/
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
