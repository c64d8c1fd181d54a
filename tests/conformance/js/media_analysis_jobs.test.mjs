// StartMediaAnalysisJob, GetMediaAnalysisJob and the ListMediaAnalysisJobs paginator through the
// AWS SDK for JavaScript v3, unmodified, against the real binary.
//
// The default scope (access key "test", us-east-1) holds exactly the fixture jobs: every test
// that starts jobs does so with a 12-digit access key, i.e. in an account of its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureFile, startServer, stopServer } from './mock_server.mjs';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  RekognitionClient,
  StartMediaAnalysisJobCommand,
  GetMediaAnalysisJobCommand,
  ListMediaAnalysisJobsCommand,
  paginateListMediaAnalysisJobs,
  InvalidParameterException,
  ResourceNotFoundException,
  IdempotentParameterMismatchException,
} from '@aws-sdk/client-rekognition';


// 0.2 s per state; any wait is bounded far above that.
const JOB_DURATION = '0.6';
const WAIT_LIMIT_MS = 20000;

let server;
let endpoint;
const clients = [];

function millis(value) {
  return typeof value === 'number' ? Math.round(value * 1000) : Date.parse(value);
}

function expectedOrder() {
  const jobs = JSON.parse(readFileSync(fixtureFile, 'utf8')).MediaAnalysisJobs;
  return jobs
    .map((job) => ({ id: job.JobId, ms: millis(job.CreationTimestamp) }))
    .sort((a, b) => b.ms - a.ms || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((job) => job.id);
}

function makeClient(accessKeyId = 'test', region = 'us-east-1') {
  const client = new RekognitionClient({
    endpoint,
    region,
    credentials: { accessKeyId, secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  clients.push(client);
  return client;
}

function startInput(name = 'manifests/input.jsonl', extra = {}) {
  return {
    JobName: 'js-sdk-job',
    OperationsConfig: { DetectModerationLabels: { MinConfidence: 55 } },
    Input: { S3Object: { Bucket: 'input-bucket', Name: name } },
    OutputConfig: { S3Bucket: 'output-bucket', S3KeyPrefix: 'js/' },
    ...extra,
  };
}

async function waitForTerminal(client, jobId) {
  const seen = [];
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const job = await client.send(new GetMediaAnalysisJobCommand({ JobId: jobId }));
    seen.push(job.Status);
    if (job.Status === 'SUCCEEDED' || job.Status === 'FAILED') return { job, seen };
    assert.ok(Date.now() < deadline, `job ${jobId} not terminal in time; saw ${seen}`);
    await sleep(50);
  }
}

async function listIds(client) {
  const ids = [];
  for await (const page of paginateListMediaAnalysisJobs({ client, pageSize: 3 }, {})) {
    ids.push(...page.MediaAnalysisJobs.map((job) => job.JobId));
  }
  return ids;
}

function expectError(name, cls, messagePart) {
  return (err) => {
    assert.equal(err.name, name, `${err.name}: ${err.message}`);
    assert.ok(err instanceof cls, `${name} is not an instance of the SDK's ${cls.name}`);
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.$fault, 'client');
    if (messagePart !== undefined) assert.match(err.message, messagePart);
    return true;
  };
}

before(async () => {
  ({ server, endpoint } = await startServer(['--port', '0', '--log-level', 'warn', '--fixtures', fixtureFile, '--job-duration', JOB_DURATION]));
});

after(async () => {
  for (const client of clients) client.destroy();
  await stopServer(server);
});

test('paginateListMediaAnalysisJobs with pageSize 7 yields every fixture job in order', async () => {
  const client = makeClient();
  const expected = expectedOrder();
  assert.equal(expected.length, 48);
  const ids = [];
  const sizes = [];
  for await (const page of paginateListMediaAnalysisJobs({ client, pageSize: 7 }, {})) {
    sizes.push(page.MediaAnalysisJobs.length);
    ids.push(...page.MediaAnalysisJobs.map((job) => job.JobId));
    assert.ok(sizes.length <= 20, 'paginator does not terminate');
  }
  assert.deepEqual(ids, expected);
  assert.deepEqual(sizes, [7, 7, 7, 7, 7, 7, 6]);
});

test('StartMediaAnalysisJob then GetMediaAnalysisJob until SUCCEEDED', async () => {
  const client = makeClient('111111111111');
  const { JobId: jobId } = await client.send(new StartMediaAnalysisJobCommand(startInput()));
  assert.match(jobId, /^[0-9a-f]{64}$/);
  const { job, seen } = await waitForTerminal(client, jobId);
  assert.equal(job.Status, 'SUCCEEDED', `statuses seen: ${seen}`);
  const order = ['CREATED', 'QUEUED', 'IN_PROGRESS', 'SUCCEEDED'];
  const ranks = seen.map((status) => order.indexOf(status));
  assert.ok(!ranks.includes(-1), `unexpected status in ${seen}`);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `status went backwards: ${seen}`);
  assert.equal(job.JobId, jobId);
  assert.equal(job.JobName, 'js-sdk-job');
  assert.ok(job.CreationTimestamp instanceof Date);
  assert.ok(job.CompletionTimestamp instanceof Date);
  assert.ok(job.CompletionTimestamp.getTime() >= job.CreationTimestamp.getTime());
  assert.deepEqual(job.Results, {
    S3Object: { Bucket: 'output-bucket', Name: `js/${jobId}-results.jsonl` },
    ModelVersions: { Moderation: '7.0' },
  });
  assert.deepEqual(job.ManifestSummary, {
    S3Object: { Bucket: 'output-bucket', Name: `js/${jobId}-manifest-summary.json` },
  });
  assert.equal(job.FailureDetails, undefined);

  const page = await client.send(new ListMediaAnalysisJobsCommand({}));
  assert.equal(page.MediaAnalysisJobs[0].JobId, jobId);
  const { $metadata, ...fromGet } = job;
  assert.deepEqual(page.MediaAnalysisJobs[0], fromGet);
});

test('a failure-trigger job ends FAILED with FailureDetails.Code', async () => {
  const client = makeClient('333333333333');
  const { JobId: jobId } = await client.send(
    new StartMediaAnalysisJobCommand(startInput('uploads/fail-resource-not-ready/batch.jsonl')),
  );
  const { job } = await waitForTerminal(client, jobId);
  assert.equal(job.Status, 'FAILED');
  assert.equal(job.FailureDetails.Code, 'RESOURCE_NOT_READY');
  assert.equal(typeof job.FailureDetails.Message, 'string');
  assert.ok(job.FailureDetails.Message.length > 0);
  assert.ok(job.CompletionTimestamp instanceof Date);
  assert.equal(job.Results, undefined);
  assert.equal(job.ManifestSummary, undefined);
});

test('InvalidParameterException names the member', async () => {
  const client = makeClient('444444444444');
  await assert.rejects(
    client.send(new StartMediaAnalysisJobCommand(startInput(undefined, { JobName: 'x'.repeat(65) }))),
    expectError('InvalidParameterException', InvalidParameterException, /JobName/),
  );
  await assert.rejects(
    client.send(
      new StartMediaAnalysisJobCommand(
        startInput(undefined, { OperationsConfig: { DetectModerationLabels: { MinConfidence: 101 } } }),
      ),
    ),
    expectError('InvalidParameterException', InvalidParameterException, /MinConfidence/),
  );
  await assert.rejects(
    client.send(new GetMediaAnalysisJobCommand({ JobId: 'not!valid' })),
    expectError('InvalidParameterException', InvalidParameterException, /JobId/),
  );
  assert.deepEqual(await listIds(client), [], 'a rejected Start created a job');
});

test('ResourceNotFoundException for an unknown JobId', async () => {
  const client = makeClient('444444444444');
  await assert.rejects(
    client.send(new GetMediaAnalysisJobCommand({ JobId: '0'.repeat(64) })),
    expectError('ResourceNotFoundException', ResourceNotFoundException),
  );
});

test('same ClientRequestToken: same JobId, or IdempotentParameterMismatchException', async () => {
  const client = makeClient('555555555555');
  const input = startInput('manifests/idem.jsonl', { ClientRequestToken: 'js-token-0001' });
  const first = await client.send(new StartMediaAnalysisJobCommand(input));
  const again = await client.send(new StartMediaAnalysisJobCommand(structuredClone(input)));
  assert.equal(again.JobId, first.JobId);
  await assert.rejects(
    client.send(
      new StartMediaAnalysisJobCommand({
        ...input,
        OutputConfig: { S3Bucket: 'another-bucket', S3KeyPrefix: 'js/' },
      }),
    ),
    expectError('IdempotentParameterMismatchException', IdempotentParameterMismatchException),
  );
  assert.deepEqual(await listIds(client), [first.JobId]);
  // Without a token the SDK generates a fresh one per call: two jobs.
  const { ClientRequestToken, ...untokened } = input;
  const a = await client.send(new StartMediaAnalysisJobCommand(untokened));
  const b = await client.send(new StartMediaAnalysisJobCommand(untokened));
  assert.notEqual(a.JobId, b.JobId);
});

test('clients with different 12-digit access keys see separate jobs', async () => {
  const alice = makeClient('666666666666');
  const bob = makeClient('777777777777');
  const aliceJob = (await alice.send(new StartMediaAnalysisJobCommand(startInput('a.jsonl')))).JobId;
  const bobJobs = [];
  for (const name of ['b1.jsonl', 'b2.jsonl']) {
    bobJobs.push((await bob.send(new StartMediaAnalysisJobCommand(startInput(name)))).JobId);
  }
  assert.deepEqual(await listIds(alice), [aliceJob]);
  assert.deepEqual(new Set(await listIds(bob)), new Set(bobJobs));
  await assert.rejects(
    alice.send(new GetMediaAnalysisJobCommand({ JobId: bobJobs[0] })),
    expectError('ResourceNotFoundException', ResourceNotFoundException),
  );
  await assert.rejects(
    bob.send(new GetMediaAnalysisJobCommand({ JobId: aliceJob })),
    expectError('ResourceNotFoundException', ResourceNotFoundException),
  );
  // Same account, another region: another scope too.
  assert.deepEqual(await listIds(makeClient('666666666666', 'eu-west-1')), []);
  // The default scope still holds exactly the fixtures.
  assert.equal((await listIds(makeClient())).length, 48);
  for (const jobId of [aliceJob]) await waitForTerminal(alice, jobId);
  for (const jobId of bobJobs) await waitForTerminal(bob, jobId);
});
