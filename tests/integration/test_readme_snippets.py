"""The documentation's runnable snippets, run as a user who copies them would run them: the
README's one-minute tour, and the test-helper snippets of docs/helpers.md. Each is read from the
section that holds it in README.md or docs/*.md, wherever it is (doc_snippets.py).

The tour's block runs in bash against the real binary serving the default fixtures, its
http://localhost:9595 replaced by the server's own address. Each snippet of "From pytest",
"From unittest", "From Jest and Vitest" and "From node:test" is written into an empty project folder whose tests/jobs.json is the default fixtures file (the
path the snippets name), then run by its own runner against the real binary: pytest (Debian's,
through run_pytest.py), unittest, Jest and node --test. The JavaScript snippets borrow the
installed packages of clients/node/examples/jest (the SDK, Jest and the helper) through a
node_modules link. A snippet that drifts from the helpers' API fails here, not in a user's suite.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import mock_server
from doc_snippets import section_blocks

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JEST_EXAMPLE = os.path.join(ROOT, "clients", "node", "examples", "jest")
RUN_PYTEST = os.path.join(ROOT, "tests", "support", "run_pytest.py")


def split_files(block):
    """A block holding several files, each opened by a `// name.mjs` line: {name: text}."""
    files, name = {}, None
    for line in block.splitlines(keepends=True):
        opened = re.match(r"^// ([\w.-]+\.mjs)\b", line)
        if opened:
            name = opened.group(1)
            files[name] = ""
        elif name is not None:
            files[name] += line
    return files


def setUpModule():
    mock_server.isolate_aws_environment()


class ReadmeSnippetTest(unittest.TestCase):
    def setUp(self):
        self.project = tempfile.mkdtemp(prefix="rekmock-readme-")
        self.addCleanup(shutil.rmtree, self.project, ignore_errors=True)
        os.mkdir(os.path.join(self.project, "tests"))
        shutil.copy(os.path.join(mock_server.fixtures_dir(), "default-jobs.json"),
                    os.path.join(self.project, "tests", "jobs.json"))

    def write(self, name, text):
        with open(os.path.join(self.project, name), "w", encoding="utf-8") as f:
            f.write(text)

    def run_in_project(self, *command, path=None):
        # The snippets find the binary, never a running mock, and no AWS settings of the caller.
        env = mock_server._environment({"PYTHONPATH": os.path.join(ROOT, "clients", "python"),
                                        "REKOGNITION_MOCK_BIN": mock_server.binary()})
        if path:
            env["PATH"] = path + os.pathsep + env.get("PATH", "")
        proc = subprocess.run(command, cwd=self.project, env=env, capture_output=True,
                              text=True, timeout=240)
        self.assertEqual(proc.returncode, 0,
                         f"{command}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc.stdout + proc.stderr

    def link_node_modules(self):
        node = shutil.which("node")
        self.assertIsNotNone(node, "node is not installed: run make test-deps")
        modules = os.path.join(JEST_EXAMPLE, "node_modules")
        self.assertTrue(os.path.isdir(os.path.join(modules, "jest")),
                        f"{modules} has no jest: run make test-deps")
        os.symlink(modules, os.path.join(self.project, "node_modules"))
        self.write("package.json", '{"type": "module"}\n')
        return node

    def test_one_minute_tour(self):
        (block,) = section_blocks("A one-minute tour", "sh")
        self.assertIn("http://localhost:9595", block)
        with mock_server.MockServer("--fixtures", mock_server.default_fixtures()) as server:
            script = block.replace("http://localhost:9595", server.endpoint)
            out = self.run_in_project("bash", "-euo", "pipefail", "-c", script)
        self.assertIn('"MediaAnalysisJobs"', out)
        self.assertIn('"SUCCEEDED"', out)
        self.assertRegex(out, r'"JobsDeleted": ?49, ?"JobsLoaded": ?48')

    def test_snapshot_against_the_mock(self):
        (block,) = section_blocks("Try it against the mock", "sh")
        self.assertIn("http://localhost:9595", block)
        with mock_server.MockServer("--fixtures", mock_server.default_fixtures()) as server:
            script = block.replace("http://localhost:9595", server.endpoint)
            out = self.run_in_project("bash", "-euo", "pipefail", "-c", script,
                                      path=os.path.dirname(mock_server.binary()))
        self.assertTrue(out.startswith("14\n"), out)  # stdout, then stderr
        self.assertIn("snapshot: wrote 14 jobs to failed-jobs.json", out)

    def assertFlagsTaken(self, section, at_least):
        """Each flag the `rekognition-mock` command lines of `section` give is one their command
        (the server, or the subcommand they name) takes."""
        blocks = section_blocks(section, "sh")
        commands = [line for block in blocks for line in block.replace("\\\n", " ").splitlines()
                    if line.startswith("rekognition-mock ")]
        self.assertGreaterEqual(len(commands), at_least)
        helps = {}
        for command in commands:
            words = command.split()
            subcommand = (words[1],) if words[1] in ("snapshot", "conformance") else ()
            if subcommand not in helps:
                helps[subcommand] = mock_server.run_binary(*subcommand, "--help").stdout
            for flag in (word for word in words if word.startswith("--")):
                self.assertRegex(helps[subcommand], r"(?m)^\s+" + re.escape(flag) + r"\b",
                                 f"{command}: {flag}")

    def test_the_snapshot_commands_against_aws_give_flags_they_take(self):
        # They need AWS, so they are not run: each flag they give must be one the command takes.
        self.assertFlagsTaken("Start from your AWS account's jobs", 4)

    def test_the_conformance_commands_against_aws_give_flags_they_take(self):
        # They need AWS, so they are not run: each flag they give must be one the command takes.
        self.assertFlagsTaken("Check the mock against AWS", 4)

    def test_conformance_between_two_mocks(self):
        (block,) = section_blocks("Try it between two mocks", "sh")
        self.assertIn("http://localhost:9595", block)
        self.assertIn("http://localhost:9596", block)
        fixtures = mock_server.default_fixtures()
        with mock_server.MockServer("--fixtures", fixtures, "--log-level", "warn") as first, \
                mock_server.MockServer("--fixtures", fixtures, "--log-level", "warn") as second:
            script = block.replace("http://localhost:9595", first.endpoint) \
                          .replace("http://localhost:9596", second.endpoint)
            out = self.run_in_project("bash", "-euo", "pipefail", "-c", script,
                                      path=os.path.dirname(mock_server.binary()))
        self.assertIn("43 calls: 43 same, 0 different (0 differences), 0 not compared\n", out)
        self.assertIn("'different': 0", out)
        self.assertIn("'same': 43", out)

    def test_pytest(self):
        conftest, tests = section_blocks("From pytest", "python")
        self.write("conftest.py", conftest)
        self.write("test_readme.py", tests)
        out = self.run_in_project(sys.executable, RUN_PYTEST, "-p", "no:cacheprovider", "-q")
        self.assertIn("3 passed", out)

    def test_unittest(self):
        (tests,) = section_blocks("From unittest", "python")
        self.write("test_readme.py", tests)
        out = self.run_in_project(sys.executable, "-m", "unittest", "-v", "test_readme")
        self.assertIn("Ran 1 test", out)

    def test_jest(self):
        node = self.link_node_modules()
        (block,) = section_blocks("From Jest and Vitest", "js")
        files = split_files(block)
        self.assertEqual(sorted(files), ["jest.config.mjs", "jest.global-setup.mjs",
                                         "jest.global-teardown.mjs", "jobs.test.mjs"])
        for name, text in files.items():
            self.write(name, text)
        jest = os.path.join(self.project, "node_modules", "jest", "bin", "jest.js")
        out = self.run_in_project(node, "--experimental-vm-modules", jest, "--ci")
        self.assertRegex(out, r"Tests:\s+1 passed, 1 total")

    def test_node_test(self):
        node = self.link_node_modules()
        block = section_blocks("From node:test", "js")[0]
        self.write("readme.test.mjs", block)
        out = self.run_in_project(node, "--test", "readme.test.mjs")
        self.assertIn("# pass 1", out)
        self.assertIn("# fail 0", out)


if __name__ == "__main__":
    unittest.main()
