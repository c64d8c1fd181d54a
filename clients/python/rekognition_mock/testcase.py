"""unittest integration: one mock per TestCase class, reset before every test.

    class JobsTest(MockTestCase):
        mock_options = {"fixtures": ["tests/jobs.json"]}

        def test_lists(self):
            self.rekognition.list_media_analysis_jobs()

A class gets its mock from `mock_for_class()`: by default it starts one (or connects to
$REKOGNITION_MOCK_URL) and stops it after the class. Starting takes milliseconds, so a mock per
class costs little; to share one across a module, start it in setUpModule and override
mock_for_class() to return it (the class then leaves its stopping to the module).
"""

from __future__ import annotations

import unittest

from .mock import RekognitionMock, mock_from_environment


class MockTestCase(unittest.TestCase):
    """A TestCase with `self.mock` reset before each test and `self.rekognition`, a boto3 client."""

    mock_options: dict = {}  # keyword arguments of start_mock(): fixtures, args, binary, env
    mock: RekognitionMock | None = None

    @classmethod
    def mock_for_class(cls) -> RekognitionMock:
        """The class's mock; this default starts one that stops when the class is done."""
        mock = mock_from_environment(**cls.mock_options)
        cls.addClassCleanup(mock.stop)
        return mock

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mock = cls.mock_for_class()

    def setUp(self):
        super().setUp()
        self.mock.reset()
        self.control = self.mock.control
        self.rekognition = self.mock.client()
        self.addCleanup(self.rekognition.close)
