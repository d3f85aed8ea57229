# Sourced by the demo scripts and the end-to-end tests: starts an al-cape emulator command (`nest`,
# `al-emulator`) in the background of the calling shell and waits for its "listening on" line.
#   start_emulator BIN LOG ARGS...   runs `BIN ARGS...` with stdout+stderr in LOG, appends its pid to the
#                                    caller's PIDS array and sets PORT; returns 1 when it does not start in 10 s.
# It must not run inside $(...): the pid would be lost to the caller's cleanup.
start_emulator() {
  local bin=$1 log=$2
  shift 2
  "$bin" "$@" >"$log" 2>&1 &
  PIDS+=($!)
  PORT=""
  for _ in $(seq 1 200); do
    PORT=$(sed -n 's|^listening on https\{0,1\}://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$log" 2>/dev/null)
    [ -n "$PORT" ] && return 0
    sleep 0.05
  done
  echo "al-cape $1 did not start: $(cat "$log")" >&2
  return 1
}
