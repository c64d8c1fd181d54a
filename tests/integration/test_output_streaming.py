"""A job's outputs are streamed to the client, never held whole: the real binary answers GET
/_mock/jobs/{id}/results of a 256 MiB results file (64 MiB from an S3 server) with every byte
while its peak RSS (VmHWM, reset just before) grows by less than the 32 MiB docs/limits.md promises;
with one I/O thread it answers other requests while a client that reads nothing holds a large
file's answer, and a client that leaves mid-body releases the file. The results are also read a
page of lines at a time, following X-Mock-Next-Token, as the browser view reads them."""

import hashlib
import http.client
import json
import os
import socket
import struct
import time
import unittest

from bulk_lab import FolderLab
from mock_server import (ServerTestCase, assert_memory_bound, control, make_job,
                         peak_growth_mib, reset_peak)
from s3_lab import S3Lab, SharedMotoServer

MIB = 1024 * 1024
BOUND_MIB = 32
JOB_ID = "5" * 64
RESULTS_KEY = f"out/{JOB_ID}-results.jsonl"
SUMMARY_KEY = f"out/{JOB_ID}-manifest-summary.json"


def results_text(size):
    """Results lines, each one different, of at least `size` bytes in all."""
    lines = []
    total = 0
    i = 0
    while total < size:
        line = json.dumps({"source-ref": f"s3://media-in/images/{i:09d}.png",
                           "detect-moderation-labels": {"ModerationLabels": [],
                                                        "ModerationModelVersion": "7.0"}}) + "\n"
        lines.append(line)
        total += len(line)
        i += 1
    return "".join(lines).encode()


def seeded_job():
    return make_job(JOB_ID, 1_700_000_000,
                    Input={"S3Object": {"Bucket": "media-in", "Name": "manifest.jsonl"}},
                    OutputConfig={"S3Bucket": "media-out", "S3KeyPrefix": "out"},
                    Results={"S3Object": {"Bucket": "media-out", "Name": RESULTS_KEY}},
                    ManifestSummary={"S3Object": {"Bucket": "media-out", "Name": SUMMARY_KEY}})


def open_files(pid):
    """The paths the process has open."""
    paths = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            paths.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except FileNotFoundError:
            pass  # closed meanwhile
    return paths


def wait_until(predicate, message, timeout=20):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.02)


def read_whole(server, path, chunk=MIB):
    """GET `path`: (status, headers, sha256 of the body, body length), the body read in chunks."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        digest = hashlib.sha256()
        length = 0
        while True:
            block = resp.read(chunk)
            if not block:
                break
            digest.update(block)
            length += len(block)
        return resp.status, resp.headers, digest.hexdigest(), length
    finally:
        conn.close()


class StalledReader:
    """A connection that sends GET `path`, reads the answer's header and then nothing: a client
    far slower than the server. Its small receive buffer keeps what the kernel absorbs small."""

    def __init__(self, server, path):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
        self.sock.settimeout(30)
        self.sock.connect((server.host, server.port))
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        self.first_bytes = b""
        while b"\r\n\r\n" not in self.first_bytes:
            block = self.sock.recv(1024)
            if not block:
                raise AssertionError(f"no answer: {self.first_bytes!r}")
            self.first_bytes += block
        if not self.first_bytes.startswith(b"HTTP/1.1 200"):
            raise AssertionError(f"not a 200: {self.first_bytes[:300]!r}")
        self.header_length = self.first_bytes.index(b"\r\n\r\n") + 4

    def settimeout(self, seconds):
        self.sock.settimeout(seconds)

    def recv(self, size):
        return self.sock.recv(size)

    def close(self):
        self.sock.close()

    def abandon(self):
        """Closes with a reset, as a browser tab closing mid-download does."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


class StreamingChecks:
    """The same checks on each object store; `lab()` makes the store's lab."""

    SIZE = 64 * MIB

    def serve_results(self, text, *args):
        lab = self.lab()
        lab.make_bucket("media-in")
        lab.make_bucket("media-out")
        lab.put("media-out", RESULTS_KEY, text)
        lab.put("media-out", SUMMARY_KEY, b'{"statistics": {}}')
        server = self.start_server("--log-level", "warn", *lab.server_args(), *args)
        seeded = control(server, "POST", "/_mock/jobs", {"MediaAnalysisJobs": [seeded_job()]})
        self.assertEqual(seeded.status, 200, seeded)
        return server

    def test_a_large_results_file_streams_in_bounded_memory(self):
        text = results_text(self.SIZE)
        server = self.serve_results(text)
        pid = server.proc.pid
        before = reset_peak(pid)
        status, headers, digest, length = read_whole(server, f"/_mock/jobs/{JOB_ID}/results")
        growth = peak_growth_mib(pid, before)
        print(f"\n{type(self).__name__}: peak RSS growth reading {len(text) / MIB:.0f} MiB of "
              f"results: {growth:.1f} MiB")
        self.assertEqual(status, 200)
        self.assertEqual((length, digest), (len(text), hashlib.sha256(text).hexdigest()))
        assert_memory_bound(self, growth, BOUND_MIB)
        self.assertEqual(headers["Content-Type"], "application/jsonl")
        self.assertEqual(int(headers["Content-Length"]), len(text))
        # Its bytes are not known before they are sent: no ETag to revalidate, nothing stored.
        self.assertIsNone(headers["ETag"])
        self.assertEqual(headers["Cache-Control"], "no-store")
        # The connection's and the server's state are sound after it.
        self.assertEqual(control(server, "GET", "/_mock/ping").json, {"Status": "ready"})


class FolderStreamingTest(StreamingChecks, ServerTestCase):
    SIZE = 256 * MIB

    def lab(self):
        return FolderLab(os.path.join(self.tmp, "s3"))

    def results_path(self):
        return os.path.join(self.tmp, "s3", "media-out", *RESULTS_KEY.split("/"))

    def test_one_io_thread_serves_others_while_a_client_reads_nothing(self):
        text = results_text(64 * MIB)
        server = self.serve_results(text, "--threads", "1")
        pid = server.proc.pid
        before = reset_peak(pid)
        slow = StalledReader(server, f"/_mock/jobs/{JOB_ID}/results")
        try:
            # The answer is under way and waits on the client: the server holds the file open.
            wait_until(lambda: self.results_path() in open_files(pid),
                       "the server does not hold the results file open while streaming it")
            for path in ("/_mock/ping", "/_mock/health", "/_mock/jobs?MaxResults=1",
                         f"/_mock/jobs/{JOB_ID}/manifest-summary"):
                resp = control(server, "GET", path, timeout=5)
                self.assertEqual(resp.status, 200, (path, resp))
            self.assertIn(self.results_path(), open_files(pid), "the stream ended early")
            growth = peak_growth_mib(pid, before)
            assert_memory_bound(self, growth, BOUND_MIB)
            # Once the client reads again, the rest arrives whole.
            answer = bytearray(slow.first_bytes)
            slow.settimeout(60)
            while len(answer) < slow.header_length + len(text):
                block = slow.recv(MIB)
                if not block:
                    break
                answer += block
        finally:
            slow.close()
        self.assertEqual(bytes(answer[slow.header_length:]), text)

    def test_a_client_that_leaves_mid_body_releases_the_file(self):
        server = self.serve_results(results_text(64 * MIB))
        pid = server.proc.pid
        reader = StalledReader(server, f"/_mock/jobs/{JOB_ID}/results")
        wait_until(lambda: self.results_path() in open_files(pid),
                   "the server does not hold the results file open while streaming it")
        reader.abandon()
        wait_until(lambda: self.results_path() not in open_files(pid),
                   "the results file stays open after its client left")
        self.assertEqual(control(server, "GET", "/_mock/ping").json, {"Status": "ready"})
        # And the next reader gets all of it.
        status, _, _, length = read_whole(server, f"/_mock/jobs/{JOB_ID}/results")
        self.assertEqual(status, 200)
        self.assertGreater(length, 64 * MIB - 1)

    def test_results_are_read_a_page_of_lines_at_a_time(self):
        text = results_text(300_000)
        lines = text.decode().splitlines(keepends=True)
        server = self.serve_results(text)
        pages = []
        token = None
        while True:
            path = f"/_mock/jobs/{JOB_ID}/results?MaxLines=1000"
            if token:
                path += f"&NextToken={token}"
            resp = control(server, "GET", path)
            self.assertEqual(resp.status, 200, resp)
            self.assertEqual(resp.headers["Content-Type"], "application/jsonl")
            pages.append(resp.raw)
            token = resp.headers.get("X-Mock-Next-Token")
            if not token:
                break
        self.assertEqual([len(p.splitlines()) for p in pages[:-1]], [1000] * (len(pages) - 1))
        self.assertEqual("".join(pages), "".join(lines))
        self.assertEqual(len(pages), (len(lines) + 999) // 1000)
        # The page's errors, and a missing job's, are the endpoint's usual ones.
        bad = control(server, "GET", f"/_mock/jobs/{JOB_ID}/results?MaxLines=0")
        self.assertEqual((bad.status, bad.json["Error"]), (400, "BadRequest"))
        missing = control(server, "GET", f"/_mock/jobs/{'6' * 64}/results?MaxLines=5")
        self.assertEqual((missing.status, missing.json["Error"]), (404, "NotFound"))

    def test_small_outputs_are_answered_whole_with_an_etag_as_before(self):
        text = results_text(10_000)
        server = self.serve_results(text)
        resp = control(server, "GET", f"/_mock/jobs/{JOB_ID}/results")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.raw.encode(), text)
        self.assertEqual(resp.headers["Cache-Control"], "no-cache")
        again = control(server, "GET", f"/_mock/jobs/{JOB_ID}/results",
                        headers={"If-None-Match": resp.headers["ETag"]})
        self.assertEqual(again.status, 304)


class S3StreamingTest(SharedMotoServer, StreamingChecks, ServerTestCase):
    SIZE = 64 * MIB

    def lab(self):
        return S3Lab(self.moto)


if __name__ == "__main__":
    unittest.main()
