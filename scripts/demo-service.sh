#!/usr/bin/env bash
# The whole Assemblyline loop on this machine: the AL service-server emulator queues one task per bundled sample,
# the CAPE nest emulator plays CAPE, and `al-cape service` takes the tasks, analyses them and posts the results;
# then the stored results are shown. Everything binds 127.0.0.1 and is stopped at the end.
# usage: scripts/demo-service.sh [path/to/al-cape]
set -euo pipefail
BIN=${1:-build/al-cape}
SAMPLES=$(cd "$(dirname "$0")/.." && pwd)/tests/data/samples
TMP=$(mktemp -d)
source "$(dirname "$0")/lib/emulator.sh"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

printf 'durations: {pending_ms: 50, starting_ms: 50, running_ms: 50, processing_ms: 50}\n' >"$TMP/scenario.yaml"
start_emulator "$BIN" "$TMP/nest.out" nest --listen 127.0.0.1:0 --samples "$SAMPLES" --scenario "$TMP/scenario.yaml"
NEST=$PORT
CONFIG="{\"config\": {\"remote_host_details\": {\"hosts\": [{\"ip\": \"127.0.0.1\", \"port\": $NEST, \"token\": \"\", \"internet_connected\": true, \"inetsim_connected\": true}]}, \"allowed_images\": [\"win10x64\", \"win7x86\", \"ub22x64\"]}}"
start_emulator "$BIN" "$TMP/al.out" al-emulator --listen 127.0.0.1:0 --samples "$SAMPLES" --service-config "$CONFIG"
AL=$PORT
N=$(find "$SAMPLES" -mindepth 2 -maxdepth 2 -type f | wc -l)
echo "AL service-server emulator on 127.0.0.1:$AL, CAPE nest emulator on 127.0.0.1:$NEST, $N tasks queued"

SERVICE_API_HOST=http://127.0.0.1:$AL ALCAPE_NEST_POLL_MS=100 AL_SERVICE_TASK_LIMIT=$N TASK_REQUEST_TIMEOUT=1 TASKING_DIR=$TMP \
  "$BIN" service >"$TMP/service.log" 2>&1 || true
python3 - "$AL" "$TMP/service.log" <<'PY'
import json, sys, urllib.request
state = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/emulator/state"))
for line in open(sys.argv[2]):
    print("  log:", json.loads(line)["message"])
for r in state["results"]:
    res = r["result"]
    print(f"\n{r['task']['filename']} ({res['sha256'][:12]}...): score {res['result']['score']}, "
          f"{len(res['result']['sections'])} sections, {len(res['response']['extracted'])} extracted, "
          f"{len(res['response']['supplementary'])} supplementary")
    for s in res["result"]["sections"][:12]:
        print("   " + "  " * s["depth"] + s["title_text"])
for e in state["errors"]:
    print(f"\n{e['task']['filename']}: {e['error']['response']['status']}: {e['error']['response']['message']}")
print(f"\n{len(state['uploads'])} files uploaded, {len(state['warnings'])} tag warnings, "
      f"{len(state['bad_requests'])} refused requests")
PY
