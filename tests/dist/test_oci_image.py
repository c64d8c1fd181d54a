"""The OCI image archive `make dist` ships: one index for linux/amd64 and linux/arm64, each image
FROM scratch with its architecture's binary (no compiling in an image build), configured as
docker/Dockerfile configures today's image (user, variables, volume, port, entry point, health
check) and labelled with the project's version, the revision, source and license. Every digest
in the layout is checked against its blob, as a loader checks it."""

import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import unittest

from dist_support import ELF_MACHINES, dist_dir, elf_machine
from project import git_revision, project_version, source_root




def dockerfile_runtime():
    """(user, sorted ENV assignments, entrypoint) of docker/Dockerfile's runtime stage."""
    with open(os.path.join(source_root(), "docker", "Dockerfile")) as f:
        text = f.read()
    runtime = text[text.index("FROM scratch"):]
    user = re.search(r"^USER (\S+)$", runtime, re.M).group(1)
    env_block = re.search(r"^ENV (.*?)\n(?!\s)", runtime, re.M | re.S).group(1)
    env = sorted(re.findall(r"(REKOGNITION_MOCK_\w+=\S+)", env_block))
    entrypoint = json.loads(re.search(r"^ENTRYPOINT (\[.*\])$", runtime, re.M).group(1))
    return user, env, entrypoint


class OciImageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        path = os.path.join(dist_dir(), f"rekognition-mock-{project_version()}-oci.tar")
        if not os.path.isfile(path):
            raise AssertionError(f"{path} is missing")
        with tarfile.open(path) as tar:
            cls.files = {m.name: tar.extractfile(m).read() for m in tar.getmembers()
                         if m.isfile()}

    def blob(self, descriptor):
        data = self.files[f"blobs/sha256/{descriptor['digest'].split(':')[1]}"]
        self.assertEqual("sha256:" + hashlib.sha256(data).hexdigest(), descriptor["digest"])
        self.assertEqual(len(data), descriptor["size"])
        return data

    def platform_manifests(self):
        """The descriptors of the per-platform manifests, under the layout's one image."""
        layout = json.loads(self.files["index.json"])
        self.assertEqual(len(layout["manifests"]), 1, "a loader takes one image per archive")
        image = layout["manifests"][0]
        self.assertEqual(image["mediaType"], "application/vnd.oci.image.index.v1+json")
        self.assertEqual(image["annotations"]["org.opencontainers.image.ref.name"],
                         project_version())
        return json.loads(self.blob(image))["manifests"]

    def test_the_layout_indexes_both_platforms(self):
        self.assertEqual(json.loads(self.files["oci-layout"]), {"imageLayoutVersion": "1.0.0"})
        platforms = sorted((m["platform"]["os"], m["platform"]["architecture"])
                           for m in self.platform_manifests())
        self.assertEqual(platforms, [("linux", "amd64"), ("linux", "arm64")])

    def test_each_image_is_configured_and_labelled_as_the_dockerfile_says(self):
        user, env, entrypoint = dockerfile_runtime()
        for descriptor in self.platform_manifests():
            arch = descriptor["platform"]["architecture"]
            with self.subTest(arch=arch):
                manifest = json.loads(self.blob(descriptor))
                config = json.loads(self.blob(manifest["config"]))
                self.assertEqual((config["os"], config["architecture"]), ("linux", arch))
                settings = config["config"]
                self.assertEqual(settings["User"], user)
                self.assertEqual(sorted(settings["Env"]), env)
                self.assertEqual(settings["Entrypoint"], entrypoint)
                self.assertEqual(settings["Volumes"], {"/data": {}})
                self.assertEqual(settings["ExposedPorts"], {"9595/tcp": {}})
                self.assertEqual(settings["Healthcheck"]["Test"],
                                 ["CMD", "/rekognition-mock", "--healthcheck"])
                labels = settings["Labels"]
                self.assertEqual(labels["org.opencontainers.image.version"], project_version())
                self.assertEqual(labels["org.opencontainers.image.revision"], git_revision())
                self.assertEqual(labels["org.opencontainers.image.licenses"], "Apache-2.0")
                self.assertTrue(labels["org.opencontainers.image.source"].startswith("https://"))

                self.assertEqual(len(manifest["layers"]), 1)
                layer_gz = self.blob(manifest["layers"][0])
                layer = gzip.decompress(layer_gz)
                self.assertEqual(config["rootfs"]["diff_ids"],
                                 ["sha256:" + hashlib.sha256(layer).hexdigest()])
                with tarfile.open(fileobj=io.BytesIO(layer)) as tar:
                    members = {m.name: m for m in tar.getmembers()}
                    binary = members["rekognition-mock"]
                    self.assertEqual(binary.mode, 0o755)
                    header = tar.extractfile(binary).read(20)
                    self.assertIn("fixtures/default-jobs.json", members)
                    self.assertEqual((members["data"].uid, members["data/s3"].uid),
                                     (65532, 65532))
                    self.assertEqual(members["tmp"].mode, 0o1777)
                self.assertEqual(elf_machine(header), ELF_MACHINES[arch])


if __name__ == "__main__":
    unittest.main()
