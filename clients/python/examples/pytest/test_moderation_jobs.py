"""The README's pytest examples, run by `make test` so the snippet users copy is known to work."""

import boto3


def test_polling_loop_without_sleeping(rekognition, rekognition_mock):
    job_id = rekognition.start_media_analysis_job(
        OperationsConfig={"DetectModerationLabels": {}},
        Input={"S3Object": {"Bucket": "media-in", "Name": "manifest.jsonl"}},
        OutputConfig={"S3Bucket": "media-out"},
    )["JobId"]
    while rekognition.get_media_analysis_job(JobId=job_id)["Status"] != "SUCCEEDED":
        rekognition_mock.control.advance_clock(20)  # instead of time.sleep(20)
    calls = [c["Operation"] for c in rekognition_mock.control.requests()]
    assert calls == ["StartMediaAnalysisJob"] + ["GetMediaAnalysisJob"] * 4


def test_survives_throttling(rekognition, rekognition_mock):
    rekognition_mock.control.add_fault("ListMediaAnalysisJobs", "ThrottlingException", count=1)
    assert rekognition.list_media_analysis_jobs()["ResponseMetadata"]["RetryAttempts"] == 1
    assert [c["Status"] for c in rekognition_mock.control.requests()] == [500, 200]


def test_code_that_makes_its_own_client(rekognition_mock, monkeypatch):
    for name, value in rekognition_mock.aws_environment().items():
        monkeypatch.setenv(name, value)
    assert len(boto3.client("rekognition").list_media_analysis_jobs()["MediaAnalysisJobs"]) == 48


# Not in the README: what the fixtures promise between tests.
def test_each_test_gets_the_mock_reset(rekognition, rekognition_mock):
    assert rekognition_mock.control.requests() == []
    rekognition.list_media_analysis_jobs(MaxResults=1)
    assert len(rekognition_mock.control.requests()) == 1


def test_the_session_shares_one_mock(rekognition_mock, rekognition_mock_server):
    assert rekognition_mock is rekognition_mock_server
    assert rekognition_mock.control.health()["Status"] == "ready"
