#!/usr/bin/env bash
# Without random answers configured, the patched DNS service answers exactly like stock INetSim 1.3.2: the same
# battery of queries is asked of stock INetSim, of the patched one without dns_random_* lines, and of the patched
# one with a range but "dns_random_ip no"; the full answers (status, answer, authority, additional) must match.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_environment
new_workdir
make_lib "$WORK/stock" stock
make_lib "$WORK/patched"

ADDR=127.53.2.1
PORT=5353
BASE="
start_service dns
service_bind_address $ADDR
dns_bind_port $PORT
dns_default_ip 10.11.12.13
dns_static static.example.com 198.51.100.2
dns_static other.example.com 198.51.100.3"

# The battery: A (plain, static, upper case, wpad, a name with a bad character), PTR (static, other, in the
# range a patched INetSim would use), and the record types whose additional section goes through the same
# look-up (MX, NS, SOA, ANY), plus TXT, CNAME and AAAA.
QUERIES=(
  www.example.com A  static.example.com A  STATIC.Example.COM A  wpad A  wpad.corp.example A  bad_name.example A
  2.100.51.198.in-addr.arpa PTR  9.9.9.9.in-addr.arpa PTR  5.2.0.192.in-addr.arpa PTR
  example.org MX  example.org NS  example.org SOA  example.org ANY  example.org TXT  example.org CNAME
  example.org AAAA
)

answers() {
  dig +nocmd +noquestion +nostats +time=2 +tries=2 -p "$PORT" "@$ADDR" "${QUERIES[@]}" 2>&1 |
    sed -e 's/, id: [0-9]*//' || true
}

start_inetsim stock "$WORK/stock" "$BASE"
stock="$(answers)"
stop_inetsim
check "stock INetSim answered every query" "$(grep -c 'status:' <<< "$stock")" "$(( ${#QUERIES[@]} / 2 ))"
check "stock answers the default address" "$(grep -c 'www.example.com.*A.*10.11.12.13' <<< "$stock")" "1"
check "stock refuses the bad name" "$(grep -c 'status: NXDOMAIN' <<< "$stock")" "1"
check "stock PTR for a static address" "$(grep -c 'PTR.*static.example.com' <<< "$stock")" "1"

start_inetsim patched "$WORK/patched" "$BASE"
patched="$(answers)"
stop_inetsim
check "patched, no dns_random_* lines: identical to stock" "$patched" "$stock"

# dns_random_ipx is not dns_random_ip (the reference patch matched the keyword as a prefix): INetSim only warns
start_inetsim patched-off "$WORK/patched" "$BASE
dns_random_ipx yes
dns_random_ip no
dns_random_range 192.0.2.0/24"
patched_off="$(answers)"
stop_inetsim
check "patched, range given but dns_random_ip no: identical to stock" "$patched_off" "$stock"
check "dns_random_ipx is an unknown option, not the switch" \
      "$(grep -c "Unknown option 'dns_random_ipx'" "$INST_DIR/log/main.log")" "1"

finish
