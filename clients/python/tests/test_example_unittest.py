"""An example unittest suite written as a user would, with rekognition_mock.MockTestCase.

Each test gets the class's mock reset to the fixtures, `self.rekognition` (boto3) and
`self.control` (the control plane). The code under test is moderation_jobs.py.
"""

import os
import subprocess
import sys
import unittest

from moderation_jobs import failed_job_ids, start_moderation, wait_for_job
from rekognition_mock import MockTestCase

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures",
                        "default-jobs.json")
FIXTURE_JOBS = 48
FIXTURE_FAILED_JOBS = 14


class ModerationJobsTest(MockTestCase):
    # Started jobs take a minute of the mock's clock: 20 s each CREATED, QUEUED, IN_PROGRESS.
    mock_options = {"fixtures": [FIXTURES], "args": ["--job-duration", "60"]}

    def assert_fresh_mock(self):
        self.assertEqual(self.control.requests(), [])
        jobs = self.rekognition.list_media_analysis_jobs()["MediaAnalysisJobs"]
        self.assertEqual(len(jobs), FIXTURE_JOBS)

    # Whichever of these two runs second sees that the first one's job and calls are gone.
    def test_each_test_starts_from_the_fixtures_a(self):
        self.assert_fresh_mock()
        start_moderation(self.rekognition, "manifests/a.jsonl")

    def test_each_test_starts_from_the_fixtures_b(self):
        self.assert_fresh_mock()
        start_moderation(self.rekognition, "manifests/b.jsonl")

    def test_polling_loop_runs_on_the_mock_clock_without_sleeping(self):
        job_id = start_moderation(self.rekognition, "manifests/batch-1.jsonl")
        # The loop's sleep moves the mock's lifecycle clock instead of waiting.
        job = wait_for_job(self.rekognition, job_id, interval=5, sleep=self.control.advance_clock)
        self.assertEqual(job["Status"], "SUCCEEDED")
        self.assertEqual(job["Results"]["S3Object"],
                         {"Bucket": "media-out", "Name": f"moderation/{job_id}-results.jsonl"})
        calls = [call["Operation"] for call in self.control.requests()]
        # Polls at 0, 5, ..., 60 s of mock time: the 13th finds the job done.
        self.assertEqual(calls, ["StartMediaAnalysisJob"] + ["GetMediaAnalysisJob"] * 13)

    def test_a_polling_loop_paced_by_gets_needs_no_clock(self):
        job_id = start_moderation(self.rekognition, "manifests/d.jsonl")
        self.assertEqual(self.control.pace_job(job_id, 1)["Status"], "CREATED")
        job = wait_for_job(self.rekognition, job_id, interval=5, sleep=lambda seconds: None)
        self.assertEqual(job["Status"], "SUCCEEDED")
        self.assertEqual(self.control.count_requests(Operation="GetMediaAnalysisJob"), 3)

    def test_calls_are_counted_and_moderation_rules_are_kept_per_scope(self):
        start_moderation(self.rekognition, "manifests/c.jsonl")
        self.assertEqual(self.control.count_requests(Operation="StartMediaAnalysisJob",
                                                     JobName="nightly-moderation"), 1)
        self.assertEqual(self.control.count_requests(ErrorType="*"), 0)
        rules = [{"SourceRefPrefix": "s3://media-in/guns/",
                  "Labels": [{"Name": "Weapons", "Confidence": 93.0}]}]
        self.assertEqual(self.control.set_moderation_rules(rules), 1)
        self.assertEqual(self.control.moderation_rules(), rules)
        self.assertEqual(self.control.moderation_rules(region="eu-west-1"), [])
        self.assertEqual(self.control.clear_moderation_rules(), 1)
        self.assertEqual(self.control.moderation_rules(), [])

    def test_a_forced_failure_reaches_the_caller(self):
        job_id = start_moderation(self.rekognition, "manifests/batch-2.jsonl")
        self.control.set_job_status(job_id, "FAILED", failure_code="ACCESS_DENIED",
                                    failure_message="no access to media-in")
        job = wait_for_job(self.rekognition, job_id, sleep=self.fail)
        self.assertEqual(job["FailureDetails"],
                         {"Code": "ACCESS_DENIED", "Message": "no access to media-in"})

    def test_paging_survives_a_throttled_page(self):
        self.control.add_fault("ListMediaAnalysisJobs", "ThrottlingException", count=1)
        self.assertEqual(len(failed_job_ids(self.rekognition)), FIXTURE_FAILED_JOBS)
        statuses = [call["Status"] for call in self.control.requests()]
        self.assertEqual(statuses[:2], [500, 200])  # boto3 retried the throttled call
        self.assertEqual(self.control.faults(), [])  # the one-shot rule is spent

    def test_accounts_see_only_their_own_jobs(self):
        other = self.mock.client(account_id="111122223333")
        self.addCleanup(other.close)
        self.assertEqual(other.list_media_analysis_jobs()["MediaAnalysisJobs"], [])
        job = self.rekognition.list_media_analysis_jobs(MaxResults=1)["MediaAnalysisJobs"][0]
        job["JobId"] = "e" * 64  # a copy (boto3's datetimes seed as they are)
        self.control.seed_jobs([job], account_id="111122223333")
        listed = other.list_media_analysis_jobs()["MediaAnalysisJobs"]
        self.assertEqual([j["JobId"] for j in listed], ["e" * 64])

    def test_unmodified_code_reaches_the_mock_through_the_environment(self):
        # Only PATH and the variables: no endpoint in the code, no AWS config of the machine's.
        env = {"PATH": os.environ.get("PATH", ""), "AWS_CONFIG_FILE": os.devnull,
               "AWS_SHARED_CREDENTIALS_FILE": os.devnull, **self.mock.aws_environment()}
        code = ("import boto3; "
                "print(len(boto3.client('rekognition').list_media_analysis_jobs()"
                "['MediaAnalysisJobs']))")
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), str(FIXTURE_JOBS))
        self.assertEqual([c["Operation"] for c in self.control.requests()],
                         ["ListMediaAnalysisJobs"])


if __name__ == "__main__":
    unittest.main()
