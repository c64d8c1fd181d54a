"""Two packagings of the same binaries from one commit give the same bytes: the tarballs and the
wheels store sorted entries, root owners, fixed modes and the commit's time (SOURCE_DATE_EPOCH),
and gzip headers no name or time. (The binaries themselves are built with -ffile-prefix-map and
no build id, so their bytes depend on the sources and the toolchain only.)"""

import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest

from dist_support import dist_dir
from project import source_root



class ReproducibleDistTest(unittest.TestCase):
    def package(self, binaries, epoch):
        out = tempfile.mkdtemp(prefix="rkm-repro-")
        self.addCleanup(shutil.rmtree, out, True)
        args = [sys.executable, os.path.join(source_root(), "packaging", "make_dist.py"),
                "--out", out]
        for arch, path in binaries.items():
            args += ["--binary", f"{arch}={path}"]
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
        subprocess.run(args, check=True, capture_output=True, env=env, timeout=300)
        files = {}
        for name in sorted(os.listdir(out)):
            with open(os.path.join(out, name), "rb") as f:
                files[name] = f.read()
        return files

    def test_two_packagings_are_byte_identical_and_the_time_is_the_commits(self):
        # The binaries as the dist folder ships them, taken out of their tarballs.
        binaries = {}
        work = tempfile.mkdtemp(prefix="rkm-repro-bin-")
        self.addCleanup(shutil.rmtree, work, True)
        for name in sorted(os.listdir(dist_dir())):
            if name.endswith(".tar.gz"):
                arch = name[:-len(".tar.gz")].rsplit("-", 1)[1]
                with tarfile.open(os.path.join(dist_dir(), name)) as tar:
                    member = next(m for m in tar.getmembers()
                                  if m.name.endswith("/rekognition-mock"))
                    tar.extract(member, work, filter="data")
                    binaries[arch] = os.path.join(work, member.name)
        self.assertEqual(sorted(binaries), ["aarch64", "x86_64"])
        first = self.package(binaries, 1700000000)
        second = self.package(binaries, 1700000000)
        self.assertEqual(sorted(first), sorted(second))
        for name in first:
            self.assertEqual(first[name], second[name], f"{name} differs between two runs")
        for name, data in first.items():
            if name.endswith((".tar.gz", ".tgz", "-oci.tar")):
                with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                    self.assertEqual({m.mtime for m in tar.getmembers()}, {1700000000}, name)


if __name__ == "__main__":
    unittest.main()
