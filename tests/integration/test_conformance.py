"""`rekognition-mock conformance` between two endpoints, as it runs against AWS, with no AWS:

- mock against mock, holding different jobs: no difference in the read-only scenario, and
  nothing changed on either side (no job started by its invalid Starts); no difference in the
  full scenario either, both mocks on folder stores holding the manifest and its images with a
  --job-duration of 1 s, their jobs followed to SUCCEEDED and their outputs written;
- mock against a small server written here that makes the mistakes other emulators of this API
  make (timestamps as RFC 3339 strings, jobs oldest first, no paging, an extra member, errors
  without `__type`): the table and the --json document name each one, and the exit status is 1;
- what stops a run: usage errors (exit 2), an endpoint that does not answer or refuses the
  credentials, no credentials (exit 1)."""

import http.server
import json
import os
import socket
import threading
import uuid

from bulk_lab import FolderLab, image_bytes, manifest
from mock_server import (ServerTestCase, control_ok, default_fixtures, isolate_aws_environment,
                         run_binary)

REGION = "us-east-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "AKIDCONFORMANCE", "AWS_SECRET_ACCESS_KEY": "secret-value",
               "AWS_REGION": REGION}


def setUpModule():
    isolate_aws_environment()


class SkewedRekognition(http.server.ThreadingHTTPServer):
    """An emulator of the API as others write them: RFC 3339 timestamps, oldest first, MaxResults
    and NextToken ignored, a JobArn the API does not have, errors without __type."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SkewedHandler)
        self.jobs = []
        for i in range(5):
            job_id = "%064x" % (i + 1)
            self.jobs.append({
                "JobId": job_id,
                "JobArn": f"arn:aws:rekognition:{REGION}:000000000000:media-analysis-job/{job_id}",
                "JobName": f"skewed-{i}",
                "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50.0}},
                "Status": "SUCCEEDED",
                "CreationTimestamp": f"2024-10-0{i + 1}T12:00:00.000Z",
                "CompletionTimestamp": f"2024-10-0{i + 1}T12:05:00.000Z",
                "Input": {"S3Object": {"Bucket": "media", "Name": "manifest.jsonl"}},
                "OutputConfig": {"S3Bucket": "results"},
            })
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.server_address[1]

    def stop(self):
        self.shutdown()
        self.server_close()


class SkewedHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        operation = self.headers.get("X-Amz-Target", "").split(".")[-1]
        jobs = self.server.jobs
        if operation == "ListMediaAnalysisJobs":
            self.answer(200, {"MediaAnalysisJobs": jobs})  # oldest first, every job, no token
        elif operation == "GetMediaAnalysisJob":
            found = [job for job in jobs if job["JobId"] == body.get("JobId")]
            if found:
                self.answer(200, found[0])
            else:
                self.answer(400, {"Message": "Job not found"})
        else:
            self.answer(400, {"Message": "Invalid request"})

    def answer(self, status, body):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


def differences(document, call):
    """The (what, reference, candidate) differences of the call named `call`."""
    for row in document["calls"]:
        if row["call"] == call:
            return {(d["what"], d["reference"], d["candidate"]) for d in row["differences"]}
    raise AssertionError(f"no call {call!r} in {[row['call'] for row in document['calls']]}")


class ConformanceTest(ServerTestCase):
    def conformance(self, *args, expect=0, env=None):
        proc = run_binary("conformance", *args, env={**CREDENTIALS, **(env or {})}, timeout=120)
        self.assertEqual(proc.returncode, expect,
                         f"stdout={proc.stdout[-4000:]}\nstderr={proc.stderr[-4000:]}")
        return proc

    def job_count(self, server):
        return len(control_ok(server, "GET", "/_mock/jobs")["MediaAnalysisJobs"])

    def test_mock_against_mock_read_only(self):
        reference = self.start_server("--fixtures", default_fixtures(), "--log-level", "warn")
        generated = run_binary("--generate-fixtures", "9", "--seed", "26")
        candidate = self.start_server("--log-level", "warn")
        control_ok(candidate, "POST", "/_mock/jobs", json.loads(generated.stdout))
        before = self.job_count(reference), self.job_count(candidate)

        proc = self.conformance("--reference", reference.endpoint,
                                "--candidate", candidate.endpoint)
        lines = proc.stdout.splitlines()
        self.assertEqual(lines[0], f"rekognition-mock conformance, read-only scenario, region "
                                   f"{REGION}")
        self.assertRegex(lines[-1], r"^(\d+) calls: \1 same, 0 different \(0 differences\), "
                                    r"0 not compared$")
        self.assertIn("ListMediaAnalysisJobs MaxResults 1, every page", proc.stdout)
        self.assertIn("StartMediaAnalysisJob without OutputConfig (required)", proc.stdout)
        self.assertIn("credentials from the environment", proc.stderr)
        self.assertNotIn("secret-value", proc.stdout + proc.stderr)
        # Read-only: every Start refused, no job made anywhere.
        self.assertEqual((self.job_count(reference), self.job_count(candidate)), before)

        document = json.loads(self.conformance("--reference", reference.endpoint,
                                                "--candidate", candidate.endpoint,
                                                "--json").stdout)
        self.assertEqual(document["summary"]["different"], 0)
        self.assertEqual(document["summary"]["calls"], len(document["calls"]))
        walk = next(row for row in document["calls"]
                    if row["call"] == "ListMediaAnalysisJobs MaxResults 1, every page")
        self.assertEqual(walk["reference"], "48 pages, 48 jobs")
        self.assertEqual(walk["candidate"], "9 pages, 9 jobs")
        starts = [row for row in document["calls"] if row["operation"] == "StartMediaAnalysisJob"]
        self.assertGreaterEqual(len(starts), 25)
        for row in starts:
            self.assertRegex(row["reference"], r"^400 (InvalidParameterException|"
                                               r"SerializationException)$", row["call"])
        self.assertNotIn("secret-value", json.dumps(document))

    def test_mock_against_mock_full(self):
        servers = []
        for name in ("reference", "candidate"):
            lab = FolderLab(os.path.join(self.tmp, name))
            lab.make_bucket("media")
            lab.make_bucket("results")
            lab.put("media", "images/a.jpg", image_bytes("ok-100x100.jpg"))
            lab.put("media", "images/b.png", image_bytes("ok-120x90.png"))
            lab.put("media", "manifests/conformance.jsonl",
                    manifest(("media", "images/a.jpg"), ("media", "images/b.png")))
            server = self.start_server("--fixtures", default_fixtures(), "--job-duration", "1",
                                       "--log-level", "warn", *lab.server_args())
            servers.append((server, lab))
        (reference, reference_lab), (candidate, candidate_lab) = servers

        document = json.loads(self.conformance(
            "--reference", reference.endpoint, "--candidate", candidate.endpoint,
            "--scenario", "full", "--manifest", "s3://media/manifests/conformance.jsonl",
            "--output-bucket", "results", "--json").stdout)
        self.assertEqual(document["scenario"], "full")
        self.assertEqual(document["summary"]["different"], 0, json.dumps(document, indent=1))
        self.assertEqual(document["summary"]["not compared"], 0)
        rows = {row["call"]: row for row in document["calls"]}
        started = rows["StartMediaAnalysisJob on the manifest"]
        self.assertEqual((started["reference"], started["candidate"]), ("200", "200"))
        self.assertEqual(started["request"]["Input"]["S3Object"],
                         {"Bucket": "media", "Name": "manifests/conformance.jsonl"})
        self.assertEqual(
            rows["StartMediaAnalysisJob on a manifest that does not exist"]["candidate"],
            "400 InvalidS3ObjectException")
        for name in ("StartMediaAnalysisJob on the manifest",
                     "StartMediaAnalysisJob with only the required members"):
            followed = rows[f"GetMediaAnalysisJob until it ends, of the job of: {name}"]
            self.assertRegex(followed["reference"], r"^200, statuses seen: .*SUCCEEDED$")
            self.assertRegex(followed["candidate"], r"^200, statuses seen: .*SUCCEEDED$")
        self.assertIn("ListMediaAnalysisJobs MaxResults 100, the started jobs", rows)
        # Two jobs each, their outputs written by each mock in its own store.
        for server, lab in servers:
            self.assertEqual(self.job_count(server), 50)
            written = [name for _, _, names in os.walk(os.path.join(lab.root, "results"))
                       for name in names if name.endswith("-results.jsonl")]
            self.assertEqual(len(written), 2)

    def test_each_mistake_of_a_skewed_emulator_is_named(self):
        reference = self.start_server("--fixtures", default_fixtures(), "--log-level", "warn")
        skewed = SkewedRekognition()
        self.addCleanup(skewed.stop)

        document = json.loads(self.conformance("--reference", reference.endpoint,
                                                "--candidate", skewed.endpoint, "--json",
                                                expect=1).stdout)
        whole = differences(document, "ListMediaAnalysisJobs MaxResults 100, every page")
        self.assertIn(("jobs.CreationTimestamp", "number", "string"), whole)  # RFC 3339 text
        self.assertIn(("jobs.CompletionTimestamp", "number", "string"), whole)
        self.assertIn(("newest first", "true", "false"), whole)  # another order
        self.assertIn(("jobs.JobArn", "absent", "string"), whole)  # an extra member
        self.assertIn(("last page", "1 to MaxResults jobs, no NextToken",
                       "more than MaxResults jobs, no NextToken"),
                      differences(document, "ListMediaAnalysisJobs MaxResults 1, every page"))
        self.assertIn(("HTTP status", "400 InvalidParameterException", "200"),
                      differences(document, "ListMediaAnalysisJobs MaxResults 0 (1 to 100)"))
        self.assertEqual({("body.__type", "ResourceNotFoundException", "absent"),
                          ("body.Code", "ResourceNotFoundException", "absent"),
                          ("body.Logref", "<logref>", "absent")},
                         differences(document, "GetMediaAnalysisJob of an unknown JobId"))
        self.assertIn(("body.__type", "InvalidParameterException", "absent"),
                      differences(document, "StartMediaAnalysisJob without Input (required)"))
        summary = document["summary"]
        self.assertGreater(summary["different"], 0)
        self.assertEqual(summary["calls"], summary["same"] + summary["different"]
                         + summary["not compared"])

        table = self.conformance("--reference", reference.endpoint,
                                 "--candidate", skewed.endpoint, expect=1).stdout
        for line in ("    - jobs.CreationTimestamp: reference number, candidate string",
                     "    - newest first: reference true, candidate false",
                     "    - jobs.JobArn: reference absent, candidate string",
                     "    - last page: reference 1 to MaxResults jobs, no NextToken, candidate "
                     "more than MaxResults jobs, no NextToken",
                     "    - body.__type: reference ResourceNotFoundException, candidate absent"):
            self.assertIn(line + "\n", table)
        self.assertRegex(table.splitlines()[-1],
                         rf"^\d+ calls: \d+ same, {summary['different']} different "
                         rf"\({summary['differences']} differences\), \d+ not compared$")

    def test_what_stops_a_run(self):
        usage = [("--candidate", "http://127.0.0.1:1"),
                 ("--reference", "http://127.0.0.1:1", "--candidate", "http://127.0.0.1:2",
                  "--scenario", "full"),
                 ("--reference", "http://127.0.0.1:1", "--candidate", "http://127.0.0.1:2",
                  "--manifest", "s3://media/m.jsonl", "--output-bucket", "results"),
                 ("--reference", "http://127.0.0.1:1", "--candidate", "http://127.0.0.1:2",
                  "--scenario", "full", "--manifest", "media/m.jsonl", "--output-bucket", "o"),
                 ("--reference", "ftp://x", "--candidate", "http://127.0.0.1:2"),
                 ("--reference", "http://127.0.0.1:1", "--candidate", "http://127.0.0.1:2",
                  "--scenario", "everything")]
        for args in usage:
            proc = self.conformance(*args, expect=2)
            self.assertIn("Run with --help", proc.stderr, args)
        self.assertEqual(run_binary("--port", "0", "conformance", "--reference",
                                    "http://127.0.0.1:1", "--candidate",
                                    "http://127.0.0.1:2").returncode, 2)

        server = self.start_server("--log-level", "warn")
        silent = "http://127.0.0.1:%d" % free_port()
        proc = self.conformance("--reference", server.endpoint, "--candidate", silent, expect=1)
        self.assertIn(f"error: the candidate {silent} did not answer", proc.stderr)
        self.assertEqual(proc.stdout, "")

        guarded = self.start_server("--log-level", "warn", "--auth", "sigv4",
                                    "--credential", "AKIDOTHER:other-secret")
        proc = self.conformance("--reference", server.endpoint, "--candidate", guarded.endpoint,
                                expect=1)
        self.assertIn(f"error: the candidate {guarded.endpoint} refused ListMediaAnalysisJobs: "
                      "HTTP 400 UnrecognizedClientException", proc.stderr)
        self.assertNotIn("secret-value", proc.stderr)

        proc = run_binary("conformance", "--reference", server.endpoint, "--candidate",
                          server.endpoint, env={"AWS_REGION": REGION})
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("rekognition-mock conformance: error:", proc.stderr)


def free_port():
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
