"""The AWS JSON 1.1 wire protocol, spoken with http.client and raw sockets."""

import base64
import decimal
import json
import socket
import unittest

from mock_server import (CONTENT_TYPE, TARGET, UUID_RE, MockServer, default_fixtures,
                         expected_from_file, find_nulls, kill_leftovers, load_fixture_jobs,
                         raw_request, read_http_response, to_ms)
import mock_server

BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


class HttpTestBase(mock_server.SharedServerTestCase):
    """One server (default fixtures) shared by the whole class; it is never mutated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.expected = expected_from_file(default_fixtures())

    def call(self, body=None, **kwargs):
        return self.server.call(body, **kwargs)

    def first_token(self, max_results=5):
        resp = self.call({"MaxResults": max_results})
        self.assertEqual(resp.status, 200, resp.raw)
        self.assertIn("NextToken", resp.json)
        return resp.json["NextToken"]

    def assertAwsError(self, resp, status, error_type, message_has=None):
        ctx = f"response: {resp.status} {resp.raw!r}"
        self.assertEqual(resp.status, status, ctx)
        self.assertEqual(resp.headers.get("Content-Type"), CONTENT_TYPE, ctx)
        self.assertEqual(resp.headers.get("x-amzn-ErrorType", "").split(":")[0], error_type, ctx)
        self.assertRegex(resp.request_id or "", UUID_RE, ctx)
        body = resp.json
        self.assertIsInstance(body, dict, ctx)
        self.assertEqual(set(body), {"__type", "Code", "Logref", "Message"}, ctx)
        self.assertEqual(body["__type"], error_type, ctx)
        self.assertEqual(body["Code"], error_type, ctx)
        self.assertIsInstance(body["Logref"], str, ctx)
        self.assertTrue(body["Logref"], ctx)
        self.assertIsInstance(body["Message"], str, ctx)
        self.assertTrue(body["Message"], ctx)
        if message_has is not None:
            self.assertIn(message_has, body["Message"], ctx)
        return body


class SuccessTest(HttpTestBase):
    def test_first_page_headers_and_shape(self):
        resp = self.call({"MaxResults": 4})
        self.assertEqual(resp.status, 200, resp.raw)
        self.assertEqual(resp.headers.get("Content-Type"), CONTENT_TYPE)
        self.assertRegex(resp.request_id or "", UUID_RE)
        self.assertIsNone(resp.headers.get("x-amzn-ErrorType"))
        self.assertEqual(set(resp.json), {"MediaAnalysisJobs", "NextToken"})
        self.assertEqual(len(resp.json["MediaAnalysisJobs"]), 4)
        self.assertIsInstance(resp.json["NextToken"], str)
        self.assertTrue(resp.json["NextToken"])
        self.assertEqual(int(resp.headers.get("Content-Length")), len(resp.raw.encode()))

    def test_empty_body_is_an_empty_request(self):
        resp = self.call(raw_body=b"")
        self.assertEqual(resp.status, 200, resp.raw)
        self.assertEqual(len(resp.json["MediaAnalysisJobs"]), 48)
        self.assertNotIn("NextToken", resp.json)

    def test_empty_object_uses_default_max_results(self):
        resp = self.call({})
        self.assertEqual(resp.status, 200, resp.raw)
        self.assertJobsEqual(resp.json["MediaAnalysisJobs"], self.expected)
        self.assertNotIn("NextToken", resp.json)

    def test_full_walk_matches_fixture_order_and_members(self):
        for size in (5, 13):
            with self.subTest(max_results=size):
                jobs, pages = self.server.list_all(max_results=size)
                self.assertJobsEqual(jobs, self.expected)
                self.assertEqual(len(pages), -(-48 // size))
                for page in pages[:-1]:
                    self.assertEqual(len(page["MediaAnalysisJobs"]), size)
                    self.assertIn("NextToken", page)
                self.assertNotIn("NextToken", pages[-1])

    def test_next_token_present_exactly_when_more_follow(self):
        resp = self.call({"MaxResults": 48})
        self.assertEqual(len(resp.json["MediaAnalysisJobs"]), 48)
        self.assertNotIn("NextToken", resp.json, "NextToken on a page that ends the listing")
        resp = self.call({"MaxResults": 47})
        self.assertEqual(len(resp.json["MediaAnalysisJobs"]), 47)
        token = resp.json["NextToken"]
        resp = self.call({"MaxResults": 47, "NextToken": token})
        self.assertEqual(resp.status, 200, resp.raw)
        self.assertJobsEqual(resp.json["MediaAnalysisJobs"], self.expected[47:])
        self.assertNotIn("NextToken", resp.json)

    def test_max_results_bounds_accepted(self):
        for size in (1, 100):
            with self.subTest(max_results=size):
                resp = self.call({"MaxResults": size})
                self.assertEqual(resp.status, 200, resp.raw)
                self.assertEqual(len(resp.json["MediaAnalysisJobs"]), min(size, 48))

    def test_empty_string_next_token_is_absent(self):
        resp = self.call({"MaxResults": 3, "NextToken": ""})
        self.assertEqual(resp.status, 200, resp.raw)
        self.assertJobsEqual(resp.json["MediaAnalysisJobs"], self.expected[:3])

    def test_token_reusable_with_different_max_results(self):
        token = self.first_token(5)
        for size in (1, 7, 100):
            with self.subTest(max_results=size):
                resp = self.call({"MaxResults": size, "NextToken": token})
                self.assertEqual(resp.status, 200, resp.raw)
                self.assertJobsEqual(resp.json["MediaAnalysisJobs"], self.expected[5:5 + size])
        # The same token again (tokens are not single-use).
        resp = self.call({"MaxResults": 2, "NextToken": token})
        self.assertJobsEqual(resp.json["MediaAnalysisJobs"], self.expected[5:7])

    def test_tokens_are_opaque(self):
        _, pages = self.server.list_all(max_results=3)
        tokens = [p["NextToken"] for p in pages if "NextToken" in p]
        self.assertEqual(len(tokens), 15)
        self.assertEqual(len(set(tokens)), 15)
        jobs = [j for p in pages for j in p["MediaAnalysisJobs"]]
        for i, token in enumerate(tokens):
            last = jobs[3 * i + 2]
            ms = to_ms(last["CreationTimestamp"])
            padded = token + "=" * (-len(token) % 4)
            try:
                raw = base64.urlsafe_b64decode(padded)
            except ValueError:
                raw = b""
            for text in (token, token.lower(), raw.hex(), raw.decode("latin-1")):
                self.assertNotIn(last["JobId"][:12], text, "job id readable in token")
                self.assertNotIn(str(ms), text, "timestamp readable in token")
                self.assertNotIn(str(ms // 1000), text, "timestamp readable in token")
            self.assertNotIn(ms.to_bytes(8, "big"), raw, "raw timestamp bytes in token")
            self.assertNotIn(bytes.fromhex(last["JobId"][:16]), raw, "job id bytes in token")

    def test_timestamps_are_numbers_with_at_most_3_decimals(self):
        resp = self.call({})
        body = json.loads(resp.raw, parse_float=decimal.Decimal)
        by_id = {j["JobId"]: j for j in self.expected}
        for job in body["MediaAnalysisJobs"]:
            for name in ("CreationTimestamp", "CompletionTimestamp"):
                if name not in job:
                    self.assertNotIn(name, by_id[job["JobId"]], f"{name} dropped")
                    continue
                value = job[name]
                self.assertIsInstance(value, (int, decimal.Decimal),
                                      f"{job['JobId']} {name} is {value!r}, not a JSON number")
                self.assertFalse(isinstance(value, bool))
                if isinstance(value, decimal.Decimal):
                    self.assertGreaterEqual(value.as_tuple().exponent, -3,
                                            f"{job['JobId']} {name}={value} has >3 decimals")
                self.assertEqual(int(value * 1000), to_ms(by_id[job["JobId"]][name]),
                                 f"{job['JobId']} {name}")

    def test_no_null_anywhere(self):
        _, pages = self.server.list_all(max_results=7)
        for page in pages:
            self.assertEqual(find_nulls(page), [])
        for body in ({"MaxResults": 0}, {"NextToken": "bad"}, {"MaxResults": "x"}):
            self.assertEqual(find_nulls(self.call(body).json), [])

    def test_absent_members_are_omitted(self):
        resp = self.call({})
        by_id = {j["JobId"]: j for j in resp.json["MediaAnalysisJobs"]}
        for want in self.expected:
            got = by_id[want["JobId"]]
            self.assertEqual(set(got), set(want), want["JobId"])


class ErrorTest(HttpTestBase):
    def test_missing_target(self):
        for attempt in range(10):  # repeated: a nondeterministic failure must not hide
            resp = self.call({}, target=None)
            with self.subTest(attempt=attempt):
                self.assertAwsError(resp, 400, "UnknownOperationException")
            if resp.status != 400:
                break

    def test_get_root(self):
        for attempt in range(10):
            resp = self.call(method="GET", target=None, raw_body=b"")
            with self.subTest(attempt=attempt):
                self.assertAwsError(resp, 400, "UnknownOperationException")
            if resp.status != 400:
                break

    def test_unknown_operations(self):
        for target in ("RekognitionService.DetectLabels", "RekognitionService.",
                       "RekognitionService.ListMediaAnalysisJobsX",
                       "Foo.ListMediaAnalysisJobs", "ListMediaAnalysisJobs"):
            with self.subTest(target=target):
                self.assertAwsError(self.call({}, target=target), 400,
                                    "UnknownOperationException")

    def test_invalid_json(self):
        for raw in ("{", "not json", '{"MaxResults": }', "{} trailing", '{"a":1,}'):
            with self.subTest(body=raw):
                self.assertAwsError(self.call(raw_body=raw), 400, "SerializationException")

    def test_non_object_bodies(self):
        for raw in ("[]", "[{}]", '"text"', "42", "null", "true"):
            with self.subTest(body=raw):
                self.assertAwsError(self.call(raw_body=raw), 400, "SerializationException")

    def test_wrong_member_types(self):
        bodies = [{"MaxResults": "ten"}, {"MaxResults": "10"}, {"MaxResults": 1.5},
                  {"MaxResults": True}, {"MaxResults": [5]}, {"MaxResults": {}},
                  {"NextToken": 5}, {"NextToken": 1.5}, {"NextToken": True},
                  {"NextToken": ["x"]}, {"NextToken": {}}]
        for body in bodies:
            with self.subTest(body=body):
                self.assertAwsError(self.call(body), 400, "SerializationException")

    def test_max_results_out_of_range(self):
        for value in (0, -1, 101, 1000):
            with self.subTest(max_results=value):
                self.assertAwsError(self.call({"MaxResults": value}), 400,
                                    "InvalidParameterException", message_has="MaxResults")

    def test_garbage_tokens(self):
        for token in ("x", "not-a-token", "!!!!", "%%%%", "A" * 140, "a b c", "é"):
            with self.subTest(token=token):
                self.assertAwsError(self.call({"NextToken": token}), 400,
                                    "InvalidPaginationTokenException")

    def test_tampered_tokens(self):
        token = self.first_token(5)
        conn = self.server.connection()
        self.addCleanup(conn.close)
        # Every position but the last (whose low bits may be padding).
        for i in range(len(token) - 1):
            c = token[i]
            flipped = BASE64URL[(BASE64URL.index(c) + 1) % 64] if c in BASE64URL else "A"
            bad = token[:i] + flipped + token[i + 1:]
            resp = self.call({"NextToken": bad}, conn=conn)
            self.assertAwsError(resp, 400, "InvalidPaginationTokenException")

    def test_truncated_tokens(self):
        token = self.first_token(5)
        for bad in (token[:-1], token[:-4], token[: len(token) // 2], token[:8], token[1:]):
            with self.subTest(token=bad):
                self.assertAwsError(self.call({"NextToken": bad}), 400,
                                    "InvalidPaginationTokenException")

    def test_extended_token(self):
        token = self.first_token(5)
        self.assertAwsError(self.call({"NextToken": token + "AAAA"}), 400,
                            "InvalidPaginationTokenException")

    def test_over_long_tokens(self):
        token = self.first_token(5)
        for bad in ("A" * 1025, token + "A" * (1025 - len(token)), "A" * 5000):
            with self.subTest(length=len(bad)):
                self.assertAwsError(self.call({"NextToken": bad}), 400,
                                    "InvalidPaginationTokenException")

    def test_max_results_checked_with_token(self):
        token = self.first_token(5)
        self.assertAwsError(self.call({"MaxResults": 0, "NextToken": token}), 400,
                            "InvalidParameterException", message_has="MaxResults")

    def test_request_ids_unique(self):
        conn = self.server.connection()
        self.addCleanup(conn.close)
        ids, logrefs = [], []
        bodies = [{}, {"MaxResults": 0}, {"NextToken": "bad"}, {"MaxResults": "x"}] * 5
        for body in bodies:
            resp = self.call(body, conn=conn)
            self.assertRegex(resp.request_id or "", UUID_RE)
            ids.append(resp.request_id)
            if resp.status != 200:
                logrefs.append(resp.json["Logref"])
        resp = self.call({}, target="RekognitionService.DetectLabels", conn=conn)
        ids.append(resp.request_id)
        self.assertEqual(len(set(ids)), len(ids), "x-amzn-RequestId repeated")
        self.assertEqual(len(set(logrefs)), len(logrefs), "Logref repeated")


class ConnectionTest(HttpTestBase):
    def test_keep_alive_several_requests_one_connection(self):
        conn = self.server.connection()
        self.addCleanup(conn.close)
        first = self.call({"MaxResults": 1}, conn=conn)
        self.assertEqual(first.status, 200)
        sock = conn.sock
        self.assertIsNotNone(sock)
        bodies = [{"MaxResults": 2}, {"MaxResults": 0}, {"NextToken": "bad"},
                  {"MaxResults": "ten"}, {}, {"MaxResults": 3}]
        for body in bodies:
            resp = self.call(body, conn=conn)
            self.assertNotEqual((resp.headers.get("Connection") or "").lower(), "close", body)
            self.assertIs(conn.sock, sock, f"connection was not kept alive after {body}")
        resp = self.call({}, target="RekognitionService.DetectLabels", conn=conn)
        self.assertEqual(resp.status, 400)
        self.assertIs(conn.sock, sock)
        resp = self.call({"MaxResults": 3}, conn=conn)
        self.assertJobsEqual(resp.json["MediaAnalysisJobs"], self.expected[:3])
        self.assertIs(conn.sock, sock)

    def test_pipelined_requests_in_one_send(self):
        sock = socket.create_connection((self.server.host, self.server.port), timeout=10)
        self.addCleanup(sock.close)
        sock.sendall(raw_request('{"MaxResults": 1}') + raw_request('{"MaxResults": 2}')
                     + raw_request('{"MaxResults": 0}'))
        f = sock.makefile("rb")
        self.addCleanup(f.close)
        results = [read_http_response(f) for _ in range(3)]
        (s1, h1, b1), (s2, h2, b2), (s3, h3, b3) = results
        self.assertEqual((s1, s2, s3), (200, 200, 400))
        self.assertJobsEqual(json.loads(b1)["MediaAnalysisJobs"], self.expected[:1])
        self.assertJobsEqual(json.loads(b2)["MediaAnalysisJobs"], self.expected[:2])
        self.assertEqual(json.loads(b3)["__type"], "InvalidParameterException")
        ids = {h["x-amzn-requestid"] for h in (h1, h2, h3)}
        self.assertEqual(len(ids), 3)

    def test_http_1_0_request(self):
        sock = socket.create_connection((self.server.host, self.server.port), timeout=10)
        self.addCleanup(sock.close)
        body = b'{"MaxResults": 2}'
        sock.sendall(b"POST / HTTP/1.0\r\nX-Amz-Target: " + TARGET.encode()
                     + b"\r\nContent-Type: " + CONTENT_TYPE.encode()
                     + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        f = sock.makefile("rb")
        self.addCleanup(f.close)
        status, headers, payload = read_http_response(f)
        self.assertEqual(status, 200)
        self.assertEqual(len(json.loads(payload)["MediaAnalysisJobs"]), 2)


class ConcurrencyTest(HttpTestBase):
    def test_concurrent_walks(self):
        import threading
        results, errors = {}, []

        def walk(size):
            try:
                results[size] = self.server.list_all(max_results=size)[0]
            except Exception as e:  # reported below, in the test's thread
                errors.append((size, e))

        threads = [threading.Thread(target=walk, args=(n,)) for n in (1, 2, 3, 4, 5, 6, 8, 9)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(errors, [])
        self.assertEqual(sorted(results), [1, 2, 3, 4, 5, 6, 8, 9])
        for size, jobs in results.items():
            with self.subTest(max_results=size):
                self.assertJobsEqual(jobs, self.expected)


class EdgeTimestampTest(mock_server.ServerTestCase):
    """Timestamps at the edges: before 1970, the epoch, year 9999, ISO offsets, sub-ms input."""

    def test_order_and_encoding(self):
        jobs = [mock_server.make_job(f"neg-{i:02d}", -1000.5 + i * 0.25 if i % 3 else 0,
                                     status="QUEUED") for i in range(10)]
        jobs += [
            mock_server.make_job("far-future", 253402300799.999, status="QUEUED"),
            mock_server.make_job("iso-z", "1999-12-31T23:59:59.999Z", status="QUEUED"),
            mock_server.make_job("iso-offset", "2000-01-01T01:00:00.000+01:00", status="QUEUED"),
            mock_server.make_job("sub-ms", 1700000000.1239, status="QUEUED"),
        ]
        path = mock_server.write_json(self.tmp, "edges.json", jobs)
        server = self.start_server("--fixtures", path)
        got, pages = server.list_all(max_results=1)
        self.assertEqual(len(pages), len(jobs))
        self.assertJobsEqual(got, mock_server.expected_order(jobs))
        resp = server.call({})
        body = json.loads(resp.raw, parse_float=decimal.Decimal)
        stamps = {j["JobId"]: j["CreationTimestamp"] for j in body["MediaAnalysisJobs"]}
        self.assertEqual(stamps["sub-ms"], decimal.Decimal("1700000000.124"))
        self.assertEqual(stamps["iso-offset"], 946684800)
        self.assertEqual(stamps["iso-z"], decimal.Decimal("946684799.999"))
        self.assertEqual(stamps["neg-01"], decimal.Decimal("-1000.25"))
        self.assertEqual(stamps["far-future"], decimal.Decimal("253402300799.999"))


class RequestLogTest(HttpTestBase):
    def test_one_log_line_per_request_with_its_request_id(self):
        conn = self.server.connection()
        self.addCleanup(conn.close)
        cases = [({}, TARGET, 200, None),
                 ({"MaxResults": 0}, TARGET, 400, "InvalidParameterException"),
                 ({"NextToken": "zzz"}, TARGET, 400, "InvalidPaginationTokenException"),
                 ({"MaxResults": "ten"}, TARGET, 400, "SerializationException"),
                 ({}, "RekognitionService.DetectLabels", 400, "UnknownOperationException"),
                 ({"MaxResults": 2}, TARGET, 200, None)]
        sent = []
        for body, target, status, error_type in cases:
            resp = self.call(body, target=target, conn=conn)
            self.assertEqual(resp.status, status, resp.raw)
            sent.append((resp.request_id, status, error_type))
        wanted = {rid for rid, _, _ in sent}

        def all_logged(records):
            logged = {r.get("request_id") for r in records if r.get("msg") == "request"}
            return wanted <= logged

        records = self.server.wait_for_logs(all_logged)
        for rid, status, error_type in sent:
            lines = [r for r in records if r.get("msg") == "request" and r.get("request_id") == rid]
            self.assertEqual(len(lines), 1, f"{rid}: {lines}")
            line = lines[0]
            self.assertEqual(line["status"], status, line)
            self.assertIn("operation", line)
            if status == 200:
                self.assertEqual(line["operation"], "ListMediaAnalysisJobs", line)
                self.assertNotIn("error_type", line)
            else:
                self.assertEqual(line["error_type"], error_type, line)
            self.assertIsInstance(line["latency_ms"], (int, float))
            self.assertGreaterEqual(line["latency_ms"], 0)


if __name__ == "__main__":
    unittest.main()
