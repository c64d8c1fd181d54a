"""The store: file-backed --db across restarts, replacement on reload, stable pagination."""

import copy
import datetime
import os
import unittest

from mock_server import (ServerTestCase, default_fixtures, expected_from_file, expected_order,
                         load_fixture_jobs, make_job, sort_key, write_json)


def iso_ms(ms):
    dt = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc)
    return dt.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def started_record(server):
    records = server.wait_for_logs(lambda rs: any(r.get("msg") == "started" for r in rs))
    return [r for r in records if r.get("msg") == "started"][0]


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
