"""The npm packages `make dist` ships, installed as users install them: into a fresh npm project,
offline, with PATH holding no build tree and no REKOGNITION_MOCK_*. npm picks the platform package
by its os and cpu; `npx rekognition-mock --version` runs the bundled server, and startMock() and
globalSetup() find it with no `binary`. The packages' manifests carry the project's version."""

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import textwrap
import unittest

from dist_support import ELF_MACHINES, dist_dir, elf_machine, run
from project import project_version

MAX_TARBALL_BYTES = 5 * 1000 * 1000
NODE_ARCHES = ("x64", "arm64")

USER_SCRIPT = """
import { findBinary, globalSetup, startMock } from 'rekognition-mock';

console.log(findBinary());
const mock = await startMock();
console.log((await mock.control.health()).Status);
await mock.stop();
const teardown = await globalSetup();
const health = await fetch(`${process.env.REKOGNITION_MOCK_URL}/_mock/health`);
console.log((await health.json()).Status);
await teardown();
"""



def user_env(home):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("REKOGNITION_MOCK") and not k.startswith("npm_")}
    env.update(PATH="/usr/local/bin:/usr/bin:/bin", HOME=home, npm_config_update_notifier="false")
    return env



def manifest_of(tarball):
    with tarfile.open(tarball) as tar:
        return json.load(tar.extractfile("package/package.json"))


class NpmPackagesTest(unittest.TestCase):
    def tarball(self, name):
        path = os.path.join(dist_dir(), f"{name}-{project_version()}.tgz")
        self.assertTrue(os.path.isfile(path), f"{path} is missing")
        self.assertLessEqual(os.path.getsize(path), MAX_TARBALL_BYTES)
        return path

    def test_platform_packages_declare_their_os_cpu_and_carry_that_binary(self):
        for arch in NODE_ARCHES:
            with self.subTest(arch=arch):
                path = self.tarball(f"rekognition-mock-linux-{arch}")
                manifest = manifest_of(path)
                self.assertEqual(manifest["version"], project_version())
                self.assertEqual((manifest["os"], manifest["cpu"]), (["linux"], [arch]))
                with tarfile.open(path) as tar:
                    member = tar.getmember("package/bin/rekognition-mock")
                    self.assertEqual(member.mode, 0o755)
                    header = tar.extractfile(member).read(20)
                self.assertEqual(elf_machine(header), ELF_MACHINES[arch])

    def test_the_helper_depends_on_every_platform_package_optionally(self):
        manifest = manifest_of(self.tarball("rekognition-mock"))
        self.assertEqual(manifest["version"], project_version())
        self.assertEqual(manifest["optionalDependencies"], {
            f"rekognition-mock-linux-{arch}": project_version() for arch in NODE_ARCHES})
        self.assertEqual(manifest["bin"], {"rekognition-mock": "bin/rekognition-mock.mjs"})
        self.assertNotIn("devDependencies", manifest)

    def test_a_fresh_project_installs_offline_and_finds_the_binary(self):
        if os.uname().machine != "x86_64":
            raise AssertionError("the install test needs an x86_64 machine")
        home = tempfile.mkdtemp(prefix="rkm-npm-")
        self.addCleanup(shutil.rmtree, home, True)
        project = os.path.join(home, "project")
        os.mkdir(project)
        with open(os.path.join(project, "package.json"), "w") as f:
            json.dump({"name": "user-project", "version": "1.0.0", "type": "module",
                       "private": True}, f)
        env = user_env(home)
        run(["npm", "install", "--offline", "--no-audit", "--no-fund",
             self.tarball("rekognition-mock"), self.tarball("rekognition-mock-linux-x64")],
            cwd=project, env=env)
        version = run(["npx", "--no-install", "rekognition-mock", "--version"], cwd=project,
                      env=env)
        self.assertTrue(version.stdout.startswith(f"rekognition-mock {project_version()} ("))
        with open(os.path.join(project, "user.mjs"), "w") as f:
            f.write(textwrap.dedent(USER_SCRIPT))
        done = run(["node", "user.mjs"], cwd=project, env=env)
        binary, started, global_status = done.stdout.split()
        self.assertEqual(binary, os.path.join(project, "node_modules", "rekognition-mock-linux-x64",
                                              "bin", "rekognition-mock"))
        self.assertEqual((started, global_status), ("ready", "ready"))


if __name__ == "__main__":
    unittest.main()
