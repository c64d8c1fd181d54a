"""One source for the control plane: server/control/openapi.json, the OpenAPI 3.1 document of
/_mock/ (and /_localstack/health), holds together with everything else that spells the endpoints.

- The document is valid OpenAPI 3.1 (the OAI's schema, tests/data/openapi/, with jsonschema alone),
  every schema in it valid JSON Schema 2020-12, every $ref resolved, every path parameter declared.
- The route table rows (`{verb::X, "/_mock/...", &handler}` in server/control/*.cpp) are the
  document's operations, less the ones answered outside it (named below with the reason).
- The real binary routes every operation of the document (no 404 "no control endpoint", no 405),
  answers a sample request with a documented status, content type, headers and a body its schema
  accepts, refuses the other methods of each path with 405, and answers the errors the document
  names (400, 403, 415, 404) as the Error schema says.
- Every public method of the Python client (clients/python/rekognition_mock/control.py) and of the
  Node client (clients/node/mock_control.mjs), called with sample arguments against a recording
  server, sends requests the document has, with only its declared parameters and body members
  and a body its schema accepts; every operation, query parameter and body member is reached by
  each client, except the operations no client wraps (CLIENT_EXEMPT, with the reason).
- Every JSON example of a /_mock/ request or answer in README.md and docs/*.md is accepted by the
  operation's schema. The examples are found by this convention (docs/control-plane.md says so):
  a `curl` line of a fenced `sh` block whose URL has /_mock/ or /_localstack/ (method from -X, else
  POST with -d, else GET; `\\` continuations joined) is a request of that operation: its query
  parameters must be declared, its inline `-d '<json>'` body is a request example, and its trailing
  `# {...}` comment is an example of the answer (2xx) unless the comment holds `...` (an
  abbreviation, not JSON); and a fenced `json` block right after an
  `<!-- openapi: METHOD PATH request|response [STATUS] -->` line is an example of that body.
"""

import glob
import http.server
import inspect
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import unittest
import urllib.parse

try:
    import jsonschema
except ImportError as missing:  # a missing tool fails the test, never skips it
    raise ImportError("jsonschema is not installed: run make test-deps (Debian's python3-jsonschema "
                      "or pip install jsonschema)") from missing

from doc_snippets import Document, documents
from mock_server import (START_TARGET, ServerTestCase, call, control, default_fixtures,
                         isolate_aws_environment, scope_headers, start_request)
from project import project_version, source_root

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")

# Operations the route table does not hold, and why.
OUTSIDE_ROUTE_TABLE = {
    # The liveness probe is answered by server/front_door.hpp before the control plane (it works
    # with --no-control-plane): only GET with exactly this target.
    ("GET", "/_mock/ping"): "answered by FrontDoor",
}
# Operations no control client wraps, and why; every other one must be reached by each client.
CLIENT_EXEMPT = {
    ("GET", "/_localstack/health"): "for LocalStack tools; the clients read /_mock/health",
    ("GET", "/_mock/ping"): "the container health check's probe; the clients fall back to it only "
                            "when /_mock/health is a 404 (--no-control-plane)",
    ("GET", "/_mock/ui"): "the browser view's page, for a browser",
    ("GET", "/_mock/ui/{Asset}"): "the browser view's files, for a browser",
    ("GET", "/_mock/openapi.json"): "this document, for tools that read OpenAPI",
}
# Client methods that are no endpoint's: the transport every method goes through, which reaches
# any path by design.
CLIENT_TRANSPORT = {"call"}

NO_ENDPOINT = "no control endpoint"
# GET answers that change from one request to the next (UptimeSeconds, Now), so never a 304.
CHANGING = {("GET", "/_mock/health")}


def setUpModule():
    isolate_aws_environment()


# --------------------------------------------------------------------------------------------
# The document

def load_document():
    with open(os.path.join(source_root(), "server", "control", "openapi.json"), encoding="utf-8") as f:
        return json.load(f)


DOC = None


def document():
    global DOC
    if DOC is None:
        DOC = load_document()
    return DOC


def resolve(node):
    """`node`, or what its local $ref names (followed until no $ref is left)."""
    while isinstance(node, dict) and "$ref" in node and len(node) <= 2:
        pointer = node["$ref"]
        if not pointer.startswith("#/"):
            raise AssertionError(f"$ref {pointer!r} is not local")
        target = document()
        for part in pointer[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operations():
    """{(METHOD, path template): operation object}."""
    found = {}
    for path, item in document()["paths"].items():
        for method, operation in item.items():
            if method.upper() in METHODS:
                found[(method.upper(), path)] = operation
    return found


def parameters(operation, where):
    """{name: parameter object} of `operation`'s parameters in `where` (query, path, header)."""
    found = {}
    for parameter in operation.get("parameters", []):
        parameter = resolve(parameter)
        if parameter["in"] == where:
            found[parameter["name"]] = parameter
    return found


def body_schema(operation):
    if "requestBody" not in operation:
        return None
    return resolve(operation["requestBody"])["content"]["application/json"]["schema"]


def declared_members(schema):
    """The top-level member names a schema declares: its properties and those of its branches."""
    schema = resolve(schema)
    names = set(schema.get("properties", {}))
    for keyword in ("oneOf", "anyOf", "allOf"):
        for branch in schema.get(keyword, []):
            names |= declared_members(branch)
    return names


def schema_errors(schema, instance):
    """What `schema` (of the document, its $refs resolved there) finds wrong with `instance`."""
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": document()["components"], "allOf": [schema]}
    validator = jsonschema.Draft202012Validator(root)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in validator.iter_errors(instance)]


def match_operation(method, path):
    """The (METHOD, template) of the document that `method` and the raw `path` reach, or None."""
    segments = [urllib.parse.unquote(s) for s in path.split("/")]
    for (op_method, template) in operations():
        if op_method != method:
            continue
        pattern = template.split("/")
        if len(pattern) == len(segments) and all(
                p == s or (p.startswith("{") and p.endswith("}")) for p, s in zip(pattern, segments)):
            return (op_method, template)
    return None


def response_of(operation, status):
    return resolve(operation["responses"].get(str(status)))


class OpenApiDocumentTest(unittest.TestCase):
    def test_is_valid_openapi_3_1(self):
        with open(os.path.join(source_root(), "tests", "data", "openapi",
                               "openapi-3.1-schema.json"), encoding="utf-8") as f:
            meta = json.load(f)
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in jsonschema.Draft202012Validator(meta).iter_errors(document())]
        self.assertEqual(errors, [])
        self.assertTrue(document()["openapi"].startswith("3.1."))
        # The control plane is versioned with the server it ships in.
        self.assertEqual(document()["info"]["version"], project_version())

    def test_every_schema_is_json_schema_2020_12_and_every_ref_resolves(self):
        def walk(node, where):
            if isinstance(node, dict):
                if "$ref" in node:
                    try:
                        resolve({"$ref": node["$ref"]})
                    except (KeyError, AssertionError) as e:
                        self.fail(f"{where}: $ref {node['$ref']!r} does not resolve ({e})")
                for key, value in node.items():
                    if key == "schema" or (where.endswith("/schemas") and isinstance(value, dict)):
                        jsonschema.Draft202012Validator.check_schema(value)
                    walk(value, f"{where}/{key}")
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    walk(value, f"{where}/{i}")
        walk(document(), "#")

    def test_path_parameters_are_declared_and_operation_ids_unique(self):
        ids = []
        for (method, path), operation in operations().items():
            in_path = set(re.findall(r"\{(\w+)\}", path))
            declared = parameters(operation, "path")
            self.assertEqual(set(declared), in_path, f"{method} {path}")
            self.assertTrue(all(p.get("required") for p in declared.values()), f"{method} {path}")
            ids.append(operation["operationId"])
        self.assertEqual(len(ids), len(set(ids)), ids)

    def test_route_table_rows_are_the_documents_operations(self):
        # The rows wherever the control endpoints live (they are being split into a file per
        # resource): {verb::get, "/_mock/jobs", &dump_jobs}.
        row = re.compile(r'\{\s*verb::(\w+?)_?\s*,\s*"(/[^"]*)"\s*,\s*&[\w:]+\s*\}')
        rows = set()
        for path in glob.glob(os.path.join(source_root(), "server", "control", "*.cpp")):
            with open(path, encoding="utf-8") as f:
                rows |= {(m.group(1).upper(), m.group(2)) for m in row.finditer(f.read())}
        self.assertGreaterEqual(len(rows), 20, "the route table's rows were not found")
        documented = set(operations()) - set(OUTSIDE_ROUTE_TABLE)
        self.assertEqual(sorted(rows - documented), [],
                         "routed but not in server/control/openapi.json")
        self.assertEqual(sorted(documented - rows), [], "documented but not in the route table")
        for key in OUTSIDE_ROUTE_TABLE:
            self.assertIn(key, operations())


# --------------------------------------------------------------------------------------------
# The real binary

JOB_ID = "openapi-job"
RESULTS = b'{"source-ref": "s3://media-in/a.png"}\n{"source-ref": "s3://media-in/b.png"}\n'
SUMMARY = {"version": "1.0", "statistics": {"total-json-lines": 2, "valid-json-lines": 2,
                                            "invalid-json-lines": 0}, "errors": []}
RULES = [{"SourceRef": "s3://media-in/a.png", "Labels": [{"Name": "Weapons", "Confidence": 90}]}]


def seeded_job():
    return {
        "JobId": JOB_ID, "Status": "SUCCEEDED", "CreationTimestamp": 1_900_000_000,
        "CompletionTimestamp": 1_900_000_060,
        "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
        "Input": {"S3Object": {"Bucket": "media-in", "Name": "manifest.jsonl"}},
        "OutputConfig": {"S3Bucket": "media-out", "S3KeyPrefix": "out"},
        "Results": {"S3Object": {"Bucket": "media-out", "Name": "out/results.jsonl"}},
        "ManifestSummary": {"S3Object": {"Bucket": "media-out", "Name": "out/summary.json"}},
    }


def fill(template, values):
    return re.sub(r"\{(\w+)\}", lambda m: urllib.parse.quote(values[m.group(1)], safe=""), template)


def target(path, query=None):
    return path + ("?" + urllib.parse.urlencode(query) if query else "")


def content_type(resp):
    return resp.headers.get("Content-Type", "")


class ServedOperationsTest(ServerTestCase):
    """The document against what the binary answers."""

    def setUp(self):
        super().setUp()
        lab = os.path.join(self.tmp, "lab")
        os.makedirs(os.path.join(lab, "media-in"))
        os.makedirs(os.path.join(lab, "media-out", "out"))
        shutil.copy(os.path.join(source_root(), "tests", "data", "images", "small-40x40.png"),
                    os.path.join(lab, "media-in", "a.png"))
        with open(os.path.join(lab, "media-out", "out", "results.jsonl"), "wb") as f:
            f.write(RESULTS)
        with open(os.path.join(lab, "media-out", "out", "summary.json"), "w") as f:
            json.dump(SUMMARY, f)
        # What start_request() names, so that a started job runs on a schedule to pace.
        os.makedirs(os.path.join(lab, "input-bucket", "manifests"))
        os.makedirs(os.path.join(lab, "output-bucket"))
        with open(os.path.join(lab, "input-bucket", "manifests", "input.jsonl"), "w") as f:
            f.write('{"source-ref": "s3://media-in/a.png"}\n')
        self.server = self.start_server("--log-level", "warn", "--fixtures", default_fixtures(),
                                        "--s3-dir", lab, "--job-duration", "600")

    def send(self, method, path, body=None, headers=None):
        return control(self.server, method, path, body, headers=headers)

    def ok(self, resp, status=200):
        self.assertEqual(resp.status, status, resp)
        return resp.json

    def samples(self):
        """[(operation key, method, target, body, expected status)], in an order that leaves each
        the state it needs; one per operation of the document."""
        self.ok(self.send("POST", "/_mock/jobs", {"MediaAnalysisJobs": [seeded_job()]}))
        started = call(self.server.host, self.server.port, start_request(), target=START_TARGET,
                       headers=scope_headers())
        self.assertEqual(started.status, 200, started)
        paced = started.json["JobId"]
        self.ok(self.send("POST", "/_mock/moderation-rules", {"ModerationRules": RULES}))
        fault = self.ok(self.send("POST", "/_mock/faults",
                                  {"Operation": "StartMediaAnalysisJob", "LatencyMs": 1,
                                   "Count": 5}), 201)["Id"]
        job = {"JobId": JOB_ID}
        return [
            (("GET", "/_localstack/health"), "/_localstack/health", None, 200),
            (("GET", "/_mock/ping"), "/_mock/ping", None, 200),
            (("GET", "/_mock/health"), "/_mock/health", None, 200),
            (("GET", "/_mock/openapi.json"), "/_mock/openapi.json", None, 200),
            (("GET", "/_mock/jobs"), target("/_mock/jobs", {"MaxResults": 2, "Include": "Lifecycle"}),
             None, 200),
            (("POST", "/_mock/jobs"), "/_mock/jobs",
             {"AccountId": "111122223333", "MediaAnalysisJobs": [dict(seeded_job(), JobId="other")]},
             200),
            (("POST", "/_mock/jobs/{JobId}/progress"), f"/_mock/jobs/{paced}/progress",
             {"PollsPerState": 2}, 200),
            (("POST", "/_mock/jobs/{JobId}/status"), fill("/_mock/jobs/{JobId}/status", job),
             {"Status": "SUCCEEDED"}, 200),
            (("GET", "/_mock/jobs/{JobId}/results"),
             target(fill("/_mock/jobs/{JobId}/results", job), {"MaxLines": 1}), None, 200),
            (("GET", "/_mock/jobs/{JobId}/manifest-summary"),
             fill("/_mock/jobs/{JobId}/manifest-summary", job), None, 200),
            (("GET", "/_mock/images"), target("/_mock/images", {"Bucket": "media-in", "Key": "a.png"}),
             None, 200),
            (("POST", "/_mock/clock/advance"), "/_mock/clock/advance", {"Seconds": 1.5}, 200),
            (("GET", "/_mock/faults"), "/_mock/faults", None, 200),
            (("DELETE", "/_mock/faults/{Id}"), fill("/_mock/faults/{Id}", {"Id": fault}), None, 200),
            (("POST", "/_mock/faults"), "/_mock/faults",
             {"Error": "ThrottlingException", "Probability": 0.5, "Seed": 3}, 201),
            (("DELETE", "/_mock/faults"), "/_mock/faults", None, 200),
            (("POST", "/_mock/quotas"), "/_mock/quotas",
             {"Operation": "GetMediaAnalysisJob", "RatePerSecond": 100, "Burst": 200}, 200),
            (("GET", "/_mock/quotas"), "/_mock/quotas", None, 200),
            (("DELETE", "/_mock/quotas/{Operation}"),
             fill("/_mock/quotas/{Operation}", {"Operation": "GetMediaAnalysisJob"}), None, 200),
            (("DELETE", "/_mock/quotas"), "/_mock/quotas", None, 200),
            (("GET", "/_mock/requests"), target("/_mock/requests", {"Include": "Latency,Bodies",
                                                                    "Limit": 5}), None, 200),
            (("GET", "/_mock/requests/count"),
             target("/_mock/requests/count", {"Operation": "StartMediaAnalysisJob"}), None, 200),
            (("DELETE", "/_mock/requests"), "/_mock/requests", None, 200),
            (("GET", "/_mock/moderation-rules"), "/_mock/moderation-rules", None, 200),
            (("POST", "/_mock/moderation-rules"), "/_mock/moderation-rules",
             {"Region": "eu-west-1", "ModerationRules": RULES}, 200),
            (("DELETE", "/_mock/moderation-rules"), "/_mock/moderation-rules", None, 200),
            (("GET", "/_mock/usage"), "/_mock/usage", None, 200),
            (("GET", "/_mock/ui"), "/_mock/ui", None, 200),
            (("GET", "/_mock/ui/{Asset}"), "/_mock/ui/app.js", None, 200),
            (("POST", "/_mock/reset"), "/_mock/reset", {"ReloadFixtures": True}, 200),
        ]

    def assertAnswerDocumented(self, key, resp):
        """`resp` is an answer the operation documents: status, content type, headers, body."""
        method, path = key
        operation = operations()[key]
        answer = response_of(operation, resp.status)
        self.assertIsNotNone(answer, f"{method} {path}: status {resp.status} is not documented: {resp}")
        if "content" in answer and resp.status != 304 and method != "HEAD":
            types = list(answer["content"])
            self.assertIn(content_type(resp), types, f"{method} {path}: {resp}")
            media = answer["content"][content_type(resp)]
            if content_type(resp) == "application/json":
                self.assertEqual(schema_errors(media["schema"], resp.json), [],
                                 f"{method} {path} {resp.status}: {resp.json}")
        headers = answer.get("headers", {})
        for name, header in headers.items():
            value = resp.headers.get(name)
            if value is not None:
                self.assertEqual(schema_errors(resolve(header)["schema"], value), [],
                                 f"{method} {path}: {name}: {value!r}")
        for name in resp.headers:
            if name.lower().startswith("x-mock-"):
                self.assertIn(name, headers, f"{method} {path} answers an undocumented {name}")
        if key not in OUTSIDE_ROUTE_TABLE:
            # Every control answer says how it may be cached; the document names which.
            self.assertIn("Cache-Control", headers, f"{method} {path} {resp.status}")
            self.assertIn(resp.headers.get("Cache-Control"), ("no-cache", "no-store"), resp)

    def test_every_operation_is_served_as_documented(self):
        samples = self.samples()
        self.assertEqual(sorted(key for key, *_ in samples), sorted(operations()),
                         "each operation of the document needs a sample request here")
        for key, path, body, status in samples:
            method = key[0]
            with self.subTest(operation=key):
                resp = self.send(method, path, body)
                self.assertEqual(resp.status, status, f"{method} {path}: {resp}")
                self.assertAnswerDocumented(key, resp)
                if key == ("GET", "/_mock/jobs/{JobId}/results"):
                    self.assertEqual(resp.raw, RESULTS.decode().split("\n")[0] + "\n")
                    self.assertIn("X-Mock-Next-Token", resp.headers)
                etag = resp.headers.get("ETag")
                if method == "GET" and key not in OUTSIDE_ROUTE_TABLE and key not in CHANGING:
                    # Sent whole (every sample is under 64 KiB): an ETag that revalidates.
                    self.assertIsNotNone(etag, f"{method} {path}")
                    again = self.send(method, path, headers={"If-None-Match": etag})
                    self.assertEqual(again.status, 304, again)
                    self.assertAnswerDocumented(key, again)
                    self.assertIn("If-None-Match", parameters(operations()[key], "header"))

    def test_other_methods_are_refused_as_documented(self):
        by_path = {}
        for method, path in operations():
            by_path.setdefault(path, set()).add(method)
        values = {"JobId": JOB_ID, "Id": "no-such-rule", "Operation": "GetMediaAnalysisJob",
                  "Asset": "app.js"}
        for template, allowed in by_path.items():
            path = fill(template, values)
            for method in METHODS:
                if method in allowed:
                    continue
                with self.subTest(path=template, method=method):
                    resp = self.send(method, path)
                    if template == "/_mock/ping":
                        # Not in the route table: the control plane knows no such path.
                        self.assertEqual(resp.status, 404, resp)
                        continue
                    # The router's 405 (no Allow header): its Message names one of the path's
                    # methods, the last row's in the route table.
                    self.assertEqual(resp.status, 405, resp)
                    if method != "HEAD":
                        self.assertEqual(resp.json["Error"], "MethodNotAllowed", resp)
                        named = re.search(r"; use (\w+)$", resp.json["Message"])
                        self.assertIsNotNone(named, resp)
                        self.assertIn(named.group(1), allowed, resp)

    def test_unknown_path_and_unknown_job_are_told_apart(self):
        # What the routing check above relies on: both are 404 NotFound, but only an unknown path
        # says there is no such endpoint.
        unknown = self.send("GET", "/_mock/no-such-thing")
        self.assertEqual((unknown.status, unknown.json["Error"]), (404, "NotFound"))
        self.assertIn(NO_ENDPOINT, unknown.json["Message"])
        job = self.send("POST", "/_mock/jobs/no-such-job/status", {"Status": "FAILED"})
        self.assertEqual((job.status, job.json["Error"]), (404, "NotFound"))
        self.assertNotIn(NO_ENDPOINT, job.json["Message"])
        self.assertAnswerDocumented(("POST", "/_mock/jobs/{JobId}/status"), job)

    def test_errors_are_answered_as_documented(self):
        own = {"Host": f"{self.server.host}:{self.server.port}"}
        for key, operation in operations().items():
            if key in OUTSIDE_ROUTE_TABLE:
                continue
            method, template = key
            path = fill(template, {"JobId": "no-such-job", "Id": "no-such-rule",
                                   "Operation": "GetMediaAnalysisJob",
                                   "Asset": "no-such-file.js"})
            with self.subTest(operation=key):
                # A malformed percent-encoding: every control endpoint's 400.
                resp = self.send(method, path + "?%zz=1")
                self.assertEqual(resp.status, 400, resp)
                self.assertAnswerDocumented(key, resp)
                if parameters(operation, "path"):
                    body = {"Status": "FAILED", "PollsPerState": 1}
                    resp = self.send(method, path, body if "requestBody" in operation else None)
                    if template != "/_mock/faults/{Id}" or method == "DELETE":
                        self.assertEqual(resp.status, 404, resp)
                        self.assertAnswerDocumented(key, resp)
                if method in ("POST", "DELETE"):
                    resp = self.send(method, path, headers={"Origin": "http://evil.example"})
                    self.assertEqual(resp.status, 403, resp)
                    self.assertAnswerDocumented(key, resp)
                    resp = self.send(method, path, headers={
                        **own, "Origin": f"http://{own['Host']}", "Content-Type": "text/plain"})
                    self.assertEqual(resp.status, 415, resp)
                    self.assertAnswerDocumented(key, resp)


# --------------------------------------------------------------------------------------------
# The clients

# What the recorder answers every request with: each member a client method reads.
RECORDER_ANSWER = json.dumps({
    "Status": "ready", "MediaAnalysisJobs": [], "ClockOffsetSeconds": 0, "Id": "f-1", "Faults": [],
    "FaultsCleared": 0, "Requests": [], "Count": 0, "RulesSet": 0, "ModerationRules": [],
    "RulesCleared": 0, "Quotas": [], "QuotasCleared": 0}).encode()
MARK = "/__mark"


class Recorder:
    """An HTTP server on 127.0.0.1 that records each request (method, raw path, query names, JSON
    body) under the client method a GET /__mark?method=NAME named last, and answers 200."""

    def __init__(self):
        self.calls = []  # (client method, method, path, [query names], body or None)
        self.current = None
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle_one(self):
                path, _, query = self.path.partition("?")
                names = [name for name, _ in urllib.parse.parse_qsl(query, keep_blank_values=True)]
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if path == MARK:
                    recorder.current = urllib.parse.parse_qs(query)["method"][0]
                else:
                    body = json.loads(raw) if raw else None
                    recorder.calls.append((recorder.current, self.command, path, names, body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(RECORDER_ANSWER)))
                self.end_headers()
                self.wfile.write(RECORDER_ANSWER)

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = handle_one

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


FIXTURE_JOB = {"JobId": "job-1", "Status": "SUCCEEDED", "CreationTimestamp": 1_900_000_000,
               "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
               "Input": {"S3Object": {"Bucket": "media-in", "Name": "manifest.jsonl"}},
               "OutputConfig": {"S3Bucket": "media-out"}}
SCOPE = {"account_id": "111122223333", "region": "eu-west-1"}
FILTERS = {"Operation": "StartMediaAnalysisJob", "AccountId": "111122223333", "Region": "eu-west-1",
           "Status": "4xx", "ErrorType": "*", "ClientRequestToken": "token-1", "JobName": "job",
           "Unroutable": "false", "RequestId": "request-1", "Since": "request-0"}

# Each public method of the Python client: its calls, as (args, kwargs).
PYTHON_SAMPLES = {
    "health": [((), {})],
    "wait_ready": [((), {"timeout": 2})],
    "reset": [((), {}), ((), {**SCOPE, "reload_fixtures": False})],
    "seed_jobs": [(([FIXTURE_JOB],), SCOPE),
                  (({"MediaAnalysisJobs": [FIXTURE_JOB], "ModerationRules": RULES},), {})],
    "jobs": [((), SCOPE)],
    "jobs_page": [((), {"max_results": 10, "next_token": "token", "status": "FAILED",
                        "contains": "nightly", "job_id": "job-1", "include_lifecycle": True,
                        **SCOPE})],
    "set_job_status": [(("job-1", "FAILED"), {"failure_code": "INVALID_MANIFEST",
                                              "failure_message": "no", **SCOPE})],
    "pace_job": [(("job-1", 2), SCOPE)],
    "results": [(("job-1",), SCOPE)],
    "results_page": [(("job-1",), {"max_lines": 10, "next_token": "token", **SCOPE})],
    "iter_results": [(("job-1",), {"page_lines": 10, **SCOPE})],
    "manifest_summary": [(("job-1",), SCOPE)],
    "image": [(("media-in", "photos/a.png"), {"version_id": "v1"})],
    "advance_clock": [((60,), {})],
    "add_fault": [(("ListMediaAnalysisJobs", "ThrottlingException"), {"count": 2, "latency_ms": 5}),
                  ((), {"error": "InternalServerError", "probability": 0.5, "seed": 7}),
                  ((), {"error": "ThrottlingException", "rate_per_second": 2, "burst": 4,
                        "latency": {"P50": 1, "P95": 2, "P99": 3, "Max": 4}, "seed": 1,
                        "for_seconds": 60})],
    "faults": [((), {})],
    "clear_faults": [((), {}), (("f-1",), {})],
    "requests": [((), {"limit": 5, "Include": "Latency,Bodies", **FILTERS})],
    "count_requests": [((), FILTERS)],
    "clear_requests": [((), {})],
    "set_moderation_rules": [((RULES,), SCOPE)],
    "moderation_rules": [((), SCOPE)],
    "clear_moderation_rules": [((), SCOPE)],
    "usage": [((), SCOPE)],
    "set_quota": [(("StartMediaAnalysisJob", 2), {"burst": 4})],
    "quotas": [((), {})],
    "clear_quotas": [((), {}), (("StartMediaAnalysisJob",), {})],
}


def python_client():
    sys.path.insert(0, os.path.join(source_root(), "clients", "python"))
    try:
        from rekognition_mock import control as module
    finally:
        sys.path.pop(0)
    return module.MockControl


class ClientCoverageTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.recorder = Recorder()
        self.addCleanup(self.recorder.close)

    def record_python(self):
        client_class = python_client()
        methods = {name for name, _ in inspect.getmembers(client_class, inspect.isfunction)
                   if not name.startswith("_")}
        client = client_class(self.recorder.endpoint, timeout=5)
        for name, calls in PYTHON_SAMPLES.items():
            self.recorder.current = name
            for args, kwargs in calls:
                result = getattr(client, name)(*args, **kwargs)
                if inspect.isgenerator(result):
                    list(result)
        return methods, set(PYTHON_SAMPLES)

    def record_node(self):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "control_openapi_node.mjs")
        node = shutil.which("node")
        self.assertIsNotNone(node, "node is not installed: run make test-deps")
        done = subprocess.run([node, script, self.recorder.endpoint], capture_output=True,
                              text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        out = json.loads(done.stdout)
        return set(out["methods"]), set(out["sampled"])

    def check_client(self, label, methods, sampled):
        self.assertEqual(sorted(methods - CLIENT_TRANSPORT - sampled), [],
                         f"{label} client methods without a sample call in this test")
        self.assertEqual(sorted(sampled - methods), [], f"samples of no {label} client method")
        reached = {}
        problems = []
        for name, method, path, names, body in self.recorder.calls:
            key = match_operation(method, path)
            if key is None:
                problems.append(f"{name}: {method} {path} is no operation of the document")
                continue
            operation = operations()[key]
            used = reached.setdefault(key, {"query": set(), "body": set(), "by": set()})
            used["by"].add(name)
            undeclared = set(names) - set(parameters(operation, "query"))
            if undeclared:
                problems.append(f"{name}: {method} {path}: undeclared query {sorted(undeclared)}")
            used["query"] |= set(names)
            schema = body_schema(operation)
            if body is None:
                if schema is not None and resolve(operation["requestBody"]).get("required"):
                    problems.append(f"{name}: {method} {path} sends no body; the document "
                                    "requires one")
                continue
            if schema is None:
                problems.append(f"{name}: {method} {path} sends a body; the document has none")
                continue
            members = set(body) if isinstance(body, dict) else set()
            undeclared = members - declared_members(schema)
            if undeclared:
                problems.append(f"{name}: {method} {path}: undeclared members {sorted(undeclared)}")
            used["body"] |= members
            problems += [f"{name}: {method} {path}: {e}" for e in schema_errors(schema, body)]
        for key, operation in operations().items():
            if key in CLIENT_EXEMPT:
                self.assertNotIn(key, reached, f"{key} is reached by the {label} client: drop it "
                                               "from CLIENT_EXEMPT")
                continue
            if key not in reached:
                problems.append(f"no method reaches {key[0]} {key[1]}")
                continue
            missing = set(parameters(operation, "query")) - reached[key]["query"]
            if missing:
                problems.append(f"{key[0]} {key[1]}: no method sends {sorted(missing)}")
            schema = body_schema(operation)
            if schema is not None:
                missing = declared_members(schema) - reached[key]["body"]
                if missing:
                    problems.append(f"{key[0]} {key[1]}: no method sends members {sorted(missing)}")
        self.assertEqual(problems, [], f"the {label} client and server/control/openapi.json differ")

    def test_python_client_covers_the_document(self):
        self.check_client("Python", *self.record_python())

    def test_node_client_covers_the_document(self):
        self.check_client("Node", *self.record_node())

    def test_the_check_finds_a_stray_request(self):
        # The check above can fail: a request to a path the document lacks, a parameter it does
        # not declare, a body its schema refuses.
        self.recorder.calls = [("stray", "GET", "/_mock/nope", [], None),
                               ("stray", "GET", "/_mock/faults", ["Limit"], None),
                               ("stray", "POST", "/_mock/clock/advance", [], {"Seconds": -1})]
        with self.assertRaises(AssertionError) as raised:
            self.check_client("stray", {"stray"}, {"stray"})
        for expected in ("/_mock/nope is no operation", "undeclared query ['Limit']",
                         "Seconds: -1 is less than the minimum"):
            self.assertIn(expected, str(raised.exception))


# --------------------------------------------------------------------------------------------
# The documentation's examples

CURL_URL = re.compile(r"(?:\$M|https?://(?:localhost|127\.0\.0\.1)(?::\d+)?)(/_(?:mock|localstack)/[^\s'\"]*)")
ANNOTATION = re.compile(r"^<!-- openapi: (\w+) (\S+) (request|response)(?: (\d{3}))? -->$")


def split_comment(line):
    """(command, comment) of a shell line: the comment starts at a `#` outside quotes after a
    blank."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i], line[i + 1:].strip()
    return line, ""


def shell_lines(body):
    """The logical lines of a shell block: `\\` continuations joined."""
    lines, pending = [], ""
    for line in body.split("\n"):
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        lines.append(pending + line)
        pending = ""
    return lines


def doc_examples():
    """[(where, METHOD, path template, 'request'|'response'|'query', example)] of README.md and
    docs/*.md, by the convention in this module's docstring."""
    found = []
    for path in documents():
        relative = os.path.relpath(path, source_root())
        with open(path, encoding="utf-8") as f:
            text_lines = f.read().split("\n")
        blocks = Document(path).blocks
        # An annotation that is misspelt or stands before no `json` block would check nothing.
        annotated = {start - 1 for start, language, _ in blocks if language == "json"}
        for number, line in enumerate(text_lines):
            if line.strip().startswith("<!-- openapi"):
                if not ANNOTATION.match(line.strip()) or number not in annotated:
                    raise AssertionError(f"{relative}:{number + 1}: {line.strip()!r} is not "
                                         "<!-- openapi: METHOD PATH request|response [STATUS] --> "
                                         "right before a json block")
        for start, language, body in blocks:
            where = f"{relative}:{start + 1}"
            annotation = ANNOTATION.match(text_lines[start - 1].strip()) if start > 0 else None
            if annotation:
                method, template, kind, status = annotation.groups()
                found.append((where, method, template, kind, (json.loads(body), status)))
                found.append((where, method, template, "annotated", None))
                continue
            if language not in ("sh", "bash", "shell", ""):
                continue
            for line in shell_lines(body):
                command, comment = split_comment(line)
                url = CURL_URL.search(command)
                if "curl" not in command or not url:
                    continue
                words = shlex.split(command.replace("$M", "http://localhost:9595"))
                data = [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-d", "--data")]
                method = next((words[i + 1] for i, w in enumerate(words[:-1]) if w == "-X"),
                              "POST" if data else "GET")
                raw_path, _, query = url.group(1).partition("?")
                key = match_operation(method, raw_path)
                found.append((where, method, key[1] if key else raw_path, "query",
                              [n for n, _ in urllib.parse.parse_qsl(query, keep_blank_values=True)]))
                for payload in data:
                    if not payload.startswith("@"):
                        found.append((where, method, key[1] if key else raw_path, "request",
                                      (json.loads(payload), None)))
                if comment.startswith("{") and "..." not in comment:
                    found.append((where, method, key[1] if key else raw_path, "response",
                                  (json.loads(comment), None)))
    return found


class DocumentationExamplesTest(unittest.TestCase):
    def test_every_control_example_in_the_docs_is_the_documents(self):
        examples = doc_examples()
        kinds = [kind for *_, kind, _ in examples]
        # The convention must keep finding what the pages show (a broken parser finds nothing).
        self.assertGreaterEqual(kinds.count("query"), 20, examples)
        self.assertGreaterEqual(kinds.count("request"), 5, examples)
        self.assertGreaterEqual(kinds.count("response"), 5, examples)
        self.assertGreaterEqual(kinds.count("annotated"), 2, examples)
        problems = []
        for where, method, template, kind, example in examples:
            operation = operations().get((method, template))
            if operation is None:
                problems.append(f"{where}: {method} {template} is no operation of the document")
                continue
            if kind == "annotated":
                continue
            if kind == "query":
                undeclared = set(example) - set(parameters(operation, "query"))
                if undeclared:
                    problems.append(f"{where}: {method} {template}: undeclared {sorted(undeclared)}")
                continue
            instance, status = example
            if kind == "request":
                schema = body_schema(operation)
                if schema is None:
                    problems.append(f"{where}: {method} {template} takes no body")
                    continue
                undeclared = set(instance) - declared_members(schema) if isinstance(instance, dict) \
                    else set()
                if undeclared:
                    problems.append(f"{where}: undeclared members {sorted(undeclared)}")
            else:
                codes = [status] if status else [c for c in operation["responses"] if c.startswith("2")]
                answer = response_of(operation, codes[0])
                schema = answer["content"]["application/json"]["schema"]
            problems += [f"{where}: {method} {template} {kind}: {e}"
                         for e in schema_errors(schema, instance)]
        self.assertEqual(problems, [])


if __name__ == "__main__":
    unittest.main()
