"""A reset is atomic: clients paging and polling while the control plane resets the mock (with
fixture reload) see the jobs as they were or as reloaded, never an empty or partial scope; a
reset whose fixtures no longer load answers 409 and leaves every job where it was."""

import http.client
import json
import os
import random
import threading
import unittest

from mock_server import GET_TARGET, ServerTestCase, call, run_binary, write_json

ACCOUNT_A = "111122223333"
RESETS = 50
READERS = 4


def control(server, method, path, body=None):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        conn.request(method, path, body=None if body is None else json.dumps(body),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"null")
    finally:
        conn.close()


def auth_for(account):
    """An Authorization header that puts the caller in `account`, us-east-1."""
    return {"Authorization": f"AWS4-HMAC-SHA256 Credential={account}/20240101/us-east-1/"
                             "rekognition/aws4_request, SignedHeaders=host, Signature=0"}


class ResetAtomicityTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        proc = run_binary("--generate-fixtures", "300", "--seed", "5")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.default_jobs = json.loads(proc.stdout)["MediaAnalysisJobs"]
        self.default_path = os.path.join(self.tmp, "a-default.json")
        with open(self.default_path, "w", encoding="utf-8") as f:
            f.write(proc.stdout)
        proc = run_binary("--generate-fixtures", "120", "--seed", "6")
        self.other_jobs = json.loads(proc.stdout)["MediaAnalysisJobs"]
        write_json(self.tmp, "b-other.json",
                   {"AccountId": ACCOUNT_A, "MediaAnalysisJobs": self.other_jobs})
        self.server = self.start_server("--log-level", "warn", "--fixtures", self.tmp,
                                        "--threads", "4")
        self.expected = {
            None: sorted(j["JobId"] for j in self.default_jobs),
            ACCOUNT_A: sorted(j["JobId"] for j in self.other_jobs),
        }

    def walk(self, conn, account, rng):
        """Every JobId of the caller's scope, paging with a random MaxResults."""
        ids, token = [], None
        headers = auth_for(account) if account else None
        for _ in range(1000):
            body = {"MaxResults": rng.randint(1, 100)}
            if token:
                body["NextToken"] = token
            resp = call(self.server.host, self.server.port, body, conn=conn, headers=headers)
            if resp.status != 200:
                raise AssertionError(f"List answered {resp}")
            ids += [j["JobId"] for j in resp.json["MediaAnalysisJobs"]]
            token = resp.json.get("NextToken")
            if token is None:
                return sorted(ids)
        raise AssertionError("the walk did not end")

    def run_readers(self, action):
        """Runs `action` while READERS clients walk both scopes and poll a job; returns what
        went wrong in the readers."""
        stop = threading.Event()
        problems, walks = [], [0]
        lock = threading.Lock()
        polled = self.default_jobs[17]["JobId"]

        def reader(seed):
            rng = random.Random(seed)
            conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
            try:
                while not stop.is_set():
                    account = ACCOUNT_A if rng.random() < 0.3 else None
                    seen = self.walk(conn, account, rng)
                    if seen != self.expected[account]:
                        with lock:
                            problems.append(f"scope {account or 'default'}: walk saw "
                                            f"{len(seen)} jobs, not {len(self.expected[account])}")
                    got = call(self.server.host, self.server.port, {"JobId": polled},
                               target=GET_TARGET, conn=conn)
                    if got.status != 200:
                        with lock:
                            problems.append(f"Get of a fixture job answered {got}")
                    with lock:
                        walks[0] += 1
            except Exception as e:  # noqa: BLE001 - reported below
                with lock:
                    problems.append(repr(e))
            finally:
                conn.close()

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
        for t in threads:
            t.start()
        try:
            action()
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        self.assertGreater(walks[0], READERS, "the readers barely ran")
        return problems

    def test_readers_never_see_an_empty_or_partial_scope_during_resets(self):
        def resets():
            for i in range(RESETS):
                # A job started in between, so each reset also has something to delete.
                resp = call(self.server.host, self.server.port, {
                    "OperationsConfig": {"DetectModerationLabels": {}},
                    "Input": {"S3Object": {"Bucket": "in-bucket", "Name": f"m{i}.jsonl"}},
                    "OutputConfig": {"S3Bucket": "out-bucket"}},
                    target="RekognitionService.StartMediaAnalysisJob",
                    headers=auth_for("999999999999"))
                self.assertEqual(resp.status, 200, resp)
                body = None if i % 3 else {"AccountId": ACCOUNT_A}
                status, answer = control(self.server, "POST", "/_mock/reset", body)
                self.assertEqual(status, 200, answer)
                if body is None:  # every scope, the started jobs too
                    self.assertEqual(answer["JobsLoaded"], 420)
                    self.assertGreater(answer["JobsDeleted"], 420)
                else:
                    self.assertEqual(answer, {"JobsDeleted": 120, "JobsLoaded": 120})

        problems = self.run_readers(resets)
        self.assertEqual(problems, [])

    def test_a_reload_that_fails_leaves_every_job_as_it_was(self):
        with open(self.default_path, encoding="utf-8") as f:
            original = f.read()

        def failing_resets():
            for i in range(10):
                with open(self.default_path, "w", encoding="utf-8") as f:
                    # Broken at the end: the reader gets far before it fails.
                    f.write(original.rstrip()[:-2] if i % 2 else original.replace(
                        '"SUCCEEDED"', '"DONE"', 1))
                status, answer = control(self.server, "POST", "/_mock/reset")
                self.assertEqual(status, 409, answer)
                self.assertEqual(answer["Error"], "FixturesNotLoadable")
            with open(self.default_path, "w", encoding="utf-8") as f:
                f.write(original)

        problems = self.run_readers(failing_resets)
        self.assertEqual(problems, [])
        status, answer = control(self.server, "POST", "/_mock/reset")
        self.assertEqual((status, answer), (200, {"JobsDeleted": 420, "JobsLoaded": 420}))


if __name__ == "__main__":
    unittest.main()
