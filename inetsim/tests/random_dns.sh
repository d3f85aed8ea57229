#!/usr/bin/env bash
# Random DNS answers on the patched INetSim: A answers fall in dns_random_range (both ends included), are stable
# per name and distinct while the range lasts, PTR gives the name back, dns_static and wpad win, names are matched
# exactly (a.com is not mail.xa.com), and the other record types and services still answer.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_environment
new_workdir
make_lib "$WORK/lib"

ADDR=127.53.1.1
PORT=5353
IPV4='^[0-9]{1,3}(\.[0-9]{1,3}){3}$'

# --- a four-address range, written as first-last (the reference patch's notation)
start_inetsim small "$WORK/lib" "
start_service dns
start_service http
start_service smtp
service_bind_address $ADDR
dns_bind_port $PORT
http_bind_port 8080
http_default_fakefile sample.html text/html
smtp_bind_port 2525
dns_default_ip 127.0.0.9
dns_static static.example.com 198.51.100.2
dns_random_ip yes
dns_random_range 198.51.100.0-198.51.100.3"

q() { dns "$ADDR" "$PORT" "$@"; }

declare -A first
for name in mail.xa.com a.com xa.com; do
  first[$name]="$(q "$name" A)"
done
check "static entry wins" "$(q static.example.com A)" "198.51.100.2"
# three names + the static address fill the four addresses: all distinct, so both ends of the range were used
got="$(printf '%s\n' "${first[@]}" 198.51.100.2 | sort -t. -k4,4n | tr '\n' ' ')"
check "three names and the static entry use the whole range, one address each" "$got" \
      "198.51.100.0 198.51.100.1 198.51.100.2 198.51.100.3 "
check "a.com is not mail.xa.com (names matched exactly)" \
      "$([ "${first[a.com]}" != "${first[mail.xa.com]}" ] && echo distinct)" "distinct"
for name in mail.xa.com a.com xa.com; do
  check "$name: same answer when asked again" "$(q "$name" A)" "${first[$name]}"
  check "PTR of ${first[$name]} gives $name" "$(q -x "${first[$name]}")" "$name."
done
check "names are case-insensitive" "$(q A.COM A)" "${first[a.com]}"
check "PTR of the static address keeps the static name" "$(q -x 198.51.100.2)" "static.example.com."
check "PTR of an address never given out: stock default name" "$(q -x 198.51.100.77)" "www.inetsim.org."
check "wpad still answers with INetSim's own address" "$(q wpad A)" "$ADDR"
check "answer is one clean address (no newline or extra text)" "$(q a.com A | wc -l) $(q a.com A | grep -cE "$IPV4")" "1 1"
# range exhausted: further names still get an address from the range
over="$(q overflow.example A)"
check "range exhausted: answer still inside 198.51.100.0-3" \
      "$(echo "$over" | grep -cE '^198\.51\.100\.[0-3]$')" "1"
check "range exhausted: the answer is stable" "$(q overflow.example A)" "$over"
check "range exhausted: PTR still names the first owner" "$(q -x "$over" | grep -c '^overflow\.example\.$')" "0"
# other record types and services are untouched
check "MX answers" "$(q example.org MX | sort | tr '\n' ' ')" "10 mx1.example.org. 20 mx2.example.org. "
check "TXT answers" "$(q example.org TXT)" '"this is a txt record"'
check "HTTP still serves the default fake page" \
      "$(http "$ADDR:8080/index.html" -H 'Host: www.example.org' | grep -c 'INetSim default HTML page')" "1"
check "SMTP still greets" "$(tcp_banner "$ADDR" 2525 | cut -c1-4)" "220 "
grep -q "random A answers from 198.51.100.0 to 198.51.100.3" "$INST_DIR/log/main.log"
check "main log says where answers come from" "$?" "0"
stop_inetsim

# --- a /24 written as CIDR, the notation of al-cape's random_ip_range
start_inetsim cidr "$WORK/lib" "
start_service dns
service_bind_address $ADDR
dns_bind_port $PORT
dns_random_ip yes
dns_random_range 192.0.2.0/24"

# all 40 names in one dig run per round (a dig process costs more than INetSim's answer)
queries=()
for i in $(seq 1 40); do queries+=("host$i.example.net" A); done
round1="$(dns_table "$ADDR" "$PORT" "${queries[@]}")"
check "40 names: 40 A answers" "$(echo "$round1" | awk '$2 == "A"' | wc -l)" "40"
check "40 names: every answer inside 192.0.2.0/24" \
      "$(echo "$round1" | awk '$3 ~ /^192\.0\.2\.[0-9]+$/ { split($3, o, "."); if (o[4] <= 255) n++ } END { print n + 0 }')" "40"
check "40 names: 40 different addresses" "$(echo "$round1" | awk '{ print $3 }' | sort -u | wc -l)" "40"
check "second round: same answers" "$(dns_table "$ADDR" "$PORT" "${queries[@]}")" "$round1"
check "over TCP: same answers as over UDP" "$(dns_table "$ADDR" "$PORT" +tcp "${queries[@]}")" "$round1"
ptr_queries=()
while read -r name _ ip; do ptr_queries+=(-x "$ip"); done <<< "$round1"
check "PTR of each answer gives its name" \
      "$(dns_table "$ADDR" "$PORT" "${ptr_queries[@]}" | awk '{ sub(/\.$/, "", $3); print $3 }')" \
      "$(echo "$round1" | awk '{ print $1 }')"
check "SOA/NS additional records use the same table" "$(q ns1.host1.example.net A)" \
      "$(dig +time=2 +tries=2 -p "$PORT" "@$ADDR" host1.example.net NS | awk '$1 == "ns1.host1.example.net." && $4 == "A" {print $5}')"
stop_inetsim

finish
