#!/usr/bin/env bash
# inetsim/apply.sh on copies of Debian's modules: applies both patches, is idempotent, reverts to byte-identical
# stock files, refuses another INetSim version and locally changed modules without changing anything.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -f "$STOCK_PERL5/INetSim.pm" ] || die "Debian's inetsim is not installed (scripts/install-deps.sh installs it)"
command -v patch >/dev/null || die "'patch' is missing (scripts/install-deps.sh installs it)"
new_workdir
APPLY="$INETSIM_DIR/apply.sh"

fresh() { rm -rf "$1"; mkdir -p "$1"; cp -a "$STOCK_PERL5/INetSim.pm" "$STOCK_PERL5/INetSim" "$1/"; }
# run <apply.sh arguments...>: its output and exit status on one line
run() { local out rc=0; out="$("$APPLY" "$@" 2>&1)" || rc=$?; echo "$out" | tr '\n' '|'; echo "rc=$rc"; }
same_as_stock() { diff -r "$STOCK_PERL5/INetSim" "$1/INetSim" >/dev/null && cmp -s "$STOCK_PERL5/INetSim.pm" "$1/INetSim.pm"; }

L="$WORK/lib"
fresh "$L"
check "check on stock" "$(run --prefix "$L" --check)" "dns: applicable|geoip: applicable|rc=0"
check "apply" "$(run --prefix "$L")" "dns: applied|geoip: applied|rc=0"
check "only Config.pm, DNS.pm and HTTP.pm changed" \
      "$(diff -rq "$STOCK_PERL5/INetSim" "$L/INetSim" | awk '{print $2}' | xargs -n1 basename | sort | tr '\n' ' ')" \
      "Config.pm DNS.pm HTTP.pm "
check "patched modules compile" \
      "$(cd "$L" && for m in Config DNS HTTP; do perl -I. -c "INetSim/$m.pm" 2>&1 | tail -n 1; done | tr '\n' '|')" \
      "INetSim/Config.pm syntax OK|INetSim/DNS.pm syntax OK|INetSim/HTTP.pm syntax OK|"
check "apply again: nothing to do" "$(run --prefix "$L")" "dns: already applied|geoip: already applied|rc=0"
check "check when applied" "$(run --prefix "$L" --check)" "dns: applied|geoip: applied|rc=0"
check "revert one" "$(run --prefix "$L" --revert --only geoip)" "geoip: reverted|rc=0"
check "HTTP.pm is stock again" "$(cmp -s "$STOCK_PERL5/INetSim/HTTP.pm" "$L/INetSim/HTTP.pm" && echo same)" "same"
check "revert all" "$(run --prefix "$L" --revert)" "dns: reverted|geoip: not applied, nothing to revert|rc=0"
check "reverted files are byte-identical to stock" "$(same_as_stock "$L" && echo same)" "same"
check "no backup or reject files left" "$(find "$L" -name '*.orig' -o -name '*.rej' | wc -l)" "0"

fresh "$L"
sed -i 's/^my \$VERSION = "INetSim 1.3.2 (2020-05-19)";/my $VERSION = "INetSim 1.3.3 (2025-01-01)";/' "$L/INetSim.pm"
check "another version is refused" "$(run --prefix "$L")" \
      "apply.sh: refusing: these patches are for 'INetSim 1.3.2 (2020-05-19)', $L/INetSim.pm says 'INetSim 1.3.3 (2025-01-01)'|rc=2"
check "... and nothing changed" "$(diff -r "$STOCK_PERL5/INetSim" "$L/INetSim" >/dev/null && echo unchanged)" "unchanged"

fresh "$L"
sed -i 's/return INetSim::Config::getConfigParameter("DNS_Default_IP");/return "10.1.1.1"; # local change/' "$L/INetSim/DNS.pm"
cp "$L/INetSim/DNS.pm" "$WORK/dns-local.pm"
out="$(run --prefix "$L")"
check "locally changed module is refused" "$(grep -c "refusing: .*patch 'dns'.*nothing was changed|rc=3" <<< "$out")" "1"
check "... and nothing changed, not even the other patch's file" \
      "$(cmp -s "$WORK/dns-local.pm" "$L/INetSim/DNS.pm" && cmp -s "$STOCK_PERL5/INetSim/HTTP.pm" "$L/INetSim/HTTP.pm" && cmp -s "$STOCK_PERL5/INetSim/Config.pm" "$L/INetSim/Config.pm" && echo unchanged)" "unchanged"
check "check reports the conflict" "$(run --prefix "$L" --check)" "dns: conflict|geoip: applicable|rc=3"

check "no INetSim at the prefix" "$(run --prefix "$WORK/nothing-here" | grep -c "no INetSim in $WORK/nothing-here.*rc=2")" "1"
check "unknown patch name" "$(run --only ftp)" "apply.sh: --only takes dns or geoip, not 'ftp'|rc=64"

finish
