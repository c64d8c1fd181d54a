"""The store: file-backed --db across restarts, replacement on reload, stable pagination."""

import copy
import datetime
import os
import sqlite3
import threading
import unittest

from mock_server import (GET_TARGET, START_TARGET, MockServer, ServerStartError, ServerTestCase,
                         control_ok, default_fixtures, expected_from_file, expected_order,
                         load_fixture_jobs, make_job, sort_key, start_request, write_json)

STORE_APPLICATION_ID = 0x526B4D6B  # "RkMk", as storage/schema.cpp marks every store
SCHEMA_VERSION = 9


def iso_ms(ms):
    dt = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc)
    return dt.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def started_record(server):
    return server.wait_for_records("started")[0]


class FileStoreTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.db = os.path.join(self.tmp, "jobs.sqlite")
        self.jobs = load_fixture_jobs(default_fixtures())
        self.expected = expected_from_file(default_fixtures())

    def restart(self, server, *args):
        self.assertEqual(server.stop(), 0, server.stderr_text())
        return self.start_server("--db", self.db, *args)

    def test_restart_keeps_jobs(self):
        server = self.start_server("--db", self.db, "--fixtures", default_fixtures())
        first, _ = server.list_all(max_results=10)
        self.assertJobsEqual(first, self.expected)
        server = self.restart(server)
        line = started_record(server)
        self.assertEqual(line["jobs_loaded"], 0)
        self.assertIn("jobs.sqlite", line["store"])
        again, _ = server.list_all(max_results=10)
        self.assertJobsEqual(again, self.expected)
        default_page = server.call({})
        self.assertJobsEqual(default_page.json["MediaAnalysisJobs"], self.expected)

    def test_token_from_before_restart_still_valid(self):
        server = self.start_server("--db", self.db, "--fixtures", default_fixtures())
        page = server.call({"MaxResults": 5})
        self.assertEqual(page.status, 200, page.raw)
        token = page.json["NextToken"]
        server = self.restart(server)
        rest, _ = server.list_all(max_results=9, next_token=token)
        self.assertJobsEqual(page.json["MediaAnalysisJobs"] + rest, self.expected)
        # Twice over: a second restart, the same old token, a different page size.
        server = self.restart(server)
        rest, _ = server.list_all(max_results=100, next_token=token)
        self.assertJobsEqual(rest, self.expected[5:])

    def test_reload_same_fixtures_replaces_not_duplicates(self):
        server = self.start_server("--db", self.db, "--fixtures", default_fixtures())
        server = self.restart(server, "--fixtures", default_fixtures())
        self.assertEqual(started_record(server)["jobs_loaded"], 48)
        got, _ = server.list_all(max_results=20)
        self.assertJobsEqual(got, self.expected)
        self.assertEqual(len({j["JobId"] for j in got}), 48)

    def test_reload_with_changed_job_replaces_it(self):
        server = self.start_server("--db", self.db, "--fixtures", default_fixtures())
        changed = copy.deepcopy(self.expected[10])
        changed["JobName"] = "renamed-on-reload"
        changed["Status"] = "FAILED"
        changed["FailureDetails"] = {"Code": "INTERNAL_ERROR", "Message": "replaced"}
        changed.pop("Results", None)
        changed.pop("ManifestSummary", None)
        changed.setdefault("CompletionTimestamp", changed["CreationTimestamp"])
        # Also move it in time: replacement must re-sort it, not leave the old row behind.
        changed["CreationTimestamp"] = 1600000000.123
        changed["CompletionTimestamp"] = 1600000100.456
        path = write_json(self.tmp, "changed.json", [changed])
        server = self.restart(server, "--fixtures", path)
        got, _ = server.list_all(max_results=7)
        want = [j for j in self.jobs if j["JobId"] != changed["JobId"]] + [changed]
        self.assertJobsEqual(got, expected_order(want))
        self.assertEqual(got[-1]["JobName"], "renamed-on-reload")

    def test_newer_job_between_pages_causes_no_skip_or_duplicate(self):
        server = self.start_server("--db", self.db, "--fixtures", default_fixtures())
        page = server.call({"MaxResults": 10})
        self.assertEqual(page.status, 200, page.raw)
        first = page.json["MediaAnalysisJobs"]
        token = page.json["NextToken"]
        boundary = sort_key(first[-1])

        newest_ms = max(sort_key(j)[0] for j in self.jobs)
        oldest_ms = min(sort_key(j)[0] for j in self.jobs)
        middle_ms = sort_key(self.expected[30])[0]
        extra = [
            make_job("e" * 64, (newest_ms + 60_000) / 1000, status="QUEUED"),
            # Same instant as the last job of page 1, sorting before it (larger id): page 1 side.
            make_job("f" * 64, boundary[0] / 1000, status="QUEUED"),
            # Same instant, smaller id: after the cursor, so it must appear.
            make_job("0" * 64, boundary[0] / 1000, status="CREATED"),
            # Written as ISO-8601 text, between old jobs on a later page.
            make_job("extra-middle-job", iso_ms(middle_ms + 1), status="IN_PROGRESS"),
            make_job("extra-oldest-job", (oldest_ms - 1) / 1000, status="CREATED"),
        ]
        path = write_json(self.tmp, "extra.json", {"MediaAnalysisJobs": extra})
        server = self.restart(server, "--fixtures", path)
        rest, _ = server.list_all(max_results=10, next_token=token)

        everything = expected_order(self.jobs + extra)
        want_rest = [j for j in everything if sort_key(j) < boundary]
        self.assertJobsEqual(rest, want_rest)
        ids = [j["JobId"] for j in first + rest]
        self.assertEqual(len(ids), len(set(ids)), "a job was returned twice")
        old_ids = {j["JobId"] for j in self.jobs}
        self.assertEqual(old_ids - set(ids), set(), "a job that existed before was skipped")
        self.assertNotIn("e" * 64, ids)
        self.assertNotIn("f" * 64, ids)
        self.assertIn("0" * 64, ids)
        self.assertIn("extra-middle-job", ids)
        self.assertIn("extra-oldest-job", ids)
        # A fresh walk sees every job exactly once.
        fresh, _ = server.list_all(max_results=10)
        self.assertJobsEqual(fresh, everything)

    def test_store_without_fixtures_after_failed_start_is_unchanged(self):
        server = self.start_server("--db", self.db, "--fixtures", default_fixtures())
        self.assertEqual(server.stop(), 0)
        bad = copy.deepcopy(self.jobs[:3])
        bad[0]["JobName"] = "should-not-be-stored"
        bad[2]["Status"] = "BROKEN"
        path = write_json(self.tmp, "bad.json", bad)
        from mock_server import MockServer, ServerStartError
        with self.assertRaises(ServerStartError):
            MockServer("--db", self.db, "--fixtures", path).start()
        server = self.start_server("--db", self.db)
        got, _ = server.list_all()
        self.assertJobsEqual(got, self.expected)


class SharedStoreTest(ServerTestCase):
    """Two servers on one --db file: each answers what the other committed, caches or not."""

    def setUp(self):
        super().setUp()
        self.db = os.path.join(self.tmp, "shared.sqlite")
        self.a = self.start_server("--db", self.db, "--fixtures", default_fixtures())
        self.b = self.start_server("--db", self.db)

    def listed_ids(self, server):
        resp = server.call({})  # one page: the 48 fixture jobs and a few started ones
        self.assertEqual(resp.status, 200, resp.raw)
        return [job["JobId"] for job in resp.json["MediaAnalysisJobs"]]

    def get(self, server, job_id):
        return server.call({"JobId": job_id}, target=GET_TARGET)

    def test_a_job_started_on_one_server_is_listed_by_the_other(self):
        before = self.listed_ids(self.a)
        self.assertEqual(len(before), 48)
        self.assertEqual(self.listed_ids(self.a), before)  # now answered from A's caches
        self.assertEqual(self.listed_ids(self.b), before)
        started = self.b.call(start_request(), target=START_TARGET)
        self.assertEqual(started.status, 200, started.raw)
        job_id = started.json["JobId"]
        self.assertEqual(sorted(self.listed_ids(self.a)), sorted(before + [job_id]))
        got = self.get(self.a, job_id)
        self.assertEqual(got.status, 200, got.raw)
        # And the other way round, B having remembered its page too.
        again = self.a.call(start_request(name="m/second.jsonl"), target=START_TARGET)
        self.assertEqual(again.status, 200, again.raw)
        self.assertIn(again.json["JobId"], self.listed_ids(self.b))

    def test_a_status_steered_on_one_server_is_what_the_other_answers(self):
        job = next(j for j in load_fixture_jobs(default_fixtures())
                   if j["Status"] not in ("FAILED", "SUCCEEDED"))
        for _ in range(2):  # the second answer comes from A's cache of settled jobs
            got = self.get(self.a, job["JobId"])
            self.assertEqual((got.status, got.json["Status"]), (200, job["Status"]), got.raw)
        self.listed_ids(self.a)
        control_ok(self.b, "POST", f"/_mock/jobs/{job['JobId']}/status",
                   {"Status": "FAILED", "FailureDetails": {"Code": "INVALID_MANIFEST"}})
        got = self.get(self.a, job["JobId"])
        self.assertEqual(got.json["Status"], "FAILED", got.raw)
        self.assertEqual(got.json["FailureDetails"]["Code"], "INVALID_MANIFEST")
        listed = self.a.call({}).json["MediaAnalysisJobs"]
        self.assertEqual([j["Status"] for j in listed if j["JobId"] == job["JobId"]], ["FAILED"])

    def test_a_reset_on_one_server_is_seen_by_the_other(self):
        ids = self.listed_ids(self.a)
        self.assertEqual(self.get(self.a, ids[0]).status, 200)
        self.assertEqual(self.get(self.a, ids[0]).status, 200)
        control_ok(self.b, "POST", "/_mock/reset", {"ReloadFixtures": False})
        self.assertEqual(self.listed_ids(self.a), [])
        gone = self.get(self.a, ids[0])
        self.assertEqual(gone.status, 400, gone.raw)
        self.assertEqual(gone.json["__type"], "ResourceNotFoundException")

    def test_servers_started_at_once_on_a_new_file_all_come_up(self):
        db = os.path.join(self.tmp, "new.sqlite")
        servers = [MockServer("--db", db, "--fixtures", default_fixtures()) for _ in range(8)]
        errors = []

        def start(server):
            try:
                server.start()
            except ServerStartError as exc:
                errors.append(f"{exc}: {server.stderr_text()[-500:]}")

        threads = [threading.Thread(target=start, args=(server,)) for server in servers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        try:
            self.assertEqual(errors, [])
            for server in servers:
                self.assertEqual(len(self.listed_ids(server)), 48)
        finally:
            for server in servers:
                if server.proc is not None and server.proc.poll() is None:
                    server.stop()


class ForeignFileTest(ServerTestCase):
    """A --db the mock did not write, or whose schema version it does not know, is refused
    with exit status 1 and left exactly as it was."""

    def assertRefusedUntouched(self, path, message):
        with open(path, "rb") as f:
            before = f.read()
        mtime = os.stat(path).st_mtime_ns
        with self.assertRaises(ServerStartError) as caught:
            MockServer("--db", path, "--fixtures", default_fixtures()).start()
        self.assertEqual(caught.exception.returncode, 1)
        stderr = str(caught.exception)
        self.assertIn(os.path.basename(path), stderr)
        self.assertIn(message, stderr)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), before, "the refused file was changed")
        self.assertEqual(os.stat(path).st_mtime_ns, mtime)
        self.assertFalse(os.path.exists(path + "-wal"))

    def sqlite_file(self, *statements):
        path = os.path.join(self.tmp, "other.sqlite")
        with sqlite3.connect(path) as db:
            for statement in statements:
                db.execute(statement)
        return path

    def store(self):
        path = os.path.join(self.tmp, "ours.sqlite")
        server = self.start_server("--db", path, "--fixtures", default_fixtures())
        self.assertEqual(server.stop(), 0)
        return path

    def header(self, path):
        db = sqlite3.connect(path)
        try:
            return (db.execute("PRAGMA user_version").fetchone()[0],
                    db.execute("PRAGMA application_id").fetchone()[0])
        finally:
            db.close()

    def set_pragma(self, path, name, value):
        db = sqlite3.connect(path)
        try:
            db.execute(f"PRAGMA {name} = {int(value)}")
        finally:
            db.close()

    def test_another_applications_database_is_refused(self):
        path = self.sqlite_file("CREATE TABLE notes (body TEXT)",
                                "INSERT INTO notes VALUES ('keep me')")
        self.assertRefusedUntouched(path, "not a rekognition-mock store")

    def test_a_file_marked_by_another_application_is_refused(self):
        path = self.sqlite_file("PRAGMA application_id = 42", "CREATE TABLE t (x)")
        self.assertRefusedUntouched(path, "not a rekognition-mock store")

    def test_a_store_is_marked_with_the_application_id(self):
        self.assertEqual(self.header(self.store()), (SCHEMA_VERSION, STORE_APPLICATION_ID))

    def test_a_schema_version_out_of_range_is_refused(self):
        path = self.store()
        for version, message in ((-1, "schema version -1"), (-2147483648, "schema version"),
                                 (SCHEMA_VERSION + 1, "newer than this build")):
            with self.subTest(version=version):
                self.set_pragma(path, "user_version", version)
                self.assertRefusedUntouched(path, message)
                self.assertEqual(self.header(path), (version, STORE_APPLICATION_ID))

    def test_a_store_of_an_older_build_is_accepted_and_marked(self):
        path = self.store()
        self.set_pragma(path, "application_id", 0)  # builds before the mark wrote none
        server = self.start_server("--db", path)
        self.assertEqual(len(server.call({}).json["MediaAnalysisJobs"]), 48)
        self.assertEqual(server.stop(), 0)
        self.assertEqual(self.header(path), (SCHEMA_VERSION, STORE_APPLICATION_ID))


class MemoryStoreTest(ServerTestCase):
    def test_memory_is_the_default_and_private(self):
        server = self.start_server("--fixtures", default_fixtures())
        self.assertEqual(started_record(server)["store"], ":memory:")
        got, _ = server.list_all(max_results=25)
        self.assertJobsEqual(got, expected_from_file(default_fixtures()))
        self.assertEqual(server.stop(), 0)
        # A new in-memory server starts empty: nothing persisted.
        server = self.start_server()
        self.assertEqual(started_record(server)["store"], ":memory:")
        resp = server.call({})
        self.assertEqual(resp.status, 200, resp.raw)
        self.assertEqual(resp.json, {"MediaAnalysisJobs": []})

    def test_explicit_memory_store(self):
        server = self.start_server("--db", ":memory:", "--fixtures", default_fixtures())
        self.assertEqual(started_record(server)["store"], ":memory:")
        got, _ = server.list_all(max_results=48)
        self.assertEqual(len(got), 48)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, ":memory:")))
        self.assertFalse(os.path.exists(":memory:"), "':memory:' was created as a file")


if __name__ == "__main__":
    unittest.main()
