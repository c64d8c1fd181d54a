// An example Vitest suite: the run's mock (vitest.global-setup.mjs) reset before every test.
import {
  GetMediaAnalysisJobCommand,
  ListMediaAnalysisJobsCommand,
  RekognitionClient,
  StartMediaAnalysisJobCommand,
} from '@aws-sdk/client-rekognition';
import { connectMock } from 'rekognition-mock';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';

let mock;
let rekognition;

beforeAll(async () => {
  mock = await connectMock(); // the globalSetup's mock, through REKOGNITION_MOCK_URL
  rekognition = mock.client(RekognitionClient);
});
afterAll(() => rekognition.destroy());
beforeEach(() => mock.reset());

const start = () => rekognition.send(new StartMediaAnalysisJobCommand({
  OperationsConfig: { DetectModerationLabels: {} },
  Input: { S3Object: { Bucket: 'media-in', Name: 'manifests/batch-1.jsonl' } },
  OutputConfig: { S3Bucket: 'media-out' },
}));

test('code that builds its own client reaches the mock', async () => {
  // The global setup exported AWS_ENDPOINT_URL_REKOGNITION and test credentials.
  const client = new RekognitionClient({});
  const page = await client.send(new ListMediaAnalysisJobsCommand({}));
  client.destroy();
  expect(page.MediaAnalysisJobs).toHaveLength(48);
});

test('a polling loop advances one state per poll, without a clock', async () => {
  const { JobId } = await start();
  await mock.control.paceJob(JobId, 1);
  const seen = [];
  let job;
  do {
    job = await rekognition.send(new GetMediaAnalysisJobCommand({ JobId }));
    seen.push(job.Status);
  } while (job.Status !== 'SUCCEEDED');
  expect(seen).toEqual(['QUEUED', 'IN_PROGRESS', 'SUCCEEDED']);
});

test('a forced failure reaches the caller', async () => {
  const { JobId } = await start();
  await mock.control.setJobStatus(JobId, 'FAILED', { failureCode: 'ACCESS_DENIED' });
  const job = await rekognition.send(new GetMediaAnalysisJobCommand({ JobId }));
  expect(job.FailureDetails.Code).toBe('ACCESS_DENIED');
});

test('each test starts from the fixtures, and its calls are counted', async () => {
  expect(await mock.control.countRequests()).toBe(0);
  expect(await mock.control.jobs()).toHaveLength(48);
  await rekognition.send(new ListMediaAnalysisJobsCommand({ MaxResults: 1 }));
  expect(await mock.control.countRequests({ Operation: 'ListMediaAnalysisJobs' })).toBe(1);
});
