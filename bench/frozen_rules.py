#!/usr/bin/env python3
"""Measure what a scope's moderation rules cost the job store (issue #22, item 7b): every Start
freezes the rules in force, so a large rules set must not make each Start grow the store by its
size, nor make List read it. Stdlib only.

    python3 bench/frozen_rules.py [--binary PATH] [--rules-bytes N] [--jobs N]

Figures, on a file store (--db) and the folder backend (--s3-dir), for a server started with no
rules and one started with a rules file of --rules-bytes (1 MiB by default):
- store growth: the database's size (page_count x page_size, WAL included) after --jobs Starts
  (50) minus before, in MiB;
- List p50/p99: ListMediaAnalysisJobs {"MaxResults": 100} over 100 unfinished jobs (they last an
  hour), in ms, 100 calls on one keep-alive connection after 5 to warm up.
Prints a Markdown table; exits 1 if a figure could not be measured.
"""

import argparse
import http.client
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BINARY = ROOT / "build/release/server/rekognition-mock"
LISTENING = re.compile(r".*listening on (?:http://)?\[?(?P<host>[^\]\s]+?)\]?:(?P<port>\d+)")
LIST_JOBS = 100


def call(conn, operation, body):
    conn.request("POST", "/", body=json.dumps(body), headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"RekognitionService.{operation}"})
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        raise SystemExit(f"{operation} answered {response.status}: {data[:300]!r}")
    return json.loads(data)


def rules_document(size):
    """Rules for images no manifest names, padded to about `size` bytes of JSON."""
    rules = []
    length = 2
    index = 0
    while length < size:
        rule = {"SourceRef": f"s3://media-in/unused/{index:08d}-{'x' * 40}.png",
                "Labels": [{"Name": "Weapons", "Confidence": 90}]}
        length += len(json.dumps(rule)) + 2
        rules.append(rule)
        index += 1
    return {"ModerationRules": rules}


def store_bytes(db):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    return pages * page_size


def start_server(binary, *args):
    proc = subprocess.Popen([str(binary), "--port", "0", "--log-level", "warn", *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    match = LISTENING.match(line)
    if not match:
        proc.kill()
        raise SystemExit(f"the server printed {line!r}, not its address")
    return proc, match.group("host"), int(match.group("port"))


def measure(binary, workdir, rules_file, jobs):
    db = os.path.join(workdir, "store.db")
    args = ["--db", db, "--s3-dir", os.path.join(workdir, "s3"), "--job-duration", "3600",
            "--max-unfinished-jobs", "1000"]
    if rules_file:
        args += ["--moderation-rules", rules_file]
    proc, host, port = start_server(binary, *args)
    try:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        start = {"OperationsConfig": {"DetectModerationLabels": {}},
                 "Input": {"S3Object": {"Bucket": "media-in", "Name": "m.jsonl"}},
                 "OutputConfig": {"S3Bucket": "media-out"}}
        before = store_bytes(db)
        for _ in range(jobs):
            call(conn, "StartMediaAnalysisJob", start)
        growth = store_bytes(db) - before
        for _ in range(LIST_JOBS - jobs):
            call(conn, "StartMediaAnalysisJob", start)
        samples = []
        for i in range(105):
            began = time.perf_counter()
            page = call(conn, "ListMediaAnalysisJobs", {"MaxResults": LIST_JOBS})
            if i >= 5:
                samples.append((time.perf_counter() - began) * 1000)
        if len(page["MediaAnalysisJobs"]) != LIST_JOBS:
            raise SystemExit("List did not show every job")
        samples.sort()
        return growth / 2**20, statistics.median(samples), samples[int(len(samples) * 0.99) - 1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=DEFAULT_BINARY)
    parser.add_argument("--rules-bytes", type=int, default=2**20)
    parser.add_argument("--jobs", type=int, default=50)
    options = parser.parse_args()
    if not 0 < options.jobs <= LIST_JOBS:
        parser.error(f"--jobs must be 1 to {LIST_JOBS}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rules_file = os.path.join(tmp, "rules.json")
        with open(rules_file, "w", encoding="utf-8") as f:
            json.dump(rules_document(options.rules_bytes), f)
        for label, rules in (("no rules", None), (f"{os.path.getsize(rules_file)} B of rules",
                                                  rules_file)):
            workdir = tempfile.mkdtemp(dir=tmp)
            for bucket in ("media-in", "media-out"):
                os.makedirs(os.path.join(workdir, "s3", bucket))
            Path(workdir, "s3", "media-in", "m.jsonl").write_text(
                '{"source-ref": "s3://media-in/a.png"}\n')
            rows.append((label, *measure(options.binary, workdir, rules, options.jobs)))
    print(f"| server | store growth, {options.jobs} Starts (MiB) | List of {LIST_JOBS} "
          "unfinished jobs p50 (ms) | p99 (ms) |")
    print("|---|---|---|---|")
    for label, growth, p50, p99 in rows:
        print(f"| {label} | {growth:.2f} | {p50:.2f} | {p99:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
