// The helper's own promises, on the real binary: where the mock comes from, that start-up
// failures are loud, that every server it starts is stopped, and what globalSetup hands over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ListMediaAnalysisJobsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import {
  MockNotReady, MockStartError, connectMock, globalSetup, globalTeardown, mockFromEnvironment,
  startMock,
} from 'rekognition-mock';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

// Whether `pid` is a live process; a zombie (exited, not yet reaped by its parent) is not.
function isRunning(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] !== 'Z';
  } catch {
    return false;
  }
}

// Runs `code` as an ES module in a fresh Node that resolves packages from this folder.
function runNode(code, env) {
  return promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], {
    env, cwd: PACKAGE_ROOT, timeout: 60000,
  });
}

test('starts on a free port and stops gracefully', async () => {
  const [first, second] = await Promise.all([startMock(), startMock()]);
  try {
    assert.notEqual(first.endpoint, second.endpoint);
    assert.match(first.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await first.control.health()).Status, 'ready');
    const { pid } = first.process;
    assert.equal(await first.process.stop(), 0); // SIGTERM: a clean exit, not a kill
    assert.equal(isRunning(pid), false);
    assert.match(first.logs(), /"msg":"stopped"/);
  } finally {
    await first.stop();
    await second.stop();
  }
});

test('a server that ignores SIGTERM is killed', async () => {
  const mock = await startMock();
  process.kill(mock.process.pid, 'SIGSTOP'); // holds SIGTERM pending
  assert.equal(await mock.process.stop(200), 'SIGKILL');
});

test('a bad fixture fails loudly with the server\'s message', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rekognition-mock-'));
  try {
    const bad = path.join(dir, 'bad-jobs.json');
    writeFileSync(bad, JSON.stringify({ MediaAnalysisJobs: [{ JobId: 'not a job id' }] }));
    await assert.rejects(startMock({ fixtures: [bad] }), (error) => {
      assert.ok(error instanceof MockStartError);
      assert.match(error.message, /exited with status 1/);
      assert.match(error.message, /bad-jobs\.json: job MediaAnalysisJobs\[0\]/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a missing binary fails loudly', async () => {
  const env = { PATH: '/nonexistent' }; // no REKOGNITION_MOCK_BIN, nothing on PATH
  const code = "import { startMock } from 'rekognition-mock'; await startMock();";
  await assert.rejects(runNode(code, env),
                       /MockStartError: rekognition-mock not found: .*REKOGNITION_MOCK_BIN/);
});

test('servers left running stop when Node exits', async () => {
  const { stdout } = await runNode(
    "import { startMock } from 'rekognition-mock'; console.log((await startMock()).process.pid);",
    process.env,
  );
  const pid = Number(stdout);
  // The exit handler's SIGTERM cannot be awaited: give the server its one second, and more.
  for (const deadline = Date.now() + 10000; isRunning(pid) && Date.now() < deadline;) {
    await delay(20);
  }
  if (isRunning(pid)) {
    process.kill(pid, 'SIGKILL');
    assert.fail('the server outlived the Node process that started it');
  }
});

test('a URL in the environment is used and left running', async () => {
  const running = await startMock();
  try {
    const mock = await mockFromEnvironment({}, { REKOGNITION_MOCK_URL: `${running.endpoint}/` });
    assert.equal(mock.owned, false);
    assert.equal(mock.endpoint, running.endpoint);
    await mock.stop();
    assert.equal((await running.control.health()).Status, 'ready');
  } finally {
    await running.stop();
  }
});

test('a URL nobody answers is not ready in bounded time', async () => {
  const probe = createServer(); // a port that was free a moment ago: refused
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  const url = `http://127.0.0.1:${port}`;
  await assert.rejects(connectMock(url, { readyTimeoutMs: 300 }), MockNotReady);
});

test('globalSetup hands the mock over through the environment; teardown undoes it', async () => {
  const before = { ...process.env };
  const teardown = await globalSetup();
  const url = process.env.REKOGNITION_MOCK_URL;
  try {
    assert.ok(url);
    const mock = await connectMock(); // what a test file does
    await mock.control.seedJobs([{
      JobId: 'f'.repeat(64), OperationsConfig: { DetectModerationLabels: {} }, Status: 'SUCCEEDED',
      CreationTimestamp: new Date(), Input: { S3Object: { Bucket: 'media-in', Name: 'm.jsonl' } },
      OutputConfig: { S3Bucket: 'media-out' },
    }]);
    // Code under test that builds its own client, unmodified, reaches the mock.
    const client = new RekognitionClient({});
    const page = await client.send(new ListMediaAnalysisJobsCommand({}));
    client.destroy();
    assert.deepEqual(page.MediaAnalysisJobs.map((job) => job.JobId), ['f'.repeat(64)]);
  } finally {
    assert.equal(teardown, globalTeardown); // Vitest runs the returned function
    await teardown();
  }
  assert.deepEqual({ ...process.env }, before);
  await assert.rejects(fetch(`${url}/_mock/health`)); // stopped
});
