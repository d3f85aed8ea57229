#!/usr/bin/env bash
# Applies (or reverts) al-cape's INetSim patches to an installed INetSim 1.3.2.
#
#   inetsim/apply.sh [--prefix DIR] [--only dns|geoip] [--check | --revert]
#
#   --prefix DIR  folder holding INetSim.pm and INetSim/ (default /usr/share/perl5, where Debian puts them)
#   --only P      one patch only: dns (random DNS answers) or geoip (fake geo-IP answers); default both
#   --check       say for each patch whether it is applied or can be applied; change nothing
#   --revert      take the patches out again (the modules become byte-identical to stock 1.3.2)
#
# Nothing is changed unless every selected patch can be applied (or reverted) cleanly, so a failure never leaves
# a half-patched INetSim. Exit status: 0 done (or nothing to do), 2 wrong INetSim version or missing tools,
# 3 modules differ from stock 1.3.2 (changed locally, or another patch set), 64 usage.
set -euo pipefail

EXPECTED_VERSION="INetSim 1.3.2 (2020-05-19)"
PATCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/patches"
declare -A PATCH_FILE=([dns]="random-dns.diff" [geoip]="geoip-http.diff")

prefix=/usr/share/perl5
selected=(dns geoip)
mode=apply

usage() { sed -n '4,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 64; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || usage; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --only) [ $# -ge 2 ] || usage; selected=("$2"); shift 2 ;;
    --only=*) selected=("${1#--only=}"); shift ;;
    --check) mode=check; shift ;;
    --revert) mode=revert; shift ;;
    -h|--help) usage ;;
    *) echo "apply.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
for p in "${selected[@]}"; do
  [ -n "${PATCH_FILE[$p]:-}" ] || { echo "apply.sh: --only takes dns or geoip, not '$p'" >&2; exit 64; }
done

command -v patch >/dev/null || { echo "apply.sh: the 'patch' program is needed (apt-get install patch)" >&2; exit 2; }

# The version check: INetSim.pm carries the release string. Anything else is refused, because the patches
# replace code inside functions of 1.3.2 and must not be forced onto another release.
main_module="$prefix/INetSim.pm"
if [ ! -f "$main_module" ] || [ ! -d "$prefix/INetSim" ]; then
  echo "apply.sh: no INetSim in $prefix (expected INetSim.pm and INetSim/ there; see --prefix)" >&2
  exit 2
fi
found_version="$(sed -n 's/^my \$VERSION = "\(.*\)";.*/\1/p' "$main_module" | head -n 1)"
if [ "$found_version" != "$EXPECTED_VERSION" ]; then
  echo "apply.sh: refusing: these patches are for '$EXPECTED_VERSION', $main_module says '${found_version:-no version}'" >&2
  exit 2
fi

patch_quiet() {  # patch_quiet <patch name> <extra patch options...>
  local name="$1"; shift
  patch -p1 -d "$prefix" --batch --silent --forward --fuzz=0 --no-backup-if-mismatch --reject-file=- "$@" \
    < "$PATCH_DIR/${PATCH_FILE[$name]}" >/dev/null 2>&1
}

# state of one patch: applied | applicable | conflict
state_of() {
  if patch_quiet "$1" --dry-run; then echo applicable
  elif patch_quiet "$1" --dry-run --reverse; then echo applied
  else echo conflict
  fi
}

declare -A state
for p in "${selected[@]}"; do
  state[$p]="$(state_of "$p")"
done

if [ "$mode" = check ]; then
  for p in "${selected[@]}"; do echo "$p: ${state[$p]}"; done
  for p in "${selected[@]}"; do [ "${state[$p]}" != conflict ] || exit 3; done
  exit 0
fi

for p in "${selected[@]}"; do
  if [ "${state[$p]}" = conflict ]; then
    echo "apply.sh: refusing: $prefix/INetSim differs from stock $EXPECTED_VERSION where patch '$p'" \
         "(${PATCH_FILE[$p]}) changes it; nothing was changed" >&2
    exit 3
  fi
done

changed=0
for p in "${selected[@]}"; do
  if [ "$mode" = apply ]; then
    if [ "${state[$p]}" = applied ]; then echo "$p: already applied"; continue; fi
    patch_quiet "$p"
    echo "$p: applied"
  else
    if [ "${state[$p]}" = applicable ]; then echo "$p: not applied, nothing to revert"; continue; fi
    patch_quiet "$p" --reverse
    echo "$p: reverted"
  fi
  changed=1
done
if [ "$changed" = 1 ] && [ "$prefix" = /usr/share/perl5 ]; then
  echo "Restart INetSim to use the change (e.g. 'systemctl restart inetsim' or '/etc/init.d/inetsim restart')."
fi
