"""The helper pages, filters and looks up a scope's jobs (jobs_page) and reads an image the object
store holds (image), as GET /_mock/jobs and GET /_mock/images serve them, on the real binary with a
folder object store."""

import os
import shutil
import tempfile
import unittest

from rekognition_mock import ControlError, start_mock

HERE = os.path.dirname(os.path.abspath(__file__))
# A small PNG of the checkout's test images (tests/data/images).
IMAGE = os.path.join(HERE, "..", "..", "..", "tests", "data", "images", "small-40x40.png")


def job(job_id, created, status, name):
    done = {"CompletionTimestamp": created + 60} if status in ("SUCCEEDED", "FAILED") else {}
    return {
        "JobId": job_id, "JobName": name, "Status": status, "CreationTimestamp": created, **done,
        "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
        "Input": {"S3Object": {"Bucket": "media-in", "Name": "manifest.jsonl"}},
        "OutputConfig": {"S3Bucket": "media-out", "S3KeyPrefix": "out"},
    }


class JobsPageAndImageTest(unittest.TestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        os.makedirs(os.path.join(folder.name, "media-in", "photos"))
        shutil.copy(IMAGE, os.path.join(folder.name, "media-in", "photos", "a.png"))
        with open(os.path.join(folder.name, "media-in", "photos", "page.html"), "w") as f:
            f.write("<html></html>")
        self.mock = start_mock(args=["--s3-dir", folder.name])
        self.addCleanup(self.mock.stop)
        # Newest first in list order: c, b, a.
        self.mock.control.seed_jobs([job("job-a", 1_900_000_000, "SUCCEEDED", "nightly-a"),
                                     job("job-b", 1_900_000_100, "FAILED", "weekly-b"),
                                     job("job-c", 1_900_000_200, "SUCCEEDED", "nightly-c")])

    def ids(self, answer):
        return [j["JobId"] for j in answer["MediaAnalysisJobs"]]

    def test_pages_follow_their_tokens_to_the_last(self):
        first = self.mock.control.jobs_page(max_results=2)
        self.assertEqual(self.ids(first), ["job-c", "job-b"])
        last = self.mock.control.jobs_page(max_results=2, next_token=first["NextToken"])
        self.assertEqual(self.ids(last), ["job-a"])
        self.assertNotIn("NextToken", last)

    def test_filters_and_one_job(self):
        control = self.mock.control
        self.assertEqual(self.ids(control.jobs_page(status="FAILED")), ["job-b"])
        self.assertEqual(self.ids(control.jobs_page(contains="NIGHTLY")), ["job-c", "job-a"])
        self.assertEqual(self.ids(control.jobs_page(job_id="job-a")), ["job-a"])
        # Loaded jobs run on no schedule: the member is there, with no job in it.
        self.assertEqual(control.jobs_page(include_lifecycle=True)["Lifecycles"], {})
        self.assertNotIn("Lifecycles", control.jobs_page())

    def test_a_bad_page_request_is_a_control_error(self):
        with self.assertRaises(ControlError) as raised:
            self.mock.control.jobs_page(max_results=0)
        self.assertEqual(raised.exception.status, 400)

    def test_image_is_the_stored_bytes_and_only_an_image(self):
        with open(IMAGE, "rb") as f:
            self.assertEqual(self.mock.control.image("media-in", "photos/a.png"), f.read())
        with self.assertRaises(ControlError) as raised:
            self.mock.control.image("media-in", "photos/page.html")
        self.assertEqual(raised.exception.status, 404)


if __name__ == "__main__":
    unittest.main()
