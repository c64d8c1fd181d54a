"""The helper's own promises, on the real binary: where the mock comes from, that start-up
failures are loud, and that every server it starts is stopped and reaped."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import unittest

from rekognition_mock import (MockNotReady, MockStartError, connect_mock, mock_from_environment,
                              start_mock)

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)


def is_running(pid):
    """Whether `pid` is a live process (a zombie counts as gone only once reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def run_python(code, env):
    """Run `code` in a fresh interpreter that imports the helper from this checkout."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={**env, "PYTHONPATH": PACKAGE_ROOT})


class StartAndStopTest(unittest.TestCase):
    def test_starts_on_a_free_port_and_stops_gracefully(self):
        first, second = start_mock(), start_mock()
        self.addCleanup(first.stop)
        self.addCleanup(second.stop)
        self.assertNotEqual(first.endpoint, second.endpoint)
        self.assertTrue(first.endpoint.startswith("http://127.0.0.1:"))
        self.assertEqual(first.control.health()["Status"], "ready")
        pid = first.process.process.pid
        first.stop()
        self.assertEqual(first.process.returncode, 0)  # SIGTERM: a clean exit, not a kill
        self.assertFalse(is_running(pid))  # reaped: no zombie left
        self.assertIn('"msg":"stopped"', first.logs())

    def test_a_server_that_ignores_sigterm_is_killed(self):
        mock = start_mock()
        self.addCleanup(mock.stop)
        os.kill(mock.process.process.pid, signal.SIGSTOP)  # holds SIGTERM pending
        self.assertEqual(mock.process.stop(timeout=0.2), -signal.SIGKILL)

    def test_a_bad_fixture_fails_loudly_with_the_servers_message(self):
        with tempfile.NamedTemporaryFile("w", suffix="-bad-jobs.json") as bad:
            json.dump({"MediaAnalysisJobs": [{"JobId": "not a job id"}]}, bad)
            bad.flush()
            with self.assertRaises(MockStartError) as caught:
                start_mock(fixtures=[bad.name])
        self.assertIn("exited with status 1", str(caught.exception))
        self.assertIn("-bad-jobs.json: job MediaAnalysisJobs[0]", str(caught.exception))

    def test_a_missing_binary_fails_loudly(self):
        env = {"PATH": "/nonexistent"}  # no REKOGNITION_MOCK_BIN, nothing on PATH
        out = run_python("import rekognition_mock; rekognition_mock.start_mock()", env)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("MockStartError", out.stderr)
        self.assertIn("REKOGNITION_MOCK_BIN", out.stderr)

    def test_servers_left_running_stop_when_the_interpreter_exits(self):
        out = run_python("import rekognition_mock; "
                         "print(rekognition_mock.start_mock().process.process.pid)", os.environ)
        self.assertEqual(out.returncode, 0, out.stderr)
        pid = int(out.stdout)
        if is_running(pid):  # an orphan: kill it, then fail
            os.kill(pid, signal.SIGKILL)
            self.fail("the server outlived the interpreter that started it")


class MockFromEnvironmentTest(unittest.TestCase):
    def test_a_url_in_the_environment_is_used_and_left_running(self):
        running = start_mock()
        self.addCleanup(running.stop)
        mock = mock_from_environment({"REKOGNITION_MOCK_URL": running.endpoint + "/"})
        self.assertFalse(mock.owned)
        self.assertEqual(mock.endpoint, running.endpoint)
        mock.stop()
        self.assertEqual(running.control.health()["Status"], "ready")

    def test_without_a_url_the_binary_is_started(self):
        mock = mock_from_environment({})
        self.addCleanup(mock.stop)
        self.assertTrue(mock.owned)

    def test_a_url_nobody_answers_is_not_ready_in_bounded_time(self):
        with socket.socket() as probe:  # a port that was free a moment ago: refused
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with self.assertRaises(MockNotReady):
            connect_mock(f"http://127.0.0.1:{port}", ready_timeout=0.3)


if __name__ == "__main__":
    unittest.main()
