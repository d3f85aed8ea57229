#!/usr/bin/env python3
"""End-to-end tests of `al-cape service` against `al-cape al-emulator` (AL service-server emulator).

usage: service_e2e.py AL_CAPE_BINARY SAMPLES_DIR CASE TEST_SERVICE_BINARY
Every process is started here on 127.0.0.1 (ephemeral ports) and stopped before exit; temp dirs are removed.
CASE: native, native_errors, native_deadline, native_restart, native_sigterm, native_register, native_https,
task_handler run TEST_SERVICE_BINARY (al-cape-test-service: the same service code with a stand-in analysis, the
protocol alone); native_nest, native_nest_down, task_handler_nest run `al-cape service` with the real pipeline
against `al-cape nest`, and the *_nest cases compare every stored result with `al-cape analyze`.
"""
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN, SAMPLES, CASE, TEST_BIN = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
PROCS = []
TMP = tempfile.mkdtemp(prefix="alcape-e2e-")


def fail(msg):
    raise AssertionError(msg)


def start_emulator(*args, port=0, command="al-emulator"):
    """Starts `al-cape <command>` (al-emulator or nest); returns the process, its URL and its port."""
    p = subprocess.Popen([BIN, command, "--listen", f"127.0.0.1:{port}", *args],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    PROCS.append(p)
    line = p.stdout.readline()
    m = re.search(r"listening on (https?://127\.0\.0\.1:(\d+))", line)
    if not m:
        fail(f"{command} did not start: {line!r}")
    return p, m.group(1), int(m.group(2))


def start_service(url, *args, env=None, fake=True, delay_ms=0):
    e = {k: v for k, v in os.environ.items() if not k.startswith(("SERVICE_", "AL_SERVICE", "REGISTER_ONLY"))}
    e.update({"SERVICE_API_HOST": url, "TASK_REQUEST_TIMEOUT": "1", "TASKING_DIR": TMP, "HOSTNAME": "e2e-container",
              "ALCAPE_BACKOFF_BASE_MS": "50", "ALCAPE_BACKOFF_MAX_MS": "200", "LOG_LEVEL": "DEBUG",
              "ALCAPE_NEST_POLL_MS": "50"})
    e["ALCAPE_FAKE_DELAY_MS"] = str(delay_ms)
    e.update(env or {})
    log = open(os.path.join(TMP, f"service-{len(PROCS)}.log"), "w")
    cmd = [TEST_BIN if fake else BIN, "service", *args]
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=e)
    p.log_path = log.name
    PROCS.append(p)
    return p


def get(url, path):
    with urllib.request.urlopen(url + path, timeout=10) as r:
        return json.loads(r.read())


def post(url, path, body):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def wait_for(pred, timeout=20, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    fail(f"timed out waiting for {what}")


def sample_files():
    out = []
    for d in sorted(os.listdir(SAMPLES)):
        full = os.path.join(SAMPLES, d)
        if os.path.isdir(full):
            out += [os.path.join(full, f) for f in sorted(os.listdir(full)) if os.path.isfile(os.path.join(full, f))]
    return out


def logs(p):
    with open(p.log_path) as f:
        return f.read()


def check_results(state, expected):
    if state["bad_requests"]:
        fail(f"bad requests: {state['bad_requests']}")
    results = state["results"]
    if len(results) != expected:
        fail(f"{len(results)} results stored, expected {expected}")
    uploaded = {u["sha256"]: u for u in state["uploads"]}
    handed = {t["sid"]: t for t in state["tasks"]}
    for r in results:
        task, result = r["task"], r["result"]
        if task != handed[task["sid"]]:
            fail("the task was not echoed as received")
        if result["sha256"] != task["fileinfo"]["sha256"]:
            fail("result sha256 is not the task's")
        if not result["result"]["sections"]:
            fail("result without sections")
        for kind in ("extracted", "supplementary"):
            for f in result["response"][kind]:
                u = uploaded.get(f["sha256"])
                if not u:
                    fail(f"{kind} file {f['name']} was never uploaded")
                if u["is_supplementary"] != ("True" if kind == "supplementary" else "False"):
                    fail(f"Is-Supplementary wrong for {f['name']}")
                if u["is_section_image"] != ("True" if f["is_section_image"] else "False"):
                    fail(f"Is-Section-Image wrong for {f['name']}")
                if u["ttl"] != str(task["ttl"]):
                    fail("Ttl header is not the task ttl")
    # freshen:true first; after uploads freshen:false
    rounds = state["post_rounds"]
    with_files = any(r["result"]["response"]["extracted"] or r["result"]["response"]["supplementary"]
                     for r in results)
    if not rounds or rounds[0]["freshen"] is not True or (with_files and not any(r["missing_files"] for r in rounds)):
        fail(f"unexpected post rounds {rounds[:2]}")
    if os.environ.get("E2E_VERBOSE"):
        for r in results:
            res = r["result"]
            print(r["task"]["filename"], res["result"]["score"], [(s["title_text"], (s["body"] or "")[:300]) for s in res["result"]["sections"][:2]],
                  len(res["response"]["extracted"]), len(res["response"]["supplementary"]))
    if any(r["freshen"] is False and r["missing_files"] for r in rounds):
        fail("files still missing after a freshen:false post")


def case_native():
    emu, url, _ = start_emulator("--samples", SAMPLES)
    n = len(sample_files())
    svc = start_service(url, env={"AL_SERVICE_TASK_LIMIT": str(n)})
    rc = svc.wait(timeout=60)
    if rc != 0:
        fail(f"service exited {rc}\n{logs(svc)}")
    state = get(url, "/emulator/state")
    check_results(state, n)
    reg = state["register_calls"]
    if len(reg) != 1 or not reg[0]["has_heuristics"]:
        fail(f"registration not as expected: {reg}")
    text = logs(svc)
    for line in text.splitlines():
        j = json.loads(line)  # every line is AL's JSON log format
        if set(j) != {"@timestamp", "event", "host", "log", "process", "message"}:
            fail(f"log line not in AL's format: {line}")
    if "ThisIsARandomAuthKey" in text:
        fail("the API key was logged")
    if f"[{state['tasks'][0]['sid']}/{state['tasks'][0]['fileinfo']['sha256']}]" not in text:
        fail("task log lines lack the [sid/sha256] prefix")


def case_native_errors():
    emu, url, _ = start_emulator()
    files = sample_files()
    post(url, "/emulator/tasks", {"file": files[0], "serve_file": False})
    bad = os.path.join(TMP, "sample-fail-recoverable.exe")
    shutil.copy(files[1], bad)
    post(url, "/emulator/tasks", {"file": bad})
    svc = start_service(url, env={"AL_SERVICE_TASK_LIMIT": "2"})
    if svc.wait(timeout=30) != 0:
        fail(f"service failed\n{logs(svc)}")
    state = get(url, "/emulator/state")
    errs = [e["error"] for e in state["errors"]]
    if len(errs) != 2 or state["results"]:
        fail(f"expected two errors, got {state['errors']} / {len(state['results'])} results")
    if errs[0]["response"]["status"] != "FAIL_NONRECOVERABLE" or "not found" not in errs[0]["response"]["message"]:
        fail(f"file 404 not posted as non-recoverable: {errs[0]}")
    if errs[1]["response"]["status"] != "FAIL_RECOVERABLE":
        fail(f"recoverable failure not posted as such: {errs[1]}")
    for e in errs:
        if e["type"] != "EXCEPTION" or e["sha256"] not in (state["tasks"][0]["fileinfo"]["sha256"],
                                                            state["tasks"][1]["fileinfo"]["sha256"]):
            fail(f"error JSON malformed: {e}")


def case_native_deadline():
    # manifest timeout shrunk to 3 s by the server's service_config: own deadline 1 s, analysis takes 10 s
    emu, url, _ = start_emulator("--service-config", '{"timeout": 3}')
    post(url, "/emulator/tasks", {"file": sample_files()[0]})
    t0 = time.time()
    svc = start_service(url, delay_ms=10000, env={"AL_SERVICE_TASK_LIMIT": "1"})
    if svc.wait(timeout=30) != 0:
        fail(f"service failed\n{logs(svc)}")
    took = time.time() - t0
    state = get(url, "/emulator/state")
    if len(state["errors"]) != 1 or state["errors"][0]["error"]["response"]["status"] != "FAIL_RECOVERABLE":
        fail(f"deadline not posted as a recoverable error: {state['errors']}")
    if took > 3.0:
        fail(f"error posted after {took:.1f} s, beyond the 3 s service timeout")


def case_native_restart():
    emu, url, port = start_emulator()
    post(url, "/emulator/tasks", {"file": sample_files()[0]})
    svc = start_service(url, delay_ms=1500, env={"AL_SERVICE_TASK_LIMIT": "1"})
    wait_for(lambda: get(url, "/emulator/state")["handed_out"] == 1, what="task handed out")
    emu.send_signal(signal.SIGTERM)
    emu.wait(timeout=10)
    time.sleep(2.0)  # the service finishes while the server is away, then retries
    emu2, url2, _ = start_emulator(port=port)
    if svc.wait(timeout=30) != 0:
        fail(f"service failed\n{logs(svc)}")
    state = get(url2, "/emulator/state")
    if len(state["results"]) != 1 or state["bad_requests"]:
        fail(f"result not delivered after the restart: {state}")
    if "unreachable" not in logs(svc):
        fail("the outage was not logged")


def case_native_sigterm():
    emu, url, _ = start_emulator()
    # idle: SIGTERM while long-polling ends the process at once with 0
    svc = start_service(url)
    wait_for(lambda: len(get(url, "/emulator/state")["register_calls"]) == 1, what="registration")
    time.sleep(0.3)
    t0 = time.time()
    svc.send_signal(signal.SIGTERM)
    if svc.wait(timeout=10) != 0 or time.time() - t0 > 2:
        fail("idle service did not stop promptly with 0")
    # busy: the current task is abandoned after the grace period and given back as recoverable
    time.sleep(1.2)  # the emulator's side of the abandoned long poll (Timeout 1 s) must end first
    svc = start_service(url, delay_ms=20000, env={"ALCAPE_SHUTDOWN_GRACE_MS": "300"})
    wait_for(lambda: len(get(url, "/emulator/state")["register_calls"]) == 2, what="registration")
    post(url, "/emulator/tasks", {"file": sample_files()[0]})
    # Handed out by the server is not yet received: a SIGTERM before the answer arrives rightly aborts the
    # long poll, and the server reassigns the task later. Wait for the service's own word.
    wait_for(lambda: "task received" in logs(svc), what="task received by the service")
    t0 = time.time()
    svc.send_signal(signal.SIGTERM)
    rc = svc.wait(timeout=10)
    if rc != 0 or time.time() - t0 > 3:
        fail(f"busy service did not stop within the grace period with 0 (rc {rc}, {time.time() - t0:.1f} s)\n"
             + logs(svc)[-3000:])
    errs = get(url, "/emulator/state")["errors"]
    if len(errs) != 1 or errs[0]["error"]["response"]["status"] != "FAIL_RECOVERABLE":
        fail(f"abandoned task not given back as recoverable: {errs}")


def case_native_register():
    emu, url, _ = start_emulator("--registry-key", "writer-key")
    svc = start_service(url, env={"REGISTER_ONLY": "true"})
    if svc.wait(timeout=10) != 0:
        fail("REGISTER_ONLY did not exit 0")
    svc = start_service(url, env={"SERVICE_TAG": "4.7.1.stable3"})
    if svc.wait(timeout=10) == 0 or "REGISTRATION REFUSED (401)" not in logs(svc):
        fail("a 401 for an unregistered version was not reported loudly")
    if "4.7.1.3" not in logs(svc):
        fail("'stable' was not stripped from the version")
    svc = start_service(url, env={"SERVICE_TAG": "4.7.1.stable3", "SERVICE_API_KEY": "writer-key"})
    if svc.wait(timeout=10) != 0 or "asked not to stay alive" not in logs(svc):
        fail("keep_alive false did not exit 0")


def case_task_handler():
    """Drives the FIFOs as assemblyline_service_client.task_handler does (§1.2), against the emulator."""
    run_task_handler(fake=True)


def case_task_handler_nest():
    """The same FIFO protocol with the real pipeline against `al-cape nest`, results compared with analyze."""
    config = nest_config(start_nest())
    state = run_task_handler(fake=False, config=config)
    compare_with_analyze(state, config)


def run_task_handler(fake, config=None):
    emu, url, _ = start_emulator("--samples", SAMPLES, *(["--service-config", config] if config else []))
    import yaml
    fifo_dir = os.path.join(TMP, "fifo")
    tasking = os.path.join(TMP, "tasking")
    os.makedirs(fifo_dir)
    os.makedirs(tasking)
    prefix = "e2e"
    svc = start_service(url, "--task-handler", env={"RUNTIME_PREFIX": prefix, "ALCAPE_FIFO_DIR": fifo_dir,
                                                    "TASKING_DIR": tasking}, fake=fake)
    manifest_path = os.path.join(fifo_dir, f"{prefix}_manifest.yml")
    wait_for(lambda: os.path.exists(manifest_path), what="runtime manifest")
    with open(manifest_path) as f:
        manifest = yaml.safe_load(f)
    headers = {"X-APIKey": "ThisIsARandomAuthKey...ChangeMe!", "Container-ID": "th-e2e",
               "Service-Name": manifest["name"], "Service-Version": manifest["version"].replace("stable", ""),
               "Service-Tool-Version": "th"}

    def call(method, path, body=None, extra=None, raw=False):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        req = urllib.request.Request(url + path, data=data, method=method, headers={**headers, **(extra or {})})
        with urllib.request.urlopen(req, timeout=30) as r:
            content = r.read()
            return content if raw else json.loads(content)["api_response"]

    reg = call("PUT", "/api/v1/service/register/", manifest, {"Content-Type": "application/json"})
    sc = dict(reg["service_config"])
    sc.pop("version", None)
    manifest.update(sc)
    with open(manifest_path, "w") as f:
        yaml.safe_dump(manifest, f)
    task_fifo = open(os.path.join(fifo_dir, f"{prefix}_task.fifo"), "w")
    done_fifo = open(os.path.join(fifo_dir, f"{prefix}_done.fifo"), "r")
    wait_for(lambda: os.path.exists(os.path.join(fifo_dir, f"{prefix}_ready")), what="ready file")
    n = len(sample_files())
    for _ in range(n):
        task = call("GET", "/api/v1/task/", extra={"Timeout": "1"})["task"]
        sha = task["fileinfo"]["sha256"]
        content = call("GET", f"/api/v1/file/{sha}/", raw=True)
        if hashlib.sha256(content).hexdigest() != sha:
            fail("download hash mismatch")
        with open(os.path.join(tasking, sha), "wb") as f:
            f.write(content)
        task_path = os.path.join(tasking, f"{task['sid']}_{sha}_task.json")
        with open(task_path, "w") as f:
            json.dump(task, f)
        task_fifo.write(task_path + "\n")
        task_fifo.flush()
        path, status = json.loads(done_fifo.readline().strip())
        if status != "RESULT_FOUND":
            fail(f"status {status} for {path}")
        with open(path) as f:
            result = json.load(f)
        files = {}
        for e in result["response"]["extracted"] + result["response"]["supplementary"]:
            files[e["sha256"]] = dict(e)
            e.pop("path", None)
        body = {"task": task, "result": result, "freshen": True}
        r = call("POST", "/api/v1/task/", body, {"Content-Type": "application/json"})
        if not r["success"]:
            for m in r["missing_files"]:
                fi = files[m]
                with open(fi["path"], "rb") as f:
                    # requests (the stock handler) sends no form content type; urllib would, and cpp-httplib caps
                    # form bodies at 8 KB
                    call("PUT", "/api/v1/file/", f.read(), {
                        "Content-Type": "application/octet-stream", "Sha256": m, "Classification": fi["classification"], "Ttl": str(task["ttl"]),
                        "Is-Section-Image": str(fi.get("is_section_image", False)),
                        "Is-Supplementary": str(fi.get("is_supplementary", False))})
            body["freshen"] = False
            r = call("POST", "/api/v1/task/", body, {"Content-Type": "application/json"})
            if not r["success"]:
                fail("result not accepted after the uploads")
    task_fifo.close()  # EOF: the service stops
    if svc.wait(timeout=10) != 0:
        fail(f"task-handler mode did not exit 0 on EOF\n{logs(svc)}")
    done_fifo.close()
    state = get(url, "/emulator/state")
    if state["errors"]:
        fail(f"errors posted: {state['errors']}")
    check_results(state, n)
    return state


def start_nest():
    scenario = os.path.join(TMP, "scenario.yaml")
    with open(scenario, "w") as f:
        f.write("durations: {pending_ms: 20, starting_ms: 20, running_ms: 20, processing_ms: 20}\n")
    return start_emulator("--samples", SAMPLES, "--scenario", scenario, command="nest")[2]


def nest_config(port, timeout=120):
    host = {"ip": "127.0.0.1", "port": port, "token": "", "internet_connected": True, "inetsim_connected": True}
    return json.dumps({"timeout": timeout, "config": {"remote_host_details": {"hosts": [host]},
                                                      "allowed_images": ["win10x64", "win7x86", "ub22x64"],
                                                      "connection_timeout_in_seconds": 2,
                                                      "rest_timeout_in_seconds": 5, "connection_attempts": 2}})


# What may legitimately differ between the result AL stores and `al-cape analyze --json` for the same file:
#  - the wrapping: the service posts AL's Result (response.milestones with the wall-clock start/end, service_name/
#    version/tool_version, sha256/type/size, drop_file, partial, classification), analyze prints the harness shape
#    {"result": {score, sections}} -- only result.score and result.sections are compared;
#  - the heuristic block: analyze prints the harness heuristic (name, attack, signature list) *plus* the wire keys
#    (attack_ids, signatures, frequency, score_map); only heur_id, score and those wire keys are compared;
#  - the ontology: the service attaches it as the supplementary file cape_<sha256>.ontology (the Python library does
#    the same), analyze writes it to result_ontology.json; it is left out of the supplementary comparison because
#    it carries the analysis' own start/end timestamps (milliseconds) and so differs between two runs;
#  - files are compared by SHA-256 only: the names are the same sanitised names, but analyze's --out layout nests
#    them in folders, and the uploaded content is what AL stores.
#  - the CAPE task id: the service and analyze submit to the same nest emulator, so their tasks have different ids;
#    it shows in "Screenshots taken during Task <id>" and in artifact names "<id>_shots/...", "<id>_hollowshunter/..."
#    and is replaced by "N" on both sides (TASK_ID_RE) before comparing.
# Everything else in every section (title, body, body_format, body_config, classification, depth, tags,
# zeroize_on_tag_safe, auto_collapse, promote_to) and the total score must be equal.
SECTION_KEYS = ("title_text", "body", "body_format", "body_config", "classification", "depth", "tags",
                "zeroize_on_tag_safe", "auto_collapse", "promote_to")
HEUR_KEYS = ("heur_id", "score", "attack_ids", "signatures", "frequency", "score_map")


TASK_ID_RE = [(re.compile(r"\bTask \d+\b"), "Task N"),
              (re.compile(r"(?<![\w.])\d+_(shots|hollowshunter)/"), r"N_\1/")]


def without_task_ids(value):
    text = json.dumps(value)
    for pattern, replacement in TASK_ID_RE:
        text = pattern.sub(replacement, text)
    return json.loads(text)


def comparable(sections):
    out = []
    for s in sections:
        c = {k: s.get(k) for k in SECTION_KEYS}
        h = s.get("heuristic")
        c["heuristic"] = {k: h.get(k) for k in HEUR_KEYS} if h else None
        out.append(without_task_ids(c))
    return out


def files_by_sha(folder):
    out = set()
    for root, _, names in os.walk(folder):
        for n in names:
            with open(os.path.join(root, n), "rb") as f:
                out.add(hashlib.sha256(f.read()).hexdigest())
    return out


def compare_with_analyze(state, config_json):
    """Each stored result equals `al-cape analyze` of the same file with the same config and params."""
    by_sha = {}
    for path in sample_files():
        with open(path, "rb") as f:
            by_sha[hashlib.sha256(f.read()).hexdigest()] = path
    cfg = os.path.join(TMP, "analyze-config.json")
    with open(cfg, "w") as f:
        f.write(config_json)
    compared = [0, 0, 0]
    for r in state["results"]:
        task, stored = r["task"], r["result"]
        sha = task["fileinfo"]["sha256"]
        # the same file name as the task's (the name decides the CAPE-side extension) and the same AL type
        src = os.path.join(TMP, "analyze-in", sha, task["filename"])
        os.makedirs(os.path.dirname(src), exist_ok=True)
        shutil.copy(by_sha[sha], src)
        out = os.path.join(TMP, "analyze-out", sha)
        params = [f"--param={k}={json.dumps(v) if not isinstance(v, str) else v}"
                  for k, v in task["service_config"].items()]
        p = subprocess.run([BIN, "analyze", src, "--config", cfg, "--file-type", task["fileinfo"]["type"],
                            "--poll-ms", "50", "--backoff-ms", "50", "--json", "--out", out, *params],
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            fail(f"analyze {task['filename']} exited {p.returncode}: {p.stderr[-1000:]}")
        mine = json.loads(p.stdout)["result"]
        if stored["result"]["score"] != mine["score"]:
            fail(f"{task['filename']}: stored score {stored['result']['score']} != analyze {mine['score']}")
        a, b = comparable(stored["result"]["sections"]), comparable(mine["sections"])
        if a != b:
            for i, (x, y) in enumerate(zip(a, b)):
                if x != y:
                    diff = {k: (x[k], y[k]) for k in x if x[k] != y.get(k)}
                    fail(f"{task['filename']}: section {i} differs (stored, analyze): {json.dumps(diff)[:1500]}")
            fail(f"{task['filename']}: {len(a)} sections stored, analyze has {len(b)}")
        ext = {f["sha256"] for f in stored["response"]["extracted"]}
        sup = {f["sha256"] for f in stored["response"]["supplementary"] if not f["name"].endswith(".ontology")}
        if ext != files_by_sha(os.path.join(out, "extracted")):
            fail(f"{task['filename']}: extracted files differ from analyze's")
        if sup != files_by_sha(os.path.join(out, "supplementary")):
            fail(f"{task['filename']}: supplementary files differ from analyze's")
        compared = [compared[0] + 1, compared[1] + len(a), compared[2] + len(ext) + len(sup)]
    if compared[0] != len(sample_files()) or not compared[1] or not compared[2]:
        fail(f"nothing to compare: {compared}")
    print(f"{compared[0]} results equal to analyze's: {compared[1]} sections, {compared[2]} files")


def case_native_nest():
    """The real pipeline: AL emulator + CAPE nest emulator + al-cape service (no fake), compared with analyze."""
    nest_port = start_nest()
    config = nest_config(nest_port)
    emu, url, _ = start_emulator("--samples", SAMPLES, "--service-config", config)
    n = len(sample_files())
    svc = start_service(url, env={"AL_SERVICE_TASK_LIMIT": str(n)}, fake=False)
    if svc.wait(timeout=120) != 0:
        fail(f"service exited non-zero\n{logs(svc)[-3000:]}")
    state = get(url, "/emulator/state")
    if state["errors"]:
        fail(f"errors posted: {[e['error']['response']['message'] for e in state['errors']]}")
    check_results(state, n)
    compare_with_analyze(state, config)


def case_native_nest_down():
    """Nest unreachable: a recoverable error is posted before the service timeout."""
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    dead_port = s.getsockname()[1]
    s.close()
    emu, url, _ = start_emulator("--service-config", nest_config(dead_port, timeout=20))
    post(url, "/emulator/tasks", {"file": sample_files()[0]})
    t0 = time.time()
    svc = start_service(url, env={"AL_SERVICE_TASK_LIMIT": "1"}, fake=False)
    if svc.wait(timeout=60) != 0:
        fail(f"service exited non-zero\n{logs(svc)[-3000:]}")
    errs = get(url, "/emulator/state")["errors"]
    if len(errs) != 1 or errs[0]["error"]["response"]["status"] != "FAIL_RECOVERABLE":
        fail(f"nest down not posted as a recoverable error: {errs}")
    if time.time() - t0 > 20:
        fail("the error came after the service timeout")


def case_native_https():
    """https service server verified with the AL root CA (SERVICE_SERVER_ROOT_CA_PATH)."""
    cert, key = os.path.join(TMP, "ca.pem"), os.path.join(TMP, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    emu, url, _ = start_emulator("--tls-cert", cert, "--tls-key", key)
    if not url.startswith("https://"):
        fail("emulator is not serving https")
    import ssl
    ctx = ssl.create_default_context(cafile=cert)
    with urllib.request.urlopen(url + "/healthz/live", context=ctx, timeout=10) as r:
        if r.read() != b"OK":
            fail("https emulator not healthy")

    def state():
        with urllib.request.urlopen(url + "/emulator/state", context=ctx, timeout=10) as r:
            return json.loads(r.read())
    req = urllib.request.Request(url + "/emulator/tasks", data=json.dumps({"file": sample_files()[0]}).encode(),
                                 method="POST")
    urllib.request.urlopen(req, context=ctx, timeout=10).read()
    # without the CA the certificate is not trusted: nothing reaches the server
    untrusted = start_service(url, env={"SERVICE_SERVER_ROOT_CA_PATH": os.path.join(TMP, "absent.pem")})
    time.sleep(1.5)
    untrusted.terminate()
    untrusted.wait(timeout=10)
    if state()["register_calls"] or "unreachable" not in logs(untrusted):
        fail("an untrusted certificate was accepted")
    svc = start_service(url, env={"AL_SERVICE_TASK_LIMIT": "1", "SERVICE_SERVER_ROOT_CA_PATH": cert})
    if svc.wait(timeout=30) != 0:
        fail(f"service failed over https\n{logs(svc)[-2000:]}")
    if len(state()["results"]) != 1:
        fail("no result over https")


def main():
    try:
        globals()["case_" + CASE]()
        print(f"e2e {CASE}: ok")
        return 0
    except SystemExit as e:
        return e.code
    except Exception as e:
        print(f"e2e {CASE}: FAILED: {e}")
        return 1
    finally:
        for p in PROCS:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
