"""The README's pytest setup, as a user's conftest.py holds it (only the fixtures path differs)."""

import os

import pytest

pytest_plugins = ["rekognition_mock.pytest_plugin"]

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "fixtures",
                        "default-jobs.json")


@pytest.fixture(scope="session")
def rekognition_mock_options():  # start_mock()'s arguments for the session's mock
    return {"fixtures": [FIXTURES], "args": ["--job-duration", "60"]}
