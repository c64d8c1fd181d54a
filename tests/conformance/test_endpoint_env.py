"""Unmodified client code reaches the mock through AWS_ENDPOINT_URL_REKOGNITION or
AWS_ENDPOINT_URL alone: boto3 (python3 -c), the AWS CLI and the AWS SDK for JavaScript v3 run as
subprocesses with a clean environment (no inherited AWS_* variable, a fresh HOME with no ~/.aws)
plus only the endpoint variable(s), dummy credentials and a region. None of them is told an
endpoint in code. The credentials' 12-digit access key id and the region pick a scope that holds
one seeded job, so the listing and the request log together show that each call came to this mock
with the environment's credentials and region. With both variables set, the service-specific one
must win: the generic one then points at a port where nothing listens."""

import json
import os
import re
import socket
import subprocess
import sys
import unittest

from mock_server import SharedServerTestCase, call, control_ok, make_job, require_tool

ACCOUNT = "111122223333"
REGION = "eu-west-2"
JOB_ID = "e" * 64
CONFORMANCE_JS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "js")
NODE_MODULES = os.path.join(CONFORMANCE_JS, "node_modules")
SUBPROCESS_TIMEOUT = 120

# The first releases that read the endpoint variables (AWS's "service-specific endpoints").
MIN_BOTO3 = (1, 28, 0)
MIN_AWS_CLI_V1 = (1, 29, 0)
MIN_AWS_CLI_V2 = (2, 13, 0)

BOTO3_CODE = """
import json, boto3
page = boto3.client("rekognition").list_media_analysis_jobs(MaxResults=10)
print(json.dumps({"RequestId": page["ResponseMetadata"]["RequestId"],
                  "JobIds": [job["JobId"] for job in page["MediaAnalysisJobs"]]}))
"""


def version_tuple(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


class EndpointFromEnvironmentTest(SharedServerTestCase):
    @classmethod
    def server_args(cls):
        return ("--log-level", "warn")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        control_ok(cls.server, "POST", "/_mock/jobs",
                   {"AccountId": ACCOUNT, "Region": REGION,
                    "MediaAnalysisJobs": [make_job(JOB_ID, 1727784000.5)]})
        # Bound but never listening: a connection to it is refused at once.
        cls.dead = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        cls.dead.bind(("127.0.0.1", 0))
        cls.dead_endpoint = "http://127.0.0.1:%d" % cls.dead.getsockname()[1]

    @classmethod
    def tearDownClass(cls):
        cls.dead.close()
        super().tearDownClass()

    def environment(self, **endpoints):
        """A clean environment: the tools' PATH, an empty HOME, and only these AWS variables."""
        home = os.path.join(self.tmp, "home")
        os.makedirs(home, exist_ok=True)
        env = {"PATH": os.environ["PATH"], "HOME": home, "LANG": "C.UTF-8",
               "AWS_ACCESS_KEY_ID": ACCOUNT, "AWS_SECRET_ACCESS_KEY": "test",
               # boto3 and the CLI read AWS_DEFAULT_REGION, the JS SDK AWS_REGION.
               "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION}
        env.update(endpoints)
        return env

    def run_tool(self, command, env, cwd=None):
        proc = subprocess.run(command, env=env, cwd=cwd or self.tmp, capture_output=True,
                              text=True, timeout=SUBPROCESS_TIMEOUT, stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 0,
                         f"{command[0]} failed with {sorted(k for k in env if k.startswith('AWS_'))}"
                         f"\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return json.loads(proc.stdout)

    def list_calls(self, since):
        """This scope's ListMediaAnalysisJobs calls since the request `since`."""
        return control_ok(self.server, "GET",
                          f"/_mock/requests?Since={since}&Operation=ListMediaAnalysisJobs"
                          f"&AccountId={ACCOUNT}&Region={REGION}")["Requests"]

    def mark(self):
        """The RequestId of a call made now, to count what comes after it."""
        return call(self.server.host, self.server.port, {}).request_id

    def check_reaches_the_mock(self, run):
        """`run(env)` lists jobs with the given environment; each setting must reach the mock."""
        settings = {
            "service-specific only": {"AWS_ENDPOINT_URL_REKOGNITION": self.server.endpoint},
            "generic only": {"AWS_ENDPOINT_URL": self.server.endpoint},
            "both, the generic one dead": {"AWS_ENDPOINT_URL_REKOGNITION": self.server.endpoint,
                                           "AWS_ENDPOINT_URL": self.dead_endpoint},
        }
        for name, endpoints in settings.items():
            with self.subTest(setting=name):
                mark = self.mark()
                listed = run(self.environment(**endpoints))
                self.assertEqual(listed["JobIds"], [JOB_ID])
                calls = self.list_calls(mark)
                self.assertEqual(len(calls), 1, calls)
                self.assertEqual(calls[0]["Status"], 200)
                if "RequestId" in listed:
                    self.assertEqual(calls[0]["RequestId"], listed["RequestId"])

    # ------------------------------------------------------------------------------------------
    def test_boto3(self):
        probe = subprocess.run(
            [sys.executable, "-c", "import boto3, botocore; print(boto3.__version__)"],
            env=self.environment(), capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)
        self.assertEqual(probe.returncode, 0, probe.stderr)
        self.assertGreaterEqual(version_tuple(probe.stdout), MIN_BOTO3,
                                f"boto3 {probe.stdout.strip()} predates the endpoint variables "
                                f"(boto3 >= 1.28 reads them): run make test to upgrade it")
        self.check_reaches_the_mock(
            lambda env: self.run_tool([sys.executable, "-c", BOTO3_CODE], env))

    def test_aws_cli(self):
        aws = require_tool("aws")
        probe = subprocess.run([aws, "--version"], env=self.environment(), capture_output=True,
                               text=True, timeout=SUBPROCESS_TIMEOUT)
        self.assertEqual(probe.returncode, 0, probe.stderr)
        version = (probe.stdout + probe.stderr).split()[0]  # "aws-cli/1.45.11"
        minimum = MIN_AWS_CLI_V2 if version.startswith("aws-cli/2") else MIN_AWS_CLI_V1
        self.assertGreaterEqual(version_tuple(version), minimum,
                                f"{version} predates the endpoint variables (AWS CLI >= 1.29 or "
                                f">= 2.13 reads them): run make test to upgrade it")

        def run(env):
            listing = self.run_tool(
                [aws, "rekognition", "list-media-analysis-jobs", "--max-results", "10",
                 "--output", "json"], env)
            return {"JobIds": [job["JobId"] for job in listing["MediaAnalysisJobs"]]}

        self.check_reaches_the_mock(run)

    def test_js_sdk(self):
        node = require_tool("node")
        if not os.path.isdir(os.path.join(NODE_MODULES, "@aws-sdk", "client-rekognition")):
            self.fail(f"{NODE_MODULES} has no @aws-sdk/client-rekognition: run make test "
                      "(npm ci in tests/conformance/js)")
        self.check_reaches_the_mock(
            lambda env: self.run_tool([node, "env_endpoint_client.mjs"], env, cwd=CONFORMANCE_JS))


if __name__ == "__main__":
    unittest.main()
