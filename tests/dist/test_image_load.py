"""The OCI image archive loads and runs in a real container engine: Debian's podman (make
dist-deps installs it with runc) loads it into a private store, takes the image of this machine's
platform, and runs it as docker/Dockerfile's image runs: healthy on its port, serving the default
fixtures to boto3, stopped by SIGTERM with status 0.

podman is pointed at a private store and configuration (dist_support.podman_config), so nothing
global is changed."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

from mock_server import isolate_aws_environment, load_fixture_jobs
from dist_support import dist_dir, listed_job_ids, podman_config
from project import project_version, source_root



def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ImageLoadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        isolate_aws_environment()
        for tool in ("podman", "runc"):
            if shutil.which(tool) is None:
                raise AssertionError(f"{tool} is not installed: run `make dist-deps`")
        cls.store = tempfile.mkdtemp(prefix="rkm-podman-", dir="/var/tmp")
        cls.env = dict(os.environ, **podman_config(cls.store),
                       PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")

    @classmethod
    def tearDownClass(cls):
        for args in (["rm", "-a", "-f"], ["rmi", "-a", "-f"]):
            subprocess.run(["podman", *args], env=cls.env, capture_output=True, timeout=60)
        # vfs layers hold files owned by the image's user: rm -rf, not rmtree's checks.
        subprocess.run(["rm", "-rf", cls.store], timeout=60)

    def podman(self, *args, timeout=120):
        done = subprocess.run(["podman", *args], env=self.env, capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode != 0:
            raise AssertionError(f"podman {' '.join(args)} exited {done.returncode}:\n"
                                 f"{done.stdout}\n{done.stderr}")
        return done.stdout

    def test_the_archive_loads_and_its_image_serves_the_fixtures(self):
        archive = os.path.join(dist_dir(), f"rekognition-mock-{project_version()}-oci.tar")
        loaded = self.podman("load", "-i", archive)
        image = f"localhost/rekognition-mock:{project_version()}"
        self.assertIn(image, loaded)
        arch = {"x86_64": "amd64", "aarch64": "arm64"}[os.uname().machine]
        self.assertEqual(self.podman("image", "inspect", image, "--format",
                                     "{{.Architecture}} {{.User}}").split(), [arch, "65532:65532"])

        port = free_port()
        name = f"rkm-dist-{port}"
        self.podman("run", "-d", "--name", name, "--ulimit", "nofile=1024:1024",
                    "--ulimit", "nproc=4096:4096", "-p", f"127.0.0.1:{port}:9595", image)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_mock/health",
                                            timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("the container never answered its health check:\n" +
                                     self.podman("logs", name))
            time.sleep(0.05)

        listed = listed_job_ids(f"http://127.0.0.1:{port}")
        fixtures = os.path.join(source_root(), "fixtures", "default-jobs.json")
        self.assertEqual(sorted(listed), sorted(j["JobId"] for j in load_fixture_jobs(fixtures)))
        # The image's own probe, as a HEALTHCHECK runs it.
        self.podman("exec", name, "/rekognition-mock", "--healthcheck")

        self.podman("stop", "-t", "10", name)
        self.assertEqual(self.podman("inspect", name, "--format", "{{.State.ExitCode}}").strip(),
                         "0")


if __name__ == "__main__":
    unittest.main()
