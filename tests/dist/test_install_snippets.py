"""The README's Install section, run as written: each sh block in a fresh folder holding the
files of dist/ (linked), with the user's environment (no REKOGNITION_MOCK_*, no PYTHONPATH, PATH
without the build tree), offline. A block that drifts from what make dist writes fails here."""

import os
import subprocess
import tempfile
import unittest

from dist_support import dist_dir, podman_config
from doc_snippets import section_blocks
from project import project_version


def install_blocks():
    return section_blocks("Install", "sh")


class InstallSnippetTest(unittest.TestCase):
    def test_every_block_runs(self):
        dist = dist_dir()
        blocks = install_blocks()
        self.assertGreaterEqual(len(blocks), 2)
        for block in blocks:
            with self.subTest(block=block.splitlines()[0]):
                self.assertIn(project_version(), block, "the README names another version")
                folder = tempfile.mkdtemp(prefix="rkm-install-")
                # vfs layers hold files owned by the image's user: rm -rf, not rmtree's checks.
                self.addCleanup(subprocess.run, ["rm", "-rf", folder], timeout=60)
                for name in os.listdir(dist):
                    os.symlink(os.path.join(dist, name), os.path.join(folder, name))
                env = {k: v for k, v in os.environ.items()
                       if not k.startswith("REKOGNITION_MOCK") and k != "PYTHONPATH"}
                env.update(PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                           PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
                           **podman_config(folder))
                done = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=folder,
                                      env=env, capture_output=True, text=True, timeout=300)
                self.assertEqual(done.returncode, 0, f"{done.stdout}\n{done.stderr}")
                self.assertIn(f"rekognition-mock {project_version()} (", done.stdout)


if __name__ == "__main__":
    unittest.main()
