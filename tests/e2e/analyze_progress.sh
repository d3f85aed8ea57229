#!/usr/bin/env bash
# `al-cape analyze` shows live progress (host, task id, CAPE status, elapsed / deadline) when stderr is a terminal,
# and prints nothing on stderr when it is not. The terminal is a pseudo-terminal from util-linux `script`.
# usage: analyze_progress.sh <al-cape binary> <tests/data dir>
set -uo pipefail
BIN=$1
DATA=$(cd "$2" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/alcape-progress.XXXXXX")
source "$(dirname "$0")/../../scripts/lib/emulator.sh"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ $# -gt 1 ] && printf '       %s\n' "$2"; }

printf 'durations: {pending_ms: 300, starting_ms: 300, running_ms: 300, processing_ms: 300}\n' >"$TMP/scenario.yaml"
start_emulator "$BIN" "$TMP/nest.out" nest --listen 127.0.0.1:0 --samples "$DATA/samples" --scenario "$TMP/scenario.yaml" || exit 1
printf 'remote_host_details:\n  hosts:\n    - {ip: 127.0.0.1, port: %s, token: t}\nallowed_images: [win10x64, win7x86]\n' \
  "$PORT" >"$TMP/service.yaml"
SAMPLE=$DATA/samples/dda198eb9dfaf03e9fd39c3bd844a7e76647645f624dbe7fd7bb92c546af95e1/ipv6_network.exe
CMD=("$BIN" analyze "$SAMPLE" --config "$TMP/service.yaml" --poll-ms 100 --json)

# On a terminal: the progress line names the host, the task and its CAPE status, with elapsed / deadline.
# stdout goes to a file; stderr stays the pseudo-terminal, whose output `script` records in tty.err.
script -qec "$(printf '%q ' "${CMD[@]}") >$TMP/tty.out" "$TMP/tty.err" </dev/null >/dev/null
if grep -qE "127\.0\.0\.1:$PORT task [0-9]+: (pending|running|completed|reported)  [0-9]+s / [0-9]+s" "$TMP/tty.err"; then
  ok "progress on a terminal: $(tr '\r' '\n' <"$TMP/tty.err" | grep -m1 -oE "task [0-9]+: [a-z]+  [0-9]+s / [0-9]+s")"
else
  fail "no progress line on a terminal" "$(tr '\r' '\n' <"$TMP/tty.err" | head -5)"
fi
# Not a terminal: stderr stays empty, the result is the same JSON.
"${CMD[@]}" >"$TMP/pipe.out" 2>"$TMP/pipe.err"
[ ! -s "$TMP/pipe.err" ] && ok "quiet when stderr is not a terminal" || fail "stderr not empty" "$(head -3 "$TMP/pipe.err")"
python3 - "$TMP/pipe.out" <<'PY' && ok "the --json result is printed either way" || fail "no result JSON without a terminal"
import json, sys
assert json.load(open(sys.argv[1]))["result"]["sections"]
PY
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
