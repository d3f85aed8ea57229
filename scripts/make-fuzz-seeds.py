#!/usr/bin/env python3
"""Cuts the fuzz seed corpus (tests/fuzz/seeds/) out of the bundled reports: for every case, one small report
with every top-level key trimmed (lists to a few items, strings to 200 characters) and one file per top-level key
the analysis reads. Re-run after adding cases: scripts/make-fuzz-seeds.py"""
import hashlib
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
OUT = ROOT / "tests" / "fuzz" / "seeds"
KEYS = ["info", "debug", "signatures", "network", "behavior", "curtain", "sysmon", "hollowshunter", "CAPE", "target"]
MAX_BYTES = 8192


def trim(v, items=3, text=200, depth=0):
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k == "calls" and isinstance(x, list):
                out[k] = [trim(c, items, text, depth + 1) for c in x[:12]]
            else:
                out[k] = trim(x, items, text, depth + 1)
        return out
    if isinstance(v, list):
        return [trim(x, items, text, depth + 1) for x in v[:items]]
    if isinstance(v, str):
        return v[:text]
    return v


def fit(doc):
    """The doc as JSON text of at most MAX_BYTES, trimming harder until it fits (None when it never does)."""
    for items, text in ((3, 200), (2, 100), (1, 60), (1, 20)):
        s = json.dumps(trim(doc, items, text), allow_nan=True)
        if len(s) <= MAX_BYTES:
            return s
    return None


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    reports = sorted(DATA.glob("samples*/*/Report/reports/lite.json")) + sorted(
        DATA.glob("samples-synthetic/crashes/*/Report/reports/lite.json"))
    written = set()
    for path in reports:
        case = path.parents[2].name[:24]
        report = json.loads(path.read_text(encoding="utf-8"))
        seeds = {"mini": {k: report[k] for k in KEYS if k in report}}
        for k in KEYS:
            if k in report:
                seeds[k] = {k: report[k]}
        for name, doc in seeds.items():
            text = fit(doc)
            if text is None:
                continue
            digest = hashlib.sha1(text.encode()).hexdigest()
            if digest in written:
                continue
            written.add(digest)
            (OUT / f"{case}-{name}.json").write_text(text, encoding="utf-8")
    print(f"{len(written)} seeds in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
