"""Assertions on the calls code made, through the real binary and boto3: the request log's filters
(Operation, AccountId, Region, Status and status classes, ErrorType and *, ClientRequestToken,
JobName, Unroutable, Since, Limit) and GET /_mock/requests/count. The cases are the ones tests
are written for: "Start was called exactly once with this token" (SDK retries included), "no
request failed validation", a call the mock could not route (an operation it does not serve,
another method, an oversized body, unparsable HTTP), and "what happened since this request"."""

import os
import socket
import unittest
import urllib.parse

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from mock_server import isolate_aws_environment
from mock_server import (START_TARGET, UUID_RE, SharedServerTestCase, call, control, control_ok,
                         default_fixtures, read_http_response, scope_headers)

DEFAULT_ACCOUNT = "000000000000"
DEFAULT_REGION = "us-east-1"
ACCOUNT_A = "111122223333"
NO_RETRY = {"total_max_attempts": 1, "mode": "standard"}
BODY_LIMIT = 1 << 20


def setUpModule():
    isolate_aws_environment()


def start_kwargs(name="manifests/batch-1.jsonl", **extra):
    kwargs = {"OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 60}},
              "Input": {"S3Object": {"Bucket": "my-media", "Name": name}},
              "OutputConfig": {"S3Bucket": "my-results", "S3KeyPrefix": "moderation/"}}
    kwargs.update(extra)
    return kwargs


class RequestAssertionsTest(SharedServerTestCase):
    """One server for the class, reset before each test, as a user's suite would use it."""

    @classmethod
    def server_args(cls):
        return ("--log-level", "warn", "--fixtures", default_fixtures())

    def setUp(self):
        super().setUp()
        control_ok(self.server, "POST", "/_mock/reset")  # also empties the request log

    def client(self, access_key="test", region=DEFAULT_REGION, retries=None):
        session = boto3.session.Session()
        return session.client("rekognition", endpoint_url=self.server.endpoint,
                              region_name=region, aws_access_key_id=access_key,
                              aws_secret_access_key="secret",
                              config=Config(retries=retries or NO_RETRY))

    def requests(self, **filters):
        query = urllib.parse.urlencode(filters)
        return control_ok(self.server, "GET", "/_mock/requests" + ("?" + query if query else ""))[
            "Requests"]

    def count(self, **filters):
        query = urllib.parse.urlencode(filters)
        answer = control_ok(self.server, "GET",
                            "/_mock/requests/count" + ("?" + query if query else ""))
        self.assertEqual(list(answer), ["Count"])
        return answer["Count"]

    def assertBadRequest(self, path):
        resp = control(self.server, "GET", path)
        with self.subTest(path=path):
            self.assertEqual(resp.status, 400, resp)
            self.assertEqual(set(resp.json), {"Error", "Message"}, resp)
            self.assertEqual(resp.json["Error"], "BadRequest")
            self.assertTrue(resp.json["Message"])
        return resp.json["Message"] if resp.json else ""

    # ------------------------------------------------------------------------------------------
    def test_start_was_called_exactly_once_with_a_token(self):
        client = self.client()
        job_id = client.start_media_analysis_job(
            ClientRequestToken="order-42", JobName="nightly", **start_kwargs())["JobId"]
        client.start_media_analysis_job(ClientRequestToken="order-43", **start_kwargs("b.jsonl"))
        client.get_media_analysis_job(JobId=job_id)

        # The assertion a test makes, in one call.
        self.assertEqual(self.count(Operation="StartMediaAnalysisJob",
                                    ClientRequestToken="order-42"), 1)
        [record] = self.requests(ClientRequestToken="order-42")
        self.assertEqual(record["Operation"], "StartMediaAnalysisJob")
        self.assertEqual(record["ClientRequestToken"], "order-42")
        self.assertEqual(record["JobName"], "nightly")
        self.assertEqual(record["Status"], 200)
        self.assertEqual(self.count(JobName="nightly"), 1)
        self.assertEqual(self.count(Operation="StartMediaAnalysisJob"), 2)
        # Only Start carries a token: Get is not counted under any.
        self.assertNotIn("ClientRequestToken", self.requests(Operation="GetMediaAnalysisJob")[0])

        # A second Start with the token (an idempotent retry by the code under test) is a
        # second call, though it creates nothing: the assertion catches it.
        again = client.start_media_analysis_job(
            ClientRequestToken="order-42", JobName="nightly", **start_kwargs())["JobId"]
        self.assertEqual(again, job_id)
        self.assertEqual(self.count(Operation="StartMediaAnalysisJob",
                                    ClientRequestToken="order-42"), 2)

    def test_the_token_boto3_makes_up_is_the_one_journaled(self):
        # botocore fills ClientRequestToken (an idempotency token) when the caller gives none.
        started = self.client().start_media_analysis_job(**start_kwargs())
        [record] = self.requests(Operation="StartMediaAnalysisJob")
        self.assertRegex(record["ClientRequestToken"], UUID_RE)
        self.assertNotIn("JobName", record)
        self.assertEqual(record["RequestId"], started["ResponseMetadata"]["RequestId"])
        self.assertEqual(self.count(ClientRequestToken=record["ClientRequestToken"]), 1)

    def test_sdk_retries_are_separate_calls_with_the_same_token(self):
        control_ok(self.server, "POST", "/_mock/faults",
                   {"Operation": "StartMediaAnalysisJob", "Error": "ThrottlingException",
                    "Count": 2}, expect_status=201)
        client = self.client(retries={"total_max_attempts": 3, "mode": "standard"})
        started = client.start_media_analysis_job(ClientRequestToken="retried",
                                                  **start_kwargs())
        self.assertEqual(started["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual(self.count(ClientRequestToken="retried"), 3)
        self.assertEqual(self.count(ClientRequestToken="retried", Status="2xx"), 1)
        self.assertEqual(self.count(ClientRequestToken="retried", ErrorType="ThrottlingException"),
                         2)
        self.assertEqual([r["Status"] for r in self.requests(ClientRequestToken="retried")],
                         [500, 500, 200])

    def test_no_request_failed_validation(self):
        client = self.client()
        job_id = client.start_media_analysis_job(**start_kwargs())["JobId"]
        client.get_media_analysis_job(JobId=job_id)
        client.list_media_analysis_jobs(MaxResults=5)
        self.assertEqual(self.count(ErrorType="InvalidParameterException"), 0)
        self.assertEqual(self.count(ErrorType="*"), 0)
        self.assertEqual(self.count(Status="4xx"), 0)
        self.assertEqual(self.count(Status="2xx"), 3)

        # Now one that does fail validation (botocore does not check JobId's pattern).
        with self.assertRaises(ClientError) as raised:
            client.get_media_analysis_job(JobId="not a job id!")
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidParameterException")
        with self.assertRaises(ClientError):
            client.start_media_analysis_job(JobName="bad name!", **start_kwargs())
        failed = self.requests(ErrorType="InvalidParameterException")
        self.assertEqual([(r["Operation"], r["Status"]) for r in failed],
                         [("GetMediaAnalysisJob", 400), ("StartMediaAnalysisJob", 400)])
        self.assertEqual(failed[1]["JobName"], "bad name!")  # as sent, though refused
        self.assertEqual(failed[0]["RequestId"],
                         raised.exception.response["ResponseMetadata"]["RequestId"])
        self.assertEqual(self.count(Status="400"), 2)
        self.assertEqual(self.count(ErrorType="*"), 2)
        self.assertEqual(self.count(Status="4xx", Operation="ListMediaAnalysisJobs"), 0)

    def test_an_operation_the_mock_does_not_serve_is_listed_as_unroutable(self):
        client = self.client(access_key=ACCOUNT_A, region="eu-west-1")
        with self.assertRaises(ClientError) as raised:
            client.detect_labels(Image={"S3Object": {"Bucket": "my-media", "Name": "cat.jpg"}})
        self.assertEqual(raised.exception.response["Error"]["Code"], "UnknownOperationException")
        client.list_media_analysis_jobs()

        [record] = self.requests(Unroutable="true")
        self.assertEqual(record, {
            "Time": record["Time"],
            "RequestId": raised.exception.response["ResponseMetadata"]["RequestId"],
            "Unroutable": True,
            "Method": "POST",
            "Path": "/",
            "Target": "RekognitionService.DetectLabels",
            "AccountId": ACCOUNT_A,
            "Region": "eu-west-1",
            "Status": 400,
            "ErrorType": "UnknownOperationException",
        })
        self.assertEqual(self.count(Unroutable="false"), 1)
        self.assertEqual(self.count(Operation="ListMediaAnalysisJobs"), 1)
        self.assertEqual(self.count(), 2)
        # The log as a whole never holds a null.
        for entry in self.requests():
            self.assertNotIn(None, entry.values(), entry)

    def test_requests_the_mock_cannot_read_or_route_are_listed_as_unroutable(self):
        server = self.server
        # Another method, and no target at all.
        get = call(server.host, server.port, {}, method="GET", target=None,
                   headers=scope_headers(ACCOUNT_A, "eu-west-1"))
        self.assertEqual(get.status, 400)
        # A body over the limit: the header named an operation, but none ever saw the request.
        too_large = call(server.host, server.port, raw_body=b"{" + b" " * BODY_LIMIT + b"}",
                         target=START_TARGET)
        self.assertEqual(too_large.status, 413)
        # HTTP the mock cannot parse: nothing is known but that it came.
        with socket.create_connection((server.host, server.port), timeout=10) as sock:
            sock.sendall(b"HELLO\r\n\r\n")
            status, headers, _ = read_http_response(sock.makefile("rb"))
        self.assertEqual(status, 400)

        records = self.requests(Unroutable="true")
        self.assertEqual(len(records), 3, records)
        self.assertEqual({k: records[0][k] for k in ("Method", "Path", "AccountId", "Region",
                                                      "Status", "ErrorType")},
                         {"Method": "GET", "Path": "/", "AccountId": ACCOUNT_A,
                          "Region": "eu-west-1", "Status": 400,
                          "ErrorType": "UnknownOperationException"})
        self.assertNotIn("Target", records[0])
        self.assertEqual(records[0]["RequestId"], get.request_id)
        self.assertEqual({k: records[1][k] for k in ("Method", "Path", "Target", "Status",
                                                      "ErrorType")},
                         {"Method": "POST", "Path": "/", "Target": START_TARGET, "Status": 413,
                          "ErrorType": "SerializationException"})
        self.assertEqual(records[1]["RequestId"], too_large.request_id)
        self.assertEqual(records[2]["RequestId"], headers["x-amzn-requestid"])
        self.assertEqual(records[2]["Status"], 400)
        for absent in ("Method", "Path", "Target", "Operation"):
            self.assertNotIn(absent, records[2])
        self.assertEqual((records[2]["AccountId"], records[2]["Region"]),
                         (DEFAULT_ACCOUNT, DEFAULT_REGION))
        # None of them is counted as a Start.
        self.assertEqual(self.count(Operation="StartMediaAnalysisJob"), 0)
        self.assertEqual(self.count(Unroutable="true", Status="4xx"), 3)

    def test_since_a_request_id(self):
        client = self.client()
        client.list_media_analysis_jobs()
        mark = client.list_media_analysis_jobs(MaxResults=1)["ResponseMetadata"]["RequestId"]
        self.assertEqual(self.requests(Since=mark), [])
        self.assertEqual(self.count(Since=mark), 0)

        job_id = client.start_media_analysis_job(**start_kwargs())["JobId"]
        client.get_media_analysis_job(JobId=job_id)
        client.get_media_analysis_job(JobId=job_id)
        after = self.requests(Since=mark)
        self.assertEqual([r["Operation"] for r in after],
                         ["StartMediaAnalysisJob", "GetMediaAnalysisJob", "GetMediaAnalysisJob"])
        self.assertEqual(self.count(Since=mark, Operation="GetMediaAnalysisJob"), 2)
        self.assertEqual(self.count(Since=mark, Operation="ListMediaAnalysisJobs"), 0)
        self.assertEqual(self.count(Operation="ListMediaAnalysisJobs"), 2)
        # Limit keeps the newest of what follows.
        self.assertEqual([r["RequestId"] for r in self.requests(Since=mark, Limit=1)],
                         [after[-1]["RequestId"]])
        # Since a request that is not in the log: refused, never "nothing since".
        self.assertIn("no-such-request", self.assertBadRequest(
            "/_mock/requests?Since=no-such-request"))
        control_ok(self.server, "DELETE", "/_mock/requests")
        self.assertBadRequest("/_mock/requests/count?Since=" + mark)

    def test_counts_by_scope_status_and_error(self):
        self.client().list_media_analysis_jobs()
        other = self.client(access_key=ACCOUNT_A, region="eu-west-1")
        other.list_media_analysis_jobs()
        with self.assertRaises(ClientError):
            other.get_media_analysis_job(JobId="0" * 64)  # ResourceNotFoundException
        self.assertEqual(self.count(AccountId=ACCOUNT_A), 2)
        self.assertEqual(self.count(AccountId=ACCOUNT_A, Region="eu-west-1"), 2)
        self.assertEqual(self.count(Region="eu-west-1", Status="2xx"), 1)
        self.assertEqual(self.count(AccountId=DEFAULT_ACCOUNT), 1)
        self.assertEqual(self.count(ErrorType="ResourceNotFoundException"), 1)
        self.assertEqual(self.count(Status="5xx"), 0)
        self.assertEqual(self.count(Status="200"), 2)
        # The list and the count agree, whatever the filter.
        for filters in ({}, {"AccountId": ACCOUNT_A}, {"Status": "4xx"}, {"ErrorType": "*"}):
            with self.subTest(filters=filters):
                self.assertEqual(len(self.requests(**filters)), self.count(**filters))

    def test_bad_filters_are_bad_requests(self):
        for path in ("/_mock/requests?Status=6xx", "/_mock/requests?Status=4x",
                     "/_mock/requests?ErrorType=ValidationException",
                     "/_mock/requests/count?Operation=DetectLabels",
                     "/_mock/requests/count?Operaton=StartMediaAnalysisJob",
                     "/_mock/requests?AccountId=123", "/_mock/requests?Region=Mars_1",
                     "/_mock/requests?Unroutable=yes", "/_mock/requests/count?Limit=5",
                     "/_mock/requests?ClientRequestToken=" + "t" * 257,
                     "/_mock/requests?Operation="):
            self.assertBadRequest(path)
        # The message for a misspelt error type lists what the mock answers with.
        message = self.assertBadRequest("/_mock/requests?ErrorType=ValidationException")
        self.assertIn("InvalidParameterException", message)
        resp = control(self.server, "POST", "/_mock/requests/count")
        self.assertEqual(resp.status, 405, resp)


if __name__ == "__main__":
    unittest.main()
