"""What the browser view (/_mock/ui) stands on, against the real binary: the page and its files
with their security headers, the health report's link to it, the control plane's refusal of
state changes from other origins (and its welcome of curl-style clients without Origin), ETag
revalidation, the opt-in members the view reads (paged and filtered jobs with their lifecycles,
request latency and bodies) and the image endpoint over a folder object store. The view itself
is driven in a real browser by tests/browser/."""

import http.client
import json
import os
import unittest

from bulk_lab import FolderLab, image_bytes
from mock_server import (START_TARGET, TARGET, ServerTestCase, call, control_ok,
                         default_fixtures, start_request)

FIXTURE_COUNT = 48
EVIL = "https://evil.example"


def raw(server, method, path, body=b"", headers=None):
    """One request with exactly these headers (http.client adds Host and Content-Length)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


class BrowserEndpointsTest(ServerTestCase):
    def serve(self, *args):
        return self.start_server("--log-level", "warn", "--fixtures", default_fixtures(), *args)

    def test_the_page_and_its_files_are_served_with_a_strict_policy(self):
        server = self.serve()
        status, headers, body = raw(server, "GET", "/_mock/ui")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "text/html; charset=utf-8")
        self.assertTrue(body.startswith(b"<!doctype html>"))
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertIn("script-src 'self'", headers["Content-Security-Policy"])
        self.assertNotIn("unsafe-inline", headers["Content-Security-Policy"])
        for name, kind in (("app.js", "text/javascript"), ("app.css", "text/css"),
                           ("icon.svg", "image/svg+xml")):
            status, headers, _ = raw(server, "GET", "/_mock/ui/" + name)
            self.assertEqual(status, 200, name)
            self.assertTrue(headers["Content-Type"].startswith(kind), name)
        self.assertEqual(control_ok(server, "GET", "/_mock/health")["Ui"], "/_mock/ui")
        # Revalidation: the same ETag back is a 304 with no body.
        _, headers, _ = raw(server, "GET", "/_mock/ui/app.js")
        status, _, body = raw(server, "GET", "/_mock/ui/app.js",
                              headers={"If-None-Match": headers["ETag"]})
        self.assertEqual((status, body), (304, b""))

    def test_no_control_plane_no_page(self):
        server = self.serve("--no-control-plane")
        for path in ("/_mock/ui", "/_mock/ui/app.js", "/_mock/health"):
            status, headers, body = raw(server, "GET", path)
            self.assertEqual(status, 400, path)
            self.assertEqual(json.loads(body)["__type"], "UnknownOperationException", path)

    def test_a_cross_site_form_cannot_steer_the_mock(self):
        server = self.serve()
        before = control_ok(server, "GET", "/_mock/health")["Scopes"]
        # What a form on another site sends: its origin, a form body.
        status, _, body = raw(server, "POST", "/_mock/reset", b"ReloadFixtures=false",
                              {"Origin": EVIL,
                               "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 403)
        answer = json.loads(body)
        self.assertEqual(answer["Error"], "CrossOriginRequest")
        self.assertIn(EVIL, answer["Message"])
        for path, payload in (("/_mock/clock/advance", b'{"Seconds": 60}'),
                              ("/_mock/faults", b'{"Error": "ThrottlingException", "Count": 1}')):
            status, _, _ = raw(server, "POST", path, payload,
                               {"Origin": EVIL, "Content-Type": "text/plain"})
            self.assertEqual(status, 403, path)
        status, _, _ = raw(server, "DELETE", "/_mock/requests", headers={"Origin": "null"})
        self.assertEqual(status, 403)
        health = control_ok(server, "GET", "/_mock/health")
        self.assertEqual(health["Scopes"], before)
        self.assertEqual(health["ClockOffsetSeconds"], 0)
        self.assertEqual(control_ok(server, "GET", "/_mock/faults"), {"Faults": []})

    def test_the_own_page_steers_with_json_and_curl_works_as_before(self):
        server = self.serve()
        own = f"http://{server.host}:{server.port}"
        status, _, body = raw(server, "POST", "/_mock/clock/advance", b'{"Seconds": 60}',
                              {"Origin": own, "Content-Type": "application/json"})
        self.assertEqual((status, json.loads(body)), (200, {"ClockOffsetSeconds": 60.0}))
        # Its own origin without a JSON type: what a same-site form would send.
        status, _, body = raw(server, "POST", "/_mock/clock/advance", b"Seconds=60",
                              {"Origin": own, "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 415)
        self.assertEqual(json.loads(body)["Error"], "UnsupportedMediaType")
        # curl: no Origin, its default form type, as the README's examples send.
        status, _, body = raw(server, "POST", "/_mock/clock/advance", b'{"Seconds": 30}',
                              {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual((status, json.loads(body)), (200, {"ClockOffsetSeconds": 90.0}))
        status, _, body = raw(server, "POST", "/_mock/reset")
        self.assertEqual(status, 200)

    def test_jobs_page_like_the_api_and_show_their_lifecycles(self):
        server = self.serve("--job-duration", "30")
        dump = control_ok(server, "GET", "/_mock/jobs")
        walked, token, pages = [], None, 0
        while True:
            path = "/_mock/jobs?MaxResults=10" + (f"&NextToken={token}" if token else "")
            page = control_ok(server, "GET", path)
            walked += page["MediaAnalysisJobs"]
            pages += 1
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual(pages, 5)
        self.assertEqual(walked, dump["MediaAnalysisJobs"])
        failed = control_ok(server, "GET", "/_mock/jobs?Status=FAILED")["MediaAnalysisJobs"]
        self.assertTrue(failed)
        self.assertTrue(all(job["Status"] == "FAILED" for job in failed))

        resp = call(server.host, server.port, start_request(JobName="timeline-job"),
                    target=START_TARGET)
        job_id = resp.json["JobId"]
        page = control_ok(server, "GET", "/_mock/jobs?Contains=timeline-JOB&Include=Lifecycle")
        self.assertEqual([j["JobId"] for j in page["MediaAnalysisJobs"]], [job_id])
        self.assertEqual(page["MediaAnalysisJobs"][0]["Status"], "CREATED")
        lifecycle = page["Lifecycles"][job_id]
        created = page["MediaAnalysisJobs"][0]["CreationTimestamp"]
        self.assertAlmostEqual(lifecycle["QueuedTimestamp"], created + 10, places=2)
        self.assertAlmostEqual(lifecycle["InProgressTimestamp"], created + 20, places=2)
        self.assertAlmostEqual(lifecycle["CompletionTimestamp"], created + 30, places=2)
        control_ok(server, "POST", "/_mock/clock/advance", {"Seconds": 15})
        one = control_ok(server, "GET", f"/_mock/jobs?JobId={job_id}")
        self.assertEqual(one["MediaAnalysisJobs"][0]["Status"], "QUEUED")
        health = control_ok(server, "GET", "/_mock/health")
        self.assertGreater(health["Now"], created + 15)
        self.assertLess(health["Now"], created + 60)

    def test_requests_show_latency_and_bodies_on_request(self):
        server = self.serve()
        control_ok(server, "POST", "/_mock/faults",
                   {"Operation": "ListMediaAnalysisJobs", "LatencyMs": 200, "Count": 1},
                   expect_status=201)
        resp = call(server.host, server.port, {"MaxResults": 2}, target=TARGET)
        self.assertEqual(resp.status, 200)
        plain = control_ok(server, "GET", "/_mock/requests")["Requests"][-1]
        self.assertNotIn("LatencyMs", plain)
        self.assertNotIn("RequestBody", plain)
        found = control_ok(server, "GET", f"/_mock/requests?RequestId={resp.request_id}"
                                          "&Include=Latency,Bodies")["Requests"]
        self.assertEqual(len(found), 1)
        record = found[0]
        self.assertGreaterEqual(record["LatencyMs"], 200)
        self.assertEqual(json.loads(record["RequestBody"]), {"MaxResults": 2})
        self.assertEqual(record["RequestBodyBytes"], len(json.dumps({"MaxResults": 2})))
        # A two-job page fits in the log whole.
        self.assertEqual(json.loads(record["ResponseBody"]), resp.json)
        self.assertEqual(record["ResponseBodyBytes"], len(resp.raw.encode()))
        # Big answers are kept to their first 4 KiB.
        big = call(server.host, server.port, {"MaxResults": 100}, target=TARGET)
        kept = control_ok(server, "GET", f"/_mock/requests?RequestId={big.request_id}"
                                         "&Include=Bodies")["Requests"][0]
        self.assertEqual(kept["ResponseBody"], big.raw[:4096])
        self.assertEqual(kept["ResponseBodyBytes"], len(big.raw.encode()))

    def test_images_a_job_read_are_shown_and_nothing_else(self):
        lab = FolderLab(os.path.join(self.tmp, "s3"))
        lab.make_bucket("media")
        lab.put("media", "photos/cat.png", image_bytes("ok-120x90.png"))
        lab.put("media", "photos/page.html", b"<script>alert(1)</script>")
        # Images reached through a symbolic link, even a real PNG, may lie outside --s3-dir.
        outside = os.path.join(self.tmp, "outside.png")
        with open(outside, "wb") as f:
            f.write(image_bytes("ok-120x90.png"))
        os.symlink(outside, os.path.join(self.tmp, "s3", "media", "photos", "linked.png"))
        os.symlink(os.path.join(self.tmp, "s3", "media", "photos"),
                   os.path.join(self.tmp, "s3", "linked-bucket"))
        server = self.serve(*lab.server_args())
        status, headers, body = raw(server, "GET", "/_mock/images?Bucket=media&Key=photos/cat.png")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "image/png")
        self.assertEqual(body, image_bytes("ok-120x90.png"))
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        for bucket, key in (("media", "photos/page.html"), ("media", "photos/missing.png"),
                            ("media", "../media/photos/cat.png"), ("media", "photos/linked.png"),
                            ("linked-bucket", "cat.png")):
            status, headers, body = raw(server, "GET", f"/_mock/images?Bucket={bucket}&Key={key}")
            self.assertEqual(status, 404, key)
            self.assertEqual(json.loads(body)["Error"], "NotFound", key)


if __name__ == "__main__":
    unittest.main()
