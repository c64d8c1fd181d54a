// The AWS API from a page on another origin (--cors-origin), as a browser app built on the AWS
// SDK for JavaScript calls it: the SDK's browser build, bundled here with esbuild from npm, runs
// in headless Debian Chromium on a page served from a second local origin. With the flag it lists
// jobs and reads the request id; without it, or from an origin not listed, Chromium refuses, and
// the control plane refuses every other origin whatever the flag says.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { ListMediaAnalysisJobsCommand } from '@aws-sdk/client-rekognition';
import * as esbuild from 'esbuild';

import { control, launchBrowser, openPage, sdk, startMock, stopMock } from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const WAIT_MS = 15000;

// The page's script: the SDK's browser build (esbuild follows the package's "browser" fields),
// exposing one call for the test to run in the page.
const APP = `
import { ListMediaAnalysisJobsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
window.listJobs = async (endpoint) => {
  const client = new RekognitionClient({
    endpoint, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const out = await client.send(new ListMediaAnalysisJobsCommand({ MaxResults: 5 }));
  return { jobs: out.MediaAnalysisJobs.map((job) => job.JobId), requestId: out.$metadata.requestId };
};
`;

async function bundle() {
  const built = await esbuild.build({
    stdin: { contents: APP, resolveDir: here, loader: 'js' },
    bundle: true, platform: 'browser', format: 'iife', target: 'es2020', write: false,
    logLevel: 'silent',
  });
  return built.outputFiles[0].text;
}

// Serves the page and its script on a loopback port of its own: an origin other than the mock's.
async function servePage(script) {
  const server = createServer((request, response) => {
    if (request.url === '/app.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(script);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>app</title><script src="/app.js"></script>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

describe('the AWS API from another origin', () => {
  let app;
  let browser;

  before(async () => {
    app = await servePage(await bundle());
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    app?.server.close();
  });

  // Runs `fn` with a mock started with `args` and a page of the app's origin open.
  async function withMockAndPage(args, fn) {
    const mock = await startMock(...args);
    const page = await openPage(browser);
    page.setDefaultTimeout(WAIT_MS);
    try {
      await page.goto(app.origin + '/');
      await page.waitForFunction(() => typeof window.listJobs === 'function');
      await fn(mock, page);
    } finally {
      await page.context().close();
      await stopMock(mock);
    }
  }

  test('with --cors-origin naming the page\'s origin, the SDK lists jobs and reads the request id',
    async () => {
      await withMockAndPage(['--cors-origin', app.origin], async (mock, page) => {
        const listed = await page.evaluate((endpoint) => window.listJobs(endpoint), mock.endpoint);
        const expected = await sdk(mock.endpoint).send(
          new ListMediaAnalysisJobsCommand({ MaxResults: 5 }));
        assert.deepEqual(listed.jobs, expected.MediaAnalysisJobs.map((job) => job.JobId));
        assert.equal(listed.jobs.length, 5);
        // Readable only because the answer exposes x-amzn-requestid.
        assert.match(listed.requestId ?? '', /^[0-9a-f-]{36}$/);
        assert.deepEqual(page.problems, []);
        // The journal saw the browser's call as the SDK's own List.
        const log = await control(mock.endpoint, 'GET',
          '/_mock/requests?Operation=ListMediaAnalysisJobs');
        assert.ok(log.Requests.some((entry) => entry.RequestId === listed.requestId));
      });
    });

  test('* lets any origin in', async () => {
    await withMockAndPage(['--cors-origin', '*'], async (mock, page) => {
      const listed = await page.evaluate((endpoint) => window.listJobs(endpoint), mock.endpoint);
      assert.equal(listed.jobs.length, 5);
    });
  });

  for (const [name, args] of [['without --cors-origin', []],
    ['with --cors-origin naming another origin', ['--cors-origin', 'http://127.0.0.1:1']]]) {
    test(`${name}, the browser refuses the call`, async () => {
      await withMockAndPage(args, async (mock, page) => {
        const failure = await page.evaluate(
          (endpoint) => window.listJobs(endpoint).then(() => 'answered', (error) => String(error)),
          mock.endpoint);
        assert.match(failure, /Failed to fetch|TypeError/);
      });
    });
  }

  test('the control plane stays same-origin: a cross-origin fault rule is refused, none is added',
    async () => {
      await withMockAndPage(['--cors-origin', '*'], async (mock, page) => {
        const outcome = await page.evaluate((endpoint) => fetch(endpoint + '/_mock/faults', {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ Operation: 'ListMediaAnalysisJobs', Error: 'ThrottlingException' }),
        }).then((response) => `status ${response.status}`, (error) => String(error)),
        mock.endpoint);
        assert.match(outcome, /Failed to fetch|TypeError/);
        assert.deepEqual(await control(mock.endpoint, 'GET', '/_mock/faults'), { Faults: [] });
      });
    });
});
