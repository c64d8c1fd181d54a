// An example Jest suite: the run's mock (jest.global-setup.mjs) reset before every test.
import {
  GetMediaAnalysisJobCommand,
  ListMediaAnalysisJobsCommand,
  RekognitionClient,
  StartMediaAnalysisJobCommand,
} from '@aws-sdk/client-rekognition';
import { connectMock } from 'rekognition-mock';

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
  // globalSetup exported AWS_ENDPOINT_URL_REKOGNITION and test credentials.
  const client = new RekognitionClient({});
  const page = await client.send(new ListMediaAnalysisJobsCommand({}));
  client.destroy();
  expect(page.MediaAnalysisJobs).toHaveLength(48);
});

test('a polling loop runs on the mock clock without sleeping', async () => {
  const { JobId } = await start();
  const get = () => rekognition.send(new GetMediaAnalysisJobCommand({ JobId }));
  while ((await get()).Status !== 'SUCCEEDED') {
    await mock.control.advanceClock(20); // instead of sleeping 20 s
  }
  const calls = (await mock.control.requests()).map((call) => call.Operation);
  expect(calls).toEqual(['StartMediaAnalysisJob', ...Array(4).fill('GetMediaAnalysisJob')]);
});

test('a forced failure reaches the caller', async () => {
  const { JobId } = await start();
  await mock.control.setJobStatus(JobId, 'FAILED', { failureCode: 'ACCESS_DENIED' });
  const job = await rekognition.send(new GetMediaAnalysisJobCommand({ JobId }));
  expect(job.FailureDetails.Code).toBe('ACCESS_DENIED');
});

test('each test starts from the fixtures', async () => {
  expect(await mock.control.requests()).toEqual([]);
  expect(await mock.control.jobs()).toHaveLength(48);
});
