// The browser view (/_mock/ui) in headless Debian Chromium: each flow a developer would follow,
// with the AWS SDK for JavaScript as the code under test. No sleeps: every wait is on a condition,
// bounded by playwright's timeout. Screenshots of each page go to REKMOCK_SCREENSHOTS_DIR.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

import {
  GetMediaAnalysisJobCommand, ListMediaAnalysisJobsCommand, RekognitionClient,
  StartMediaAnalysisJobCommand,
} from '@aws-sdk/client-rekognition';

import { control, launchBrowser, openPage, screenshot, sdk, startMock, stopMock } from './support.mjs';

const WAIT_MS = 15000;
const ACCOUNT = '000000000000';

function startInput(name) {
  return {
    JobName: name,
    OperationsConfig: { DetectModerationLabels: { MinConfidence: 50 } },
    Input: { S3Object: { Bucket: 'media', Name: 'manifest.jsonl' } },
    OutputConfig: { S3Bucket: 'results', S3KeyPrefix: 'out/' },
  };
}

describe('the browser view', () => {
  let mock;
  let browser;
  let page;
  let client;

  before(async () => {
    // Each state lasts 100 s, so a job moves only when the test moves the clock.
    mock = await startMock('--job-duration', '300');
    browser = await launchBrowser();
    client = sdk(mock.endpoint);
  });
  after(async () => {
    await browser?.close();
    await stopMock(mock);
  });
  beforeEach(async () => {
    await control(mock.endpoint, 'POST', '/_mock/reset');
    page = await openPage(browser);
    page.setDefaultTimeout(WAIT_MS);
  });

  // Opens a page of the view and waits for its heading.
  async function open(hash, heading) {
    await page.goto(`${mock.endpoint}/_mock/ui#${hash}`);
    await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
  }

  // Waits until `fn(arg)` holds in the page.
  function until(fn, arg) {
    return page.waitForFunction(fn, arg, { timeout: WAIT_MS, polling: 100 });
  }

  // A form control of the page on screen (the other pages are in the document, hidden).
  function field(selector) {
    return page.locator(`main > section:not([hidden]) ${selector}`);
  }

  // Waits until the page on screen shows `text`.
  function shows(text) {
    return until((t) => document.querySelector('main > section:not([hidden])')?.textContent.includes(t), text);
  }

  function noProblems() {
    assert.deepEqual(page.problems, []);
  }

  test('opens on the Jobs page with the fixture jobs, newest first, paged and filtered', async () => {
    await open('jobs', 'Jobs');
    const table = page.getByRole('table', { name: `Jobs of ${ACCOUNT}, us-east-1, newest first` });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    assert.equal(await rows.count(), 20);
    const newest = await control(mock.endpoint, 'GET', '/_mock/jobs?MaxResults=21');
    const ids = await table.locator('tbody tr td:nth-child(4)').allTextContents();
    assert.deepEqual(ids, newest.MediaAnalysisJobs.slice(0, 20).map((j) => j.JobId));
    await screenshot(page, 'jobs');

    await page.getByRole('button', { name: 'Older →' }).click();
    await until((id) => document.querySelector('#main tbody tr td:nth-child(4)')?.textContent === id,
      newest.MediaAnalysisJobs[20].JobId);
    await field('select[name="status"]').selectOption('FAILED');
    await until(() => [...document.querySelectorAll('#main tbody tr .badge')]
      .every((b) => b.textContent === 'FAILED') && document.querySelector('#main tbody tr'));
    await field('input[name="contains"]').fill('no-such-job-anywhere');
    await shows('match.');

    // The same page at a phone's width.
    const phone = await openPage(browser, { width: 390, height: 844 });
    await phone.goto(`${mock.endpoint}/_mock/ui#jobs`);
    await phone.getByRole('table').waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`);
    await screenshot(phone, 'jobs-phone');
    assert.deepEqual(phone.problems, []);
    noProblems();
  });

  test('a job started with the SDK moves along the timeline as the clock advances', async () => {
    const { JobId } = await client.send(new StartMediaAnalysisJobCommand(startInput('timeline-demo')));
    await open('timeline', 'Timeline');
    const title = (status) => until(([id, s]) => document
      .querySelector(`.bar[data-job-id="${id}"] title`)?.textContent.includes(`: ${s},`), [JobId, status]);
    await title('CREATED');
    await control(mock.endpoint, 'POST', '/_mock/clock/advance', { Seconds: 150 });
    await title('QUEUED');
    await shows('+150 s from real time');
    const bar = page.locator(`.bar[data-job-id="${JobId}"]`);
    assert.equal(await bar.locator('rect.s-queued').count(), 1);
    assert.equal(await bar.locator('rect.s-succeeded').count(), 0);
    // A second job, started later, is a step behind.
    const later = await client.send(new StartMediaAnalysisJobCommand(startInput('timeline-later')));

    await control(mock.endpoint, 'POST', '/_mock/clock/advance', { Seconds: 200 });
    await title('SUCCEEDED');
    assert.equal(await bar.locator('rect.s-succeeded').count(), 1);
    await until((id) => document.querySelector(`.bar[data-job-id="${id}"] title`)
      ?.textContent.includes(': IN_PROGRESS,'), later.JobId);
    await screenshot(page, 'timeline');
    // Hovering names the job.
    await bar.hover();
    assert.match(await bar.locator('title').textContent(), /^timeline-demo \(/);

    // Its page: the description as Get returns it, the results with their images and labels.
    await bar.click();
    await page.getByRole('heading', { level: 1, name: 'Job', exact: true }).waitFor();
    const results = page.getByRole('table', { name: 'Results: 2 image(s)' });
    await results.waitFor();
    await until(() => [...document.querySelectorAll('img.thumb')].length === 2 &&
      [...document.querySelectorAll('img.thumb')].every((img) => img.complete && img.naturalWidth > 0));
    const text = await results.textContent();
    assert.match(text, /Drinking \(Alcohol Use\) 88\.0%/);
    assert.match(text, /Weapons/);
    const described = JSON.parse(await page.locator('pre.json').textContent());
    const got = await client.send(new GetMediaAnalysisJobCommand({ JobId }));
    assert.equal(described.Status, got.Status);
    assert.equal(described.JobId, JobId);
    await page.getByRole('heading', { name: 'Manifest summary' }).waitFor();
    // What the job used, as GET /_mock/usage counts it: its two images.
    await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor();
    await shows('2 image(s) processed (what AWS bills), 0 line(s) refused.');
    await screenshot(page, 'job');
    // The scope's usage above the list: the images and the SDK's calls, per operation.
    await open('jobs', 'Jobs');
    const usage = await control(mock.endpoint, 'GET', '/_mock/usage');
    assert.equal(usage.ImagesProcessed, 2);
    await shows('Used since the start or the last reset: 2 image(s) processed');
    await shows(`StartMediaAnalysisJob ${usage.ApiCalls.StartMediaAnalysisJob.Calls}`);
    noProblems();
  });

  test('forcing a job to FAILED from the page is what GetMediaAnalysisJob answers', async () => {
    const { JobId } = await client.send(new StartMediaAnalysisJobCommand(startInput('steer-demo')));
    await open(`steer/${JobId}`, 'Steer');
    assert.equal(await field('input[name="JobId"]').inputValue(), JobId);
    await field('select[name="Status"]').selectOption('FAILED');
    await field('select[name="Code"]').selectOption('INVALID_MANIFEST');
    await field('input[name="Message"]').fill('line 3 is not JSON');
    await screenshot(page, 'steer');
    await page.getByRole('button', { name: 'Force status' }).click();
    await page.locator('#toast').getByText(`Force ${JobId} to FAILED:`).waitFor();
    const job = await client.send(new GetMediaAnalysisJobCommand({ JobId }));
    assert.equal(job.Status, 'FAILED');
    assert.deepEqual(job.FailureDetails, { Code: 'INVALID_MANIFEST', Message: 'line 3 is not JSON' });
    noProblems();
  });

  test('a job paced by polls from the page moves one state per Get', async () => {
    const { JobId } = await client.send(new StartMediaAnalysisJobCommand(startInput('paced-demo')));
    await open(`steer/${JobId}`, 'Steer');
    assert.equal(await field('input[name="PacedJobId"]').inputValue(), JobId);
    await field('input[name="PollsPerState"]').fill('1');
    await page.getByRole('button', { name: 'Pace by polls' }).click();
    await page.locator('#toast').getByText(`Pace ${JobId} by 1 Gets per state:`).waitFor();
    const statuses = [];
    for (let get = 0; get < 3; get += 1) {
      statuses.push((await client.send(new GetMediaAnalysisJobCommand({ JobId }))).Status);
    }
    assert.deepEqual(statuses, ['QUEUED', 'IN_PROGRESS', 'SUCCEEDED']);
    noProblems();
  });

  test('a throttling fault added from the page makes the SDK retry, as the log shows', async () => {
    await open('faults', 'Faults');
    await field('select[name="Operation"]').selectOption('ListMediaAnalysisJobs');
    await field('select[name="Error"]').selectOption('ThrottlingException');
    await field('input[name="Count"]').fill('2');
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rules = page.getByRole('table', { name: 'Armed fault rules, tried in this order' });
    await rules.getByText('ThrottlingException').waitFor();
    await screenshot(page, 'faults');

    const listed = await client.send(new ListMediaAnalysisJobsCommand({ MaxResults: 5 }));
    assert.equal(listed.$metadata.attempts, 3);
    await shows('No fault rules');

    await open('requests', 'Requests');
    await until(() => document.querySelectorAll('#main tbody tr').length >= 3);
    const statuses = await page.locator('#main tbody tr td:nth-child(4)').allTextContents();
    assert.deepEqual(statuses.slice(0, 3), ['200', '500', '500']);
    const errors = await page.locator('#main tbody tr td:nth-child(5)').allTextContents();
    assert.deepEqual(errors.slice(0, 3), ['', 'ThrottlingException', 'ThrottlingException']);
    await screenshot(page, 'requests');
    noProblems();
  });

  test('a quota set from the page throttles the SDK, and the page counts it', async () => {
    await open('faults', 'Faults');
    await shows('No quotas');
    await field('select[name="QuotaOperation"]').selectOption('GetMediaAnalysisJob');
    await field('input[name="QuotaRate"]').fill('0.001');
    await field('input[name="QuotaBurst"]').fill('1');
    await page.getByRole('button', { name: 'Set quota' }).click();
    const quotas = page.getByRole('table', { name: 'Throughput quotas, per account and region' });
    await quotas.getByText('GetMediaAnalysisJob').waitFor();
    const once = new RekognitionClient({
      endpoint: mock.endpoint, region: 'us-east-1', maxAttempts: 1,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const { MediaAnalysisJobs } = await client.send(new ListMediaAnalysisJobsCommand({ MaxResults: 1 }));
    const get = () => once.send(new GetMediaAnalysisJobCommand({ JobId: MediaAnalysisJobs[0].JobId }));
    await get();
    await assert.rejects(get(), (err) => err.name === 'ProvisionedThroughputExceededException');
    await until(() => [...document.querySelectorAll('main > section:not([hidden]) table')]
      .some((t) => t.caption?.textContent.startsWith('Throughput') && t.querySelector('tbody td:nth-child(4)')?.textContent === '1'));
    await page.getByRole('button', { name: 'Remove the quota of GetMediaAnalysisJob' }).click();
    await shows('No quotas');
    once.destroy();
    noProblems();
  });

  test('a rate rule with a latency profile and a lifetime, added from the page, throttles and expires', async () => {
    await open('faults', 'Faults');
    await field('select[name="Operation"]').selectOption('ListMediaAnalysisJobs');
    await field('select[name="Error"]').selectOption('ThrottlingException');
    for (const [name, value] of [['P50', '1'], ['P95', '2'], ['P99', '3'], ['Max', '4']]) {
      await field(`input[name="${name}"]`).fill(value);
    }
    await page.getByRole('radio', { name: 'over' }).check();
    await field('input[name="RatePerSecond"]').fill('0.001');
    await field('input[name="Burst"]').fill('1');
    await field('input[name="ForSeconds"]').fill('600');
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rules = page.getByRole('table', { name: 'Armed fault rules, tried in this order' });
    await rules.getByText('over 0.001/s, burst 1, until').waitFor();
    await rules.getByText('p50 1, p95 2, p99 3, max 4 ms').waitFor();
    const [rule] = (await control(mock.endpoint, 'GET', '/_mock/faults')).Faults;
    assert.deepEqual(rule.Latency, { P50: 1, P95: 2, P99: 3, Max: 4 });
    const once = new RekognitionClient({
      endpoint: mock.endpoint, region: 'us-east-1', maxAttempts: 1,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await once.send(new ListMediaAnalysisJobsCommand({ MaxResults: 1 }));
    await assert.rejects(once.send(new ListMediaAnalysisJobsCommand({ MaxResults: 1 })),
      (err) => err.name === 'ThrottlingException');
    // Ten minutes on the lifecycle clock later, the rule is gone.
    await control(mock.endpoint, 'POST', '/_mock/clock/advance', { Seconds: 601 });
    await shows('No fault rules');
    once.destroy();
    noProblems();
  });

  test('a request opens to its body and response', async () => {
    const { JobId } = await client.send(new StartMediaAnalysisJobCommand(startInput('body-demo')));
    await open('requests', 'Requests');
    const first = page.locator('#main tbody tr').first();
    await first.getByText('StartMediaAnalysisJob').waitFor();
    await first.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Request', exact: true }).waitFor();
    const bodies = page.locator('pre.json');
    await bodies.first().waitFor();
    const sent = JSON.parse(await bodies.nth(0).textContent());
    assert.equal(sent.JobName, 'body-demo');
    assert.equal(sent.Input.S3Object.Bucket, 'media');
    assert.deepEqual(JSON.parse(await bodies.nth(1).textContent()), { JobId });
    await screenshot(page, 'request');
    noProblems();
  });

  test('markup a client or a fixture sent is shown as text and never runs', async () => {
    const name = '<script>window.__pwned=1</script>';
    await assert.rejects(client.send(new StartMediaAnalysisJobCommand(startInput(name))),
      { name: 'InvalidParameterException' });
    const key = '<img src=x onerror="window.__pwned=2">.jsonl';
    await control(mock.endpoint, 'POST', '/_mock/jobs', { MediaAnalysisJobs: [{
      JobId: 'markup-demo', JobName: 'markup-demo', Status: 'SUCCEEDED', CreationTimestamp: 1900000000,
      CompletionTimestamp: 1900000060, OperationsConfig: { DetectModerationLabels: {} },
      Input: { S3Object: { Bucket: 'media', Name: key } }, OutputConfig: { S3Bucket: 'results' },
    }] });

    await open('requests', 'Requests');
    await page.locator('#main tbody tr').first().getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Request', exact: true }).waitFor();
    await until((text) => [...document.querySelectorAll('.facts dd')].some((dd) => dd.textContent === text), name);

    await open('jobs', 'Jobs');
    await field('input[name="contains"]').fill('markup-demo');
    await until((text) => [...document.querySelectorAll('#main td')].some((td) => td.textContent === text),
      `s3://media/${key}`);
    await screenshot(page, 'markup');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.evaluate(() => document.scripts.length), 1);
    assert.equal(await page.locator('img[onerror]').count(), 0);
    noProblems();
  });

  test('a long results file is shown a page of lines at a time, more on demand', async () => {
    const jobId = 'paged-results-demo';
    const images = ['rkm-label-drinking-88.png', 'rkm-label-weapons-93.jpg'];
    const lines = Array.from({ length: 120 }, (_, i) => JSON.stringify({
      'source-ref': `s3://media/photos/${images[i % 2]}`,
      'detect-moderation-labels': { ModerationLabels: [{ Name: `Label ${i}`, ParentName: '', Confidence: 90 }] },
    }));
    mkdirSync(path.join(mock.dir, 's3', 'results', 'paged'), { recursive: true });
    writeFileSync(path.join(mock.dir, 's3', 'results', 'paged', 'results.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(path.join(mock.dir, 's3', 'results', 'paged', 'summary.json'), '{"statistics": {}}');
    await control(mock.endpoint, 'POST', '/_mock/jobs', { MediaAnalysisJobs: [{
      JobId: jobId, Status: 'SUCCEEDED', CreationTimestamp: 1900000000, CompletionTimestamp: 1900000060,
      OperationsConfig: { DetectModerationLabels: {} },
      Input: { S3Object: { Bucket: 'media', Name: 'manifest.jsonl' } },
      OutputConfig: { S3Bucket: 'results', S3KeyPrefix: 'paged/' },
      Results: { S3Object: { Bucket: 'results', Name: 'paged/results.jsonl' } },
      ManifestSummary: { S3Object: { Bucket: 'results', Name: 'paged/summary.json' } },
    }] });

    await open(`jobs/${jobId}`, 'Job');
    const more = page.getByRole('button', { name: 'More results' });
    await page.getByRole('table', { name: 'Results: 50 image(s) so far' }).waitFor();
    await more.click();
    await page.getByRole('table', { name: 'Results: 100 image(s) so far' }).waitFor();
    await more.click();
    const all = page.getByRole('table', { name: 'Results: 120 image(s)' });
    await all.waitFor();
    assert.equal(await more.isVisible(), false);
    const rows = all.locator('tbody tr');
    assert.equal(await rows.count(), 120);
    assert.match(await rows.nth(119).textContent(), /Label 119 90\.0%/);
    noProblems();
  });

  test('every page has one heading, labelled controls and keyboard navigation', async () => {
    await open('jobs', 'Jobs');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
    for (const [hash, heading] of [['timeline', 'Timeline'], ['steer', 'Steer'], ['faults', 'Faults'],
      ['requests', 'Requests'], ['jobs', 'Jobs']]) {
      // Reach the page from its link by keyboard; focus lands on its heading.
      await page.locator(`nav a[href="#${hash}"]`).focus();
      await page.keyboard.press('Enter');
      await until((h) => document.activeElement?.tagName === 'H1' &&
        document.activeElement.textContent === h, heading);
      const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
        .filter((c) => c.offsetParent !== null && c.type !== 'hidden')
        .filter((c) => !c.labels?.length && !c.getAttribute('aria-label'))
        .map((c) => c.outerHTML));
      assert.deepEqual(unlabelled, [], hash);
      assert.equal(await page.locator('h1:visible').count(), 1, hash);
    }
    noProblems();
  });
});
