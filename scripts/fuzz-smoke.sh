#!/usr/bin/env bash
# The robustness part of `make test`: builds the libFuzzer targets with clang, ASan and UBSan (coverage in every
# library) in build-fuzz, then
#   1. runs every bundled report (real samples, synthetic cases, crash cases) once through the report target:
#      no crash or sanitizer report on the samples;
#   2. fuzzes each target for a short time on its seed corpus (tests/fuzz/seeds: report parts; seeds-inputs:
#      configs, parameters, scenarios and CAPE answers for inputs_fuzzer).
# Exit status non-zero when a sanitizer, crash, leak or timeout was found (the reproducer is left in
# build-fuzz/artifacts/).
# Usage: scripts/fuzz-smoke.sh [seconds per target=30]      Env: CXX (default clang++), JOBS (default nproc)
set -euo pipefail

SECONDS_TO_RUN=${1:-30}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$ROOT/build-fuzz"
CXX=${CXX:-clang++}
JOBS=${JOBS:-$(nproc)}
LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

# -fsanitize=fuzzer-no-link instruments the libraries for coverage; each target links libFuzzer itself.
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$CXX" \
  "${LAUNCHER[@]}" -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" -DALCAPE_FUZZ=ON -DALCAPE_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"$JOBS" --target report_parser_fuzzer tagging_fuzzer inputs_fuzzer

ARTIFACTS="$BUILD/artifacts/"
mkdir -p "$ARTIFACTS"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "fuzz-smoke: every bundled report once under ASan/UBSan"
mapfile -t REPORTS < <(find "$ROOT/tests/data" -name '*.json' -path '*Report*' | sort)
"$BUILD/report_parser_fuzzer" -artifact_prefix="$ARTIFACTS" -runs=1 "${REPORTS[@]}" >/dev/null 2>"$BUILD/samples.log" \
  || { cat "$BUILD/samples.log"; echo "fuzz-smoke: a bundled report failed under the sanitizers"; exit 1; }
echo "fuzz-smoke: ${#REPORTS[@]} reports ran clean"

for target in report_parser_fuzzer tagging_fuzzer inputs_fuzzer; do
  CORPUS="$BUILD/corpus/$target"  # grows across runs; the seeds stay untouched
  mkdir -p "$CORPUS"
  DICT=()
  [ "$target" = report_parser_fuzzer ] && DICT=(-dict="$ROOT/tests/fuzz/report.dict")
  SEEDS="$ROOT/tests/fuzz/seeds"
  [ "$target" = inputs_fuzzer ] && SEEDS="$ROOT/tests/fuzz/seeds-inputs"
  echo "fuzz-smoke: $target for ${SECONDS_TO_RUN}s"
  "$BUILD/$target" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    "${DICT[@]}" -artifact_prefix="$ARTIFACTS" -print_final_stats=1 "$CORPUS" "$SEEDS" \
    >"$BUILD/$target.log" 2>&1 || { tail -60 "$BUILD/$target.log"; echo "fuzz-smoke: $target found a problem"; exit 1; }
  grep -E '^stat::number_of_executed_units' "$BUILD/$target.log" || true
done
echo "fuzz-smoke: clean"
