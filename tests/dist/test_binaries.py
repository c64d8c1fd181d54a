"""The static binaries `make dist` ships, each run from its own tarball as a user would unpack it
(the aarch64 one under Debian's qemu-aarch64-static): an ELF for its machine, stripped, at most
8 MB; it serves the bundled default fixtures to boto3, runs a job on a --s3-dir whose image
carries an rkm-label- name and writes its results line, and exits 0 on SIGTERM. SHA256SUMS
names every tarball with its digest."""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import tarfile
import tempfile
import unittest

import boto3
from botocore.config import Config

from bulk_lab import FolderLab, image_bytes, manifest
from mock_server import MockServer, isolate_aws_environment, load_fixture_jobs
from dist_support import ELF_MACHINES, dist_dir, elf_machine, listed_job_ids
from project import git_revision, project_version

MAX_BINARY_BYTES = 8 * 1000 * 1000
ARCHES = ("x86_64", "aarch64")



def runner(arch):
    """The command prefix that runs a binary of `arch` here."""
    if arch == os.uname().machine:
        return []
    emulator = shutil.which(f"qemu-{arch}-static")
    if emulator is None:
        raise AssertionError(f"qemu-{arch}-static is not installed: run `make dist-deps`")
    return [emulator]


class DistBinaryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        isolate_aws_environment()

    def unpack(self, arch):
        stem = f"rekognition-mock-{project_version()}-linux-{arch}"
        archive = os.path.join(dist_dir(), f"{stem}.tar.gz")
        self.assertTrue(os.path.isfile(archive), f"{archive} is missing")
        target = tempfile.mkdtemp(prefix=f"rkm-dist-{arch}-")
        self.addCleanup(shutil.rmtree, target, True)
        with tarfile.open(archive) as tar:
            names = sorted(tar.getnames())
            self.assertEqual(names, [stem, f"{stem}/LICENSE", f"{stem}/README.md",
                                     f"{stem}/fixtures", f"{stem}/fixtures/default-jobs.json",
                                     f"{stem}/rekognition-mock"])
            tar.extractall(target, filter="data")
        return os.path.join(target, stem)

    def check_binary(self, arch):
        folder = self.unpack(arch)
        binary = os.path.join(folder, "rekognition-mock")
        with open(binary, "rb") as f:
            header = f.read(20)
        self.assertEqual(elf_machine(header), ELF_MACHINES[arch])
        self.assertLessEqual(os.path.getsize(binary), MAX_BINARY_BYTES)
        with open(binary, "rb") as f:
            self.assertNotIn(b".symtab", f.read(), "the binary is not stripped")

        s3 = FolderLab(os.path.join(folder, "s3"))
        s3.make_bucket("media-in")
        s3.make_bucket("media-out")
        s3.put("media-in", "rkm-label-weapons-90.png", image_bytes("ok-120x90.png"))
        s3.put("media-in", "m.jsonl", manifest(("media-in", "rkm-label-weapons-90.png")))
        fixtures = os.path.join(folder, "fixtures", "default-jobs.json")
        server = MockServer("--fixtures", fixtures, "--job-duration", "0", *s3.server_args(),
                            command=[*runner(arch), binary]).start()
        self.addCleanup(server.stop)
        endpoint = f"http://{server.host}:{server.port}"
        self.assertEqual(sorted(listed_job_ids(endpoint)),
                         sorted(j["JobId"] for j in load_fixture_jobs(fixtures)))
        client = boto3.client("rekognition", endpoint_url=endpoint,
                              region_name="us-east-1", aws_access_key_id="test",
                              aws_secret_access_key="test",
                              config=Config(retries={"total_max_attempts": 1}))

        job_id = client.start_media_analysis_job(
            OperationsConfig={"DetectModerationLabels": {"MinConfidence": 50}},
            Input={"S3Object": {"Bucket": "media-in", "Name": "m.jsonl"}},
            OutputConfig={"S3Bucket": "media-out", "S3KeyPrefix": "out"})["JobId"]
        job = client.get_media_analysis_job(JobId=job_id)
        self.assertEqual(job["Status"], "SUCCEEDED", job)
        line = json.loads(s3.get("media-out", job["Results"]["S3Object"]["Name"]))
        self.assertEqual(line["source-ref"], "s3://media-in/rkm-label-weapons-90.png")
        labels = line["detect-moderation-labels"]["ModerationLabels"]
        self.assertIn("Weapons", [label["Name"] for label in labels], line)
        self.assertEqual(server.stop(signal.SIGTERM), 0, server.stderr_text()[-2000:])
        return binary

    def test_x86_64(self):
        self.check_binary("x86_64")

    def test_aarch64(self):
        self.check_binary("aarch64")

    def test_version_names_the_project_version_and_revision(self):
        for arch in ARCHES:
            with self.subTest(arch=arch):
                binary = os.path.join(self.unpack(arch), "rekognition-mock")
                done = subprocess.run([*runner(arch), binary, "--version"], capture_output=True,
                                      text=True, timeout=30)
                self.assertEqual(done.stdout.strip(),
                                 f"rekognition-mock {project_version()} ({git_revision()})")

    def test_sha256sums_names_every_archive(self):
        with open(os.path.join(dist_dir(), "SHA256SUMS")) as f:
            sums = dict(reversed(line.split("  ", 1)) for line in f.read().splitlines())
        self.assertTrue(sums)
        for name, digest in sums.items():
            with open(os.path.join(dist_dir(), name), "rb") as f:
                self.assertEqual(hashlib.sha256(f.read()).hexdigest(), digest, name)
        for arch in ARCHES:
            self.assertIn(f"rekognition-mock-{project_version()}-linux-{arch}.tar.gz", sums)


if __name__ == "__main__":
    unittest.main()
