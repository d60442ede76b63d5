#!/usr/bin/env bash
# Installs m2msim's build and test dependencies from Debian 12's packages.
# Safe to re-run: packages already present are not installed again, and apt-get
# is not touched at all when everything is there.
#
#   --with-ns3   also install ns-3 (libns3-dev 3.37), used only by bench/ to
#                measure m2msim's kernel against ns-3's schedulers. The build and
#                the tests do not need it.
set -euo pipefail

with_ns3=0
for arg in "$@"; do
  case "$arg" in
    --with-ns3) with_ns3=1 ;;
    *) echo "install-deps: unknown option '$arg' (known: --with-ns3)" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake pkg-config
  libyaml-cpp-dev      # scenario files (YAML::Mark gives line and column)
  libyaml-dev          # libyaml checks each YAML text first (yaml-cpp can loop on malformed ones)
  libcli11-dev         # the m2msim command line
  libeigen3-dev        # linear algebra (link budgets, statistics)
  libboost-dev libboost-graph-dev  # backhaul graph, Boost.Geometry
  libgtest-dev libgmock-dev        # tests
  libbenchmark-dev                 # bench/
  libmgl-dev                       # plots (MathGL: coverage map PNG)
  libsqlite3-dev                   # the sweep results store
  chromium                         # tests open the HTML reports in a headless browser
  libopenmpi-dev openmpi-bin       # m2msim sweep over MPI ranks (mpirun)
  clang libclang-rt-14-dev         # libFuzzer targets (tests/fuzz), built by .ci/run
)
if [ "$with_ns3" -eq 1 ]; then
  # ns-3's CMake config and link line also need these, which libns3-dev does
  # not pull in.
  packages+=(libns3-dev libgsl-dev libxml2-dev libpython3-dev)
fi

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
