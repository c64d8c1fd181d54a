// What the browser suite stands on: the real rekognition-mock binary over a folder object store,
// Debian's Chromium driven by playwright-core (never a browser of playwright's own), the AWS SDK
// for JavaScript as the code under test, and screenshots written into the build tree.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CHROMIUM = process.env.REKMOCK_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = process.env.REKMOCK_SCREENSHOTS_DIR ?? path.join(here, 'screenshots');
const IMAGES = path.join(here, '..', 'data', 'images');

// The flags the machine's Chromium needs headless as root with no network to reach.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Starts the mock with the default fixtures and a folder object store holding two images named
// by the moderation name convention and a manifest of them; { server, endpoint, dir }.
export async function startMock(...args) {
  const binary = process.env.REKOGNITION_MOCK_BIN;
  const fixtures = process.env.REKOGNITION_MOCK_FIXTURES_DIR;
  assert.ok(binary, 'REKOGNITION_MOCK_BIN must name the rekognition-mock binary');
  assert.ok(fixtures, 'REKOGNITION_MOCK_FIXTURES_DIR must name the fixtures folder');
  const dir = mkdtempSync(path.join(tmpdir(), 'rekmock-browser-'));
  const photos = path.join(dir, 's3', 'media', 'photos');
  mkdirSync(photos, { recursive: true });
  mkdirSync(path.join(dir, 's3', 'results'));
  copyFileSync(path.join(IMAGES, 'ok-120x90.png'), path.join(photos, 'rkm-label-drinking-88.png'));
  copyFileSync(path.join(IMAGES, 'ok-100x100.jpg'), path.join(photos, 'rkm-label-weapons-93.jpg'));
  writeFileSync(path.join(dir, 's3', 'media', 'manifest.jsonl'),
    '{"source-ref": "s3://media/photos/rkm-label-drinking-88.png"}\n' +
    '{"source-ref": "s3://media/photos/rkm-label-weapons-93.jpg"}\n');
  const server = spawn(binary, ['--port', '0', '--log-level', 'warn', '--fixtures',
    path.join(fixtures, 'default-jobs.json'), '--s3-dir', path.join(dir, 's3'), ...args],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`the mock exited early with ${code}`)));
    createInterface({ input: server.stdout }).once('line', resolve);
  });
  const match = /listening on (http:\/\/\S+)/.exec(line);
  assert.ok(match, `unexpected start-up line: ${line}`);
  return { server, endpoint: match[1], dir };
}

export async function stopMock(mock) {
  if (mock?.server.exitCode === null) {
    const exited = new Promise((resolve) => mock.server.once('exit', resolve));
    mock.server.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
  if (mock) rmSync(mock.dir, { recursive: true, force: true });
}

// Launches Debian's Chromium; a missing one fails the suite, never skips it. playwright gives
// each launch a fresh, empty profile of its own (the --user-data-dir it passes).
export async function launchBrowser() {
  assert.ok(existsSync(CHROMIUM),
    `${CHROMIUM} is missing: install Debian's chromium (make test-deps does)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

// A page that fails the test on any script error or console error (a CSP violation among them).
export async function openPage(browser, viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
  });
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

// The SDK as an application configures it: the mock's endpoint, any credentials, standard
// retries (3 attempts), which throttling makes it use.
export function sdk(endpoint) {
  return new RekognitionClient({
    endpoint, region: 'us-east-1', maxAttempts: 3,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

// A control-plane call as curl makes it (no Origin); the parsed answer.
export async function control(endpoint, method, pathname, body) {
  const response = await fetch(endpoint + pathname, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  assert.ok(response.ok, `${method} ${pathname}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}
