"""A job's memory does not grow with its manifest: the real binary, with --s3-dir, works through a
manifest of thousands of invalid lines, each naming a long missing key (whose error message names
it twice more), and its peak RSS (VmHWM, reset just before the work) grows by less than the 32 MiB
docs/limits.md promises for any manifest the limits allow. The summary it writes is whole."""

import json
import os
import unittest

from bulk_lab import FolderLab, image_bytes
from mock_server import (GET_TARGET, START_TARGET, ServerTestCase, assert_memory_bound, call,
                         memory_report, peak_growth_mib, reset_peak)

MIB = 1024 * 1024
# Enough invalid lines that their errors, held in memory, would pass the bound several times.
LINES = 12_000
# A key of 400 folders: long, and missing at its first one.
KEY_STEM = "d/" * 400


class ManifestMemoryTest(ServerTestCase):
    def test_a_summary_of_many_long_errors_is_kept_out_of_memory(self):
        lab = FolderLab(os.path.join(self.tmp, "s3"))
        lab.make_bucket("media-in")
        lab.make_bucket("media-out")
        lab.put("media-in", "ok.png", image_bytes("ok-120x90.png"))
        lines = [json.dumps({"source-ref": f"s3://media-in/{KEY_STEM}{i}.png"})
                 for i in range(LINES)] + [json.dumps({"source-ref": "s3://media-in/ok.png"})]
        lab.put("media-in", "manifest.jsonl", ("\n".join(lines) + "\n").encode())
        server = self.start_server("--log-level", "warn", *lab.server_args())
        pid = server.proc.pid
        # The work may begin as soon as Start answers (a work thread takes due jobs), so the
        # peak is measured from before Start to after the Get that sees the job done.
        before = reset_peak(pid)
        start = call(server.host, server.port, {
            "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
            "Input": {"S3Object": {"Bucket": "media-in", "Name": "manifest.jsonl"}},
            "OutputConfig": {"S3Bucket": "media-out", "S3KeyPrefix": "out"},
        }, target=START_TARGET)
        self.assertEqual(start.status, 200, start)
        job_id = start.json["JobId"]

        # With the default zero durations the first Get answers once the work is done.
        job = call(server.host, server.port, {"JobId": job_id}, target=GET_TARGET, timeout=120)
        growth_mib = peak_growth_mib(pid, before)
        self.assertEqual(job.status, 200, job)
        self.assertEqual(job.json["Status"], "SUCCEEDED", job.json)
        assert_memory_bound(self, growth_mib, 32,
                            f"peak RSS grew by {growth_mib:.1f} MiB; {memory_report(pid)}")
        print(f"\npeak RSS growth over {LINES} invalid lines: {growth_mib:.1f} MiB")
        summary = json.loads(lab.get("media-out", f"out/{job_id}-manifest-summary.json"))
        self.assertEqual(summary["statistics"], {"total-json-lines": LINES + 1,
                                                 "valid-json-lines": 1,
                                                 "invalid-json-lines": LINES})
        self.assertEqual([e["line-numer"] for e in summary["errors"]], list(range(1, LINES + 1)))
        self.assertEqual(summary["errors"][-1]["source-ref"],
                         f"s3://media-in/{KEY_STEM}{LINES - 1}.png")


if __name__ == "__main__":
    unittest.main()
