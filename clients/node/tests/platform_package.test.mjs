// Which platform package holds the binary, and what a machine without one is told.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PLATFORM_PACKAGES, bundledBinary, missingBinaryHint } from '../platform_package.mjs';

test('linux x64 and arm64 have packages, named as npm resolves them', () => {
  assert.deepEqual(PLATFORM_PACKAGES, {
    'linux x64': 'rekognition-mock-linux-x64',
    'linux arm64': 'rekognition-mock-linux-arm64',
  });
});

test('a platform without a package is told which exist and how to bring a build', () => {
  assert.equal(bundledBinary('darwin', 'arm64'), undefined);
  assert.equal(missingBinaryHint('darwin', 'arm64'),
    'no package of it is built for darwin-arm64 (only linux-x64, linux-arm64)');
});

test('in a checkout the platform package is absent, and the hint says how it comes back', () => {
  assert.equal(bundledBinary('linux', 'x64'), undefined);
  assert.match(missingBinaryHint('linux', 'x64'), /rekognition-mock-linux-x64, is not installed/);
});
