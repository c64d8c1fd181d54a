// The helper pages, filters and looks up a scope's jobs (jobsPage) and reads an image the object
// store holds (image), as GET /_mock/jobs and GET /_mock/images serve them, on the real binary with
// a folder object store.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlError, startMock } from 'rekognition-mock';

// A small PNG of the checkout's test images (tests/data/images).
const IMAGE = fileURLToPath(new URL('../../../tests/data/images/small-40x40.png', import.meta.url));
let folder;
let mock;

const job = (JobId, CreationTimestamp, Status, JobName) => ({
  JobId, JobName, Status, CreationTimestamp, CompletionTimestamp: CreationTimestamp + 60,
  OperationsConfig: { DetectModerationLabels: { MinConfidence: 50 } },
  Input: { S3Object: { Bucket: 'media-in', Name: 'manifest.jsonl' } },
  OutputConfig: { S3Bucket: 'media-out', S3KeyPrefix: 'out' },
});

before(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'rekmock-jobs-'));
  mkdirSync(path.join(folder, 'media-in', 'photos'), { recursive: true });
  copyFileSync(IMAGE, path.join(folder, 'media-in', 'photos', 'a.png'));
  writeFileSync(path.join(folder, 'media-in', 'photos', 'page.html'), '<html></html>');
  mock = await startMock({ args: ['--s3-dir', folder] });
  // Newest first in list order: c, b, a.
  await mock.control.seedJobs([job('job-a', 1900000000, 'SUCCEEDED', 'nightly-a'),
                               job('job-b', 1900000100, 'FAILED', 'weekly-b'),
                               job('job-c', 1900000200, 'SUCCEEDED', 'nightly-c')]);
});
after(async () => {
  await mock?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const ids = (answer) => answer.MediaAnalysisJobs.map((j) => j.JobId);

test('pages follow their tokens to the last', async () => {
  const first = await mock.control.jobsPage({ maxResults: 2 });
  assert.deepEqual(ids(first), ['job-c', 'job-b']);
  const last = await mock.control.jobsPage({ maxResults: 2, nextToken: first.NextToken });
  assert.deepEqual(ids(last), ['job-a']);
  assert.equal(last.NextToken, undefined);
});

test('filters and one job', async () => {
  const { control } = mock;
  assert.deepEqual(ids(await control.jobsPage({ status: 'FAILED' })), ['job-b']);
  assert.deepEqual(ids(await control.jobsPage({ contains: 'NIGHTLY' })), ['job-c', 'job-a']);
  assert.deepEqual(ids(await control.jobsPage({ jobId: 'job-a' })), ['job-a']);
  // Loaded jobs run on no schedule: the member is there, with no job in it.
  assert.deepEqual((await control.jobsPage({ includeLifecycle: true })).Lifecycles, {});
  assert.equal((await control.jobsPage()).Lifecycles, undefined);
});

test('a bad page request is a ControlError', async () => {
  await assert.rejects(mock.control.jobsPage({ maxResults: 0 }),
                       (error) => error instanceof ControlError && error.status === 400);
});

test('image is the stored bytes, and only an image', async () => {
  assert.deepEqual(Buffer.from(await mock.control.image('media-in', 'photos/a.png')),
                   readFileSync(IMAGE));
  await assert.rejects(mock.control.image('media-in', 'photos/page.html'),
                       (error) => error instanceof ControlError && error.status === 404);
});
