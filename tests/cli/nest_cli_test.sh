#!/usr/bin/env bash
# `al-cape nest` through the real binary: starts on port 0, reads the "listening on" line, makes one call with
# curl, stops it with SIGTERM (exit 0); refuses a non-loopback address.
# Usage: nest_cli_test.sh <al-cape binary> <tests/data dir>   (CTest: nest_cli)
set -u
BIN=${1:?usage}
DATA=${2:?usage}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/alcape-nest-cli.XXXXXX")
PID=
cleanup() {
  [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "FAIL - $1"; exit 1; }

"$BIN" nest --listen 127.0.0.1:0 --samples "$DATA/samples" >"$TMP/out" 2>"$TMP/err" &
PID=$!
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$TMP/out" && break
  sleep 0.1
done
URL=$(sed -n 's/^listening on \(http:\/\/127\.0\.0\.1:[0-9][0-9]*\)$/\1/p' "$TMP/out")
[ -n "$URL" ] || fail "no 'listening on' line: $(cat "$TMP/out" "$TMP/err")"
[ "$(wc -l <"$TMP/out")" -eq 1 ] || fail "more than one line on stdout"
BODY=$(curl -s --max-time 10 "$URL/apiv2/cuckoo/status/")
case "$BODY" in
  '{"error":false,"data":{"version":"2.4-CAPE"'*) echo "ok   - cuckoo/status answered" ;;
  *) fail "unexpected status answer: $BODY" ;;
esac
kill -TERM "$PID"
wait "$PID"
rc=$?
PID=
[ "$rc" -eq 0 ] || fail "exit code after SIGTERM was $rc"
echo "ok   - SIGTERM: exit 0"

"$BIN" nest --listen 0.0.0.0:0 --samples "$DATA/samples" >"$TMP/out2" 2>"$TMP/err2"
rc=$?
[ "$rc" -eq 2 ] || fail "non-loopback listen: exit $rc, expected 2"
grep -q "non-loopback" "$TMP/err2" || fail "non-loopback listen: no message: $(cat "$TMP/err2")"
echo "ok   - non-loopback address refused"
