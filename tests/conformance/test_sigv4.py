"""Opt-in SigV4 verification (--auth sigv4 --credential KEY:SECRET): boto3 and the AWS CLI sign
normally and pass; wrong secrets, unknown keys, unsigned, stale and tampered requests get AWS's
authentication errors (HTTP 400); the control plane stays open; accounts still come from 12-digit
access key ids; without --auth anything is accepted as before."""

import datetime
import http.client
import json
import os
import subprocess
import unittest
from unittest import mock

import boto3
import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from mock_server import isolate_aws_environment
from mock_server import (SharedServerTestCase, CONTENT_TYPE, GET_TARGET, START_TARGET, TARGET, MockServer,
                         ServerTestCase, call, control, default_fixtures, kill_leftovers,
                         require_tool, run_binary, scope_headers)

GOOD_KEY, GOOD_SECRET = "AKIAGOODKEY", "good/secret+value"
ACCOUNT_KEY, ACCOUNT_SECRET = "111122223333", "account-secret"
FIXTURE_COUNT = 48
NO_RETRY = Config(retries={"total_max_attempts": 1})
AUTH_ERROR_MEMBERS = ["__type", "Code", "Logref", "Message"]




def setUpModule():
    isolate_aws_environment()


def start_kwargs(name="manifests/sigv4.jsonl", **extra):
    kwargs = {
        "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
        "Input": {"S3Object": {"Bucket": "input-bucket", "Name": name}},
        "OutputConfig": {"S3Bucket": "output-bucket", "S3KeyPrefix": "sigv4/"},
    }
    kwargs.update(extra)
    return kwargs


def signed_request(server, body, access_key=GOOD_KEY, secret=GOOD_SECRET, target=TARGET,
                   region="us-east-1", at=None):
    """An AWSRequest signed by botocore's own SigV4Auth, optionally as if at time `at`."""
    payload = json.dumps(body).encode()
    request = AWSRequest(method="POST", url=server.endpoint + "/", data=payload,
                         headers={"Content-Type": CONTENT_TYPE, "X-Amz-Target": target})
    signer = botocore.auth.SigV4Auth(Credentials(access_key, secret), "rekognition", region)
    if at is None:
        signer.add_auth(request)
    else:
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=at):
            signer.add_auth(request)
    return request


def send(server, request, body=None):
    """Send a prepared AWSRequest with http.client; `body` replaces the signed payload."""
    prepared = request.prepare()
    payload = prepared.body if body is None else body
    headers = {k: v for k, v in prepared.headers.items()}
    headers.pop("Content-Length", None)
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request("POST", "/", body=payload, headers=headers)
        resp = conn.getresponse()
        raw = resp.read().decode("utf-8", "replace")
        return resp.status, resp.headers, json.loads(raw) if raw else None
    finally:
        conn.close()


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class SigV4ServerTest(SharedServerTestCase):
    """One server with --auth sigv4 and two credentials, shared by the class."""

    @classmethod
    def server_args(cls):
        return ("--log-level", "warn", "--fixtures", default_fixtures(), "--auth", "sigv4",
                "--credential", f"{GOOD_KEY}:{GOOD_SECRET}",
                "--credential", f"{ACCOUNT_KEY}:{ACCOUNT_SECRET}")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        isolate_aws_environment()

    def client(self, access_key=GOOD_KEY, secret=GOOD_SECRET, region="us-east-1", config=NO_RETRY,
               server=None):
        session = boto3.session.Session()
        client = session.client("rekognition", endpoint_url=(server or self.server).endpoint,
                                region_name=region, aws_access_key_id=access_key,
                                aws_secret_access_key=secret, config=config)
        self.addCleanup(client.close)
        return client

    def assertAwsError(self, status, headers, body, error_type):
        self.assertEqual(status, 400, body)
        self.assertIsInstance(body, dict)
        self.assertEqual(list(body), AUTH_ERROR_MEMBERS, body)
        self.assertEqual(body["__type"], error_type, body)
        self.assertEqual(body["Code"], error_type, body)
        self.assertTrue(body["Message"], body)
        self.assertTrue(headers.get("x-amzn-ErrorType", "").startswith(error_type), dict(headers))
        self.assertTrue(headers.get("x-amzn-RequestId"), dict(headers))

    def assertClientError(self, ctx, error_type):
        response = ctx.exception.response
        self.assertEqual(response["Error"]["Code"], error_type, response)
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 400, response)
        self.assertEqual(response["ResponseMetadata"]["RetryAttempts"], 0, response)

    # -- signed by boto3 ------------------------------------------------------------------------
    def test_boto3_list_start_get_pass_with_either_credential(self):
        for key, secret in ((GOOD_KEY, GOOD_SECRET), (ACCOUNT_KEY, ACCOUNT_SECRET)):
            with self.subTest(key=key):
                client = self.client(key, secret)
                page = client.list_media_analysis_jobs(MaxResults=5)
                self.assertEqual(page["ResponseMetadata"]["HTTPStatusCode"], 200)
                job_id = client.start_media_analysis_job(
                    JobName="signed", **start_kwargs(f"manifests/{key}.jsonl"))["JobId"]
                job = client.get_media_analysis_job(JobId=job_id)
                self.assertEqual(job["JobId"], job_id)
                self.assertEqual(job["JobName"], "signed")

    def test_boto3_default_account_sees_the_fixtures(self):
        client = self.client()
        page = client.list_media_analysis_jobs(MaxResults=100)
        ids = {j["JobId"] for j in page["MediaAnalysisJobs"]}
        self.assertGreaterEqual(len(ids), FIXTURE_COUNT)

    # -- rejected by boto3 ----------------------------------------------------------------------
    def test_wrong_secret_is_invalid_signature(self):
        for key in (GOOD_KEY, ACCOUNT_KEY):
            with self.subTest(key=key):
                client = self.client(key, "not-the-secret")
                with self.assertRaises(ClientError) as ctx:
                    client.list_media_analysis_jobs()
                self.assertClientError(ctx, "InvalidSignatureException")
        # The secret of the other configured key does not do either.
        with self.assertRaises(ClientError) as ctx:
            self.client(GOOD_KEY, ACCOUNT_SECRET).start_media_analysis_job(**start_kwargs())
        self.assertClientError(ctx, "InvalidSignatureException")

    def test_unknown_access_key_is_unrecognized_client(self):
        for key in ("AKIAUNKNOWN", "999988887777", "test"):
            with self.subTest(key=key):
                with self.assertRaises(ClientError) as ctx:
                    self.client(key, GOOD_SECRET).list_media_analysis_jobs()
                self.assertClientError(ctx, "UnrecognizedClientException")

    def test_unsigned_request_is_missing_authentication_token(self):
        client = self.client(config=Config(signature_version=botocore.UNSIGNED,
                                           retries={"total_max_attempts": 1}))
        with self.assertRaises(ClientError) as ctx:
            client.list_media_analysis_jobs()
        self.assertClientError(ctx, "MissingAuthenticationTokenException")
        with self.assertRaises(ClientError) as ctx:
            client.get_media_analysis_job(JobId="not-even-looked-at")
        self.assertClientError(ctx, "MissingAuthenticationTokenException")

    # -- raw HTTP -------------------------------------------------------------------------------
    def test_raw_unsigned_request_gets_the_aws_error_shape(self):
        resp = call(self.server.host, self.server.port, {})
        self.assertAwsError(resp.status, resp.headers, resp.json,
                            "MissingAuthenticationTokenException")
        # Authentication comes before everything: even an unknown operation or a broken body.
        resp = call(self.server.host, self.server.port, target="RekognitionService.DetectFaces")
        self.assertAwsError(resp.status, resp.headers, resp.json,
                            "MissingAuthenticationTokenException")
        resp = call(self.server.host, self.server.port, raw_body="{not json")
        self.assertAwsError(resp.status, resp.headers, resp.json,
                            "MissingAuthenticationTokenException")

    def test_raw_incomplete_headers_are_incomplete_signature(self):
        # The unchecked-signature header other suites use: no X-Amz-Date, so incomplete.
        resp = call(self.server.host, self.server.port, {},
                    headers=scope_headers(access_key=GOOD_KEY))
        self.assertAwsError(resp.status, resp.headers, resp.json, "IncompleteSignatureException")
        for header in ("Bearer token", "AWS4-HMAC-SHA256",
                       f"AWS4-HMAC-SHA256 Credential={GOOD_KEY}/20240101/us-east-1/rekognition, "
                       f"SignedHeaders=host, Signature={'0' * 64}"):
            with self.subTest(header=header):
                resp = call(self.server.host, self.server.port, {},
                            headers={"Authorization": header})
                self.assertAwsError(resp.status, resp.headers, resp.json,
                                    "IncompleteSignatureException")

    def test_botocore_signed_raw_request_passes(self):
        status, headers, body = send(self.server, signed_request(self.server, {"MaxResults": 1}))
        self.assertEqual(status, 200, body)
        self.assertEqual(len(body["MediaAnalysisJobs"]), 1)

    def test_signed_20_minutes_ago_or_ahead_is_signature_expired(self):
        for minutes in (-20, 20):
            with self.subTest(minutes=minutes):
                at = utc_now() + datetime.timedelta(minutes=minutes)
                request = signed_request(self.server, {}, at=at)
                self.assertEqual(request.headers["X-Amz-Date"], at.strftime("%Y%m%dT%H%M%SZ"))
                status, headers, body = send(self.server, request)
                self.assertAwsError(status, headers, body, "InvalidSignatureException")
                self.assertTrue(body["Message"].startswith("Signature expired"), body)

    def test_signed_10_minutes_ago_is_within_the_skew(self):
        for minutes in (-10, 10):
            with self.subTest(minutes=minutes):
                at = utc_now() + datetime.timedelta(minutes=minutes)
                status, _, body = send(self.server, signed_request(self.server, {}, at=at))
                self.assertEqual(status, 200, body)

    def test_body_tampered_after_signing_is_invalid_signature(self):
        request = signed_request(self.server, {"MaxResults": 1})
        status, headers, body = send(self.server, request, body=b'{"MaxResults": 2}')
        self.assertAwsError(status, headers, body, "InvalidSignatureException")
        self.assertTrue(body["Message"].startswith("The request signature we calculated"), body)

    def test_signed_header_tampered_after_signing_is_invalid_signature(self):
        request = signed_request(self.server, {"JobId": "x"}, target=GET_TARGET)
        request.headers.replace_header("X-Amz-Target", START_TARGET)
        status, headers, body = send(self.server, request)
        self.assertAwsError(status, headers, body, "InvalidSignatureException")

    def test_region_changed_in_the_scope_is_invalid_signature(self):
        request = signed_request(self.server, {})
        auth = request.headers["Authorization"]
        self.assertIn("/us-east-1/rekognition/aws4_request", auth)
        request.headers.replace_header("Authorization", auth.replace("/us-east-1/", "/eu-west-1/"))
        status, headers, body = send(self.server, request)
        self.assertAwsError(status, headers, body, "InvalidSignatureException")

    def test_authorization_header_reshaped_after_signing_verifies_as_signed_or_is_refused(self):
        """The Authorization header is not itself signed: every reshaping of its parameters
        (another account's credential before or after the real one, duplicates, unknown
        parameters, odd spacing and commas) either verifies as exactly the signed credential,
        in the signer's scope, or is refused. Never does it act in another account."""
        account_job = self.client(ACCOUNT_KEY, ACCOUNT_SECRET).start_media_analysis_job(
            **start_kwargs("manifests/spoof-target.jsonl"))["JobId"]
        request = signed_request(self.server, {"JobId": account_job}, target=GET_TARGET)
        auth = request.headers["Authorization"]
        algorithm, params = auth.split(" ", 1)
        credential, signed, signature = [p.strip() for p in params.split(",")]
        spoof = f"Credential={ACCOUNT_KEY}/" + credential.split("/", 1)[1]
        shapes = {
            "prefixed spoof": f"{algorithm} X{spoof}, {params}",
            "spoof glued before": f"{algorithm} X{spoof} {params}",
            "spoof first, duplicate": f"{algorithm} {spoof}, {params}",
            "spoof last, duplicate": f"{algorithm} {params}, {spoof}",
            "unknown parameter": f"{algorithm} {params}, Extra=1",
            "trailing comma": f"{algorithm} {params},",
            "double comma": f"{algorithm} {credential},, {signed}, {signature}",
            "repeated signature": f"{algorithm} {params}, {signature}",
            "no spaces": f"{algorithm} {credential},{signed},{signature}",
            "reordered": f"{algorithm} {signature}, {credential}, {signed}",
            "extra spaces": f"{algorithm} {credential} ,  {signed} ,   {signature}",
        }
        for name, header in shapes.items():
            with self.subTest(name):
                request.headers.replace_header("Authorization", header)
                status, headers, body = send(self.server, request)
                if status == 200:
                    # Verified as the signer (GOOD_KEY, default account): the account's job is
                    # not there for it.
                    self.fail(f"{name}: a spoofed header read another account's job: {body}")
                self.assertEqual(status, 400, body)
                self.assertIn(body["__type"], ("IncompleteSignatureException",
                                               "ResourceNotFoundException"), body)
        # The signer's own, well-formed variants verify, in the signer's scope.
        for header in (shapes["no spaces"], shapes["reordered"], shapes["extra spaces"]):
            request.headers.replace_header("Authorization", header)
            status, _, body = send(self.server, request)
            self.assertEqual((status, body["__type"]), (400, "ResourceNotFoundException"), body)

    # -- control plane --------------------------------------------------------------------------
    def test_control_plane_needs_no_signature(self):
        resp = control(self.server, "GET", "/_mock/health")
        self.assertEqual(resp.status, 200, resp)

    # -- scoping --------------------------------------------------------------------------------
    def test_twelve_digit_key_sees_only_its_own_accounts_jobs(self):
        region = "ap-southeast-2"
        account = self.client(ACCOUNT_KEY, ACCOUNT_SECRET, region=region)
        other = self.client(GOOD_KEY, GOOD_SECRET, region=region)
        mine = {account.start_media_analysis_job(
                    **start_kwargs(f"manifests/acct-{i}.jsonl"))["JobId"] for i in range(2)}
        theirs = other.start_media_analysis_job(**start_kwargs("manifests/default.jsonl"))["JobId"]
        listed = {j["JobId"] for j in account.list_media_analysis_jobs()["MediaAnalysisJobs"]}
        self.assertEqual(listed, mine)
        listed_other = {j["JobId"] for j in other.list_media_analysis_jobs()["MediaAnalysisJobs"]}
        self.assertEqual(listed_other, {theirs})
        with self.assertRaises(ClientError) as ctx:
            account.get_media_analysis_job(JobId=theirs)
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")
        # The account key in the fixtures' region sees none of the default account's fixtures.
        fixtures_region = self.client(ACCOUNT_KEY, ACCOUNT_SECRET)
        listed = fixtures_region.list_media_analysis_jobs(MaxResults=100)["MediaAnalysisJobs"]
        self.assertFalse({j["JobId"] for j in listed} & mine)
        self.assertLess(len(listed), FIXTURE_COUNT)

    # -- the AWS CLI ----------------------------------------------------------------------------
    def cli(self, access_key, secret):
        aws = require_tool("aws")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        config = os.path.join(self.tmp, "aws-config")
        credentials = os.path.join(self.tmp, "aws-credentials")
        for path in (config, credentials):
            with open(path, "w"):
                pass
        env.update({"AWS_ACCESS_KEY_ID": access_key, "AWS_SECRET_ACCESS_KEY": secret,
                    "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentials,
                    "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1",
                    "AWS_RETRY_MODE": "standard", "AWS_PAGER": ""})
        return subprocess.run([aws, "rekognition", "list-media-analysis-jobs", "--max-results",
                               "2", "--endpoint-url", self.server.endpoint, "--region",
                               "us-east-1", "--output", "json"],
                              env=env, capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)

    def test_aws_cli_with_the_right_secret_passes(self):
        proc = self.cli(GOOD_KEY, GOOD_SECRET)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(len(json.loads(proc.stdout)["MediaAnalysisJobs"]), 2)

    def test_aws_cli_with_a_wrong_secret_fails(self):
        proc = self.cli(GOOD_KEY, "wrong-secret")
        self.assertNotEqual(proc.returncode, 0, proc.stdout)
        self.assertIn("InvalidSignatureException", proc.stderr)


class SigV4ConfigurationTest(ServerTestCase):
    def client(self, server, access_key, secret):
        client = boto3.session.Session().client(
            "rekognition", endpoint_url=server.endpoint, region_name="us-east-1",
            aws_access_key_id=access_key, aws_secret_access_key=secret, config=NO_RETRY)
        self.addCleanup(client.close)
        return client

    def test_usage_errors_exit_2(self):
        for args in (["--auth", "sigv4"],
                     ["--auth", "sigv4", "--credential", "nocolon"],
                     ["--auth", "sigv4", "--credential", ":secret"],
                     ["--auth", "sigv4", "--credential", "key:"],
                     ["--auth", "sigv4", "--credential", "good:one", "--credential", "bad"],
                     ["--auth", "bogus", "--credential", "k:s"]):
            with self.subTest(args=args):
                proc = run_binary("--port", "0", *args, timeout=15)
                self.assertEqual(proc.returncode, 2, proc.stderr)
        proc = run_binary("--port", "0", env={"REKOGNITION_MOCK_AUTH": "sigv4"}, timeout=15)
        self.assertEqual(proc.returncode, 2, proc.stderr)

    def test_environment_configures_auth_and_credentials(self):
        server = self.start_server("--log-level", "warn",
                                   env={"REKOGNITION_MOCK_AUTH": "sigv4",
                                        "REKOGNITION_MOCK_CREDENTIALS": "AKIAENVONE:one,"
                                                                        "AKIAENVTWO:two"})
        for key, secret in (("AKIAENVONE", "one"), ("AKIAENVTWO", "two")):
            with self.subTest(key=key):
                page = self.client(server, key, secret).list_media_analysis_jobs()
                self.assertEqual(page["ResponseMetadata"]["HTTPStatusCode"], 200)
        with self.assertRaises(ClientError) as ctx:
            self.client(server, "AKIAENVONE", "two").list_media_analysis_jobs()
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidSignatureException")
        resp = call(server.host, server.port, {})
        self.assertEqual(resp.json["__type"], "MissingAuthenticationTokenException", resp)

    def test_default_accepts_anything_as_before(self):
        server = self.start_server("--log-level", "warn", "--fixtures", default_fixtures())
        resp = call(server.host, server.port, {"MaxResults": 1})
        self.assertEqual(resp.status, 200, resp)
        resp = call(server.host, server.port, {"MaxResults": 1}, headers=scope_headers("whoever"))
        self.assertEqual(resp.status, 200, resp)
        page = self.client(server, "AKIAANY", "any-secret").list_media_analysis_jobs()
        self.assertEqual(page["ResponseMetadata"]["HTTPStatusCode"], 200)
        unsigned = boto3.session.Session().client(
            "rekognition", endpoint_url=server.endpoint, region_name="us-east-1",
            config=Config(signature_version=botocore.UNSIGNED, retries={"total_max_attempts": 1}))
        self.addCleanup(unsigned.close)
        self.assertEqual(unsigned.list_media_analysis_jobs()["ResponseMetadata"]["HTTPStatusCode"],
                         200)
        stale = signed_request(server, {}, at=utc_now() - datetime.timedelta(minutes=20))
        status, _, body = send(server, stale)
        self.assertEqual(status, 200, body)


if __name__ == "__main__":
    unittest.main()
