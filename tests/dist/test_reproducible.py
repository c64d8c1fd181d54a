"""Two builds from one commit give the same bytes. The binaries are built with -ffile-prefix-map
and no build id, so their bytes depend on the sources and the toolchain only: the x86-64 one,
built again in another build directory, is the one `make dist` shipped. The tarballs and the
wheels store sorted entries, root owners, fixed modes and the commit's time (SOURCE_DATE_EPOCH),
and gzip headers no name or time: two packagings of the same binaries are byte-identical."""

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



def shipped_binaries(work):
    """{arch: path} of the binaries in dist/'s tarballs, extracted under `work`."""
    binaries = {}
    for name in sorted(os.listdir(dist_dir())):
        if name.endswith(".tar.gz"):
            arch = name[:-len(".tar.gz")].rsplit("-", 1)[1]
            with tarfile.open(os.path.join(dist_dir(), name)) as tar:
                member = next(m for m in tar.getmembers() if m.name.endswith("/rekognition-mock"))
                tar.extract(member, work, filter="data")
                binaries[arch] = os.path.join(work, member.name)
    return binaries


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
        work = tempfile.mkdtemp(prefix="rkm-repro-bin-")
        self.addCleanup(shutil.rmtree, work, True)
        binaries = shipped_binaries(work)
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

    def test_the_x86_64_binary_built_again_elsewhere_is_the_one_shipped(self):
        # Another build directory of the same preset (under build/, where ccache's base_dir makes
        # the compiler's output reusable; the link, where link-time optimization generates the
        # code, runs again).
        cmake = shutil.which("cmake")
        self.assertIsNotNone(cmake, "cmake is not installed")
        build = os.path.join(source_root(), "build", "dist-x86_64-again")
        shutil.rmtree(build, ignore_errors=True)
        self.addCleanup(shutil.rmtree, build, True)
        for args in (["--preset", "dist-x86_64", "-B", build],
                     ["--build", build, "--target", "rekognition-mock", "-j", "2"]):
            done = subprocess.run([cmake, *args], cwd=source_root(), capture_output=True,
                                  text=True, timeout=1200)
            self.assertEqual(done.returncode, 0, done.stdout[-3000:] + done.stderr[-3000:])
        work = tempfile.mkdtemp(prefix="rkm-repro-bin-")
        self.addCleanup(shutil.rmtree, work, True)
        with open(shipped_binaries(work)["x86_64"], "rb") as f:
            shipped = f.read()
        with open(os.path.join(build, "server", "rekognition-mock"), "rb") as f:
            again = f.read()
        first_difference = next((i for i, (a, b) in enumerate(zip(shipped, again)) if a != b),
                                min(len(shipped), len(again)))
        self.assertTrue(shipped == again,
                        f"{len(shipped)} and {len(again)} bytes, first difference at "
                        f"{first_difference}")


if __name__ == "__main__":
    unittest.main()
