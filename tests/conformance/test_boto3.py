"""boto3/botocore, using the service model shipped with botocore, against the mock."""

import datetime
import os
import unittest

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

import mock_server
from mock_server import isolate_aws_environment
from mock_server import (SharedServerTestCase, MockServer, UUID_RE, default_fixtures, expected_from_file,
                         load_fixture_jobs, to_ms)

NO_RETRY = {"max_attempts": 1, "mode": "standard"}




class Boto3TestBase(SharedServerTestCase):
    @classmethod
    def setUpClass(cls):
        isolate_aws_environment()
        super().setUpClass()
        cls.expected = expected_from_file(default_fixtures())
        cls.client = cls.make_client()
        cls.strict = cls.make_client(retries=NO_RETRY)

    @classmethod
    def make_client(cls, endpoint=None, **config):
        session = boto3.session.Session()
        return session.client(
            "rekognition", endpoint_url=endpoint or cls.server.endpoint, region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
            config=Config(**config) if config else None)

    def walk(self, client, max_results=None, token=None):
        jobs, pages = [], []
        for _ in range(200):
            kwargs = {}
            if max_results is not None:
                kwargs["MaxResults"] = max_results
            if token is not None:
                kwargs["NextToken"] = token
            page = client.list_media_analysis_jobs(**kwargs)
            pages.append(page)
            jobs.extend(page["MediaAnalysisJobs"])
            token = page.get("NextToken")
            if token is None:
                return jobs, pages
        self.fail("pagination did not terminate")

    def assertSameJobs(self, actual, expected):
        a = [mock_server.normalize(j) for j in actual]
        e = [mock_server.normalize(j) for j in expected]
        self.assertEqual([j["JobId"] for j in a], [j["JobId"] for j in e])
        for got, want in zip(a, e):
            self.assertEqual(got, want, want["JobId"])

    def assertClientError(self, ctx, code, message_has=None):
        err = ctx.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400, err)
        self.assertRegex(err["ResponseMetadata"].get("RequestId", ""), UUID_RE)
        self.assertTrue(err["Error"].get("Message"), err)
        if message_has:
            self.assertIn(message_has, err["Error"]["Message"])
        # One attempt only: the error was not retried.
        self.assertEqual(err["ResponseMetadata"].get("RetryAttempts", 0), 0)


class ListingTest(Boto3TestBase):
    def test_no_paginator_in_botocore(self):
        # The walks below loop on NextToken by hand because botocore has none.
        self.assertFalse(self.client.can_paginate("list_media_analysis_jobs"))

    def test_full_walks_equal_fixture_set(self):
        for size in (1, 2, 3, 7, 10, 48, 100, None):
            with self.subTest(max_results=size):
                jobs, pages = self.walk(self.client, size)
                self.assertSameJobs(jobs, self.expected)
                per_page = size or 100
                self.assertEqual(len(pages), max(1, -(-48 // per_page)))
                for page in pages[:-1]:
                    self.assertEqual(len(page["MediaAnalysisJobs"]), per_page)
                self.assertNotIn("NextToken", pages[-1])

    def test_response_metadata(self):
        page = self.client.list_media_analysis_jobs(MaxResults=5)
        meta = page["ResponseMetadata"]
        self.assertEqual(meta["HTTPStatusCode"], 200)
        self.assertRegex(meta["RequestId"], UUID_RE)
        self.assertEqual(meta["HTTPHeaders"]["content-type"], "application/x-amz-json-1.1")
        self.assertEqual(meta["RetryAttempts"], 0)
        other = self.client.list_media_analysis_jobs(MaxResults=5)
        self.assertNotEqual(other["ResponseMetadata"]["RequestId"], meta["RequestId"])

    def test_timestamps_are_aware_datetimes_with_ms_precision(self):
        jobs, _ = self.walk(self.client, 25)
        by_id = {j["JobId"]: j for j in self.expected}
        for job in jobs:
            want = by_id[job["JobId"]]
            for name in ("CreationTimestamp", "CompletionTimestamp"):
                if name not in want:
                    self.assertNotIn(name, job)
                    continue
                value = job[name]
                self.assertIsInstance(value, datetime.datetime, f"{job['JobId']} {name}")
                self.assertIsNotNone(value.tzinfo, f"{job['JobId']} {name} is naive")
                self.assertEqual(value.utcoffset(), datetime.timedelta(0))
                self.assertEqual(value.microsecond % 1000, 0, f"{job['JobId']} {name}={value}")
                self.assertEqual(to_ms(value), to_ms(want[name]), f"{job['JobId']} {name}")

    def test_iso_fixture_timestamps_survive(self):
        # Fixture jobs written with ISO-8601 text timestamps come back as the same instants.
        raw = {j["JobId"]: j for j in load_fixture_jobs(default_fixtures())}
        iso_ids = [i for i, j in raw.items() if isinstance(j["CreationTimestamp"], str)]
        self.assertEqual(len(iso_ids), 3)
        jobs, _ = self.walk(self.client)
        got = {j["JobId"]: j for j in jobs}
        for job_id in iso_ids:
            self.assertEqual(to_ms(got[job_id]["CreationTimestamp"]),
                             to_ms(raw[job_id]["CreationTimestamp"]))

    def test_empty_next_token_starts_over(self):
        page = self.client.list_media_analysis_jobs(MaxResults=4, NextToken="")
        self.assertSameJobs(page["MediaAnalysisJobs"], self.expected[:4])

    def test_token_reused_with_other_page_size(self):
        token = self.client.list_media_analysis_jobs(MaxResults=10)["NextToken"]
        jobs, _ = self.walk(self.client, 3, token)
        self.assertSameJobs(jobs, self.expected[10:])

    def test_empty_store(self):
        with MockServer() as empty:
            client = self.make_client(endpoint=empty.endpoint, retries=NO_RETRY)
            page = client.list_media_analysis_jobs()
            self.assertEqual(page["MediaAnalysisJobs"], [])
            self.assertNotIn("NextToken", page)


class ErrorTest(Boto3TestBase):
    def test_max_results_101(self):
        with self.assertRaises(ClientError) as ctx:
            self.strict.list_media_analysis_jobs(MaxResults=101)
        self.assertClientError(ctx, "InvalidParameterException", "MaxResults")
        self.assertEqual(type(ctx.exception).__name__, "InvalidParameterException")

    def test_max_results_0_without_client_validation(self):
        # botocore rejects 0 itself (min 1) unless validation is off.
        with self.assertRaises(botocore.exceptions.ParamValidationError):
            self.strict.list_media_analysis_jobs(MaxResults=0)
        client = self.make_client(retries=NO_RETRY, parameter_validation=False)
        for value in (0, -5):
            with self.subTest(max_results=value):
                with self.assertRaises(ClientError) as ctx:
                    client.list_media_analysis_jobs(MaxResults=value)
                self.assertClientError(ctx, "InvalidParameterException", "MaxResults")

    def test_tampered_token(self):
        token = self.client.list_media_analysis_jobs(MaxResults=5)["NextToken"]
        i = len(token) // 2
        flipped = "B" if token[i] != "B" else "C"
        bad = token[:i] + flipped + token[i + 1:]
        with self.assertRaises(ClientError) as ctx:
            self.strict.list_media_analysis_jobs(MaxResults=5, NextToken=bad)
        self.assertClientError(ctx, "InvalidPaginationTokenException")
        self.assertEqual(type(ctx.exception).__name__, "InvalidPaginationTokenException")

    def test_garbage_and_truncated_tokens(self):
        token = self.client.list_media_analysis_jobs(MaxResults=5)["NextToken"]
        for bad in ("garbage", token[:-6], token[:20]):
            with self.subTest(token=bad):
                with self.assertRaises(ClientError) as ctx:
                    self.strict.list_media_analysis_jobs(NextToken=bad)
                self.assertClientError(ctx, "InvalidPaginationTokenException")

    def test_over_long_token(self):
        client = self.make_client(retries=NO_RETRY, parameter_validation=False)
        with self.assertRaises(ClientError) as ctx:
            client.list_media_analysis_jobs(NextToken="A" * 1025)
        self.assertClientError(ctx, "InvalidPaginationTokenException")

    def test_wrong_member_type_without_client_validation(self):
        client = self.make_client(retries=NO_RETRY, parameter_validation=False)
        with self.assertRaises(ClientError) as ctx:
            client.list_media_analysis_jobs(MaxResults="ten")
        self.assertClientError(ctx, "SerializationException")


if __name__ == "__main__":
    unittest.main()
