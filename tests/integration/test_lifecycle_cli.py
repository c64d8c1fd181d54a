"""The job lifecycle's command line: --default-account, --job-duration, the per-state duration
overrides and --max-unfinished-jobs (flags and environment variables), and fixture files that
load jobs into another (account, region) scope through top-level AccountId and Region."""

import copy
import time
import unittest

from mock_server import (GET_TARGET, START_TARGET, MockServer, ServerStartError, ServerTestCase,
                         default_fixtures, load_fixture_jobs, make_job, normalize, run_binary,
                         scope_headers, start_request, write_json)

NEW_FLAGS = ["--default-account", "--job-duration", "--created-duration", "--queued-duration",
             "--in-progress-duration", "--max-unfinished-jobs"]
NEW_ENV_VARS = ["REKOGNITION_MOCK_DEFAULT_ACCOUNT", "REKOGNITION_MOCK_JOB_DURATION",
                "REKOGNITION_MOCK_CREATED_DURATION", "REKOGNITION_MOCK_QUEUED_DURATION",
                "REKOGNITION_MOCK_IN_PROGRESS_DURATION", "REKOGNITION_MOCK_MAX_UNFINISHED_JOBS"]
FIXTURE_COUNT = 48
WAIT_LIMIT = 20.0


class LifecycleCase(ServerTestCase):
    """Raw-HTTP helpers for Start/Get/List in a chosen scope."""

    def start_job(self, server, name="manifests/input.jsonl", key="test", region="us-east-1",
                  expect=200, **extra):
        resp = server.call(start_request(name=name, **extra), target=START_TARGET,
                           headers=scope_headers(key, region))
        self.assertEqual(resp.status, expect, resp.raw)
        return resp

    def get_job(self, server, job_id, key="test", region="us-east-1"):
        return server.call({"JobId": job_id}, target=GET_TARGET, headers=scope_headers(key, region))

    def list_ids(self, server, key="test", region="us-east-1"):
        ids, token = [], None
        for _ in range(200):
            body = {"MaxResults": 100}
            if token:
                body["NextToken"] = token
            resp = server.call(body, headers=scope_headers(key, region))
            self.assertEqual(resp.status, 200, resp.raw)
            ids.extend(j["JobId"] for j in resp.json["MediaAnalysisJobs"])
            token = resp.json.get("NextToken")
            if not token:
                return ids
        self.fail("pagination did not terminate")

    def status_of(self, server, job_id, **scope):
        resp = self.get_job(server, job_id, **scope)
        self.assertEqual(resp.status, 200, resp.raw)
        return resp.json["Status"]

    def wait_terminal(self, server, job_id, **scope):
        seen = []
        deadline = time.monotonic() + WAIT_LIMIT
        while time.monotonic() < deadline:
            status = self.status_of(server, job_id, **scope)
            seen.append(status)
            if status in ("SUCCEEDED", "FAILED"):
                return seen
            time.sleep(0.05)
        self.fail(f"job {job_id} not terminal within {WAIT_LIMIT} s: {seen}")

    def assertErrorType(self, resp, error_type, status=400):
        self.assertEqual(resp.status, status, resp.raw)
        self.assertEqual(resp.json.get("__type"), error_type, resp.raw)


class HelpTest(ServerTestCase):
    def test_help_lists_the_new_flags_and_environment_variables(self):
        proc = run_binary("--help")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for name in NEW_FLAGS + NEW_ENV_VARS:
            self.assertIn(name, proc.stdout, f"--help does not mention {name}")


class UsageErrorTest(ServerTestCase):
    def assertUsageError(self, *args, env=None, names=None):
        # Started like a server so that a wrongly accepted value fails at once (listening line)
        # instead of after a timeout.
        try:
            server = MockServer(*args, env=env).start()
        except ServerStartError as err:
            self.assertEqual(err.returncode, 2, f"{args} {env}: {err}")
            self.assertNotIn("listening on", err.stdout)
            if names:
                self.assertIn(names, err.stderr)
            return err
        server.stop()
        self.fail(f"{args} {env}: expected a usage error (exit 2) but the server started")

    def test_bad_flag_values_exit_2(self):
        cases = [("--default-account", "123"), ("--default-account", "abcdefghijkl"),
                 ("--default-account", "1234567890123"), ("--default-account", ""),
                 ("--job-duration", "-1"), ("--job-duration", "soon"),
                 ("--job-duration", "inf"), ("--max-unfinished-jobs", "-1"),
                 ("--max-unfinished-jobs", "many"), ("--created-duration", "-1"),
                 ("--queued-duration", "-0.5"), ("--in-progress-duration", "-2")]
        for flag, value in cases:
            with self.subTest(flag=flag, value=value):
                self.assertUsageError(flag, value, names=flag)

    def test_nan_durations_exit_2(self):
        # NaN is not in [0, 31536000]; accepting it yields nonsense completion times.
        for flag in ("--job-duration", "--created-duration", "--queued-duration",
                     "--in-progress-duration"):
            with self.subTest(flag=flag):
                self.assertUsageError(flag, "nan", names=flag)

    def test_bad_environment_values_exit_2(self):
        cases = [("REKOGNITION_MOCK_DEFAULT_ACCOUNT", "123"),
                 ("REKOGNITION_MOCK_JOB_DURATION", "-1"),
                 ("REKOGNITION_MOCK_CREATED_DURATION", "-1"),
                 ("REKOGNITION_MOCK_QUEUED_DURATION", "later"),
                 ("REKOGNITION_MOCK_IN_PROGRESS_DURATION", "-3"),
                 ("REKOGNITION_MOCK_MAX_UNFINISHED_JOBS", "-1")]
        for var, value in cases:
            with self.subTest(var=var, value=value):
                self.assertUsageError(env={var: value})


class DefaultAccountTest(LifecycleCase):
    def check_default_account(self, server, account):
        fixture_ids = {j["JobId"] for j in load_fixture_jobs(default_fixtures())}
        # No Authorization header, a non-account key, and the account itself: one scope.
        resp = server.call({"MaxResults": 100})
        self.assertEqual({j["JobId"] for j in resp.json["MediaAnalysisJobs"]}, fixture_ids)
        self.assertEqual(set(self.list_ids(server, key="AKIAIOSFODNN7EXAMPLE")), fixture_ids)
        self.assertEqual(set(self.list_ids(server, key=account)), fixture_ids)
        self.assertEqual(self.list_ids(server, key="000000000000"), [])
        job_id = self.start_job(server, key="not-an-account").json["JobId"]
        self.assertEqual(self.status_of(server, job_id, key=account), "SUCCEEDED")

    def test_flag(self):
        server = self.start_server("--fixtures", default_fixtures(),
                                   "--default-account", "444444444444")
        self.check_default_account(server, "444444444444")

    def test_environment_variable(self):
        server = self.start_server("--fixtures", default_fixtures(),
                                   env={"REKOGNITION_MOCK_DEFAULT_ACCOUNT": "555555555555"})
        self.check_default_account(server, "555555555555")

    def test_flag_beats_environment_variable(self):
        server = self.start_server("--fixtures", default_fixtures(),
                                   "--default-account", "444444444444",
                                   env={"REKOGNITION_MOCK_DEFAULT_ACCOUNT": "555555555555"})
        self.check_default_account(server, "444444444444")
        self.assertEqual(self.list_ids(server, key="555555555555"), [])


class DurationTest(LifecycleCase):
    def test_default_is_terminal_at_once(self):
        server = self.start_server()
        ok = self.start_job(server).json["JobId"]
        self.assertEqual(self.status_of(server, ok), "SUCCEEDED")
        bad = self.start_job(server, name="m/fail-throttled.jsonl").json["JobId"]
        self.assertEqual(self.status_of(server, bad), "FAILED")

    def check_progresses(self, server):
        job_id = self.start_job(server).json["JobId"]
        seen = self.wait_terminal(server, job_id)
        self.assertEqual(seen[0], "CREATED", seen)
        self.assertEqual(seen[-1], "SUCCEEDED", seen)

    def test_job_duration_flag(self):
        self.check_progresses(self.start_server("--job-duration", "0.6"))

    def test_job_duration_environment_variable(self):
        self.check_progresses(self.start_server(env={"REKOGNITION_MOCK_JOB_DURATION": "0.6"}))

    def test_state_overrides_hold_a_job_in_that_state(self):
        # With --job-duration 0, one long override leaves the job in exactly that state.
        cases = [("--created-duration", "REKOGNITION_MOCK_CREATED_DURATION", "CREATED"),
                 ("--queued-duration", "REKOGNITION_MOCK_QUEUED_DURATION", "QUEUED"),
                 ("--in-progress-duration", "REKOGNITION_MOCK_IN_PROGRESS_DURATION",
                  "IN_PROGRESS")]
        for flag, var, state in cases:
            for how in ("flag", "env"):
                with self.subTest(override=flag, via=how):
                    if how == "flag":
                        server = self.start_server("--job-duration", "0", flag, "300")
                    else:
                        server = self.start_server("--job-duration", "0", env={var: "300"})
                    job_id = self.start_job(server).json["JobId"]
                    time.sleep(0.1)
                    self.assertEqual(self.status_of(server, job_id), state)
                    resp = self.get_job(server, job_id)
                    self.assertNotIn("CompletionTimestamp", resp.json)
                    self.assertNotIn("Results", resp.json)
                    server.stop()

    def test_override_replaces_only_its_share_of_the_split(self):
        # 30 s split evenly would keep the job CREATED for 10 s; created 0 and queued 0 leave
        # the in-progress share of 10 s.
        server = self.start_server("--job-duration", "30", "--created-duration", "0",
                                   "--queued-duration", "0")
        job_id = self.start_job(server).json["JobId"]
        self.assertEqual(self.status_of(server, job_id), "IN_PROGRESS")


class MaxUnfinishedJobsTest(LifecycleCase):
    def test_flag(self):
        server = self.start_server("--max-unfinished-jobs", "1", "--job-duration", "300")
        self.start_job(server)
        self.assertErrorType(self.start_job(server, name="m/2", expect=400),
                             "LimitExceededException")
        self.start_job(server, key="111111111111")

    def test_environment_variable(self):
        server = self.start_server(env={"REKOGNITION_MOCK_MAX_UNFINISHED_JOBS": "2",
                                        "REKOGNITION_MOCK_JOB_DURATION": "300"})
        self.start_job(server, name="m/1")
        self.start_job(server, name="m/2")
        self.assertErrorType(self.start_job(server, name="m/3", expect=400),
                             "LimitExceededException")

    def test_zero_refuses_every_start(self):
        server = self.start_server("--max-unfinished-jobs", "0")
        self.assertErrorType(self.start_job(server, expect=400), "LimitExceededException")
        self.assertEqual(self.list_ids(server), [])

    def test_default_fixtures_count_their_13_unfinished_jobs(self):
        server = self.start_server("--fixtures", default_fixtures(),
                                   "--max-unfinished-jobs", "13")
        self.assertErrorType(self.start_job(server, expect=400), "LimitExceededException")
        self.assertEqual(len(self.list_ids(server)), FIXTURE_COUNT)
        # Other scopes of the same server are free.
        self.start_job(server, region="eu-west-1")
        self.start_job(server, key="111111111111")


class ScopedFixtureTest(LifecycleCase):
    """A fixture document's top-level AccountId and Region choose the scope of its jobs."""

    ACCOUNT = "111111111111"
    REGION = "eu-west-1"

    def write_files(self):
        plain = make_job("a" * 64, 1727000000.5)
        scoped = make_job("b" * 64, 1727000001.5)
        account_only = make_job("c" * 64, 1727000002.5)
        region_only = make_job("d" * 64, 1727000003.5)
        paths = [
            write_json(self.tmp, "plain.json", {"MediaAnalysisJobs": [plain]}),
            write_json(self.tmp, "scoped.json", {"AccountId": self.ACCOUNT, "Region": self.REGION,
                                                 "MediaAnalysisJobs": [scoped]}),
            write_json(self.tmp, "account.json", {"AccountId": self.ACCOUNT,
                                                  "MediaAnalysisJobs": [account_only]}),
            write_json(self.tmp, "region.json", {"Region": self.REGION,
                                                 "MediaAnalysisJobs": [region_only]}),
        ]
        return paths, (plain, scoped, account_only, region_only)

    def check_scopes(self, server, jobs, default_account="000000000000"):
        plain, scoped, account_only, region_only = jobs
        expected = {
            ("test", "us-east-1"): [plain],
            (default_account, "us-east-1"): [plain],
            (self.ACCOUNT, self.REGION): [scoped],
            (self.ACCOUNT, "us-east-1"): [account_only],
            ("test", self.REGION): [region_only],
            (default_account, self.REGION): [region_only],
            ("222222222222", self.REGION): [],
            (self.ACCOUNT, "us-west-2"): [],
        }
        for (key, region), want in expected.items():
            with self.subTest(key=key, region=region):
                resp = server.call({}, headers=scope_headers(key, region))
                self.assertEqual(resp.status, 200, resp.raw)
                got = [normalize(j) for j in resp.json["MediaAnalysisJobs"]]
                self.assertEqual(got, [normalize(j) for j in want])
        # Get follows the same scopes.
        resp = self.get_job(server, scoped["JobId"], key=self.ACCOUNT, region=self.REGION)
        self.assertEqual(resp.status, 200, resp.raw)
        self.assertEqual(normalize(resp.json), normalize(scoped))
        for key, region in [("test", "us-east-1"), (self.ACCOUNT, "us-east-1"),
                            ("test", self.REGION), ("222222222222", self.REGION)]:
            with self.subTest(get_from=(key, region)):
                self.assertErrorType(self.get_job(server, scoped["JobId"], key=key,
                                                  region=region), "ResourceNotFoundException")

    def test_fixture_files_load_into_their_scopes(self):
        paths, jobs = self.write_files()
        args = []
        for path in paths:
            args += ["--fixtures", path]
        self.check_scopes(self.start_server(*args), jobs)

    def test_fixtures_from_the_environment_variable(self):
        paths, jobs = self.write_files()
        server = self.start_server(env={"REKOGNITION_MOCK_FIXTURES": ",".join(paths)})
        self.check_scopes(server, jobs)

    def test_files_without_account_id_use_the_default_account(self):
        paths, jobs = self.write_files()
        args = ["--default-account", "999999999999"]
        for path in paths:
            args += ["--fixtures", path]
        server = self.start_server(*args)
        self.check_scopes(server, jobs, default_account="999999999999")
        self.assertEqual(self.list_ids(server, key="000000000000"), [])

    def test_scoped_unfinished_fixture_jobs_count_in_their_scope_only(self):
        jobs = [make_job(f"{i:064x}", 1727000000 + i, status="IN_PROGRESS") for i in range(1, 3)]
        path = write_json(self.tmp, "busy.json", {"AccountId": self.ACCOUNT, "Region": self.REGION,
                                                  "MediaAnalysisJobs": jobs})
        server = self.start_server("--fixtures", path, "--max-unfinished-jobs", "2")
        self.assertErrorType(self.start_job(server, key=self.ACCOUNT, region=self.REGION,
                                            expect=400), "LimitExceededException")
        self.start_job(server, key=self.ACCOUNT, region="us-east-1")
        self.start_job(server, region=self.REGION)

    def assertFixtureRejected(self, path):
        with self.assertRaises(ServerStartError) as ctx:
            self.start_server("--fixtures", path)
        self.assertEqual(ctx.exception.returncode, 1, ctx.exception.stderr)
        self.assertIn(path, ctx.exception.stderr)
        self.assertNotIn("listening on", ctx.exception.stdout)

    def test_bad_account_id_exits_1_naming_the_file(self):
        job = make_job("e" * 64, 1727000000)
        for i, bad in enumerate(("123", "abcdefghijkl", "1111111111111", "", 111111111111, None)):
            with self.subTest(account=bad):
                path = write_json(self.tmp, f"bad-account-{i}.json",
                                  {"AccountId": bad, "MediaAnalysisJobs": [job]})
                self.assertFixtureRejected(path)

    def test_bad_region_exits_1_naming_the_file(self):
        job = make_job("e" * 64, 1727000000)
        for i, bad in enumerate(("EU-WEST-1", "eu west 1", "", 7)):
            with self.subTest(region=bad):
                path = write_json(self.tmp, f"bad-region-{i}.json",
                                  {"Region": bad, "MediaAnalysisJobs": [job]})
                self.assertFixtureRejected(path)


if __name__ == "__main__":
    unittest.main()
