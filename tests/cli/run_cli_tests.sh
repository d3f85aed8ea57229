#!/usr/bin/env bash
# CLI behaviour of `al-cape report` through the real binary: exit codes, one-line errors naming the file and the
# problem, --json, --out, --help, and the documented invocation with the harness parameters.
# Usage: run_cli_tests.sh <al-cape binary> <tests/data dir>   (CTest: cli_tests)
# Prints one line per check and "N passed, M failed"; exits non-zero when a check failed.
set -u

BIN=${1:?usage: run_cli_tests.sh <al-cape binary> <tests/data dir>}
DATA=${2:?usage: run_cli_tests.sh <al-cape binary> <tests/data dir>}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
DATA=$(cd "$DATA" && pwd)
REPO=$(cd "$DATA/../.." && pwd)
PARAMS="$DATA/samples/harness-params.yaml"
SAMPLE=$(ls -d "$DATA"/samples/*/ | head -n 1)
SAMPLE_REPORT="${SAMPLE%/}/Report/reports/lite.json"
SYNTH="$DATA/samples-synthetic/cape-configs-yara-hollowshunter/Report/reports/lite.json"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/alcape-cli-tests.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ $# -gt 1 ] && printf '       %s\n' "$2"; }

# run ARGS...: runs al-cape, leaving the exit code in $rc, stdout in $TMP/out, stderr in $TMP/err.
run() {
  "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
}

has_python() { command -v python3 >/dev/null 2>&1; }

# check_error NAME EXPECTED_RC FILE_SHOWN PROBLEM_REGEX ARGS...: an error case.
check_error() {
  local name=$1 want=$2 file=$3 problem=$4
  shift 4
  run "$@"
  local lines
  lines=$(wc -l <"$TMP/err")
  local err
  err=$(cat "$TMP/err")
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit code $rc, expected $want" "stderr: $err"
  elif [ "$lines" -ne 1 ]; then
    fail "$name: stderr has $lines lines, expected one" "stderr: $err"
  elif [ -n "$file" ] && ! grep -qF -- "$file" "$TMP/err"; then
    fail "$name: stderr does not name $file" "stderr: $err"
  elif ! grep -qiE -- "$problem" "$TMP/err"; then
    fail "$name: stderr does not say /$problem/" "stderr: $err"
  elif [ -s "$TMP/out" ]; then
    fail "$name: an error printed something on stdout"
  else
    ok "$name (exit $want)"
  fi
}

# zip_of OUT ENTRY CONTENT_FILE: a zip holding CONTENT_FILE as ENTRY.
zip_of() {
  local out=$1 entry=$2 content=$3
  local stage="$TMP/zipstage.$$"
  rm -rf "$stage" && mkdir -p "$stage/$(dirname "$entry")"
  cp "$content" "$stage/$entry"
  if command -v zip >/dev/null 2>&1; then
    (cd "$stage" && zip -q -r "$out" "$entry")
  elif has_python; then
    python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED); z.write(sys.argv[2], sys.argv[3]); z.close()' \
      "$out" "$stage/$entry" "$entry"
  else
    return 1
  fi
  rm -rf "$stage"
}

# ---------------------------------------------------------------- success paths
run report "$SAMPLE_REPORT" --params "$PARAMS"
if [ "$rc" -eq 0 ] && [ -s "$TMP/out" ] && [ ! -s "$TMP/err" ]; then ok "summary of a sample (exit 0)"
else fail "summary of a sample: exit $rc" "$(head -c 300 "$TMP/err")"; fi

# The documented invocation, from the repository root with the relative params path.
(cd "$REPO" && "$BIN" report "$SYNTH" --params tests/data/samples/harness-params.yaml --json) >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ "$rc" -ne 0 ]; then
  fail "documented invocation --params tests/data/samples/harness-params.yaml --json: exit $rc" "$(cat "$TMP/err")"
elif has_python; then
  if python3 - "$TMP/out" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
sections = doc["result"]["sections"]
assert isinstance(doc["result"]["score"], int)
assert sections and sections[0]["title_text"] == "Parent", "first section must be the Parent"
for s in sections:
    for k in ("title_text", "body_format", "depth", "heuristic", "tags", "body"):
        assert k in s, f"section {s.get('title_text')} lacks {k}"
    if s["body"] is not None and s["body_format"] != "TEXT":
        json.loads(s["body"])
assert len(sections) >= 2, "no analysis section under the Parent"
assert all(s["depth"] >= 1 for s in sections[1:])
EOF
  then ok "documented invocation: --json is valid JSON with the sections"
  else fail "documented invocation: --json output is not the expected JSON" "$(head -c 300 "$TMP/out")"; fi
else
  grep -q '"sections"' "$TMP/out" && ok "documented invocation: --json has sections (python3 missing: not parsed)" \
    || fail "documented invocation: no sections in --json output"
fi

OUT="$TMP/outdir/nested"
run report "$SYNTH" --params "$PARAMS" --out "$OUT"
if [ "$rc" -ne 0 ]; then
  fail "--out: exit $rc" "$(cat "$TMP/err")"
else
  missing=""
  for f in result.json Section.json result_ontology.json; do [ -s "$OUT/$f" ] || missing="$missing $f"; done
  if [ -n "$missing" ]; then fail "--out: missing$missing"
  elif has_python && ! python3 -c 'import json, sys; [json.load(open(f)) for f in sys.argv[1:]]' \
      "$OUT/result.json" "$OUT/Section.json" "$OUT/result_ontology.json"; then
    fail "--out: an output file is not valid JSON"
  else ok "--out writes result.json, Section.json and result_ontology.json"; fi
fi

run report "$SYNTH" --params "$PARAMS" --json --out "$TMP/outdir2"
if [ "$rc" -eq 0 ] && cmp -s "$TMP/out" <(cat "$TMP/outdir2/result.json"; echo); then
  ok "--json output equals --out result.json"
else fail "--json output differs from --out result.json (exit $rc)"; fi

# The lite zip, as CAPE serves it, gives the same result as its lite.json.
if zip_of "$TMP/lite.zip" "reports/lite.json" "$SYNTH"; then
  run report "$SYNTH" --params "$PARAMS" --json
  cp "$TMP/out" "$TMP/from_json"
  run report "$TMP/lite.zip" --params "$PARAMS" --json
  if [ "$rc" -eq 0 ] && cmp -s "$TMP/out" "$TMP/from_json"; then ok "lite zip gives the same result as lite.json"
  else fail "lite zip: exit $rc or a different result" "$(cat "$TMP/err")"; fi
else
  echo "skip - lite zip (neither zip nor python3)"
fi

run report --help
if [ "$rc" -eq 0 ] && grep -q -- "--params" "$TMP/out" && grep -q -- "--json" "$TMP/out" && grep -q -- "--out" "$TMP/out"
then ok "report --help lists --params, --json and --out (exit 0)"
else fail "report --help: exit $rc" "$(head -c 300 "$TMP/out")"; fi

run --version
if [ "$rc" -eq 0 ] && grep -q "al-cape" "$TMP/out"; then ok "--version (exit 0)"; else fail "--version: exit $rc"; fi

# ---------------------------------------------------------------- usage errors (exit 2)
check_error "no subcommand" 2 "" "subcommand|required"
check_error "report without a file" 2 "" "report|required" report
check_error "unknown option" 2 "" "--bogus|extra|unknown|not expected" report "$SAMPLE_REPORT" --bogus
check_error "bad --max-bytes value" 2 "" "max-bytes|could not be converted|number" report "$SAMPLE_REPORT" --max-bytes lots

# ---------------------------------------------------------------- unreadable input (exit 3)
check_error "missing file" 3 "$TMP/nope.json" "cannot open|no such file" report "$TMP/nope.json" --params "$PARAMS"
check_error "directory" 3 "$TMP" "directory" report "$TMP" --params "$PARAMS"

# ---------------------------------------------------------------- not JSON / invalid JSON (exit 4)
: >"$TMP/empty.json"
check_error "empty file" 4 "$TMP/empty.json" "empty" report "$TMP/empty.json" --params "$PARAMS"
printf 'this is not a report\n' >"$TMP/notes.txt"
check_error "not JSON" 4 "$TMP/notes.txt" "neither a JSON report nor a zip" report "$TMP/notes.txt" --params "$PARAMS"
printf '{"info": {"id": 1,, "x": 2}}' >"$TMP/syntax.json"
check_error "JSON syntax error" 4 "$TMP/syntax.json" "not valid JSON at byte [0-9]+" report "$TMP/syntax.json" --params "$PARAMS"
head -c 2000 "$SYNTH" >"$TMP/truncated.json"
check_error "truncated JSON" 4 "$TMP/truncated.json" "not valid JSON" report "$TMP/truncated.json" --params "$PARAMS"
printf '{"info": {}} {"info": {}}' >"$TMP/two.json"
check_error "two JSON documents" 4 "$TMP/two.json" "not valid JSON" report "$TMP/two.json" --params "$PARAMS"

# ---------------------------------------------------------------- bad zip (exit 5)
printf 'PK\003\004this is no zip archive at all' >"$TMP/broken.zip"
check_error "broken zip" 5 "$TMP/broken.zip" "not a readable zip" report "$TMP/broken.zip" --params "$PARAMS"
if zip_of "$TMP/noreport.zip" "reports/other.json" "$SYNTH"; then
  check_error "zip without reports/lite.json" 5 "$TMP/noreport.zip" "no reports/lite.json" \
    report "$TMP/noreport.zip" --params "$PARAMS"
  head -c $(($(wc -c <"$TMP/lite.zip") / 2)) "$TMP/lite.zip" >"$TMP/cut.zip"
  check_error "zip cut short" 5 "$TMP/cut.zip" "zip" report "$TMP/cut.zip" --params "$PARAMS"
  printf '{"info": [1,,2]}' >"$TMP/bad_inside.json"
  zip_of "$TMP/bad_inside.zip" "reports/lite.json" "$TMP/bad_inside.json"
  check_error "invalid JSON inside the zip" 4 "$TMP/bad_inside.zip:reports/lite.json" "not valid JSON" \
    report "$TMP/bad_inside.zip" --params "$PARAMS"
else
  echo "skip - zip error cases (neither zip nor python3)"
fi

# ---------------------------------------------------------------- limits (exit 6, 7)
check_error "too large" 6 "$SAMPLE_REPORT" "over the limit of 1000" report "$SAMPLE_REPORT" --params "$PARAMS" --max-bytes 1000
if [ -f "$TMP/lite.zip" ]; then
  check_error "zip entry too large" 6 "$TMP/lite.zip" "over the limit of 1000" \
    report "$TMP/lite.zip" --params "$PARAMS" --max-bytes 1000
fi
{ printf '{"info": '; printf '[%.0s' $(seq 1 300); printf ']%.0s' $(seq 1 300); printf '}'; } >"$TMP/deep.json"
check_error "too deep" 7 "$TMP/deep.json" "deeper than 100 levels" report "$TMP/deep.json" --params "$PARAMS" --max-depth 100

# ---------------------------------------------------------------- not a report (exit 8)
printf '[{"info": {}}]' >"$TMP/list.json"
check_error "top level not an object" 8 "$TMP/list.json" "top level is not a JSON object" report "$TMP/list.json" --params "$PARAMS"

# ---------------------------------------------------------------- invalid parameters (exit 9)
check_error "missing params file" 9 "$TMP/nope.yaml" "invalid parameters" report "$SAMPLE_REPORT" --params "$TMP/nope.yaml"
printf 'routing: [unclosed\n' >"$TMP/broken.yaml"
check_error "broken params YAML" 9 "$TMP/broken.yaml" "invalid parameters" report "$SAMPLE_REPORT" --params "$TMP/broken.yaml"
printf -- '- just\n- a list\n' >"$TMP/list.yaml"
check_error "params not a mapping" 9 "$TMP/list.yaml" "mapping" report "$SAMPLE_REPORT" --params "$TMP/list.yaml"
printf 'inetsim_dns_servers: {a: 1}\n' >"$TMP/badkey.yaml"
check_error "params key of the wrong type" 9 "$TMP/badkey.yaml" "inetsim_dns_servers" report "$SAMPLE_REPORT" --params "$TMP/badkey.yaml"

# ---------------------------------------------------------------- repaired input is analysed (exit 0)
printf '{"info": {"id": NaN, "version": "2.4", "started": "2026-01-01 00:00:00", "ended": "2026-01-01 00:01:00", "duration": 60}, "signatures": []}' \
  >"$TMP/nan.json"
run report "$TMP/nan.json" --params "$PARAMS" --json
if [ "$rc" -eq 0 ]; then ok "report with NaN is repaired and analysed (exit 0)"
else fail "report with NaN: exit $rc" "$(cat "$TMP/err")"; fi

# ---------------------------------------------------------------- output errors (exit 11)
: >"$TMP/a_file"
if [ -w /dev/full ]; then
  "$BIN" report "$SYNTH" --params "$PARAMS" --json >/dev/full 2>"$TMP/err"
  rc=$?
  if [ "$rc" -eq 11 ] && grep -q "standard output: cannot write" "$TMP/err"; then ok "stdout that cannot be written (exit 11)"
  else fail "stdout to /dev/full: exit $rc" "$(cat "$TMP/err")"; fi
fi
check_error "--out under a file" 11 "$TMP/a_file" "cannot write" report "$SYNTH" --params "$PARAMS" --out "$TMP/a_file/sub"

# ---------------------------------------------------------------- start-up: no network library for `report`
# libcurl and libmagic are loaded on demand (src/core/shared_library.hpp): `report` must not pay for them.
LD_DEBUG=files "$BIN" report "$SAMPLE_REPORT" --params "$PARAMS" --json >/dev/null 2>"$TMP/ld.log"
rc=$?
loaded=$(grep -oE "file=lib(curl|magic|gnutls|ldap|krb5|ssh2|nghttp2)[^ ]*" "$TMP/ld.log" | sort -u | tr '\n' ' ')
if [ "$rc" -ne 0 ]; then fail "report under LD_DEBUG: exit $rc"
elif ! grep -q "file=libsimdjson" "$TMP/ld.log"; then fail "LD_DEBUG=files shows no library at all (check is blind)"
elif [ -n "$loaded" ]; then fail "report loads network libraries: $loaded"
else ok "report loads neither libcurl nor libmagic nor their dependencies"; fi

# ---------------------------------------------------------------- emulator commands: --listen
check_error "nest: --listen without port" 2 "" "HOST:PORT" nest --listen 127.0.0.1 --samples "$DATA/samples"
check_error "al-emulator: bad port" 2 "" "invalid port" al-emulator --listen 127.0.0.1:99999 --samples "$DATA/samples"
check_error "al-emulator: non-loopback refused" 2 "" "non-loopback" al-emulator --listen 0.0.0.0:0 --samples "$DATA/samples"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
