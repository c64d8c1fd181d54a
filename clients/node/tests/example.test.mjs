// An example node:test suite written as a user would, with the rekognition-mock package: one
// mock for the file, reset before every test. The code under test is moderation_jobs.mjs.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ListMediaAnalysisJobsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { startMock } from 'rekognition-mock';
import { failedJobIds, startModeration, waitForJob } from './moderation_jobs.mjs';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/default-jobs.json', import.meta.url));
const FIXTURE_JOBS = 48;
const FIXTURE_FAILED_JOBS = 14;

let mock;
let rekognition;

before(async () => {
  // Started jobs take a minute of the mock's clock: 20 s each CREATED, QUEUED, IN_PROGRESS.
  mock = await startMock({ fixtures: [FIXTURES], args: ['--job-duration', '60'] });
  rekognition = mock.client(RekognitionClient);
});
after(async () => {
  rekognition.destroy();
  await mock.stop();
});
beforeEach(() => mock.reset());

async function listJobs(client = rekognition) {
  return (await client.send(new ListMediaAnalysisJobsCommand({}))).MediaAnalysisJobs;
}

async function assertFreshMock() {
  assert.deepEqual(await mock.control.requests(), []);
  assert.equal((await listJobs()).length, FIXTURE_JOBS);
}

// Whichever of these two runs second sees that the first one's job and calls are gone.
test('each test starts from the fixtures (a)', async () => {
  await assertFreshMock();
  await startModeration(rekognition, 'manifests/a.jsonl');
});

test('each test starts from the fixtures (b)', async () => {
  await assertFreshMock();
  await startModeration(rekognition, 'manifests/b.jsonl');
});

test('a polling loop runs on the mock clock without sleeping', async () => {
  const jobId = await startModeration(rekognition, 'manifests/batch-1.jsonl');
  // The loop's sleep moves the mock's lifecycle clock instead of waiting.
  const sleep = (ms) => mock.control.advanceClock(ms / 1000);
  const job = await waitForJob(rekognition, jobId, { intervalMs: 5000, sleep });
  assert.equal(job.Status, 'SUCCEEDED');
  assert.deepEqual(job.Results.S3Object, {
    Bucket: 'media-out', Name: `moderation/${jobId}-results.jsonl`,
  });
  const calls = (await mock.control.requests()).map((call) => call.Operation);
  // Polls at 0, 5, ..., 60 s of mock time: the 13th finds the job done.
  assert.deepEqual(calls, ['StartMediaAnalysisJob', ...Array(13).fill('GetMediaAnalysisJob')]);
});

test('a forced failure reaches the caller', async () => {
  const jobId = await startModeration(rekognition, 'manifests/batch-2.jsonl');
  await mock.control.setJobStatus(jobId, 'FAILED', {
    failureCode: 'ACCESS_DENIED', failureMessage: 'no access to media-in',
  });
  const job = await waitForJob(rekognition, jobId, { sleep: () => assert.fail('polled twice') });
  assert.deepEqual(job.FailureDetails, { Code: 'ACCESS_DENIED', Message: 'no access to media-in' });
});

test('paging survives a throttled page', async () => {
  await mock.control.addFault({
    operation: 'ListMediaAnalysisJobs', error: 'ThrottlingException', count: 1,
  });
  assert.equal((await failedJobIds(rekognition)).length, FIXTURE_FAILED_JOBS);
  const statuses = (await mock.control.requests()).map((call) => call.Status);
  assert.deepEqual(statuses.slice(0, 2), [500, 200]); // the SDK retried the throttled call
  assert.deepEqual(await mock.control.faults(), []); // the one-shot rule is spent
});

test('accounts see only their own jobs', async () => {
  const other = mock.client(RekognitionClient, { accountId: '111122223333' });
  assert.deepEqual(await listJobs(other), []);
  const [job] = (await rekognition.send(new ListMediaAnalysisJobsCommand({ MaxResults: 1 })))
    .MediaAnalysisJobs;
  // A copy with its own id; the SDK's Date timestamps seed as they are.
  await mock.control.seedJobs([{ ...job, JobId: 'e'.repeat(64) }], { accountId: '111122223333' });
  assert.deepEqual((await listJobs(other)).map((j) => j.JobId), ['e'.repeat(64)]);
  other.destroy();
});

test('unmodified code reaches the mock through the environment', async () => {
  // Only PATH and the variables: no endpoint in the code, no AWS config of the machine's.
  const env = {
    PATH: process.env.PATH, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...mock.awsEnvironment(),
  };
  const code = `
    import { RekognitionClient, ListMediaAnalysisJobsCommand } from '@aws-sdk/client-rekognition';
    const page = await new RekognitionClient({}).send(new ListMediaAnalysisJobsCommand({}));
    console.log(page.MediaAnalysisJobs.length);`;
  const { stdout } = await promisify(execFile)(
    process.execPath, ['--input-type=module', '-e', code],
    { env, cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 60000 },
  );
  assert.equal(stdout.trim(), String(FIXTURE_JOBS));
  const calls = (await mock.control.requests()).map((call) => call.Operation);
  assert.deepEqual(calls, ['ListMediaAnalysisJobs']);
});

test('calls are counted and moderation rules are kept per scope', async () => {
  await startModeration(rekognition, 'manifests/c.jsonl');
  const starts = { Operation: 'StartMediaAnalysisJob', JobName: 'nightly-moderation' };
  assert.equal(await mock.control.countRequests(starts), 1);
  assert.equal(await mock.control.countRequests({ ErrorType: '*' }), 0);
  const rules = [{ SourceRefPrefix: 's3://media-in/guns/',
    Labels: [{ Name: 'Weapons', Confidence: 93.5 }] }];
  assert.equal(await mock.control.setModerationRules(rules), 1);
  assert.deepEqual(await mock.control.moderationRules(), rules);
  assert.deepEqual(await mock.control.moderationRules({ region: 'eu-west-1' }), []);
  assert.equal(await mock.control.clearModerationRules(), 1);
  assert.deepEqual(await mock.control.moderationRules(), []);
});

test('a polling loop paced by Gets needs no clock', async () => {
  const jobId = await startModeration(rekognition, 'manifests/d.jsonl');
  assert.equal((await mock.control.paceJob(jobId, 1)).Status, 'CREATED');
  const job = await waitForJob(rekognition, jobId, { sleep: async () => {} });
  assert.equal(job.Status, 'SUCCEEDED');
  assert.equal(await mock.control.countRequests({ Operation: 'GetMediaAnalysisJob' }), 3);
});
