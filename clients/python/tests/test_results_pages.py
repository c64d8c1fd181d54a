"""The helper reads a job's results a page of lines at a time (results_page, iter_results), as
GET /_mock/jobs/{JobId}/results?MaxLines=&NextToken= serves them, on the real binary with a
folder object store."""

import json
import os
import tempfile
import unittest

from rekognition_mock import ControlError, start_mock

JOB_ID = "results-pages-demo"


def job():
    return {
        "JobId": JOB_ID, "Status": "SUCCEEDED", "CreationTimestamp": 1_900_000_000,
        "CompletionTimestamp": 1_900_000_060,
        "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
        "Input": {"S3Object": {"Bucket": "media-in", "Name": "manifest.jsonl"}},
        "OutputConfig": {"S3Bucket": "media-out", "S3KeyPrefix": "out"},
        "Results": {"S3Object": {"Bucket": "media-out", "Name": "out/results.jsonl"}},
        "ManifestSummary": {"S3Object": {"Bucket": "media-out", "Name": "out/summary.json"}},
    }


class ResultsPagesTest(unittest.TestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        os.makedirs(os.path.join(folder.name, "media-out", "out"))
        self.lines = [json.dumps({"source-ref": f"s3://media-in/{i}.png"}).encode() + b"\n"
                      for i in range(25)]
        with open(os.path.join(folder.name, "media-out", "out", "results.jsonl"), "wb") as f:
            f.write(b"".join(self.lines))
        self.mock = start_mock(args=["--s3-dir", folder.name])
        self.addCleanup(self.mock.stop)
        self.mock.control.seed_jobs([job()])

    def test_pages_follow_their_tokens_to_the_last(self):
        first, token = self.mock.control.results_page(JOB_ID, max_lines=10)
        self.assertEqual(first, b"".join(self.lines[:10]))
        second, token = self.mock.control.results_page(JOB_ID, max_lines=10, next_token=token)
        self.assertEqual(second, b"".join(self.lines[10:20]))
        last, token = self.mock.control.results_page(JOB_ID, max_lines=10, next_token=token)
        self.assertEqual((last, token), (b"".join(self.lines[20:]), None))

    def test_iter_results_yields_every_line_in_order(self):
        self.assertEqual(list(self.mock.control.iter_results(JOB_ID, page_lines=7)), self.lines)
        self.assertEqual(self.mock.control.results(JOB_ID), b"".join(self.lines))

    def test_a_malformed_page_request_is_a_control_error(self):
        with self.assertRaises(ControlError) as raised:
            self.mock.control.results_page(JOB_ID, max_lines=0)
        self.assertEqual(raised.exception.status, 400)


if __name__ == "__main__":
    unittest.main()
