"""An S3 server that accepts connections, reads requests and never answers them (until closed):
what a stuck object store looks like to the mock. Used by the tests that the mock keeps serving
meanwhile, and by bench/silent_object_store.py, which measures how promptly."""

import socketserver
import threading

# The one manifest it serves (when told to): a line whose image is then asked for, and never comes.
MANIFEST = b'{"source-ref": "s3://media-in/rkm-label-weapons-90.png"}\n'


class SilentS3(socketserver.ThreadingTCPServer):
    """Holds every request open until close(), except GETs of the manifest when `manifest_ok`."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, manifest_ok):
        self.manifest_ok = manifest_ok
        self.release = threading.Event()
        self.requests = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), SilentS3Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.server_address[1]

    def seen(self):
        with self.lock:
            return list(self.requests)

    def close(self):
        self.release.set()
        self.shutdown()
        self.server_close()


class SilentS3Handler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            line = self.rfile.readline()
            if not line:
                return
            headers = {}
            while True:
                header = self.rfile.readline()
                if header in (b"\r\n", b"\n", b""):
                    break
                name, _, value = header.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            method, path, _ = line.decode("latin-1").split(" ", 2)
            length = int(headers.get("content-length", "0"))
            if length:
                self.rfile.read(length)
            with self.server.lock:
                self.server.requests.append((method, path))
            if self.server.manifest_ok and method == "GET" and path.endswith("/m.jsonl"):
                self.answer_manifest(headers.get("range"))
                continue
            self.server.release.wait()
            return

    def answer_manifest(self, byte_range):
        body = MANIFEST
        status = "200 OK"
        extra = ""
        if byte_range:
            first, last = byte_range.split("=")[1].split("-")
            last = min(int(last), len(MANIFEST) - 1)
            body = MANIFEST[int(first):last + 1]
            status = "206 Partial Content"
            extra = "Content-Range: bytes %s-%d/%d\r\n" % (first, last, len(MANIFEST))
        self.wfile.write(("HTTP/1.1 %s\r\nContent-Length: %d\r\n%s\r\n" %
                          (status, len(body), extra)).encode() + body)
        self.wfile.flush()
