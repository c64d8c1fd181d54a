"""`pip install ./clients/python` works from a checkout with no package index, as docs/helpers.md
says, and the installed copy starts the real binary."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Imports the helper, says where from, and lists the mock's jobs through boto3.
SMOKE = """
import rekognition_mock
print(rekognition_mock.__file__)
with rekognition_mock.start_mock() as mock:
    print(len(mock.client().list_media_analysis_jobs()["MediaAnalysisJobs"]))
"""


def pip(*args, python=sys.executable):
    """Install offline (no index, no network) into `python`; a failure carries pip's output."""
    out = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check",
                          "--no-input", "--python", python, "install", "--no-index", *args],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise AssertionError(f"pip install {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")


def smoke(python_path="", python=sys.executable):
    """Run SMOKE with only `python_path` added; returns (module file, job count)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = python_path
    out = subprocess.run([python, "-c", SMOKE], capture_output=True, text=True,
                         timeout=60, env=env)
    if out.returncode != 0:
        raise AssertionError(f"the installed helper failed:\n{out.stderr}")
    module_file, jobs = out.stdout.split()
    return module_file, int(jobs)


class OfflineInstallTest(unittest.TestCase):
    def setUp(self):
        self.target = tempfile.mkdtemp(prefix="rekognition-mock-install-")
        self.addCleanup(shutil.rmtree, self.target, ignore_errors=True)

    def test_pip_install_copies_the_package_and_leaves_the_checkout_untouched(self):
        before = sorted(os.walk(PACKAGE_ROOT))
        pip("--target", self.target, PACKAGE_ROOT)
        self.assertEqual(sorted(os.walk(PACKAGE_ROOT)), before)
        with open(os.path.join(self.target, "rekognition_mock-0.1.0.dist-info", "METADATA")) as f:
            metadata = f.read()
        self.assertIn("Name: rekognition-mock\n", metadata)
        self.assertIn('Requires-Dist: boto3>=1.28; extra == "boto3"\n', metadata)
        module_file, jobs = smoke(self.target)
        self.assertTrue(module_file.startswith(self.target), module_file)
        self.assertEqual(jobs, 0)  # started without fixtures

    def test_an_editable_install_runs_the_checkout(self):
        # A venv that sees this interpreter's boto3; pip comes from outside (--python).
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages",
                        self.target], check=True, timeout=60)
        python = os.path.join(self.target, "bin", "python")
        pip("--editable", PACKAGE_ROOT, python=python)
        module_file, _ = smoke(python=python)
        self.assertEqual(module_file, os.path.join(PACKAGE_ROOT, "rekognition_mock", "__init__.py"))


if __name__ == "__main__":
    unittest.main()
