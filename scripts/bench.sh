#!/usr/bin/env bash
# Speed and memory figures of docs/performance.md:
#  1. per-report read+analyse time on the bundled reports (Google Benchmark), and the whole `al-cape report`
#     process (wall time, peak RSS) on each;
#  2. a >= 70 MB report made from a sample (scripts/make_big_report.py): al-cape vs a bare simdjson parse vs
#     Python's json.load, wall time and peak RSS.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/al-cape
params=$here/tests/data/samples/harness-params.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mean_ms() {  # prints the mean wall time of 20 runs of a command, in ms
  local t0 t1
  t0=$(date +%s%N)
  for _ in $(seq 20); do "$@" >/dev/null; done
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) 'BEGIN{printf "%.1f", ns / 20 / 1e6}'
}

measure() {  # prints "wall_s peak_rss_kb" of a command
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
  cat "$tmp/t"
}

echo "== 1. bundled reports: read + analyse (Google Benchmark, in-process)"
"$build/alcape_bench" --benchmark_filter='ReadAndAnalyse' --benchmark_min_time=0.2 2>/dev/null | grep -E 'ReadAndAnalyse|---|Benchmark'

echo
echo "== 1b. bundled reports: whole process 'al-cape report --json' (mean wall of 20 runs, peak RSS, instructions)"
printf '%-26s %10s %10s %12s %14s\n' report bytes wall_ms peak_rss_kb instructions
for lite in "$here"/tests/data/samples/*/Report/reports/lite.json "$here"/tests/data/samples-synthetic/*/Report/reports/lite.json; do
  case "$lite" in */crashes/*) continue ;; esac
  wall=$(mean_ms "$bin" report "$lite" --params "$params" --json)
  read -r _ rss < <(measure "$bin" report "$lite" --params "$params" --json)
  ir=-  # instructions: independent of the machine's load (valgrind's callgrind), when valgrind is installed
  if command -v valgrind >/dev/null; then
    ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" report "$lite" --params "$params" --json \
           2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
  fi
  name=$(basename "$(dirname "$(dirname "$(dirname "$lite")")")")
  printf '%-26s %10s %10s %12s %14s\n' "${name:0:24}" "$(stat -c %s "$lite")" "$wall" "$rss" "$ir"
done
printf 'al-cape --version (process start-up alone): %s ms; %s shared libraries loaded (ldd)\n' \
  "$(mean_ms "$bin" --version)" "$(ldd "$bin" | grep -c '=>')"
# The floor of any al-cape process: an empty program linked against the same shared libraries (al-cape's
# DT_NEEDED entries) only loads them and exits.
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/-l:\1/p' | tr '\n' ' ')
echo 'int main() { return 0; }' >"$tmp/floor.cpp"
# shellcheck disable=SC2086  # one word per library
g++ -O2 "$tmp/floor.cpp" -o "$tmp/floor" -Wl,--no-as-needed $needed
printf 'empty program with the same %s libraries (start-up floor): %s ms\n' "$(echo $needed | wc -w)" \
  "$(mean_ms "$tmp/floor")"

echo
echo "== 2. large report (>= 70 MB)"
src=$here/tests/data/samples/6c5e685f5ed0dd6ce0609edf6e691bb7844ec553ed25ca6c27f328790aca1125/Report/reports/lite.json
python3 "$here/scripts/make_big_report.py" "$src" "$tmp/big.json" 70
size=$(stat -c %s "$tmp/big.json")
read -r aw am < <(measure "$bin" report "$tmp/big.json" --params "$params" --json)
read -r bw bm < <(measure "$build/json_baseline" "$tmp/big.json")
read -r pw pm < <(measure python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/big.json")
size_kb=$((size / 1024))
printf 'file size:                 %d bytes (%d KiB)\n' "$size" "$size_kb"
printf 'al-cape report:            %6.2f s  peak RSS %7d KiB  (%.2fx file size)\n' "$aw" "$am" "$(awk -v a="$am" -v b="$size_kb" 'BEGIN{print a/b}')"
printf 'bare simdjson parse:       %6.2f s  peak RSS %7d KiB\n' "$bw" "$bm"
printf 'python3 json.load:         %6.2f s  peak RSS %7d KiB\n' "$pw" "$pm"
printf 'al-cape / simdjson time:   %.2fx\n' "$(awk -v a="$aw" -v b="$bw" 'BEGIN{ if (b == 0) b = 0.01; print a/b}')"
printf 'al-cape / python time:     %.2fx\n' "$(awk -v a="$aw" -v b="$pw" 'BEGIN{print a/b}')"
