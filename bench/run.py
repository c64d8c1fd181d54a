#!/usr/bin/env python3
"""Benchmark rekognition-mock against its peers (moto_server) and the machine's limit (nginx).

One command, stdlib only (plus the boto3/moto the machine already has):

    python3 bench/run.py [--binary PATH] [--quick] [--out bench/RESULTS.md]

Runs the API suite below, then bulk_analysis.py's suite, and writes one RESULTS.md (machine,
versions, load before and after, both tables against the issue #25 targets) and results.json
(every raw sample) next to it, and exits 1 if any load run saw an error (a status
above 399, a socket error or a timeout) or a figure could not be measured. Progress goes to
stderr.
See bench/README.md for what each figure means.
"""

import argparse
import atexit
import contextlib
import ctypes
import datetime
import hashlib
import http.client
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import boto3
from botocore.awsrequest import AWSResponse

import bulk_analysis

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEFAULT_BINARY = ROOT / "build/release/server/rekognition-mock"
# Generated fixtures are deterministic for (N, seed); the 1M file takes ~30 s and ~800 MB, so it
# is made once and kept outside the source tree.
CACHE = ROOT / "build/bench-cache"
SEED = 7

SMALL, MEDIUM, LARGE, WALK_JOBS = 1_000, 100_000, 1_000_000, 10_000
# 1-minute load average per core, at the start, above which a run is marked noisy.
NOISY_LOAD = 0.25
CONNECTIONS = (1, 16)
PAGE = 100  # MaxResults: the largest page both APIs allow
# Loading 1M fixtures may take minutes before the loader is optimized: repeat the load only while
# the loads so far stayed under this budget, so the default run stays bounded.
LOAD_REPEAT_BUDGET_S = 60
LOAD_TIMEOUT_S = 600
# The 1M load is polled every millisecond rather than in a tight loop (see start_server).
LOAD_POLL_INTERVAL_S = 0.001
START_TIMEOUT_S = 60

OURS_LIST = "RekognitionService.ListMediaAnalysisJobs"
OURS_GET = "RekognitionService.GetMediaAnalysisJob"
LIST_BODY = b'{"MaxResults":%d}' % PAGE
MOTO_LIST = "SageMaker.ListTrainingJobs"
MOTO_DESCRIBE = "SageMaker.DescribeTrainingJob"
MOTO_LIST_BODY = b'{"MaxResults":%d,"SortBy":"CreationTime","SortOrder":"Descending"}' % PAGE
# moto picks the backend from the SigV4 credential scope; the signature itself is not checked.
MOTO_AUTH = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sagemaker/aws4_request, "
             "SignedHeaders=host, Signature=0")
MOTO_CREDENTIALS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


class BenchError(Exception):
    """A figure could not be measured; the run goes on with the others and exits non-zero."""


# ---------------------------------------------------------------------------------------------
# Child processes: every one is registered so that any exit path (exception, Ctrl-C, SIGTERM)
# stops it; a leaked server would skew the next run and hold gigabytes.

CHILDREN = []


def spawn(cmd, **kwargs):
    proc = subprocess.Popen([str(part) for part in cmd], stdin=subprocess.DEVNULL, **kwargs)
    CHILDREN.append(proc)
    return proc


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc in CHILDREN:
        CHILDREN.remove(proc)


def stop_all():
    for proc in reversed(list(CHILDREN)):
        stop(proc)


atexit.register(stop_all)
# SIGTERM would otherwise end Python without running finally blocks or atexit handlers.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))

STARTED = time.monotonic()


def progress(message):
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# HTTP without libraries: a raw request for the start-up poller, http.client for page walks.

def free_port():
    # Cold start needs the port before the process exists (no stdout to wait for).
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def raw_request(target, body, authorization=None):
    lines = ["POST / HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/x-amz-json-1.1",
             f"X-Amz-Target: {target}", f"Content-Length: {len(body)}", "Connection: close"]
    if authorization:
        lines.append(f"Authorization: {authorization}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def probe(port, request, timeout):
    """Status of one request on a fresh connection, or None if nothing listens yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(request)
            response = b""
            while chunk := sock.recv(65536):  # Connection: close, so EOF ends the response
                response += chunk
    except (ConnectionError, TimeoutError):  # not listening yet, or still loading at the deadline
        return None
    match = re.match(rb"HTTP/1\.[01] (\d{3})", response)
    return int(match.group(1)) if match else None


def start_server(cmd, port, request, timeout, log_path, poll_interval=0.0):
    """Spawn a server and poll it (no forks) until it answers 200.

    Returns the process and the seconds from spawn to that 200: the start-up time a test suite
    waits for. Cold starts are polled in a tight loop; a long load is polled every
    `poll_interval` seconds, so that the poller does not take one of the cores the loader uses
    (a tight loop on this 2-core machine would time the poller's share, not the load)."""
    with open(log_path, "wb") as log:
        began = time.perf_counter()
        proc = spawn(cmd, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if proc.poll() is not None:
            raise BenchError(f"{Path(cmd[0]).name} exited with {proc.returncode} before answering "
                             f"(log: {tail(log_path)})")
        if remaining <= 0:
            stop(proc)
            raise BenchError(f"{Path(cmd[0]).name} gave no 200 within {timeout} s")
        if probe(port, request, remaining) == 200:
            return proc, time.perf_counter() - began
        if poll_interval:
            time.sleep(poll_interval)


def tail(path, lines=5):
    return " | ".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def post(conn, target, body, authorization=None):
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target}
    if authorization:
        headers["Authorization"] = authorization
    conn.request("POST", "/", body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        raise BenchError(f"{target} answered {response.status}: {data[:200]!r}")
    return response.getheaders(), data


def rss_bytes(proc, field="VmRSS"):
    status = Path(f"/proc/{proc.pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1)) * 1024


# ---------------------------------------------------------------------------------------------
# Measurements: samples go into Results; medians and the table are computed at the end.

class Results:
    def __init__(self):
        self.values = {}  # name -> list of numbers
        self.loads = {}   # name -> list of wrk summaries
        self.notes = {}   # facts needed to read the figures (page sizes, sample counts...)
        self.errors = []

    def add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def value(self, name):
        samples = self.values.get(name)
        return statistics.median(samples) if samples else None

    def add_load(self, name, summary):
        """Records a wrk summary; returns its errors by kind (empty when clean)."""
        self.loads.setdefault(name, []).append(summary)
        errors = {kind: n for kind, n in summary["errors"].items() if n}
        if errors:
            self.errors.append(f"{name}: {errors} in {summary['requests']} requests")
        return errors

    def load(self, name, field):
        """Median over repeats of 'rps', 'p50_ms' or 'p99_ms'."""
        runs = self.loads.get(name)
        return statistics.median(run[field] for run in runs) if runs else None


def wrk(url, script, args, connections, seconds):
    cmd = ["wrk", f"-t{min(connections, os.cpu_count() or 1)}", f"-c{connections}",
           f"-d{seconds}s", "--timeout", "10s", "-s", BENCH / script, url, "--", *args]
    done = subprocess.run([str(part) for part in cmd], capture_output=True, text=True,
                          timeout=seconds + 60)
    line = next((l for l in done.stdout.splitlines() if l.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    summary = json.loads(line.removeprefix("BENCH_JSON "))
    summary["rps"] = summary["requests"] / (summary["duration_us"] / 1e6)
    summary["p50_ms"] = summary["latency_us"]["p50"] / 1000
    summary["p99_ms"] = summary["latency_us"]["p99"] / 1000
    return summary


class Bench:
    """What every section needs: the binary under test, a scratch dir, the run's settings."""

    def __init__(self, binary, scratch, seconds, repeats):
        self.binary = binary
        self.scratch = scratch
        self.seconds = seconds
        self.repeats = repeats
        self.results = Results()

    def file(self, name, data):
        path = self.scratch / name
        path.write_bytes(data)
        return path

    def measure(self, name, port, script, args, connections):
        """One wrk run against 127.0.0.1:port, recorded under `name`."""
        summary = wrk(f"http://127.0.0.1:{port}/", script, [str(a) for a in args], connections,
                      self.seconds)
        errors = self.results.add_load(name, summary)
        progress(f"  {name}: {summary['rps']:,.0f} req/s, p50 {summary['p50_ms']:.3f} ms, "
                 f"p99 {summary['p99_ms']:.3f} ms" + (f", ERRORS {errors}" if errors else ""))

    def fixtures(self, jobs):
        path = CACHE / f"jobs-{jobs}-seed{SEED}.json"
        if not path.exists():
            progress(f"generating {jobs:,} fixture jobs into {path}")
            CACHE.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".json.partial")
            with open(partial, "wb") as out:
                subprocess.run([str(self.binary), "--generate-fixtures", str(jobs), "--seed",
                                str(SEED)], stdout=out, check=True, timeout=LOAD_TIMEOUT_S)
            partial.rename(path)  # a run killed midway leaves no truncated file to reuse
        return path

    def start_ours(self, name, *flags, timeout=START_TIMEOUT_S, poll_interval=0.0):
        """Our server on a fixed port, quietest logging; returns (process, port, seconds)."""
        port = free_port()
        cmd = [self.binary, "--port", port, "--log-level", "off", *flags]
        proc, seconds = start_server(cmd, port, raw_request(OURS_LIST, LIST_BODY), timeout,
                                     self.scratch / f"{name}.log", poll_interval)
        return proc, port, seconds

    def start_moto(self, name):
        port = free_port()
        cmd = [moto_server(), "-H", "127.0.0.1", "-p", port]
        proc, seconds = start_server(cmd, port, raw_request(MOTO_LIST, MOTO_LIST_BODY, MOTO_AUTH),
                                     START_TIMEOUT_S, self.scratch / f"{name}.log")
        return proc, port, seconds


def moto_server():
    # The entry point next to this interpreter, not a pyenv shim: a shim adds a bash start-up
    # that is not moto's.
    local = Path(sys.executable).parent / "moto_server"
    found = str(local) if local.exists() else shutil.which("moto_server")
    if not found:
        raise BenchError("moto_server not found")
    return found


# ---------------------------------------------------------------------------------------------
# Sections, in run order. Each records samples; a failure is recorded and the run goes on.

def cold_starts(bench):
    """Spawn to first 200, idle RSS right after it; ours and moto alternate per repeat."""
    progress("cold start and idle RSS")
    for _ in range(bench.repeats):
        proc, _, seconds = bench.start_ours("cold")
        bench.results.add("ours.cold_start_ms", seconds * 1000)
        bench.results.add("ours.rss_idle", rss_bytes(proc))
        stop(proc)
        proc, _, seconds = bench.start_moto("moto-cold")
        bench.results.add("moto.cold_start_ms", seconds * 1000)
        bench.results.add("moto.rss_idle", rss_bytes(proc))
        stop(proc)
    progress(f"  ours {bench.results.value('ours.cold_start_ms'):.1f} ms, "
             f"moto {bench.results.value('moto.cold_start_ms'):.1f} ms")


def seed_moto(port, jobs):
    """CreateTrainingJob through boto3, as a moto user seeds; returns jobs/s."""
    client = boto3.client("sagemaker", endpoint_url=f"http://127.0.0.1:{port}",
                          region_name="us-east-1", **MOTO_CREDENTIALS)
    began = time.perf_counter()
    for i in range(jobs):
        client.create_training_job(
            TrainingJobName=f"bench-job-{i:07d}",
            AlgorithmSpecification={"TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com"
                                                     "/bench:latest", "TrainingInputMode": "File"},
            RoleArn="arn:aws:iam::123456789012:role/bench",
            OutputDataConfig={"S3OutputPath": "s3://bench-results/"},
            ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1,
                            "VolumeSizeInGB": 10},
            StoppingCondition={"MaxRuntimeInSeconds": 3600})
    return jobs / (time.perf_counter() - began)


def peers_at_1k(bench):
    """First-page List against nginx and moto, and Get against moto's Describe, at 1k jobs.

    All three servers stay up and the repeats interleave them, so drift in background load
    hits each the same way and the ratios come from the same minutes."""
    progress(f"List and Get at {SMALL:,} jobs: ours, nginx, moto")
    res = bench.results
    with contextlib.ExitStack() as running:
        ours, ours_port, _ = bench.start_ours("ours-1k", "--fixtures", bench.fixtures(SMALL))
        running.callback(stop, ours)
        conn = http.client.HTTPConnection("127.0.0.1", ours_port, timeout=60)
        _, page = post(conn, OURS_LIST, LIST_BODY)
        conn.close()
        res.notes["first_page_bytes"] = len(page)
        job_ids = [job["JobId"] for job in json.loads(page)["MediaAnalysisJobs"]]
        ours_ids = bench.file("ours-ids.txt", "\n".join(job_ids).encode())

        nginx, nginx_port = start_nginx(bench, page)
        running.callback(stop, nginx)

        moto, moto_port, _ = bench.start_moto("moto-1k")
        running.callback(stop, moto)
        moto_idle = rss_bytes(moto)
        progress(f"  seeding moto with {SMALL:,} training jobs")
        res.add("moto.seed_jobs_per_s", seed_moto(moto_port, SMALL))
        res.add("moto.rss_1k", rss_bytes(moto))
        res.add("moto.rss_per_job", (res.value("moto.rss_1k") - moto_idle) / SMALL)
        conn = http.client.HTTPConnection("127.0.0.1", moto_port, timeout=60)
        _, moto_page = post(conn, MOTO_LIST, MOTO_LIST_BODY, MOTO_AUTH)
        conn.close()
        res.notes["moto_page_bytes"] = len(moto_page)
        names = [job["TrainingJobName"] for job in json.loads(moto_page)["TrainingJobSummaries"]]
        moto_names = bench.file("moto-names.txt", "\n".join(names).encode())

        ours_list = bench.file("list-first.json", LIST_BODY)
        moto_list = bench.file("moto-list.json", MOTO_LIST_BODY)
        loads = (("ours.list_1k", ours_port, "list.lua", [OURS_LIST, ours_list]),
                 ("nginx.list_1k", nginx_port, "list.lua", [OURS_LIST, ours_list]),
                 ("moto.list_1k", moto_port, "list.lua", [MOTO_LIST, moto_list, MOTO_AUTH]),
                 ("ours.get", ours_port, "get.lua", [OURS_GET, "JobId", ours_ids]),
                 ("moto.get", moto_port, "get.lua",
                  [MOTO_DESCRIBE, "TrainingJobName", moto_names, MOTO_AUTH]))
        for repeat in range(bench.repeats):
            progress(f" repeat {repeat + 1}/{bench.repeats}")
            for c in CONNECTIONS:
                for name, port, script, args in loads:
                    bench.measure(f"{name}.c{c}", port, script, args, c)


def start_nginx(bench, page, label="1k"):
    """nginx with its own prefix and config in the scratch dir; serves `page` for POST /."""
    prefix = bench.scratch / f"nginx-{label}"
    (prefix / "root").mkdir(parents=True)
    (prefix / "root" / "page.json").write_bytes(page)
    # nginx's workers drop root for nobody: they must be able to read the page.
    for path in (bench.scratch, prefix, prefix / "root"):
        path.chmod(0o755)
    port = free_port()
    config = (BENCH / "nginx.conf.in").read_text()
    for key, value in (("@PREFIX@", prefix), ("@PORT@", port), ("@ROOT@", prefix / "root")):
        config = config.replace(key, str(value))
    (prefix / "nginx.conf").write_text(config)
    cmd = ["nginx", "-p", prefix, "-c", prefix / "nginx.conf", "-e", prefix / "error.log"]
    proc, _ = start_server(cmd, port, raw_request(OURS_LIST, LIST_BODY), START_TIMEOUT_S,
                           prefix / "stderr.log")
    return proc, port


def first_page(port):
    """The bytes of the store's first List page, as a client receives them."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    _, page = post(conn, OURS_LIST, LIST_BODY)
    conn.close()
    return page


def list_against_nginx(bench, label, port, page, extra=()):
    """First-page List at one size, each repeat measuring ours then nginx serving the same
    bytes: the ratios come from the same minutes, not from a figure taken at another size.
    `extra` is more (name, body file) loads on ours to interleave."""
    nginx, nginx_port = start_nginx(bench, page, label)
    try:
        first = bench.file("list-first.json", LIST_BODY)
        for _ in range(bench.repeats):
            for c in CONNECTIONS:
                bench.measure(f"ours.list_{label}.c{c}", port, "list.lua", [OURS_LIST, first], c)
                bench.measure(f"nginx.list_{label}.c{c}", nginx_port, "list.lua",
                              [OURS_LIST, first], c)
                for name, body in extra:
                    bench.measure(f"ours.{name}.c{c}", port, "list.lua", [OURS_LIST, body], c)
    finally:
        stop(nginx)


def list_100k(bench):
    progress(f"List at {MEDIUM:,} jobs: ours and nginx")
    proc, port, _ = bench.start_ours("ours-100k", "--fixtures", bench.fixtures(MEDIUM),
                                     timeout=LOAD_TIMEOUT_S)
    try:
        bench.results.add("ours.rss_100k", rss_bytes(proc))
        list_against_nginx(bench, "100k", port, first_page(port))
    finally:
        stop(proc)


def list_1m(bench):
    """Fixture loading, RSS, first page and the deepest page at 1M jobs."""
    res = bench.results
    fixtures = bench.fixtures(LARGE)
    proc = None
    try:
        spent = 0.0
        for repeat in range(bench.repeats):
            if proc:
                stop(proc)
            progress(f"loading {LARGE:,} jobs ({repeat + 1}/{bench.repeats})")
            proc, port, seconds = bench.start_ours("ours-1m", "--fixtures", fixtures,
                                                   timeout=LOAD_TIMEOUT_S,
                                                   poll_interval=LOAD_POLL_INTERVAL_S)
            res.add("ours.time_to_200_1m_s", seconds)
            res.add("ours.rss_1m", rss_bytes(proc))
            res.add("ours.rss_peak_1m", rss_bytes(proc, "VmHWM"))
            progress(f"  first 200 after {seconds:.1f} s")
            spent += seconds
            if spent > LOAD_REPEAT_BUDGET_S:
                break

        progress("walking NextTokens to the last page")
        began = time.perf_counter()
        tokens = [token for token, _, _ in walk_pages(port)]
        res.notes["pages_walked_1m"] = len(tokens)
        res.add("ours.raw_walk_1m_pages_per_s", len(tokens) / (time.perf_counter() - began))
        deep = bench.file("list-deep.json", list_body(tokens[-1]))
        list_against_nginx(bench, "1m", port, first_page(port), extra=(("deep_1m", deep),))
    finally:
        if proc:
            stop(proc)


def list_body(token):
    return json.dumps({"MaxResults": PAGE} | ({"NextToken": token} if token else {})).encode()


def walk_pages(port):
    """Every page of the store, first to last, following NextToken over one keep-alive
    connection: yields (the NextToken sent, None for the first page; headers; body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    token = None
    try:
        while True:
            headers, page = post(conn, OURS_LIST, list_body(token))
            yield token, headers, page
            token = json.loads(page).get("NextToken")
            if not token:
                return
    finally:
        conn.close()


def durable_start(bench):
    """Start on a file store. Every run gets a new, empty store: a Start's cost may depend on
    the jobs already stored, so runs on a store the previous runs filled would not be repeats."""
    progress("durable Start (file store)")
    for repeat in range(bench.repeats):
        for c in CONNECTIONS:
            db = bench.scratch / f"start-{repeat}-c{c}.sqlite"
            # Jobs end at once (--job-duration 0), but raise the limit so no Start is refused.
            proc, port, _ = bench.start_ours("ours-start", "--db", db, "--max-unfinished-jobs",
                                             "1000000000")
            try:
                bench.measure(f"ours.start.c{c}", port, "start.lua", [], c)
            finally:
                stop(proc)


class _SavedBody:
    """What botocore reads an AWSResponse's body through (raw.stream())."""

    def __init__(self, data):
        self.data = data

    def stream(self, **_):
        yield self.data


def boto3_walk(bench):
    """A full boto3 walk of 10k jobs against the same 100 calls answered from saved bytes.

    The floor keeps everything boto3 does (serialize, sign, parse the same bytes) and drops the
    network and the server, so walk/floor is what the server adds to a client's time."""
    progress(f"boto3 walk of {WALK_JOBS:,} jobs against its floor")
    proc, port, _ = bench.start_ours("ours-10k", "--fixtures", bench.fixtures(WALK_JOBS))
    try:
        saved = {token: (dict(headers), page) for token, headers, page in walk_pages(port)}

        def replay(request, **_):
            token = json.loads(request.body or b"{}").get("NextToken")
            headers, data = saved[token]
            return AWSResponse(request.url, 200, headers, _SavedBody(data))

        def client():
            return boto3.client("rekognition", endpoint_url=f"http://127.0.0.1:{port}",
                                region_name="us-east-1", aws_access_key_id="test",
                                aws_secret_access_key="test")

        live, floor = client(), client()
        floor.meta.events.register("before-send.rekognition.ListMediaAnalysisJobs", replay)
        for walker in (live, floor):  # first calls load models and endpoints: not timed
            walk_boto3(walker)
        for _ in range(bench.repeats):
            for name, walker in (("ours.boto3_walk_s", live), ("boto3.floor_s", floor)):
                began = time.perf_counter()
                jobs = walk_boto3(walker)
                bench.results.add(name, time.perf_counter() - began)
                if jobs != WALK_JOBS:
                    raise BenchError(f"{name}: walked {jobs} jobs, expected {WALK_JOBS}")
    finally:
        stop(proc)


def walk_boto3(client):
    # botocore has no paginator for this operation: the loop docs/sdks.md shows users.
    kwargs, jobs = {"MaxResults": PAGE}, 0
    while True:
        page = client.list_media_analysis_jobs(**kwargs)
        jobs += len(page["MediaAnalysisJobs"])
        if "NextToken" not in page:
            return jobs
        kwargs["NextToken"] = page["NextToken"]


SECTIONS = (cold_starts, peers_at_1k, list_100k, list_1m, durable_start, boto3_walk)


# ---------------------------------------------------------------------------------------------
# The table: one row per figure, with the peers' comparable figure, ratios and the target.

MB = 1_000_000


def num(value, digits=0, suffix=""):
    return "n/a" if value is None else f"{value:,.{digits}f}{suffix}"


def ratio(a, b):
    return a / b if a is not None and b else None


def times(value):
    if value is None:
        return "n/a"
    if value < 1:
        return f"{value:.2g}×"  # two significant digits: 0.0026× rather than 0.00×
    return f"{value:,.2f}×" if value < 100 else f"{value:,.0f}×"


def verdict(ok):
    return "n/a" if ok is None else "met" if ok else "**missed**"


def all_known(*values):
    return all(v is not None for v in values)


def table_rows(res):
    rows = []

    def row(figure, ours, moto="", nginx="", ratios="", target="", met=""):
        rows.append({"figure": figure, "ours": ours, "moto": moto, "nginx": nginx,
                     "ratio": ratios, "target": target, "met": met})

    for label, size in (("1k", SMALL), ("100k", MEDIUM), ("1m", LARGE)):
        for c in CONNECTIONS:
            key = f"list_{label}.c{c}"
            ours, nginx = res.load(f"ours.{key}", "rps"), res.load(f"nginx.{key}", "rps")
            moto = res.load(f"moto.{key}", "rps") if size == SMALL else None
            parts = [f"{times(ratio(ours, nginx))} nginx"]
            if size == SMALL:
                parts.append(f"{times(ratio(ours, moto))} moto")
            # Issue #25: nginx's speed on the same bytes, at every size and connection count.
            row(f"List first page, {size:,} jobs, {conns(c)}: req/s", num(ours),
                num(moto) if size == SMALL else "", num(nginx), ", ".join(parts), "≥ 1.0× nginx",
                verdict(ours >= nginx if all_known(ours, nginx) else None))
            p = {who: (res.load(f"{who}.{k}", "p50_ms"), res.load(f"{who}.{k}", "p99_ms"))
                 for who, k in (("ours", key), ("nginx", key), ("moto", key))}
            parts = [f"p50 {times(ratio(p['ours'][0], p['nginx'][0]))} nginx"]
            if size == SMALL:
                parts.append(f"p50 {times(ratio(p['ours'][0], p['moto'][0]))} moto")
            ok = p["ours"][0] <= p["nginx"][0] if all_known(p["ours"][0], p["nginx"][0]) else None
            row(f"List first page, {size:,} jobs, {conns(c)}: p50 / p99 ms", latency(*p["ours"]),
                latency(*p["moto"]) if size == SMALL else "", latency(*p["nginx"]),
                ", ".join(parts), "p50 ≤ nginx's" if c == 1 else "",
                verdict(ok) if c == 1 else "")

    for c in CONNECTIONS:
        first, deep = res.load(f"ours.list_1m.c{c}", "p50_ms"), res.load(f"ours.deep_1m.c{c}",
                                                                          "p50_ms")
        ok = deep <= 1.2 * first if all_known(first, deep) else None
        row(f"Deep page (last of {LARGE:,}), {conns(c)}: p50 / p99 ms, req/s",
            f"{latency(deep, res.load(f'ours.deep_1m.c{c}', 'p99_ms'))}, "
            f"{num(res.load(f'ours.deep_1m.c{c}', 'rps'))}/s",
            ratios=f"p50 {times(ratio(deep, first))} first page",
            target="p50 ≤ 1.2× first page" if c == 1 else "",
            met=verdict(ok) if c == 1 else "")

    for c in CONNECTIONS:
        ours, moto = res.load(f"ours.get.c{c}", "rps"), res.load(f"moto.get.c{c}", "rps")
        row(f"Get (moto: DescribeTrainingJob), {conns(c)}: req/s, p50 ms",
            f"{num(ours)}, {num(res.load(f'ours.get.c{c}', 'p50_ms'), 3)}",
            f"{num(moto)}, {num(res.load(f'moto.get.c{c}', 'p50_ms'), 3)}",
            ratios=f"{times(ratio(ours, moto))} moto")

    for c in CONNECTIONS:
        ours = res.load(f"ours.start.c{c}", "rps")
        row(f"Durable Start (file store), {conns(c)}: req/s, p50 ms",
            f"{num(ours)}, {num(res.load(f'ours.start.c{c}', 'p50_ms'), 3)}",
            target="≥ 6,000/s" if c == 16 else "",
            met=verdict(ours >= 6000 if ours is not None else None) if c == 16 else "")

    ours, moto = res.value("ours.cold_start_ms"), res.value("moto.cold_start_ms")
    faster = ratio(moto, ours)
    row("Cold start: spawn to first 200, ms", num(ours, 1), num(moto, 1),
        ratios=f"{times(faster)} faster than moto", target="≤ 10 ms",
        met=verdict(ours <= 10 if ours is not None else None))

    ours, moto = res.value("ours.rss_idle"), res.value("moto.rss_idle")
    row("RSS idle, MB", num(ratio(ours, MB), 1), num(ratio(moto, MB), 1),
        ratios=f"{times(ratio(ours, moto))} moto", target="≤ 8 MB",
        met=verdict(ours <= 8 * MB if ours is not None else None))
    moto_per_job = res.value("moto.rss_per_job")
    moto_rss = f"{num(ratio(res.value('moto.rss_1k'), MB), 1)} ({num(moto_per_job)}) at {SMALL:,}"
    for label, size in (("100k", MEDIUM), ("1m", LARGE)):
        rss = res.value(f"ours.rss_{label}")
        per_job = (rss - ours) / size if all_known(rss, ours) else None
        res.notes[f"ours_rss_per_job_{label}"] = per_job
        row(f"RSS with {size:,} jobs, MB (per job, bytes)",
            f"{num(ratio(rss, MB))} ({num(per_job)})", moto_rss,
            ratios=f"per job {times(ratio(per_job, moto_per_job))} moto",
            target="per job ≤ 400 B",
            met=verdict(per_job <= 400 if per_job is not None else None))
    peak, final = res.value("ours.rss_peak_1m"), res.value("ours.rss_1m")
    row(f"Peak RSS while loading {LARGE:,} jobs (VmHWM), MB", num(ratio(peak, MB)),
        ratios=f"{times(ratio(peak, final))} the RSS after loading", target="≤ 1.2× final",
        met=verdict(peak <= 1.2 * final if all_known(peak, final) else None))

    to_200, idle = res.value("ours.time_to_200_1m_s"), res.value("ours.cold_start_ms")
    rate = LARGE / (to_200 - idle / 1000) if all_known(to_200, idle) else None
    res.notes["fixture_jobs_per_s"] = rate
    moto_seed = res.value("moto.seed_jobs_per_s")
    row(f"Fixture loading at {LARGE:,} jobs, jobs/s (moto: CreateTrainingJob via boto3)",
        f"{num(rate)} ({num(to_200, 1)} s to first 200)", num(moto_seed),
        ratios=f"{times(ratio(rate, moto_seed))} moto", target="≥ 300,000/s",
        met=verdict(rate >= 300_000 if rate is not None else None))

    walk, floor = res.value("ours.boto3_walk_s"), res.value("boto3.floor_s")
    row(f"boto3 walk of {WALK_JOBS:,} jobs ({WALK_JOBS // PAGE} calls), ms",
        num(ratio(walk, 1e-3), 1), ratios=f"{times(ratio(walk, floor))} floor",
        target="≤ 1.5× floor",
        met=verdict(walk <= 1.5 * floor if all_known(walk, floor) else None))
    row("boto3 floor: the same calls answered from saved bytes, no server, ms",
        num(ratio(floor, 1e-3), 1))
    return rows


def conns(count):
    return f"{count} conn" + ("s" if count > 1 else "")


def latency(p50, p99):
    return f"{num(p50, 3)} / {num(p99, 3)}"


# ---------------------------------------------------------------------------------------------
# Machine and versions, so a reader can tell whether two RESULTS.md are comparable.

def first_line(cmd):
    """First line a tool prints about itself (some print their version on stderr)."""
    try:
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=30)
    except OSError as error:
        return f"unavailable ({error})"
    text = done.stdout.strip()
    return text.splitlines()[0] if text else "unknown"


def machine():
    cpuinfo = Path("/proc/cpuinfo").read_text()
    meminfo = Path("/proc/meminfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    mem_kb = int(re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.M).group(1))
    return {"nproc": os.cpu_count(), "cpu": model.group(1) if model else platform.machine(),
            "kernel": platform.release(), "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "loadavg_start": Path("/proc/loadavg").read_text().split()[:3]}


def sqlite_version(binary):
    """The libsqlite3 the server binary loads (not Python's own sqlite3 module)."""
    libs = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, timeout=30).stdout
    match = re.search(r"libsqlite3\S*\s+=>\s+(\S+)", libs)
    if not match:
        return "linked statically"
    lib = ctypes.CDLL(match.group(1))
    lib.sqlite3_libversion.restype = ctypes.c_char_p
    return lib.sqlite3_libversion().decode()


def versions(binary, source):
    def package(name):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    digest = hashlib.sha256(binary.read_bytes()).hexdigest()[:16]
    built = datetime.datetime.fromtimestamp(source.stat().st_mtime)
    return {
        "server": first_line([str(binary), "--version"]),
        "server_binary": f"{source} (sha256 {digest}, built {built:%Y-%m-%d %H:%M})",
        "git": first_line(["git", "-C", str(ROOT), "describe", "--always", "--dirty"]) + " " +
               first_line(["git", "-C", str(ROOT), "rev-parse", "HEAD"]),
        "g++": first_line(["g++", "--version"]),
        "sqlite3 (server's lib)": sqlite_version(binary),
        "nginx": first_line(["nginx", "-v"]),
        "wrk": first_line(["wrk", "-v"]).split(" Copyright")[0],
        "moto": package("moto"),
        "boto3": package("boto3"),
        "botocore": package("botocore"),
        "python": platform.python_version(),
    }


# ---------------------------------------------------------------------------------------------
# Output files.

def write_outputs(out, meta, res, rows):
    json_path = out.parent / "results.json"
    raw = {**meta, "values": {k: {"samples": v, "median": res.value(k)}
                              for k, v in res.values.items()},
           "loads": {k: {"runs": v, "median": {f: res.load(k, f)
                                               for f in ("rps", "p50_ms", "p99_ms")}}
                     for k, v in res.loads.items()},
           "notes": res.notes, "table": rows, "errors": res.errors}
    json_path.write_text(json.dumps(raw, indent=2) + "\n")
    out.write_text(markdown(meta, res, rows))
    progress(f"wrote {out} and {json_path}")


def markdown(meta, res, rows):
    m, s = meta["machine"], meta["settings"]
    notes = res.notes
    lines = [
        "# rekognition-mock benchmark results",
        "",
        f"Run {meta['date']} with `{meta['command']}`: {s['repeats']} repeat(s), {s['seconds']} s "
        f"per load run, medians shown; the whole run took {meta['elapsed_s']:.0f} s. "
        + ("**Errors: see the end.**" if res.errors else "No errors."),
        "",
        f"**Machine**: {m['cpu']} × {m['nproc']} (nproc), kernel {m['kernel']}, "
        f"{m['ram_gb']} GB RAM; load average (1, 5, 15 min) at start "
        f"{' '.join(m['loadavg_start'])}, after the API suite {' '.join(m['loadavg_api_end'])}, "
        f"at end {' '.join(m['loadavg_end'])}.",
        "",
        *noisy_warning(m),
        "**Versions**:",
        "",
        *[f"- {k}: {v}" for k, v in meta["versions"].items()],
        "",
        "| figure | ours | moto | nginx | ratio | target | met? |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [f"| {r['figure']} | {r['ours']} | {r['moto']} | {r['nginx']} | {r['ratio']} | "
              f"{r['target']} | {r['met']} |" for r in rows]
    seed = res.value("moto.seed_jobs_per_s")
    minutes_100k = MEDIUM / seed / 60 if seed else None
    hours_1m = LARGE / seed / 3600 if seed else None
    lines += [
        "",
        "How to read it (details in bench/README.md):",
        "",
        f"- Load runs are wrk over loopback, keep-alive, `-c1 -t1` and `-c16 -t2`. Ratios are "
        f"ours / peer: above 1 is better for req/s, below 1 is better for latency and memory.",
        f"- nginx serves the identical bytes of our first page at each store size "
        f"({num(notes.get('first_page_bytes'))} bytes at {SMALL:,} jobs) as a static file, "
        f"measured right after ours in every repeat, so each ratio compares the same minutes. "
        f"moto's "
        f"ListTrainingJobs page of {PAGE} jobs is {num(notes.get('moto_page_bytes'))} bytes; "
        f"moto closes the connection after every response.",
        f"- moto is measured at {SMALL:,} jobs only: it is seeded through its API at "
        f"{num(seed)} jobs/s here, so {MEDIUM:,} jobs would take "
        f"{num(minutes_100k, 1)} min and {LARGE:,} {num(hours_1m, 1)} h (and several GB at its "
        f"per-job RSS); not feasible in one run.",
        f"- Deep page: the last of {num(notes.get('pages_walked_1m'))} pages, reached by walking "
        f"NextToken from the first with MaxResults {PAGE}; compared with the first page of the "
        f"same store.",
        f"- Fixture loading = {LARGE:,} / (time to first 200 with the {LARGE:,}-job fixture file "
        f"− idle cold start), from {len(res.values.get('ours.time_to_200_1m_s', []))} load(s) "
        f"(loads repeat only while they took under {LOAD_REPEAT_BUDGET_S} s in total). RSS "
        f"with N jobs is measured at the first 200; per job = (RSS_N − RSS_idle) / N.",
        f"- boto3 floor: the same {WALK_JOBS // PAGE} calls with the saved response bytes "
        f"returned from a `before-send` handler (serialize, sign and parse included; no network, "
        f"no server).",
    ]
    lines += ["", "## Bulk analysis (bench/bulk_analysis.py)", "",
              "A job's work on the folder store (`--s3-dir`), from the Get that finds it due to "
              "that Get's answer; see bench/README.md.", "",
              bulk_analysis.markdown_table(meta["bulk_rows"])]
    if res.errors:
        lines += ["", "## Errors", ""] + [f"- {e}" for e in res.errors]
    return "\n".join(lines) + "\n"


def noisy_warning(m):
    """A warning when other work had the machine as the run began (later loads include the
    benchmark's own): every figure is then skewed, peers' too."""
    load = float(m["loadavg_start"][0])
    if load <= NOISY_LOAD * m["nproc"]:
        return []
    return [f"**Noisy run**: the 1-minute load average was {load:.2f} on {m['nproc']} cores "
            f"when it began (quiet is ≤ {NOISY_LOAD * m['nproc']:.2f}); compare its absolute "
            f"figures only with runs as loaded, its ratios with care.", ""]


# ---------------------------------------------------------------------------------------------

def server_binary(path):
    if path.exists():
        return path
    if path != DEFAULT_BINARY:
        raise SystemExit(f"run.py: no server binary at {path}")
    progress("building the release binary")
    subprocess.run(["cmake", "--preset", "release"], cwd=ROOT, check=True)
    subprocess.run(["cmake", "--build", "--preset", "release", "-j2"], cwd=ROOT, check=True)
    return path


def check_tools():
    missing = [tool for tool in ("wrk", "nginx") if not shutil.which(tool)]
    if missing:
        raise SystemExit(f"run.py: missing {', '.join(missing)} (apt-get install wrk nginx-light)")
    moto_server()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=Path, default=DEFAULT_BINARY,
                        help="server binary (default: the release build; built if missing)")
    parser.add_argument("--quick", action="store_true",
                        help="1 repeat of 2 s per load run instead of 3 of 5 s")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md",
                        help="results table; results.json is written next to it")
    args = parser.parse_args()
    check_tools()
    source = server_binary(args.binary.resolve())
    seconds, repeats = (2, 1) if args.quick else (5, 3)

    scratch = Path(tempfile.mkdtemp(prefix="rekognition-mock-bench-"))
    try:
        # The binary may be rebuilt while we run: measure a private copy.
        binary = scratch / "rekognition-mock"
        shutil.copy2(source, binary)
        meta = {"date": datetime.datetime.now(datetime.timezone.utc)
                .strftime("%Y-%m-%d %H:%M UTC"),
                "command": " ".join(["python3 bench/run.py", *sys.argv[1:]]),
                "machine": machine(), "versions": versions(binary, source),
                "settings": {"seconds": seconds, "repeats": repeats,
                             "connections": list(CONNECTIONS), "page": PAGE}}
        bench = Bench(binary, scratch, seconds, repeats)
        for section in SECTIONS:
            try:
                section(bench)
            except Exception as error:  # recorded, and the other figures are still measured
                traceback.print_exc()
                bench.results.errors.append(f"{section.__name__}: {error}")
        meta["machine"]["loadavg_api_end"] = Path("/proc/loadavg").read_text().split()[:3]
        progress("bulk analysis (bench/bulk_analysis.py)")
        try:
            bulk = bulk_analysis.measure(binary, lines=20_000 if args.quick else 100_000)
        except (Exception, SystemExit) as error:  # the API figures are still written
            traceback.print_exc()
            bench.results.errors.append(f"bulk analysis: {error}")
            bulk = []
        meta["bulk_rows"] = bulk
        meta["machine"]["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
        meta["elapsed_s"] = time.monotonic() - STARTED
        rows = table_rows(bench.results)
        write_outputs(args.out.resolve(), meta, bench.results, rows)
    finally:
        stop_all()
        shutil.rmtree(scratch, ignore_errors=True)
    for row in rows:
        print(f"{row['figure']}: {row['ours']} | moto {row['moto'] or '-'} | "
              f"nginx {row['nginx'] or '-'} | {row['ratio']} | {row['target']} {row['met']}")
    print(bulk_analysis.markdown_table(meta["bulk_rows"]))
    if bench.results.errors:
        print("errors:\n  " + "\n  ".join(bench.results.errors), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
