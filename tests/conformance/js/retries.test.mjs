// The AWS SDK for JavaScript v3's retry strategy against faults injected through the control
// plane (/_mock/faults): injected errors look like AWS's on the wire, so the SDK's standard retry
// strategy retries throttling and then succeeds, and with retries off surfaces the error. A
// throughput quota (--tps) throttles calls over its rate; standard retries come through it.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureFile, startServer, stopServer } from './mock_server.mjs';
import {
  RekognitionClient,
  ListMediaAnalysisJobsCommand,
  GetMediaAnalysisJobCommand,
  StartMediaAnalysisJobCommand,
  ThrottlingException,
  AccessDeniedException,
} from '@aws-sdk/client-rekognition';


let server;
let endpoint;
const clients = [];

// `options` is merged into the client configuration; {} keeps the SDK's default retry strategy.
function makeClient(options = {}) {
  const client = new RekognitionClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'secret' },
    ...options,
  });
  clients.push(client);
  return client;
}

async function control(method, urlPath, body) {
  const response = await fetch(endpoint + urlPath, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

async function addFault(rule) {
  const { status, json } = await control('POST', '/_mock/faults', rule);
  assert.equal(status, 201, JSON.stringify(json));
  return json;
}

async function requestLog() {
  const { status, json } = await control('GET', '/_mock/requests');
  assert.equal(status, 200);
  return json.Requests;
}

before(async () => {
  ({ server, endpoint } = await startServer(['--port', '0', '--log-level', 'warn', '--fixtures', fixtureFile]));
});

after(async () => {
  for (const client of clients) client.destroy();
  await stopServer(server);
});

beforeEach(async () => {
  // Every test starts from the baseline: fixtures, no fault rules, an empty request log.
  const { status, json } = await control('POST', '/_mock/reset');
  assert.equal(status, 200, JSON.stringify(json));
  assert.deepEqual(json, { JobsDeleted: 48, JobsLoaded: 48 });
});

test('the default retry strategy survives 3 injected ThrottlingExceptions', async () => {
  // The SDK's default strategy (standard mode) makes at most 3 attempts; one more lets it
  // outlast 3 throttles. The strategy itself is untouched.
  const client = makeClient({ maxAttempts: 4 });
  await addFault({ Operation: 'ListMediaAnalysisJobs', Error: 'ThrottlingException', Count: 3 });
  const result = await client.send(new ListMediaAnalysisJobsCommand({ MaxResults: 5 }));
  assert.equal(result.$metadata.httpStatusCode, 200);
  assert.equal(result.$metadata.attempts, 4);
  assert.ok(result.$metadata.totalRetryDelay > 0);
  assert.equal(result.MediaAnalysisJobs.length, 5);
  const log = await requestLog();
  assert.deepEqual(
    log.map((r) => [r.Operation, r.Status, r.ErrorType]),
    [
      ['ListMediaAnalysisJobs', 500, 'ThrottlingException'],
      ['ListMediaAnalysisJobs', 500, 'ThrottlingException'],
      ['ListMediaAnalysisJobs', 500, 'ThrottlingException'],
      ['ListMediaAnalysisJobs', 200, undefined],
    ],
  );
  assert.equal(log[3].RequestId, result.$metadata.requestId);
  assert.deepEqual((await control('GET', '/_mock/faults')).json, { Faults: [] });
});

test('with default settings the SDK retries throttling twice and then gives up', async () => {
  const client = makeClient();
  await addFault({ Operation: 'ListMediaAnalysisJobs', Error: 'ThrottlingException', Count: 3 });
  await assert.rejects(client.send(new ListMediaAnalysisJobsCommand({})), (err) => {
    assert.equal(err.name, 'ThrottlingException', `${err.name}: ${err.message}`);
    assert.equal(err.$metadata.attempts, 3);
    return true;
  });
  // The three attempts spent the rule: the next call succeeds at once.
  assert.deepEqual((await control('GET', '/_mock/faults')).json, { Faults: [] });
  const result = await client.send(new ListMediaAnalysisJobsCommand({}));
  assert.equal(result.$metadata.attempts, 1);
  assert.deepEqual(
    (await requestLog()).map((r) => r.Status),
    [500, 500, 500, 200],
  );
});

test('with maxAttempts 1 the injected ThrottlingException surfaces as HTTP 500', async () => {
  const client = makeClient({ maxAttempts: 1 });
  await addFault({ Operation: 'ListMediaAnalysisJobs', Error: 'ThrottlingException', Count: 3 });
  await assert.rejects(client.send(new ListMediaAnalysisJobsCommand({})), (err) => {
    assert.equal(err.name, 'ThrottlingException', `${err.name}: ${err.message}`);
    assert.ok(err instanceof ThrottlingException);
    assert.equal(err.$metadata.httpStatusCode, 500);
    assert.equal(err.$metadata.attempts, 1);
    assert.equal(err.$fault, 'server');
    assert.ok(err.message.length > 0);
    return true;
  });
  const log = await requestLog();
  assert.deepEqual(
    log.map((r) => [r.Status, r.ErrorType]),
    [[500, 'ThrottlingException']],
  );
  const faults = (await control('GET', '/_mock/faults')).json.Faults;
  assert.deepEqual(
    faults.map((f) => [f.RemainingCount, f.Fired]),
    [[2, 1]],
  );
});

test('AccessDeniedException is not retried', async () => {
  const client = makeClient({ maxAttempts: 4 });
  await addFault({ Operation: 'GetMediaAnalysisJob', Error: 'AccessDeniedException', Count: 2 });
  await assert.rejects(client.send(new GetMediaAnalysisJobCommand({ JobId: '0'.repeat(64) })), (err) => {
    assert.equal(err.name, 'AccessDeniedException', `${err.name}: ${err.message}`);
    assert.ok(err instanceof AccessDeniedException);
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.$metadata.attempts, 1);
    return true;
  });
  assert.equal((await requestLog()).length, 1);
});

test('standard retries start every job once through a 2-per-second Start quota', async () => {
  const limited = await startServer(['--port', '0', '--log-level', 'warn',
    '--tps', 'StartMediaAnalysisJob=2']);
  const client = new RekognitionClient({
    endpoint: limited.endpoint, region: 'us-east-1', retryMode: 'standard', maxAttempts: 10,
    credentials: { accessKeyId: 'test', secretAccessKey: 'secret' },
  });
  try {
    const ids = [];
    let retried = 0;
    for (let i = 0; i < 6; i += 1) {
      const out = await client.send(new StartMediaAnalysisJobCommand({
        JobName: `quota-${i}`,
        OperationsConfig: { DetectModerationLabels: {} },
        Input: { S3Object: { Bucket: 'input-bucket', Name: 'manifests/quota.jsonl' } },
        OutputConfig: { S3Bucket: 'output-bucket' },
      }));
      ids.push(out.JobId);
      retried += out.$metadata.attempts - 1;
    }
    assert.equal(new Set(ids).size, 6);
    assert.ok(retried > 0, 'no call was throttled');
    const jobs = await (await fetch(`${limited.endpoint}/_mock/jobs`)).json();
    assert.deepEqual(jobs.MediaAnalysisJobs.map((j) => j.JobName).sort(),
      [0, 1, 2, 3, 4, 5].map((i) => `quota-${i}`));
    const quotas = await (await fetch(`${limited.endpoint}/_mock/quotas`)).json();
    assert.equal(quotas.Quotas[0].Throttled, retried);
  } finally {
    client.destroy();
    await stopServer(limited.server);
  }
});
