#!/usr/bin/env python3
"""Idle memory of `al-cape service` as docs/performance.md reports it.

usage: measure-service-rss.py AL_CAPE [SAMPLES_DIR]
Starts `al-cape al-emulator` on 127.0.0.1 (ephemeral port) and `al-cape service` against it, waits 3 s (registered,
safelist fetched, in the long poll) and prints VmRSS (what `ps -o rss` shows), Pss, Private and the largest
mappings from /proc/<pid>/smaps. With SAMPLES_DIR it also starts `al-cape nest`, runs every sample through the
real pipeline and measures again once idle. Everything it starts is stopped; its temp dir is removed.
Set GNUTLS_NO_IMPLICIT_INIT=1 in the environment to measure as the Docker image runs.
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN = sys.argv[1]
SAMPLES = sys.argv[2] if len(sys.argv) > 2 else None
TMP = tempfile.mkdtemp(prefix="alcape-rss-")
PROCS = []


def start(*args, env=None, out=subprocess.PIPE):
    p = subprocess.Popen([BIN, *args], stdout=out, stderr=subprocess.DEVNULL, text=True, env=env)
    PROCS.append(p)
    return p


def figures(pid):
    status = open(f"/proc/{pid}/status").read()
    roll = open(f"/proc/{pid}/smaps_rollup").read()
    s = lambda k: int(re.search(k + r":\s+(\d+)", status).group(1))
    r = lambda k: int(re.search(k + r":\s+(\d+)", roll).group(1))
    per = collections.Counter()
    cur = None
    for line in open(f"/proc/{pid}/smaps"):
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            parts = line.split()
            cur = os.path.basename(parts[5]) if len(parts) > 5 else "[anon]"
        elif line.startswith("Rss:"):
            per[cur] += int(line.split()[1])
    top = " ".join(f"{k} {v}" for k, v in per.most_common(12))
    return (f"VmRSS {s('VmRSS')} kB, Pss {r('Pss')} kB, Private {r('Private_Clean') + r('Private_Dirty')} kB "
            f"(dirty {r('Private_Dirty')}), Anonymous {r('Anonymous')} kB, heap {per['[heap]']} kB, "
            f"threads {s('Threads')}\n  largest: {top}")


FLOOR_C = r"""
#include <curl/curl.h>
#include <stdio.h>
#include <unistd.h>
int main(int argc, char** argv) {
  if (argc > 1) curl_global_init(CURL_GLOBAL_DEFAULT);
  puts("ready");
  fflush(stdout);
  pause();
}
"""


def libcurl_floor():
    """RSS of a C program that only links Debian's libcurl4 (the HTTP client the stack prescribes): before
    main does anything, and after curl_global_init."""
    src, exe = os.path.join(TMP, "floor.c"), os.path.join(TMP, "floor")
    with open(src, "w") as f:
        f.write(FLOOR_C)
    if subprocess.run(["cc", "-O2", src, "-o", exe, "-lcurl"], capture_output=True).returncode != 0:
        return "libcurl floor: not measured (no C compiler or libcurl headers)"
    out = []
    for args, what in (([], "linked"), (["init"], "after curl_global_init")):
        p = subprocess.Popen([exe, *args], stdout=subprocess.PIPE, text=True)
        p.stdout.readline()
        rss = int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{p.pid}/status").read()).group(1))
        p.kill()
        p.wait()
        out.append(f"{what} {rss} kB")
    return "C program with libcurl4 only: " + ", ".join(out)


def main():
    config = None
    if SAMPLES:
        scen = os.path.join(TMP, "scenario.yaml")
        with open(scen, "w") as f:
            f.write("durations: {pending_ms: 20, starting_ms: 20, running_ms: 20, processing_ms: 20}\n")
        nest = start("nest", "--listen", "127.0.0.1:0", "--samples", SAMPLES, "--scenario", scen)
        port = int(re.search(r"127\.0\.0\.1:(\d+)", nest.stdout.readline()).group(1))
        host = {"ip": "127.0.0.1", "port": port, "token": "", "internet_connected": True, "inetsim_connected": True}
        config = json.dumps({"config": {"remote_host_details": {"hosts": [host]},
                                        "allowed_images": ["win10x64", "win7x86", "ub22x64"]}})
    emu = start("al-emulator", "--listen", "127.0.0.1:0", *(["--service-config", config] if config else []))
    url = re.search(r"(https?://127\.0\.0\.1:\d+)", emu.stdout.readline()).group(1)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SERVICE_", "AL_SERVICE"))}
    env.update(SERVICE_API_HOST=url, TASK_REQUEST_TIMEOUT="2", TASKING_DIR=TMP, HOSTNAME="rss",
               ALCAPE_NEST_POLL_MS="50")
    print(libcurl_floor())
    svc = start("service", env=env, out=subprocess.DEVNULL)
    time.sleep(3)
    print("idle, waiting for tasks:", figures(svc.pid))
    if not SAMPLES:
        return
    n = 0
    for d in sorted(os.listdir(SAMPLES)):
        full = os.path.join(SAMPLES, d)
        for f in sorted(os.listdir(full)) if os.path.isdir(full) else []:
            if os.path.isfile(os.path.join(full, f)):
                req = urllib.request.Request(url + "/emulator/tasks", method="POST",
                                             data=json.dumps({"file": os.path.join(full, f)}).encode())
                urllib.request.urlopen(req, timeout=10).read()
                n += 1
    end = time.time() + 120
    while time.time() < end:
        state = json.loads(urllib.request.urlopen(url + "/emulator/state", timeout=10).read())
        if len(state["results"]) + len(state["errors"]) >= n:
            break
        time.sleep(0.2)
    time.sleep(3)
    print(f"idle after {len(state['results'])} results and {len(state['errors'])} errors:", figures(svc.pid))


if __name__ == "__main__":
    try:
        main()
    finally:
        for p in reversed(PROCS):
            p.terminate()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        shutil.rmtree(TMP, ignore_errors=True)
