"""boto3/botocore against the job lifecycle: StartMediaAnalysisJob, GetMediaAnalysisJob and
ListMediaAnalysisJobs together, with caller scopes (account from a 12-digit access key id, region
from the SigV4 credential scope), idempotency, failure triggers and the unfinished-job limit."""

import copy
import os
import re
import threading
import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from mock_server import isolate_aws_environment
from mock_server import (FAILURE_CODES, TERMINAL_STATUSES, MockServer, control_ok,
                         default_fixtures, failure_trigger, kill_leftovers, load_fixture_jobs)

NO_RETRY = {"total_max_attempts": 1, "mode": "standard"}
JOB_ID_RE = re.compile(r"^[0-9a-f]{64}$")
STATUS_ORDER = ["CREATED", "QUEUED", "IN_PROGRESS", "SUCCEEDED"]
FIXTURE_COUNT = 48
ACCOUNT_A = "111111111111"
ACCOUNT_B = "222222222222"
# Upper bound for any wait on a job whose schedule is at most ~1.2 s (generous: loaded CI).
WAIT_LIMIT = 20.0




def make_client(endpoint, access_key="test", region="us-east-1", validate=True):
    """A fresh client in its own session (sessions are not shared across threads)."""
    session = boto3.session.Session()
    return session.client(
        "rekognition", endpoint_url=endpoint, region_name=region,
        aws_access_key_id=access_key, aws_secret_access_key="secret",
        config=Config(retries=NO_RETRY, parameter_validation=validate))


def start_kwargs(name="manifests/input.jsonl", **extra):
    kwargs = {
        "JobName": "lifecycle-job",
        "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 75}},
        "Input": {"S3Object": {"Bucket": "input-bucket", "Name": name}},
        "OutputConfig": {"S3Bucket": "output-bucket", "S3KeyPrefix": "moderation/"},
    }
    kwargs.update(extra)
    return kwargs


def without_metadata(response):
    out = dict(response)
    out.pop("ResponseMetadata", None)
    return out


def list_all(client, max_results=None):
    jobs = []
    token = None
    for _ in range(500):
        kwargs = {}
        if max_results is not None:
            kwargs["MaxResults"] = max_results
        if token is not None:
            kwargs["NextToken"] = token
        page = client.list_media_analysis_jobs(**kwargs)
        jobs.extend(page["MediaAnalysisJobs"])
        token = page.get("NextToken")
        if token is None:
            return jobs
    raise AssertionError("ListMediaAnalysisJobs pagination did not terminate")


def wait_for_terminal(client, job_id, limit=WAIT_LIMIT, interval=0.03):
    """Poll GetMediaAnalysisJob; return (final description, statuses observed in order)."""
    statuses = []
    deadline = time.monotonic() + limit
    while True:
        job = without_metadata(client.get_media_analysis_job(JobId=job_id))
        statuses.append(job["Status"])
        if job["Status"] in TERMINAL_STATUSES:
            return job, statuses
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} not terminal after {limit} s; saw {statuses}")
        time.sleep(interval)


def run_moderation_batch(client, manifest_key, job_name):
    """Written like code meant for real AWS: start a job, wait for it to finish, then list.

    Returns (final job description, every job the account lists)."""
    job_id = client.start_media_analysis_job(
        JobName=job_name,
        OperationsConfig={"DetectModerationLabels": {"MinConfidence": 60}},
        Input={"S3Object": {"Bucket": "ugc-uploads", "Name": manifest_key}},
        OutputConfig={"S3Bucket": "ugc-moderation", "S3KeyPrefix": f"{job_name}/"},
    )["JobId"]
    delay = 0.05
    deadline = time.monotonic() + WAIT_LIMIT
    while True:
        job = client.get_media_analysis_job(JobId=job_id)
        if job["Status"] in ("SUCCEEDED", "FAILED"):
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"{job_id} still {job['Status']}")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.3)
    listed = []
    kwargs = {"MaxResults": 2}
    while True:
        page = client.list_media_analysis_jobs(**kwargs)
        listed.extend(page["MediaAnalysisJobs"])
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    return without_metadata(job), listed


class ServerCase(unittest.TestCase):
    """One server per class, started with `server_args`."""

    maxDiff = None
    server_args = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        isolate_aws_environment()
        cls.server = MockServer(*cls.server_args).start()

    @classmethod
    def tearDownClass(cls):
        try:
            for client in cls.__dict__.get("_clients", {}).values():
                client.close()
            cls.server.stop()
        finally:
            kill_leftovers()
            super().tearDownClass()

    def client(self, access_key="test", region="us-east-1", validate=True):
        """A client per (key, region, validation), reused within the class (clients are slow
        to build; only the main thread uses these)."""
        cache = self.__class__.__dict__.get("_clients")
        if cache is None:
            cache = {}
            setattr(self.__class__, "_clients", cache)
        key = (access_key, region, validate)
        if key not in cache:
            cache[key] = make_client(self.server.endpoint, access_key, region, validate)
        return cache[key]

    def assertClientError(self, ctx_exception, code, status=400, message_has=None):
        err = ctx_exception.response["Error"]
        self.assertEqual(err["Code"], code, ctx_exception.response)
        self.assertEqual(ctx_exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
        self.assertTrue(err.get("Message"), f"{code} without a Message")
        if message_has is not None:
            self.assertIn(message_has, err["Message"])


# --------------------------------------------------------------------------------------------

class LifecycleTest(ServerCase):
    """0.35 s per state: several states are observable by polling."""

    @classmethod
    def setUpClass(cls):
        cls.server_args = ("--fixtures", default_fixtures(), "--job-duration", "1.05")
        super().setUpClass()

    def test_start_poll_until_succeeded_then_list_shows_it_first(self):
        client = self.client()
        started = time.time()
        response = client.start_media_analysis_job(**start_kwargs())
        job_id = response["JobId"]
        self.assertRegex(job_id, JOB_ID_RE)
        self.assertEqual(set(without_metadata(response)), {"JobId"})

        final, statuses = wait_for_terminal(client, job_id)
        observed = [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s]
        for status in observed:
            self.assertIn(status, STATUS_ORDER, statuses)
        indexes = [STATUS_ORDER.index(s) for s in observed]
        self.assertEqual(indexes, sorted(indexes), f"status went backwards: {statuses}")
        self.assertEqual(observed[-1], "SUCCEEDED")
        self.assertGreaterEqual(len(observed), 3, f"too few states observed: {statuses}")
        self.assertEqual(observed[0], "CREATED", f"first Get after Start: {statuses}")

        self.assertEqual(final["JobId"], job_id)
        self.assertEqual(final["JobName"], "lifecycle-job")
        self.assertEqual(final["OperationsConfig"],
                         {"DetectModerationLabels": {"MinConfidence": 75.0}})
        self.assertEqual(final["Input"], {"S3Object": {"Bucket": "input-bucket",
                                                       "Name": "manifests/input.jsonl"}})
        self.assertEqual(final["OutputConfig"], {"S3Bucket": "output-bucket",
                                                 "S3KeyPrefix": "moderation/"})
        self.assertEqual(final["Results"], {
            "S3Object": {"Bucket": "output-bucket", "Name": f"moderation/{job_id}-results.jsonl"},
            "ModelVersions": {"Moderation": "7.0"}})
        self.assertEqual(final["ManifestSummary"], {
            "S3Object": {"Bucket": "output-bucket",
                         "Name": f"moderation/{job_id}-manifest-summary.json"}})
        self.assertNotIn("FailureDetails", final)
        created = final["CreationTimestamp"].timestamp()
        completed = final["CompletionTimestamp"].timestamp()
        self.assertLess(abs(created - started), 60, "CreationTimestamp is not the start time")
        self.assertGreaterEqual(completed - created, 1.05 * 0.8,
                                "completed sooner than the configured job duration")
        self.assertLess(completed - created, 30)

        listed = list_all(client)
        self.assertEqual(listed[0]["JobId"], job_id, "newest job is not listed first")
        self.assertEqual(listed[0], final, "List and Get disagree on the finished job")
        self.assertEqual(sum(1 for j in listed if j["JobId"] == job_id), 1)

    def test_list_and_get_agree_while_running(self):
        client = self.client()
        job_id = client.start_media_analysis_job(**start_kwargs(name="manifests/agree.jsonl"))[
            "JobId"]
        before = without_metadata(client.get_media_analysis_job(JobId=job_id))
        self.assertNotIn(before["Status"], TERMINAL_STATUSES, "terminal long before its schedule")
        for member in ("Results", "ManifestSummary", "FailureDetails", "CompletionTimestamp"):
            self.assertNotIn(member, before, f"unfinished job carries {member}")
        listed = {j["JobId"]: j for j in list_all(client)}[job_id]
        after = without_metadata(client.get_media_analysis_job(JobId=job_id))
        # List ran between two Gets: its status lies between theirs.
        low = STATUS_ORDER.index(before["Status"])
        high = STATUS_ORDER.index(after["Status"])
        self.assertTrue(low <= STATUS_ORDER.index(listed["Status"]) <= high,
                        (before["Status"], listed["Status"], after["Status"]))
        if before["Status"] == after["Status"]:
            self.assertEqual(listed, after)
        wait_for_terminal(client, job_id)

    def test_idempotent_retry_returns_the_same_job(self):
        client = self.client()
        count = len(list_all(client))
        kwargs = start_kwargs(name="manifests/idem.jsonl", ClientRequestToken="retry-token-1")
        first = client.start_media_analysis_job(**kwargs)["JobId"]
        second = client.start_media_analysis_job(**copy.deepcopy(kwargs))["JobId"]
        self.assertEqual(first, second)
        ids = [j["JobId"] for j in list_all(client)]
        self.assertEqual(len(ids), count + 1, "the retry created another job")
        self.assertEqual(ids.count(first), 1)
        # After the job finished the same retry still answers the same JobId.
        wait_for_terminal(client, first)
        self.assertEqual(client.start_media_analysis_job(**kwargs)["JobId"], first)
        self.assertEqual(len(list_all(client)), count + 1)

    def test_same_token_with_different_parameters_is_a_mismatch(self):
        client = self.client()
        kwargs = start_kwargs(name="manifests/mismatch.jsonl", ClientRequestToken="mismatch-1")
        job_id = client.start_media_analysis_job(**kwargs)["JobId"]
        count = len(list_all(client))
        changes = {
            "JobName": lambda k: k.update(JobName="other-name"),
            "MinConfidence": lambda k: k["OperationsConfig"]["DetectModerationLabels"].update(
                MinConfidence=10),
            "Input": lambda k: k["Input"]["S3Object"].update(Name="manifests/other.jsonl"),
            "OutputConfig": lambda k: k["OutputConfig"].update(S3KeyPrefix="elsewhere/"),
        }
        for what, change in changes.items():
            with self.subTest(changed=what):
                changed = copy.deepcopy(kwargs)
                change(changed)
                with self.assertRaises(ClientError) as ctx:
                    client.start_media_analysis_job(**changed)
                self.assertClientError(ctx.exception, "IdempotentParameterMismatchException")
        self.assertEqual(len(list_all(client)), count, "a mismatched retry created a job")
        self.assertEqual(client.start_media_analysis_job(**kwargs)["JobId"], job_id)

    def test_calls_without_a_token_create_distinct_jobs(self):
        client = self.client()
        kwargs = start_kwargs(name="manifests/no-token.jsonl")
        first = client.start_media_analysis_job(**kwargs)["JobId"]
        second = client.start_media_analysis_job(**kwargs)["JobId"]
        self.assertNotEqual(first, second, "boto3 generates a fresh token per call")
        ids = [j["JobId"] for j in list_all(client)]
        self.assertIn(first, ids)
        self.assertIn(second, ids)

    def test_fixture_jobs_never_progress(self):
        client = self.client()
        fixtures = {j["JobId"]: j for j in load_fixture_jobs(default_fixtures())}
        listed = {j["JobId"]: j for j in list_all(client)}
        for job_id, job in fixtures.items():
            self.assertEqual(listed[job_id]["Status"], job["Status"], job_id)


class FailureTriggerTest(ServerCase):
    """--job-duration 0: every job is terminal at once."""

    server_args = ("--job-duration", "0")

    def test_every_failure_trigger(self):
        client = self.client(access_key="333333333333")
        ids = {}
        for code in FAILURE_CODES:
            with self.subTest(code=code):
                name = f"batches/2024/{failure_trigger(code)}/manifest.jsonl"
                job_id = client.start_media_analysis_job(
                    **start_kwargs(name=name, JobName=f"trigger-{code.lower()}"))["JobId"]
                ids[job_id] = code
                job = without_metadata(client.get_media_analysis_job(JobId=job_id))
                self.assertEqual(job["Status"], "FAILED", job)
                self.assertEqual(job["FailureDetails"]["Code"], code)
                self.assertIsInstance(job["FailureDetails"].get("Message"), str)
                self.assertTrue(job["FailureDetails"]["Message"].strip())
                self.assertIn("CompletionTimestamp", job)
                self.assertGreaterEqual(job["CompletionTimestamp"], job["CreationTimestamp"])
                self.assertNotIn("Results", job)
                self.assertNotIn("ManifestSummary", job)
                self.assertEqual(job["Input"]["S3Object"]["Name"], name)
        listed = {j["JobId"]: j for j in list_all(client)}
        self.assertEqual(set(listed), set(ids))
        for job_id, code in ids.items():
            self.assertEqual(listed[job_id]["Status"], "FAILED")
            self.assertEqual(listed[job_id]["FailureDetails"]["Code"], code)

    def test_trigger_in_the_middle_of_a_name_and_plain_names_succeed(self):
        client = self.client(access_key="444444444444")
        job_id = client.start_media_analysis_job(
            **start_kwargs(name="x/prefix-fail-access-denied-suffix.jsonl"))["JobId"]
        job = client.get_media_analysis_job(JobId=job_id)
        self.assertEqual(job["Status"], "FAILED")
        self.assertEqual(job["FailureDetails"]["Code"], "ACCESS_DENIED")
        ok_id = client.start_media_analysis_job(**start_kwargs(name="x/failure.jsonl"))["JobId"]
        ok = client.get_media_analysis_job(JobId=ok_id)
        self.assertEqual(ok["Status"], "SUCCEEDED", ok)
        self.assertNotIn("FailureDetails", ok)
        self.assertIn("Results", ok)


class ValidationTest(ServerCase):
    server_args = ("--job-duration", "0")

    CASES = {
        "JobName": lambda k: k.update(JobName="j" * 65),
        "ClientRequestToken": lambda k: k.update(ClientRequestToken="token!"),
        "MinConfidence": lambda k: k["OperationsConfig"]["DetectModerationLabels"].update(
            MinConfidence=101),
        "Bucket": lambda k: k["Input"]["S3Object"].update(Bucket="ab"),
        "S3Bucket": lambda k: k["OutputConfig"].update(S3Bucket="ab"),
        "KmsKeyId": lambda k: k.update(KmsKeyId="-starts-with-dash"),
        "S3KeyPrefix": lambda k: k["OutputConfig"].update(S3KeyPrefix="has space/"),
        "ProjectVersion": lambda k: k["OperationsConfig"]["DetectModerationLabels"].update(
            ProjectVersion="my-project-version-is-not-an-arn"),
        "Name": lambda k: k["Input"]["S3Object"].pop("Name"),
    }

    def test_each_rule_is_an_invalid_parameter_naming_the_member(self):
        client = self.client(access_key="555555555555", validate=False)
        for member, change in self.CASES.items():
            with self.subTest(member=member):
                kwargs = start_kwargs()
                change(kwargs)
                with self.assertRaises(ClientError) as ctx:
                    client.start_media_analysis_job(**kwargs)
                self.assertClientError(ctx.exception, "InvalidParameterException",
                                       message_has=member)
        self.assertEqual(list_all(client), [], "a rejected Start created a job")

    def test_boundary_values_are_accepted(self):
        client = self.client(access_key="666666666666", validate=False)
        kwargs = start_kwargs(
            JobName="j" * 64, ClientRequestToken="T" * 64,
            KmsKeyId="arn:aws:kms:us-east-1:111122223333:key/abc-123",
            OperationsConfig={"DetectModerationLabels": {
                "MinConfidence": 100,
                "ProjectVersion": "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1"}})
        kwargs["Input"]["S3Object"]["Bucket"] = "abc"
        kwargs["OutputConfig"]["S3KeyPrefix"] = ""
        job_id = client.start_media_analysis_job(**kwargs)["JobId"]
        job = client.get_media_analysis_job(JobId=job_id)
        self.assertEqual(job["JobName"], "j" * 64)
        self.assertEqual(job["KmsKeyId"], kwargs["KmsKeyId"])
        self.assertEqual(job["OperationsConfig"], kwargs["OperationsConfig"])

    def test_get_unknown_job_is_resource_not_found(self):
        client = self.client(access_key="555555555555")
        with self.assertRaises(ClientError) as ctx:
            client.get_media_analysis_job(JobId="f" * 64)
        self.assertClientError(ctx.exception, "ResourceNotFoundException")

    def test_get_malformed_job_id_is_invalid_parameter(self):
        client = self.client(access_key="555555555555", validate=False)
        for job_id in ("bad!id", "a" * 65, "has space", ""):
            with self.subTest(job_id=job_id):
                with self.assertRaises(ClientError) as ctx:
                    client.get_media_analysis_job(JobId=job_id)
                self.assertClientError(ctx.exception, "InvalidParameterException",
                                       message_has="JobId")


class ScopeIsolationTest(ServerCase):
    """Accounts from 12-digit access keys, regions from the credential scope."""

    @classmethod
    def setUpClass(cls):
        cls.server_args = ("--fixtures", default_fixtures(), "--job-duration", "0")
        super().setUpClass()

    def test_accounts_and_regions_see_only_their_own_jobs(self):
        scopes = [(ACCOUNT_A, "us-east-1"), (ACCOUNT_A, "eu-west-1"),
                  (ACCOUNT_B, "us-east-1"), (ACCOUNT_B, "eu-west-1")]
        clients = {scope: self.client(*scope) for scope in scopes}
        started = {}
        for scope, client in clients.items():
            started[scope] = {
                client.start_media_analysis_job(
                    **start_kwargs(name=f"manifests/{scope[0]}-{scope[1]}-{i}.jsonl"))["JobId"]
                for i in range(3)}
        for scope, client in clients.items():
            with self.subTest(scope=scope):
                listed = list_all(client, max_results=2)
                self.assertEqual({j["JobId"] for j in listed}, started[scope])
                self.assertEqual(len(listed), 3)
                for other, ids in started.items():
                    if other == scope:
                        continue
                    for job_id in ids:
                        with self.assertRaises(ClientError) as ctx:
                            client.get_media_analysis_job(JobId=job_id)
                        self.assertClientError(ctx.exception, "ResourceNotFoundException")
                for job_id in started[scope]:
                    self.assertEqual(client.get_media_analysis_job(JobId=job_id)["JobId"], job_id)

    def test_default_scope_holds_the_fixtures_only(self):
        default = self.client("test", "us-east-1")
        fixture_ids = {j["JobId"] for j in load_fixture_jobs(default_fixtures())}
        self.assertEqual({j["JobId"] for j in list_all(default)}, fixture_ids)
        # The default account named explicitly is the same scope.
        explicit = self.client("000000000000", "us-east-1")
        self.assertEqual({j["JobId"] for j in list_all(explicit)}, fixture_ids)
        # The fixtures live in us-east-1 of the default account only.
        self.assertEqual(list_all(self.client("test", "ap-southeast-2")), [])
        self.assertEqual(list_all(self.client("777777777777", "us-east-1")), [])
        some_fixture = sorted(fixture_ids)[0]
        with self.assertRaises(ClientError) as ctx:
            self.client(ACCOUNT_A, "us-east-1").get_media_analysis_job(JobId=some_fixture)
        self.assertClientError(ctx.exception, "ResourceNotFoundException")

    def test_next_token_from_another_scope_is_rejected(self):
        default = self.client("test", "us-east-1")
        token = default.list_media_analysis_jobs(MaxResults=1)["NextToken"]
        for scope in [(ACCOUNT_A, "us-east-1"), ("test", "eu-west-1"), (ACCOUNT_B, "eu-west-1")]:
            with self.subTest(scope=scope):
                with self.assertRaises(ClientError) as ctx:
                    self.client(*scope).list_media_analysis_jobs(MaxResults=1, NextToken=token)
                self.assertClientError(ctx.exception, "InvalidPaginationTokenException")
        # Within its own scope it still works.
        page = default.list_media_analysis_jobs(MaxResults=1, NextToken=token)
        self.assertEqual(len(page["MediaAnalysisJobs"]), 1)

        # And the other way: a token of a non-default scope used in the default scope.
        a_east = self.client(ACCOUNT_A, "us-east-1")
        for i in range(2):
            a_east.start_media_analysis_job(**start_kwargs(name=f"manifests/tok-{i}.jsonl"))
        a_token = a_east.list_media_analysis_jobs(MaxResults=1)["NextToken"]
        for scope in [("test", "us-east-1"), (ACCOUNT_A, "eu-west-1")]:
            with self.subTest(scope=scope, direction="from 111111111111/us-east-1"):
                with self.assertRaises(ClientError) as ctx:
                    self.client(*scope).list_media_analysis_jobs(MaxResults=1, NextToken=a_token)
                self.assertClientError(ctx.exception, "InvalidPaginationTokenException")

    def test_same_client_request_token_in_two_scopes_makes_two_jobs(self):
        kwargs = start_kwargs(name="manifests/shared-token.jsonl", ClientRequestToken="shared-1")
        a = self.client("888888888888", "us-east-1").start_media_analysis_job(**kwargs)["JobId"]
        b = self.client("999999999999", "us-east-1").start_media_analysis_job(**kwargs)["JobId"]
        self.assertNotEqual(a, b)
        changed = copy.deepcopy(kwargs)
        changed["JobName"] = "something-else"
        c = self.client("888888888888", "eu-west-1").start_media_analysis_job(**changed)["JobId"]
        self.assertNotIn(c, (a, b))


class LimitTest(ServerCase):
    server_args = ("--max-unfinished-jobs", "2", "--job-duration", "600")

    def test_third_unfinished_job_is_limit_exceeded(self):
        client = self.client(ACCOUNT_A, "us-east-1")
        first = client.start_media_analysis_job(**start_kwargs(name="m/1.jsonl"))["JobId"]
        client.start_media_analysis_job(**start_kwargs(name="m/2.jsonl"))
        with self.assertRaises(ClientError) as ctx:
            client.start_media_analysis_job(**start_kwargs(name="m/3.jsonl"))
        self.assertClientError(ctx.exception, "LimitExceededException")
        self.assertEqual(len(list_all(client)), 2, "a rejected Start created a job")
        # Failure-trigger jobs are unfinished too until their schedule ends.
        with self.assertRaises(ClientError) as ctx:
            client.start_media_analysis_job(**start_kwargs(name="m/fail-throttled.jsonl"))
        self.assertClientError(ctx.exception, "LimitExceededException")
        self.assertEqual(client.get_media_analysis_job(JobId=first)["Status"], "CREATED")

    def test_limit_is_per_account_and_region(self):
        for scope in [(ACCOUNT_B, "us-east-1"), (ACCOUNT_B, "eu-west-1"), ("test", "eu-west-1")]:
            with self.subTest(scope=scope):
                client = self.client(*scope)
                for i in range(2):
                    client.start_media_analysis_job(**start_kwargs(name=f"m/{i}.jsonl"))
                with self.assertRaises(ClientError) as ctx:
                    client.start_media_analysis_job(**start_kwargs(name="m/x.jsonl"))
                self.assertClientError(ctx.exception, "LimitExceededException")


class LimitFreedByCompletionTest(ServerCase):
    server_args = ("--max-unfinished-jobs", "1", "--job-duration", "0.6")

    def test_finished_jobs_do_not_count(self):
        client = self.client()
        first = client.start_media_analysis_job(**start_kwargs(name="m/a.jsonl"))["JobId"]
        with self.assertRaises(ClientError) as ctx:
            client.start_media_analysis_job(**start_kwargs(name="m/b.jsonl"))
        self.assertClientError(ctx.exception, "LimitExceededException")
        final, _ = wait_for_terminal(client, first)
        self.assertEqual(final["Status"], "SUCCEEDED")
        second = client.start_media_analysis_job(**start_kwargs(name="m/fail-internal-error.x"))
        final, _ = wait_for_terminal(client, second["JobId"])
        self.assertEqual(final["Status"], "FAILED")
        # A FAILED job does not count either.
        client.start_media_analysis_job(**start_kwargs(name="m/c.jsonl"))


class FixtureJobsCountTowardsTheLimitTest(ServerCase):
    """The default fixtures hold 13 unfinished jobs in the default scope."""

    @classmethod
    def setUpClass(cls):
        cls.server_args = ("--fixtures", default_fixtures(), "--max-unfinished-jobs", "14",
                           "--job-duration", "600")
        super().setUpClass()

    def test_fixture_jobs_use_up_the_limit(self):
        unfinished = [j for j in load_fixture_jobs(default_fixtures())
                      if j["Status"] not in TERMINAL_STATUSES]
        self.assertEqual(len(unfinished), 13)
        client = self.client()
        client.start_media_analysis_job(**start_kwargs(name="m/one.jsonl"))
        with self.assertRaises(ClientError) as ctx:
            client.start_media_analysis_job(**start_kwargs(name="m/two.jsonl"))
        self.assertClientError(ctx.exception, "LimitExceededException")
        self.assertEqual(len(list_all(client)), FIXTURE_COUNT + 1)
        # Another account of the same server is unaffected.
        other = self.client(ACCOUNT_A)
        other.start_media_analysis_job(**start_kwargs(name="m/one.jsonl"))
        other.start_media_analysis_job(**start_kwargs(name="m/two.jsonl"))


class PollingClientTest(ServerCase):
    server_args = ("--job-duration", "0.6")

    def test_real_aws_style_workflow_in_two_accounts_at_once(self):
        results, errors = {}, []

        def worker(account):
            try:
                client = make_client(self.server.endpoint, account, "us-east-1")
                ok = run_moderation_batch(client, "uploads/2024-10-01/batch.jsonl",
                                          f"batch-{account}")
                failed = run_moderation_batch(client, "uploads/fail-invalid-manifest.jsonl",
                                              f"broken-{account}")
                results[account] = (ok, failed)
            except BaseException as exc:  # reported by the main thread
                errors.append((account, exc))

        threads = [threading.Thread(target=worker, args=(acct,)) for acct in (ACCOUNT_A, ACCOUNT_B)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(WAIT_LIMIT * 3)
            self.assertFalse(t.is_alive(), "a workflow thread hung")
        self.assertEqual(errors, [])
        for account in (ACCOUNT_A, ACCOUNT_B):
            with self.subTest(account=account):
                (ok, ok_listed), (failed, failed_listed) = results[account]
                self.assertEqual(ok["Status"], "SUCCEEDED")
                self.assertEqual(ok["JobName"], f"batch-{account}")
                self.assertEqual(ok["Results"]["S3Object"]["Name"],
                                 f"batch-{account}/{ok['JobId']}-results.jsonl")
                self.assertEqual(failed["Status"], "FAILED")
                self.assertEqual(failed["FailureDetails"]["Code"], "INVALID_MANIFEST")
                self.assertEqual([j["JobId"] for j in ok_listed], [ok["JobId"]])
                self.assertEqual([j["JobId"] for j in failed_listed],
                                 [failed["JobId"], ok["JobId"]])
                self.assertEqual(failed_listed[0], failed)
                self.assertEqual(failed_listed[1], ok)



class RetentionTest(ServerCase):
    """--job-retention-days: jobs older than the retention vanish from List and Get, as AWS keeps
    a job's details for a year; the lifecycle clock moves them out."""

    server_args = ("--job-retention-days", "5")

    def test_old_jobs_vanish_from_list_and_get_and_leave_as_the_clock_moves(self):
        now = time.time()
        seeded = {"MediaAnalysisJobs": [{
            "JobId": f"aged-{days}-days", "CreationTimestamp": now - days * 86400,
            "Status": "SUCCEEDED", "CompletionTimestamp": now - days * 86400 + 60,
            "OperationsConfig": {"DetectModerationLabels": {}},
            "Input": {"S3Object": {"Bucket": "media-in", "Name": "m.jsonl"}},
            "OutputConfig": {"S3Bucket": "media-out"}} for days in (1, 3, 10)]}
        control_ok(self.server, "POST", "/_mock/jobs", seeded)
        self.assertEqual(control_ok(self.server, "GET", "/_mock/health")["JobRetentionDays"], 5)
        client = self.client()
        self.assertEqual([j["JobId"] for j in list_all(client, 1)],
                         ["aged-1-days", "aged-3-days"])
        with self.assertRaises(ClientError) as ctx:
            client.get_media_analysis_job(JobId="aged-10-days")
        self.assertClientError(ctx.exception, "ResourceNotFoundException")
        self.assertEqual(client.get_media_analysis_job(JobId="aged-3-days")["Status"], "SUCCEEDED")
        control_ok(self.server, "POST", "/_mock/clock/advance", {"Seconds": 3 * 86400})
        self.assertEqual([j["JobId"] for j in list_all(client)], ["aged-1-days"])
        with self.assertRaises(ClientError) as ctx:
            client.get_media_analysis_job(JobId="aged-3-days")
        self.assertClientError(ctx.exception, "ResourceNotFoundException")


if __name__ == "__main__":
    unittest.main()
