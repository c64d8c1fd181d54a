"""Code under test in the example suites: what an application using Rekognition might hold."""

import time


def wait_for_job(rekognition, job_id, interval=5.0, timeout=3600.0, sleep=time.sleep):
    """Poll GetMediaAnalysisJob every `interval` s until the job is terminal; returns it."""
    waited = 0.0
    while True:
        job = rekognition.get_media_analysis_job(JobId=job_id)
        if job["Status"] in ("SUCCEEDED", "FAILED"):
            return job
        if waited >= timeout:
            raise TimeoutError(f"job {job_id} still {job['Status']} after {timeout} s")
        sleep(interval)
        waited += interval


def failed_job_ids(rekognition):
    """The JobIds of every FAILED job, walking all pages (botocore has no paginator for it)."""
    ids, kwargs = [], {"MaxResults": 10}
    while True:
        page = rekognition.list_media_analysis_jobs(**kwargs)
        ids += [job["JobId"] for job in page["MediaAnalysisJobs"] if job["Status"] == "FAILED"]
        if "NextToken" not in page:
            return ids
        kwargs["NextToken"] = page["NextToken"]


def start_moderation(rekognition, manifest_key):
    """Start a moderation job over s3://media-in/<manifest_key>; returns its JobId."""
    return rekognition.start_media_analysis_job(
        JobName="nightly-moderation",
        OperationsConfig={"DetectModerationLabels": {"MinConfidence": 60}},
        Input={"S3Object": {"Bucket": "media-in", "Name": manifest_key}},
        OutputConfig={"S3Bucket": "media-out", "S3KeyPrefix": "moderation/"},
    )["JobId"]
