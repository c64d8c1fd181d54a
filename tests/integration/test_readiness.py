"""Readiness: the port opens only once the store is open and the fixtures are loaded, so the
first answer a probe ever gets (GET /_mock/health, GET /_mock/ping, or an API call) already
sees every fixture job. Containers and test helpers wait on exactly that."""

import json
import os
import socket
import subprocess
import time
import unittest
import urllib.error
import urllib.request

from mock_server import ServerTestCase, _register, _environment, binary, run_binary

JOBS = 50_000
LIMIT_SECONDS = 60.0  # generous: a loaded 2-core machine; the load itself takes well under 1 s


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ReadinessTest(ServerTestCase):

    def test_the_first_answer_a_probe_gets_already_sees_every_fixture_job(self):
        fixtures = os.path.join(self.tmp, "big.json")
        generated = run_binary("--generate-fixtures", str(JOBS), "--seed", "3", timeout=120)
        self.assertEqual(generated.returncode, 0, generated.stderr)
        with open(fixtures, "w", encoding="utf-8") as f:
            f.write(generated.stdout)
        port = free_port()
        proc = subprocess.Popen([binary(), "--port", str(port), "--fixtures", fixtures,
                                 "--log-level", "warn"], env=_environment(None),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _register(proc)
        self.addCleanup(proc.wait)
        self.addCleanup(proc.terminate)
        refused = 0
        deadline = time.monotonic() + LIMIT_SECONDS
        # Probe from the moment the process exists, as a container's health check would.
        while True:
            self.assertIsNone(proc.poll(), "the server exited")
            self.assertLess(time.monotonic(), deadline, "no answer in time")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_mock/health",
                                            timeout=5) as response:
                    health = json.load(response)
                break
            except (urllib.error.URLError, ConnectionError):
                refused += 1
        self.assertEqual(health["Status"], "ready")
        self.assertEqual(sum(scope["Jobs"] for scope in health["Scopes"]), JOBS)
        self.assertGreater(refused, 0, "the probe never ran before the server was ready")


if __name__ == "__main__":
    unittest.main()
