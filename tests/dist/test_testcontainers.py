"""The Node Testcontainers recipe of docs/docker.md, run for real: the image archive is loaded into a private
podman store and tagged as the recipe names it (`rekognition-mock`), `podman system service` serves
the Docker API that Testcontainers speaks (DOCKER_HOST, no Ryuk, no registry), and the recipe,
as written, starts the container, waits on its health and hands an AWS SDK for JavaScript client
that lists the default fixtures. Its npm project is tests/dist/testcontainers (testcontainers 10,
the last for Node 20; `make dist-check` runs its `npm ci`)."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from dist_support import dist_dir, podman_config
from doc_snippets import all_blocks
from mock_server import load_fixture_jobs
from project import project_version, source_root

PROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testcontainers")


def readme_node_recipe():
    """The `// Node: testcontainers` block of README.md and docs/*.md (docs/docker.md)."""
    recipes = [b for b in all_blocks("js") if b.startswith("// Node: testcontainers")]
    if len(recipes) != 1:
        raise AssertionError(f"expected one Node testcontainers block, found {len(recipes)}")
    return recipes[0]


class TestcontainersTest(unittest.TestCase):
    def setUp(self):
        if shutil.which("podman") is None:
            raise AssertionError("podman is not installed: run `make dist-deps`")
        if not os.path.isdir(os.path.join(PROJECT, "node_modules", "testcontainers")):
            raise AssertionError(f"no node_modules in {PROJECT}: run `make dist-check`")
        self.home = tempfile.mkdtemp(prefix="rkm-tc-", dir="/var/tmp")
        # vfs layers hold files owned by the image's user: rm -rf, not rmtree's checks.
        self.addCleanup(subprocess.run, ["rm", "-rf", self.home], timeout=60)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("REKOGNITION_MOCK")}
        self.env.update(PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                        **podman_config(self.home))

    def podman(self, *args):
        done = subprocess.run(["podman", *args], env=self.env, capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 0:
            raise AssertionError(f"podman {' '.join(args)}: {done.stdout}\n{done.stderr}")
        return done.stdout

    def test_the_node_recipe_runs_against_the_image(self):
        archive = os.path.join(dist_dir(), f"rekognition-mock-{project_version()}-oci.tar")
        self.podman("load", "-i", archive)
        self.podman("tag", f"localhost/rekognition-mock:{project_version()}",
                    "rekognition-mock:latest")
        socket_path = os.path.join(self.home, "podman.sock")
        service = subprocess.Popen(["podman", "system", "service", "--time=0",
                                    f"unix://{socket_path}"], env=self.env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        def stop_service():
            service.terminate()
            service.wait(timeout=30)
            service.stderr.close()
        self.addCleanup(stop_service)
        deadline = time.monotonic() + 30
        while not os.path.exists(socket_path):
            if service.poll() is not None:
                raise AssertionError(f"podman system service exited: {service.stderr.read()}")
            self.assertLess(time.monotonic(), deadline, "podman's API socket never appeared")
            time.sleep(0.05)

        # The recipe as written, with the imports it leaves to the reader and a check at the end.
        script = ('import { ListMediaAnalysisJobsCommand, RekognitionClient } '
                  'from "@aws-sdk/client-rekognition";\n' + readme_node_recipe() +
                  'const page = await client.send(new ListMediaAnalysisJobsCommand({}));\n'
                  'console.log(JSON.stringify({ jobs: page.MediaAnalysisJobs.length }));\n'
                  'await mock.stop();\n')
        path = os.path.join(PROJECT, "recipe.generated.mjs")
        with open(path, "w") as f:
            f.write(script)
        self.addCleanup(os.remove, path)
        env = dict(self.env, DOCKER_HOST=f"unix://{socket_path}",
                   TESTCONTAINERS_RYUK_DISABLED="true")
        done = subprocess.run(["node", path], cwd=PROJECT, env=env, capture_output=True,
                              text=True, timeout=90)
        self.assertEqual(done.returncode, 0, f"{done.stdout}\n{done.stderr}")
        answer = json.loads(done.stdout.strip().splitlines()[-1])
        fixtures = load_fixture_jobs(os.path.join(source_root(), "fixtures", "default-jobs.json"))
        self.assertEqual(answer["jobs"], len(fixtures))  # one page holds them all
        self.assertEqual(self.podman("ps", "-q").strip(), "", "the recipe left a container")


if __name__ == "__main__":
    unittest.main()
