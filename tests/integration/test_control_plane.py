"""The control plane (/_mock/... and /_localstack/health) against the real binary: every
endpoint's success path and its refusals (bad JSON, wrong member types, unknown jobs, bad scopes,
invalid fault rules, wrong methods, unknown paths), the reset/seed/dump/steer/clock/fault/request-log
behaviour, the "done when" scenario driven through boto3, dump round trips through --fixtures,
latency faults that hold one response on a timer while --threads 1 keeps serving others, and
--no-control-plane. The request log's filters and counts: test_request_assertions.py."""

import json
import os
import threading
import time
import unittest

import boto3
from botocore.config import Config

from mock_server import isolate_aws_environment
from mock_server import (CONTENT_TYPE, GET_TARGET, START_TARGET, TARGET, UUID_RE, ServerTestCase,
                         call, control, control_ok, default_fixtures, expected_from_file, load_fixture_jobs,
                         make_job, scope_headers, start_request)

DEFAULT_ACCOUNT = "000000000000"
DEFAULT_REGION = "us-east-1"
FIXTURE_COUNT = 48
ACCOUNT_A = "111122223333"
ACCOUNT_B = "444455556666"
NO_RETRY = {"total_max_attempts": 1, "mode": "standard"}
BAD_JSON_BODIES = ("{", "{\"a\": }", "not json", "[]", "\"text\"", "42", "true", "null")
ROUTE_STATUS_PATH = "/_mock/jobs/{}/status"




def setUpModule():
    isolate_aws_environment()


def boto3_client(endpoint, access_key="test", region=DEFAULT_REGION):
    session = boto3.session.Session()
    return session.client("rekognition", endpoint_url=endpoint, region_name=region,
                          aws_access_key_id=access_key, aws_secret_access_key="secret",
                          config=Config(retries=NO_RETRY))


def aws(server, target, body=None, account=None, region=DEFAULT_REGION):
    """A raw AWS JSON call; `account` (12 digits) picks the caller's account."""
    headers = scope_headers(account, region) if account else scope_headers("test", region)
    return call(server.host, server.port, body or {}, target=target, headers=headers)


class ControlPlaneCase(ServerTestCase):
    def serve(self, *args, fixtures=True, **kwargs):
        extra = ["--fixtures", default_fixtures()] if fixtures else []
        return self.start_server("--log-level", "warn", *extra, *args, **kwargs)

    def assertControlError(self, resp, status, code):
        self.assertEqual(resp.status, status, resp)
        self.assertTrue(resp.headers.get("Content-Type", "").startswith("application/json"), resp)
        self.assertIsInstance(resp.json, dict, resp)
        self.assertEqual(set(resp.json), {"Error", "Message"}, resp)
        self.assertEqual(resp.json["Error"], code, resp)
        self.assertIsInstance(resp.json["Message"], str)
        self.assertTrue(resp.json["Message"], resp)

    def assertBadRequest(self, server, method, path, body=None, raw_body=None, msg=None):
        resp = control(server, method, path, body, raw_body=raw_body)
        with self.subTest(method=method, path=path, body=body, raw_body=raw_body):
            self.assertControlError(resp, 400, "BadRequest")
        return resp

    def start_job(self, server, account=None, region=DEFAULT_REGION, **extra):
        resp = aws(server, START_TARGET, start_request(**extra), account, region)
        self.assertEqual(resp.status, 200, resp)
        return resp.json["JobId"]

    def get_job(self, server, job_id, account=None, region=DEFAULT_REGION):
        resp = aws(server, GET_TARGET, {"JobId": job_id}, account, region)
        self.assertEqual(resp.status, 200, resp)
        return resp.json

    def health(self, server):
        return control_ok(server, "GET", "/_mock/health")

    def scope_counts(self, server):
        return {(s["AccountId"], s["Region"]): s["Jobs"] for s in self.health(server)["Scopes"]}

    def dump(self, server, account=None, region=None):
        query = []
        if account is not None:
            query.append(f"AccountId={account}")
        if region is not None:
            query.append(f"Region={region}")
        path = "/_mock/jobs" + ("?" + "&".join(query) if query else "")
        return control_ok(server, "GET", path)


# ------------------------------------------------------------------------------------------------
class HealthTest(ControlPlaneCase):
    def test_mock_health_reports_ready_version_store_clock_and_scopes(self):
        server = self.serve("--default-account", "123456789012")
        resp = control(server, "GET", "/_mock/health")
        self.assertEqual(resp.status, 200, resp)
        self.assertTrue(resp.headers["Content-Type"].startswith("application/json"))
        body = resp.json
        self.assertEqual(list(body), ["Status", "Version", "UptimeSeconds", "Store", "ObjectStore",
                                      "DefaultAccountId", "ClockOffsetSeconds", "Now", "Scopes",
                                      "Ui"])
        self.assertEqual(body["Status"], "ready")
        self.assertRegex(body["Version"], r"^\d+\.\d+\.\d+")
        self.assertIsInstance(body["UptimeSeconds"], (int, float))
        self.assertGreaterEqual(body["UptimeSeconds"], 0)
        self.assertEqual(body["Store"], {"Kind": "memory", "Location": ":memory:"})
        self.assertEqual(body["ObjectStore"], {"Kind": "none"})
        self.assertEqual(body["DefaultAccountId"], "123456789012")
        self.assertEqual(body["ClockOffsetSeconds"], 0)
        self.assertEqual(body["Scopes"], [{"AccountId": "123456789012", "Region": DEFAULT_REGION,
                                           "Jobs": FIXTURE_COUNT}])
        # Started jobs show up in their own scope.
        self.start_job(server, account=ACCOUNT_A, region="eu-west-1")
        self.assertEqual(self.scope_counts(server)[(ACCOUNT_A, "eu-west-1")], 1)
        time.sleep(0.05)
        self.assertGreater(self.health(server)["UptimeSeconds"], body["UptimeSeconds"])

    def test_mock_health_names_a_file_store(self):
        db = os.path.join(self.tmp, "jobs.db")
        server = self.serve("--db", db, fixtures=False)
        body = self.health(server)
        self.assertEqual(body["Store"]["Kind"], "file")
        self.assertEqual(body["Store"]["Location"], db)
        self.assertEqual(body["Scopes"], [])
        self.assertEqual(body["DefaultAccountId"], DEFAULT_ACCOUNT)

    def test_localstack_health(self):
        server = self.serve(fixtures=False)
        resp = control(server, "GET", "/_localstack/health")
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.json["services"], {"rekognition": "running"})
        self.assertEqual(resp.json["edition"], "community")
        self.assertIsInstance(resp.json["version"], str)
        self.assertIn(self.health(server)["Version"], resp.json["version"])

    def test_wrong_methods_are_405(self):
        server = self.serve(fixtures=False)
        cases = [
            ("POST", "/_mock/health"), ("DELETE", "/_mock/health"), ("PUT", "/_localstack/health"),
            ("POST", "/_localstack/health"), ("GET", "/_mock/reset"), ("DELETE", "/_mock/reset"),
            ("PUT", "/_mock/jobs"), ("DELETE", "/_mock/jobs"), ("GET", "/_mock/jobs/abc/status"),
            ("PUT", "/_mock/jobs/abc/status"), ("GET", "/_mock/clock/advance"),
            ("PUT", "/_mock/faults"), ("PATCH", "/_mock/faults"), ("GET", "/_mock/faults/fault-1"),
            ("POST", "/_mock/faults/fault-1"), ("POST", "/_mock/requests"),
            ("PUT", "/_mock/requests"),
        ]
        for method, path in cases:
            with self.subTest(method=method, path=path):
                self.assertControlError(control(server, method, path), 405, "MethodNotAllowed")
        # Nothing those refused calls touched changed anything.
        self.assertEqual(control_ok(server, "GET", "/_mock/faults"), {"Faults": []})

    def test_unknown_mock_paths_are_404(self):
        server = self.serve(fixtures=False)
        for method, path in [("GET", "/_mock/nope"), ("POST", "/_mock/nope"), ("GET", "/_mock"),
                             ("GET", "/_mock/"), ("GET", "/_mock/jobs/abc"),
                             ("POST", "/_mock/clock"), ("GET", "/_mock/health/extra"),
                             ("GET", "/_mock/clock/rewind")]:
            with self.subTest(method=method, path=path):
                self.assertControlError(control(server, method, path), 404, "NotFound")

    def test_control_calls_keep_the_connection_alive(self):
        server = self.serve(fixtures=False)
        conn = server.connection()
        try:
            for _ in range(3):
                conn.request("GET", "/_mock/health")
                resp = conn.getresponse()
                self.assertEqual(resp.status, 200)
                json.loads(resp.read())
            # An AWS call on the same connection still works.
            conn.request("POST", "/", body=b"{}", headers={"Content-Type": CONTENT_TYPE,
                                                           "X-Amz-Target": TARGET})
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            self.assertEqual(json.loads(resp.read())["MediaAnalysisJobs"], [])
        finally:
            conn.close()


# ------------------------------------------------------------------------------------------------
class ResetTest(ControlPlaneCase):
    def test_global_reset_restores_the_baseline_and_clears_faults_log_and_clock(self):
        server = self.serve("--job-duration", "3600")
        self.start_job(server)
        self.start_job(server, account=ACCOUNT_A, region="eu-west-1")
        control_ok(server, "POST", "/_mock/faults",
                   {"Operation": "GetMediaAnalysisJob", "Error": "ThrottlingException", "Count": 5},
                   expect_status=201)
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 100})
        self.assertEqual(len(control_ok(server, "GET", "/_mock/requests")["Requests"]), 2)

        self.assertEqual(control_ok(server, "POST", "/_mock/reset"),
                         {"JobsDeleted": FIXTURE_COUNT + 2, "JobsLoaded": FIXTURE_COUNT})
        self.assertEqual(control_ok(server, "GET", "/_mock/faults"), {"Faults": []})
        self.assertEqual(control_ok(server, "GET", "/_mock/requests"), {"Requests": []})
        health = self.health(server)
        self.assertEqual(health["ClockOffsetSeconds"], 0)
        self.assertEqual(health["Scopes"], [{"AccountId": DEFAULT_ACCOUNT, "Region": DEFAULT_REGION,
                                             "Jobs": FIXTURE_COUNT}])
        # The fixture jobs are back exactly as loaded.
        jobs, _ = server.list_all()
        self.assertJobsEqual(jobs, expected_from_file(default_fixtures()))

    def test_global_reset_with_an_empty_body_and_with_an_empty_object(self):
        server = self.serve()
        self.assertEqual(control_ok(server, "POST", "/_mock/reset", {}),
                         {"JobsDeleted": FIXTURE_COUNT, "JobsLoaded": FIXTURE_COUNT})
        self.assertEqual(control_ok(server, "POST", "/_mock/reset"),
                         {"JobsDeleted": FIXTURE_COUNT, "JobsLoaded": FIXTURE_COUNT})

    def test_global_reset_without_reloading_fixtures_leaves_nothing(self):
        server = self.serve()
        self.start_job(server, account=ACCOUNT_A)
        self.assertEqual(control_ok(server, "POST", "/_mock/reset", {"ReloadFixtures": False}),
                         {"JobsDeleted": FIXTURE_COUNT + 1, "JobsLoaded": 0})
        self.assertEqual(self.health(server)["Scopes"], [])
        self.assertEqual(server.list_all()[0], [])
        # ...and a later reset brings the fixtures back.
        self.assertEqual(control_ok(server, "POST", "/_mock/reset", {"ReloadFixtures": True}),
                         {"JobsDeleted": 0, "JobsLoaded": FIXTURE_COUNT})

    def test_reset_seed_and_steer_with_a_file_store(self):
        db = os.path.join(self.tmp, "reset.db")
        server = self.serve("--db", db, "--job-duration", "3600")
        token = "file-store-token"
        job_id = self.start_job(server, account=ACCOUNT_A, ClientRequestToken=token)
        control_ok(server, "POST", ROUTE_STATUS_PATH.format(job_id),
                   {"Status": "SUCCEEDED", "AccountId": ACCOUNT_A})
        self.assertEqual(self.get_job(server, job_id, ACCOUNT_A)["Status"], "SUCCEEDED")
        control_ok(server, "POST", "/_mock/jobs", [make_job("7" * 64, 1700000000)])
        self.assertEqual(control_ok(server, "POST", "/_mock/reset", {"AccountId": ACCOUNT_A}),
                         {"JobsDeleted": 1, "JobsLoaded": 0})
        resp = aws(server, START_TARGET, start_request("new.jsonl", ClientRequestToken=token),
                   ACCOUNT_A)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(control_ok(server, "POST", "/_mock/reset"),
                         {"JobsDeleted": FIXTURE_COUNT + 2, "JobsLoaded": FIXTURE_COUNT})
        self.assertEqual(self.scope_counts(server), {(DEFAULT_ACCOUNT, DEFAULT_REGION): FIXTURE_COUNT})

    def test_global_reset_on_a_server_without_fixtures(self):
        server = self.serve(fixtures=False)
        self.start_job(server)
        self.assertEqual(control_ok(server, "POST", "/_mock/reset"),
                         {"JobsDeleted": 1, "JobsLoaded": 0})

    def test_scoped_reset_touches_only_that_scope(self):
        server = self.serve("--job-duration", "3600")
        for _ in range(2):
            self.start_job(server, account=ACCOUNT_A, region="eu-west-1")
        self.start_job(server, account=ACCOUNT_A, region=DEFAULT_REGION)
        self.start_job(server, account=ACCOUNT_B, region="eu-west-1")
        control_ok(server, "POST", "/_mock/faults", {"Error": "ThrottlingException", "Count": 9,
                                                     "Operation": "GetMediaAnalysisJob"},
                   expect_status=201)
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 10})

        self.assertEqual(control_ok(server, "POST", "/_mock/reset",
                                    {"AccountId": ACCOUNT_A, "Region": "eu-west-1"}),
                         {"JobsDeleted": 2, "JobsLoaded": 0})
        self.assertEqual(self.scope_counts(server), {(DEFAULT_ACCOUNT, DEFAULT_REGION): FIXTURE_COUNT,
                                                     (ACCOUNT_A, DEFAULT_REGION): 1,
                                                     (ACCOUNT_B, "eu-west-1"): 1})
        # A scoped reset leaves fault rules, the request log and the clock alone.
        self.assertEqual(len(control_ok(server, "GET", "/_mock/faults")["Faults"]), 1)
        self.assertEqual(len(control_ok(server, "GET", "/_mock/requests")["Requests"]), 4)
        self.assertEqual(self.health(server)["ClockOffsetSeconds"], 10)

        # Region alone: the default account's scope in that region (the fixtures' scope here).
        self.start_job(server)  # default account, us-east-1
        self.assertEqual(control_ok(server, "POST", "/_mock/reset", {"Region": DEFAULT_REGION}),
                         {"JobsDeleted": FIXTURE_COUNT + 1, "JobsLoaded": FIXTURE_COUNT})
        # AccountId alone: that account in us-east-1.
        self.assertEqual(control_ok(server, "POST", "/_mock/reset",
                                    {"AccountId": ACCOUNT_A, "ReloadFixtures": False}),
                         {"JobsDeleted": 1, "JobsLoaded": 0})
        # The default scope without reloading: its fixtures are gone, the other scope stays.
        self.assertEqual(control_ok(server, "POST", "/_mock/reset",
                                    {"AccountId": DEFAULT_ACCOUNT, "Region": DEFAULT_REGION,
                                     "ReloadFixtures": False}),
                         {"JobsDeleted": FIXTURE_COUNT, "JobsLoaded": 0})
        self.assertEqual(self.scope_counts(server), {(ACCOUNT_B, "eu-west-1"): 1})

    def test_scoped_reset_forgets_that_scopes_client_request_tokens_only(self):
        server = self.serve()
        token = "token-reused-after-reset"
        first_a = self.start_job(server, account=ACCOUNT_A, ClientRequestToken=token)
        first_b = self.start_job(server, account=ACCOUNT_B, ClientRequestToken=token)
        control_ok(server, "POST", "/_mock/reset", {"AccountId": ACCOUNT_A})
        self.assertEqual(aws(server, GET_TARGET, {"JobId": first_a}, ACCOUNT_A).status, 400)
        # Scope A forgot the token: different parameters under it start a new job.
        resp = aws(server, START_TARGET, start_request("other/input.jsonl",
                                                        ClientRequestToken=token), ACCOUNT_A)
        self.assertEqual(resp.status, 200, resp)
        second_a = resp.json["JobId"]
        self.assertEqual(self.get_job(server, second_a, ACCOUNT_A)["Input"]["S3Object"]["Name"],
                         "other/input.jsonl")
        # Scope B still remembers it.
        resp = aws(server, START_TARGET, start_request("other/input.jsonl",
                                                        ClientRequestToken=token), ACCOUNT_B)
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(resp.json["__type"], "IdempotentParameterMismatchException")
        resp = aws(server, START_TARGET, start_request(ClientRequestToken=token), ACCOUNT_B)
        self.assertEqual((resp.status, resp.json.get("JobId")), (200, first_b))

    def test_global_reset_forgets_every_client_request_token(self):
        server = self.serve(fixtures=False)
        token = "global-reset-token"
        self.start_job(server, account=ACCOUNT_B, ClientRequestToken=token)
        control_ok(server, "POST", "/_mock/reset")
        resp = aws(server, START_TARGET, start_request("changed.jsonl", ClientRequestToken=token),
                   ACCOUNT_B)
        self.assertEqual(resp.status, 200, resp)

    def test_reset_refuses_bad_input(self):
        server = self.serve()
        for raw in BAD_JSON_BODIES:
            self.assertBadRequest(server, "POST", "/_mock/reset", raw_body=raw)
        for body in ({"AccountId": 111122223333}, {"AccountId": "1234"},
                     {"AccountId": "11112222333a"}, {"AccountId": ""}, {"Region": 5},
                     {"Region": "EU_WEST_1"}, {"Region": ""}, {"Region": "x" * 33},
                     {"AccountId": ACCOUNT_A, "Region": "eu west 1"},
                     {"ReloadFixtures": "yes"}, {"ReloadFixtures": 1}, {"ReloadFixtures": None}):
            self.assertBadRequest(server, "POST", "/_mock/reset", body)
        # Nothing was reset by the refused calls.
        self.assertEqual(self.scope_counts(server), {(DEFAULT_ACCOUNT, DEFAULT_REGION): FIXTURE_COUNT})

    def serve_editable_fixtures(self):
        """A server on a copy of the default fixtures: (the copy's path, its text, the server)."""
        path = os.path.join(self.tmp, "fixtures.json")
        with open(default_fixtures(), encoding="utf-8") as f:
            original = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        return path, original, self.start_server("--log-level", "warn", "--fixtures", path)

    def test_reset_rereads_the_fixture_files_and_refuses_ones_that_no_longer_load(self):
        path, original, server = self.serve_editable_fixtures()
        control_ok(server, "POST", "/_mock/faults",
                   {"Operation": "*", "Error": "ThrottlingException", "Count": 100},
                   expect_status=201)

        with open(path, "w", encoding="utf-8") as f:
            f.write('{"MediaAnalysisJobs": [{"JobId": "broken"}]}')
        resp = control(server, "POST", "/_mock/reset")
        self.assertControlError(resp, 409, "FixturesNotLoadable")
        self.assertIn("Status", resp.json["Message"])
        # Nothing was reset: the jobs and the fault rule are still there.
        self.assertEqual(self.scope_counts(server), {(DEFAULT_ACCOUNT, DEFAULT_REGION): FIXTURE_COUNT})
        self.assertEqual(len(control_ok(server, "GET", "/_mock/faults")["Faults"]), 1)

        # An edited file that loads is what the next reset applies.
        edited = json.loads(original)
        edited["MediaAnalysisJobs"] = edited["MediaAnalysisJobs"][:3]
        with open(path, "w", encoding="utf-8") as f:
            json.dump(edited, f)
        self.assertEqual(control_ok(server, "POST", "/_mock/reset"),
                         {"JobsDeleted": FIXTURE_COUNT, "JobsLoaded": 3})
        self.assertEqual(control_ok(server, "GET", "/_mock/faults"), {"Faults": []})


    def test_fixture_file_rewritten_in_place_during_resets_never_kills_the_server(self):
        """Editors and scripts rewrite files in place (truncate, then write): a reset reading the
        file meanwhile gets the old text or the new, or refuses it, and the server lives on."""
        path, original, server = self.serve_editable_fixtures()
        stop = threading.Event()

        def rewrite():
            while not stop.is_set():
                with open(path, "w", encoding="utf-8") as f:  # O_TRUNC, then the bytes
                    f.write(original[: len(original) // 2])
                    f.flush()
                    f.write(original[len(original) // 2:])

        writer = threading.Thread(target=rewrite)
        writer.start()
        try:
            for _ in range(100):
                resp = control(server, "POST", "/_mock/reset")
                self.assertIn(resp.status, (200, 409), resp)
        finally:
            stop.set()
            writer.join()
        self.assertIsNone(server.proc.poll(), "the server died")
        self.assertEqual(control_ok(server, "POST", "/_mock/reset"),
                         {"JobsDeleted": FIXTURE_COUNT, "JobsLoaded": FIXTURE_COUNT})


# ------------------------------------------------------------------------------------------------
class SeedAndDumpTest(ControlPlaneCase):
    def test_seed_into_a_named_scope_and_dump_it(self):
        server = self.serve()
        jobs = [make_job("a" * 64, 1700000000.5, JobName="seeded-one"),
                make_job("b" * 64, "2023-11-14T22:13:21Z", status="QUEUED"),
                make_job("c" * 64, 1700000001, status="FAILED", CompletionTimestamp=1700000100,
                         FailureDetails={"Code": "INVALID_MANIFEST", "Message": "bad line"})]
        self.assertEqual(control_ok(server, "POST", "/_mock/jobs",
                                    {"AccountId": ACCOUNT_A, "Region": "eu-west-1",
                                     "MediaAnalysisJobs": jobs}),
                         {"JobsSeeded": 3})
        dumped = self.dump(server, ACCOUNT_A, "eu-west-1")
        self.assertEqual(list(dumped), ["AccountId", "Region", "MediaAnalysisJobs"])
        self.assertEqual((dumped["AccountId"], dumped["Region"]), (ACCOUNT_A, "eu-west-1"))
        self.assertJobsEqual(dumped["MediaAnalysisJobs"], [jobs[2], jobs[1], jobs[0]])
        # The API in that scope sees them too; the default scope is untouched.
        listed = aws(server, TARGET, {}, ACCOUNT_A, "eu-west-1").json["MediaAnalysisJobs"]
        self.assertEqual(listed, dumped["MediaAnalysisJobs"])
        self.assertEqual(self.scope_counts(server), {(DEFAULT_ACCOUNT, DEFAULT_REGION): FIXTURE_COUNT,
                                                     (ACCOUNT_A, "eu-west-1"): 3})
        # An empty scope dumps an empty list.
        self.assertEqual(self.dump(server, ACCOUNT_B, "eu-west-1"),
                         {"AccountId": ACCOUNT_B, "Region": "eu-west-1", "MediaAnalysisJobs": []})

    def test_seed_a_bare_array_into_the_default_scope_replacing_same_job_ids(self):
        server = self.serve()
        fixture = load_fixture_jobs(default_fixtures())
        replaced = dict(fixture[0], JobName="replaced-by-seed")
        new = make_job("d" * 64, 1600000000)
        self.assertEqual(control_ok(server, "POST", "/_mock/jobs", [replaced, new]),
                         {"JobsSeeded": 2})
        self.assertEqual(self.scope_counts(server), {(DEFAULT_ACCOUNT, DEFAULT_REGION):
                                                     FIXTURE_COUNT + 1})
        got = self.get_job(server, replaced["JobId"])
        self.assertEqual(got["JobName"], "replaced-by-seed")
        dumped = self.dump(server)
        self.assertEqual((dumped["AccountId"], dumped["Region"]), (DEFAULT_ACCOUNT, DEFAULT_REGION))
        self.assertEqual(dumped["MediaAnalysisJobs"], server.list_all()[0])
        # An empty array seeds nothing, successfully.
        self.assertEqual(control_ok(server, "POST", "/_mock/jobs", []), {"JobsSeeded": 0})
        self.assertEqual(control_ok(server, "POST", "/_mock/jobs", {"MediaAnalysisJobs": []}),
                         {"JobsSeeded": 0})

    def test_seed_says_how_many_jobs_it_moved_from_another_scope(self):
        server = self.serve()
        fixture = load_fixture_jobs(default_fixtures())
        taken = dict(fixture[0], JobName="taken-by-account-a")
        new = make_job("e" * 64, 1600000000)
        # A JobId another scope holds moves here, and the answer says so.
        self.assertEqual(control_ok(server, "POST", "/_mock/jobs",
                                    {"AccountId": ACCOUNT_A, "MediaAnalysisJobs": [taken, new]}),
                         {"JobsSeeded": 2, "JobsMoved": 1})
        self.assertEqual(self.scope_counts(server), {(DEFAULT_ACCOUNT, DEFAULT_REGION):
                                                     FIXTURE_COUNT - 1,
                                                     (ACCOUNT_A, DEFAULT_REGION): 2})
        self.assertEqual(self.get_job(server, taken["JobId"], ACCOUNT_A)["JobName"],
                         "taken-by-account-a")
        # Seeded again into the scope that holds them: replaced, none moved, no member.
        self.assertEqual(control_ok(server, "POST", "/_mock/jobs",
                                    {"AccountId": ACCOUNT_A, "MediaAnalysisJobs": [taken, new]}),
                         {"JobsSeeded": 2})
        # Another region of the same account is another scope.
        self.assertEqual(control_ok(server, "POST", "/_mock/jobs",
                                    {"AccountId": ACCOUNT_A, "Region": "eu-west-1",
                                     "MediaAnalysisJobs": [new]}),
                         {"JobsSeeded": 1, "JobsMoved": 1})

    def test_seed_is_all_or_nothing_and_refuses_bad_input(self):
        server = self.serve(fixtures=False)
        good = make_job("e" * 64, 1700000000)
        for raw in ("{", "not json", "\"text\"", "42", "null", ""):
            self.assertBadRequest(server, "POST", "/_mock/jobs", raw_body=raw)
        bad_bodies = [
            {"MediaAnalysisJobs": [good, {"JobId": "f" * 64}]},  # second job incomplete
            {"MediaAnalysisJobs": [good, dict(make_job("f" * 64, 1700000000), Status="DONE")]},
            {"MediaAnalysisJobs": [good, dict(good)]},  # duplicate JobId within the body
            [good, make_job("e" * 64, 1700000005)],
            {"MediaAnalysisJobs": [good, make_job("", 1700000000)]},
            {"MediaAnalysisJobs": [good, make_job("f" * 64, "yesterday")]},
            {"MediaAnalysisJobs": "not a list"},
            {"MediaAnalysisJobs": [good, "not an object"]},
            {"AccountId": "1234", "MediaAnalysisJobs": [good]},
            {"AccountId": 111122223333, "MediaAnalysisJobs": [good]},
            {"Region": "Not A Region", "MediaAnalysisJobs": [good]},
            {"Region": 1, "MediaAnalysisJobs": [good]},
            {"Jobs": [good]},
        ]
        for body in bad_bodies:
            self.assertBadRequest(server, "POST", "/_mock/jobs", body)
        self.assertEqual(self.health(server)["Scopes"], [], "a refused seed stored something")

    def test_dump_refuses_bad_scopes(self):
        server = self.serve(fixtures=False)
        for query in ("AccountId=123", "AccountId=abcdefghijkl", "Region=US_EAST_1",
                      "Region=", "AccountId=", "AccountId=111122223333&Region=eu%20west",
                      "Region=%zz"):
            self.assertBadRequest(server, "GET", "/_mock/jobs?" + query)
        # Percent-encoding and unrelated parameters are fine.
        self.assertEqual(self.dump(server, "111122223333", "eu%2Dwest%2D1")["Region"], "eu-west-1")
        self.assertEqual(control_ok(server, "GET", "/_mock/jobs?Other=1")["AccountId"],
                         DEFAULT_ACCOUNT)

    def test_dump_to_file_loads_back_with_fixtures_byte_identically(self):
        server = self.serve("--job-duration", "3600")
        # A mix: the fixtures, a started job still CREATED, a steered job and a seeded scope.
        started = self.start_job(server)
        steered = self.start_job(server, name="steered.jsonl")
        control_ok(server, "POST", ROUTE_STATUS_PATH.format(steered), {"Status": "SUCCEEDED"})
        control_ok(server, "POST", "/_mock/jobs", {
            "AccountId": ACCOUNT_A, "Region": "ap-southeast-2",
            "MediaAnalysisJobs": [make_job("9" * 64, "2024-02-29T12:00:00.123Z",
                                           JobName="leap", KmsKeyId="alias/key"),
                                  make_job("8" * 64, 1709208000, status="IN_PROGRESS")]})
        paths = []
        originals = []
        for account, region in ((DEFAULT_ACCOUNT, DEFAULT_REGION), (ACCOUNT_A, "ap-southeast-2")):
            resp = control(server, "GET", f"/_mock/jobs?AccountId={account}&Region={region}")
            self.assertEqual(resp.status, 200, resp)
            originals.append(resp.raw)
            path = os.path.join(self.tmp, f"dump-{account}-{region}.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(resp.raw)
            paths.append(path)
        ids = [j["JobId"] for j in json.loads(originals[0])["MediaAnalysisJobs"]]
        self.assertIn(started, ids)
        self.assertEqual(len(ids), FIXTURE_COUNT + 2)

        args = []
        for path in paths:
            args += ["--fixtures", path]
        again = self.start_server("--log-level", "warn", *args)
        for (account, region), original in zip(((DEFAULT_ACCOUNT, DEFAULT_REGION),
                                                (ACCOUNT_A, "ap-southeast-2")), originals):
            resp = control(again, "GET", f"/_mock/jobs?AccountId={account}&Region={region}")
            self.assertEqual(resp.raw, original, f"dump of {account}/{region} changed")
        # The loaded copy of the still-running job is frozen as dumped.
        self.assertEqual(self.get_job(again, started)["Status"], "CREATED")

    def test_dump_seeded_back_through_the_control_plane_is_identical(self):
        server = self.serve()
        original = control(server, "GET", "/_mock/jobs").raw
        control_ok(server, "POST", "/_mock/reset", {"ReloadFixtures": False})
        self.assertEqual(control_ok(server, "POST", "/_mock/jobs", raw_body=original),
                         {"JobsSeeded": FIXTURE_COUNT})
        self.assertEqual(control(server, "GET", "/_mock/jobs").raw, original)


# ------------------------------------------------------------------------------------------------
class SteerTest(ControlPlaneCase):
    def test_force_failed_with_and_without_failure_details(self):
        server = self.serve("--job-duration", "3600")
        job_id = self.start_job(server)
        self.assertEqual(self.get_job(server, job_id)["Status"], "CREATED")
        details = {"Code": "INVALID_MANIFEST", "Message": "line 3 is not JSON"}
        forced = control_ok(server, "POST", ROUTE_STATUS_PATH.format(job_id),
                            {"Status": "FAILED", "FailureDetails": details})
        self.assertEqual(forced["Status"], "FAILED")
        self.assertEqual(forced["FailureDetails"], details)
        self.assertIn("CompletionTimestamp", forced)
        self.assertNotIn("Results", forced)
        self.assertNotIn("ManifestSummary", forced)
        self.assertEqual(self.get_job(server, job_id), forced)

        other = self.start_job(server, name="other.jsonl")
        forced = control_ok(server, "POST", ROUTE_STATUS_PATH.format(other), {"Status": "FAILED"})
        self.assertEqual(forced["FailureDetails"]["Code"], "INTERNAL_ERROR")
        self.assertEqual(self.get_job(server, other), forced)

    def test_force_succeeded_adds_results_and_completion(self):
        server = self.serve()
        queued = [j for j in load_fixture_jobs(default_fixtures()) if j["Status"] == "QUEUED"][0]
        forced = control_ok(server, "POST", ROUTE_STATUS_PATH.format(queued["JobId"]),
                            {"Status": "SUCCEEDED"})
        self.assertEqual(forced["Status"], "SUCCEEDED")
        self.assertIn("Results", forced)
        self.assertIn("ManifestSummary", forced)
        self.assertGreaterEqual(forced["CompletionTimestamp"], forced["CreationTimestamp"])
        self.assertNotIn("FailureDetails", forced)
        self.assertEqual(self.get_job(server, queued["JobId"]), forced)

    def test_force_a_non_terminal_status_drops_completion_results_and_failure(self):
        server = self.serve()
        fixture = load_fixture_jobs(default_fixtures())
        succeeded = [j for j in fixture if j["Status"] == "SUCCEEDED" and "Results" in j][0]
        failed = [j for j in fixture if j["Status"] == "FAILED"][0]
        for job, status in ((succeeded, "IN_PROGRESS"), (failed, "QUEUED"), (failed, "CREATED")):
            with self.subTest(job=job["JobId"], status=status):
                forced = control_ok(server, "POST", ROUTE_STATUS_PATH.format(job["JobId"]),
                                    {"Status": status})
                self.assertEqual(forced["Status"], status)
                for member in ("CompletionTimestamp", "Results", "ManifestSummary",
                               "FailureDetails"):
                    self.assertNotIn(member, forced)
                self.assertEqual(forced["JobId"], job["JobId"])
                self.assertEqual(self.get_job(server, job["JobId"]), forced)

    def test_switching_between_terminal_statuses(self):
        server = self.serve()
        failed = [j for j in load_fixture_jobs(default_fixtures()) if j["Status"] == "FAILED"][0]
        path = ROUTE_STATUS_PATH.format(failed["JobId"])
        succeeded = control_ok(server, "POST", path, {"Status": "SUCCEEDED"})
        self.assertNotIn("FailureDetails", succeeded)
        self.assertIn("Results", succeeded)
        self.assertIn("ManifestSummary", succeeded)
        # Already complete: the completion time is kept.
        self.assertEqual(succeeded["CompletionTimestamp"], failed["CompletionTimestamp"])
        refailed = control_ok(server, "POST", path, {"Status": "FAILED", "FailureDetails":
                                                     {"Code": "RESOURCE_NOT_READY"}})
        self.assertEqual(refailed["FailureDetails"]["Code"], "RESOURCE_NOT_READY")
        self.assertNotIn("Results", refailed)
        self.assertNotIn("ManifestSummary", refailed)
        self.assertEqual(self.get_job(server, failed["JobId"]), refailed)

    def test_a_steered_job_stays_in_its_forced_status(self):
        server = self.serve("--job-duration", "3", fixtures=False)
        job_id = self.start_job(server)
        control_ok(server, "POST", ROUTE_STATUS_PATH.format(job_id), {"Status": "QUEUED"})
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 3600})
        self.assertEqual(self.get_job(server, job_id)["Status"], "QUEUED")
        self.assertEqual(self.dump(server)["MediaAnalysisJobs"][0]["Status"], "QUEUED")

    def test_steering_in_another_scope(self):
        server = self.serve()
        job_id = self.start_job(server, account=ACCOUNT_A, region="eu-west-1")
        forced = control_ok(server, "POST", ROUTE_STATUS_PATH.format(job_id),
                            {"Status": "FAILED", "AccountId": ACCOUNT_A, "Region": "eu-west-1",
                             "FailureDetails": {"Code": "ACCESS_DENIED"}})
        self.assertEqual(forced["FailureDetails"]["Code"], "ACCESS_DENIED")
        self.assertEqual(self.get_job(server, job_id, ACCOUNT_A, "eu-west-1"), forced)

    def test_unknown_job_or_other_scope_is_404(self):
        server = self.serve()
        fixture_id = load_fixture_jobs(default_fixtures())[0]["JobId"]
        for job_id, body in (("0" * 64, {"Status": "FAILED"}),
                             ("no-such-job", {"Status": "SUCCEEDED"}),
                             (fixture_id, {"Status": "FAILED", "AccountId": ACCOUNT_A}),
                             (fixture_id, {"Status": "FAILED", "Region": "eu-west-1"})):
            with self.subTest(job_id=job_id, body=body):
                self.assertControlError(control(server, "POST", ROUTE_STATUS_PATH.format(job_id),
                                                body), 404, "NotFound")
        original = [j for j in server.list_all()[0] if j["JobId"] == fixture_id][0]
        self.assertEqual(self.get_job(server, fixture_id), original)

    def test_status_refuses_bad_input(self):
        server = self.serve()
        job = load_fixture_jobs(default_fixtures())[0]
        path = ROUTE_STATUS_PATH.format(job["JobId"])
        for raw in BAD_JSON_BODIES:
            self.assertBadRequest(server, "POST", path, raw_body=raw)
        for body in ({}, {"Status": 1}, {"Status": "DONE"}, {"Status": "succeeded"},
                     {"Status": None}, {"Status": ["FAILED"]},
                     {"Status": "SUCCEEDED", "FailureDetails": {"Code": "INTERNAL_ERROR"}},
                     {"Status": "IN_PROGRESS", "FailureDetails": {}},
                     {"Status": "FAILED", "FailureDetails": "INTERNAL_ERROR"},
                     {"Status": "FAILED", "FailureDetails": ["INTERNAL_ERROR"]},
                     {"Status": "FAILED", "FailureDetails": {"Code": "NOT_A_CODE"}},
                     {"Status": "FAILED", "FailureDetails": {"Code": 3}},
                     {"Status": "FAILED", "FailureDetails": {"Message": 3}},
                     {"Status": "FAILED", "AccountId": "12"},
                     {"Status": "FAILED", "AccountId": 111122223333},
                     {"Status": "FAILED", "Region": "Moon-1"},
                     {"Status": "FAILED", "Region": ["eu-west-1"]}):
            self.assertBadRequest(server, "POST", path, body)
        # The job is as loaded: no refused call changed it.
        listed = [j for j in server.list_all()[0] if j["JobId"] == job["JobId"]][0]
        self.assertEqual(listed["Status"], job["Status"])


# ------------------------------------------------------------------------------------------------
class ClockTest(ControlPlaneCase):
    def test_advancing_the_clock_finishes_long_jobs_without_sleeping(self):
        server = self.serve("--job-duration", "3600", fixtures=False)
        job_id = self.start_job(server)
        failing = self.start_job(server, name="uploads/fail-invalid-manifest/batch.jsonl")
        self.assertEqual(self.get_job(server, job_id)["Status"], "CREATED")
        self.assertEqual(control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 1300}),
                         {"ClockOffsetSeconds": 1300})
        self.assertEqual(self.get_job(server, job_id)["Status"], "QUEUED")
        # The dump shows jobs as the API shows them now, on the moved clock.
        self.assertEqual({j["JobId"]: j["Status"] for j in self.dump(server)["MediaAnalysisJobs"]},
                         {job_id: "QUEUED", failing: "QUEUED"})
        self.assertEqual(control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 1200}),
                         {"ClockOffsetSeconds": 2500})
        self.assertEqual(self.get_job(server, job_id)["Status"], "IN_PROGRESS")
        self.assertEqual(control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 1100}),
                         {"ClockOffsetSeconds": 3600})
        done = self.get_job(server, job_id)
        self.assertEqual(done["Status"], "SUCCEEDED")
        self.assertIn("Results", done)
        self.assertEqual(self.get_job(server, failing)["FailureDetails"]["Code"],
                         "INVALID_MANIFEST")
        self.assertEqual(self.health(server)["ClockOffsetSeconds"], 3600)
        # Zero and fractions are fine.
        self.assertEqual(control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 0}),
                         {"ClockOffsetSeconds": 3600})
        self.assertEqual(control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 0.25}),
                         {"ClockOffsetSeconds": 3600.25})
        # A global reset puts the clock back on real time.
        control_ok(server, "POST", "/_mock/reset")
        self.assertEqual(self.health(server)["ClockOffsetSeconds"], 0)

    def test_jobs_started_after_an_advance_still_take_their_duration(self):
        server = self.serve("--job-duration", "3600", fixtures=False)
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 86400})
        job_id = self.start_job(server)
        self.assertEqual(self.get_job(server, job_id)["Status"], "CREATED")
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 3600})
        self.assertEqual(self.get_job(server, job_id)["Status"], "SUCCEEDED")

    def test_the_clock_stops_where_jobs_still_complete_within_year_9999(self):
        server = self.serve("--job-duration", "3600", fixtures=False)
        ten_years = 10 * 365 * 86400
        for _ in range(1000):
            resp = control(server, "POST", "/_mock/clock/advance", {"Seconds": ten_years})
            if resp.status != 200:
                break
        self.assertControlError(resp, 400, "BadRequest")
        self.assertTrue(resp.json["Message"].startswith(
            "Seconds: the lifecycle clock cannot pass 9996-01-01T00:00:00Z"), resp)
        offset = self.health(server)["ClockOffsetSeconds"]
        self.assertGreater(offset, 790 * ten_years)
        # At the latest clock, jobs still take their time, paced ones wait for their Gets, and
        # a dump loads back.
        job_id = self.start_job(server)
        self.assertEqual(self.get_job(server, job_id)["Status"], "CREATED")
        paced = self.start_job(server)
        control_ok(server, "POST", f"/_mock/jobs/{paced}/progress", {"PollsPerState": 2})
        self.assertEqual(self.get_job(server, paced)["Status"], "CREATED")
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 3600})
        self.assertEqual(self.get_job(server, job_id)["Status"], "SUCCEEDED")
        self.assertEqual(self.get_job(server, paced)["Status"], "QUEUED")
        self.assertEqual(self.health(server)["ClockOffsetSeconds"], offset + 3600)
        dumped = self.dump(server)
        self.assertEqual(control_ok(server, "POST", "/_mock/jobs", dumped), {"JobsSeeded": 2})

    def test_clock_advance_refuses_bad_input(self):
        server = self.serve(fixtures=False)
        for raw in BAD_JSON_BODIES + ("",):
            self.assertBadRequest(server, "POST", "/_mock/clock/advance", raw_body=raw)
        for body in ({"Seconds": "10"}, {"Seconds": -1}, {"Seconds": None}, {"Seconds": True},
                     {"Seconds": [1]}, {"Seconds": 400 * 365 * 86400}, {"seconds": 10}):
            self.assertBadRequest(server, "POST", "/_mock/clock/advance", body)
        self.assertEqual(self.health(server)["ClockOffsetSeconds"], 0)


# ------------------------------------------------------------------------------------------------
class FaultTest(ControlPlaneCase):
    def test_add_list_fire_and_spend_a_count_rule(self):
        server = self.serve()
        rule = control_ok(server, "POST", "/_mock/faults",
                          {"Operation": "ListMediaAnalysisJobs", "Error": "ThrottlingException",
                           "Count": 2}, expect_status=201)
        self.assertRegex(rule["Id"], r"^\S+$")
        self.assertEqual(rule, {"Id": rule["Id"], "Operation": "ListMediaAnalysisJobs",
                                "Error": "ThrottlingException", "LatencyMs": 0,
                                "RemainingCount": 2, "Fired": 0})
        self.assertEqual(control_ok(server, "GET", "/_mock/faults"), {"Faults": [rule]})
        # Other operations are not affected.
        fixture_id = load_fixture_jobs(default_fixtures())[0]["JobId"]
        self.assertEqual(aws(server, GET_TARGET, {"JobId": fixture_id}).status, 200)

        first = aws(server, TARGET)
        self.assertInjected(first, "ThrottlingException", 500)
        self.assertEqual(control_ok(server, "GET", "/_mock/faults")["Faults"],
                         [dict(rule, RemainingCount=1, Fired=1)])
        self.assertInjected(aws(server, TARGET), "ThrottlingException", 500)
        # Spent: the rule is gone and calls succeed again.
        self.assertEqual(control_ok(server, "GET", "/_mock/faults"), {"Faults": []})
        self.assertEqual(aws(server, TARGET).status, 200)

    def assertInjected(self, resp, error, status):
        self.assertEqual(resp.status, status, resp)
        self.assertEqual(resp.headers.get("x-amzn-ErrorType"), error)
        self.assertEqual(resp.headers.get("Content-Type"), CONTENT_TYPE)
        self.assertRegex(resp.request_id or "", UUID_RE)
        self.assertEqual(list(resp.json), ["__type", "Code", "Logref", "Message"])
        self.assertEqual(resp.json["__type"], error)
        self.assertEqual(resp.json["Code"], error)
        self.assertRegex(resp.json["Logref"], UUID_RE)
        self.assertIsInstance(resp.json["Message"], str)
        self.assertTrue(resp.json["Message"])

    def test_each_injectable_error_looks_like_the_real_one(self):
        server = self.serve()
        expected = {"ThrottlingException": 500, "InternalServerError": 500,
                    "ProvisionedThroughputExceededException": 400, "AccessDeniedException": 400}
        for error, status in expected.items():
            for operation, target, body in (
                    ("StartMediaAnalysisJob", START_TARGET, start_request()),
                    ("GetMediaAnalysisJob", GET_TARGET, {"JobId": "0" * 64}),
                    ("ListMediaAnalysisJobs", TARGET, {})):
                with self.subTest(error=error, operation=operation):
                    control_ok(server, "POST", "/_mock/faults",
                               {"Operation": operation, "Error": error, "Count": 1},
                               expect_status=201)
                    self.assertInjected(aws(server, target, body), error, status)
        # Injected errors strike before validation: even an invalid request gets the fault.
        control_ok(server, "POST", "/_mock/faults", {"Error": "AccessDeniedException", "Count": 1},
                   expect_status=201)
        self.assertInjected(aws(server, START_TARGET, {"Bogus": 1}), "AccessDeniedException", 400)
        # No job was started by any injected call.
        self.assertEqual(self.scope_counts(server), {(DEFAULT_ACCOUNT, DEFAULT_REGION): FIXTURE_COUNT})
        requests = control_ok(server, "GET", "/_mock/requests")["Requests"]
        self.assertEqual([(r["Status"], r.get("ErrorType")) for r in requests],
                         [(s, e) for e, s in expected.items() for _ in range(3)]
                         + [(400, "AccessDeniedException")])

    def test_rules_are_tried_in_order_and_probability_one_always_fires(self):
        server = self.serve()
        always = control_ok(server, "POST", "/_mock/faults",
                            {"Operation": "*", "Error": "InternalServerError", "Probability": 1,
                             "Seed": 5}, expect_status=201)
        self.assertEqual(always, {"Id": always["Id"], "Operation": "*",
                                  "Error": "InternalServerError", "LatencyMs": 0,
                                  "Probability": 1, "Seed": 5, "Fired": 0})
        later = control_ok(server, "POST", "/_mock/faults",
                           {"Error": "AccessDeniedException", "Count": 3}, expect_status=201)
        self.assertEqual(later["Operation"], "*")
        self.assertNotEqual(later["Id"], always["Id"])
        for _ in range(4):
            self.assertInjected(aws(server, TARGET), "InternalServerError", 500)
        faults = control_ok(server, "GET", "/_mock/faults")["Faults"]
        self.assertEqual([(f["Id"], f["Fired"]) for f in faults],
                         [(always["Id"], 4), (later["Id"], 0)])
        self.assertEqual(faults[1]["RemainingCount"], 3)
        # Delete the first: the second decides now.
        self.assertEqual(control_ok(server, "DELETE", f"/_mock/faults/{always['Id']}"),
                         {"FaultsCleared": 1})
        self.assertControlError(control(server, "DELETE", f"/_mock/faults/{always['Id']}"),
                                404, "NotFound")
        self.assertInjected(aws(server, TARGET), "AccessDeniedException", 400)
        # Clear all.
        control_ok(server, "POST", "/_mock/faults", {"LatencyMs": 1, "Count": 4}, expect_status=201)
        self.assertEqual(control_ok(server, "DELETE", "/_mock/faults"), {"FaultsCleared": 2})
        self.assertEqual(control_ok(server, "DELETE", "/_mock/faults"), {"FaultsCleared": 0})
        self.assertEqual(control_ok(server, "GET", "/_mock/faults"), {"Faults": []})
        self.assertEqual(aws(server, TARGET).status, 200)

    def test_a_seeded_probability_rule_fires_repeatably(self):
        patterns = []
        for _ in range(2):
            server = self.serve(fixtures=False)
            rule = {"Operation": "GetMediaAnalysisJob", "Error": "ThrottlingException",
                    "Probability": 0.5, "Seed": 1234}
            control_ok(server, "POST", "/_mock/faults", rule, expect_status=201)
            pattern = []
            for _ in range(40):
                pattern.append(aws(server, GET_TARGET, {"JobId": "0" * 64}).status)
                self.assertEqual(aws(server, TARGET).status, 200)  # other operations unaffected
            self.assertEqual(set(pattern), {400, 500}, pattern)  # fired sometimes, not always
            self.assertEqual(control_ok(server, "GET", "/_mock/faults")["Faults"][0]["Fired"],
                             pattern.count(500))
            patterns.append(pattern)
        self.assertEqual(patterns[0], patterns[1])

    def test_a_count_rule_fires_exactly_count_times_under_concurrency(self):
        server = self.serve("--threads", "4", fixtures=False)
        control_ok(server, "POST", "/_mock/faults",
                   {"Error": "ThrottlingException", "Count": 25}, expect_status=201)
        statuses = []
        lock = threading.Lock()

        def worker():
            conn = server.connection()
            try:
                for _ in range(10):
                    status = call(server.host, server.port, {}, conn=conn).status
                    with lock:
                        statuses.append(status)
            finally:
                conn.close()

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(len(statuses), 80)
        self.assertEqual(statuses.count(500), 25)
        self.assertEqual(statuses.count(200), 55)
        self.assertEqual(control_ok(server, "GET", "/_mock/faults"), {"Faults": []})
        records = control_ok(server, "GET", "/_mock/requests")["Requests"]
        self.assertEqual(sum(r["Status"] == 500 for r in records), 25)

    def test_unknown_fault_id_is_404(self):
        server = self.serve(fixtures=False)
        for fault_id in ("fault-1", "nope", "fault-999"):
            self.assertControlError(control(server, "DELETE", f"/_mock/faults/{fault_id}"),
                                    404, "NotFound")

    def test_invalid_fault_rules_are_refused(self):
        server = self.serve(fixtures=False)
        for raw in BAD_JSON_BODIES + ("",):
            self.assertBadRequest(server, "POST", "/_mock/faults", raw_body=raw)
        bad_rules = [
            {"Error": "ValidationException", "Count": 1},
            {"Error": "ResourceNotFoundException", "Count": 1},
            {"Error": "throttlingexception", "Count": 1},
            {"Error": 500, "Count": 1},
            {"Error": "ThrottlingException"},  # neither Count nor Probability
            {"Error": "ThrottlingException", "Count": 1, "Probability": 0.5},  # both
            {"Error": "ThrottlingException", "Count": 0},
            {"Error": "ThrottlingException", "Count": -2},
            {"Error": "ThrottlingException", "Count": 1.5},
            {"Error": "ThrottlingException", "Count": "3"},
            {"Error": "ThrottlingException", "Probability": 0},
            {"Error": "ThrottlingException", "Probability": 1.01},
            {"Error": "ThrottlingException", "Probability": -0.5},
            {"Error": "ThrottlingException", "Probability": "0.5"},
            {"Error": "ThrottlingException", "Probability": 0.5, "Seed": -1},
            {"Error": "ThrottlingException", "Probability": 0.5, "Seed": 1.5},
            {"Error": "ThrottlingException", "Probability": 0.5, "Seed": "7"},
            {"Error": "ThrottlingException", "Count": 1, "LatencyMs": -1},
            {"Error": "ThrottlingException", "Count": 1, "LatencyMs": 70000},
            {"Error": "ThrottlingException", "Count": 1, "LatencyMs": 60001},
            {"Error": "ThrottlingException", "Count": 1, "LatencyMs": "100"},
            {"LatencyMs": 0, "Count": 1},  # neither an error nor a delay
            {"Count": 1},
            {"Operation": "DescribeProjects", "Error": "ThrottlingException", "Count": 1},
            {"Operation": "listMediaAnalysisJobs", "Error": "ThrottlingException", "Count": 1},
            {"Operation": "", "Error": "ThrottlingException", "Count": 1},
            {"Operation": 7, "Error": "ThrottlingException", "Count": 1},
            {"Operation": ["*"], "Error": "ThrottlingException", "Count": 1},
        ]
        for rule in bad_rules:
            self.assertBadRequest(server, "POST", "/_mock/faults", rule)
        self.assertEqual(control_ok(server, "GET", "/_mock/faults"), {"Faults": []})
        # The limits themselves are accepted.
        for rule in ({"Operation": "StartMediaAnalysisJob", "LatencyMs": 60000, "Count": 1},
                     {"Operation": "GetMediaAnalysisJob", "Error": "AccessDeniedException",
                      "Probability": 1e-9},
                     {"Error": "ProvisionedThroughputExceededException", "Count": 1000000000,
                      "LatencyMs": 0}):
            control_ok(server, "POST", "/_mock/faults", rule, expect_status=201)
        faults = control_ok(server, "GET", "/_mock/faults")["Faults"]
        self.assertEqual(len(faults), 3)
        self.assertNotIn("Error", faults[0])
        self.assertEqual(faults[1]["Seed"], 0)  # Seed defaults to 0

    def test_invalid_rate_latency_and_lifetime_members_are_refused(self):
        server = self.serve(fixtures=False)
        throttle = {"Error": "ThrottlingException"}
        profile = {"P50": 40, "P95": 200, "P99": 900, "Max": 2000}
        for rule in [
            dict(throttle, RatePerSecond=0),
            dict(throttle, RatePerSecond=-1),
            dict(throttle, RatePerSecond=1000001),
            dict(throttle, RatePerSecond="2"),
            dict(throttle, RatePerSecond=2, Count=1),  # two ways to fire
            dict(throttle, RatePerSecond=2, Probability=0.5),
            dict(throttle, RatePerSecond=2, Burst=0.5),
            dict(throttle, Count=1, Burst=2),  # Burst without RatePerSecond
            dict(throttle, Count=1, Latency=dict(profile, P95=30)),  # below P50
            dict(throttle, Count=1, Latency=dict(profile, Max=60001)),
            dict(throttle, Count=1, Latency={"P50": 40}),
            dict(throttle, Count=1, Latency=[40, 200, 900, 2000]),
            dict(throttle, Count=1, Latency=profile, LatencyMs=5),
            {"Count": 1, "Latency": {"P50": 0, "P95": 0, "P99": 0, "Max": 0}},
            dict(throttle, Count=1, ForSeconds=0),
            dict(throttle, Count=1, ForSeconds=-5),
            dict(throttle, Count=1, ForSeconds="60"),
        ]:
            self.assertBadRequest(server, "POST", "/_mock/faults", rule)
        self.assertEqual(control_ok(server, "GET", "/_mock/faults"), {"Faults": []})

    def test_a_rate_rule_fires_only_over_its_rate(self):
        server = self.serve()
        rule = control_ok(server, "POST", "/_mock/faults",
                          {"Operation": "ListMediaAnalysisJobs", "Error": "ThrottlingException",
                           "RatePerSecond": 0.001, "Burst": 3}, expect_status=201)
        self.assertEqual(rule, {"Id": rule["Id"], "Operation": "ListMediaAnalysisJobs",
                                "Error": "ThrottlingException", "LatencyMs": 0,
                                "RatePerSecond": 0.001, "Burst": 3.0, "Fired": 0})
        statuses = [aws(server, TARGET).status for _ in range(5)]
        self.assertEqual(statuses, [200, 200, 200, 500, 500])
        self.assertEqual(control_ok(server, "GET", "/_mock/faults")["Faults"][0]["Fired"], 2)

    def test_a_latency_profile_delays_by_draws_that_repeat_with_the_seed(self):
        def delays(seed):
            server = self.serve(fixtures=False)
            control_ok(server, "POST", "/_mock/faults",
                       {"Operation": "ListMediaAnalysisJobs", "Probability": 1, "Seed": seed,
                        "Latency": {"P50": 5, "P95": 30, "P99": 60, "Max": 80}},
                       expect_status=201)
            for _ in range(12):
                self.assertEqual(aws(server, TARGET).status, 200)
            records = control_ok(server, "GET", "/_mock/requests?Include=Latency")["Requests"]
            server.stop()
            return [r["LatencyMs"] for r in records]
        first, again = delays(3), delays(3)
        self.assertTrue(all(0 <= ms < 200 for ms in first), first)
        # Each response was held at least its drawn latency; the same seed draws the same
        # delays, which the measured latencies follow within a scheduling margin.
        self.assertEqual(len(first), 12)
        for a, b in zip(first, again):
            self.assertLess(abs(a - b), 25, (first, again))

    def test_a_rule_for_seconds_expires_as_the_lifecycle_clock_passes(self):
        server = self.serve()
        rule = control_ok(server, "POST", "/_mock/faults",
                          {"Operation": "ListMediaAnalysisJobs", "Error": "ThrottlingException",
                           "Probability": 1, "ForSeconds": 3600}, expect_status=201)
        now = control_ok(server, "GET", "/_mock/health")["Now"]
        self.assertAlmostEqual(rule["ExpiresAt"], now + 3600, delta=5)
        self.assertEqual(aws(server, TARGET).status, 500)
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 3599})
        self.assertEqual(len(control_ok(server, "GET", "/_mock/faults")["Faults"]), 1)
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 2})
        self.assertEqual(control_ok(server, "GET", "/_mock/faults"), {"Faults": []})
        self.assertEqual(aws(server, TARGET).status, 200)

    def test_latency_holds_one_response_without_blocking_the_server(self):
        server = self.serve("--threads", "1")
        control_ok(server, "POST", "/_mock/faults",
                   {"Operation": "ListMediaAnalysisJobs", "LatencyMs": 5000, "Count": 1},
                   expect_status=201)
        slow = {}

        def slow_call():
            started = time.monotonic()
            slow["resp"] = aws(server, TARGET, {"MaxResults": 5})
            slow["elapsed"] = time.monotonic() - started

        thread = threading.Thread(target=slow_call, daemon=True)
        started = time.monotonic()
        thread.start()
        # The count rule disappears once it has fired on the slow call.
        while control_ok(server, "GET", "/_mock/faults")["Faults"]:
            self.assertLess(time.monotonic() - started, 2.0, "the slow call never reached the rule")
            time.sleep(0.01)
        # Meanwhile, on other connections, the single I/O thread still answers promptly. The
        # bounds leave room for a loaded 2-core CI machine under ASan: what matters is that both
        # answers come back while the delayed one is still held.
        for target, body in ((TARGET, {"MaxResults": 5}), (GET_TARGET, {"JobId": "0" * 64})):
            quick_started = time.monotonic()
            resp = aws(server, target, body)
            self.assertLess(time.monotonic() - quick_started, 1.0, "a delayed response blocked "
                            "the server")
            self.assertIn(resp.status, (200, 400))
        self.assertEqual(self.health(server)["Status"], "ready")
        self.assertTrue(thread.is_alive(), "the delayed response came back too early")
        thread.join(15)
        self.assertFalse(thread.is_alive())
        self.assertEqual(slow["resp"].status, 200, slow["resp"])
        self.assertEqual(len(slow["resp"].json["MediaAnalysisJobs"]), 5)
        self.assertGreaterEqual(slow["elapsed"], 4.95)
        self.assertLess(slow["elapsed"], 14)

    def test_latency_with_an_error_delays_the_error(self):
        server = self.serve(fixtures=False)
        control_ok(server, "POST", "/_mock/faults",
                   {"Error": "ThrottlingException", "LatencyMs": 400, "Count": 1},
                   expect_status=201)
        started = time.monotonic()
        resp = aws(server, TARGET)
        elapsed = time.monotonic() - started
        self.assertInjected(resp, "ThrottlingException", 500)
        self.assertGreaterEqual(elapsed, 0.38)
        self.assertLess(elapsed, 8)


# ------------------------------------------------------------------------------------------------
class RequestLogTest(ControlPlaneCase):
    def test_request_log_lists_aws_calls_oldest_first(self):
        server = self.serve()
        control_ok(server, "GET", "/_mock/health")  # control calls are not logged
        sent = []
        for target, body, account, region in (
                (TARGET, {}, None, DEFAULT_REGION),
                (START_TARGET, start_request(), ACCOUNT_A, "eu-west-1"),
                (GET_TARGET, {"JobId": "0" * 64}, None, DEFAULT_REGION),
                (TARGET, {"MaxResults": 0}, ACCOUNT_B, "eu-central-1"),
                ("RekognitionService.DetectLabels", {}, None, DEFAULT_REGION)):
            before = time.time()
            resp = aws(server, target, body, account, region)
            sent.append((resp, target, account or DEFAULT_ACCOUNT, region, before, time.time()))
        control_ok(server, "GET", "/_mock/faults")
        records = control_ok(server, "GET", "/_mock/requests")["Requests"]
        self.assertEqual(len(records), len(sent))
        for record, (resp, target, account, region, before, after) in zip(records, sent):
            with self.subTest(target=target):
                self.assertEqual(record["RequestId"], resp.request_id)
                if target == "RekognitionService.DetectLabels":
                    # Not an operation of the mock: listed as sent, with no Operation.
                    self.assertNotIn("Operation", record)
                    self.assertEqual((record["Unroutable"], record["Method"], record["Path"],
                                      record["Target"]), (True, "POST", "/", target))
                else:
                    self.assertEqual(record["Operation"], target.split(".", 1)[1])
                    self.assertNotIn("Unroutable", record)
                self.assertEqual(record["AccountId"], account)
                self.assertEqual(record["Region"], region)
                self.assertEqual(record["Status"], resp.status)
                if resp.status == 200:
                    self.assertNotIn("ErrorType", record)
                    self.assertEqual(list(record), ["Time", "RequestId", "Operation", "AccountId",
                                                    "Region", "Status"])
                else:
                    self.assertEqual(record["ErrorType"], resp.json["__type"])
                self.assertIsInstance(record["Time"], (int, float))
                self.assertGreaterEqual(record["Time"], before - 1)
                self.assertLessEqual(record["Time"], after + 1)
        self.assertEqual([r["Status"] for r in records], [200, 200, 400, 400, 400])
        # Limit keeps the newest N, still oldest first.
        limited = control_ok(server, "GET", "/_mock/requests?Limit=2")["Requests"]
        self.assertEqual(limited, records[-2:])
        self.assertEqual(control_ok(server, "GET", "/_mock/requests?Limit=1000")["Requests"],
                         records)
        self.assertEqual(control_ok(server, "GET", "/_mock/requests?Limit=1")["Requests"],
                         records[-1:])
        # Clearing.
        self.assertEqual(control(server, "DELETE", "/_mock/requests").status, 200)
        self.assertEqual(control_ok(server, "GET", "/_mock/requests"), {"Requests": []})
        aws(server, TARGET)
        self.assertEqual(len(control_ok(server, "GET", "/_mock/requests")["Requests"]), 1)

    def test_default_limit_is_100_and_the_log_keeps_the_last_1000(self):
        server = self.serve(fixtures=False)
        conn = server.connection()
        ids = []
        try:
            for _ in range(1005):
                ids.append(call(server.host, server.port, {}, conn=conn).request_id)
        finally:
            conn.close()
        default = control_ok(server, "GET", "/_mock/requests")["Requests"]
        self.assertEqual([r["RequestId"] for r in default], ids[-100:])
        everything = control_ok(server, "GET", "/_mock/requests?Limit=1000")["Requests"]
        self.assertEqual([r["RequestId"] for r in everything], ids[-1000:])

    def test_request_log_refuses_bad_limits(self):
        server = self.serve(fixtures=False)
        for limit in ("0", "1001", "-1", "abc", "", "1.5", "99999", "10%20"):
            self.assertBadRequest(server, "GET", f"/_mock/requests?Limit={limit}")


# ------------------------------------------------------------------------------------------------
class DoneWhenTest(ControlPlaneCase):
    def test_reset_start_force_failed_observe_through_boto3_and_the_request_log(self):
        server = self.serve("--job-duration", "3600")
        client = boto3_client(server.endpoint)
        # Dirty the mock first: a job, a fault rule, a logged request, a moved clock.
        client.start_media_analysis_job(
            OperationsConfig={"DetectModerationLabels": {"MinConfidence": 50}},
            Input={"S3Object": {"Bucket": "dirty-bucket", "Name": "dirty.jsonl"}},
            OutputConfig={"S3Bucket": "dirty-output"})
        control_ok(server, "POST", "/_mock/faults", {"Operation": "GetMediaAnalysisJob",
                                                     "LatencyMs": 10, "Count": 50},
                   expect_status=201)
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 60})

        self.assertEqual(control_ok(server, "POST", "/_mock/reset"),
                         {"JobsDeleted": FIXTURE_COUNT + 1, "JobsLoaded": FIXTURE_COUNT})
        ids = []
        started = client.start_media_analysis_job(
            JobName="done-when",
            OperationsConfig={"DetectModerationLabels": {"MinConfidence": 70}},
            Input={"S3Object": {"Bucket": "input-bucket", "Name": "manifests/done-when.jsonl"}},
            OutputConfig={"S3Bucket": "output-bucket", "S3KeyPrefix": "done/"})
        job_id = started["JobId"]
        ids.append(("StartMediaAnalysisJob", started["ResponseMetadata"]["RequestId"]))
        before = client.get_media_analysis_job(JobId=job_id)
        ids.append(("GetMediaAnalysisJob", before["ResponseMetadata"]["RequestId"]))
        self.assertEqual(before["Status"], "CREATED")

        details = {"Code": "INVALID_MANIFEST", "Message": "line 3 is not JSON"}
        forced = control_ok(server, "POST", ROUTE_STATUS_PATH.format(job_id),
                            {"Status": "FAILED", "FailureDetails": details})
        self.assertEqual(forced["Status"], "FAILED")

        got = client.get_media_analysis_job(JobId=job_id)
        ids.append(("GetMediaAnalysisJob", got["ResponseMetadata"]["RequestId"]))
        self.assertEqual(got["Status"], "FAILED")
        self.assertEqual(got["FailureDetails"], details)
        self.assertEqual(got["JobName"], "done-when")
        self.assertIn("CompletionTimestamp", got)
        self.assertGreaterEqual(got["CompletionTimestamp"], got["CreationTimestamp"])
        self.assertNotIn("Results", got)

        page = client.list_media_analysis_jobs(MaxResults=10)
        ids.append(("ListMediaAnalysisJobs", page["ResponseMetadata"]["RequestId"]))
        listed = [j for j in page["MediaAnalysisJobs"] if j["JobId"] == job_id]
        self.assertEqual(len(listed), 1, "the started job is not on the first page")
        self.assertEqual(listed[0]["Status"], "FAILED")
        self.assertEqual(listed[0]["FailureDetails"], details)
        got_members = {k: v for k, v in got.items() if k != "ResponseMetadata"}
        self.assertEqual(listed[0], got_members)

        # It stays FAILED when the clock passes its original schedule.
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 7200})
        again = client.get_media_analysis_job(JobId=job_id)
        ids.append(("GetMediaAnalysisJob", again["ResponseMetadata"]["RequestId"]))
        self.assertEqual(again["Status"], "FAILED")

        records = control_ok(server, "GET", "/_mock/requests")["Requests"]
        self.assertEqual([(r["Operation"], r["RequestId"]) for r in records], ids)
        for record in records:
            self.assertEqual((record["AccountId"], record["Region"], record["Status"]),
                             (DEFAULT_ACCOUNT, DEFAULT_REGION, 200))
            self.assertNotIn("ErrorType", record)
        self.assertEqual(self.scope_counts(server),
                         {(DEFAULT_ACCOUNT, DEFAULT_REGION): FIXTURE_COUNT + 1})


# ------------------------------------------------------------------------------------------------
class NoControlPlaneTest(ControlPlaneCase):
    def check_control_plane_is_off(self, server):
        for method, path, body in (("GET", "/_mock/health", None),
                                   ("POST", "/_mock/reset", {}),
                                   ("GET", "/_mock/jobs", None),
                                   ("POST", "/_mock/faults", {"Error": "ThrottlingException",
                                                              "Count": 1}),
                                   ("GET", "/_mock/requests", None),
                                   ("GET", "/_localstack/health", None),
                                   ("GET", "/_mock/nope", None)):
            with self.subTest(method=method, path=path):
                resp = control(server, method, path, body)
                self.assertEqual(resp.status, 400, resp)
                self.assertEqual(resp.headers.get("x-amzn-ErrorType"), "UnknownOperationException")
                self.assertEqual(resp.json["__type"], "UnknownOperationException")
                self.assertRegex(resp.request_id or "", UUID_RE)
        # The AWS API itself works, and the refused "reset" and "fault" did nothing.
        jobs, _ = server.list_all()
        self.assertEqual(len(jobs), FIXTURE_COUNT)

    def test_no_control_plane_flag(self):
        self.check_control_plane_is_off(self.serve("--no-control-plane"))

    def test_no_control_plane_environment_variable(self):
        self.check_control_plane_is_off(
            self.serve(env={"REKOGNITION_MOCK_NO_CONTROL_PLANE": "true"}))


if __name__ == "__main__":
    unittest.main()
