"""Loading fixtures holds a window of the file, never the whole of it: the real binary loads a
fixture file larger than what it reads whole (64 MiB; beyond, the file is mapped) at start-up,
and its peak RSS rises by less than 32 MiB above what it holds once the jobs are in, where holding
the file would add its size (over 64 MiB). Every job is loaded. (A reset reads the file the same
way, but its peak also holds the erased store until the commit, since a reset is atomic.)"""

import os
import subprocess
import unittest

from mock_server import (ServerTestCase, assert_memory_bound, binary, control_ok, memory_report,
                         status_kib)

MIB = 1024 * 1024
# About 72 MiB of fixtures (--generate-fixtures writes about 580 bytes a job).
JOBS = 125_000


class FixtureMemoryTest(ServerTestCase):
    def test_a_large_fixture_file_loads_without_the_file_in_memory(self):
        path = os.path.join(self.tmp, "jobs.json")
        with open(path, "wb") as out:
            subprocess.run([binary(), "--generate-fixtures", str(JOBS), "--seed", "3"],
                           stdout=out, check=True, timeout=120)
        file_mib = os.path.getsize(path) / MIB
        self.assertGreater(file_mib, 64, "the file must be past what the loader reads whole")

        server = self.start_server("--log-level", "warn", "--fixtures", path, start_timeout=120)
        pid = server.proc.pid
        # Since spawn: how far the peak rose above the RSS of the loaded store.
        over_mib = (status_kib(pid, "VmHWM") - status_kib(pid, "VmRSS")) / 1024
        assert_memory_bound(self, over_mib, 32,
                            f"start-up peak {over_mib:.1f} MiB over the loaded store "
                            f"(file {file_mib:.0f} MiB); {memory_report(pid)}")

        health = control_ok(server, "GET", "/_mock/health")
        self.assertEqual([scope["Jobs"] for scope in health["Scopes"]], [JOBS])
        print(f"\n{JOBS} jobs, {file_mib:.0f} MiB: start-up peak {over_mib:.1f} MiB over the "
              f"loaded store")


if __name__ == "__main__":
    unittest.main()
