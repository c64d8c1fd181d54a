"""The command line, environment variables, fixture validation, startup log and signals."""

import copy
import json
import os
import resource
import signal
import socket
import subprocess
import time
import unittest

import mock_server
from project import git_revision, project_version
from mock_server import (MockServer, ServerStartError, ServerTestCase, call, default_fixtures,
                         expected_from_file, load_fixture_jobs, run_binary, start_request,
                         write_json)

FLAGS = ["--host", "--port", "--db", "--fixtures", "--threads", "--log-level",
         "--generate-fixtures", "--seed", "--help", "--version", "--polls-per-state",
         "--moderation-rules"]
ENV_VARS = ["REKOGNITION_MOCK_HOST", "REKOGNITION_MOCK_PORT", "REKOGNITION_MOCK_DB",
            "REKOGNITION_MOCK_FIXTURES", "REKOGNITION_MOCK_THREADS", "REKOGNITION_MOCK_LOG_LEVEL",
            "REKOGNITION_MOCK_POLLS_PER_STATE", "REKOGNITION_MOCK_MODERATION_RULES"]


class HelpAndVersionTest(ServerTestCase):
    def test_help_exits_zero_and_mentions_every_flag(self):
        proc = run_binary("--help")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for flag in FLAGS:
            self.assertIn(flag, proc.stdout, f"--help does not mention {flag}")
        self.assertNotIn("listening on", proc.stdout)

    def test_help_mentions_environment_variables(self):
        proc = run_binary("--help")
        self.assertEqual(proc.returncode, 0)
        for var in ENV_VARS:
            self.assertIn(var, proc.stdout, f"--help does not mention {var}")

    def test_version(self):
        proc = run_binary("--version")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(),
                         f"rekognition-mock {project_version()} ({git_revision()})")


class UsageErrorTest(ServerTestCase):
    def assertUsageError(self, *args, env=None):
        try:
            proc = run_binary(*args, env=env, timeout=3)
        except subprocess.TimeoutExpired as e:
            self.fail(f"{args}: expected a usage error (exit 2) but the process kept running; "
                      f"stdout={e.stdout!r}")
        self.assertEqual(proc.returncode, 2, f"{args}: stdout={proc.stdout!r} stderr={proc.stderr!r}")
        self.assertNotIn("listening on", proc.stdout)
        self.assertTrue(proc.stderr.strip(), f"{args}: usage error printed nothing on stderr")
        return proc

    def test_unknown_flag_exits_2(self):
        proc = self.assertUsageError("--bogus-flag")
        self.assertIn("--bogus-flag", proc.stderr)

    def test_a_bad_poll_count_or_a_missing_rules_file_exits_2(self):
        for value in ("-1", "1.5", "many", "1000001"):
            with self.subTest(value=value):
                self.assertUsageError("--port", "0", "--polls-per-state", value)
        proc = self.assertUsageError("--port", "0", "--moderation-rules", "/nonexistent/rules.json")
        self.assertIn("/nonexistent/rules.json", proc.stderr)

    def test_positional_argument_exits_2(self):
        self.assertUsageError("extra-argument")

    def test_bad_port_values_exit_2(self):
        for value in ("abc", "70000", "-1", "1.5", "80x"):
            with self.subTest(port=value):
                self.assertUsageError("--port", value)

    def test_empty_port_value_exits_2(self):
        # An empty value is not a port; it must not silently mean "any free port".
        self.assertUsageError("--port", "")

    def test_missing_flag_value_exits_2(self):
        self.assertUsageError("--port")

    def test_bad_log_level_exits_2(self):
        self.assertUsageError("--port", "0", "--log-level", "loud")

    def test_bad_threads_exits_2(self):
        self.assertUsageError("--port", "0", "--threads", "lots")

    def test_bad_generate_fixtures_count_exits_2(self):
        self.assertUsageError("--generate-fixtures", "many")

    def test_bad_port_from_environment_exits_2(self):
        self.assertUsageError(env={"REKOGNITION_MOCK_PORT": "not-a-port"})

    def test_bad_host_exits_2_naming_the_flag(self):
        # Checked at parse time, not found out by the listener (which exited 1).
        for value in ("localhost", "256.0.0.1", "1.2.3", "::g", "[::1]", "127.0.0.1:80", ""):
            with self.subTest(host=value):
                proc = self.assertUsageError("--port", "0", "--host", value)
                self.assertIn("--host", proc.stderr)

    def test_bad_cors_origin_exits_2_naming_the_flag(self):
        for value in ("localhost:5173", "http://localhost:5173/", "http://h/app", ""):
            with self.subTest(origin=value):
                proc = self.assertUsageError("--port", "0", "--cors-origin", value)
                self.assertIn("--cors-origin", proc.stderr)
        proc = self.assertUsageError(
            "--port", "0", env={"REKOGNITION_MOCK_CORS_ORIGINS": "http://ok:1,not-an-origin"})
        self.assertIn("--cors-origin", proc.stderr)

    def test_bad_host_from_environment_exits_2(self):
        proc = self.assertUsageError("--port", "0", env={"REKOGNITION_MOCK_HOST": "nowhere"})
        self.assertIn("--host", proc.stderr)

    def test_ipv6_host_is_accepted(self):
        if not socket.has_ipv6:
            self.skipTest("no IPv6")
        try:
            server = self.start_server("--host", "::1")
        except ServerStartError as e:
            # A kernel without IPv6 fails the bind, after the flag was accepted.
            self.assertEqual(e.returncode, 1, e)
            return
        self.assertEqual(server.host, "[::1]")


class EnvironmentTest(ServerTestCase):
    def test_port_zero_and_fixtures_from_environment(self):
        jobs = load_fixture_jobs(default_fixtures())
        first = write_json(self.tmp, "first.json", {"MediaAnalysisJobs": jobs[:20]})
        second = write_json(self.tmp, "second.json", jobs[20:])  # bare array form
        server = self.start_server(
            ephemeral_port=False,
            env={"REKOGNITION_MOCK_PORT": "0", "REKOGNITION_MOCK_FIXTURES": f"{first},{second}"})
        self.assertNotEqual(server.port, 0)
        got, _ = server.list_all()
        self.assertJobsEqual(got, expected_from_file(default_fixtures()))
        # stderr is read by a thread: wait for the line rather than race it.
        started = server.wait_for_records("started")
        self.assertEqual(len(started), 1, server.stderr_text())
        self.assertEqual(started[0]["jobs_loaded"], 48)

    def test_host_db_threads_and_log_level_from_environment(self):
        db = os.path.join(self.tmp, "env.sqlite")
        server = self.start_server(
            "--fixtures", default_fixtures(),
            env={"REKOGNITION_MOCK_HOST": "127.0.0.1", "REKOGNITION_MOCK_DB": db,
                 "REKOGNITION_MOCK_THREADS": "1", "REKOGNITION_MOCK_LOG_LEVEL": "warn"})
        self.assertEqual(server.host, "127.0.0.1")
        resp = server.call({"MaxResults": 3})
        self.assertEqual(resp.status, 200, resp.raw)
        self.assertEqual(len(resp.json["MediaAnalysisJobs"]), 3)
        self.assertEqual(server.stop(), 0)
        self.assertTrue(os.path.isfile(db), "REKOGNITION_MOCK_DB was not used as the store file")
        # warn level: no info lines (no "started", no "request").
        records = server.log_records()
        self.assertFalse([r for r in records if r.get("msg") in ("started", "request")],
                         server.stderr_text())

    def test_log_level_off_from_environment_is_silent(self):
        server = self.start_server("--fixtures", default_fixtures(),
                                   env={"REKOGNITION_MOCK_LOG_LEVEL": "off"})
        server.call({"MaxResults": "bad"})
        server.call({})
        self.assertEqual(server.stop(), 0)
        self.assertEqual(server.stderr, [], "log level off still wrote to stderr")

    def test_flag_wins_over_environment(self):
        server = self.start_server("--log-level", "info", "--fixtures", default_fixtures(),
                                   env={"REKOGNITION_MOCK_LOG_LEVEL": "off",
                                        "REKOGNITION_MOCK_PORT": "1"})
        self.assertNotEqual(server.port, 1)
        server.call({})
        server.wait_for_records("request")


class DescriptorLimitTest(ServerTestCase):
    CAP = 4096 + 64  # the connection cap and the descriptors kept for the rest

    @staticmethod
    def open_files_limit(pid):
        with open(f"/proc/{pid}/limits") as limits:
            for line in limits:
                if line.startswith("Max open files"):
                    return int(line.split()[3])
        raise AssertionError("no Max open files in /proc/PID/limits")

    def test_soft_limit_is_raised_for_the_connection_cap(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        # The usual soft limit, which the server inherits.
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), hard))
        try:
            server = self.start_server()
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        wanted = self.CAP if hard == resource.RLIM_INFINITY else min(self.CAP, hard)
        self.assertEqual(self.open_files_limit(server.proc.pid), wanted)
        records = server.wait_for_records("descriptor limit")
        self.assertEqual(len(records), 1, server.stderr_text())
        self.assertEqual(records[0]["soft_limit_before"], min(1024, hard), records[0])
        self.assertEqual(records[0]["soft_limit"], wanted, records[0])
        self.assertEqual(records[0]["max_connections"], min(4096, wanted - 64), records[0])

    def test_a_low_hard_limit_lowers_the_connection_cap_and_warns(self):
        proc = subprocess.Popen(
            [mock_server.binary(), "--port", "0"], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=mock_server._environment(None),
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256)))
        try:
            self.assertTrue(proc.stdout.readline().startswith("listening on"))
        finally:
            proc.send_signal(signal.SIGTERM)
            _, stderr = proc.communicate(timeout=10)
        records = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
        limit = [r for r in records if r.get("msg") == "descriptor limit"]
        self.assertEqual(len(limit), 1, stderr)
        self.assertEqual(limit[0]["level"], "warn", limit[0])
        self.assertEqual((limit[0]["soft_limit"], limit[0]["hard_limit"]), (256, 256), limit[0])
        self.assertEqual(limit[0]["max_connections"], 256 - 64, limit[0])

    def test_running_out_of_descriptors_is_logged_with_its_cause(self):
        server = self.start_server()
        pid = server.proc.pid
        in_use = len(os.listdir(f"/proc/{pid}/fd"))
        _, hard = resource.prlimit(pid, resource.RLIMIT_NOFILE)
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (in_use + 5, hard))
        clients = []
        try:
            for _ in range(20):  # the kernel completes the handshakes; accept() runs out
                clients.append(socket.create_connection((server.host, server.port), timeout=5))
            records = server.wait_for_logs(
                lambda rs: any(r.get("msg", "").startswith("accept failed") for r in rs))
            # One line for the run of failures, not one per retry. Counted while the clients
            # hold their connections: once they close, accepts that succeed (and sessions that
            # close on another I/O thread) interleave with failures, each run its own line.
            time.sleep(0.5)
            failures = [r for r in server.log_records() if r.get("msg", "").startswith("accept")]
        finally:
            for client in clients:
                client.close()
        failure = next(r for r in records if r.get("msg", "").startswith("accept failed"))
        self.assertEqual(failure["level"], "warn", failure)
        self.assertEqual(failure["error"], "Too many open files", failure)
        self.assertEqual(len(failures), 1, server.stderr_text())
        # Descriptors free again: it serves.
        resp = server.call({"MaxResults": 1})
        self.assertEqual(resp.status, 200, resp.raw)


class StartupLogTest(ServerTestCase):
    def test_started_line(self):
        server = self.start_server("--fixtures", default_fixtures())
        started = server.wait_for_records("started")
        self.assertEqual(len(started), 1)
        line = started[0]
        self.assertEqual(line["version"], "0.1.0")
        self.assertEqual(line["address"], f"127.0.0.1:{server.port}")
        self.assertEqual(line["store"], ":memory:")
        self.assertEqual(line["jobs_loaded"], 48)
        # Every stderr line is a JSON object.
        for text in server.stderr:
            self.assertIsInstance(json.loads(text), dict, text)

    def test_started_line_names_file_store(self):
        db = os.path.join(self.tmp, "store.db")
        server = self.start_server("--db", db)
        line = server.wait_for_records("started")[0]
        self.assertIn("store.db", line["store"])
        self.assertEqual(line["jobs_loaded"], 0)

    def test_exactly_one_stdout_line(self):
        server = self.start_server("--fixtures", default_fixtures())
        server.call({})
        self.assertEqual(server.stop(), 0)
        self.assertEqual(server.stdout_lines, [f"listening on http://127.0.0.1:{server.port}"])

    def test_no_fixtures_serves_empty_list(self):
        server = self.start_server()
        resp = server.call({})
        self.assertEqual(resp.status, 200, resp.raw)
        self.assertEqual(resp.json, {"MediaAnalysisJobs": []})


class BadFixturesTest(ServerTestCase):
    """A bad fixture set must stop the server before it serves anything."""

    def setUp(self):
        super().setUp()
        self.jobs = load_fixture_jobs(default_fixtures())

    def assertRejected(self, *paths, expect_in=(), exit_code=1):
        args = []
        for p in paths:
            args += ["--fixtures", p]
        with self.assertRaises(ServerStartError) as ctx:
            MockServer(*args).start()
        err = ctx.exception
        if exit_code is None:
            self.assertNotEqual(err.returncode, 0, err.stderr)
        else:
            self.assertEqual(err.returncode, exit_code, err.stderr)
        self.assertNotIn("listening on", err.stdout, "server listened despite bad fixtures")
        for text in expect_in:
            self.assertIn(text, err.stderr)
        return err

    def test_a_fifo_or_other_special_file_is_refused_at_once(self):
        fifo = os.path.join(self.tmp, "jobs.json")
        os.mkfifo(fifo)  # no writer: opening it for reading the usual way blocks for ever
        started = time.monotonic()
        err = self.assertRejected(fifo, expect_in=[fifo, "not a regular file"])
        self.assertLess(time.monotonic() - started, 10, err.stderr)
        self.assertRejected("/dev/null", expect_in=["/dev/null", "not a regular file"])

    def test_invalid_json(self):
        path = os.path.join(self.tmp, "broken.json")
        with open(path, "w") as f:
            f.write('{"MediaAnalysisJobs": [ {"JobId": "x", ')
        self.assertRejected(path, expect_in=[path])

    def test_wrong_top_level_shape(self):
        path = write_json(self.tmp, "shape.json", {"Jobs": []})
        self.assertRejected(path, expect_in=[path])

    def test_missing_required_member(self):
        jobs = copy.deepcopy(self.jobs)
        del jobs[3]["Status"]
        path = write_json(self.tmp, "missing.json", {"MediaAnalysisJobs": jobs})
        self.assertRejected(path, expect_in=[path, "MediaAnalysisJobs[3]", "Status"])

    def test_missing_nested_required_member(self):
        jobs = copy.deepcopy(self.jobs)
        del jobs[7]["OutputConfig"]["S3Bucket"]
        path = write_json(self.tmp, "nested.json", {"MediaAnalysisJobs": jobs})
        self.assertRejected(path, expect_in=[path, "MediaAnalysisJobs[7]", "OutputConfig.S3Bucket"])

    def test_missing_required_member_in_bare_array(self):
        jobs = copy.deepcopy(self.jobs[:5])
        del jobs[2]["CreationTimestamp"]
        path = write_json(self.tmp, "bare.json", jobs)
        self.assertRejected(path, expect_in=[path, "[2]", "CreationTimestamp"])

    def test_bad_status_enum(self):
        jobs = copy.deepcopy(self.jobs)
        jobs[5]["Status"] = "DONE"
        path = write_json(self.tmp, "enum.json", {"MediaAnalysisJobs": jobs})
        self.assertRejected(path, expect_in=[path, "MediaAnalysisJobs[5]", "Status", "DONE"])

    def test_bad_failure_code_enum(self):
        jobs = copy.deepcopy(self.jobs)
        index = next(i for i, j in enumerate(jobs) if "FailureDetails" in j)
        jobs[index]["FailureDetails"]["Code"] = "OOPS"
        path = write_json(self.tmp, "code.json", {"MediaAnalysisJobs": jobs})
        self.assertRejected(path, expect_in=[path, f"MediaAnalysisJobs[{index}]",
                                             "FailureDetails.Code"])

    def test_bad_timestamp_text(self):
        jobs = copy.deepcopy(self.jobs)
        jobs[9]["CreationTimestamp"] = "yesterday"
        path = write_json(self.tmp, "ts.json", {"MediaAnalysisJobs": jobs})
        self.assertRejected(path, expect_in=[path, "MediaAnalysisJobs[9]", "CreationTimestamp"])

    def test_wrong_member_type(self):
        jobs = copy.deepcopy(self.jobs)
        jobs[4]["JobName"] = 42
        path = write_json(self.tmp, "type.json", {"MediaAnalysisJobs": jobs})
        self.assertRejected(path, expect_in=[path, "MediaAnalysisJobs[4]", "JobName"])

    def test_duplicate_job_id_across_two_files(self):
        first = write_json(self.tmp, "first.json", {"MediaAnalysisJobs": self.jobs[:10]})
        dup = copy.deepcopy(self.jobs[4])
        dup["JobName"] = "the-duplicate"
        second = write_json(self.tmp, "second.json",
                            {"MediaAnalysisJobs": [self.jobs[20], dup]})
        err = self.assertRejected(first, second, expect_in=[second, self.jobs[4]["JobId"]])
        self.assertIn("[1]", err.stderr)

    def test_duplicate_job_id_within_one_file(self):
        jobs = copy.deepcopy(self.jobs[:6]) + [copy.deepcopy(self.jobs[0])]
        path = write_json(self.tmp, "dup.json", jobs)
        self.assertRejected(path, expect_in=[path, self.jobs[0]["JobId"]])

    def test_nonexistent_file(self):
        path = os.path.join(self.tmp, "does-not-exist.json")
        self.assertRejected(path, expect_in=[path], exit_code=None)

    def test_bad_file_among_good_ones_loads_nothing_into_file_store(self):
        db = os.path.join(self.tmp, "atomic.db")
        good = write_json(self.tmp, "good.json", self.jobs[:10])
        jobs = copy.deepcopy(self.jobs[10:20])
        jobs[1]["Status"] = "NOPE"
        bad = write_json(self.tmp, "bad.json", jobs)
        with self.assertRaises(ServerStartError) as ctx:
            MockServer("--db", db, "--fixtures", good, "--fixtures", bad).start()
        self.assertNotEqual(ctx.exception.returncode, 0)
        server = self.start_server("--db", db)
        resp = server.call({})
        self.assertEqual(resp.status, 200, resp.raw)
        self.assertEqual(resp.json["MediaAnalysisJobs"], [],
                         "jobs of a rejected fixture set reached the store")


class GenerateFixturesTest(ServerTestCase):
    def generate(self, *args):
        proc = run_binary("--generate-fixtures", *args)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout, json.loads(proc.stdout)

    def test_count_and_shape(self):
        _, doc = self.generate("25")
        self.assertEqual(list(doc), ["MediaAnalysisJobs"])
        self.assertEqual(len(doc["MediaAnalysisJobs"]), 25)
        ids = [j["JobId"] for j in doc["MediaAnalysisJobs"]]
        self.assertEqual(len(set(ids)), 25)
        self.assertEqual(mock_server.find_nulls(doc), [])

    def test_zero(self):
        _, doc = self.generate("0")
        self.assertEqual(doc, {"MediaAnalysisJobs": []})

    def test_deterministic_per_seed(self):
        a, _ = self.generate("30", "--seed", "7")
        b, _ = self.generate("30", "--seed", "7")
        c, _ = self.generate("30", "--seed", "8")
        self.assertEqual(a, b)
        self.assertNotEqual(a, c)

    def test_default_seed_is_deterministic(self):
        a, _ = self.generate("12")
        b, _ = self.generate("12")
        self.assertEqual(a, b)

    def test_generated_jobs_load_and_list_in_order(self):
        text, doc = self.generate("150", "--seed", "42")
        path = os.path.join(self.tmp, "generated.json")
        with open(path, "w") as f:
            f.write(text)
        server = self.start_server("--fixtures", path)
        got, pages = server.list_all(max_results=64)
        self.assertEqual(len(pages), 3)
        self.assertJobsEqual(got, mock_server.expected_order(doc["MediaAnalysisJobs"]))


class HealthcheckTest(ServerTestCase):
    """--healthcheck probes GET /_mock/ping: no AWS operation, so it works under --auth sigv4 and
    with the control plane off, and is never logged, journaled or faulted."""

    def probe(self, server):
        return run_binary("--healthcheck", "--host", server.host, "--port", str(server.port))

    def test_healthy_under_sigv4_without_control_plane(self):
        server = self.start_server("--auth", "sigv4", "--credential", "AKID:secret",
                                   "--no-control-plane")
        proc = self.probe(server)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_the_probe_is_not_counted_logged_or_faulted(self):
        server = self.start_server("--fixtures", default_fixtures())
        mock_server.control_ok(server, "POST", "/_mock/faults",
                               {"Operation": "*", "Error": "ThrottlingException", "Count": 3},
                               expect_status=201)
        for _ in range(5):
            proc = self.probe(server)
            self.assertEqual(proc.returncode, 0, proc.stderr)
        faults = mock_server.control_ok(server, "GET", "/_mock/faults")["Faults"]
        self.assertEqual(faults[0]["RemainingCount"], 3)
        self.assertEqual(mock_server.control_ok(server, "GET", "/_mock/requests"),
                         {"Requests": []})
        self.assertEqual([r for r in server.log_records() if r.get("msg") == "request"], [])

    def test_unhealthy_when_nothing_listens(self):
        proc = run_binary("--healthcheck", "--port", "1")
        self.assertEqual(proc.returncode, 1, proc.stderr)


class SignalTest(ServerTestCase):
    def assertGracefulStop(self, server, signum):
        code, elapsed = server.timed_stop(signum)
        self.assertEqual(code, 0, server.stderr_text())
        self.assertLess(elapsed, 2.0, f"exit took {elapsed:.2f} s after signal {signum}")

    def test_sigterm_exits_zero_quickly(self):
        server = self.start_server("--fixtures", default_fixtures())
        self.assertEqual(server.call({}).status, 200)
        self.assertGracefulStop(server, signal.SIGTERM)

    def test_sigint_exits_zero_quickly(self):
        server = self.start_server("--fixtures", default_fixtures())
        self.assertEqual(server.call({}).status, 200)
        self.assertGracefulStop(server, signal.SIGINT)

    def test_sigterm_idle_server(self):
        server = self.start_server()
        self.assertGracefulStop(server, signal.SIGTERM)

    def test_sigterm_with_idle_keep_alive_client(self):
        server = self.start_server("--fixtures", default_fixtures())
        conn = server.connection()
        self.addCleanup(conn.close)
        for _ in range(2):
            resp = server.call({"MaxResults": 2}, conn=conn)
            self.assertEqual(resp.status, 200)
        # The connection stays open and idle while the server is asked to stop.
        self.assertIsNotNone(conn.sock)
        self.assertGracefulStop(server, signal.SIGTERM)

    def test_sigterm_with_silent_connected_client(self):
        server = self.start_server()
        sock = socket.create_connection((server.host, server.port), timeout=5)
        self.addCleanup(sock.close)
        time.sleep(0.1)  # let the server accept it
        self.assertGracefulStop(server, signal.SIGTERM)

    def test_sigterm_with_half_sent_request(self):
        server = self.start_server()
        sock = socket.create_connection((server.host, server.port), timeout=5)
        self.addCleanup(sock.close)
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        time.sleep(0.1)
        self.assertGracefulStop(server, signal.SIGTERM)

    def test_stops_listening_after_sigterm(self):
        server = self.start_server()
        port = server.port
        self.assertGracefulStop(server, signal.SIGTERM)
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()


class S3FlagsTest(ServerTestCase):
    """--s3-* flags: checked at start (a bad URL or incomplete credentials is a usage error),
    completed from the AWS_* variables; the server does not use them yet."""

    NO_AWS = {name: "" for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                                    "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION")}

    def assertUsageError(self, *args, env=None, mentions=None):
        proc = run_binary(*args, env={**self.NO_AWS, **(env or {})}, timeout=3)
        self.assertEqual(proc.returncode, 2, f"{args}: stdout={proc.stdout!r} stderr={proc.stderr!r}")
        if mentions:
            self.assertIn(mentions, proc.stderr)

    def test_help_mentions_the_s3_flags_and_their_variables(self):
        proc = run_binary("--help")
        for flag in ("--s3-endpoint", "--s3-region", "--s3-access-key-id", "--s3-secret-access-key",
                     "--s3-session-token", "--s3-ca-file", "REKOGNITION_MOCK_S3_ENDPOINT",
                     "--s3-connect-timeout", "--s3-read-timeout", "--s3-deadline",
                     "REKOGNITION_MOCK_S3_CONNECT_TIMEOUT", "REKOGNITION_MOCK_S3_READ_TIMEOUT",
                     "REKOGNITION_MOCK_S3_DEADLINE"):
            self.assertIn(flag, proc.stdout)

    def test_s3_durations_are_positive_seconds_and_need_an_endpoint(self):
        self.assertUsageError("--s3-deadline", "5", mentions="--s3-deadline needs --s3-endpoint")
        s3 = ("--s3-endpoint", "http://127.0.0.1:9000", "--s3-access-key-id", "k",
              "--s3-secret-access-key", "s")
        for flag in ("--s3-connect-timeout", "--s3-read-timeout", "--s3-deadline"):
            for value in ("0", "-1", "nan", "", "1e9", "soon"):
                with self.subTest(flag=flag, value=value):
                    self.assertUsageError(*s3, flag, value)

    def test_the_s3_deadline_ends_a_request_to_a_silent_server_retries_included(self):
        # Listening, never accepting: the kernel completes each connection, nobody answers, and
        # each read alone would wait 30 s.
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(16)
            server = self.start_server(
                "--s3-endpoint", "http://127.0.0.1:%d" % silent.getsockname()[1],
                "--s3-access-key-id", "k", "--s3-secret-access-key", "s",
                "--s3-read-timeout", "30", env={**self.NO_AWS, "REKOGNITION_MOCK_S3_DEADLINE": "0.5"})
            started = time.monotonic()
            # Start reads the manifest's first byte before it answers.
            response = call(server.host, server.port, start_request(),
                            target="RekognitionService.StartMediaAnalysisJob", timeout=60)
            took = time.monotonic() - started
        self.assertEqual(response.status, 400, response)
        self.assertIn("InvalidS3ObjectException", response.raw)
        self.assertIn("deadline of 500 ms", response.raw)
        self.assertLess(took, 0.5 + 2)

    def test_an_s3_setting_without_an_endpoint_exits_2(self):
        self.assertUsageError("--s3-region", "eu-west-1", mentions="--s3-region needs --s3-endpoint")

    def test_a_malformed_endpoint_exits_2(self):
        self.assertUsageError("--s3-endpoint", "s3.local:9000", "--s3-access-key-id", "k",
                              "--s3-secret-access-key", "s", mentions="http:// or https://")
        self.assertUsageError(env={"REKOGNITION_MOCK_S3_ENDPOINT": "ftp://s3.local"})

    def test_incomplete_credentials_exit_2(self):
        self.assertUsageError("--s3-endpoint", "http://127.0.0.1:9000", mentions="AWS_ACCESS_KEY_ID")
        self.assertUsageError("--s3-endpoint", "http://127.0.0.1:9000", "--s3-access-key-id", "k",
                              mentions="secret")

    def test_credentials_from_the_aws_variables_start_the_server(self):
        env = {**self.NO_AWS, "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "secret"}
        server = self.start_server("--s3-endpoint", "http://127.0.0.1:9000", env=env)
        self.assertIsNone(server.proc.poll())


if __name__ == "__main__":
    unittest.main()
