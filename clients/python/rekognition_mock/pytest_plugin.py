"""pytest fixtures; enable them in your conftest.py with

    pytest_plugins = ["rekognition_mock.pytest_plugin"]

- `rekognition_mock_options` (session): keyword arguments of start_mock(); override it in your
  conftest.py to pass fixtures or flags.
- `rekognition_mock_server` (session): the one mock of the run, started (or found through
  $REKOGNITION_MOCK_URL) at first use and stopped at the end.
- `rekognition_mock` (function): that mock, reset to its start-up fixtures for this test.
- `rekognition` (function): a boto3 Rekognition client for the reset mock.

Only this module imports pytest, so the package itself works without it.
"""

import pytest

from .mock import mock_from_environment


@pytest.fixture(scope="session")
def rekognition_mock_options():
    """start_mock() keyword arguments for the session's mock (override to add fixtures, args)."""
    return {}


@pytest.fixture(scope="session")
def rekognition_mock_server(rekognition_mock_options):
    """The session's mock, ready; stopped after the last test if this run started it."""
    mock = mock_from_environment(**rekognition_mock_options)
    yield mock
    mock.stop()


@pytest.fixture
def rekognition_mock(rekognition_mock_server):
    """The session's mock, reset (jobs, faults, request log, clock) before this test."""
    rekognition_mock_server.reset()
    return rekognition_mock_server


@pytest.fixture
def rekognition(rekognition_mock):
    """A boto3 Rekognition client for the freshly reset mock."""
    client = rekognition_mock.client()
    yield client
    client.close()
