#!/usr/bin/env bash
# CTest fixture of the INetSim tests: installs Debian's inetsim and the client tools (dig, curl, patch) through the
# repository's installer, which does nothing when they are present. Skips when that needs root and we are not.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
missing=0
for p in inetsim dnsutils curl patch; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing=1
done
if [ "$missing" = 1 ] && [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then
  echo "SKIP: inetsim, dnsutils, curl or patch is missing and installing needs root"
  exit 77
fi
bash "$REPO/scripts/install-deps.sh"
dpkg-query -W -f='${Package} ${Version}\n' inetsim dnsutils curl patch  # fails if one is still missing
