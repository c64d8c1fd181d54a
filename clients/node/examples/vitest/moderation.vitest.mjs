// An example Vitest suite. The code under test builds its own RekognitionClient, as application
// code does: the global setup's AWS_ENDPOINT_URL_REKOGNITION and test credentials send it to the
// mock. The suite steers and inspects the mock through its control plane.
import {
  GetMediaAnalysisJobCommand,
  RekognitionClient,
  StartMediaAnalysisJobCommand,
} from '@aws-sdk/client-rekognition';
import { connectMock } from 'rekognition-mock';
import { beforeAll, beforeEach, expect, test } from 'vitest';

// --- the code under test ----------------------------------------------------------------------
async function startModeration(manifestKey, clientRequestToken) {
  const client = new RekognitionClient({});
  try {
    const { JobId } = await client.send(new StartMediaAnalysisJobCommand({
      ClientRequestToken: clientRequestToken,
      OperationsConfig: { DetectModerationLabels: { MinConfidence: 60 } },
      Input: { S3Object: { Bucket: 'media-in', Name: manifestKey } },
      OutputConfig: { S3Bucket: 'media-out', S3KeyPrefix: 'moderation/' },
    }));
    return JobId;
  } finally {
    client.destroy();
  }
}

// Polls until the job is terminal (no sleep between polls: the mock is paced by polls here).
async function pollUntilDone(jobId, seen) {
  const client = new RekognitionClient({});
  try {
    for (;;) {
      const job = await client.send(new GetMediaAnalysisJobCommand({ JobId: jobId }));
      seen.push(job.Status);
      if (job.Status === 'SUCCEEDED' || job.Status === 'FAILED') return job;
    }
  } finally {
    client.destroy();
  }
}

// --- the suite --------------------------------------------------------------------------------
let mock;
beforeAll(async () => {
  mock = await connectMock(); // the global setup's mock, through REKOGNITION_MOCK_URL
});
beforeEach(() => mock.reset());

test('the polling loop sees each state once when the job moves one state per poll', async () => {
  const jobId = await startModeration('manifests/batch-1.jsonl');
  await mock.control.paceJob(jobId, 1);
  const seen = [];
  const job = await pollUntilDone(jobId, seen);
  expect(job.Status).toBe('SUCCEEDED');
  expect(seen).toEqual(['QUEUED', 'IN_PROGRESS', 'SUCCEEDED']);
});

test('a failure steered mid-job reaches the polling loop', async () => {
  const jobId = await startModeration('manifests/batch-2.jsonl');
  await mock.control.setJobStatus(jobId, 'FAILED', { failureCode: 'INVALID_MANIFEST' });
  const job = await pollUntilDone(jobId, []);
  expect(job.FailureDetails.Code).toBe('INVALID_MANIFEST');
});

test('a retried start with the same token is one call to the API per attempt and one job', async () => {
  const first = await startModeration('manifests/batch-3.jsonl', 'nightly-2026-11-30');
  const again = await startModeration('manifests/batch-3.jsonl', 'nightly-2026-11-30');
  expect(again).toBe(first);
  const filter = { Operation: 'StartMediaAnalysisJob', ClientRequestToken: 'nightly-2026-11-30' };
  expect(await mock.control.countRequests(filter)).toBe(2);
  expect(await mock.control.countRequests({ Status: '4xx' })).toBe(0);
});

test('each test starts from the fixtures with an empty request log', async () => {
  expect(await mock.control.countRequests()).toBe(0);
  expect(await mock.control.jobs()).toHaveLength(48);
});
