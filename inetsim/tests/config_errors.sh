#!/usr/bin/env bash
# The patched INetSim refuses bad dns_random_* lines with a message naming the problem, instead of guessing
# (the reference patch drew from all of IPv4 when the range was missing, and accepted octets above 255).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_environment
new_workdir
make_lib "$WORK/lib"

BASE="start_service dns
service_bind_address 127.53.3.1
dns_bind_port 5353"

# refused <description> <expected message part> <config lines>
refused() {
  local out
  out="$(run_inetsim_config "$WORK/lib" "$BASE
$3")"
  check "$1: refused" "$(grep -c 'exit status [1-9]' <<< "$out")" "1"
  check "$1: message says why" "$(grep -cF -- "$2" <<< "$out")" "1"
  check "$1: no service started" "$(grep -c 'Simulation running' <<< "$out")" "0"
}

refused "dns_random_ip yes without a range" "'dns_random_ip yes' needs 'dns_random_range'" "dns_random_ip yes"
refused "dns_random_ip with another word" "Invalid argument 'maybe' for 'dns_random_ip'" "dns_random_ip maybe"
refused "range upside down" "'192.0.2.10-192.0.2.1' is not a valid IP range" "dns_random_range 192.0.2.10-192.0.2.1"
refused "octet above 255" "'192.0.2.0-192.0.2.256' is not a valid IP range" "dns_random_range 192.0.2.0-192.0.2.256"
refused "CIDR with host bits" "'192.0.2.1/24' is not a valid IP range" "dns_random_range 192.0.2.1/24"
refused "CIDR prefix above 32" "'192.0.2.0/33' is not a valid IP range" "dns_random_range 192.0.2.0/33"
refused "range with a space" "'192.0.2.0 - 192.0.2.9' is not a valid IP range" "dns_random_range 192.0.2.0 - 192.0.2.9"
refused "range given twice" "Duplicate option 'dns_random_range'" "dns_random_range 192.0.2.0/24
dns_random_range 198.51.100.0/24"
refused "switch given twice" "Duplicate option 'dns_random_ip'" "dns_random_ip yes
dns_random_ip no"

finish
