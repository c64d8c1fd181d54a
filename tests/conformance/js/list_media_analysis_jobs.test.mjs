// The AWS SDK for JavaScript v3, unmodified, against the real binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureFile, startServer, stopServer } from './mock_server.mjs';
import { readFileSync } from 'node:fs';
import {
  RekognitionClient,
  ListMediaAnalysisJobsCommand,
} from '@aws-sdk/client-rekognition';


let server;
let endpoint;
let client;

function millis(value) {
  return typeof value === 'number' ? Math.round(value * 1000) : Date.parse(value);
}

// JobIds of the fixture file in the server's documented order: CreationTimestamp descending,
// ties by JobId descending.
function expectedOrder() {
  const jobs = JSON.parse(readFileSync(fixtureFile, 'utf8')).MediaAnalysisJobs;
  return jobs
    .map((job) => ({ id: job.JobId, ms: millis(job.CreationTimestamp) }))
    .sort((a, b) => b.ms - a.ms || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((job) => job.id);
}

async function walk(pageSize) {
  const ids = [];
  let token;
  let pages = 0;
  do {
    const page = await client.send(
      new ListMediaAnalysisJobsCommand({ MaxResults: pageSize, NextToken: token }),
    );
    pages += 1;
    assert.ok(pages <= 200, 'pagination does not terminate');
    if (pageSize !== undefined) assert.ok(page.MediaAnalysisJobs.length <= pageSize);
    ids.push(...page.MediaAnalysisJobs.map((job) => job.JobId));
    token = page.NextToken;
  } while (token);
  return ids;
}

before(async () => {
  ({ server, endpoint } = await startServer(['--port', '0', '--log-level', 'warn', '--fixtures', fixtureFile]));
  client = new RekognitionClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

after(async () => {
  client?.destroy();
  await stopServer(server);
});

test('full walks at several page sizes return every fixture job in order', async () => {
  const expected = expectedOrder();
  assert.equal(expected.length, 48);
  for (const size of [undefined, 1, 5, 48, 100]) {
    assert.deepEqual(await walk(size), expected, `MaxResults=${size}`);
  }
});

test('timestamps arrive as Date objects with millisecond precision', async () => {
  const page = await client.send(new ListMediaAnalysisJobsCommand({ MaxResults: 100 }));
  const source = new Map(
    JSON.parse(readFileSync(fixtureFile, 'utf8')).MediaAnalysisJobs.map((job) => [job.JobId, job]),
  );
  for (const job of page.MediaAnalysisJobs) {
    assert.ok(job.CreationTimestamp instanceof Date);
    assert.equal(job.CreationTimestamp.getTime(), millis(source.get(job.JobId).CreationTimestamp));
    if (job.CompletionTimestamp !== undefined) assert.ok(job.CompletionTimestamp instanceof Date);
  }
  assert.ok(page.$metadata.requestId, 'x-amzn-RequestId reaches $metadata.requestId');
});

test('MaxResults 101 is an InvalidParameterException', async () => {
  await assert.rejects(client.send(new ListMediaAnalysisJobsCommand({ MaxResults: 101 })), (err) => {
    assert.equal(err.name, 'InvalidParameterException');
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.match(err.message, /MaxResults/);
    return true;
  });
});

test('a tampered NextToken is an InvalidPaginationTokenException', async () => {
  const first = await client.send(new ListMediaAnalysisJobsCommand({ MaxResults: 2 }));
  const token = first.NextToken;
  const middle = Math.floor(token.length / 2);
  const flipped = token[middle] === 'A' ? 'B' : 'A';
  const tampered = token.slice(0, middle) + flipped + token.slice(middle + 1);
  await assert.rejects(
    client.send(new ListMediaAnalysisJobsCommand({ MaxResults: 2, NextToken: tampered })),
    (err) => {
      assert.equal(err.name, 'InvalidPaginationTokenException');
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    },
  );
});
