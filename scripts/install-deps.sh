#!/usr/bin/env bash
# Installs every Debian 12 package the build, the tests, the benchmarks and the demo need.
# Idempotent: when every package is already present it changes nothing and needs no network.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-dev
  libsimdjson-dev nlohmann-json3-dev libcurl4-openssl-dev libzip-dev zip unzip
  libyaml-dev libre2-dev libssl-dev libcli11-dev libspdlog-dev libfmt-dev
  libcpp-httplib-dev libmagic-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3
  inetsim dnsutils curl patch bsdutils
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
