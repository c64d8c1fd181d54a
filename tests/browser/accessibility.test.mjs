// The browser view against WCAG 2.1 A and AA as axe-core checks it (contrast, names, labels,
// landmarks, ARIA), on every page and a job's and a request's own page, at a laptop's and a
// phone's width. axe is evaluated into the page through the DevTools protocol, which the page's
// strict CSP does not govern, so the view is checked exactly as it is served.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { StartMediaAnalysisJobCommand } from '@aws-sdk/client-rekognition';

import { control, launchBrowser, openPage, sdk, startMock, stopMock } from './support.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const STANDARDS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const WIDTHS = { laptop: { width: 1280, height: 860 }, phone: { width: 390, height: 844 } };

// What axe found, one line per rule and element, so a failure says what to mend and where.
function described(violations) {
  return violations.flatMap((v) => v.nodes.map((n) =>
    `${v.id} (${v.impact}): ${v.help} at ${n.target.join(' ')}: ${n.failureSummary}`));
}

describe('the browser view is accessible', () => {
  let mock;
  let browser;
  const pages = [['jobs', 'Jobs'], ['timeline', 'Timeline'], ['steer', 'Steer'],
    ['faults', 'Faults'], ['requests', 'Requests']];

  before(async () => {
    mock = await startMock('--job-duration', '0');
    browser = await launchBrowser();
    // Something on every page: a finished job with results, a failed one, a fault, requests.
    const client = sdk(mock.endpoint);
    const { JobId } = await client.send(new StartMediaAnalysisJobCommand({
      JobName: 'accessible', OperationsConfig: { DetectModerationLabels: {} },
      Input: { S3Object: { Bucket: 'media', Name: 'manifest.jsonl' } },
      OutputConfig: { S3Bucket: 'results' },
    }));
    client.destroy();
    await control(mock.endpoint, 'POST', '/_mock/faults',
      { Operation: 'GetMediaAnalysisJob', Error: 'ThrottlingException', Count: 1 });
    const [request] = (await control(mock.endpoint, 'GET', '/_mock/requests?Limit=1')).Requests;
    pages.push([`jobs/${JobId}`, 'Job'], [`requests/${request.RequestId}`, 'Request']);
  });
  after(async () => {
    await browser?.close();
    await stopMock(mock);
  });

  for (const [width, viewport] of Object.entries(WIDTHS)) {
    test(`at a ${width}'s width, no page breaks a WCAG 2.1 AA rule axe checks`, async () => {
      const page = await openPage(browser, viewport);
      const found = [];
      for (const [hash, heading] of pages) {
        await page.goto(`${mock.endpoint}/_mock/ui#${hash}`);
        await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
        await page.waitForLoadState('networkidle');
        await page.evaluate(AXE);
        const { violations } = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }),
          STANDARDS);
        found.push(...described(violations).map((line) => `#${hash}: ${line}`));
      }
      assert.deepEqual(found, []);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }
});
