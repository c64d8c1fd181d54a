"""Bad input, byte for byte: a table of raw requests, each written to a fresh TCP connection.

Every case names the exact bytes sent, the HTTP status and `__type` expected back (None when the
answer is not an AWS error: a success, a control-plane answer), and whether the server must close
the connection afterwards.  A connection that must stay open is proved open by a second, valid
request on it.  After the whole suite the store must be unchanged (the control plane's dump and
the SQLite rows, read directly) and the server alive and serving.

The HTTP responses are read by a small raw reader (status line, headers, Content-Length or
chunked body) with socket timeouts, not by http.client, so malformed exchanges are seen as is.
"""

import json
import socket
import sqlite3
import tempfile
import threading
import time
import unittest
from dataclasses import dataclass, field
from typing import Optional

import mock_server
from mock_server import CONTENT_TYPE, UUID_RE, MockServer, default_fixtures, kill_leftovers

LIST = "RekognitionService.ListMediaAnalysisJobs"
GET = "RekognitionService.GetMediaAnalysisJob"
START = "RekognitionService.StartMediaAnalysisJob"

SOCKET_TIMEOUT = 3.0  # no single exchange may take longer; a hang fails the case
CLOSE_TIMEOUT = 2.0  # how long a connection that must close may take to do so

SERIALIZATION = "SerializationException"
UNKNOWN_OP = "UnknownOperationException"
INVALID_PARAM = "InvalidParameterException"
INVALID_TOKEN = "InvalidPaginationTokenException"
NOT_FOUND = "ResourceNotFoundException"

AWS_ERROR_KEYS = {"__type", "Code", "Logref", "Message"}

# A well-formed JobId that no fixture uses.
UNKNOWN_JOB_ID = "0" * 64


# --------------------------------------------------------------------------------------------
# Building raw requests

def raw(method="POST", path="/", version="HTTP/1.1", target=LIST, body=b"", headers=(),
        content_length=True, host="127.0.0.1"):
    """The bytes of one request. `headers` are extra "Name: value" lines (str, latin-1); `host`
    None sends no Host field."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    lines = [f"{method} {path} {version}", f"Content-Type: {CONTENT_TYPE}"]
    if host is not None:
        lines.insert(1, f"Host: {host}")
    if target is not None:
        lines.append(f"X-Amz-Target: {target}")
    lines.extend(headers)
    if content_length:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def list_req(body, **kwargs):
    return raw(target=LIST, body=body, **kwargs)


def get_req(body, **kwargs):
    return raw(target=GET, body=body, **kwargs)


def start_req(body, **kwargs):
    return raw(target=START, body=body, **kwargs)


def control_req(method, path, body=b"", **kwargs):
    return raw(method=method, path=path, target=None, body=body, **kwargs)


def j(value):
    return json.dumps(value)


def valid_start():
    """A StartMediaAnalysisJob body that would create a job; cases always break it somewhere."""
    return mock_server.start_request(JobName="bad-input-case")


def start_without(dotted):
    """A valid Start body with the member at `dotted` (e.g. "Input.S3Object.Bucket") removed."""
    body = valid_start()
    *parents, last = dotted.split(".")
    node = body
    for name in parents:
        node = node[name]
    del node[last]
    return j(body)


def start_with(dotted, value):
    """A valid Start body with the member at `dotted` set to `value` (JSON value)."""
    body = valid_start()
    *parents, last = dotted.split(".")
    node = body
    for name in parents:
        node = node.setdefault(name, {})
    node[last] = value
    return j(body)


def chunked(body_chunks, target=LIST, trailer=b"0\r\n\r\n"):
    head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: {CONTENT_TYPE}\r\n"
            + (f"X-Amz-Target: {target}\r\n" if target is not None else "")
            + "Transfer-Encoding: chunked\r\n\r\n").encode()
    return head + b"".join(body_chunks) + trailer


def chunks(*pieces):
    """Each piece as one correctly sized chunk."""
    return [b"%x\r\n" % len(p) + p + b"\r\n" for p in pieces]


def nested_objects(levels):
    """A request object that is `levels` JSON objects deep in total (the top one included)."""
    return '{"A":' * (levels - 1) + "{}" + "}" * (levels - 1)


# --------------------------------------------------------------------------------------------
# Reading raw responses

class RawResponse:
    def __init__(self, version, status, reason, headers, body):
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers  # lower-case name -> value (last one wins)
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    @property
    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def __repr__(self):
        return (f"RawResponse({self.version} {self.status} {self.reason!r}, "
                f"headers={self.headers!r}, body={self.body[:400]!r})")


class RawConnection:
    """One TCP connection with a byte buffer: write raw bytes, read HTTP/1.x responses."""

    def __init__(self, host, port, timeout=SOCKET_TIMEOUT):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.timeout = timeout
        self.buf = b""

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError(f"connection closed by the server; unparsed bytes: {self.buf[:200]!r}")
        self.buf += chunk

    def _line(self):
        while b"\r\n" not in self.buf:
            if len(self.buf) > 65536:
                raise AssertionError(f"no line end in {self.buf[:200]!r}")
            self._fill()
        line, _, self.buf = self.buf.partition(b"\r\n")
        return line

    def _exact(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read_response(self, head=False):
        """One response. `head`: it answers a HEAD request, so it has no body whatever it says."""
        self.sock.settimeout(self.timeout)
        status_line = self._line()
        parts = status_line.decode("latin-1").split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
            raise AssertionError(f"bad status line {status_line!r}")
        version, status = parts[0], int(parts[1])
        reason = parts[2] if len(parts) > 2 else ""
        headers = {}
        while True:
            line = self._line()
            if not line:
                break
            name, sep, value = line.decode("latin-1").partition(":")
            if not sep:
                raise AssertionError(f"bad header line {line!r}")
            headers[name.strip().lower()] = value.strip()
        if head or 100 <= status < 200 or status in (204, 304):
            body = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            body = b""
            while True:
                size = int(self._line().split(b";")[0], 16)
                if size == 0:
                    while self._line():
                        pass
                    break
                body += self._exact(size)
                if self._exact(2) != b"\r\n":
                    raise AssertionError("chunk not followed by CRLF")
        elif "content-length" in headers:
            body = self._exact(int(headers["content-length"]))
        else:  # delimited by the close
            while True:
                try:
                    self._fill()
                except EOFError:
                    break
            body, self.buf = self.buf, b""
        return RawResponse(version, status, reason, headers, body)

    def closed_by_peer(self, timeout=CLOSE_TIMEOUT):
        """True when the server closes (FIN or RST) with no further bytes within `timeout`."""
        if self.buf:
            return False
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(1)
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True
        finally:
            self.sock.settimeout(self.timeout)
        if data:
            self.buf += data
            return False
        return True


# --------------------------------------------------------------------------------------------
# The table

@dataclass
class Case:
    name: str
    data: bytes
    status: int
    error_type: Optional[str]  # the AWS __type; None for successes and control-plane answers
    close: bool  # must the server close the connection after answering?
    head: bool = False  # the request is a HEAD: the response carries no body
    control: bool = False  # a control-plane answer ({"Error", "Message"} on failure)
    extra: dict = field(default_factory=dict)


def C(name, data, status, error_type, close=False, **kwargs):
    return Case(name, data, status, error_type, close, **kwargs)


VALID_LIST = list_req(j({"MaxResults": 1}))

CASES = [
    # ---- X-Amz-Target and method: only a known RekognitionService.<Operation> is served ----
    C("target missing", raw(target=None, body="{}"), 400, UNKNOWN_OP),
    C("target empty", raw(target="", body="{}"), 400, UNKNOWN_OP),
    C("target whitespace only", raw(target="   \t ", body="{}"), 400, UNKNOWN_OP),
    C("target without prefix", raw(target="ListMediaAnalysisJobs", body="{}"), 400, UNKNOWN_OP),
    C("target lowercase prefix", raw(target="rekognitionservice.ListMediaAnalysisJobs", body="{}"),
      400, UNKNOWN_OP),
    C("target lowercase operation", raw(target="RekognitionService.listmediaanalysisjobs",
                                        body="{}"), 400, UNKNOWN_OP),
    C("target other service", raw(target="AmazonSQS.ListQueues", body="{}"), 400, UNKNOWN_OP),
    C("target unknown operation", raw(target="RekognitionService.DetectLabels", body="{}"),
      400, UNKNOWN_OP),
    C("target prefix only", raw(target="RekognitionService.", body="{}"), 400, UNKNOWN_OP),
    C("target with unicode", raw(target="RekognitionService.List\u00e9", body="{}"), 400,
      UNKNOWN_OP),
    C("unknown target wins over a malformed body", raw(target="RekognitionService.Nope",
                                                       body="{not json"), 400, UNKNOWN_OP),
    C("GET without target", raw(method="GET", target=None), 400, UNKNOWN_OP),
    C("PUT unknown target", raw(method="PUT", target="RekognitionService.Nope", body="{}"), 400,
      UNKNOWN_OP),
    C("DELETE without target on another path", raw(method="DELETE", path="/jobs", target=None),
      400, UNKNOWN_OP),
    C("HEAD without target", raw(method="HEAD", target=None), 400, UNKNOWN_OP, head=True),
    C("path /_mockery (not control) without target goes to AWS",
      raw(path="/_mockery", target=None, body="{}"), 400, UNKNOWN_OP),
    # The AWS JSON protocol is POST only: a known target over another method is unknown.
    C("GET with a known target", raw(method="GET", body=j({"MaxResults": 1})),
      400, UNKNOWN_OP),
    C("PUT with a known target", raw(method="PUT", body=j({"MaxResults": 1})),
      400, UNKNOWN_OP),
    C("target padded with optional whitespace (trimmed, served)",
      raw(target=f"   {LIST}  ", body=j({"MaxResults": 1})), 200, None),

    # ---- control plane: plain JSON {"Error", "Message"}, never an AWS error ----
    C("control: unknown /_mock/ path", control_req("GET", "/_mock/nope"), 404, None,
      control=True),
    C("control: PUT on localstack health", control_req("PUT", "/_localstack/health"), 405, None,
      control=True),
    C("control: seed with malformed JSON", control_req("POST", "/_mock/jobs", body="[{"), 400,
      None, control=True),
    C("control: seed with an invalid job (all or nothing)",
      control_req("POST", "/_mock/jobs", body=j([{"JobId": "bad id"}])), 400, None,
      control=True),
    C("control: localstack health", control_req("GET", "/_localstack/health"), 200, None,
      control=True),

    # ---- body: JSON syntax ----
    C("empty body is {}", list_req(""), 200, None),
    C("truncated object", list_req('{"MaxResults": 1'), 400, SERIALIZATION),
    C("truncated string", list_req('{"NextToken": "abc'), 400, SERIALIZATION),
    C("trailing comma", list_req('{"MaxResults": 1,}'), 400, SERIALIZATION),
    C("single quotes", list_req("{'MaxResults': 1}"), 400, SERIALIZATION),
    C("bare word", list_req("hello"), 400, SERIALIZATION),
    C("unquoted key", list_req("{MaxResults: 1}"), 400, SERIALIZATION),
    C("NaN", list_req('{"MaxResults": NaN}'), 400, SERIALIZATION),
    C("Infinity", list_req('{"MaxResults": Infinity}'), 400, SERIALIZATION),
    C("line comment", list_req('{"MaxResults": 1} // c'), 400, SERIALIZATION),
    C("block comment", list_req('{/* c */"MaxResults": 1}'), 400, SERIALIZATION),
    C("two objects", list_req("{}{}"), 400, SERIALIZATION),
    C("whitespace only", list_req("   \r\n "), 400, SERIALIZATION),
    C("array", list_req("[]"), 400, SERIALIZATION),
    C("string", list_req('"{}"'), 400, SERIALIZATION),
    C("number", list_req("5"), 400, SERIALIZATION),
    C("true", list_req("true"), 400, SERIALIZATION),
    C("null", list_req("null"), 400, SERIALIZATION),
    C("32 nested objects", list_req(nested_objects(32)), 200, None),
    C("33 nested objects", list_req(nested_objects(33)), 400, SERIALIZATION),
    C("34 nested objects", list_req(nested_objects(34)), 400, SERIALIZATION),
    C("40 nested arrays", list_req('{"A":' + "[" * 39 + "]" * 39 + "}"), 400, SERIALIZATION),
    C("10000 nested arrays", list_req('{"A":' + "[" * 10000 + "]" * 10000 + "}"), 400,
      SERIALIZATION),
    C("invalid UTF-8 in a string", list_req(b'{"NextToken": "\xff\xfe"}'), 400, SERIALIZATION),
    C("overlong UTF-8 in a string", list_req(b'{"NextToken": "\xc0\xaf"}'), 400, SERIALIZATION),
    C("lone surrogate escape", list_req(b'{"NextToken": "\\ud800"}'), 400, SERIALIZATION),
    C("raw NUL in a string", list_req(b'{"NextToken": "a\x00b"}'), 400, SERIALIZATION),
    C("raw control character in a string", list_req(b'{"NextToken": "a\x01b"}'), 400,
      SERIALIZATION),
    C("raw newline in a string", list_req(b'{"NextToken": "a\nb"}'), 400, SERIALIZATION),
    C("invalid escape", list_req(b'{"NextToken": "\\x41"}'), 400, SERIALIZATION),
    # Pinned: nlohmann skips a UTF-8 byte order mark before the value.
    C("UTF-8 BOM before the object (pinned: accepted)", list_req(b"\xef\xbb\xbf{}"), 200, None),
    # Pinned: duplicate keys are accepted, the last one wins (500 would be rejected).
    C("duplicate key, last wins", list_req('{"MaxResults": 500, "MaxResults": 5}'), 200, None,
      extra={"jobs": 5}),
    C("duplicate key, last is invalid", list_req('{"MaxResults": 5, "MaxResults": 500}'), 400,
      INVALID_PARAM),

    # ---- ListMediaAnalysisJobs members ----
    C("MaxResults 1e400", list_req('{"MaxResults": 1e400}'), 400, SERIALIZATION),
    C("MaxResults 1.5", list_req('{"MaxResults": 1.5}'), 400, SERIALIZATION),
    C("MaxResults 1e2", list_req('{"MaxResults": 1e2}'), 400, SERIALIZATION),
    C("MaxResults 5.0", list_req('{"MaxResults": 5.0}'), 400, SERIALIZATION),
    C("MaxResults string", list_req('{"MaxResults": "10"}'), 400, SERIALIZATION),
    C("MaxResults true", list_req('{"MaxResults": true}'), 400, SERIALIZATION),
    C("MaxResults object", list_req('{"MaxResults": {}}'), 400, SERIALIZATION),
    C("MaxResults 2147483648", list_req('{"MaxResults": 2147483648}'), 400, SERIALIZATION),
    C("MaxResults -2147483649", list_req('{"MaxResults": -2147483649}'), 400, SERIALIZATION),
    C("MaxResults 2^64", list_req('{"MaxResults": 18446744073709551616}'), 400, SERIALIZATION),
    C("MaxResults 0", list_req('{"MaxResults": 0}'), 400, INVALID_PARAM),
    C("MaxResults -0", list_req('{"MaxResults": -0}'), 400, INVALID_PARAM),
    C("MaxResults -1", list_req('{"MaxResults": -1}'), 400, INVALID_PARAM),
    C("MaxResults 101", list_req('{"MaxResults": 101}'), 400, INVALID_PARAM),
    C("MaxResults 2147483647", list_req('{"MaxResults": 2147483647}'), 400, INVALID_PARAM),
    C("MaxResults null is absent", list_req('{"MaxResults": null}'), 200, None),
    C("NextToken number", list_req('{"NextToken": 5}'), 400, SERIALIZATION),
    C("NextToken object", list_req('{"NextToken": {}}'), 400, SERIALIZATION),
    C("NextToken array", list_req('{"NextToken": []}'), 400, SERIALIZATION),
    C("NextToken garbage", list_req(j({"NextToken": "garbage"})), 400, INVALID_TOKEN),
    C("NextToken 1025 chars", list_req(j({"NextToken": "A" * 1025})), 400, INVALID_TOKEN),
    C("NextToken with NUL", list_req(j({"NextToken": "abc\u0000def"})), 400, INVALID_TOKEN),
    C("NextToken with unicode", list_req(j({"NextToken": "t\u00f6k\u00e9n\U0001F600"})), 400,
      INVALID_TOKEN),
    C("NextToken raw UTF-8", list_req('{"NextToken": "t\u00f6k\u00e9n\U0001F600"}'), 400,
      INVALID_TOKEN),
    C("unknown members are ignored", list_req(j({"MaxResults": 1, "Bogus": [1, {"x": None}]})),
      200, None),

    # ---- GetMediaAnalysisJob ----
    C("Get JobId missing", get_req("{}"), 400, INVALID_PARAM),
    C("Get empty body", get_req(""), 400, INVALID_PARAM),
    C("Get JobId null", get_req('{"JobId": null}'), 400, INVALID_PARAM),
    C("Get JobId empty", get_req(j({"JobId": ""})), 400, INVALID_PARAM),
    C("Get JobId 65 chars", get_req(j({"JobId": "a" * 65})), 400, INVALID_PARAM),
    C("Get JobId with a space", get_req(j({"JobId": "bad id"})), 400, INVALID_PARAM),
    C("Get JobId unicode", get_req(j({"JobId": "job\u00e9"})), 400, INVALID_PARAM),
    C("Get JobId with NUL", get_req(j({"JobId": "abc\u0000"})), 400, INVALID_PARAM),
    C("Get JobId number", get_req('{"JobId": 5}'), 400, SERIALIZATION),
    C("Get JobId array", get_req('{"JobId": ["a"]}'), 400, SERIALIZATION),
    C("Get JobId well-formed but unknown", get_req(j({"JobId": UNKNOWN_JOB_ID})), 400, NOT_FOUND),

    # ---- StartMediaAnalysisJob (never a valid one: the store must not change) ----
    C("Start empty body", start_req(""), 400, INVALID_PARAM),
    C("Start OperationsConfig missing", start_req(start_without("OperationsConfig")), 400,
      INVALID_PARAM),
    C("Start Input missing", start_req(start_without("Input")), 400, INVALID_PARAM),
    C("Start Input.S3Object missing", start_req(start_without("Input.S3Object")), 400,
      INVALID_PARAM),
    C("Start Input.S3Object.Bucket missing", start_req(start_without("Input.S3Object.Bucket")),
      400, INVALID_PARAM),
    C("Start Input.S3Object.Name missing", start_req(start_without("Input.S3Object.Name")), 400,
      INVALID_PARAM),
    C("Start OutputConfig missing", start_req(start_without("OutputConfig")), 400, INVALID_PARAM),
    C("Start OutputConfig.S3Bucket missing", start_req(start_without("OutputConfig.S3Bucket")),
      400, INVALID_PARAM),
    C("Start OutputConfig null", start_req(start_with("OutputConfig", None)), 400, INVALID_PARAM),
    C("Start OperationsConfig string", start_req(start_with("OperationsConfig", "x")), 400,
      SERIALIZATION),
    C("Start Input array", start_req(start_with("Input", [])), 400, SERIALIZATION),
    C("Start Input.S3Object.Bucket number", start_req(start_with("Input.S3Object.Bucket", 5)), 400,
      SERIALIZATION),
    C("Start OutputConfig.S3Bucket true", start_req(start_with("OutputConfig.S3Bucket", True)),
      400, SERIALIZATION),
    C("Start JobName number", start_req(start_with("JobName", 5)), 400, SERIALIZATION),
    C("Start ClientRequestToken object", start_req(start_with("ClientRequestToken", {})), 400,
      SERIALIZATION),
    C("Start MinConfidence string",
      start_req(start_with("OperationsConfig.DetectModerationLabels.MinConfidence", "50")), 400,
      SERIALIZATION),
    C("Start MinConfidence 100.5",
      start_req(start_with("OperationsConfig.DetectModerationLabels.MinConfidence", 100.5)), 400,
      INVALID_PARAM),
    C("Start MinConfidence -1",
      start_req(start_with("OperationsConfig.DetectModerationLabels.MinConfidence", -1)), 400,
      INVALID_PARAM),
    C("Start MinConfidence 1e400",
      start_req(start_with("OperationsConfig.DetectModerationLabels.MinConfidence", 0)
                .replace('"MinConfidence": 0', '"MinConfidence": 1e400')), 400, SERIALIZATION),
    C("Start JobName with a space", start_req(start_with("JobName", "bad name")), 400,
      INVALID_PARAM),
    C("Start Bucket too short", start_req(start_with("Input.S3Object.Bucket", "ab")), 400,
      INVALID_PARAM),
    C("Start ClientRequestToken with a slash", start_req(start_with("ClientRequestToken", "a/b")),
      400, INVALID_PARAM),
    # Everything valid up to the last member read (KmsKeyId): proves nothing is written early.
    C("Start invalid in its last member (KmsKeyId)", start_req(start_with("KmsKeyId", "!nope")),
      400, INVALID_PARAM),
    C("Start invalid S3KeyPrefix with a space",
      start_req(start_with("OutputConfig.S3KeyPrefix", "a b/")), 400, INVALID_PARAM),

    # ---- HTTP framing ----
    C("garbage request line", b"HELLO\r\n\r\n", 400, SERIALIZATION, close=True),
    C("request line without version", b"POST /\r\n\r\n", 400, SERIALIZATION, close=True),
    C("bad version HTTP/9.9", raw(version="HTTP/9.9", body="{}"), 400, SERIALIZATION,
      close=True),
    C("bad version HTTP/1.x", raw(version="HTTP/1.x", body="{}"), 400, SERIALIZATION, close=True),
    C("NUL in a header value", raw(body="{}", headers=["X-Custom: a\x00b"]), 400, SERIALIZATION,
      close=True),
    C("NUL in the target header", raw(target=LIST + "\x00", body="{}"), 400, SERIALIZATION,
      close=True),
    C("header without colon", raw(body="{}", headers=["NoColonHere"]), 400, SERIALIZATION,
      close=True),
    C("space before header colon", raw(body="{}", headers=["X-Custom : v"]), 400, SERIALIZATION,
      close=True),
    C("non-numeric Content-Length",
      raw(body="{}", content_length=False, headers=["Content-Length: abc"]), 400, SERIALIZATION,
      close=True),
    C("negative Content-Length",
      raw(body="{}", content_length=False, headers=["Content-Length: -2"]), 400, SERIALIZATION,
      close=True),
    C("two different Content-Lengths",
      raw(body="{}", content_length=False, headers=["Content-Length: 2", "Content-Length: 3"]),
      400, SERIALIZATION, close=True),
    C("chunked, valid", chunked(chunks(b'{"M', b'axResults": ', b"1}")), 200, None,
      extra={"jobs": 1}),
    C("chunked, valid with an extension and upper-case size",
      chunked([b"A;ext=1\r\n" + b'{"MaxResul' + b"\r\n", *chunks(b'ts": 2}')]), 200, None,
      extra={"jobs": 2}),
    C("chunked, size not hex", chunked([b"zz\r\n{}\r\n"]), 400, SERIALIZATION, close=True),
    C("chunked, size overflows 64 bits", chunked([b"1ffffffffffffffff\r\n{}\r\n"]), 400,
      SERIALIZATION, close=True),
    C("chunked, empty size line", chunked([b"\r\n{}\r\n"]), 400, SERIALIZATION, close=True),
    C("chunked, negative size", chunked([b"-2\r\n{}\r\n"]), 400, SERIALIZATION, close=True),
    C("chunked, missing CRLF after data", chunked([b"2\r\n{}XX"]), 400, SERIALIZATION,
      close=True),
    # A final coding other than chunked leaves the length unknown (RFC 9112 6.3): 400, closed,
    # and the body is never read as a request of its own.
    C("Transfer-Encoding gzip",
      raw(body=j({"MaxResults": 1}), content_length=False, headers=["Transfer-Encoding: gzip"]),
      400, SERIALIZATION, close=True),
    C("Transfer-Encoding chunked, gzip",
      raw(body=b"2\r\n{}\r\n0\r\n\r\n", content_length=False,
          headers=["Transfer-Encoding: chunked, gzip"]), 400, SERIALIZATION, close=True),
    C("Transfer-Encoding xchunked",
      raw(body=b"2\r\n{}\r\n0\r\n\r\n", content_length=False,
          headers=["Transfer-Encoding: xchunked"]), 400, SERIALIZATION, close=True),
    C("Transfer-Encoding chunked twice in one list",
      raw(body=b"2\r\n{}\r\n0\r\n\r\n", content_length=False,
          headers=["Transfer-Encoding: chunked, chunked"]), 400, SERIALIZATION, close=True),
    C("Transfer-Encoding chunked, then gzip on a second line",
      raw(body=b"2\r\n{}\r\n0\r\n\r\n", content_length=False,
          headers=["Transfer-Encoding: chunked", "Transfer-Encoding: gzip"]), 400,
      SERIALIZATION, close=True),
    C("Transfer-Encoding with Content-Length",
      raw(body=b"2\r\n{}\r\n0\r\n\r\n", headers=["Transfer-Encoding: gzip"]), 400,
      SERIALIZATION, close=True),
    C("Transfer-Encoding in HTTP/1.0",
      raw(version="HTTP/1.0", body=b"2\r\n{}\r\n0\r\n\r\n", content_length=False,
          headers=["Transfer-Encoding: chunked"]), 400, SERIALIZATION, close=True),
    # Framed soundly, but with a coding this mock does not implement (RFC 9112 6.1).
    C("Transfer-Encoding gzip, chunked",
      raw(body=b"2\r\n{}\r\n0\r\n\r\n", content_length=False,
          headers=["Transfer-Encoding: gzip, chunked"]), 501, SERIALIZATION, close=True),
    # RFC 9112 3.2: Host is required in HTTP/1.1 and may appear once.
    C("HTTP/1.1 without Host", raw(body=j({"MaxResults": 1}), host=None), 400, SERIALIZATION,
      close=True),
    C("two Host fields", raw(body=j({"MaxResults": 1}), headers=["Host: example.com"]), 400,
      SERIALIZATION, close=True),
    C("HTTP/1.0 without Host (served)",
      raw(version="HTTP/1.0", body=j({"MaxResults": 1}), host=None), 200, None, close=True),
    # Trailer fields are dropped, never merged into the header: they cannot choose the operation.
    C("chunked, trailer supplies the missing target",
      chunked(chunks(b"{}"), target=None, trailer=f"0\r\nX-Amz-Target: {LIST}\r\n\r\n".encode()),
      400, UNKNOWN_OP),
    C("chunked, trailer repeats the target with another operation",
      chunked(chunks(j({"MaxResults": 2}).encode()),
              trailer=f"0\r\nX-Amz-Target: {GET}\r\nX-Other: 1\r\n\r\n".encode()),
      200, None, extra={"jobs": 2}),
    C("chunked, a chunk extension over 16 KiB",
      chunked([b"2;e=" + b"x" * (17 * 1024) + b"\r\n{}\r\n"]), 400, SERIALIZATION, close=True),
    C("chunked, a trailer section over 16 KiB",
      chunked(chunks(b"{}"), trailer=b"0\r\nX-Pad: " + b"p" * (17 * 1024) + b"\r\n\r\n"), 400,
      SERIALIZATION, close=True),
    C("HTTP/1.0 without keep-alive", raw(version="HTTP/1.0", body=j({"MaxResults": 1})), 200,
      None, close=True),
    C("HTTP/1.0 error without keep-alive", raw(version="HTTP/1.0", target=None, body="{}"), 400,
      UNKNOWN_OP, close=True),
    C("HTTP/1.0 with keep-alive", raw(version="HTTP/1.0", body=j({"MaxResults": 1}),
                                       headers=["Connection: keep-alive"]), 200, None),
    C("HTTP/1.1 Connection: close on an error", raw(target=None, body="{}",
                                                   headers=["Connection: close"]), 400,
      UNKNOWN_OP, close=True),
]


# --------------------------------------------------------------------------------------------
# The store, read from outside the server

def read_store(path):
    """Every row of media_analysis_jobs and start_requests, sorted, read-only."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        tables = {}
        for table, key in (("media_analysis_jobs", "job_id"),
                           ("start_requests", "account, region, client_request_token")):
            cursor = db.execute(f"SELECT * FROM {table} ORDER BY {key}")
            columns = [d[0] for d in cursor.description]
            tables[table] = [dict(zip(columns, row)) for row in cursor.fetchall()]
        return tables
    finally:
        db.close()


class BadInputTest(mock_server.ServerTestCase):
    """One server with a file store shared by every test; nothing may change its jobs."""

    server = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._dir = tempfile.TemporaryDirectory(prefix="rekmock-bad-input-")
        cls.db_path = f"{cls._dir.name}/store.sqlite"
        cls.server = MockServer("--db", cls.db_path, "--fixtures", default_fixtures(),
                                "--log-level", "warn").start()
        cls.dump_before = cls._dump()
        cls.rows_before = read_store(cls.db_path)

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server is not None and cls.server.proc.poll() is None:
                cls.server.stop()
        finally:
            kill_leftovers()
            cls._dir.cleanup()
            super().tearDownClass()

    def setUp(self):
        unittest.TestCase.setUp(self)

    def tearDown(self):
        # The shared server must survive individual tests: do not kill leftovers here.
        unittest.TestCase.tearDown(self)

    @classmethod
    def _dump(cls):
        resp = mock_server.control(cls.server, "GET", "/_mock/jobs")
        if resp.status != 200:
            raise AssertionError(f"GET /_mock/jobs failed: {resp!r}")
        return resp.json

    def connect(self):
        conn = RawConnection(self.server.host, self.server.port)
        self.addCleanup(conn.close)
        return conn

    # -- checks ---------------------------------------------------------------------------
    def check_response(self, case, resp):
        ctx = f"case {case.name!r}: sent {case.data[:300]!r}\ngot {resp!r}"
        self.assertEqual(resp.status, case.status, ctx)
        if case.control:
            self.assertEqual(resp.header("Content-Type"), "application/json", ctx)
            body = resp.json
            self.assertIsInstance(body, dict, ctx)
            self.assertNotIn("__type", body, ctx)
            self.assertIsNone(resp.header("x-amzn-ErrorType"), ctx)
            if resp.status >= 400:
                self.assertEqual(set(body), {"Error", "Message"}, ctx)
            return
        self.assertEqual(resp.header("Content-Type"), CONTENT_TYPE, ctx)
        self.assertRegex(resp.header("x-amzn-RequestId") or "", UUID_RE, ctx)
        if case.error_type is None:
            self.assertIsNone(resp.header("x-amzn-ErrorType"), ctx)
            body = resp.json
            self.assertIsInstance(body, dict, ctx)
            self.assertIn("MediaAnalysisJobs", body, ctx)
            if "jobs" in case.extra:
                self.assertEqual(len(body["MediaAnalysisJobs"]), case.extra["jobs"], ctx)
            return
        self.assertEqual(resp.header("x-amzn-ErrorType"), case.error_type, ctx)
        if case.head:
            self.assertEqual(resp.body, b"", ctx)
            return
        body = resp.json
        self.assertIsInstance(body, dict, ctx)
        self.assertEqual(set(body), AWS_ERROR_KEYS, ctx)
        self.assertEqual(body["__type"], case.error_type, ctx)
        self.assertEqual(body["Code"], case.error_type, ctx)
        self.assertIsInstance(body["Logref"], str, ctx)
        self.assertTrue(body["Logref"], ctx)
        self.assertIsInstance(body["Message"], str, ctx)
        self.assertTrue(body["Message"], ctx)

    def check_connection(self, case, conn):
        ctx = f"case {case.name!r}: sent {case.data[:300]!r}"
        if case.close:
            self.assertTrue(conn.closed_by_peer(), f"{ctx}: connection not closed")
            return
        # Still open and in sync: a valid request on it is answered normally.
        try:
            conn.send(VALID_LIST)
            follow = conn.read_response()
        except (OSError, EOFError, AssertionError) as e:
            self.fail(f"{ctx}: connection unusable after the response: {e!r}; "
                      f"buffered {conn.buf[:300]!r}")
        self.assertEqual(follow.status, 200, f"{ctx}: follow-up request got {follow!r}")
        self.assertEqual(len(follow.json["MediaAnalysisJobs"]), 1, ctx)

    # -- the table ------------------------------------------------------------------------
    def test_table(self):
        self.assertGreaterEqual(len(CASES), 70)
        self.assertEqual(len({c.name for c in CASES}), len(CASES), "case names must be unique")
        for case in CASES:
            with self.subTest(case.name):
                conn = self.connect()
                try:
                    conn.send(case.data)
                    resp = conn.read_response(head=case.head)
                except (OSError, EOFError, AssertionError) as e:
                    self.fail(f"case {case.name!r}: sent {case.data[:300]!r}: no response: {e!r}")
                self.check_response(case, resp)
                self.check_connection(case, conn)
                conn.close()

    # -- connection-level behaviours --------------------------------------------------------
    def _send_in_background(self, conn, data):
        errors = []

        def run():
            try:
                conn.sock.sendall(data)
            except OSError as e:  # the server may close (and reset) before reading it all
                errors.append(e)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def assertClosingAwsError(self, conn, status, error_type, what):
        try:
            resp = conn.read_response()
        except (OSError, EOFError) as e:
            self.fail(f"{what}: no response ({e!r})")
        self.assertEqual(resp.status, status, f"{what}: {resp!r}")
        self.assertEqual(resp.header("x-amzn-ErrorType"), error_type, f"{what}: {resp!r}")
        self.assertEqual(resp.json["__type"], error_type, f"{what}: {resp!r}")
        self.assertEqual(resp.header("Connection"), "close", f"{what}: {resp!r}")
        self.assertTrue(conn.closed_by_peer(), f"{what}: connection not closed")

    def test_body_over_1_mib_is_413_and_closed(self):
        conn = self.connect()
        body = b"{" + b" " * (1024 * 1024 - 1) + b"}"  # 1 MiB + 1 byte, valid JSON
        self.assertEqual(len(body), 1048577)
        thread = self._send_in_background(conn, list_req(body))
        self.assertClosingAwsError(conn, 413, SERIALIZATION, "1 MiB + 1 body")
        thread.join(5)

    def test_body_of_exactly_1_mib_is_served(self):
        conn = self.connect()
        body = b'{"MaxResults": 1' + b" " * (1024 * 1024 - 17) + b"}"
        self.assertEqual(len(body), 1048576)
        thread = self._send_in_background(conn, list_req(body))
        resp = conn.read_response()
        thread.join(5)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(len(resp.json["MediaAnalysisJobs"]), 1)

    def test_headers_over_16_kib_are_431_and_closed(self):
        conn = self.connect()
        data = raw(body="{}", headers=["X-Padding: " + "p" * (17 * 1024)])
        thread = self._send_in_background(conn, data)
        self.assertClosingAwsError(conn, 431, SERIALIZATION, "17 KiB header")
        thread.join(5)

    # -- every byte counts against a limit ----------------------------------------------------
    STREAM_BYTES = 64 * 1024 * 1024
    STREAM_SECONDS = 20.0
    RSS_GROWTH_KIB = 16 * 1024

    def rss_kib(self):
        with open(f"/proc/{self.server.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS in /proc/PID/status")

    def assertStreamCutShort(self, head, filler, what, status=400):
        """Send `head`, then `filler` repeatedly (up to STREAM_BYTES, for STREAM_SECONDS at
        most): the server must stop reading long before the end, with a 400 or a reset, and its
        RSS must not follow the stream."""
        before = self.rss_kib()
        conn = self.connect()
        responses = []

        def read():
            try:
                responses.append(conn.read_response())
            except (OSError, EOFError, AssertionError) as e:
                responses.append(e)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        sent = 0
        deadline = time.monotonic() + self.STREAM_SECONDS
        conn.sock.settimeout(self.STREAM_SECONDS)
        try:
            conn.sock.sendall(head)
            while sent < self.STREAM_BYTES and time.monotonic() < deadline:
                conn.sock.sendall(filler)
                sent += len(filler)
        except OSError:
            pass
        reader.join(SOCKET_TIMEOUT)
        growth = self.rss_kib() - before
        self.assertLess(sent, self.STREAM_BYTES, f"{what}: the server read all {sent} bytes")
        self.assertLess(growth, self.RSS_GROWTH_KIB, f"{what}: RSS grew by {growth} KiB")
        if responses and isinstance(responses[0], RawResponse):
            self.assertEqual(responses[0].status, status, f"{what}: {responses[0]!r}")
            self.assertEqual(responses[0].json["__type"], SERIALIZATION, what)

    def test_chunk_size_line_that_never_ends_is_cut_short(self):
        self.assertStreamCutShort(chunked([b"2;ext="], trailer=b""), b"x" * 65536,
                                  "endless chunk extension")

    def test_trailer_section_that_never_ends_is_cut_short(self):
        self.assertStreamCutShort(chunked(chunks(b"{}"), trailer=b"0\r\n"),
                                  b"X-Pad: " + b"p" * 65529 + b"\r\n", "endless trailer section")

    def test_request_line_that_never_ends_is_cut_short(self):
        self.assertStreamCutShort(b"POST /", b"a" * 65536, "endless request target", status=431)

    # -- a refusal the client can read -------------------------------------------------------
    def test_413_is_read_by_a_client_that_sends_everything_first(self):
        # The server answers at the header and closes; unread input at close would make the
        # kernel send a reset, and a client still sending would see a broken pipe instead.
        for size in (1_100_000, 5_000_000):
            data = list_req(b"{" + b" " * (size - 2) + b"}")
            for attempt in range(20):
                with self.subTest(size=size, attempt=attempt):
                    with RawConnection(self.server.host, self.server.port) as conn:
                        try:
                            conn.send(data)
                            resp = conn.read_response()
                        except (OSError, EOFError) as e:
                            self.fail(f"{size}-byte body, try {attempt}: {e!r}")
                        self.assertEqual(resp.status, 413, resp)
                        self.assertTrue(conn.closed_by_peer())

    def test_content_length_larger_than_sent_then_half_close(self):
        # The server must not hang: it answers 400 (partial message) or just closes.
        conn = self.connect()
        conn.send(raw(body="{}", content_length=False, headers=["Content-Length: 100"]))
        conn.sock.shutdown(socket.SHUT_WR)
        started = time.monotonic()
        try:
            resp = conn.read_response()
        except EOFError:
            resp = None
        self.assertLess(time.monotonic() - started, SOCKET_TIMEOUT)
        if resp is not None:
            self.assertEqual(resp.status, 400, resp)
            self.assertEqual(resp.json["__type"], SERIALIZATION, resp)
        self.assertTrue(conn.closed_by_peer())

    def test_content_length_larger_than_sent_then_close(self):
        conn = RawConnection(self.server.host, self.server.port)
        conn.send(raw(body="{}", content_length=False, headers=["Content-Length: 100"]))
        conn.close()
        # The server shrugs it off and goes on serving.
        with RawConnection(self.server.host, self.server.port) as probe:
            probe.send(VALID_LIST)
            self.assertEqual(probe.read_response().status, 200)

    def test_missing_content_length_body_becomes_next_request(self):
        # Pinned: a POST without Content-Length or chunking has no body (RFC 9112 6.3), so the
        # request is served as {} (every job) and its would-be body is parsed as the next
        # request line: 400 bad method, then close.
        conn = self.connect()
        conn.send(list_req(j({"MaxResults": 1}), content_length=False))
        first = conn.read_response()
        self.assertEqual(first.status, 200, first)
        self.assertGreater(len(first.json["MediaAnalysisJobs"]), 1, "body must have been ignored")
        second = conn.read_response()
        self.assertEqual(second.status, 400, second)
        self.assertEqual(second.json["__type"], SERIALIZATION, second)
        self.assertTrue(conn.closed_by_peer())

    def test_expect_100_continue(self):
        conn = self.connect()
        body = j({"MaxResults": 2}).encode()
        head = raw(body=body, headers=["Expect: 100-continue"])[:-len(body)]
        conn.send(head)
        interim = conn.read_response()
        self.assertEqual((interim.version, interim.status), ("HTTP/1.1", 100), interim)
        conn.send(body)
        final = conn.read_response()
        self.assertEqual(final.status, 200, final)
        self.assertEqual(len(final.json["MediaAnalysisJobs"]), 2)
        self.check_connection(C("after 100-continue", b"", 200, None), conn)

    def test_http_1_0_answer_is_http_1_0_and_closes(self):
        conn = self.connect()
        conn.send(raw(version="HTTP/1.0", body=j({"MaxResults": 1})))
        resp = conn.read_response()
        self.assertEqual((resp.version, resp.status), ("HTTP/1.0", 200), resp)
        self.assertTrue(conn.closed_by_peer())

    def test_pipelined_requests_answered_in_order(self):
        conn = self.connect()
        conn.send(list_req(j({"MaxResults": 3})) + get_req(j({"JobId": UNKNOWN_JOB_ID}))
                  + list_req("[]") + list_req(j({"MaxResults": 1})))
        responses = [conn.read_response() for _ in range(4)]
        self.assertEqual([r.status for r in responses], [200, 400, 400, 200], responses)
        self.assertEqual(len(responses[0].json["MediaAnalysisJobs"]), 3)
        self.assertEqual(responses[1].json["__type"], NOT_FOUND)
        self.assertEqual(responses[2].json["__type"], SERIALIZATION)
        self.assertEqual(len(responses[3].json["MediaAnalysisJobs"]), 1)
        ids = [r.header("x-amzn-RequestId") for r in responses]
        self.assertEqual(len(set(ids)), 4, ids)

    def test_pipelined_after_malformed_http_is_dropped(self):
        # A malformed request ends the connection: what was pipelined after it is not served.
        conn = self.connect()
        conn.send(b"HELLO\r\n\r\n" + VALID_LIST)
        resp = conn.read_response()
        self.assertEqual(resp.status, 400, resp)
        self.assertTrue(conn.closed_by_peer())

    def test_head_error_response_has_no_body(self):
        # RFC 9110 9.3.2: a response to HEAD carries no content; bytes after the header block
        # would be read as the next response by any HTTP client.
        conn = self.connect()
        conn.send(raw(method="HEAD", target=None))
        resp = conn.read_response(head=True)
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(resp.header("x-amzn-ErrorType"), UNKNOWN_OP, resp)
        self.assertEqual(conn.buf, b"", "bytes after the HEAD response's header block")
        conn.sock.settimeout(0.3)
        try:
            extra = conn.sock.recv(65536)
        except socket.timeout:
            extra = b""
        self.assertEqual(extra, b"", "the HEAD response carries a body")

    # -- last: the store and the server after everything -------------------------------------
    def test_zz_store_unchanged_and_server_alive(self):
        # unittest runs tests in name order, so this one comes after every other.
        self.assertIsNone(self.server.proc.poll(), "the server exited")
        self.assertEqual(self._dump(), self.dump_before, "GET /_mock/jobs changed")
        self.assertEqual(read_store(self.db_path), self.rows_before, "SQLite rows changed")
        self.assertGreater(len(self.rows_before["media_analysis_jobs"]), 0)
        jobs, _ = self.server.list_all(max_results=7)
        self.assertEqual(len(jobs), len(self.rows_before["media_analysis_jobs"]))
        self.assertIsNone(self.server.proc.poll(), "the server exited")


if __name__ == "__main__":
    unittest.main()
