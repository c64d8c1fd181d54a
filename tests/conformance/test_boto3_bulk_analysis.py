"""A bulk analysis pipeline written against AWS, run unchanged against the mock: upload images and
a manifest, StartMediaAnalysisJob with boto3, poll GetMediaAnalysisJob, read the results file and
the manifest summary from where Results and ManifestSummary say they are, and check every field.

The flows are written once (`BulkAnalysisFlows`) and run on each object store the mock supports:
the folder backend (--s3-dir) here; the S3 backend against a real S3 server in
test_boto3_bulk_analysis_s3.py."""

import json
import os
import signal
import sqlite3
import tempfile
import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from bulk_lab import FolderLab, image_bytes, manifest
from mock_server import MockServer, ServerTestCase, control, control_ok

# Generous bound for a job's outputs to appear on their own (2 loaded CI cores).
WAIT_LIMIT = 20.0
GOOD = ("ok-120x90.png", "ok-100x100.jpg", "progressive-160x120.jpg")


def rekognition(endpoint, read_timeout=60):
    return boto3.session.Session().client(
        "rekognition", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="secret",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"},
                      read_timeout=read_timeout))


def results_line(source_ref, project_version=None):
    response = {"ModerationLabels": [], "ModerationModelVersion": "7.0"}
    if project_version is not None:
        response["ProjectVersion"] = project_version
    response["ContentTypes"] = []
    return {"source-ref": source_ref, "detect-moderation-labels": response}


class BulkAnalysisFlows:
    """The flows; a subclass provides make_lab() returning a lab (tests/support/bulk_lab.py)."""

    def make_lab(self):
        raise NotImplementedError

    def setUp(self):
        super().setUp()
        self.lab = self.make_lab()
        self.lab.make_bucket("media-in")
        self.lab.make_bucket("media-out")

    def start_mock(self, *args):
        server = self.start_server("--log-level", "warn", *self.lab.server_args(), *args)
        return server, rekognition(server.endpoint)

    def start_job(self, client, name="batch/manifest.jsonl", prefix="results", **extra):
        kwargs = {
            "JobName": "bulk",
            "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
            "Input": {"S3Object": {"Bucket": "media-in", "Name": name}},
            "OutputConfig": {"S3Bucket": "media-out", "S3KeyPrefix": prefix},
        }
        kwargs.update(extra)
        return client.start_media_analysis_job(**kwargs)["JobId"]

    def wait_terminal(self, client, job_id):
        deadline = time.monotonic() + WAIT_LIMIT
        while time.monotonic() < deadline:
            job = client.get_media_analysis_job(JobId=job_id)
            if job["Status"] in ("SUCCEEDED", "FAILED"):
                return job
            time.sleep(0.05)
        raise AssertionError(f"job {job_id} did not finish in {WAIT_LIMIT} s")

    def wait_for_object(self, bucket, key):
        deadline = time.monotonic() + WAIT_LIMIT
        while time.monotonic() < deadline:
            if self.lab.exists(bucket, key):
                return
            time.sleep(0.02)
        raise AssertionError(f"s3://{bucket}/{key} was not written in {WAIT_LIMIT} s")

    def download_outputs(self, job):
        results = job["Results"]["S3Object"]
        summary = job["ManifestSummary"]["S3Object"]
        lines = self.lab.get(results["Bucket"], results["Name"], results.get("Version"))
        summary_text = self.lab.get(summary["Bucket"], summary["Name"], summary.get("Version"))
        return [json.loads(line) for line in lines.decode().splitlines()], json.loads(summary_text)

    def put_images(self):
        for name in GOOD + ("small-40x40.png",):
            self.lab.put("media-in", "images/" + name, image_bytes(name))
        self.lab.put("media-in", "images/not-an-image.jpg", b"plain text, named .jpg")

    # ---------------------------------------------------------------------------------------

    def test_pipeline_reads_the_manifest_and_writes_results_and_summary(self):
        self.put_images()
        self.lab.put("media-in", "batch/manifest.jsonl", manifest(
            ("media-in", "images/ok-120x90.png"),
            ("media-in", "images/small-40x40.png"),
            ("media-in", "images/ok-100x100.jpg"),
            ("media-in", "images/not-an-image.jpg"),
            ("media-in", "images/missing.png"),
            "{not json",
            '{"image": "s3://media-in/images/ok-120x90.png"}',
            ("media-in", "images/progressive-160x120.jpg"),
            "",
            ("media-in", "images/ok-120x90.png"),
        ))
        _, client = self.start_mock()
        job_id = self.start_job(client)
        job = self.wait_terminal(client, job_id)
        self.assertEqual(job["Status"], "SUCCEEDED", job.get("FailureDetails"))
        self.assertEqual(job["Results"]["S3Object"]["Bucket"], "media-out")
        self.assertEqual(job["Results"]["S3Object"]["Name"], f"results/{job_id}-results.jsonl")
        self.assertEqual(job["Results"]["ModelVersions"], {"Moderation": "7.0"})
        self.assertEqual(job["ManifestSummary"]["S3Object"]["Name"],
                         f"results/{job_id}-manifest-summary.json")
        for output in (job["Results"]["S3Object"], job["ManifestSummary"]["S3Object"]):
            # A versioned bucket's version of each output, as the store reports it; none else.
            self.assertEqual(output.get("Version"),
                             self.lab.identity(output["Bucket"], output["Name"])[0]
                             if self.lab.versioned else None)

        lines, summary = self.download_outputs(job)
        self.assertEqual(lines, [results_line(f"s3://media-in/images/{name}") for name in (
            "ok-120x90.png", "ok-100x100.jpg", "progressive-160x120.jpg", "ok-120x90.png")])
        self.assertEqual(summary["version"], "1.0")
        self.assertEqual(summary["statistics"], {
            "total-json-lines": 10, "valid-json-lines": 4, "invalid-json-lines": 6})
        self.assertEqual(
            [(e["line-numer"], e.get("source-ref"), e["code"]) for e in summary["errors"]], [
                (2, "s3://media-in/images/small-40x40.png", "ERROR_INVALID_IMAGE_DIMENSION"),
                (4, "s3://media-in/images/not-an-image.jpg", "ERROR_UNSUPPORTED_IMAGE_FORMAT"),
                (5, "s3://media-in/images/missing.png", "ERROR_NO_SUCH_KEY"),
                (6, None, "ERROR_INVALID_JSON_LINE"),
                (7, None, "ERROR_MISSING_SOURCE_REF"),
                (9, None, "ERROR_INVALID_JSON_LINE"),
            ])
        for error in summary["errors"]:
            self.assertEqual(list(error), ["line-numer"] + (["source-ref"] if "source-ref" in error
                                                            else []) + ["code", "message"])
            self.assertTrue(error["message"])
        # List shows the same finished job.
        listed = client.list_media_analysis_jobs()["MediaAnalysisJobs"]
        self.assertEqual([j for j in listed if j["JobId"] == job_id][0]["Results"], job["Results"])

    def test_outputs_for_an_adapter_carry_its_project_version_and_no_prefix_is_the_top(self):
        self.put_images()
        self.lab.put("media-in", "m.jsonl", manifest(("media-in", "images/ok-120x90.png")))
        _, client = self.start_mock()
        arn = ("arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1700000000000")
        job_id = client.start_media_analysis_job(
            OperationsConfig={"DetectModerationLabels": {"ProjectVersion": arn}},
            Input={"S3Object": {"Bucket": "media-in", "Name": "m.jsonl"}},
            OutputConfig={"S3Bucket": "media-out"})["JobId"]
        job = self.wait_terminal(client, job_id)
        self.assertEqual(job["Results"]["S3Object"]["Name"], f"{job_id}-results.jsonl")
        lines, _ = self.download_outputs(job)
        self.assertEqual(lines, [results_line("s3://media-in/images/ok-120x90.png", arn)])

    def test_start_refuses_a_manifest_it_cannot_read_or_that_is_empty_or_too_large(self):
        self.lab.put("media-in", "empty.jsonl", b"")
        self.lab.put("media-in", "big.jsonl", b"x" * 101)
        self.lab.put("media-in", "fits.jsonl", manifest(("media-in", "a.png")) [:100])
        _, client = self.start_mock("--max-manifest-bytes", "100")
        cases = [("absent.jsonl", "media-in", "InvalidS3ObjectException"),
                 ("m.jsonl", "no-such-bucket", "InvalidS3ObjectException"),
                 ("empty.jsonl", "media-in", "InvalidManifestException"),
                 ("big.jsonl", "media-in", "InvalidManifestException")]
        for name, bucket, error in cases:
            with self.subTest(name=name, bucket=bucket):
                with self.assertRaises(ClientError) as caught:
                    client.start_media_analysis_job(
                        OperationsConfig={"DetectModerationLabels": {}},
                        Input={"S3Object": {"Bucket": bucket, "Name": name}},
                        OutputConfig={"S3Bucket": "media-out"})
                self.assertEqual(caught.exception.response["Error"]["Code"], error)
                self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"],
                                 400)
        # Refused starts store nothing.
        self.assertEqual(client.list_media_analysis_jobs()["MediaAnalysisJobs"], [])
        self.start_job(client, name="fits.jsonl")

    def test_no_valid_line_fails_invalid_manifest_and_a_missing_output_bucket_invalid_output(self):
        self.put_images()
        self.lab.put("media-in", "bad.jsonl", manifest("nope", ("media-in", "images/missing.png")))
        self.lab.put("media-in", "good.jsonl", manifest(("media-in", "images/ok-100x100.jpg")))
        _, client = self.start_mock()
        job = self.wait_terminal(client, self.start_job(client, name="bad.jsonl"))
        self.assertEqual(job["Status"], "FAILED")
        self.assertEqual(job["FailureDetails"]["Code"], "INVALID_MANIFEST")
        self.assertIn("line 1: ERROR_INVALID_JSON_LINE", job["FailureDetails"]["Message"])
        self.assertNotIn("Results", job)

        job_id = client.start_media_analysis_job(
            OperationsConfig={"DetectModerationLabels": {}},
            Input={"S3Object": {"Bucket": "media-in", "Name": "good.jsonl"}},
            OutputConfig={"S3Bucket": "no-such-output-bucket"})["JobId"]
        job = self.wait_terminal(client, job_id)
        self.assertEqual(job["Status"], "FAILED")
        self.assertEqual(job["FailureDetails"]["Code"], "INVALID_OUTPUT_CONFIG")
        self.assertIn("no-such-output-bucket", job["FailureDetails"]["Message"])

    def test_usage_counts_the_images_processed_the_lines_refused_and_the_calls(self):
        self.put_images()
        self.lab.put("media-in", "batch/manifest.jsonl", manifest(
            ("media-in", "images/ok-120x90.png"), ("media-in", "images/ok-100x100.jpg"),
            ("media-in", "images/missing.png")))
        self.lab.put("media-in", "bad.jsonl", manifest("nope"))
        server, client = self.start_mock()
        good = self.start_job(client)
        self.assertEqual(self.wait_terminal(client, good)["Status"], "SUCCEEDED")
        bad = self.start_job(client, name="bad.jsonl")
        self.assertEqual(self.wait_terminal(client, bad)["Status"], "FAILED")
        with self.assertRaises(ClientError):
            client.get_media_analysis_job(JobId="no-such-job")
        usage = control_ok(server, "GET", "/_mock/usage")
        # AWS bills the images of the job whose outputs were written: 2, not the missing one.
        self.assertEqual(usage["ImagesProcessed"], 2)
        self.assertEqual(usage["LinesRefused"], 2)
        self.assertEqual(usage["Jobs"], [
            {"JobId": good, "ImagesProcessed": 2, "LinesRefused": 1},
            {"JobId": bad, "ImagesProcessed": 0, "LinesRefused": 1}])
        calls = usage["ApiCalls"]
        self.assertEqual(calls["StartMediaAnalysisJob"], {"Calls": 2, "Errors": 0})
        self.assertEqual(calls["GetMediaAnalysisJob"]["Errors"], 1)
        gets = control_ok(server, "GET",
                          "/_mock/requests/count?Operation=GetMediaAnalysisJob")["Count"]
        self.assertEqual(calls["GetMediaAnalysisJob"]["Calls"], gets)
        self.assertNotIn("ListMediaAnalysisJobs", calls)
        # Another scope used nothing; a reset of the default scope clears its meter.
        other = control_ok(server, "GET", "/_mock/usage?AccountId=111122223333&Region=eu-west-1")
        self.assertEqual((other["ImagesProcessed"], other["ApiCalls"], other["Jobs"]), (0, {}, []))
        control_ok(server, "POST", "/_mock/reset",
                   {"AccountId": "000000000000", "Region": "us-east-1"})
        cleared = control_ok(server, "GET", "/_mock/usage")
        self.assertEqual((cleared["ImagesProcessed"], cleared["ApiCalls"], cleared["Jobs"]),
                         (0, {}, []))

    def test_a_bucket_named_by_a_dot_segment_is_a_line_error_on_every_backend(self):
        # s3://../media-in/k names bucket "..": sent raw, a server or proxy that normalises
        # paths would read s3://media-in/k instead.
        self.put_images()
        self.lab.put("media-in", "m.jsonl", manifest(("..", "media-in/images/ok-120x90.png"),
                                                     ("media-in", "images/ok-100x100.jpg")))
        _, client = self.start_mock()
        job = self.wait_terminal(client, self.start_job(client, name="m.jsonl"))
        self.assertEqual(job["Status"], "SUCCEEDED", job.get("FailureDetails"))
        lines, summary = self.download_outputs(job)
        self.assertEqual(lines, [results_line("s3://media-in/images/ok-100x100.jpg")])
        self.assertEqual([(e["line-numer"], e["code"]) for e in summary["errors"]],
                         [(1, "ERROR_IMAGE_UNREADABLE")])

    def test_a_fail_trigger_wins_over_every_other_outcome(self):
        _, client = self.start_mock()
        # No such manifest, yet Start accepts it: the trigger decides.
        job = self.wait_terminal(client, self.start_job(client, name="fail-throttled.jsonl"))
        self.assertEqual(job["Status"], "FAILED")
        self.assertEqual(job["FailureDetails"]["Code"], "THROTTLED")

    def test_lenient_checks_accept_images_that_do_not_exist(self):
        self.lab.put("media-in", "m.jsonl", manifest(("media-in", "only/in/the/manifest.jpg")))
        _, client = self.start_mock("--image-check", "lenient")
        job = self.wait_terminal(client, self.start_job(client, name="m.jsonl"))
        self.assertEqual(job["Status"], "SUCCEEDED")
        lines, summary = self.download_outputs(job)
        self.assertEqual(lines, [results_line("s3://media-in/only/in/the/manifest.jpg")])
        self.assertEqual(summary["errors"], [])

    def test_outputs_appear_at_completion_whether_or_not_anyone_polls(self):
        self.put_images()
        self.lab.put("media-in", "m.jsonl", manifest(("media-in", "images/ok-120x90.png")))
        server, client = self.start_mock("--job-duration", "3600")
        job_id = self.start_job(client, name="m.jsonl")
        key = f"results/{job_id}-results.jsonl"
        self.assertEqual(client.get_media_analysis_job(JobId=job_id)["Status"], "CREATED")
        self.assertFalse(self.lab.exists("media-out", key))
        # The lifecycle clock completes the job; nobody polls, the timer writes the outputs.
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 3601})
        self.wait_for_object("media-out", key)
        self.wait_for_object("media-out", f"results/{job_id}-manifest-summary.json")
        self.assertEqual(client.get_media_analysis_job(JobId=job_id)["Status"], "SUCCEEDED")

    def test_steering_a_job_to_succeeded_writes_its_outputs(self):
        self.put_images()
        self.lab.put("media-in", "m.jsonl", manifest(("media-in", "images/ok-120x90.png")))
        server, client = self.start_mock("--job-duration", "3600")
        job_id = self.start_job(client, name="m.jsonl")
        steered = control_ok(server, "POST", f"/_mock/jobs/{job_id}/status",
                             {"Status": "SUCCEEDED"})
        self.assertEqual(steered["Status"], "SUCCEEDED")
        self.assertTrue(self.lab.exists("media-out", f"results/{job_id}-results.jsonl"))
        # The control plane serves the outputs too, for tests without an S3 client.
        results = control(server, "GET", f"/_mock/jobs/{job_id}/results")
        self.assertEqual(results.status, 200, results)
        self.assertEqual(results.headers["Content-Type"], "application/jsonl")
        self.assertEqual([json.loads(l) for l in results.raw.splitlines()],
                         [results_line("s3://media-in/images/ok-120x90.png")])
        self.assertEqual(results.raw.encode(),
                         self.lab.get("media-out", f"results/{job_id}-results.jsonl"))
        summary = control(server, "GET", f"/_mock/jobs/{job_id}/manifest-summary")
        self.assertEqual(summary.raw.encode(),
                         self.lab.get("media-out", f"results/{job_id}-manifest-summary.json"))
        self.assertEqual(summary.json["statistics"]["valid-json-lines"], 1)

    def test_a_restart_before_completion_still_writes_the_outputs_once(self):
        self.put_images()
        self.lab.put("media-in", "m.jsonl", manifest(("media-in", "images/ok-120x90.png")))
        db = os.path.join(self.tmp, "store.sqlite")
        server, client = self.start_mock("--db", db, "--in-progress-duration", "1.5")
        job_id = self.start_job(client, name="m.jsonl")
        server.stop(signal.SIGKILL)
        key = f"results/{job_id}-results.jsonl"
        self.assertFalse(self.lab.exists("media-out", key))
        server, client = self.start_mock("--db", db)
        self.wait_for_object("media-out", key)
        self.wait_for_object("media-out", f"results/{job_id}-manifest-summary.json")
        written = self.lab.identity("media-out", key)
        if self.lab.versioned:
            self.assertEqual(len(written), 1, "the results were written more than once")
        self.assertEqual(self.wait_terminal(client, job_id)["Status"], "SUCCEEDED")
        server.stop()
        server, client = self.start_mock("--db", db)
        self.assertEqual(client.get_media_analysis_job(JobId=job_id)["Status"], "SUCCEEDED")
        self.assertEqual(self.lab.identity("media-out", key), written)

    def test_jobs_started_under_different_rules_each_apply_their_own_after_a_restart(self):
        self.put_images()
        self.lab.put("media-in", "m.jsonl", manifest(("media-in", "images/ok-120x90.png")))
        db = os.path.join(self.tmp, "store.sqlite")
        server, client = self.start_mock("--db", db, "--job-duration", "3600")
        image = "s3://media-in/images/ok-120x90.png"
        rules = {
            "weapons": {"ModerationRules": [{"SourceRef": image, "Labels": [
                {"Name": "Weapons", "Confidence": 91.5}]}]},
            "gambling": {"ModerationRules": [{"SourceRef": image, "Labels": [
                {"Name": "Gambling", "Confidence": 80}]}]},
        }
        started = {}
        for name in ("weapons", "gambling"):
            control_ok(server, "POST", "/_mock/moderation-rules", rules[name])
            started[name] = [self.start_job(client, name="m.jsonl") for _ in range(3)]
        control_ok(server, "DELETE", "/_mock/moderation-rules")
        started["none"] = [self.start_job(client, name="m.jsonl")]

        def rules_sets():
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                return conn.execute("SELECT count(*) FROM rules_sets").fetchone()[0]

        # Six jobs, two rules sets, each kept once.
        self.assertEqual(rules_sets(), 2)
        server.stop()
        server, client = self.start_mock("--db", db, "--job-duration", "3600")
        # Finished in the other order than started: each job applies its own rules all the same.
        for name in ("none", "gambling", "weapons"):
            for job_id in started[name]:
                control_ok(server, "POST", f"/_mock/jobs/{job_id}/status", {"Status": "SUCCEEDED"})
                lines, _ = self.download_outputs(client.get_media_analysis_job(JobId=job_id))
                labels = lines[0]["detect-moderation-labels"]["ModerationLabels"]
                with self.subTest(rules=name, job=job_id):
                    expected = {"weapons": "Weapons", "gambling": "Gambling"}.get(name)
                    self.assertEqual(labels[0]["Name"] if labels else None, expected)
        # No job needs a set any more.
        self.assertEqual(rules_sets(), 0)

    def test_health_names_the_object_store(self):
        server, _ = self.start_mock()
        health = control_ok(server, "GET", "/_mock/health")
        self.assertEqual(health["ObjectStore"]["Kind"], self.lab.kind)


class FolderBackendTest(BulkAnalysisFlows, ServerTestCase):
    def make_lab(self):
        return FolderLab(os.path.join(self.tmp, "s3"))

    def test_without_an_object_store_jobs_only_name_their_outputs(self):
        server = self.start_server("--log-level", "warn")
        client = rekognition(server.endpoint)
        job = self.wait_terminal(client, self.start_job(client, name="nothing/read.jsonl"))
        self.assertEqual(job["Status"], "SUCCEEDED")
        self.assertEqual(control_ok(server, "GET", "/_mock/health")["ObjectStore"],
                         {"Kind": "none"})
        resp = control(server, "GET", f"/_mock/jobs/{job['JobId']}/results")
        self.assertEqual(resp.status, 404)
        self.assertIn("no object store", resp.raw)


if __name__ == "__main__":
    unittest.main()
