#!/usr/bin/env bash
# Builds the libFuzzer target (clang, ASan + UBSan, coverage in every library) in build-fuzz and runs it for a
# short time on the seed corpus. Exit status non-zero when the fuzzer found a crash, leak or sanitizer report
# (the reproducer is left in build-fuzz/artifacts/).
# Usage: scripts/fuzz-smoke.sh [seconds=60]      Env: CXX (default clang++), JOBS (default 2)
set -euo pipefail

SECONDS_TO_RUN=${1:-60}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$ROOT/build-fuzz"
CXX=${CXX:-clang++}
JOBS=${JOBS:-2}

# -fsanitize=fuzzer-no-link instruments the libraries for coverage; the target itself links libFuzzer.
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" -DALCAPE_FUZZ=ON -DALCAPE_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"$JOBS" --target report_parser_fuzzer

CORPUS="$BUILD/corpus"          # grows across runs; the seeds stay untouched
ARTIFACTS="$BUILD/artifacts/"
mkdir -p "$CORPUS" "$ARTIFACTS"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
"$BUILD/report_parser_fuzzer" \
  -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -dict="$ROOT/tests/fuzz/report.dict" -artifact_prefix="$ARTIFACTS" -print_final_stats=1 \
  "$CORPUS" "$ROOT/tests/fuzz/seeds"
