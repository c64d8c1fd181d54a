#!/usr/bin/env python3
"""How promptly the mock answers while every call to its object store hangs (issue #22, goal:
ping, List, Get of other jobs and the control plane under 10 ms at any --threads).

For each --threads value: a mock on the default fixtures whose --s3-endpoint is an S3 server that
accepts connections and never answers (tests/support/silent_s3.py). Starts stuck on their
manifest check and Gets stuck on a job's image occupy every work thread and more; then each probe
request is sent sequentially on a fresh connection (a waiting client's connection is fresh too)
and its latency measured from connect to the last byte. Prints a Markdown table of p50 / p99 /
max per request and --threads; exits 1 if any probe failed.

    python3 bench/silent_object_store.py [--binary PATH] [--samples 300] [--threads 1 2 4]
"""

import argparse
import os
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "support"))

from mock_server import MockServer, call, default_fixtures, isolate_aws_environment  # noqa: E402
from silent_s3 import SilentS3  # noqa: E402

OTHER_ACCOUNT = {"Authorization": "AWS4-HMAC-SHA256 Credential=111111111111/20261201/us-east-1/"
                                  "rekognition/aws4_request, SignedHeaders=host, Signature=0"}
START = "RekognitionService.StartMediaAnalysisJob"
LIST = "RekognitionService.ListMediaAnalysisJobs"
GET = "RekognitionService.GetMediaAnalysisJob"
WORK_THREADS = 4


def start_body(manifest):
    return {"OperationsConfig": {"DetectModerationLabels": {}},
            "Input": {"S3Object": {"Bucket": "media-in", "Name": manifest}},
            "OutputConfig": {"S3Bucket": "media-out"}}


def detach(fn, *args, **kwargs):
    def run():
        try:
            fn(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a stuck request ends with the server
            pass
    threading.Thread(target=run, daemon=True).start()


def wait_for(predicate, what, timeout=30):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.01)


def control_get(server, path):
    conn = server.connection(timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def measure(threads, samples, binary):
    s3 = SilentS3(manifest_ok=True)
    env = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    if binary:
        env["REKOGNITION_MOCK_BIN"] = binary
    server = MockServer("--fixtures", default_fixtures(), "--threads", str(threads),
                        "--work-threads", str(WORK_THREADS), "--s3-endpoint", s3.endpoint,
                        "--job-duration", "0", "--log-level", "error", env=env).start()
    try:
        fixture = call(server.host, server.port, {}, target=LIST).json["MediaAnalysisJobs"][0]
        # Jobs whose image never comes: their work holds a work thread each, and Gets of them wait.
        stuck = []
        for _ in range(WORK_THREADS):
            started = call(server.host, server.port, start_body("m.jsonl"), target=START,
                           headers=OTHER_ACCOUNT)
            if started.status != 200:
                raise SystemExit(f"Start answered {started!r}")
            stuck.append(started.json["JobId"])
        for job_id in stuck:
            for _ in range(2):
                detach(call, server.host, server.port, {"JobId": job_id}, target=GET,
                       headers=OTHER_ACCOUNT, timeout=600)
        # Starts whose manifest never comes, queued behind the stuck work.
        for _ in range(2):
            detach(call, server.host, server.port, start_body("never.jsonl"), target=START,
                   headers=OTHER_ACCOUNT, timeout=600)
        wait_for(lambda: sum(p.endswith(".png") for _, p in s3.seen()) >= WORK_THREADS,
                 "every work thread to wait on an image")

        probes = {
            "GET /_mock/ping": lambda: control_get(server, "/_mock/ping"),
            "ListMediaAnalysisJobs": lambda: call(server.host, server.port, {"MaxResults": 10},
                                                  target=LIST).status,
            "GetMediaAnalysisJob (another job)": lambda: call(
                server.host, server.port, {"JobId": fixture["JobId"]}, target=GET).status,
            "GET /_mock/health": lambda: control_get(server, "/_mock/health"),
            "GET /_mock/requests": lambda: control_get(server, "/_mock/requests?Limit=10"),
        }
        rows = {}
        for name, probe in probes.items():
            latencies = []
            for _ in range(samples):
                began = time.perf_counter()
                status = probe()
                latencies.append((time.perf_counter() - began) * 1000)
                if status != 200:
                    raise SystemExit(f"{name} answered {status} while the object store hung")
            latencies.sort()
            rows[name] = (statistics.median(latencies),
                          latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
                          latencies[-1])
        return rows
    finally:
        server.stop(timeout=5)
        s3.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", help="the rekognition-mock to measure (default: "
                        "REKOGNITION_MOCK_BIN, else build/release/server/rekognition-mock)")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    root = os.path.dirname(HERE)
    os.environ.setdefault("REKOGNITION_MOCK_BIN",
                          os.path.join(root, "build", "release", "server", "rekognition-mock"))
    os.environ.setdefault("REKOGNITION_MOCK_FIXTURES_DIR", os.path.join(root, "fixtures"))
    isolate_aws_environment()
    print("| request | --threads | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    for threads in args.threads:
        for name, (p50, p99, worst) in measure(threads, args.samples, args.binary).items():
            print(f"| {name} | {threads} | {p50:.2f} | {p99:.2f} | {worst:.2f} |", flush=True)


if __name__ == "__main__":
    main()
