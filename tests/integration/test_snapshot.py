"""`rekognition-mock snapshot` against the mock itself under --auth sigv4, as it would run
against AWS: a source mock seeded with a few hundred jobs in every status (every failure code,
versions, KMS keys, model versions, fractional timestamps, jobs started through the API), the
snapshot taken with credentials from the environment and, separately, from a profile file, then
loaded into a second mock. Every List walk and every Get of the second must be the first's, byte
for byte, except x-amzn-RequestId and the NextToken values (opaque, keyed by each store's own
secret: their presence is compared). And what fails: a page that keeps failing writes nothing
and exits 1, bad credentials exit 1 without printing a secret, usage errors exit 2.

--with-outputs against a source mock whose object store is moto_server with versioned buckets:
the objects its jobs name are copied byte for byte into DIR/<bucket>/<key>, with their versions
recorded, and a second mock loaded with the document and started with --s3-dir DIR serves them
(control plane, and a Start naming a copied manifest's version) without rewriting any; an
object that cannot be read is listed, not fatal."""

import http.client
import json
import os
import re

import time

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from bulk_lab import image_bytes, manifest
from mock_server import (CONTENT_TYPE, GET_TARGET, START_TARGET, TARGET, ServerTestCase, control,
                         control_ok, default_fixtures, isolate_aws_environment, run_binary,
                         start_request)
from s3_lab import S3Lab, SharedMotoServer

ACCOUNT = "111122223333"
ACCOUNT_SECRET = "account/secret+value"   # the env credentials: a 12-digit key is the account
PROFILE_KEY, PROFILE_SECRET = "AKIDPROFILEKEY", "profile-secret-value"
REGION = "eu-west-1"
GENERATED = 300


def setUpModule():
    isolate_aws_environment()


class Signed:
    """Raw API calls to one mock, signed by botocore's SigV4Auth with one credential."""

    def __init__(self, server, key, secret, region=REGION):
        self.server = server
        self.signer = botocore.auth.SigV4Auth(Credentials(key, secret), "rekognition", region)

    def call(self, target, body):
        """(status, headers as a list of (name, value), body bytes)."""
        request = AWSRequest(method="POST", url=self.server.endpoint + "/",
                             data=json.dumps(body).encode(),
                             headers={"Content-Type": CONTENT_TYPE, "X-Amz-Target": target})
        self.signer.add_auth(request)
        prepared = request.prepare()
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
        try:
            conn.request("POST", "/", body=prepared.body, headers=dict(prepared.headers.items()))
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def ok(self, target, body):
        status, _, raw = self.call(target, body)
        if status != 200:
            raise AssertionError(f"{target} {body}: {status} {raw[:300]!r}")
        return json.loads(raw)


def wire(answer):
    """An answer as compared: status, headers but x-amzn-RequestId, the body with NextToken's
    value (not its presence) blanked."""
    status, headers, raw = answer
    kept = sorted((name.lower(), value) for name, value in headers
                  if name.lower() != "x-amzn-requestid")
    body = re.sub(rb'"NextToken":"[^"]*"', b'"NextToken":"..."', raw)
    return status, kept, body


def walk(api, max_results):
    """The wire form of every page of a List walk, and the JobIds in order."""
    pages, job_ids, token = [], [], None
    while True:
        body = {"MaxResults": max_results, **({"NextToken": token} if token else {})}
        answer = api.call(TARGET, body)
        pages.append(wire(answer))
        if answer[0] != 200:
            raise AssertionError(f"List {body}: {answer[0]} {answer[2][:300]!r}")
        page = json.loads(answer[2])
        job_ids += [job["JobId"] for job in page["MediaAnalysisJobs"]]
        token = page.get("NextToken")
        if token is None:
            return pages, job_ids


class SnapshotTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        generated = run_binary("--generate-fixtures", str(GENERATED), "--seed", "26")
        self.assertEqual(generated.returncode, 0, generated.stderr)
        with open(default_fixtures(), encoding="utf-8") as f:
            defaults = json.load(f)
        # In REGION, and in whatever account the source mock is given by default.
        self.fixtures = []
        for name, document in (("generated.json", json.loads(generated.stdout)),
                               ("default-jobs.json", defaults)):
            path = os.path.join(self.tmp, name)
            with open(path, "w", encoding="utf-8") as f:
                json.dump({"Region": REGION, "MediaAnalysisJobs": document["MediaAnalysisJobs"]},
                          f)
            self.fixtures += ["--fixtures", path]

    def start_sigv4(self, *args):
        return self.start_server("--log-level", "warn", "--auth", "sigv4",
                                 "--credential", f"{ACCOUNT}:{ACCOUNT_SECRET}",
                                 "--credential", f"{PROFILE_KEY}:{PROFILE_SECRET}", *args)

    def start_source(self):
        """A mock whose default account holds the generated jobs, the default fixtures and two
        jobs started through the API, one of them failed."""
        source = self.start_sigv4("--default-account", ACCOUNT, "--max-unfinished-jobs", "1000",
                                  *self.fixtures)
        api = Signed(source, ACCOUNT, ACCOUNT_SECRET)
        api.ok(START_TARGET, start_request(JobName="started-here", KmsKeyId="alias/started"))
        api.ok(START_TARGET, start_request(name="manifests/fail-invalid-manifest.jsonl"))
        return source

    def snapshot(self, *args, env=None, expect=0):
        proc = run_binary("snapshot", *args, env=env, timeout=120)
        self.assertEqual(proc.returncode, expect, f"stdout={proc.stdout[-2000:]!r}\n"
                                                  f"stderr={proc.stderr}")
        return proc

    def assertServedAlike(self, source, loaded, key, secret):
        """Every List walk (pages of 100 and of 7) and every Get answer alike on both."""
        first, second = Signed(source, key, secret), Signed(loaded, key, secret)
        for max_results in (100, 7):
            pages, job_ids = walk(first, max_results)
            self.assertEqual(walk(second, max_results), (pages, job_ids))
        self.assertGreaterEqual(len(job_ids), GENERATED + 48 + 2)
        self.assertEqual(len(set(job_ids)), len(job_ids))
        statuses = set()
        for job_id in job_ids:
            answer = first.call(GET_TARGET, {"JobId": job_id})
            statuses.add(json.loads(answer[2])["Status"])
            self.assertEqual(wire(second.call(GET_TARGET, {"JobId": job_id})), wire(answer),
                             job_id)
        self.assertEqual(statuses, {"CREATED", "QUEUED", "IN_PROGRESS", "SUCCEEDED", "FAILED"})

    def test_a_snapshot_with_the_environments_credentials_loads_back_as_the_same_jobs(self):
        source = self.start_source()
        output = os.path.join(self.tmp, "account-jobs.json")
        proc = self.snapshot("--endpoint", source.endpoint, "--output", output,
                             env={"AWS_ACCESS_KEY_ID": ACCOUNT,
                                  "AWS_SECRET_ACCESS_KEY": ACCOUNT_SECRET,
                                  "AWS_REGION": REGION})
        self.assertEqual(proc.stdout, "")
        with open(output, encoding="utf-8") as f:
            document = json.load(f)
        self.assertEqual(document["AccountId"], ACCOUNT)
        self.assertEqual(document["Region"], REGION)
        self.assertEqual(len(document["MediaAnalysisJobs"]), GENERATED + 48 + 2)
        # Progress: pages, jobs, the file; never the secret.
        self.assertIn("snapshot: page 4: ", proc.stderr)
        self.assertIn(f"snapshot: {GENERATED + 50}/{GENERATED + 50} jobs read", proc.stderr)
        self.assertIn(f"wrote {GENERATED + 50} jobs to {output}", proc.stderr)
        self.assertIn("credentials from the environment", proc.stderr)
        self.assertNotIn(ACCOUNT_SECRET, proc.stderr)
        self.assertNotIn("otherwise than the source", proc.stderr)
        # Another default account: the document's own account is the one that counts.
        loaded = self.start_sigv4("--fixtures", output)
        self.assertServedAlike(source, loaded, ACCOUNT, ACCOUNT_SECRET)

    def test_a_snapshot_with_a_profiles_credentials_loads_back_as_the_same_jobs(self):
        source = self.start_source()
        credentials = os.path.join(self.tmp, "credentials")
        config = os.path.join(self.tmp, "config")
        with open(credentials, "w", encoding="utf-8") as f:
            f.write(f"[default]\naws_access_key_id = NOTTHISONE\naws_secret_access_key = x\n"
                    f"[lab]\naws_access_key_id = {PROFILE_KEY}\n"
                    f"aws_secret_access_key = {PROFILE_SECRET}\n")
        with open(config, "w", encoding="utf-8") as f:
            f.write(f"[profile lab]\nregion = {REGION}\noutput = json\n")
        # --profile wins over the environment's keys, as with `aws --profile`.
        proc = self.snapshot("--endpoint", source.endpoint, "--profile", "lab",
                             env={"AWS_SHARED_CREDENTIALS_FILE": credentials,
                                  "AWS_CONFIG_FILE": config,
                                  "AWS_ACCESS_KEY_ID": "AKIDWRONG",
                                  "AWS_SECRET_ACCESS_KEY": "wrong"})
        self.assertIn(f"credentials from profile lab ({credentials})", proc.stderr)
        self.assertIn(f"region from profile lab ({config})", proc.stderr)
        self.assertNotIn(PROFILE_SECRET, proc.stderr)
        document = json.loads(proc.stdout)
        # Not an account id: the jobs are the loading mock's default account's, as they were.
        self.assertNotIn("AccountId", document)
        output = os.path.join(self.tmp, "lab.json")
        with open(output, "w", encoding="utf-8") as f:
            f.write(proc.stdout)
        loaded = self.start_sigv4("--fixtures", output, "--default-account", ACCOUNT)
        self.assertServedAlike(source, loaded, PROFILE_KEY, PROFILE_SECRET)

    def test_status_and_max_jobs_keep_the_newest_jobs_listed_in_a_status(self):
        source = self.start_source()
        env = {"AWS_ACCESS_KEY_ID": ACCOUNT, "AWS_SECRET_ACCESS_KEY": ACCOUNT_SECRET,
               "AWS_DEFAULT_REGION": REGION}
        _, job_ids = walk(Signed(source, ACCOUNT, ACCOUNT_SECRET), 100)
        api = Signed(source, ACCOUNT, ACCOUNT_SECRET)
        statuses = {job_id: api.ok(GET_TARGET, {"JobId": job_id})["Status"] for job_id in job_ids}
        failed = [job_id for job_id in job_ids if statuses[job_id] == "FAILED"]
        self.assertGreater(len(failed), 7)

        proc = self.snapshot("--endpoint", source.endpoint, "--status", "FAILED",
                             "--max-jobs", "7", env=env)
        kept = [job["JobId"] for job in json.loads(proc.stdout)["MediaAnalysisJobs"]]
        self.assertEqual(kept, failed[:7])

        proc = self.snapshot("--endpoint", source.endpoint, "--status", "CREATED,QUEUED",
                             "--output", "-", env=env)
        kept = [job["JobId"] for job in json.loads(proc.stdout)["MediaAnalysisJobs"]]
        self.assertEqual(kept, [job_id for job_id in job_ids
                                if statuses[job_id] in ("CREATED", "QUEUED")])

    def test_a_page_that_keeps_failing_writes_nothing_and_exits_1(self):
        source = self.start_source()
        control_ok(source, "POST", "/_mock/faults",
                   {"Operation": "ListMediaAnalysisJobs", "Error": "ThrottlingException",
                    "Probability": 1}, expect_status=201)
        output = os.path.join(self.tmp, "out", "jobs.json")
        os.mkdir(os.path.dirname(output))
        env = {"AWS_ACCESS_KEY_ID": ACCOUNT, "AWS_SECRET_ACCESS_KEY": ACCOUNT_SECRET,
               "AWS_REGION": REGION}
        proc = self.snapshot("--endpoint", source.endpoint, "--output", output, env=env,
                             expect=1)
        self.assertIn("ListMediaAnalysisJobs failed: ThrottlingException", proc.stderr)
        self.assertEqual(os.listdir(os.path.dirname(output)), [])
        # Each attempt was made: the retries are the S3 client's, 8 attempts a call.
        fired = control_ok(source, "GET", "/_mock/faults")["Faults"][0]["Fired"]
        self.assertEqual(fired, 8)

        # Once the first page passed, a later one that fails still writes nothing.
        control_ok(source, "DELETE", "/_mock/faults")
        control_ok(source, "POST", "/_mock/faults",
                   {"Operation": "GetMediaAnalysisJob", "Error": "InternalServerError",
                    "Probability": 1}, expect_status=201)
        proc = self.snapshot("--endpoint", source.endpoint, env=env, expect=1)
        self.assertEqual(proc.stdout, "")
        self.assertIn("GetMediaAnalysisJob failed: InternalServerError", proc.stderr)

    def test_wrong_or_missing_credentials_exit_1_and_print_no_secret(self):
        source = self.start_source()
        proc = self.snapshot("--endpoint", source.endpoint, "--region", REGION,
                             env={"AWS_ACCESS_KEY_ID": ACCOUNT,
                                  "AWS_SECRET_ACCESS_KEY": "not-the-secret"}, expect=1)
        self.assertIn("InvalidSignatureException", proc.stderr)
        self.assertNotIn("not-the-secret", proc.stderr)
        proc = self.snapshot("--endpoint", source.endpoint, "--region", REGION, expect=1)
        self.assertIn("no AWS credentials", proc.stderr)
        proc = self.snapshot("--endpoint", source.endpoint,
                             env={"AWS_ACCESS_KEY_ID": ACCOUNT,
                                  "AWS_SECRET_ACCESS_KEY": ACCOUNT_SECRET}, expect=1)
        self.assertIn("no AWS region", proc.stderr)

    def test_its_flags_and_usage_errors(self):
        proc = self.snapshot("--help")
        for flag in ("--endpoint", "--region", "--profile", "--status", "--max-jobs",
                     "--with-outputs", "--s3-endpoint", "--output"):
            self.assertIn(flag, proc.stdout)
        for unread in ("SSO", "credential_process", "web identity", "role_arn",
                       "instance metadata"):
            self.assertIn(unread, proc.stdout)
        self.assertIn("snapshot", run_binary("--help").stdout)
        for args in (("snapshot", "--status", "DONE"), ("snapshot", "--max-jobs", "0"),
                     ("snapshot", "--s3-endpoint", "http://127.0.0.1:1"),
                     ("snapshot", "--endpoint", "ftp://x"), ("--port", "0", "snapshot"),
                     ("snapshot", "extra")):
            with self.subTest(args=args):
                proc = run_binary(*args)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertTrue(proc.stderr.strip())


class SnapshotOutputsTest(SharedMotoServer, ServerTestCase):
    ENV = {"AWS_ACCESS_KEY_ID": ACCOUNT, "AWS_SECRET_ACCESS_KEY": ACCOUNT_SECRET,
           "AWS_REGION": REGION}

    def setUp(self):
        super().setUp()
        self.moto.reset()
        self.lab = S3Lab(self.moto, versioned=True)
        for bucket in ("media-in", "media-out"):
            self.lab.make_bucket(bucket)
        self.lab.put("media-in", "img/ok.png", image_bytes("ok-120x90.png"))
        self.lab.put("media-in", "img/ok.jpg", image_bytes("ok-100x100.jpg"))

    def start_source(self):
        return self.start_server("--log-level", "warn", "--auth", "sigv4", "--credential",
                                 f"{ACCOUNT}:{ACCOUNT_SECRET}", *self.lab.server_args())

    def start_job(self, api, name, version=None, prefix="results/"):
        s3_object = {"Bucket": "media-in", "Name": name, **({"Version": version} if version else {})}
        job_id = api.ok(START_TARGET, {
            "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
            "Input": {"S3Object": s3_object},
            "OutputConfig": {"S3Bucket": "media-out", "S3KeyPrefix": prefix}})["JobId"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job = api.ok(GET_TARGET, {"JobId": job_id})
            if job["Status"] in ("SUCCEEDED", "FAILED"):
                return job
            time.sleep(0.05)
        raise AssertionError(f"job {job_id} did not finish")

    def test_the_objects_jobs_name_are_copied_by_version_and_served_by_a_folder_store(self):
        first = self.lab.put("media-in", "m/batch.jsonl", manifest(("media-in", "img/ok.png")))
        # The key's latest version is another manifest: the job names the first.
        self.lab.put("media-in", "m/batch.jsonl", manifest(("media-in", "img/ok.jpg"),
                                                           ("media-in", "img/ok.png")))
        self.lab.put("media-in", "m/other.jsonl", manifest(("media-in", "img/ok.jpg"), "bad"))
        self.lab.put("media-in", "m/empty-lines.jsonl", b"not json\n")
        self.lab.put("media-in", "m/gone.jsonl", manifest(("media-in", "img/ok.png")))
        source = self.start_source()
        api = Signed(source, ACCOUNT, ACCOUNT_SECRET)
        by_version = self.start_job(api, "m/batch.jsonl", version=first)
        latest = self.start_job(api, "m/other.jsonl")
        failed = self.start_job(api, "m/empty-lines.jsonl")
        gone = self.start_job(api, "m/gone.jsonl")
        self.assertEqual([job["Status"] for job in (by_version, latest, failed, gone)],
                         ["SUCCEEDED", "SUCCEEDED", "FAILED", "SUCCEEDED"])
        self.assertIn("Version", by_version["Results"]["S3Object"])
        self.lab.s3.delete_object(Bucket="media-in", Key="m/gone.jsonl")  # a delete marker

        folder = os.path.join(self.tmp, "s3")
        output = os.path.join(self.tmp, "jobs.json")
        proc = self.snapshot_with_outputs(source, folder, output)
        self.assertIn("s3://media-in/m/gone.jsonl, job %s's input manifest: " % gone["JobId"],
                      proc.stderr)
        self.assertIn("1 not copied:", proc.stderr)
        self.assertNotIn(ACCOUNT_SECRET, proc.stderr)

        # Byte for byte, each as its job names it.
        expected = {("media-in", "m/batch.jsonl"): self.lab.get("media-in", "m/batch.jsonl", first),
                    ("media-in", "m/other.jsonl"): self.lab.get("media-in", "m/other.jsonl"),
                    ("media-in", "m/empty-lines.jsonl"): b"not json\n"}
        for job in (by_version, latest, gone):
            for output_name in ("Results", "ManifestSummary"):
                named = job[output_name]["S3Object"]
                expected[(named["Bucket"], named["Name"])] = self.lab.get(
                    named["Bucket"], named["Name"], named.get("Version"))
        copied = {}
        for root, _, files in os.walk(folder):
            for name in files:
                path = os.path.join(root, name)
                bucket, _, key = os.path.relpath(path, folder).partition(os.sep)
                if bucket != ".object-versions.json":
                    with open(path, "rb") as f:
                        copied[(bucket, key)] = f.read()
        self.assertEqual(copied, expected)
        self.assertIn("objects copied, %d bytes" % sum(map(len, expected.values())), proc.stderr)
        with open(os.path.join(folder, ".object-versions.json"), encoding="utf-8") as f:
            record = {(entry["Bucket"], entry["Key"]): entry["Version"]
                      for entry in json.load(f)["ObjectVersions"]}
        self.assertEqual(record[("media-in", "m/batch.jsonl")], first)
        self.assertNotIn(("media-in", "m/other.jsonl"), record)  # named without a version
        self.assertEqual(record[("media-out", by_version["Results"]["S3Object"]["Name"])],
                         by_version["Results"]["S3Object"]["Version"])

        before = {path: (os.stat(path).st_mtime_ns, os.stat(path).st_ino)
                  for path in (os.path.join(r, n) for r, _, fs in os.walk(folder) for n in fs)}
        loaded = self.start_server("--log-level", "warn", "--auth", "sigv4", "--credential",
                                   f"{ACCOUNT}:{ACCOUNT_SECRET}", "--fixtures", output,
                                   "--s3-dir", folder, "--image-check", "lenient")
        second = Signed(loaded, ACCOUNT, ACCOUNT_SECRET)
        scope = f"AccountId={ACCOUNT}&Region={REGION}"
        for job in (by_version, latest, gone):
            self.assertEqual(wire(second.call(GET_TARGET, {"JobId": job["JobId"]})),
                             wire(api.call(GET_TARGET, {"JobId": job["JobId"]})))
            for path, output_name in (("results", "Results"),
                                      ("manifest-summary", "ManifestSummary")):
                named = job[output_name]["S3Object"]
                served = control(loaded, "GET", f"/_mock/jobs/{job['JobId']}/{path}?{scope}")
                self.assertEqual(served.status, 200, served.raw)
                self.assertEqual(served.raw.encode(), expected[(named["Bucket"], named["Name"])])
        # A Start naming the copied manifest's version reads it from the folder store (images
        # are not copied: lenient checks let them be absent).
        again = self.start_job(second, "m/batch.jsonl", version=first, prefix="again/")
        self.assertEqual(again["Status"], "SUCCEEDED", again.get("FailureDetails"))
        # No loaded job's outputs were written again.
        self.assertEqual({path: (os.stat(path).st_mtime_ns, os.stat(path).st_ino)
                          for path in before}, before)

    def test_a_key_named_in_two_versions_keeps_the_newest_jobs(self):
        first = self.lab.put("media-in", "m.jsonl", manifest(("media-in", "img/ok.png")))
        second = self.lab.put("media-in", "m.jsonl", manifest(("media-in", "img/ok.jpg")))
        source = self.start_source()
        api = Signed(source, ACCOUNT, ACCOUNT_SECRET)
        older = self.start_job(api, "m.jsonl", version=first)
        newer = self.start_job(api, "m.jsonl", version=second)
        folder = os.path.join(self.tmp, "s3")
        proc = self.snapshot_with_outputs(source, folder, os.path.join(self.tmp, "jobs.json"),
                                          "--status", "SUCCEEDED")
        with open(os.path.join(folder, "media-in", "m.jsonl"), "rb") as f:
            copied = f.read()
        # Jobs are copied newest first; the same creation millisecond orders by JobId.
        kept = max((older, newer), key=lambda job: (job["CreationTimestamp"], job["JobId"]))
        dropped = older if kept is newer else newer
        self.assertEqual(copied, self.lab.get("media-in", "m.jsonl",
                                              kept["Input"]["S3Object"]["Version"]))
        self.assertIn("s3://media-in/m.jsonl (version %s), job %s's input manifest: the folder "
                      "holds version %s of this key already"
                      % (dropped["Input"]["S3Object"]["Version"], dropped["JobId"],
                         kept["Input"]["S3Object"]["Version"]), proc.stderr)

    def snapshot_with_outputs(self, source, folder, output, *args):
        proc = run_binary("snapshot", "--endpoint", source.endpoint, "--output", output,
                          "--with-outputs", folder, "--s3-endpoint", self.moto.endpoint, *args,
                          env=self.ENV, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc
