#!/usr/bin/env bash
# Fake geo-IP answers on the patched INetSim HTTP service: the known services answer with the fake identity
# (United States, address 203.0.113.45), hosts are matched exactly (with or without "www." and a port, whatever
# the case of the Host header's name, or from an absolute-form request), and every other request gets stock
# INetSim's fake-mode answer.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_environment
new_workdir
make_lib "$WORK/lib"

ADDR=127.53.4.1
WEB="$ADDR:8080"
FAKE_IP=203.0.113.45

start_inetsim geoip "$WORK/lib" "
start_service http
service_bind_address $ADDR
http_bind_port 8080
http_fakefile txt sample.txt text/plain
http_default_fakefile sample.html text/html"

# get <host> <path> [curl arguments...]
get() { local host="$1" path="$2"; shift 2; http "$WEB$path" -H "Host: $host" "$@"; }

check "ip-api.com /json" "$(get ip-api.com /json)" \
  '{"status":"success","country":"United States","countryCode":"US","region":"VA","regionName":"Virginia","city":"Ashburn","zip":"20147","lat":39.0437,"lon":-77.4875,"timezone":"America/New_York","isp":"Verizon Business","org":"Verizon Fios","as":"AS701 Verizon Business","query":"203.0.113.45"}'
check "ip-api.com /line with fields, in ip-api's order" \
  "$(get ip-api.com '/line/?fields=hosting,countryCode,proxy')" "$(printf 'US\nfalse\nfalse')"
check "ip-api.com /csv" "$(get ip-api.com '/csv/?fields=country,query')" "United States,$FAKE_IP"
check "ip-api.com / is XML" "$(get ip-api.com / | grep -c '<countryCode><!\[CDATA\[US\]\]></countryCode>')" "1"
check "ipinfo.io /json" "$(get ipinfo.io /json | grep -o '"country":"US"')" '"country":"US"'
check "ipinfo.io /country" "$(get ipinfo.io /country)" "US"
check "ipinfo.io /ip" "$(get ipinfo.io /ip)" "$FAKE_IP"
check "ipapi.co /json/" "$(get ipapi.co /json/ | grep -o '"country_name":"United States"')" '"country_name":"United States"'
check "ipapi.co /country/" "$(get ipapi.co /country/)" "US"
check "ipwho.is" "$(get ipwho.is / | grep -o '"success":true,"type":"IPv4"')" '"success":true,"type":"IPv4"'
check "api.ipify.org" "$(get api.ipify.org /)" "$FAKE_IP"
check "api.ipify.org ?format=json" "$(get api.ipify.org '/?format=json')" "{\"ip\":\"$FAKE_IP\"}"
check "icanhazip.com" "$(get icanhazip.com /)" "$FAKE_IP"
check "checkip.amazonaws.com" "$(get checkip.amazonaws.com /)" "$FAKE_IP"
check "ipecho.net /plain" "$(get ipecho.net /plain)" "$FAKE_IP"
check "ifconfig.me" "$(get ifconfig.me /)" "$FAKE_IP"
check "wtfismyip.com /json" "$(get wtfismyip.com /json | grep -o '"YourFuckingCountryCode":"US"')" '"YourFuckingCountryCode":"US"'
check "api.ip.sb /geoip" "$(get api.ip.sb /geoip | grep -o '"country_code":"US"')" '"country_code":"US"'
check "geoplugin.net /json.gp" "$(get geoplugin.net /json.gp | grep -o '"geoplugin_countryCode":"US"')" '"geoplugin_countryCode":"US"'
check "checkip.dyn.com: the dyndns page with the fake address" "$(get checkip.dyn.com /)" \
  "<html><head><title>Current IP Check</title></head><body>Current IP Address: $FAKE_IP</body></html>"$'\r'
check "checkip.dyndns.org tells the same story" "$(get checkip.dyndns.org /)" "$(get checkip.dyn.com /)"

# host matching
check "www. prefix and port" "$(get www.ip-api.com:80 '/line/?fields=countryCode')" "US"
check "Host header name in lower case" "$(http "$WEB/line/?fields=countryCode" -H 'host: IP-API.com')" "US"
check "absolute-form request (through a proxy)" "$(curl -s --max-time 5 --proxy "http://$WEB" 'http://ip-api.com/line/?fields=countryCode')" "US"
default_page="$(get www.example.com /)"
check "other hosts: stock default fake page" "$(grep -c 'INetSim default HTML page' <<< "$default_page")" "1"
check "ip-api.com.example.net is not ip-api.com" "$(get ip-api.com.example.net /json)" "$default_page"
check "notip-api.com is not ip-api.com" "$(get notip-api.com /json)" "$default_page"
check "other hosts: fake files by extension still served" "$(get www.example.com /notes.txt | grep -c 'INetSim')" "1"
check "wpad.dat still served" "$(get wpad.example.com /wpad.dat | grep -c FindProxyForURL)" "1"

# the HTTP envelope
headers="$(curl -s -D - -o /dev/null --max-time 5 -H 'Host: ip-api.com' "http://$WEB/json" | tr -d '\r')"
check "status 200" "$(head -n 1 <<< "$headers")" "HTTP/1.1 200 OK"
check "JSON content type" "$(grep -i '^Content-Type:' <<< "$headers")" "Content-Type: application/json; charset=utf-8"
check "Content-Length is the body length" "$(grep -i '^Content-Length:' <<< "$headers" | awk '{print $2}')" \
  "$(get ip-api.com /json | wc -c)"
check "no INetSim server string" "$(grep -ci '^Server:.*inetsim' <<< "$headers")" "0"
head_out="$(curl -s -I --max-time 5 -H 'Host: icanhazip.com' "http://$WEB/" | tr -d '\r')"
check "HEAD: headers only, length of the GET body" "$(grep -i '^Content-Length:' <<< "$head_out")" "Content-Length: 13"
check "the service log names the fake answer" \
  "$(grep -c "Sending fake geo-IP answer for 'ip-api.com'" "$INST_DIR/log/service.log" | awk '{print ($1 > 0)}')" "1"
stop_inetsim

finish
