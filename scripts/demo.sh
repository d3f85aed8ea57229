#!/usr/bin/env bash
# The main job, on this machine only (everything binds 127.0.0.1 and is stopped at the end):
#   1. the built-in CAPE nest emulator serves the bundled samples' recorded CAPE reports, and
#      `al-cape analyze` submits a bundled sample to it, waits, fetches the lite report zip and prints the
#      Assemblyline result summary (the extracted and supplementary files go to a temporary --out folder);
#   2. the whole Assemblyline loop: the AL service-server emulator queues every bundled sample, `al-cape service`
#      takes the tasks, runs them against the nest emulator and posts the results (scripts/demo-service.sh).
# usage: scripts/demo.sh [path/to/al-cape]
set -euo pipefail
BIN=${1:-build/al-cape}
HERE=$(cd "$(dirname "$0")/.." && pwd)
SAMPLES=$HERE/tests/data/samples
SAMPLE=$SAMPLES/6c5e685f5ed0dd6ce0609edf6e691bb7844ec553ed25ca6c27f328790aca1125/suspended-process.exe
TMP=$(mktemp -d)
source "$HERE/scripts/lib/emulator.sh"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# A nest that answers quickly: the recorded analysis "runs" for a fraction of a second.
printf 'durations: {pending_ms: 200, starting_ms: 200, running_ms: 500, processing_ms: 300}\n' >"$TMP/scenario.yaml"
start_emulator "$BIN" "$TMP/nest.out" nest --listen 127.0.0.1:0 --samples "$SAMPLES" --scenario "$TMP/scenario.yaml"

cat >"$TMP/service.yaml" <<YAML
remote_host_details:
  hosts:
    - {ip: 127.0.0.1, port: $PORT, token: demo, internet_connected: true, inetsim_connected: true}
allowed_images: [win10x64, win7x86, ub22x64]
YAML
echo "== 1. CAPE nest emulator on 127.0.0.1:$PORT; al-cape analyze $(basename "$SAMPLE")"
"$BIN" analyze "$SAMPLE" --config "$TMP/service.yaml" --param routing=inetsim --poll-ms 200 --out "$TMP/out"
echo
echo "   files written by --out:"
(cd "$TMP/out" && find . -type f | sort | sed 's|^\./|     |' | head -20)
kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null || true; PIDS=()

echo
echo "== 2. The Assemblyline loop: AL service-server emulator + CAPE nest emulator + al-cape service"
bash "$HERE/scripts/demo-service.sh" "$BIN"
