// Progress by polls through the AWS SDK for JavaScript v3, unmodified: with --polls-per-state a
// polling loop sees every state of a job, one per N GetMediaAnalysisJob calls, with no sleep and
// no clock; a job paced over the control plane moves by its own count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  RekognitionClient, StartMediaAnalysisJobCommand, GetMediaAnalysisJobCommand,
  ListMediaAnalysisJobsCommand,
} from '@aws-sdk/client-rekognition';
import { startServer, stopServer } from './mock_server.mjs';

let server;
let endpoint;
let client;

before(async () => {
  ({ server, endpoint } = await startServer([
    '--port', '0', '--log-level', 'warn', '--polls-per-state', '2',
  ]));
  client = new RekognitionClient({
    endpoint, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

after(async () => {
  client.destroy();
  await stopServer(server);
});

async function startJob() {
  const { JobId } = await client.send(new StartMediaAnalysisJobCommand({
    OperationsConfig: { DetectModerationLabels: {} },
    Input: { S3Object: { Bucket: 'media-in', Name: 'm.jsonl' } },
    OutputConfig: { S3Bucket: 'media-out' },
  }));
  return JobId;
}

// The loop under test: poll until terminal, with no sleep between polls.
async function waitForJob(JobId) {
  const statuses = [];
  for (;;) {
    const job = await client.send(new GetMediaAnalysisJobCommand({ JobId }));
    statuses.push(job.Status);
    if (job.Status === 'SUCCEEDED' || job.Status === 'FAILED') {
      return { job, statuses };
    }
  }
}

test('a polling loop sees each state for two Gets, then the outcome', async () => {
  const jobId = await startJob();
  const listed = await client.send(new ListMediaAnalysisJobsCommand({}));
  assert.equal(listed.MediaAnalysisJobs.find((job) => job.JobId === jobId).Status, 'CREATED');
  const { job, statuses } = await waitForJob(jobId);
  assert.deepEqual(statuses,
    ['CREATED', 'QUEUED', 'QUEUED', 'IN_PROGRESS', 'IN_PROGRESS', 'SUCCEEDED']);
  assert.ok(job.CompletionTimestamp instanceof Date);
  assert.equal(job.Results.S3Object.Name, `${jobId}-results.jsonl`);
});

test('a job paced over the control plane moves one state per Get', async () => {
  const jobId = await startJob();
  const response = await fetch(`${endpoint}/_mock/jobs/${jobId}/progress`, {
    method: 'POST', body: JSON.stringify({ PollsPerState: 1 }),
  });
  assert.equal(response.status, 200);
  assert.equal((await response.json()).Status, 'CREATED');
  assert.deepEqual((await waitForJob(jobId)).statuses, ['QUEUED', 'IN_PROGRESS', 'SUCCEEDED']);
});
