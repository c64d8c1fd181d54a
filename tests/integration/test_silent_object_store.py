"""An S3 server that never answers must not freeze the mock: the object store is reached only
from the work threads, so while Starts wait on a manifest check and Gets wait on a job's work,
the I/O threads keep answering ping, List, Get of other jobs and the control plane, at any
--threads. The S3 server here accepts connections and reads requests; it answers the manifest's
HEAD-like ranged GET when told to, and holds every other request open until the test ends."""

import threading
import time
import unittest

from mock_server import MockServer, call, default_fixtures, isolate_aws_environment
from silent_s3 import SilentS3

# A caller in another account than the default fixtures', so its jobs stay out of their listing.
OTHER_ACCOUNT = {"Authorization": "AWS4-HMAC-SHA256 Credential=111111111111/20261201/us-east-1/"
                                  "rekognition/aws4_request, SignedHeaders=host, Signature=0"}
# Time for an answer that does not wait on the object store, generous for a loaded CI machine;
# before the work threads, these requests waited for the S3 timeouts (30 s, three attempts).
PROMPT = 5


def start_job(server, headers=None, timeout=60):
    return call(server.host, server.port, {
        "OperationsConfig": {"DetectModerationLabels": {}},
        "Input": {"S3Object": {"Bucket": "media-in", "Name": "m.jsonl"}},
        "OutputConfig": {"S3Bucket": "media-out"},
    }, target="RekognitionService.StartMediaAnalysisJob", headers=headers, timeout=timeout)


def in_background(fn, *args, **kwargs):
    """Runs fn in a daemon thread; returns a list that holds its result or exception."""
    box = []

    def run():
        try:
            box.append(fn(*args, **kwargs))
        except Exception as e:  # noqa: BLE001 - the test reads what happened
            box.append(e)

    threading.Thread(target=run, daemon=True).start()
    return box


class SilentObjectStoreTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        isolate_aws_environment()

    def start_mock(self, s3, threads, *extra):
        env = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
        server = MockServer("--fixtures", default_fixtures(), "--threads", str(threads),
                            "--s3-endpoint", s3.endpoint,
                            "--job-duration", "0", *extra, env=env)
        server.start()
        self.addCleanup(server.stop)
        return server

    def wait_until(self, s3, predicate):
        """Polls what the S3 server has seen until `predicate` holds (30 s at most)."""
        deadline = time.monotonic() + 30
        while not predicate(s3.seen()):
            self.assertLess(time.monotonic(), deadline, "the S3 server saw %r" % s3.seen())
            time.sleep(0.01)

    def assert_serving(self, server, job_id):
        """Everything that needs no object store answers while the work threads are stuck."""
        conn = server.connection(timeout=PROMPT)
        conn.request("GET", "/_mock/ping")
        self.assertEqual(conn.getresponse().status, 200)
        listed = call(server.host, server.port, {},
                      target="RekognitionService.ListMediaAnalysisJobs", timeout=PROMPT)
        self.assertEqual(listed.status, 200, listed)
        self.assertTrue(listed.json["MediaAnalysisJobs"])
        got = call(server.host, server.port, {"JobId": job_id},
                   target="RekognitionService.GetMediaAnalysisJob", timeout=PROMPT)
        self.assertEqual(got.status, 200, got)
        conn = server.connection(timeout=PROMPT)
        conn.request("GET", "/_mock/health")
        self.assertEqual(conn.getresponse().status, 200)
        conn = server.connection(timeout=PROMPT)
        conn.request("GET", "/_mock/requests")
        self.assertEqual(conn.getresponse().status, 200)

    def fixture_job(self, server):
        listed = call(server.host, server.port, {},
                      target="RekognitionService.ListMediaAnalysisJobs", timeout=PROMPT)
        return listed.json["MediaAnalysisJobs"][0]["JobId"]

    def test_starts_whose_manifest_never_comes_hold_no_io_thread(self):
        for threads in (1, 2):
            with self.subTest(threads=threads):
                s3 = SilentS3(manifest_ok=False)
                self.addCleanup(s3.close)
                server = self.start_mock(s3, threads)
                job_id = self.fixture_job(server)
                starts = [in_background(start_job, server, OTHER_ACCOUNT) for _ in range(2)]
                self.wait_until(s3, lambda seen: len(seen) >= 2)
                self.assert_serving(server, job_id)
                self.assertEqual(starts, [[], []], "a Start answered without its manifest")

    def test_gets_of_a_job_whose_images_never_come_hold_no_io_thread(self):
        for threads in (1, 2):
            with self.subTest(threads=threads):
                s3 = SilentS3(manifest_ok=True)
                self.addCleanup(s3.close)
                server = self.start_mock(s3, threads)
                fixture = self.fixture_job(server)
                started = start_job(server, OTHER_ACCOUNT, timeout=PROMPT)
                self.assertEqual(started.status, 200, started)
                stuck = started.json["JobId"]
                gets = [in_background(call, server.host, server.port, {"JobId": stuck},
                                      target="RekognitionService.GetMediaAnalysisJob",
                                      headers=OTHER_ACCOUNT, timeout=60) for _ in range(2)]
                # The work reads the manifest, then asks for the image, which never comes.
                self.wait_until(s3, lambda seen: any(p.endswith(".png") for _, p in seen))
                self.assert_serving(server, fixture)
                self.assertEqual(gets, [[], []], "a Get answered before the job's work ended")

    def test_sigterm_with_work_stuck_on_the_object_store_exits_at_once(self):
        s3 = SilentS3(manifest_ok=True)
        self.addCleanup(s3.close)
        server = self.start_mock(s3, 1)
        started = start_job(server, OTHER_ACCOUNT, timeout=PROMPT)
        self.assertEqual(started.status, 200, started)
        self.wait_until(s3, lambda seen: any(p.endswith(".png") for _, p in seen))
        code = server.stop(timeout=PROMPT)
        self.assertEqual(code, 0)
        self.assertIn("resumes at restart", server.stderr_text())


if __name__ == "__main__":
    unittest.main()
