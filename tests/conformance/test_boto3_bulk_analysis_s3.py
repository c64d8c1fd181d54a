"""The bulk analysis flows of test_boto3_bulk_analysis.py on the S3 backend (--s3-endpoint),
against a real S3 server (moto_server) with versioned buckets, plus what only S3 has: versions,
SSE-KMS headers, multipart uploads of large results, https with a self-signed certificate."""

import json
import unittest

import test_boto3_bulk_analysis as flows
from bulk_lab import image_bytes, manifest
from mock_server import ServerTestCase, control_ok
from s3_lab import HostileS3Proxy, MotoServer, S3Lab, SharedMotoServer, make_certificate

KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


class S3BackendTest(SharedMotoServer, flows.BulkAnalysisFlows, ServerTestCase):
    def make_lab(self):
        self.moto.reset()
        return S3Lab(self.moto, versioned=True)

    def test_a_job_with_a_kms_key_writes_its_outputs_with_sse_kms(self):
        self.lab.put("media-in", "img.png", image_bytes("ok-120x90.png"))
        self.lab.put("media-in", "m.jsonl", manifest(("media-in", "img.png")))
        _, client = self.start_mock()
        job = self.wait_terminal(client, self.start_job(client, name="m.jsonl", KmsKeyId=KMS_KEY))
        self.assertEqual(job["Status"], "SUCCEEDED", job.get("FailureDetails"))
        for output in (job["Results"]["S3Object"], job["ManifestSummary"]["S3Object"]):
            head = self.lab.head(output["Bucket"], output["Name"])
            self.assertEqual(head["ServerSideEncryption"], "aws:kms")
            self.assertEqual(head["SSEKMSKeyId"], KMS_KEY)

    def test_a_manifest_version_is_read_as_that_version(self):
        self.lab.put("media-in", "img.png", image_bytes("ok-120x90.png"))
        first = self.lab.put("media-in", "m.jsonl", manifest(("media-in", "img.png")))
        self.lab.put("media-in", "m.jsonl", b"nothing valid\n")
        _, client = self.start_mock()
        job_id = client.start_media_analysis_job(
            OperationsConfig={"DetectModerationLabels": {}},
            Input={"S3Object": {"Bucket": "media-in", "Name": "m.jsonl", "Version": first}},
            OutputConfig={"S3Bucket": "media-out"})["JobId"]
        job = self.wait_terminal(client, job_id)
        self.assertEqual(job["Status"], "SUCCEEDED", job.get("FailureDetails"))
        self.assertEqual(job["Input"]["S3Object"]["Version"], first)
        with self.assertRaises(client.exceptions.InvalidS3ObjectException):
            client.start_media_analysis_job(
                OperationsConfig={"DetectModerationLabels": {}},
                Input={"S3Object": {"Bucket": "media-in", "Name": "m.jsonl",
                                    "Version": "no-such-version"}},
                OutputConfig={"S3Bucket": "media-out"})

    def test_outputs_a_server_answers_100_continue_then_500_fail_the_job(self):
        # Reads reach moto; every write gets an interim answer, then the final one: a failure.
        # Read as the final answer, the 100 made the job SUCCEED with no outputs stored.
        self.lab.put("media-in", "img.png", image_bytes("ok-120x90.png"))
        self.lab.put("media-in", "m.jsonl", manifest(("media-in", "img.png")))
        refusal = (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 500 Internal Server Error\r\n"
                   b"Content-Length: 41\r\n\r\n<Error><Code>InternalError</Code></Error>")
        with HostileS3Proxy(self.moto, lambda method, target:
                            refusal if method in ("PUT", "POST") else None) as proxy:
            args = list(self.lab.server_args())
            args[args.index("--s3-endpoint") + 1] = proxy.endpoint
            server = self.start_server("--log-level", "warn", *args)
            client = flows.rekognition(server.endpoint)
            job = self.wait_terminal(client, self.start_job(client, name="m.jsonl"))
        self.assertEqual(job["Status"], "FAILED")
        self.assertEqual(job["FailureDetails"]["Code"], "INVALID_OUTPUT_CONFIG")
        self.assertIn("HTTP 500", job["FailureDetails"]["Message"])
        self.assertEqual(self.lab.s3.list_objects_v2(Bucket="media-out").get("KeyCount"), 0)

    def test_large_results_arrive_whole_through_a_multipart_upload(self):
        # About 10 MB of results, past the 8 MiB part size, from few lines (each one is a GET
        # to moto_server): long keys make long lines.
        lines = 8_000
        padding = "p" * 1000  # keys of 1,018 characters: lines of 1,163 bytes
        body = "".join('{"source-ref": "s3://media-in/img/%s%06d.jpg"}\n' % (padding, i)
                       for i in range(lines))
        self.lab.put("media-in", "big.jsonl", body.encode())
        server, _ = self.start_mock("--image-check", "lenient")
        # The Get that finds the job due does its 8,000 lookups before it answers: allow for a
        # loaded machine, where moto_server takes several milliseconds a request.
        client = flows.rekognition(server.endpoint, read_timeout=600)
        job = self.wait_terminal(client, self.start_job(client, name="big.jsonl"))
        self.assertEqual(job["Status"], "SUCCEEDED", job.get("FailureDetails"))
        results = job["Results"]["S3Object"]
        head = self.lab.head(results["Bucket"], results["Name"])
        self.assertRegex(head["ETag"], r'-\d+"$', "not a multipart upload")
        text = self.lab.get(results["Bucket"], results["Name"]).decode()
        got = text.splitlines()
        self.assertEqual(len(got), lines)
        self.assertEqual(json.loads(got[-1])["source-ref"],
                         "s3://media-in/img/%s%06d.jpg" % (padding, lines - 1))


class S3OverHttpsTest(flows.BulkAnalysisFlows, ServerTestCase):
    """The main flow over https, trusting the test server's certificate through --s3-ca-file."""

    moto = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        import tempfile
        cls._certs = tempfile.TemporaryDirectory(prefix="rekmock-tls-")
        cls.moto = MotoServer(tls=make_certificate(cls._certs.name))

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()
        cls._certs.cleanup()
        super().tearDownClass()

    def make_lab(self):
        self.moto.reset()
        return S3Lab(self.moto)

    def test_without_the_ca_file_the_certificate_is_refused(self):
        self.lab.put("media-in", "m.jsonl", manifest(("media-in", "img.png")))
        args = [a for a in self.lab.server_args()]
        at = args.index("--s3-ca-file")
        del args[at:at + 2]
        server = self.start_server("--log-level", "warn", *args)
        client = flows.rekognition(server.endpoint)
        with self.assertRaises(client.exceptions.InvalidS3ObjectException) as caught:
            self.start_job(client, name="m.jsonl")
        self.assertIn("certificate", str(caught.exception).lower())
        self.assertEqual(control_ok(server, "GET", "/_mock/health")["ObjectStore"]["Kind"], "s3")


# Only the main pipeline runs over https: the rest is the same code over http.
for _name in [n for n in dir(flows.BulkAnalysisFlows) if n.startswith("test_")]:
    if _name != "test_pipeline_reads_the_manifest_and_writes_results_and_summary":
        setattr(S3OverHttpsTest, _name, None)


if __name__ == "__main__":
    unittest.main()
