"""The AWS CLI (v1) against the mock: pagination by hand, errors, and a fixture round trip."""

import json
import os
import subprocess
import unittest

import mock_server
from mock_server import (SharedServerTestCase, MockServer, ServerTestCase, default_fixtures, expected_from_file,
                         kill_leftovers, require_tool, to_ms)


class AwsCliTestBase(SharedServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.aws = require_tool("aws")
        cls.expected = expected_from_file(default_fixtures())

    def cli_env(self, config_text=""):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        config = os.path.join(self.tmp, "aws-config")
        with open(config, "w") as f:
            f.write(config_text)
        credentials = os.path.join(self.tmp, "aws-credentials")
        with open(credentials, "w") as f:
            f.write("")
        env.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                    "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentials,
                    "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1",
                    "AWS_RETRY_MODE": "standard", "AWS_PAGER": ""})
        return env

    def run_cli(self, server, *args, config_text=""):
        cmd = [self.aws, "rekognition", "list-media-analysis-jobs",
               "--endpoint-url", server.endpoint, "--region", "us-east-1", "--output", "json",
               *args]
        return subprocess.run(cmd, env=self.cli_env(config_text), capture_output=True, text=True,
                              timeout=60, stdin=subprocess.DEVNULL)

    def list_cli(self, server, *args, config_text=""):
        proc = self.run_cli(server, *args, config_text=config_text)
        self.assertEqual(proc.returncode, 0, f"aws {args} failed: {proc.stderr}")
        return proc.stdout, json.loads(proc.stdout)


class PaginationTest(AwsCliTestBase):
    def test_max_results_walk_with_next_token(self):
        jobs, pages = [], 0
        token = None
        while True:
            args = ["--max-results", "12"]
            if token:
                args += ["--next-token", token]
            _, page = self.list_cli(self.server, *args)
            pages += 1
            self.assertLessEqual(len(page["MediaAnalysisJobs"]), 12)
            jobs.extend(page["MediaAnalysisJobs"])
            token = page.get("NextToken")
            if not token:
                break
            self.assertLess(pages, 10, "pagination did not terminate")
        self.assertEqual(pages, 4)
        self.assertJobsEqual(jobs, self.expected)

    def test_max_results_101_fails(self):
        proc = self.run_cli(self.server, "--max-results", "101")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("InvalidParameterException", proc.stderr)
        self.assertIn("MaxResults", proc.stderr)
        self.assertEqual(proc.stdout.strip(), "")

    def test_bad_next_token_fails(self):
        proc = self.run_cli(self.server, "--next-token", "not-a-valid-token")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("InvalidPaginationTokenException", proc.stderr)


class RoundTripTest(AwsCliTestBase):
    def round_trip(self, config_text, expect_iso):
        text, listing = self.list_cli(self.server, config_text=config_text)
        self.assertNotIn("NextToken", listing)
        self.assertJobsEqual(listing["MediaAnalysisJobs"], self.expected)
        stamps = [j["CreationTimestamp"] for j in listing["MediaAnalysisJobs"]]
        if expect_iso:
            self.assertTrue(all(isinstance(s, str) for s in stamps), stamps[:3])
        else:
            self.assertTrue(all(isinstance(s, (int, float)) for s in stamps), stamps[:3])

        path = os.path.join(self.tmp, "from-cli.json")
        with open(path, "w") as f:
            f.write(text)
        second = self.start_server("--fixtures", path)
        first_jobs, _ = self.server.list_all()
        second_jobs, _ = second.list_all()
        self.assertEqual(second_jobs, first_jobs, "server loaded from CLI output lists differently")
        # And the CLI sees the same thing on both.
        _, again = self.list_cli(second, config_text=config_text)
        self.assertEqual(again["MediaAnalysisJobs"], listing["MediaAnalysisJobs"])

    def test_round_trip_numeric_timestamps(self):
        self.round_trip("", expect_iso=False)

    def test_round_trip_iso_timestamps(self):
        self.round_trip("[default]\ncli_timestamp_format = iso8601\n", expect_iso=True)


if __name__ == "__main__":
    unittest.main()
