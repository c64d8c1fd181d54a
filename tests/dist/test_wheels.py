"""The platform wheels `make dist` ships, checked as pip checks them and installed as users install
them: into a fresh venv, offline, with no compiler, no checkout on the path, no REKOGNITION_MOCK_BIN
and a PATH without the build tree. The venv's `rekognition-mock` runs, start_mock(), MockTestCase
and the pytest plugin find the bundled binary by themselves (an explicit one still wins), and
`pip uninstall` removes every file the wheel installed. The aarch64 wheel, which pip will not
install here, is checked by its contents and its binary run under qemu."""

import base64
import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest
import zipfile

from dist_support import ELF_MACHINES, dist_dir, elf_machine, run
from project import project_version

MAX_WHEEL_BYTES = 5 * 1000 * 1000
# pytest as the suites run it (this interpreter's, else Debian's python3-pytest).
RUN_PYTEST = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "support", "run_pytest.py")

# What a user's test module looks like, for unittest and for pytest.
UNITTEST_MODULE = """
import unittest
from rekognition_mock import MockTestCase

class Jobs(MockTestCase):
    def test_lists(self):
        self.assertEqual(self.control.health()["Status"], "ready")

if __name__ == "__main__":
    unittest.main()
"""
PYTEST_MODULE = """
pytest_plugins = ["rekognition_mock.pytest_plugin"]

def test_lists(rekognition_mock):
    assert rekognition_mock.control.health()["Status"] == "ready"
"""



def wheel_path(arch):
    return os.path.join(dist_dir(), f"rekognition_mock-{project_version()}-py3-none-"
                                    f"manylinux_2_17_{arch}.whl")


def clean_env(**extra):
    """A user's environment: no REKOGNITION_MOCK_*, no PYTHONPATH, system folders on PATH."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("REKOGNITION_MOCK") and k != "PYTHONPATH"}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    env.update(extra)
    return env



class WheelContentsTest(unittest.TestCase):
    def check_wheel(self, arch):
        path = wheel_path(arch)
        self.assertTrue(os.path.isfile(path), f"{path} is missing")
        self.assertLessEqual(os.path.getsize(path), MAX_WHEEL_BYTES)
        stem = f"rekognition_mock-{project_version()}"
        with zipfile.ZipFile(path) as wheel:
            names = wheel.namelist()
            wheel_info = wheel.read(f"{stem}.dist-info/WHEEL").decode()
            self.assertIn(f"Tag: py3-none-manylinux_2_17_{arch}\n", wheel_info)
            self.assertIn("Root-Is-Purelib: false\n", wheel_info)
            metadata = wheel.read(f"{stem}.dist-info/METADATA").decode()
            self.assertIn(f"Version: {project_version()}\n", metadata)
            self.assertIn("License: Apache-2.0\n", metadata)
            # RECORD: every other file, with the digest and size pip verifies at install.
            record = list(csv.reader(io.StringIO(
                wheel.read(f"{stem}.dist-info/RECORD").decode())))
            self.assertEqual(sorted(row[0] for row in record), sorted(names))
            for name, digest, size in record:
                if name.endswith("/RECORD"):
                    self.assertEqual((digest, size), ("", ""))
                    continue
                body = wheel.read(name)
                expected = base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=")
                self.assertEqual(digest, "sha256=" + expected.decode(), name)
                self.assertEqual(int(size), len(body), name)
            program = f"{stem}.data/scripts/rekognition-mock"
            self.assertIn(program, names)
            self.assertEqual(wheel.getinfo(program).external_attr >> 16, 0o100755)
            header = wheel.read(program)[:20]
            self.assertEqual(elf_machine(header), ELF_MACHINES[arch])
            self.assertIn("rekognition_mock/process.py", names)
        return path

    def test_x86_64_wheel(self):
        self.check_wheel("x86_64")

    def test_aarch64_wheel_and_its_binary(self):
        path = self.check_wheel("aarch64")
        folder = tempfile.mkdtemp(prefix="rkm-wheel-")
        self.addCleanup(shutil.rmtree, folder, True)
        program = f"rekognition_mock-{project_version()}.data/scripts/rekognition-mock"
        with zipfile.ZipFile(path) as wheel:
            target = wheel.extract(program, folder)
        os.chmod(target, 0o755)
        done = run(["qemu-aarch64-static", target, "--version"])
        self.assertTrue(done.stdout.startswith(f"rekognition-mock {project_version()} ("))


class WheelInstallTest(unittest.TestCase):
    """The x86_64 wheel in a fresh venv (system site-packages for boto3 and pytest only)."""

    @classmethod
    def setUpClass(cls):
        if os.uname().machine != "x86_64":
            raise AssertionError("the install test needs an x86_64 machine")
        cls.home = tempfile.mkdtemp(prefix="rkm-venv-")
        cls.venv = os.path.join(cls.home, "venv")
        run([sys.executable, "-m", "venv", "--system-site-packages", cls.venv])
        cls.python = os.path.join(cls.venv, "bin", "python")
        run([cls.python, "-m", "pip", "--disable-pip-version-check", "install", "--no-index",
             wheel_path("x86_64")], env=clean_env())

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.home, ignore_errors=True)

    def run_python(self, code, **extra):
        return run([self.python, "-c", textwrap.dedent(code)], env=clean_env(**extra),
                   cwd=self.home)

    def test_the_venv_program_runs(self):
        done = run([os.path.join(self.venv, "bin", "rekognition-mock"), "--version"],
                   env=clean_env())
        self.assertTrue(done.stdout.startswith(f"rekognition-mock {project_version()} ("))

    def test_start_mock_finds_the_bundled_binary(self):
        done = self.run_python("""
            import rekognition_mock
            from rekognition_mock import find_binary, start_mock
            print(rekognition_mock.__file__)
            print(find_binary())
            with start_mock() as mock:
                print(len(mock.client().list_media_analysis_jobs()["MediaAnalysisJobs"]))
        """)
        module, binary, jobs = done.stdout.split()
        self.assertTrue(module.startswith(self.venv), module)
        self.assertEqual(binary, os.path.join(self.venv, "bin", "rekognition-mock"))
        self.assertEqual(int(jobs), 0)  # start_mock() loads no fixtures unless asked

    def test_an_explicit_binary_still_wins(self):
        done = self.run_python("""
            from rekognition_mock import find_binary
            print(find_binary())
        """, REKOGNITION_MOCK_BIN=sys.executable)
        self.assertEqual(done.stdout.strip(), sys.executable)

    def test_unittest_and_pytest_find_it(self):
        with open(os.path.join(self.home, "test_unittest_user.py"), "w") as f:
            f.write(UNITTEST_MODULE)
        with open(os.path.join(self.home, "test_pytest_user.py"), "w") as f:
            f.write(PYTEST_MODULE)
        run([self.python, "test_unittest_user.py"], env=clean_env(), cwd=self.home)
        run([self.python, RUN_PYTEST, "-q", "-p", "no:cacheprovider", "test_pytest_user.py"],
            env=clean_env(), cwd=self.home)

    def test_uninstall_removes_every_file(self):
        # Last by name; a copy of the venv keeps the other tests' install intact.
        copy = os.path.join(self.home, "uninstalled")
        run([sys.executable, "-m", "venv", "--system-site-packages", copy])
        python = os.path.join(copy, "bin", "python")
        run([python, "-m", "pip", "--disable-pip-version-check", "install", "--no-index",
             wheel_path("x86_64")], env=clean_env())
        before = {os.path.join(d, n) for d, _, names in os.walk(copy) for n in names}
        self.assertIn(os.path.join(copy, "bin", "rekognition-mock"), before)
        run([python, "-m", "pip", "--disable-pip-version-check", "uninstall", "-y",
             "rekognition-mock"], env=clean_env())
        after = {os.path.join(d, n) for d, _, names in os.walk(copy) for n in names}
        left = sorted(p for p in after if "rekognition" in p.lower())
        self.assertEqual(left, [])


if __name__ == "__main__":
    unittest.main()
