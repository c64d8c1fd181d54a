"""The rekognition-mock binary as a child process: found, started on a free port, stopped.

The server is started with `--host 127.0.0.1 --port 0`: the kernel picks a free port, so suites
running side by side never race for one, and the server prints `listening on http://HOST:PORT`
as its one stdout line once bound. Its JSON log lines go to a temporary file rather than a pipe
(a pipe nobody drains would fill and stall the server), and start-up failures quote them.
"""

from __future__ import annotations

import atexit
import importlib.metadata
import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import time

BINARY_ENV = "REKOGNITION_MOCK_BIN"
BINARY_NAME = "rekognition-mock"
_LISTENING = re.compile(rb"^listening on (http://\S+)$")


class MockStartError(RuntimeError):
    """The binary could not be found, exited, or printed no listening line in time."""


def bundled_binary() -> str | None:
    """The server a platform wheel of this package installed (its RECORD lists the program it
    put in the environment's scripts folder), or None for the pure-Python package."""
    try:
        files = importlib.metadata.files("rekognition-mock") or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in files:
        if file.name == BINARY_NAME:
            path = os.path.normpath(os.fspath(file.locate()))
            if os.path.isfile(path) and os.access(path, os.X_OK):
                return path
    return None


def find_binary(binary: str | os.PathLike | None = None) -> str:
    """The server's path: `binary`, else $REKOGNITION_MOCK_BIN, else the one a platform wheel
    installed with this package, else rekognition-mock on PATH."""
    if binary is None:
        binary = os.environ.get(BINARY_ENV) or bundled_binary() or shutil.which(BINARY_NAME)
        if binary is None:
            raise MockStartError(
                f"rekognition-mock not found: pass binary=, set {BINARY_ENV}, put it on PATH "
                "(make build puts it in build/release/server/), or set REKOGNITION_MOCK_URL "
                "to use a mock that is already running")
    path = os.fspath(binary)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise MockStartError(f"{path!r} is not an executable file")
    return path


# Servers still running when the interpreter exits (a test run interrupted between start and
# stop, a handle dropped unstopped) are stopped then, so none outlives its test run. The set
# holds them strongly: a running server keeps its handle until stop().
_running: set = set()


@atexit.register
def _stop_leftovers():
    for server in list(_running):
        server.stop()


class MockProcess:
    """One running server; `endpoint` is its base URL. Stop it with stop() or a `with` block."""

    def __init__(self, args=(), binary=None, env=None, start_timeout: float = 15.0):
        """Start the binary with extra `args`; returns once it has printed its address."""
        command = [find_binary(binary), "--host", "127.0.0.1", "--port", "0", *map(str, args)]
        self.log = tempfile.TemporaryFile(prefix="rekognition-mock-", suffix=".log")
        self._final_logs = None  # the log's text once stopped (the file is then closed)
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=self.log, env=env)
        _running.add(self)
        try:
            self.endpoint = self._read_endpoint(start_timeout)
        except BaseException:
            self.stop()
            raise

    def _read_endpoint(self, timeout: float) -> str:
        # Read the listening line under a deadline: a server that hangs before binding must fail
        # the test, not stall it.
        deadline = time.monotonic() + timeout
        received = b""
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while b"\n" not in received:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    raise MockStartError(f"no listening line within {timeout} s\n{self.logs()}")
                chunk = os.read(self.process.stdout.fileno(), 4096)
                if not chunk:  # stdout closed: the server exited (a bad flag, a bad fixture)
                    code = self.process.wait()
                    raise MockStartError(f"rekognition-mock exited with status {code}: "
                                         f"{self.logs()}")
                received += chunk
        line = received.split(b"\n", 1)[0].strip()
        match = _LISTENING.match(line)
        if not match:
            raise MockStartError(f"unexpected first line {line!r}\n{self.logs()}")
        return match.group(1).decode()

    def logs(self) -> str:
        """What the server wrote to stderr so far (JSON log lines, or a start-up error)."""
        if self._final_logs is not None:
            return self._final_logs
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    @property
    def returncode(self):
        """The exit status once stopped, None while running."""
        return self.process.poll()

    def stop(self, timeout: float = 5.0) -> int:
        """SIGTERM, wait up to `timeout` s, then SIGKILL; reaps the process, returns its status."""
        _running.discard(self)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._final_logs is None:
            self._final_logs = self.logs()
            self.log.close()
            self.process.stdout.close()
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()
        return False
