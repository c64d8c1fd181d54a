"""Test helpers for rekognition-mock: start (or find) the mock, boto3 clients, its control plane.

    from rekognition_mock import start_mock

    with start_mock(fixtures=["jobs.json"]) as mock:
        rekognition = mock.client()
        mock.control.advance_clock(3600)

unittest: rekognition_mock.testcase.MockTestCase. pytest: rekognition_mock.pytest_plugin.
"""

from .control import ControlError, MockControl, MockNotReady
from .mock import RekognitionMock, connect_mock, mock_from_environment, start_mock
from .process import MockProcess, MockStartError, find_binary
from .testcase import MockTestCase

__all__ = [
    "ControlError",
    "MockControl",
    "MockNotReady",
    "MockProcess",
    "MockStartError",
    "MockTestCase",
    "RekognitionMock",
    "connect_mock",
    "find_binary",
    "mock_from_environment",
    "start_mock",
]
