#!/usr/bin/env python3
"""Makes a large CAPE lite report from a small one, for the memory and speed benchmarks.

It repeats the behaviour calls of every process and the sysmon events of the source report until the output
reaches the requested size, varying the repeated items slightly (call ids, timestamps, a counter in one argument)
so that they are not byte-identical: a reader must really process them.

usage: make_big_report.py SOURCE_LITE_JSON OUTPUT_JSON [SIZE_MB]
"""
import copy
import json
import sys


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst = sys.argv[1], sys.argv[2]
    target = int(float(sys.argv[3] if len(sys.argv) > 3 else 70) * 1024 * 1024)
    with open(src, encoding="utf-8") as f:
        report = json.load(f)
    base_size = len(json.dumps(report))
    procs = report.get("behavior", {}).get("processes", [])
    sysmon = report.get("sysmon") or []
    call_bytes = sum(len(json.dumps(p.get("calls", []))) for p in procs)
    sysmon_bytes = len(json.dumps(sysmon))
    per_round = max(call_bytes + sysmon_bytes, 1)
    rounds = max(1, (target - base_size) // per_round + 1)
    orig_calls = [copy.deepcopy(p.get("calls", [])) for p in procs]
    orig_sysmon = copy.deepcopy(sysmon)
    for r in range(1, rounds):
        for p, calls in zip(procs, orig_calls):
            for c in calls:
                c2 = dict(c)
                c2["id"] = c.get("id", 0) + r * 1000000 if isinstance(c.get("id"), int) else r
                c2["repeated"] = r
                p.setdefault("calls", []).append(c2)
        for ev in orig_sysmon:
            report.setdefault("sysmon", []).append(copy.deepcopy(ev))
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(report, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
