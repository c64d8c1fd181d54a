// The helper reads a job's results a page of lines at a time (resultsPage, iterResults), as
// GET /_mock/jobs/{JobId}/results?MaxLines=&NextToken= serves them, on the real binary with a
// folder object store.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ControlError, startMock } from 'rekognition-mock';

const JOB_ID = 'results-pages-demo';
const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ 'source-ref': `s3://media-in/${i}.png` }));
let folder;
let mock;

before(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'rekmock-pages-'));
  mkdirSync(path.join(folder, 'media-out', 'out'), { recursive: true });
  writeFileSync(path.join(folder, 'media-out', 'out', 'results.jsonl'), `${lines.join('\n')}\n`);
  mock = await startMock({ args: ['--s3-dir', folder] });
  await mock.control.seedJobs([{
    JobId: JOB_ID, Status: 'SUCCEEDED', CreationTimestamp: 1900000000, CompletionTimestamp: 1900000060,
    OperationsConfig: { DetectModerationLabels: { MinConfidence: 50 } },
    Input: { S3Object: { Bucket: 'media-in', Name: 'manifest.jsonl' } },
    OutputConfig: { S3Bucket: 'media-out', S3KeyPrefix: 'out' },
    Results: { S3Object: { Bucket: 'media-out', Name: 'out/results.jsonl' } },
    ManifestSummary: { S3Object: { Bucket: 'media-out', Name: 'out/summary.json' } },
  }]);
});
after(async () => {
  await mock?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const text = (bytes) => new TextDecoder().decode(bytes);

test('pages follow their tokens to the last', async () => {
  const first = await mock.control.resultsPage(JOB_ID, { maxLines: 10 });
  assert.equal(text(first.bytes), `${lines.slice(0, 10).join('\n')}\n`);
  const second = await mock.control.resultsPage(JOB_ID, { maxLines: 10, nextToken: first.nextToken });
  assert.equal(text(second.bytes), `${lines.slice(10, 20).join('\n')}\n`);
  const last = await mock.control.resultsPage(JOB_ID, { maxLines: 10, nextToken: second.nextToken });
  assert.equal(text(last.bytes), `${lines.slice(20).join('\n')}\n`);
  assert.equal(last.nextToken, null);
});

test('iterResults yields every line in order', async () => {
  const got = [];
  for await (const line of mock.control.iterResults(JOB_ID, { pageLines: 7 })) got.push(line);
  assert.deepEqual(got, lines);
});

test('a malformed page request is a ControlError', async () => {
  await assert.rejects(mock.control.resultsPage(JOB_ID, { maxLines: 0 }),
    (error) => error instanceof ControlError && error.status === 400);
});
