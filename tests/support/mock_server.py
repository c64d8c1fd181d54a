"""Shared helpers for the Python integration and conformance suites.

`MockServer` starts the real rekognition-mock binary on an ephemeral port (``--port 0``), reads
the ``listening on http://127.0.0.1:PORT`` line from stdout, collects stderr (JSON log lines) in
the background and stops the process with SIGTERM.  Every process started here is recorded, and
`kill_leftovers()` (called by `ServerTestCase.tearDown`) kills whatever a failing test left behind.

The fixture helpers compute what the server must answer for a fixture file: the jobs sorted by
CreationTimestamp descending, ties by JobId descending, with timestamps compared as integer epoch
milliseconds whatever their written form (epoch number, ISO-8601 string or datetime).
"""

import datetime
import http.client
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import sys
import threading
import time
import unittest

TARGET = "RekognitionService.ListMediaAnalysisJobs"
CONTENT_TYPE = "application/x-amz-json-1.1"
VERSION = "0.1.0"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
LISTENING_RE = re.compile(r"^listening on http://(?P<host>[^\s]+):(?P<port>\d+)$")
TIMESTAMP_MEMBERS = ("CreationTimestamp", "CompletionTimestamp")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

# How long a healthy server may take to print its listening line (generous: 2 loaded cores).
START_TIMEOUT = 15.0


def binary():
    """Path of the server binary, from REKOGNITION_MOCK_BIN. Fails loudly when unusable."""
    path = os.environ.get("REKOGNITION_MOCK_BIN")
    if not path:
        raise AssertionError("REKOGNITION_MOCK_BIN is not set (path of the rekognition-mock binary)")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise AssertionError(f"REKOGNITION_MOCK_BIN={path!r} is not an executable file")
    return path


def fixtures_dir():
    path = os.environ.get("REKOGNITION_MOCK_FIXTURES_DIR")
    if not path:
        raise AssertionError("REKOGNITION_MOCK_FIXTURES_DIR is not set (the repository's fixtures/)")
    if not os.path.isdir(path):
        raise AssertionError(f"REKOGNITION_MOCK_FIXTURES_DIR={path!r} is not a directory")
    return path


def default_fixtures():
    """Path of fixtures/default-jobs.json."""
    path = os.path.join(fixtures_dir(), "default-jobs.json")
    if not os.path.isfile(path):
        raise AssertionError(f"default fixture file {path!r} is missing")
    return path


# --------------------------------------------------------------------------------------------
# Process management

_live = []
_live_lock = threading.Lock()


def _register(proc):
    with _live_lock:
        _live.append(proc)


def kill_leftovers():
    """Kill every process started by this module that is still running."""
    with _live_lock:
        procs = list(_live)
        _live.clear()
    for proc in procs:
        if proc.poll() is None:
            try:
                proc.kill()
            except ProcessLookupError:
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (proc.stdout, proc.stderr, proc.stdin):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass


def isolate_aws_environment():
    """Never let the developer's ~/.aws files or AWS_* settings reach a test's SDK clients:
    credentials, region and endpoints come from the test alone, and AWS_RETRY_MODE,
    AWS_MAX_ATTEMPTS or AWS_DEFAULTS_MODE cannot change the retry behaviour under test."""
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_REKOGNITION", "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_RETRY_MODE",
                "AWS_MAX_ATTEMPTS", "AWS_DEFAULTS_MODE"):
        os.environ.pop(key, None)
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def run_binary(*args, env=None, timeout=30, input_text=None):
    """Run the binary to completion (for --help, --version, bad flags, --generate-fixtures)."""
    proc = subprocess.run([binary(), *args], env=_environment(env), capture_output=True,
                          text=True, timeout=timeout, input=input_text,
                          stdin=None if input_text is not None else subprocess.DEVNULL)
    return proc


def _environment(extra):
    env = dict(os.environ)
    # The server honours REKOGNITION_MOCK_*; never let the caller's environment leak in.
    for key in list(env):
        if key.startswith("REKOGNITION_MOCK_") and key not in ("REKOGNITION_MOCK_BIN",
                                                               "REKOGNITION_MOCK_FIXTURES_DIR"):
            del env[key]
    if extra:
        env.update(extra)
    return env


class ServerStartError(AssertionError):
    def __init__(self, message, returncode, stdout, stderr):
        super().__init__(f"{message}\nexit code: {returncode}\nstdout:\n{stdout}\nstderr:\n{stderr}")
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


class MockServer:
    """The binary, running.  Use as a context manager or call start()/stop()."""

    def __init__(self, *args, env=None, ephemeral_port=True, start_timeout=START_TIMEOUT,
                 command=None):
        # `command`: what runs instead of binary() (an emulator and a binary of another CPU).
        self.command = command
        self.args = list(args)
        if ephemeral_port:
            self.args = ["--port", "0", *self.args]
        self.env = env
        self.start_timeout = start_timeout
        self.proc = None
        self.host = None
        self.port = None
        self.stdout_lines = []
        self._stderr = []
        self._stderr_cond = threading.Condition()
        self._stdout_q = queue.Queue()
        self._threads = []
        self.returncode = None

    # -- lifecycle --------------------------------------------------------------------------
    def start(self):
        self.proc = subprocess.Popen([*(self.command or [binary()]), *self.args],
                                     env=_environment(self.env),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        _register(self.proc)
        for target in (self._pump_stdout, self._pump_stderr):
            t = threading.Thread(target=target, daemon=True)
            t.start()
            self._threads.append(t)
        deadline = time.monotonic() + self.start_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.proc.kill()
                self.proc.wait()
                raise ServerStartError("server printed no listening line in time",
                                       self.proc.returncode, "\n".join(self.stdout_lines),
                                       self.stderr_text())
            try:
                line = self._stdout_q.get(timeout=min(remaining, 0.2))
            except queue.Empty:
                continue
            if line is None:  # stdout closed: the process exited
                self.proc.wait(timeout=10)
                self._join_pumps()
                raise ServerStartError("server exited before listening", self.proc.returncode,
                                       "\n".join(self.stdout_lines), self.stderr_text())
            m = LISTENING_RE.match(line)
            if not m:
                self.proc.kill()
                self.proc.wait()
                raise ServerStartError(f"unexpected stdout line {line!r}", self.proc.returncode,
                                       "\n".join(self.stdout_lines), self.stderr_text())
            self.host = m.group("host")
            self.port = int(m.group("port"))
            return self

    def _pump_stdout(self):
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            self.stdout_lines.append(line)
            self._stdout_q.put(line)
        self._stdout_q.put(None)

    def _pump_stderr(self):
        for line in self.proc.stderr:
            with self._stderr_cond:
                self._stderr.append(line.rstrip("\n"))
                self._stderr_cond.notify_all()
        with self._stderr_cond:
            self._stderr_cond.notify_all()

    def _join_pumps(self, timeout=5):
        for t in self._threads:
            t.join(timeout)

    def send_signal(self, signum):
        self.proc.send_signal(signum)

    def wait(self, timeout=10):
        self.returncode = self.proc.wait(timeout=timeout)
        self._join_pumps()
        return self.returncode

    def stop(self, signum=signal.SIGTERM, timeout=10):
        """Send `signum` and wait; return the exit code (kills after `timeout` seconds)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._join_pumps()
                raise AssertionError(f"server ignored signal {signum} for {timeout} s; killed")
        return self.wait()

    def timed_stop(self, signum=signal.SIGTERM, timeout=10):
        """Like stop() but also returns the wall time from the signal to the exit."""
        started = time.monotonic()
        code = self.stop(signum, timeout)
        return code, time.monotonic() - started

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.stop()
            except AssertionError:
                pass
        return False

    # -- addresses --------------------------------------------------------------------------
    @property
    def endpoint(self):
        return f"http://{self.host}:{self.port}"

    # -- logs -------------------------------------------------------------------------------
    @property
    def stderr(self):
        with self._stderr_cond:
            return list(self._stderr)

    def stderr_text(self):
        return "\n".join(self.stderr)

    def log_records(self):
        """The stderr lines that are JSON objects."""
        records = []
        for line in self.stderr:
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                records.append(value)
        return records

    def wait_for_logs(self, predicate, timeout=10.0):
        """Wait until predicate(list of JSON log records) is true; return the records."""
        deadline = time.monotonic() + timeout
        with self._stderr_cond:
            while True:
                records = self.log_records_unlocked()
                if predicate(records):
                    return records
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("log condition not met; stderr was:\n"
                                         + "\n".join(self._stderr))
                self._stderr_cond.wait(min(remaining, 0.2))

    def wait_for_records(self, msg, timeout=10.0):
        """Wait until a JSON log record with this "msg" has been read; return all such records."""
        records = self.wait_for_logs(lambda rs: any(r.get("msg") == msg for r in rs), timeout)
        return [r for r in records if r.get("msg") == msg]

    def log_records_unlocked(self):
        records = []
        for line in self._stderr:
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                records.append(value)
        return records

    # -- requests ---------------------------------------------------------------------------
    def connection(self, timeout=10):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def call(self, body=None, **kwargs):
        return call(self.host, self.port, body, **kwargs)

    def list_all(self, max_results=None, **kwargs):
        return list_all(self.host, self.port, max_results, **kwargs)


class Response:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers  # http.client.HTTPMessage (case-insensitive)
        self.raw = raw
        try:
            self.json = json.loads(raw) if raw else None
        except ValueError:
            self.json = None

    @property
    def request_id(self):
        return self.headers.get("x-amzn-RequestId")

    def __repr__(self):
        return f"Response({self.status}, {self.raw[:300]!r})"


def call(host, port, body=None, target=TARGET, method="POST", headers=None, raw_body=None,
         conn=None, timeout=10):
    """One request.  `body` is JSON-encoded unless `raw_body` (bytes/str) is given instead."""
    if raw_body is None:
        payload = json.dumps({} if body is None else body).encode()
    else:
        payload = raw_body.encode() if isinstance(raw_body, str) else raw_body
    hdrs = {"Content-Type": CONTENT_TYPE}
    if target is not None:
        hdrs["X-Amz-Target"] = target
    if headers:
        hdrs.update(headers)
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, "/", body=payload, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        return Response(resp.status, resp.headers, raw.decode("utf-8", "replace"))
    finally:
        if own:
            conn.close()


def list_all(host, port, max_results=None, next_token=None, max_pages=1000):
    """Walk every page; return (jobs, pages) where pages is the list of page bodies."""
    jobs, pages = [], []
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        token = next_token
        for _ in range(max_pages):
            body = {}
            if max_results is not None:
                body["MaxResults"] = max_results
            if token is not None:
                body["NextToken"] = token
            resp = call(host, port, body, conn=conn)
            if resp.status != 200:
                raise AssertionError(f"page request {body} failed: {resp.status} {resp.raw}")
            pages.append(resp.json)
            jobs.extend(resp.json["MediaAnalysisJobs"])
            token = resp.json.get("NextToken")
            if token is None:
                return jobs, pages
        raise AssertionError("pagination did not terminate")
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------
# Raw socket helpers (pipelining, malformed input)

def read_http_response(sock_file):
    """Read one HTTP/1.1 response with Content-Length from a socket file (`sock.makefile('rb')`).

    Returns (status, headers dict with lower-case names, body bytes)."""
    status_line = sock_file.readline()
    if not status_line:
        raise AssertionError("connection closed before a response")
    parts = status_line.decode("latin-1").split(" ", 2)
    status = int(parts[1])
    headers = {}
    while True:
        line = sock_file.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = sock_file.read(length) if length else b""
    return status, headers, body


def raw_request(body, target=TARGET, extra_headers=""):
    payload = body.encode() if isinstance(body, str) else body
    head = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {CONTENT_TYPE}\r\n"
            + (f"X-Amz-Target: {target}\r\n" if target else "")
            + extra_headers
            + f"Content-Length: {len(payload)}\r\n\r\n")
    return head.encode() + payload


# --------------------------------------------------------------------------------------------
# Fixtures and expected answers

def load_fixture_jobs(path):
    """The jobs of a fixture file: {"MediaAnalysisJobs": [...]} or a bare array."""
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    if isinstance(document, dict):
        return document["MediaAnalysisJobs"]
    return document


def to_ms(value):
    """Epoch milliseconds (int) of a timestamp as JSON number, ISO-8601 text or datetime."""
    if isinstance(value, bool):
        raise TypeError(f"not a timestamp: {value!r}")
    if isinstance(value, (int, float)):
        return int(round(value * 1000))
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        dt = datetime.datetime.fromisoformat(text)
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=datetime.timezone.utc)
        return to_ms(dt)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        micros = (value - EPOCH) // datetime.timedelta(microseconds=1)
        return int(round(micros / 1000))
    raise TypeError(f"not a timestamp: {value!r}")


def sort_key(job):
    """The server's order is descending on this key."""
    return (to_ms(job["CreationTimestamp"]), job["JobId"])


def expected_order(jobs):
    """Jobs sorted by CreationTimestamp desc, ties by JobId desc."""
    return sorted(jobs, key=sort_key, reverse=True)


def expected_from_file(*paths):
    jobs = []
    for path in paths:
        jobs.extend(load_fixture_jobs(path))
    return expected_order(jobs)


def normalize(job):
    """A deep copy with timestamps as epoch milliseconds, so any two forms compare equal."""
    out = json.loads(json.dumps(job, default=_json_default))
    for name in TIMESTAMP_MEMBERS:
        if name in out:
            out[name] = to_ms(out[name])
    return out


def _json_default(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialize {type(value)}")


def find_nulls(value, path="$"):
    """Paths of every JSON null inside `value`."""
    found = []
    if value is None:
        found.append(path)
    elif isinstance(value, dict):
        for k, v in value.items():
            found.extend(find_nulls(v, f"{path}.{k}"))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found.extend(find_nulls(v, f"{path}[{i}]"))
    return found


def write_json(directory, name, value):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
    return path


def make_job(job_id, creation, status="SUCCEEDED", **extra):
    """A minimal valid job (QUEUED-style members only plus what `extra` adds)."""
    job = {
        "JobId": job_id,
        "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
        "Status": status,
        "CreationTimestamp": creation,
        "Input": {"S3Object": {"Bucket": "extra-bucket", "Name": f"manifests/{job_id}.jsonl"}},
        "OutputConfig": {"S3Bucket": "extra-results", "S3KeyPrefix": "out/"},
    }
    job.update(extra)
    return job


# --------------------------------------------------------------------------------------------
# Base test case

class ServerTestCase(unittest.TestCase):
    """Provides a temp dir and start_server(); kills leftovers in tearDown."""

    maxDiff = None

    def setUp(self):
        super().setUp()
        self._tmp = tempfile.TemporaryDirectory(prefix="rekmock-py-")
        self.tmp = self._tmp.name
        self.addCleanup(self._tmp.cleanup)

    def tearDown(self):
        kill_leftovers()
        super().tearDown()

    def start_server(self, *args, **kwargs):
        server = MockServer(*args, **kwargs).start()
        self.addCleanup(_quiet_stop, server)
        return server

    def assertJobsEqual(self, actual, expected, msg=None):
        """Same jobs, same order, every member equal after timestamp normalization."""
        a = [normalize(j) for j in actual]
        e = [normalize(j) for j in expected]
        self.assertEqual([j["JobId"] for j in a], [j["JobId"] for j in e], msg)
        for got, want in zip(a, e):
            self.assertEqual(got, want, f"{msg or ''} job {want['JobId']}")


class SharedServerTestCase(ServerTestCase):
    """One server for the whole class, started with server_args(); a test may start more."""

    server = None

    @classmethod
    def server_args(cls):
        return ("--fixtures", default_fixtures())

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = MockServer(*cls.server_args()).start()

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server is not None:
                cls.server.stop()
        finally:
            kill_leftovers()
            super().tearDownClass()

    def tearDown(self):
        # Keep the class's shared server: servers a test starts itself stop through addCleanup.
        unittest.TestCase.tearDown(self)


def _quiet_stop(server):
    if server.proc is not None and server.proc.poll() is None:
        try:
            server.stop(timeout=5)
        except AssertionError:
            pass


def require_tool(name):
    path = shutil.which(name)
    if path is None:
        raise AssertionError(f"required tool {name!r} is not on PATH")
    return path


# --------------------------------------------------------------------------------------------
# Media analysis job operations and caller scopes (added for the job lifecycle suites)

START_TARGET = "RekognitionService.StartMediaAnalysisJob"
GET_TARGET = "RekognitionService.GetMediaAnalysisJob"
TERMINAL_STATUSES = ("SUCCEEDED", "FAILED")
FAILURE_CODES = ("INTERNAL_ERROR", "INVALID_S3_OBJECT", "INVALID_MANIFEST", "INVALID_OUTPUT_CONFIG",
                 "INVALID_KMS_KEY", "ACCESS_DENIED", "RESOURCE_NOT_FOUND", "RESOURCE_NOT_READY",
                 "THROTTLED")


def failure_trigger(code):
    """The input object Name fragment that makes a started job fail with `code`."""
    return "fail-" + code.lower().replace("_", "-")


def scope_headers(access_key="test", region="us-east-1"):
    """Headers naming the caller scope like a SigV4 request (the mock never checks signatures)."""
    return {"Authorization": ("AWS4-HMAC-SHA256 Credential="
                              f"{access_key}/20240101/{region}/rekognition/aws4_request, "
                              "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                              "Signature=" + "0" * 64)}


def start_request(name="manifests/input.jsonl", **extra):
    """A valid StartMediaAnalysisJob body; `extra` adds or replaces top-level members."""
    body = {
        "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
        "Input": {"S3Object": {"Bucket": "input-bucket", "Name": name}},
        "OutputConfig": {"S3Bucket": "output-bucket", "S3KeyPrefix": "results/"},
    }
    body.update(extra)
    return body


# --------------------------------------------------------------------------------------------
# Control plane (added for the control-plane suites): plain JSON over HTTP under /_mock/

def control(server, method, path, body=None, raw_body=None, headers=None, timeout=10):
    """One control-plane request to `server` (a MockServer); returns a Response.

    `body` is JSON-encoded; `raw_body` (bytes/str) is sent as is; with neither, no body."""
    if raw_body is not None:
        payload = raw_body.encode() if isinstance(raw_body, str) else raw_body
    elif body is not None:
        payload = json.dumps(body).encode()
    else:
        payload = None
    hdrs = {"Content-Type": "application/json"} if payload is not None else {}
    if headers:
        hdrs.update(headers)
    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        conn.request(method, path, body=payload, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        return Response(resp.status, resp.headers, raw.decode("utf-8", "replace"))
    finally:
        conn.close()


def control_ok(server, method, path, body=None, expect_status=200, **kwargs):
    """A control-plane request that must answer `expect_status`; returns its JSON body."""
    resp = control(server, method, path, body, **kwargs)
    if resp.status != expect_status:
        raise AssertionError(f"{method} {path} {body!r}: expected {expect_status}, got {resp!r}")
    return resp.json


def assert_memory_bound(test, growth_mib, bound_mib, detail=""):
    """Asserts a peak-RSS growth bound of the binary under test, except on a sanitizer build
    (REKMOCK_SANITIZER, set by the asan and tsan test presets): its allocator keeps freed memory
    in quarantine and adds shadow memory, so there the figure is printed, and the release pass of
    `make test` holds the bound."""
    sanitizer = os.environ.get("REKMOCK_SANITIZER")
    if sanitizer:
        print(f"[{sanitizer} build] peak RSS growth {growth_mib:.1f} MiB, not held to the "
              f"{bound_mib} MiB bound of the release build", file=sys.stderr)
        return
    test.assertLess(growth_mib, bound_mib, detail)


def status_kib(pid, field):
    """A field of /proc/PID/status (VmRSS, VmHWM, RssAnon, ...), in KiB (Threads: a count)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def reset_peak(pid):
    """VmHWM starts again from the current RSS; returns that RSS in KiB."""
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")
    return status_kib(pid, "VmRSS")


def peak_growth_mib(pid, before_kib):
    """How far the peak RSS rose above `before_kib` (from reset_peak), in MiB."""
    return (status_kib(pid, "VmHWM") - before_kib) / 1024


def memory_report(pid):
    """What the kernel says of the process's memory, for a failure message."""
    fields = ("VmRSS", "VmHWM", "RssAnon", "RssFile", "RssShmem", "Threads")
    return ", ".join(f"{field} {status_kib(pid, field)}" for field in fields)
