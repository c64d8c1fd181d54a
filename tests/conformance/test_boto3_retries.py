"""boto3/botocore retry logic against faults injected through the control plane: injected errors
must look exactly like AWS's on the wire, so botocore's default retry handler retries throttling
and server errors and then succeeds, surfaces them when retries are off, and leaves
AccessDeniedException alone. Seeded probability rules fire on the same calls on any server. A
throughput quota (--tps) throttles calls over its rate, and standard retries come through it."""

import os
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from mock_server import isolate_aws_environment
from mock_server import (TARGET, ServerTestCase, call, control_ok, default_fixtures,
                         scope_headers)

FIXTURE_COUNT = 48
DEFAULT_ACCOUNT = "000000000000"
NO_RETRY = {"total_max_attempts": 1}


def setUpModule():
    isolate_aws_environment()


def make_client(endpoint, retries=None, access_key="test"):
    """A client in its own session; `retries` None keeps botocore's default retry config."""
    session = boto3.session.Session()
    kwargs = {}
    if retries is not None:
        kwargs["config"] = Config(retries=retries)
    return session.client("rekognition", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id=access_key, aws_secret_access_key="secret", **kwargs)


def start_kwargs(name="manifests/retried.jsonl"):
    return {
        "JobName": "retried-job",
        "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
        "Input": {"S3Object": {"Bucket": "input-bucket", "Name": name}},
        "OutputConfig": {"S3Bucket": "output-bucket", "S3KeyPrefix": "retries/"},
    }


class RetriesCase(ServerTestCase):
    """What the tests below share: a mock on the fixtures, clients closed after each test."""

    def serve(self, *args):
        return self.start_server("--log-level", "warn", "--fixtures", default_fixtures(), *args)

    def setUp(self):
        super().setUp()
        self.clients = []
        self.addCleanup(lambda: [c.close() for c in self.clients])

    def client(self, server, retries=None, access_key="test"):
        client = make_client(server.endpoint, retries, access_key)
        self.clients.append(client)
        return client

    def add_fault(self, server, **rule):
        return control_ok(server, "POST", "/_mock/faults", rule, expect_status=201)

    def requests(self, server):
        return control_ok(server, "GET", "/_mock/requests")["Requests"]


class RetriesTest(RetriesCase):
    def test_default_retries_survive_three_throttles_on_list(self):
        server = self.serve()
        client = self.client(server)
        rule = self.add_fault(server, Operation="ListMediaAnalysisJobs",
                              Error="ThrottlingException", Count=3)
        page = client.list_media_analysis_jobs(MaxResults=5)
        self.assertEqual(page["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(page["ResponseMetadata"]["RetryAttempts"], 3)
        self.assertEqual(len(page["MediaAnalysisJobs"]), 5)
        self.assertIn("NextToken", page)
        records = self.requests(server)
        self.assertEqual([(r["Operation"], r["Status"], r.get("ErrorType")) for r in records],
                         [("ListMediaAnalysisJobs", 500, "ThrottlingException")] * 3
                         + [("ListMediaAnalysisJobs", 200, None)])
        self.assertEqual(records[-1]["RequestId"], page["ResponseMetadata"]["RequestId"])
        self.assertEqual(len({r["RequestId"] for r in records}), 4)
        # The rule is spent and gone.
        self.assertEqual(control_ok(server, "GET", "/_mock/faults"), {"Faults": []})
        self.assertEqual(rule["RemainingCount"], 3)

    def test_default_retries_start_one_job_through_provisioned_throughput_errors(self):
        server = self.serve()
        client = self.client(server)
        self.add_fault(server, Operation="StartMediaAnalysisJob",
                       Error="ProvisionedThroughputExceededException", Count=3)
        started = client.start_media_analysis_job(**start_kwargs())
        self.assertEqual(started["ResponseMetadata"]["RetryAttempts"], 3)
        job_id = started["JobId"]
        records = self.requests(server)
        self.assertEqual([(r["Operation"], r["Status"], r.get("ErrorType")) for r in records],
                         [("StartMediaAnalysisJob", 400, "ProvisionedThroughputExceededException")]
                         * 3 + [("StartMediaAnalysisJob", 200, None)])
        # Exactly one job was created, and it is the one returned.
        health = control_ok(server, "GET", "/_mock/health")
        self.assertEqual(health["Scopes"], [{"AccountId": DEFAULT_ACCOUNT, "Region": "us-east-1",
                                             "Jobs": FIXTURE_COUNT + 1}])
        jobs = control_ok(server, "GET", "/_mock/jobs")["MediaAnalysisJobs"]
        self.assertEqual([j["JobId"] for j in jobs if j.get("JobName") == "retried-job"], [job_id])
        self.assertEqual(client.get_media_analysis_job(JobId=job_id)["JobId"], job_id)

    def test_retries_reuse_the_automatic_client_request_token(self):
        # Every attempt of one call carries the same auto-filled ClientRequestToken: when a fault
        # strikes after the first attempt was served, the retry gets the same job back.
        server = self.serve()
        client = self.client(server)
        bodies = []
        client.meta.events.register(
            "before-send.rekognition.StartMediaAnalysisJob",
            lambda request, **_: bodies.append(request.body))
        self.add_fault(server, Operation="StartMediaAnalysisJob", Error="ThrottlingException",
                       Count=2)
        started = client.start_media_analysis_job(**start_kwargs("manifests/token.jsonl"))
        self.assertEqual(len(bodies), 3)
        self.assertEqual(len(set(bodies)), 1, "the retried requests differ")
        self.assertIn(b"ClientRequestToken", bodies[0])
        # Replaying the exact request the SDK sent (same token) answers the same JobId.
        resp = call(server.host, server.port, raw_body=bodies[0],
                    target="RekognitionService.StartMediaAnalysisJob",
                    headers=scope_headers())
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.json["JobId"], started["JobId"])

    def test_without_retries_the_injected_error_surfaces(self):
        server = self.serve()
        client = self.client(server, retries=NO_RETRY)
        cases = [
            ("ListMediaAnalysisJobs", lambda: client.list_media_analysis_jobs(),
             "ThrottlingException", 500),
            ("ListMediaAnalysisJobs", lambda: client.list_media_analysis_jobs(),
             "InternalServerError", 500),
            ("StartMediaAnalysisJob", lambda: client.start_media_analysis_job(**start_kwargs()),
             "ProvisionedThroughputExceededException", 400),
            ("GetMediaAnalysisJob", lambda: client.get_media_analysis_job(JobId="0" * 64),
             "AccessDeniedException", 400),
            ("GetMediaAnalysisJob", lambda: client.get_media_analysis_job(JobId="0" * 64),
             "ThrottlingException", 500),
        ]
        for operation, invoke, error, status in cases:
            with self.subTest(operation=operation, error=error):
                self.add_fault(server, Operation=operation, Error=error, Count=1)
                with self.assertRaises(ClientError) as caught:
                    invoke()
                err = caught.exception.response
                self.assertEqual(err["Error"]["Code"], error)
                self.assertTrue(err["Error"]["Message"])
                self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status)
                self.assertEqual(err["ResponseMetadata"]["RetryAttempts"], 0)
                self.assertEqual(err["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"], error)
                last = self.requests(server)[-1]
                self.assertEqual((last["Operation"], last["Status"], last["ErrorType"],
                                  last["RequestId"]),
                                 (operation, status, error, err["ResponseMetadata"]["RequestId"]))
                # The modeled exception class is raised where the model has one.
                modeled = getattr(client.exceptions, error, None)
                if modeled is not None:
                    self.assertIsInstance(caught.exception, modeled)
        self.assertEqual(len(self.requests(server)), len(cases))
        self.assertEqual(control_ok(server, "GET", "/_mock/health")["Scopes"][0]["Jobs"],
                         FIXTURE_COUNT)

    def test_access_denied_is_not_retried_by_default(self):
        server = self.serve()
        client = self.client(server)
        self.add_fault(server, Operation="ListMediaAnalysisJobs", Error="AccessDeniedException",
                       Count=3)
        with self.assertRaises(client.exceptions.AccessDeniedException) as caught:
            client.list_media_analysis_jobs()
        meta = caught.exception.response["ResponseMetadata"]
        self.assertEqual(meta["RetryAttempts"], 0)
        self.assertEqual(meta["HTTPStatusCode"], 400)
        self.assertEqual([(r["Status"], r["ErrorType"]) for r in self.requests(server)],
                         [(400, "AccessDeniedException")])
        faults = control_ok(server, "GET", "/_mock/faults")["Faults"]
        self.assertEqual([(f["RemainingCount"], f["Fired"]) for f in faults], [(2, 1)])

    def test_default_retries_survive_an_injected_internal_server_error(self):
        server = self.serve()
        client = self.client(server)
        self.add_fault(server, Operation="GetMediaAnalysisJob", Error="InternalServerError",
                       Count=1)
        job_id = control_ok(server, "GET", "/_mock/jobs")["MediaAnalysisJobs"][0]["JobId"]
        job = client.get_media_analysis_job(JobId=job_id)
        self.assertEqual(job["JobId"], job_id)
        self.assertEqual(job["ResponseMetadata"]["RetryAttempts"], 1)
        self.assertEqual([r["Status"] for r in self.requests(server)], [500, 200])

    def test_seeded_probability_rule_fires_on_the_same_calls_on_two_fresh_servers(self):
        rule = {"Operation": "*", "Error": "ThrottlingException", "Probability": 0.4, "Seed": 2024}
        patterns = []
        for _ in range(2):
            server = self.serve()
            client = self.client(server, retries=NO_RETRY)
            self.add_fault(server, **rule)
            pattern = []
            for i in range(30):
                try:
                    if i % 2:
                        client.list_media_analysis_jobs(MaxResults=1)
                    else:
                        client.get_media_analysis_job(JobId="0" * 64)
                    pattern.append("ok")
                except ClientError as e:
                    pattern.append(e.response["Error"]["Code"])
            fired = pattern.count("ThrottlingException")
            self.assertTrue(0 < fired < len(pattern), f"degenerate pattern {pattern}")
            self.assertEqual(set(pattern) - {"ok", "ThrottlingException",
                                             "ResourceNotFoundException"}, set(), pattern)
            faults = control_ok(server, "GET", "/_mock/faults")["Faults"]
            self.assertEqual(faults[0]["Fired"], fired)
            self.assertEqual([r.get("ErrorType") == "ThrottlingException"
                              for r in self.requests(server)],
                             [p == "ThrottlingException" for p in pattern])
            patterns.append(pattern)
            server.stop()
        self.assertEqual(patterns[0], patterns[1])

        # A different seed fires on different calls (checked once, deterministic per seed).
        server = self.serve()
        client = self.client(server, retries=NO_RETRY)
        self.add_fault(server, **dict(rule, Seed=7))
        other = []
        for i in range(30):
            try:
                if i % 2:
                    client.list_media_analysis_jobs(MaxResults=1)
                else:
                    client.get_media_analysis_job(JobId="0" * 64)
                other.append("ok")
            except ClientError as e:
                other.append(e.response["Error"]["Code"])
        self.assertNotEqual([p == "ThrottlingException" for p in other],
                            [p == "ThrottlingException" for p in patterns[0]])



class QuotaTest(RetriesCase):
    def test_standard_retries_start_every_job_once_through_a_two_per_second_quota(self):
        server = self.serve("--tps", "StartMediaAnalysisJob=2")
        client = self.client(server, retries={"mode": "standard", "total_max_attempts": 10})
        started = [client.start_media_analysis_job(**dict(start_kwargs(), JobName=f"quota-{i}"))
                   for i in range(6)]
        job_ids = [s["JobId"] for s in started]
        self.assertEqual(len(set(job_ids)), 6)
        self.assertGreater(sum(s["ResponseMetadata"]["RetryAttempts"] for s in started), 0)
        jobs = control_ok(server, "GET", "/_mock/jobs")["MediaAnalysisJobs"]
        by_name = sorted((j["JobName"], j["JobId"]) for j in jobs
                         if j.get("JobName", "").startswith("quota-"))
        self.assertEqual(by_name, sorted((f"quota-{i}", job_ids[i]) for i in range(6)))
        records = self.requests(server)
        throttled = [r for r in records if r.get("ErrorType")]
        self.assertTrue(throttled)
        self.assertEqual({(r["Status"], r["ErrorType"]) for r in throttled},
                         {(400, "ProvisionedThroughputExceededException")})
        self.assertEqual(sum(r["Status"] == 200 for r in records), 6)
        quota = control_ok(server, "GET", "/_mock/quotas")["Quotas"]
        self.assertEqual(quota, [{"Operation": "StartMediaAnalysisJob", "RatePerSecond": 2.0,
                                  "Burst": 2.0, "Throttled": len(throttled)}])
        # Other operations are not limited.
        for _ in range(10):
            client.list_media_analysis_jobs(MaxResults=1)

    def test_a_call_over_the_quota_is_refused_before_it_is_validated(self):
        server = self.serve()
        control_ok(server, "POST", "/_mock/quotas",
                   {"Operation": "StartMediaAnalysisJob", "RatePerSecond": 0.001, "Burst": 1})
        client = self.client(server, retries=NO_RETRY)
        client.start_media_analysis_job(**start_kwargs())
        with self.assertRaises(ClientError) as caught:
            client.start_media_analysis_job(JobName="bad name!", **{
                k: v for k, v in start_kwargs().items() if k != "JobName"})
        self.assertEqual(caught.exception.response["Error"]["Code"],
                         "ProvisionedThroughputExceededException")
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        # Each account has its own bucket; a full reset restores the command line's (none).
        make_client(server.endpoint, NO_RETRY, access_key="111122223333").start_media_analysis_job(
            **start_kwargs())
        control_ok(server, "POST", "/_mock/reset")
        self.assertEqual(control_ok(server, "GET", "/_mock/quotas"), {"Quotas": []})
        client.start_media_analysis_job(**start_kwargs())


if __name__ == "__main__":
    unittest.main()
