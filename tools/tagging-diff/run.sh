#!/usr/bin/env bash
# Differential check of the tagging module against the Python reference.
#   tools/tagging-diff/setup_oracle.sh          (once)
#   tools/tagging-diff/run.sh [BUILD_DIR] [SEED] [IOC_TEXTS]
# Prints the first mismatches per operation and a summary; inputs on which Python raises are counted apart
# (those are deviation D-tagging-1).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-$HERE/../../build}" && pwd)
SEED=${2:-1}
N=${3:-1500}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
LIBS="$BUILD/libalcape_analysis.a $BUILD/libalcape_report.a $BUILD/libalcape_result.a $BUILD/libalcape_core.a $BUILD/libalcape_data.a"
g++ -std=c++20 -O1 -I"$HERE/../../src" "$HERE/driver.cpp" -o "$WORK/driver" $LIBS \
  $(pkg-config --libs re2 libzip) -lsimdjson -lcrypto -lfmt -lyaml-cpp
compare() {  # generator oracle
  python3 "$HERE/$1" "$SEED" "$N" > "$WORK/in.jsonl"
  python3 "$HERE/$2" < "$WORK/in.jsonl" > "$WORK/py.jsonl"
  "$WORK/driver" < "$WORK/in.jsonl" > "$WORK/cpp.jsonl"
  python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
ins, py, cc = ([json.loads(l) for l in open(f"{w}/{n}.jsonl")] for n in ("in", "py", "cpp"))
bad, exc = {}, 0
for i, p, c in zip(ins, py, cc):
    if "exception" in p:
        exc += 1
        continue
    if "uris" in p:  # the reference sorts the signature attributes
        p["uris"], c["uris"] = sorted(p["uris"]), sorted(c["uris"])
    if p != c:
        bad.setdefault(i["op"], []).append((i, p, c))
for op, l in bad.items():
    print("==", op, len(l))
    for i, p, c in l[:5]:
        i = dict(i); i.pop("safelist", None)
        for tag, v in (("IN ", i), ("PY ", p), ("C++", c)): print(tag, json.dumps(v, ensure_ascii=False))
print(f"inputs {len(ins)}  mismatches {sum(len(l) for l in bad.values())}  python raised {exc}")
PY
}
compare gen_tags.py oracle_tags.py
compare gen_ioc.py oracle_ioc.py
