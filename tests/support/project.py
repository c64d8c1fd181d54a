"""Facts about the checkout under test: its root, the one version every artifact carries (the
CMake project's), and the git revision a binary built from it names."""

import os
import re
import subprocess

from mock_server import fixtures_dir


def source_root():
    """The repository's root (the parent of the fixtures folder the tests are pointed at)."""
    return os.path.dirname(os.path.abspath(fixtures_dir()))


def project_version():
    """The version in CMakeLists.txt's project(): the one that --version, the wheels, the npm
    packages and the image labels must all carry."""
    with open(os.path.join(source_root(), "CMakeLists.txt")) as f:
        match = re.search(r"project\(rekognition-mock VERSION (\d+\.\d+\.\d+)", f.read())
    if not match:
        raise AssertionError("CMakeLists.txt names no project(rekognition-mock VERSION x.y.z)")
    return match.group(1)


def git_revision():
    """What the build reads for --version: HEAD's 12-digit abbreviation, or "unknown"."""
    try:
        done = subprocess.run(["git", "-C", source_root(), "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, timeout=10)
    except FileNotFoundError:
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "unknown"
