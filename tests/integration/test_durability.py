"""Durability and robustness of the real binary under crashes, concurrency and hostile clients.

1. A file store survives repeated SIGKILLs in the middle of concurrent StartMediaAnalysisJob
   traffic: every acknowledged job and idempotency token is still there after a restart, no
   acknowledged-then-lost or phantom jobs, and the SQLite file passes `PRAGMA integrity_check`.
2. Keyset pagination stays exact while writers add new jobs and the control plane seeds jobs
   older than everything: each walk sees every job that existed when it began exactly once, in
   order.
3. 300 slowloris connections (a request line and nothing more) do not starve a normal client.
4. Another process holding SQLite's write lock: Start waits for the store's 5 s busy_timeout,
   then fails cleanly (InternalServerError 500), the server survives, and works once the lock
   is gone.
5. A store that cannot grow (the disk-full stand-in: the server's file-size limit lowered with
   prlimit, which needs no root and no mount): Start answers InternalServerError, reads go on,
   nothing half-written is left, and writes work again once the limit is lifted.
6. The store's file deleted, or another file moved over it, while the server runs: writes answer
   InternalServerError instead of being acknowledged into an unlinked file and lost at restart,
   health says why (503), the log names the file, reads and due work wait for a restart.

Every loop is bounded in count and in time; everything is on loopback.  Figures measured along
the way (kills, jobs verified, walks, latencies) are printed to stderr.
"""

import http.client
import json
import os
import random
import resource
import signal
import socket
import sqlite3
import sys
import threading
import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from mock_server import (GET_TARGET, START_TARGET, ServerTestCase, call, control, control_ok,
                         default_fixtures, make_job, run_binary, sort_key, start_request, to_ms)

NO_RETRY = {"total_max_attempts": 1}


def report(message):
    print(f"[durability] {message}", file=sys.stderr, flush=True)


def boto3_client(endpoint, connect_timeout=2, read_timeout=2):
    return boto3.client("rekognition", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries=NO_RETRY, connect_timeout=connect_timeout,
                                      read_timeout=read_timeout))


def integrity_check(path):
    """`PRAGMA integrity_check` rows of a SQLite file (opened by this process only)."""
    db = sqlite3.connect(path, timeout=5)
    try:
        return [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    finally:
        db.close()


def dump_jobs(server):
    """Every job of the default scope, from the control plane's dump."""
    body = control_ok(server, "GET", "/_mock/jobs")
    return body["MediaAnalysisJobs"] if isinstance(body, dict) else body


class _Keepalive:
    """One keep-alive connection that reconnects after any failure."""

    def __init__(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = None

    def call(self, body, target):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            return call(self.host, self.port, body, target=target, conn=self.conn)
        except BaseException:
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# --------------------------------------------------------------------------------------------
# 1. SIGKILL during concurrent Starts on a file store

class CrashSafetyTest(ServerTestCase):
    SEED = 20240611
    KILLS = 8
    THREADS = 4
    CALLS_PER_THREAD_PER_CYCLE = 400   # bound per cycle; a kill normally comes first
    CYCLE_DEADLINE = 3.0               # seconds a client thread keeps trying in one cycle

    def _client(self, host, port, cycle, index, stop, sink):
        """Send Starts with fresh tokens until `stop`; record every outcome in `sink`."""
        conn = _Keepalive(host, port, timeout=2)
        deadline = time.monotonic() + self.CYCLE_DEADLINE
        try:
            for n in range(self.CALLS_PER_THREAD_PER_CYCLE):
                if stop.is_set() or time.monotonic() > deadline:
                    break
                token = f"c{cycle}-t{index}-n{n}"
                body = start_request(name=f"manifests/{token}.jsonl", JobName=f"dur-{token}",
                                     ClientRequestToken=token)
                sink["attempts"].append(token)
                try:
                    resp = conn.call(body, START_TARGET)
                except (OSError, http.client.HTTPException) as exc:
                    sink["errors"].append((token, type(exc).__name__))
                    time.sleep(0.005)  # refused or reset: the server is gone or restarting
                    continue
                if resp.status == 200 and resp.json and "JobId" in resp.json:
                    sink["acked"].append((token, body, resp.json["JobId"]))
                else:
                    sink["bad"].append((token, resp.status, resp.raw[:300]))
        finally:
            conn.close()

    def _verify(self, server, chunk, failures):
        """Get every acknowledged job and replay its token; append problems to `failures`."""
        conn = _Keepalive(server.host, server.port, timeout=5)
        try:
            for token, body, job_id in chunk:
                got = conn.call({"JobId": job_id}, GET_TARGET)
                if got.status != 200:
                    failures.append(f"Get {job_id} ({token}): {got.status} {got.raw[:200]}")
                    continue
                job = got.json
                want = {"JobId": job_id, "JobName": body["JobName"], "Status": "SUCCEEDED",
                        "OperationsConfig": body["OperationsConfig"], "Input": body["Input"],
                        "OutputConfig": body["OutputConfig"]}
                have = {k: job.get(k) for k in want}
                if have != want:
                    failures.append(f"Get {job_id} ({token}): {have} != {want}")
                replay = conn.call(body, START_TARGET)
                if replay.status != 200 or (replay.json or {}).get("JobId") != job_id:
                    failures.append(f"replay {token}: expected {job_id}, got "
                                    f"{replay.status} {replay.raw[:200]}")
        except (OSError, http.client.HTTPException) as exc:
            failures.append(f"verifier connection failed: {exc!r}")
        finally:
            conn.close()

    def test_sigkill_during_concurrent_starts_loses_nothing_acknowledged(self):
        rng = random.Random(self.SEED)
        db = os.path.join(self.tmp, "store.sqlite")
        args = ("--db", db, "--job-duration", "0")
        sink = {"attempts": [], "acked": [], "errors": [], "bad": []}
        kills = 0
        started = time.monotonic()
        for cycle in range(self.KILLS):
            server = self.start_server(*args)
            stop = threading.Event()
            threads = [threading.Thread(target=self._client,
                                        args=(server.host, server.port, cycle, i, stop, sink),
                                        daemon=True)
                       for i in range(self.THREADS)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.2, 0.8))
            alive_at_kill = server.proc.poll() is None
            server.send_signal(signal.SIGKILL)
            code = server.wait(timeout=10)
            stop.set()
            for t in threads:
                t.join(timeout=10)
            self.assertFalse(any(t.is_alive() for t in threads), "a client thread hung")
            self.assertTrue(alive_at_kill, f"cycle {cycle}: the server died before the kill:\n"
                            + server.stderr_text()[-3000:])
            self.assertEqual(code, -signal.SIGKILL)
            kills += 1
        traffic_s = time.monotonic() - started

        server = self.start_server(*args)
        acked = list(sink["acked"])
        attempts = list(sink["attempts"])
        self.assertEqual(sink["bad"], [], "non-200 answers to valid Starts")
        self.assertGreater(len(acked), 0, "no Start was acknowledged at all")
        acked_ids = {job_id for _, _, job_id in acked}
        self.assertEqual(len(acked_ids), len(acked), "two fresh tokens got the same JobId")

        failures = []
        verify_started = time.monotonic()
        workers = [threading.Thread(target=self._verify,
                                    args=(server, acked[i::self.THREADS], failures), daemon=True)
                   for i in range(self.THREADS)]
        for t in workers:
            t.start()
        for t in workers:
            t.join(timeout=40)
        self.assertFalse(any(t.is_alive() for t in workers), "verification hung")
        verify_s = time.monotonic() - verify_started
        self.assertEqual(failures[:20], [], f"{len(failures)} acknowledged jobs damaged or lost")

        stored = dump_jobs(server)
        stored_ids = [job["JobId"] for job in stored]
        self.assertEqual(len(stored_ids), len(set(stored_ids)))
        self.assertLessEqual(acked_ids, set(stored_ids), "acknowledged jobs missing from the dump")
        # Jobs stored but never acknowledged: their response was lost in a kill.  Each must come
        # from a distinct attempted token whose answer never arrived.
        acked_tokens = {token for token, _, _ in acked}
        unacked_names = [job.get("JobName") for job in stored if job["JobId"] not in acked_ids]
        attempted_names = {f"dur-{token}" for token in attempts}
        self.assertEqual([n for n in unacked_names if n not in attempted_names], [],
                         "jobs in the store that no client ever asked for")
        self.assertEqual([n for n in unacked_names if n[len("dur-"):] in acked_tokens], [],
                         "a token acknowledged once was stored twice")
        self.assertEqual(len(unacked_names), len(set(unacked_names)))
        self.assertLessEqual(len(stored), len(attempts))
        self.assertLessEqual(len(unacked_names), len(attempts) - len(acked))
        self.assertTrue(all(job["Status"] == "SUCCEEDED" for job in stored))

        self.assertEqual(server.stop(), 0, server.stderr_text()[-3000:])
        self.assertEqual(integrity_check(db), ["ok"])
        report(f"crash safety: {kills} SIGKILLs over {traffic_s:.1f} s, {len(attempts)} Start "
               f"attempts, {len(acked)} acknowledged, {len(sink['errors'])} connection errors, "
               f"{len(unacked_names)} stored but unacknowledged (response lost in a kill); "
               f"{len(acked)} jobs verified by Get and token replay in {verify_s:.1f} s; "
               f"integrity_check ok")


# --------------------------------------------------------------------------------------------
# 2. Keyset pagination under concurrent writes

class PaginationUnderWritesTest(ServerTestCase):
    WALKERS = 4
    WALKS_PER_WALKER = 3
    WRITERS = 3
    STARTS_PER_WRITER = 150
    SEEDS = 12
    PAGE = 7
    MAX_PAGES = 200
    DEADLINE = 20.0

    def test_each_walk_sees_every_preexisting_job_once_in_order(self):
        generated = run_binary("--generate-fixtures", "300", "--seed", "5")
        self.assertEqual(generated.returncode, 0, generated.stderr)
        fixture = os.path.join(self.tmp, "generated.json")
        with open(fixture, "w", encoding="utf-8") as f:
            f.write(generated.stdout)
        originals = json.loads(generated.stdout)["MediaAnalysisJobs"]
        self.assertEqual(len(originals), 300)
        original_ids = {job["JobId"] for job in originals}
        oldest_ms = min(to_ms(job["CreationTimestamp"]) for job in originals)

        # 131 of the generated jobs are unfinished; lift the limit so writers are never refused.
        server = self.start_server("--fixtures", fixture, "--job-duration", "0",
                                   "--max-unfinished-jobs", "100000")
        deadline = time.monotonic() + self.DEADLINE
        lock = threading.Lock()
        known = set(original_ids)   # every job whose creation was acknowledged so far
        seeded = []                 # (JobId, ack time) of the old jobs, each older than the last
        problems = []
        walks = []                  # (walker, walk, seen JobIds, pages)
        walkers_done = threading.Event()
        rng = random.Random(5)

        def writer(index):
            conn = _Keepalive(server.host, server.port, timeout=5)
            try:
                for n in range(self.STARTS_PER_WRITER):
                    if walkers_done.is_set() or time.monotonic() > deadline:
                        return
                    token = f"w{index}-{n}"
                    resp = conn.call(start_request(name=f"m/{token}.jsonl",
                                                   ClientRequestToken=token), START_TARGET)
                    if resp.status != 200:
                        problems.append(f"writer Start {token}: {resp.status} {resp.raw[:200]}")
                        return
                    with lock:
                        known.add(resp.json["JobId"])
            except (OSError, http.client.HTTPException) as exc:
                problems.append(f"writer {index}: {exc!r}")
            finally:
                conn.close()

        def seeder():
            for k in range(self.SEEDS):
                if walkers_done.is_set() or time.monotonic() > deadline:
                    return
                job_id = "%064x" % rng.getrandbits(256)
                creation = (oldest_ms - 60_000 * (k + 1)) / 1000  # older than all before it
                resp = control_ok(server, "POST", "/_mock/jobs", [make_job(job_id, creation)])
                if resp != {"JobsSeeded": 1}:
                    problems.append(f"seed {job_id}: {resp}")
                    return
                with lock:
                    known.add(job_id)
                    seeded.append((job_id, time.monotonic()))
                time.sleep(0.03)

        def walker(index):
            conn = _Keepalive(server.host, server.port, timeout=5)
            try:
                for w in range(self.WALKS_PER_WALKER):
                    with lock:
                        existing = set(known)
                    seen, keys, token = [], [], None
                    last_request_at = None
                    for _ in range(self.MAX_PAGES):
                        if time.monotonic() > deadline:
                            problems.append(f"walker {index} walk {w}: out of time")
                            return
                        body = {"MaxResults": self.PAGE}
                        if token is not None:
                            body["NextToken"] = token
                        last_request_at = time.monotonic()
                        resp = conn.call(body, "RekognitionService.ListMediaAnalysisJobs")
                        if resp.status != 200:
                            problems.append(f"walker {index} walk {w}: {resp.status} {resp.raw}")
                            return
                        page = resp.json["MediaAnalysisJobs"]
                        if len(page) > self.PAGE:
                            problems.append(f"walker {index}: page of {len(page)}")
                        seen.extend(job["JobId"] for job in page)
                        keys.extend(sort_key(job) for job in page)
                        token = resp.json.get("NextToken")
                        if token is None:
                            break
                    else:
                        problems.append(f"walker {index} walk {w}: over {self.MAX_PAGES} pages")
                        return
                    with lock:
                        # A seed acknowledged before the last page was asked for is older than
                        # that page's position, so the walk must reach it.
                        late_seeds = {j for j, at in seeded if at < last_request_at}
                    walks.append((index, w, seen, keys, existing, late_seeds))
            except (OSError, http.client.HTTPException) as exc:
                problems.append(f"walker {index}: {exc!r}")
            finally:
                conn.close()

        writers = [threading.Thread(target=writer, args=(i,), daemon=True)
                   for i in range(self.WRITERS)]
        seeders = [threading.Thread(target=seeder, daemon=True)]
        walker_threads = [threading.Thread(target=walker, args=(i,), daemon=True)
                          for i in range(self.WALKERS)]
        started = time.monotonic()
        for t in writers + seeders + walker_threads:
            t.start()
        for t in walker_threads:
            t.join(timeout=self.DEADLINE + 5)
        walkers_done.set()
        for t in writers + seeders:
            t.join(timeout=10)
        elapsed = time.monotonic() - started
        self.assertFalse(any(t.is_alive() for t in writers + seeders + walker_threads),
                         "a thread hung")
        self.assertEqual(problems, [])
        self.assertEqual(len(walks), self.WALKERS * self.WALKS_PER_WALKER)

        final_ids = {job["JobId"] for job in dump_jobs(server)}
        self.assertEqual(final_ids, known, "the store does not hold exactly the created jobs")
        for index, w, seen, keys, existing, late_seeds in walks:
            label = f"walker {index} walk {w}"
            dupes = sorted({j for j in seen if seen.count(j) > 1})
            self.assertEqual(dupes, [], f"{label}: duplicates")
            self.assertEqual(sorted(original_ids - set(seen)), [], f"{label}: originals missing")
            self.assertEqual(sorted(existing - set(seen)), [],
                             f"{label}: jobs that existed when it began are missing")
            self.assertEqual(sorted(late_seeds - set(seen)), [],
                             f"{label}: old seeded jobs behind its position are missing")
            self.assertEqual(sorted(set(seen) - final_ids), [], f"{label}: phantom jobs")
            out_of_order = [i for i in range(1, len(keys)) if not keys[i] < keys[i - 1]]
            self.assertEqual(out_of_order[:5], [], f"{label}: not in descending order")
            self.assertTrue(all(keys[i][0] <= keys[i - 1][0] for i in range(1, len(keys))))
        sizes = [len(seen) for _, _, seen, _, _, _ in walks]
        report(f"pagination: {len(walks)} walks of {min(sizes)}..{max(sizes)} jobs "
               f"(MaxResults {self.PAGE}) while {len(known) - 300 - len(seeded)} jobs were "
               f"started and {len(seeded)} older jobs seeded, in {elapsed:.1f} s; "
               "no duplicates, no gaps, order kept")


# --------------------------------------------------------------------------------------------
# 3. Slowloris connections

class SlowlorisTest(ServerTestCase):
    SLOW = 300
    CALLS = 20

    def test_stalled_connections_do_not_starve_a_normal_client(self):
        server = self.start_server("--fixtures", default_fixtures())
        slow = []
        try:
            for _ in range(self.SLOW):
                sock = socket.create_connection((server.host, server.port), timeout=2)
                sock.sendall(b"POST / HTTP/1.1\r\n")
                slow.append(sock)
            client = boto3_client(server.endpoint)
            latencies = []
            for _ in range(self.CALLS):
                began = time.monotonic()
                page = client.list_media_analysis_jobs(MaxResults=5)
                latencies.append(time.monotonic() - began)
                self.assertEqual(len(page["MediaAnalysisJobs"]), 5)
            # The stalled connections are still open: the server neither answered nor dropped
            # them (a request has 30 s to arrive).
            still_open = 0
            for sock in slow:
                sock.setblocking(False)
                try:
                    data = sock.recv(1)
                except BlockingIOError:
                    still_open += 1
                else:
                    self.assertNotEqual(data, b"", "a stalled connection was closed early")
                    self.fail(f"a stalled connection got an answer: {data!r}")
        finally:
            for sock in slow:
                sock.close()
        self.assertEqual(still_open, self.SLOW)
        self.assertLess(max(latencies), 1.0, f"latencies {latencies}")
        # Closing them all at once leaves the server serving.
        after = boto3_client(server.endpoint).list_media_analysis_jobs(MaxResults=1)
        self.assertEqual(len(after["MediaAnalysisJobs"]), 1)
        ordered = sorted(latencies)
        report(f"slowloris: {self.SLOW} stalled connections; {self.CALLS} boto3 calls, latency "
               f"min {ordered[0] * 1000:.1f} ms, median {ordered[len(ordered) // 2] * 1000:.1f} "
               f"ms, max {ordered[-1] * 1000:.1f} ms")


# --------------------------------------------------------------------------------------------
# 4. Another process holds the store's write lock

class LockedStoreTest(ServerTestCase):
    HOLD = 7.0

    def test_start_while_another_process_holds_the_write_lock(self):
        db = os.path.join(self.tmp, "store.sqlite")
        server = self.start_server("--db", db, "--job-duration", "0")
        client = boto3_client(server.endpoint, read_timeout=12)
        before = client.start_media_analysis_job(**start_request(ClientRequestToken="before"))

        holder = sqlite3.connect(db, timeout=5, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        locked_at = time.monotonic()
        outcome = {}
        reader = {}

        def read_meanwhile():
            # A read from another connection while the Start waits on the lock (WAL readers
            # are never blocked by SQLite itself).
            time.sleep(1.0)
            at = time.monotonic()
            try:
                page = boto3_client(server.endpoint, read_timeout=12).list_media_analysis_jobs(
                    MaxResults=1)
                reader["jobs"] = len(page["MediaAnalysisJobs"])
            except Exception as exc:  # reported through the assertion below
                reader["error"] = repr(exc)
            reader["latency"] = time.monotonic() - at

        reading = threading.Thread(target=read_meanwhile, daemon=True)
        try:
            reading.start()
            began = time.monotonic()
            try:
                resp = client.start_media_analysis_job(
                    **start_request(name="m/locked.jsonl", ClientRequestToken="while-locked"))
                outcome["result"] = ("ok", resp["JobId"])
            except ClientError as exc:
                outcome["result"] = ("error", exc.response["Error"]["Code"],
                                     exc.response["ResponseMetadata"]["HTTPStatusCode"])
            outcome["elapsed"] = time.monotonic() - began
            self.assertIsNone(server.proc.poll(), "the server died while the store was locked")
            # Keep the lock for the whole HOLD window.
            remaining = self.HOLD - (time.monotonic() - locked_at)
            if remaining > 0:
                time.sleep(remaining)
        finally:
            reading.join(timeout=15)
            holder.execute("ROLLBACK")
            holder.close()
        self.assertFalse(reading.is_alive())
        self.assertEqual(reader.get("jobs"), 1, reader)

        # Pinned: the write waits out the 5 s busy_timeout, then fails as InternalServerError 500.
        self.assertEqual(outcome["result"], ("error", "InternalServerError", 500), outcome)
        self.assertGreaterEqual(outcome["elapsed"], 4.5, outcome)
        self.assertLess(outcome["elapsed"], self.HOLD, outcome)

        # The lock gone, the same token starts exactly one job; earlier work is intact.
        again = client.start_media_analysis_job(
            **start_request(name="m/locked.jsonl", ClientRequestToken="while-locked"))
        replay = client.start_media_analysis_job(
            **start_request(name="m/locked.jsonl", ClientRequestToken="while-locked"))
        self.assertEqual(replay["JobId"], again["JobId"])
        self.assertEqual(client.get_media_analysis_job(JobId=before["JobId"])["Status"],
                         "SUCCEEDED")
        ids = sorted(job["JobId"] for job in dump_jobs(server))
        self.assertEqual(ids, sorted([before["JobId"], again["JobId"]]))
        self.assertEqual(server.stop(), 0, server.stderr_text()[-3000:])
        self.assertEqual(integrity_check(db), ["ok"])
        report(f"locked store: Start under another process's write lock answered "
               f"{outcome['result']} after {outcome['elapsed']:.2f} s (lock held {self.HOLD} s); "
               f"a List sent 1 s into the wait answered after {reader['latency']:.2f} s; "
               "Start after release ok; integrity_check ok")


# --------------------------------------------------------------------------------------------
# 5. The store's files cannot grow (disk full)

class FullStoreTest(ServerTestCase):
    HEADROOM = 64 * 1024   # bytes the store may still grow by: a few dozen Starts
    MAX_STARTS = 2000      # bound: the limit is hit long before this
    FAILURES_WANTED = 3

    def _start(self, client, token):
        body = start_request(name=f"m/{token}.jsonl", JobName=f"full-{token}",
                             ClientRequestToken=token)
        try:
            return body, ("ok", client.start_media_analysis_job(**body)["JobId"])
        except ClientError as exc:
            return body, ("error", exc.response["Error"]["Code"],
                          exc.response["ResponseMetadata"]["HTTPStatusCode"])

    def test_start_fails_cleanly_while_the_store_cannot_grow_and_recovers(self):
        db = os.path.join(self.tmp, "store.sqlite")
        server = self.start_server("--db", db, "--fixtures", default_fixtures(),
                                   "--job-duration", "0")
        client = boto3_client(server.endpoint)
        fixture_ids = {job["JobId"] for job in dump_jobs(server)}
        _, first = self._start(client, "before")
        self.assertEqual(first[0], "ok", first)

        # Fold the WAL into the main file so both files start near the limit's base.
        with sqlite3.connect(db, timeout=5) as checkpoint:
            checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        soft, hard = resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE)
        limit = os.path.getsize(db) + self.HEADROOM
        resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE, (limit, hard))

        acked, failed = [], []
        for n in range(self.MAX_STARTS):
            body, outcome = self._start(client, f"t{n}")
            if outcome[0] == "ok":
                acked.append((body, outcome[1]))
            else:
                failed.append((body, outcome))
                if len(failed) == self.FAILURES_WANTED:
                    break
        self.assertEqual(len(failed), self.FAILURES_WANTED,
                         f"{len(acked)} Starts fitted under a {limit}-byte limit")
        for body, outcome in failed:
            self.assertEqual(outcome, ("error", "InternalServerError", 500))
        self.assertIsNone(server.proc.poll(), "the server died when the store filled up")
        # The log says which store failed (waited for: a reader thread collects stderr).
        needle = os.path.basename(db) + "'"
        server.wait_for_logs(lambda rs: any(needle in json.dumps(r) for r in rs))

        # Reads go on while writes fail, and show no trace of the failed Starts.
        listed = {job["JobId"] for job in dump_jobs(server)}
        self.assertEqual(listed, fixture_ids | {first[1]} | {job_id for _, job_id in acked})
        page = client.list_media_analysis_jobs(MaxResults=5)
        self.assertEqual(len(page["MediaAnalysisJobs"]), 5)

        # Space returns: the failed tokens start one job each, acknowledged ones replay theirs.
        resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE, (soft, hard))
        retried = []
        for body, _ in failed:
            job_id = client.start_media_analysis_job(**body)["JobId"]
            self.assertEqual(client.start_media_analysis_job(**body)["JobId"], job_id)
            retried.append(job_id)
        for body, job_id in acked:
            self.assertEqual(client.start_media_analysis_job(**body)["JobId"], job_id)
            got = client.get_media_analysis_job(JobId=job_id)
            self.assertEqual((got["JobName"], got["Input"]), (body["JobName"], body["Input"]))
        listed = {job["JobId"] for job in dump_jobs(server)}
        self.assertEqual(listed, fixture_ids | {first[1]} | {job_id for _, job_id in acked}
                         | set(retried))
        self.assertEqual(server.stop(), 0, server.stderr_text()[-3000:])
        self.assertEqual(integrity_check(db), ["ok"])
        report(f"full store: {len(acked)} Starts fitted in {self.HEADROOM} bytes of headroom, "
               f"then {len(failed)} answered InternalServerError 500 with reads still served; "
               f"after the limit was lifted {len(retried)} retries and {len(acked)} replays "
               "matched; integrity_check ok")


# --------------------------------------------------------------------------------------------
# 6. The store's file is deleted or replaced while the server runs

class LostStoreFileTest(ServerTestCase):
    def _lose(self, db, how):
        if how == "deleted":
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.unlink(db + suffix)
        else:  # another store moved over it, as a restore from a backup might
            other = db + ".other"
            sqlite3.connect(other).close()
            os.replace(other, db)

    def _check(self, how):
        db = os.path.join(self.tmp, f"{how}.sqlite")
        server = self.start_server("--db", db, "--job-duration", "60")
        client = boto3_client(server.endpoint)
        kept = client.start_media_analysis_job(**start_request(ClientRequestToken="kept"))
        self.assertEqual(control_ok(server, "GET", "/_mock/health")["Status"], "ready")
        self._lose(db, how)

        start = call(server.host, server.port, start_request(ClientRequestToken="lost"),
                     target=START_TARGET)
        self.assertEqual((start.status, start.json["__type"]), (500, "InternalServerError"),
                         start)
        health = control_ok(server, "GET", "/_mock/health", expect_status=503)
        self.assertEqual(health["Status"], "degraded")
        self.assertEqual(health["Error"], "StoreFileLost")
        self.assertIn(db, health["Store"]["Problem"])
        self.assertIn("deleted or replaced", health["Message"])
        server.wait_for_logs(lambda records: any(
            "deleted or replaced" in json.dumps(r) and db in json.dumps(r) for r in records))
        # Reads still answer from what the server holds open; steering is a write, refused.
        self.assertIn(client.get_media_analysis_job(JobId=kept["JobId"])["Status"],
                      ("CREATED", "IN_PROGRESS"))
        self.assertEqual(len(client.list_media_analysis_jobs()["MediaAnalysisJobs"]), 1)
        steer = control(server, "POST", f"/_mock/jobs/{kept['JobId']}/status",
                        {"Status": "SUCCEEDED"})
        self.assertEqual(steer.status, 500, steer)
        self.assertIsNone(server.proc.poll(), "the server died when its store file went")
        self.assertEqual(server.stop(), 0, server.stderr_text()[-3000:])

    def test_a_deleted_store_file_refuses_writes_and_says_why(self):
        self._check("deleted")

    def test_a_replaced_store_file_refuses_writes_and_says_why(self):
        self._check("replaced")


if __name__ == "__main__":
    unittest.main()
