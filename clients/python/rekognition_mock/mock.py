"""A ready mock for a test suite: its endpoint, boto3 clients for it, its control plane.

Where the mock comes from is the caller's choice or the environment's: REKOGNITION_MOCK_URL names
one already running (a container, a CI service, a shared `make run`), otherwise the binary is
started on a free port. Either way nothing is returned before the mock answers its health check.
"""

from __future__ import annotations

import os

from .control import MockControl
from .process import MockProcess

URL_ENV = "REKOGNITION_MOCK_URL"
DEFAULT_REGION = "us-east-1"  # the control plane's default scope, so seeds and clients agree
SECRET = "test"


class RekognitionMock:
    """A mock that answers: `endpoint`, `control`, clients; stop() ends it if this started it."""

    def __init__(self, endpoint: str, process: MockProcess | None = None,
                 ready_timeout: float = 15.0):
        """Wrap the mock at `endpoint` (owning `process` if given); waits until it is ready."""
        self.endpoint = endpoint.rstrip("/")
        self.process = process
        self.control = MockControl(self.endpoint)
        try:
            self.control.wait_ready(ready_timeout)
        except BaseException:
            self.stop()
            raise

    # -- clients ------------------------------------------------------------------------------
    def client_kwargs(self, account_id: str | None = None, region: str = DEFAULT_REGION) -> dict:
        """Keyword arguments for boto3.client/Session.client that reach this mock."""
        # A 12-digit access key id is the account the caller acts in; anything else is the
        # server's --default-account (docs/sdks.md: Accounts and regions).
        return {"endpoint_url": self.endpoint, "region_name": region,
                "aws_access_key_id": account_id or "test", "aws_secret_access_key": SECRET}

    def client(self, service_name: str = "rekognition", account_id: str | None = None,
               region: str = DEFAULT_REGION, **kwargs):
        """A boto3 client for this mock (extra kwargs, e.g. config=, go to boto3.client)."""
        import boto3  # here, so the control plane alone needs no boto3

        return boto3.client(service_name, **{**self.client_kwargs(account_id, region), **kwargs})

    def aws_environment(self, account_id: str | None = None,
                        region: str = DEFAULT_REGION) -> dict:
        """Environment variables that send unmodified AWS SDK code (boto3 >= 1.28) to this mock."""
        return {"AWS_ENDPOINT_URL_REKOGNITION": self.endpoint,
                "AWS_ACCESS_KEY_ID": account_id or "test",
                "AWS_SECRET_ACCESS_KEY": SECRET,
                "AWS_REGION": region,
                "AWS_DEFAULT_REGION": region}

    # -- between tests ------------------------------------------------------------------------
    def reset(self) -> dict:
        """Back to the start-up fixtures: jobs, faults, request log and clock (every scope)."""
        return self.control.reset()

    # -- lifetime -----------------------------------------------------------------------------
    @property
    def owned(self) -> bool:
        """True when this object started the server (and stop() will end it)."""
        return self.process is not None

    def logs(self) -> str:
        """The started server's log lines so far ("" for a mock given by URL)."""
        return self.process.logs() if self.process else ""

    def stop(self) -> None:
        """Stop the server if this object started it; a mock given by URL is left running."""
        if self.process is not None:
            self.process.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()
        return False


def start_mock(args=(), fixtures=(), binary=None, env=None,
               start_timeout: float = 15.0) -> RekognitionMock:
    """Start the binary on a free port with `fixtures` files and extra CLI `args`; ready."""
    fixture_args = [a for path in fixtures for a in ("--fixtures", os.fspath(path))]
    process = MockProcess([*fixture_args, *args], binary=binary, env=env,
                          start_timeout=start_timeout)
    return RekognitionMock(process.endpoint, process, ready_timeout=start_timeout)


def connect_mock(url: str, ready_timeout: float = 15.0) -> RekognitionMock:
    """The mock already running at `url`, once ready; stop() leaves it running."""
    return RekognitionMock(url, ready_timeout=ready_timeout)


def mock_from_environment(environ=None, **start_options) -> RekognitionMock:
    """$REKOGNITION_MOCK_URL's mock if set (it brings its own fixtures), else start_mock(...)."""
    url = (os.environ if environ is None else environ).get(URL_ENV)
    if url:
        return connect_mock(url, start_options.get("start_timeout", 15.0))
    return start_mock(**start_options)

