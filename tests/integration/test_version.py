"""One version: the helpers' packages carry the CMake project's version, which --version prints
(test_cli checks the binary), so a release bumps it in one place and a test names any drift."""

import json
import os
import re
import unittest

from project import project_version, source_root


class OneVersionTest(unittest.TestCase):
    def test_the_python_helpers_carry_the_project_version(self):
        with open(os.path.join(source_root(), "clients", "python", "pyproject.toml")) as f:
            match = re.search(r'^version = "([^"]+)"$', f.read(), re.MULTILINE)
        self.assertIsNotNone(match, "pyproject.toml has no version line")
        self.assertEqual(match.group(1), project_version())

    def test_the_node_helpers_carry_the_project_version(self):
        with open(os.path.join(source_root(), "clients", "node", "package.json")) as f:
            self.assertEqual(json.load(f)["version"], project_version())


if __name__ == "__main__":
    unittest.main()
