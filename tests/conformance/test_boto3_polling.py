"""Progress by polls, judged by a polling loop written against AWS: with --polls-per-state N (or a
job paced over the control plane) a started job moves one state per N GetMediaAnalysisJob calls,
so a loop's test needs no sleep and no clock, and runs the same every time."""

import json
import os
import unittest

import boto3

from bulk_lab import FolderLab, image_bytes, manifest
from mock_server import ServerTestCase, control, control_ok
from test_boto3_bulk_analysis import rekognition

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "default-jobs.json")


def wait_for_job(client, job_id, sleep):
    """The loop under test: poll until the job is terminal, sleeping between polls."""
    statuses = []
    while True:
        job = client.get_media_analysis_job(JobId=job_id)
        statuses.append(job["Status"])
        if job["Status"] in ("SUCCEEDED", "FAILED"):
            return job, statuses
        sleep()


class PollingTest(ServerTestCase):

    def start_job(self, client, name="m.jsonl", **extra):
        return client.start_media_analysis_job(
            OperationsConfig={"DetectModerationLabels": {}},
            Input={"S3Object": {"Bucket": "media-in", "Name": name}},
            OutputConfig={"S3Bucket": "media-out", "S3KeyPrefix": "out"}, **extra)["JobId"]

    def no_sleep(self):
        pass

    def test_a_polling_loop_sees_every_state_without_sleeping(self):
        server = self.start_server("--polls-per-state", "2", "--log-level", "warn")
        client = rekognition(server.endpoint)
        job_id = self.start_job(client)
        job, statuses = wait_for_job(client, job_id, self.no_sleep)
        self.assertEqual(statuses, ["CREATED", "QUEUED", "QUEUED", "IN_PROGRESS", "IN_PROGRESS",
                                    "SUCCEEDED"])
        self.assertIn("CompletionTimestamp", job)
        self.assertGreaterEqual(job["CompletionTimestamp"], job["CreationTimestamp"])
        # Finished: more Gets count nothing and show the same job.
        again = client.get_media_analysis_job(JobId=job_id)
        again.pop("ResponseMetadata")
        job.pop("ResponseMetadata")
        self.assertEqual(again, job)

        with self.subTest("a triggered failure is the last state"):
            job, statuses = wait_for_job(client, self.start_job(client, "fail-access-denied.jsonl"),
                                         self.no_sleep)
            self.assertEqual(statuses[-1], "FAILED")
            self.assertEqual(len(statuses), 6)
            self.assertEqual(job["FailureDetails"]["Code"], "ACCESS_DENIED")

    def test_list_shows_what_the_last_get_showed_and_never_moves_a_job(self):
        server = self.start_server("--polls-per-state", "1", "--log-level", "warn")
        client = rekognition(server.endpoint)
        job_id = self.start_job(client)

        def listed():
            return client.list_media_analysis_jobs()["MediaAnalysisJobs"][0]["Status"]

        self.assertEqual([listed() for _ in range(5)], ["CREATED"] * 5)
        self.assertEqual(client.get_media_analysis_job(JobId=job_id)["Status"], "QUEUED")
        self.assertEqual([listed() for _ in range(3)], ["QUEUED"] * 3)
        # Neither does time: a day of the lifecycle clock later, the job is where Gets left it.
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 86400})
        self.assertEqual(listed(), "QUEUED")
        self.assertEqual(client.get_media_analysis_job(JobId=job_id)["Status"], "IN_PROGRESS")

    def test_a_restart_keeps_the_count(self):
        db = os.path.join(self.tmp, "jobs.db")
        args = ("--db", db, "--polls-per-state", "2", "--log-level", "warn")
        server = self.start_server(*args)
        client = rekognition(server.endpoint)
        job_id = self.start_job(client)
        self.assertEqual([client.get_media_analysis_job(JobId=job_id)["Status"]
                          for _ in range(3)], ["CREATED", "QUEUED", "QUEUED"])
        server.stop()
        server = self.start_server(*args)
        client = rekognition(server.endpoint)
        self.assertEqual([client.get_media_analysis_job(JobId=job_id)["Status"]
                          for _ in range(3)], ["IN_PROGRESS", "IN_PROGRESS", "SUCCEEDED"])

    def test_one_job_is_paced_over_the_control_plane_while_others_keep_to_time(self):
        server = self.start_server("--job-duration", "3600", "--log-level", "warn")
        client = rekognition(server.endpoint)
        paced = self.start_job(client)
        timed = self.start_job(client)
        shown = control_ok(server, "POST", f"/_mock/jobs/{paced}/progress", {"PollsPerState": 1})
        self.assertEqual(shown["Status"], "CREATED")
        _, statuses = wait_for_job(client, paced, self.no_sleep)
        self.assertEqual(statuses, ["QUEUED", "IN_PROGRESS", "SUCCEEDED"])
        self.assertEqual(client.get_media_analysis_job(JobId=timed)["Status"], "CREATED")

        with self.subTest("a finished job, a fixture job or a bad count is refused"):
            answer = control(server, "POST", f"/_mock/jobs/{paced}/progress", {"PollsPerState": 1})
            self.assertEqual((answer.status, answer.json["Error"]), (409, "JobNotPaceable"))
            for bad in (0, 1.5, "2", None):
                answer = control(server, "POST", f"/_mock/jobs/{timed}/progress",
                                 {"PollsPerState": bad})
                self.assertEqual(answer.status, 400, bad)
            answer = control(server, "POST", "/_mock/jobs/" + "0" * 64 + "/progress",
                             {"PollsPerState": 1})
            self.assertEqual(answer.status, 404)

    def test_fixture_jobs_are_not_paced(self):
        server = self.start_server("--fixtures", FIXTURES, "--log-level", "warn")
        client = rekognition(server.endpoint)
        queued = [job for job in client.list_media_analysis_jobs(MaxResults=100)[
            "MediaAnalysisJobs"] if job["Status"] == "QUEUED"][0]
        answer = control(server, "POST", f"/_mock/jobs/{queued['JobId']}/progress",
                         {"PollsPerState": 1})
        self.assertEqual(answer.status, 409)
        self.assertIn("shows QUEUED and has no lifecycle left", answer.json["Message"])

    def test_the_outputs_exist_when_a_get_first_shows_succeeded(self):
        lab = FolderLab(os.path.join(self.tmp, "lab"))
        lab.make_bucket("media-in")
        lab.make_bucket("media-out")
        lab.put("media-in", "a.png", image_bytes("ok-120x90.png"))
        lab.put("media-in", "m.jsonl", manifest(("media-in", "a.png")))
        server = self.start_server("--polls-per-state", "1", "--log-level", "warn",
                                   *lab.server_args())
        client = rekognition(server.endpoint)
        job_id = self.start_job(client)
        for expected in ("QUEUED", "IN_PROGRESS"):
            self.assertEqual(client.get_media_analysis_job(JobId=job_id)["Status"], expected)
            self.assertFalse(lab.exists("media-out", f"out/{job_id}-results.jsonl"))
        job = client.get_media_analysis_job(JobId=job_id)
        self.assertEqual(job["Status"], "SUCCEEDED")
        results = lab.get("media-out", job["Results"]["S3Object"]["Name"])
        self.assertEqual(json.loads(results)["source-ref"], "s3://media-in/a.png")


if __name__ == "__main__":
    unittest.main()
