"""A real S3 server for the bulk analysis suites: moto_server, started on a free loopback port
(http, or https with a self-signed certificate made with the openssl CLI), and a lab over it
with the interface of bulk_lab.FolderLab, driven through boto3's S3 client.

moto_server is a test tool `make test` installs; a machine without it fails these tests loudly."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
import ssl

import boto3
from botocore.config import Config

from mock_server import require_tool

ACCESS_KEY = "moto-key"
SECRET_KEY = "moto-secret"
REGION = "us-east-1"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_certificate(directory):
    """A self-signed certificate for 127.0.0.1 and localhost; returns (cert, key) paths."""
    openssl = require_tool("openssl")
    cert = os.path.join(directory, "s3-cert.pem")
    key = os.path.join(directory, "s3-key.pem")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


class MotoServer:
    """moto_server on 127.0.0.1; `tls` is None or (cert, key)."""

    def __init__(self, tls=None):
        self.port = _free_port()
        self.tls = tls
        args = [require_tool("moto_server"), "-H", "127.0.0.1", "-p", str(self.port)]
        if tls:
            args += ["-c", tls[0], "-k", tls[1]]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        # Not in mock_server's leftovers registry: tests kill those after each test, and one
        # moto_server serves a whole class. Its owner stops it (tearDownClass).
        scheme = "https" if tls else "http"
        self.endpoint = f"{scheme}://127.0.0.1:{self.port}"
        context = ssl.create_default_context(cafile=tls[0]) if tls else None
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"moto_server exited with {self.proc.returncode}")
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1, context=context)
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError("moto_server did not answer within 30 s")
                time.sleep(0.05)

    def reset(self):
        """Forgets every bucket (moto's own reset endpoint)."""
        request = urllib.request.Request(self.endpoint + "/moto-api/reset", method="POST")
        context = ssl.create_default_context(cafile=self.tls[0]) if self.tls else None
        urllib.request.urlopen(request, timeout=10, context=context).read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class S3Lab:
    """Buckets on a MotoServer; the mock reaches it with --s3-endpoint and its own signer."""

    kind = "s3"

    def __init__(self, moto, versioned=False):
        self.moto = moto
        self.versioned = versioned
        self.s3 = boto3.session.Session().client(
            "s3", endpoint_url=moto.endpoint, region_name=REGION,
            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
            verify=moto.tls[0] if moto.tls else None,
            config=Config(s3={"addressing_style": "path"}))

    def server_args(self):
        args = ["--s3-endpoint", self.moto.endpoint, "--s3-region", REGION,
                "--s3-access-key-id", ACCESS_KEY, "--s3-secret-access-key", SECRET_KEY]
        if self.moto.tls:
            args += ["--s3-ca-file", self.moto.tls[0]]
        return tuple(args)

    def make_bucket(self, bucket, versioned=None):
        self.s3.create_bucket(Bucket=bucket)
        if self.versioned if versioned is None else versioned:
            self.s3.put_bucket_versioning(Bucket=bucket,
                                          VersioningConfiguration={"Status": "Enabled"})

    def put(self, bucket, key, data):
        return self.s3.put_object(Bucket=bucket, Key=key, Body=data).get("VersionId")

    def get(self, bucket, key, version=None):
        kwargs = {"VersionId": version} if version else {}
        return self.s3.get_object(Bucket=bucket, Key=key, **kwargs)["Body"].read()

    def head(self, bucket, key):
        return self.s3.head_object(Bucket=bucket, Key=key)

    def exists(self, bucket, key):
        try:
            self.s3.head_object(Bucket=bucket, Key=key)
            return True
        except self.s3.exceptions.ClientError:
            return False

    def identity(self, bucket, key):
        """Every write of the object: its versions on a versioned bucket, else ETag and time."""
        if self.versioned:
            listed = self.s3.list_object_versions(Bucket=bucket, Prefix=key)
            return sorted(v["VersionId"] for v in listed.get("Versions", []) if v["Key"] == key)
        head = self.head(bucket, key)
        return (head["ETag"], head["LastModified"])


class HostileS3Proxy:
    """An HTTP/1.1 proxy in front of a MotoServer that answers some requests itself, with bytes
    no S3 server sends (an interim `100 Continue` before a failure, say): `script(method,
    target)` returns those bytes, or None to pass the request on to moto. Connections are kept
    alive, one thread each. Stop it with stop() (or use it as a context manager)."""

    def __init__(self, moto, script):
        self.moto = moto
        self.script = script
        self.requests = []  # (method, target) of every request, as received
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.endpoint = "http://127.0.0.1:%d" % self._listener.getsockname()[1]
        self._threads = []
        self._connections = []
        self._stopping = False
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()
        self._threads.append(accept)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self._stopping = True
        # Shut down, not just closed: on Linux that is what wakes the thread blocked in accept().
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        for connection in list(self._connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in self._threads:
            thread.join(10)

    def _accept(self):
        while not self._stopping:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            self._connections.append(connection)
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, connection):
        with connection, connection.makefile("rb") as incoming:
            while not self._stopping:
                request_line = incoming.readline()
                if not request_line:
                    return
                method, target, _ = request_line.decode("latin-1").split(" ", 2)
                headers = []
                while (line := incoming.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers.append((name.strip(), value.strip()))
                length = next((int(v) for n, v in headers if n.lower() == "content-length"), 0)
                body = incoming.read(length)
                self.requests.append((method, target))
                answer = self.script(method, target)
                connection.sendall(answer if answer is not None
                                   else self._forward(method, target, headers, body))

    def _forward(self, method, target, headers, body):
        upstream = http.client.HTTPConnection("127.0.0.1", self.moto.port, timeout=30)
        try:
            # putrequest, not request(): the target goes out as received, escapes and all.
            upstream.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                upstream.putheader(name, value)
            upstream.endheaders(body)
            response = upstream.getresponse()
            data = response.read()
        finally:
            upstream.close()
        fields = "".join("%s: %s\r\n" % (n, v) for n, v in response.getheaders()
                         if n.lower() not in ("content-length", "transfer-encoding", "connection"))
        return ("HTTP/1.1 %d %s\r\n%sContent-Length: %d\r\n\r\n"
                % (response.status, response.reason, fields, len(data))).encode("latin-1") + data


class SharedMotoServer:
    """A unittest.TestCase mixin: one moto_server for the whole class, in cls.moto (started in
    setUpClass, stopped in tearDownClass); put it before the TestCase in the bases."""

    moto = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.moto = MotoServer()

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()
        super().tearDownClass()
