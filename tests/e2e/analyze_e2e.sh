#!/usr/bin/env bash
# End to end through the real binary: `al-cape nest` (the CAPE emulator) + `al-cape analyze`.
#  1. every bundled sample: analyze == `al-cape report` on that sample's lite.json (same sections below the top-level
#     section, same score), plus the expected artifacts and the expected API calls;
#  2. a fault matrix: each injected fault ends in its specified outcome (exit code) within its time bound;
#  3. two emulators: multi-host / multi-image;
#  4. lite.json variants (scenario report_variants): every sample analysed from a hostile variant answers (exit 0,
#     a non-empty valid result), and a keys-shuffled variant gives the same sections and score as the recorded one.
# Usage: analyze_e2e.sh <al-cape binary> <tests/data dir> [samples|faults|multi|variants|all]   (CTest: e2e_analyze_*)
set -u
BIN=${1:?usage: analyze_e2e.sh <al-cape> <tests/data>}
DATA=${2:?usage: analyze_e2e.sh <al-cape> <tests/data>}
PART=${3:-all}
want() { [ "$PART" = all ] || [ "$PART" = "$1" ]; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
DATA=$(cd "$DATA" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/alcape-e2e.XXXXXX")
# al-cape's work folders go to a temporary folder of this run only, so that the leftover check below is not
# confused by other tests running at the same time.
mkdir -p "$TMP/tmp"
export TMPDIR="$TMP/tmp"
source "$(dirname "$0")/../../scripts/lib/emulator.sh"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ $# -gt 1 ] && printf '       %s\n' "$2"; }

# start_nest NAME [SCENARIO_YAML]: starts an emulator, sets PORT.
start_nest() {
  local name=$1 scen="$TMP/$1.yaml"
  printf 'durations: {pending_ms: 20, starting_ms: 20, running_ms: 30, processing_ms: 20}\n%s\n' "${2:-}" >"$scen"
  start_emulator "$BIN" "$TMP/$name.out" nest --listen 127.0.0.1:0 --samples "$DATA/samples" --scenario "$scen" || exit 1
}

# config NAME PORT... [extra yaml]: a service config with these hosts.
config() {
  local name=$1; shift
  local extra=""
  { echo "remote_host_details:"; echo "  hosts:"
    for p in "$@"; do
      case $p in
        *:*) extra="$p" ;;
        *) echo "    - {ip: 127.0.0.1, port: $p, token: tok, internet_connected: true, inetsim_connected: true}" ;;
      esac
    done
    echo "connection_attempts: 2"
    [ -n "$extra" ] && echo "$extra"
  } >"$TMP/$name.cfg.yaml"
}

# analyze CFG FILE ARGS...: rc, elapsed (s), $TMP/out.json, $TMP/err
analyze() {
  local cfg=$1 file=$2; shift 2
  local t0 t1
  t0=$(date +%s%N)
  # ANALYZE_JSON="" (set but empty): the readable summary on stdout instead (the JSON is in --out's result.json).
  "$BIN" analyze "$file" --config "$TMP/$cfg.cfg.yaml" --poll-ms 20 --backoff-ms 20 ${ANALYZE_JSON---json} "$@" >"$TMP/out.json" 2>"$TMP/err"
  rc=$?
  t1=$(date +%s%N)
  elapsed_ms=$(( (t1 - t0) / 1000000 ))
  elapsed="$((elapsed_ms / 1000)).$(( (elapsed_ms % 1000) / 100 ))"
}

sections_of() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('\n'.join(s['title_text'] for s in d['result']['sections']))" "$1" 2>/dev/null; }

SAMPLE_DIR=$(ls -d "$DATA"/samples/*/ | head -n 1)
SAMPLE="$SAMPLE_DIR/$(ls "$SAMPLE_DIR" | grep -v -e '^Report$' -e '^Results$' | head -n 1)"

if want samples; then
# 1. Every sample: the same result as `al-cape report`, the artifacts, the calls.
start_nest main
MAIN=$PORT
config main "$MAIN"
samples_with_processes=0
for dir in "$DATA"/samples/*/; do
  sha=$(basename "$dir")
  [[ $sha =~ ^[0-9a-f]{64}$ ]] || continue  # recorded samples only
  file=$(ls "$dir" | grep -v -e '^Report$' -e '^Results$' | head -n 1)
  ANALYZE_JSON="" analyze main "$dir/$file" --param specific_machine=win10x64 --out "$TMP/out-$sha"
  if [ "$rc" -ne 0 ]; then fail "$sha: analyze exit $rc" "$(cat "$TMP/err")"; continue; fi
  cp "$TMP/out-$sha/result.json" "$TMP/analyze-$sha.json"
  cp "$TMP/out.json" "$TMP/analyze-$sha.summary"
  ext=$(python3 -c "import sys,os; print(os.path.splitext(sys.argv[1])[1])" "$file")
  # The submission name's extension is what the service passes as file_ext (every bundled sample has one).
  printf 'routing: none\ntimezone: UTC\nfile_ext: "%s"\n' "$ext" >"$TMP/params-$sha.yaml"
  "$BIN" report "$dir/Report/reports/lite.json" --params "$TMP/params-$sha.yaml" --json >"$TMP/report-$sha.json" 2>"$TMP/err"
  if python3 - "$TMP/analyze-$sha.json" "$TMP/report-$sha.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["result"]
r = json.load(open(sys.argv[2]))["result"]
# Sections only the service adds (screenshots, "Sandbox Artifacts") are checked below; the report engine's must match.
def engine_sections(sections):
    out, skip_depth = [], None
    for s in sections:
        if skip_depth is not None and s["depth"] > skip_depth: continue
        skip_depth = None
        if s["title_text"].startswith("Screenshots taken during Task ") or s["title_text"] == "Sandbox Artifacts":
            skip_depth = s["depth"]; continue
        out.append(s)
    return out
sa, sr = engine_sections(a["sections"])[1:], r["sections"][1:]     # below the top-level section ("Analysis Environment Target" / "Parent")
assert a["sections"][0]["title_text"].startswith("Analysis Environment Target: "), a["sections"][0]["title_text"]
if a["score"] != r["score"] or sa != sr:
    for i, (x, y) in enumerate(zip(sa, sr)):
        if x != y:
            print("first difference at section", i, x.get("title_text"), "|", y.get("title_text")); break
    print("scores", a["score"], r["score"], "sections", len(sa), len(sr)); sys.exit(1)
PY
  then ok "$sha: analyze == report (score $(python3 -c "import json;print(json.load(open('$TMP/report-$sha.json'))['result']['score'])"))"
  else fail "$sha: analyze differs from report"; fi
  # The summary's process tree: analyze shows the processes of the CAPE task, as report shows those of lite.json.
  "$BIN" report "$dir/Report/reports/lite.json" --params "$TMP/params-$sha.yaml" >"$TMP/report-$sha.summary" 2>"$TMP/err"
  tree_a=$(sed -n '/^Process tree:$/,$p' "$TMP/analyze-$sha.summary")
  tree_r=$(sed -n '/^Process tree:$/,$p' "$TMP/report-$sha.summary")
  if [ -n "$tree_r" ] && [ "$tree_a" = "$tree_r" ]; then
    ok "$sha: analyze summary's process tree == report's ($(($(printf '%s\n' "$tree_r" | wc -l) - 1)) lines)"
    grep -q '(no processes)' <<<"$tree_r" || samples_with_processes=$((samples_with_processes + 1))
  else fail "$sha: analyze summary's process tree differs from report's" "$(diff <(echo "$tree_a") <(echo "$tree_r") | head -20)"; fi
  # Artifacts: the report zip and lite JSON are supplementary, the pcap extracted (when recorded).
  if ls "$TMP/out-$sha/supplementary/" | grep -q '_cape_report.zip$' && ls "$TMP/out-$sha/supplementary/" | grep -q '_report.json$' &&
     { [ ! -f "$dir/Report/dump.pcap" ] || ls "$TMP/out-$sha/extracted/" | grep -q '_dump.pcap$'; }; then
    ok "$sha: artifacts (report zip, lite json, pcap)"
  else fail "$sha: artifacts missing" "$(ls -R "$TMP/out-$sha")"; fi
  # Screenshots: an image section whose entries are files of --out; HollowsHunter PE dumps: "Sandbox Artifacts".
  if python3 - "$TMP/analyze-$sha.json" "$TMP/out-$sha" "$dir/Report" <<'PY'
import hashlib, json, os, sys
res, out, rep = json.load(open(sys.argv[1]))["result"], sys.argv[2], sys.argv[3]
secs = {s["title_text"]: s for s in res["sections"]}
shots = sorted(f for f in os.listdir(os.path.join(rep, "shots")) if "_small" not in f) if os.path.isdir(os.path.join(rep, "shots")) else []
shot_secs = [s for t, s in secs.items() if t.startswith("Screenshots taken during Task ")]
if shots:
    assert len(shot_secs) == 1, list(secs)
    s = shot_secs[0]
    assert s["body_format"] == "MULTI", s["body_format"]
    parts = json.loads(s["body"])
    img = [p for p in parts if p[0] == "IMAGE"][0][1]
    on_disk = {}
    for root, _, files in os.walk(os.path.join(out, "supplementary")):
        for f in files:
            on_disk[hashlib.sha256(open(os.path.join(root, f), "rb").read()).hexdigest()] = f
    distinct = {hashlib.sha256(open(os.path.join(rep, "shots", f), "rb").read()).hexdigest() for f in shots}
    assert len(img) == len(distinct), (len(img), len(distinct))
    for e in img:
        assert e["img"]["sha256"] in on_disk and e["thumb"]["sha256"] in on_disk, e
        assert e["img"]["description"] == "Screenshot captured during analysis", e
else:
    assert not shot_secs, list(secs)
# The HollowsHunter PE dumps the classification extracted (not the submitted file's own process, PEs only).
pe_dumps = [os.path.relpath(os.path.join(r, f), os.path.join(out, "extracted"))
            for r, _, fs in os.walk(os.path.join(out, "extracted")) for f in fs
            if "hollowshunter" in r + f and f.endswith((".exe", ".dll"))]
if pe_dumps:
    sa = secs["Sandbox Artifacts"]
    assert sa["depth"] == 0 and sa["auto_collapse"], sa
    h = secs["HollowsHunter Injected Portable Executable"]
    lines = h["body"].split("\n")
    assert lines[0] == "HollowsHunter dumped the following:", lines
    assert h["heuristic"]["heur_id"] == 32, h["heuristic"]
    names = [l[3:] for l in lines[1:]]
    assert names and all(os.path.exists(os.path.join(out, "extracted", n)) or
                         os.path.exists(os.path.join(out, "extracted", os.path.basename(n))) for n in names), (names, os.listdir(os.path.join(out, "extracted")))
    assert sorted(h["tags"]["dynamic"]["process"]["file_name"]) == sorted(names), h["tags"]
    assert sorted(names) == sorted(pe_dumps), (names, pe_dumps)
    print("hollowshunter:", names)
else:
    assert "Sandbox Artifacts" not in secs, list(secs)
PY
  then ok "$sha: screenshot image section and Sandbox Artifacts"
  else fail "$sha: screenshot / Sandbox Artifacts sections"; fi
done
# The tree comparison is not vacuous: some recorded sample has processes.
if [ "$samples_with_processes" -gt 0 ]; then ok "$samples_with_processes samples with a process tree in the analyze summary"
else fail "no sample's analyze summary lists processes"; fi
# Calls of one task: machines/list, tasks/search, tasks/create/file, a few tasks/view, the report, delete.
curl -s "http://127.0.0.1:$MAIN/_emulator/calls" >"$TMP/calls.json" 2>/dev/null || python3 -c "
import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:$MAIN/_emulator/calls').read().decode())" >"$TMP/calls.json"
n=$(ls "$DATA"/samples | grep -cE '^[0-9a-f]{64}$')
if python3 - "$TMP/calls.json" "$n" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["counts"]; n = int(sys.argv[2])
for ep in ("machines/list", "tasks/search", "tasks/create/file", "tasks/report", "tasks/delete"):
    assert c.get(ep) == n, (ep, c)
assert c.get("tasks/view", 0) <= 12 * n, c   # the fixed 5 s loop of the reference would poll far more on a real nest
assert c.get("cuckoo/status", 0) == 0, c    # one candidate host: no status call
PY
then ok "API calls per task bounded ($(python3 -c "import json;print(json.load(open('$TMP/calls.json'))['counts'])"))"
else fail "API call counts" "$(cat "$TMP/calls.json" | head -c 600)"; fi

fi

if want faults; then
# 2. Fault matrix: scenario | expected exit | time bound (s) | expected section (regex, optional)
fault() {
  local name=$1 scen=$2 want=$3 bound=$4 section=$5; shift 5
  start_nest "$name" "$scen"
  config "$name" "$PORT"
  analyze "$name" "$SAMPLE" --param specific_machine=win10x64 "$@"
  local why=""
  [ "$rc" -eq "$want" ] || why="exit $rc, expected $want; $(tail -n 2 "$TMP/err")"
  [ "$elapsed_ms" -le $((bound * 1000)) ] || why="$why took ${elapsed}s > ${bound}s"
  local titles
  titles=$(sections_of "$TMP/out.json")
  [ -n "$titles" ] || why="$why empty result"
  if [ -n "$section" ] && ! grep -qE "$section" <<<"$titles"; then why="$why no section /$section/"; fi
  if [ -z "$why" ]; then ok "fault $name: exit $want in ${elapsed}s"; else fail "fault $name" "$why"; fi
  kill "${PIDS[-1]}" 2>/dev/null; wait "${PIDS[-1]}" 2>/dev/null
}
fault reset_report 'faults: [{endpoint: tasks/report, kind: reset, after_bytes: 4096, times: 1}]' 0 15 'Analysis Information'
fault view_not_found 'faults: [{endpoint: tasks/view, kind: task_not_found, times: 2, per_task: true}]' 0 15 'Analysis Information'
fault status_502 'faults: [{endpoint: tasks/view, kind: http_status, status: 502, times: 1}]' 0 15 'Analysis Information'
fault throttle 'faults: [{endpoint: tasks/view, kind: throttle, retry_after: 1, times: 1}]' 0 15 'Analysis Information'
fault truncated_zip 'faults: [{endpoint: tasks/report, kind: truncated_zip, times: 1}]' 0 15 'Analysis Information'
fault missing_lite 'faults: [{endpoint: tasks/report, kind: missing_lite}]' 0 15 'The CAPE JSON Report Is Missing!'
fault failed_analysis 'faults: [{endpoint: tasks/create/file, kind: failed_analysis}]' 13 15 'Analysis Errors'
fault failed_processing 'faults: [{endpoint: tasks/create/file, kind: failed_processing}]' 13 15 'Analysis Errors'
fault error_200_create 'faults: [{endpoint: tasks/create/file, kind: error_200, message: "File Create API is Disabled"}]' 13 15 'CAPE Task Error'
fault machines_down 'faults: [{endpoint: machines/list, kind: http_status, status: 500}]' 12 15 'CAPE Nest Error'
fault host_refused 'host_down: refuse' 12 15 'CAPE Nest Error'
fault bad_token 'tokens: [{key: other, staff: true}]' 13 15 'CAPE Nest Error'
fault zip_traversal 'faults: [{endpoint: tasks/report, kind: zip_traversal}]' 13 15 'CAPE Task Error'
fault slow_report 'faults: [{endpoint: tasks/report, kind: slow_report, delay_ms: 20000}]' 12 8 'CAPE Task Error' --timeout 4
fault machine_missing 'faults: [{kind: machine_missing, machine: win10x64}]' 0 15 'Requested Machine Does Not Exist'
# The emulator's traversal members aim at /tmp whatever the extraction folder (report_zip.cpp).
[ ! -e /tmp/alcape-abs.txt ] && [ ! -e /tmp/alcape-escape.txt ] && ok "hostile zip wrote nothing outside the work folder" ||
  fail "hostile zip escaped"
leftover=$(ls -d "$TMPDIR"/al-cape-analyze-* 2>/dev/null | wc -l)
[ "$leftover" -eq 0 ] && ok "no work folders left behind" || fail "$leftover work folders left in $TMPDIR"

fi

if want multi; then
# 3. Two nests, two images: one task per image, both answered, sections in order.
start_nest nestA
A=$PORT
start_nest nestB
B=$PORT
config multi "$A" "$B" 'allowed_images: [win10x64, win7x86]'
analyze multi "$SAMPLE" --param specific_image=all
tasks=$(for p in "$A" "$B"; do python3 -c "import json,urllib.request; print(len(json.load(urllib.request.urlopen('http://127.0.0.1:$p/_emulator/tasks'))['tasks']))"; done | paste -sd+ | bc)
if [ "$rc" -eq 0 ] && [ "$tasks" -eq 2 ] && [ "$(sections_of "$TMP/out.json" | grep -c '^Analysis Environment Target: ')" -eq 2 ]; then
  ok "two nests, two images: 2 tasks, 2 target sections"
else fail "multi-host" "rc=$rc tasks=$tasks $(sections_of "$TMP/out.json" | grep Target) $(tail -n 2 "$TMP/err")"; fi
# One nest down: the other serves both images.
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null
analyze multi "$SAMPLE" --param specific_image=all
[ "$rc" -eq 0 ] && [ "$(sections_of "$TMP/out.json" | grep -c '^Analysis Environment Target: ')" -eq 2 ] &&
  ok "one nest down: the other serves both images" || fail "one nest down" "rc=$rc $(tail -n 2 "$TMP/err")"

fi

if want variants; then
# 4. The pipeline through the real binaries on variants of every recorded report.
start_nest plain
PLAIN=$PORT
start_nest shuffled 'report_variants: {seed: 5, shuffle_keys: true}'
SHUFFLED=$PORT
start_nest hostile 'report_variants: {seed: 11, shuffle_keys: true, null_keys: 0.05, drop_keys: 0.05, non_ascii: 0.2, calls_multiplier: 3}'
HOSTILE=$PORT
config plain "$PLAIN"; config shuffled "$SHUFFLED"; config hostile "$HOSTILE"
summary() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['result']; print(r['score'], [s['title_text'] for s in r['sections']])" "$1" 2>/dev/null; }
for dir in "$DATA"/samples/*/; do
  sha=$(basename "$dir")
  [[ $sha =~ ^[0-9a-f]{64}$ ]] || continue
  file=$(ls "$dir" | grep -v -e '^Report$' -e '^Results$' | head -n 1)
  analyze hostile "$dir/$file" --param specific_machine=win10x64
  if [ "$rc" -eq 0 ] && [ -n "$(sections_of "$TMP/out.json")" ]; then ok "$sha: hostile lite.json variant analysed"
  else fail "$sha: hostile variant" "rc=$rc $(tail -n 3 "$TMP/err")"; fi
  analyze plain "$dir/$file" --param specific_machine=win10x64
  plain=$(summary "$TMP/out.json")
  analyze shuffled "$dir/$file" --param specific_machine=win10x64
  shuffled=$(summary "$TMP/out.json")
  if [ "$rc" -eq 0 ] && [ -n "$plain" ] && [ "$plain" = "$shuffled" ]; then ok "$sha: shuffled keys give the same sections and score"
  else fail "$sha: shuffled keys changed the result" "$(diff <(echo "$plain") <(echo "$shuffled") | head -5)"; fi
done
leftover=$(ls -d "$TMPDIR"/al-cape-analyze-* 2>/dev/null | wc -l)
[ "$leftover" -eq 0 ] && ok "no work folders left behind" || fail "$leftover work folders left in $TMPDIR"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
