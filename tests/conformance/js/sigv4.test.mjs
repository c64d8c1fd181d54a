// Opt-in SigV4 verification (--auth sigv4 --credential KEY:SECRET) with the AWS SDK for
// JavaScript v3: its normal signatures pass List/Start/Get; a wrong secret is
// InvalidSignatureException and an unknown access key UnrecognizedClientException.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureFile, startServer, stopServer } from './mock_server.mjs';
import {
  RekognitionClient,
  ListMediaAnalysisJobsCommand,
  StartMediaAnalysisJobCommand,
  GetMediaAnalysisJobCommand,
} from '@aws-sdk/client-rekognition';


const GOOD = { accessKeyId: 'AKIAJSGOODKEY', secretAccessKey: 'js/good+secret' };
const ACCOUNT = { accessKeyId: '444455556666', secretAccessKey: 'js-account-secret' };

let server;
let endpoint;
const clients = [];

function makeClient(credentials, options = {}) {
  const client = new RekognitionClient({
    endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    ...options,
  });
  clients.push(client);
  return client;
}

function startInput(name) {
  return {
    JobName: 'js-signed',
    OperationsConfig: { DetectModerationLabels: { MinConfidence: 50 } },
    Input: { S3Object: { Bucket: 'input-bucket', Name: name } },
    OutputConfig: { S3Bucket: 'output-bucket', S3KeyPrefix: 'sigv4-js/' },
  };
}

before(async () => {
  ({ server, endpoint } = await startServer([
      '--port', '0', '--log-level', 'warn', '--fixtures', fixtureFile,
      '--auth', 'sigv4',
      '--credential', `${GOOD.accessKeyId}:${GOOD.secretAccessKey}`,
      '--credential', `${ACCOUNT.accessKeyId}:${ACCOUNT.secretAccessKey}`,
    ]));
});

after(async () => {
  for (const client of clients) client.destroy();
  await stopServer(server);
});

test('the right credentials pass List, Start and Get', async () => {
  for (const credentials of [GOOD, ACCOUNT]) {
    const client = makeClient(credentials);
    const page = await client.send(new ListMediaAnalysisJobsCommand({ MaxResults: 5 }));
    assert.equal(page.$metadata.httpStatusCode, 200);
    const { JobId } = await client.send(
      new StartMediaAnalysisJobCommand(startInput(`manifests/${credentials.accessKeyId}.jsonl`)),
    );
    assert.ok(JobId);
    const job = await client.send(new GetMediaAnalysisJobCommand({ JobId }));
    assert.equal(job.JobId, JobId);
    assert.equal(job.JobName, 'js-signed');
  }
});

test('a 12-digit access key sees only its own account', async () => {
  const client = makeClient(ACCOUNT, { region: 'sa-east-1' });
  const { JobId } = await client.send(
    new StartMediaAnalysisJobCommand(startInput('manifests/js-account.jsonl')),
  );
  const page = await client.send(new ListMediaAnalysisJobsCommand({}));
  assert.deepEqual(page.MediaAnalysisJobs.map((j) => j.JobId), [JobId]);
});

test('a wrong secret is InvalidSignatureException', async () => {
  const client = makeClient({ accessKeyId: GOOD.accessKeyId, secretAccessKey: 'wrong' });
  await assert.rejects(client.send(new ListMediaAnalysisJobsCommand({})), (err) => {
    assert.equal(err.name, 'InvalidSignatureException', `${err.name}: ${err.message}`);
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.$metadata.attempts, 1);
    assert.equal(err.$fault, 'client');
    return true;
  });
});

test('an unknown access key is UnrecognizedClientException', async () => {
  const client = makeClient({
    accessKeyId: 'AKIAJSUNKNOWN',
    secretAccessKey: GOOD.secretAccessKey,
  });
  const get = client.send(new GetMediaAnalysisJobCommand({ JobId: 'whatever' }));
  await assert.rejects(get, (err) => {
    assert.equal(err.name, 'UnrecognizedClientException', `${err.name}: ${err.message}`);
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.$metadata.attempts, 1);
    return true;
  });
});

test('the control plane answers without a signature', async () => {
  const response = await fetch(`${endpoint}/_mock/health`);
  assert.equal(response.status, 200);
  await response.arrayBuffer();
});
