#!/usr/bin/env bash
# The concurrency part of `make test`: al-cape built with ThreadSanitizer (in build-tsan), then run where it uses
# threads: `report` (the warm-up thread, on every bundled report), `analyze` with concurrent targets on two nests
# and the fault matrix, and `service` with a nest (worker thread, uploads, signals). A data race fails the run.
# Suppressions (a lock inside glibc that TSan cannot see): tests/tsan.supp.
# Usage: scripts/tsan-smoke.sh      Env: JOBS (default nproc)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$ROOT/build-tsan"
JOBS=${JOBS:-$(nproc)}
LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${LAUNCHER[@]}" \
  -DCMAKE_CXX_FLAGS="-fsanitize=thread" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DALCAPE_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"$JOBS" --target al-cape al-cape-test-service

LOGS="$BUILD/tsan-logs"
rm -rf "$LOGS" && mkdir -p "$LOGS"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 log_path=$LOGS/tsan suppressions=$ROOT/tests/tsan.supp"
fail() { echo "tsan-smoke: $1"; cat "$LOGS"/tsan* 2>/dev/null | head -80; exit 1; }

PARAMS="$ROOT/tests/data/samples/harness-params.yaml"
n=0
for lite in "$ROOT"/tests/data/samples/*/Report/reports/lite.json "$ROOT"/tests/data/samples-synthetic/*/Report/reports/lite.json; do
  [ -f "$lite" ] || continue
  "$BUILD/al-cape" report "$lite" --params "$PARAMS" --json >/dev/null || fail "report $lite (exit $?)"
  n=$((n + 1))
done
echo "tsan-smoke: report ran clean on $n reports"

for part in multi faults; do
  "$ROOT/tests/e2e/analyze_e2e.sh" "$BUILD/al-cape" "$ROOT/tests/data" "$part" >"$LOGS/analyze-$part.log" 2>&1 \
    || { tail -20 "$LOGS/analyze-$part.log"; fail "analyze ($part)"; }
  echo "tsan-smoke: analyze $part ran clean"
done

python3 "$ROOT/tests/e2e/service_e2e.py" "$BUILD/al-cape" "$ROOT/tests/data/samples" native_nest \
  "$BUILD/al-cape-test-service" >"$LOGS/service.log" 2>&1 || { tail -20 "$LOGS/service.log"; fail "service (native_nest)"; }
echo "tsan-smoke: service native_nest ran clean"
ls "$LOGS"/tsan* >/dev/null 2>&1 && fail "a report was written"
echo "tsan-smoke: clean"
