// A bulk analysis pipeline with the AWS SDK for JavaScript v3, unmodified: images and a manifest
// uploaded with @aws-sdk/client-s3 to a real S3 server (moto_server), the job started and
// polled with @aws-sdk/client-rekognition against the mock, the results and the summary read
// back from S3 where the job says they are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand,
} from '@aws-sdk/client-s3';
import {
  RekognitionClient, StartMediaAnalysisJobCommand, GetMediaAnalysisJobCommand,
} from '@aws-sdk/client-rekognition';
import { startServer, stopServer } from './mock_server.mjs';
import { startMoto, stopMoto } from './moto_server.mjs';

const images = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'images');
const credentials = { accessKeyId: 'moto-key', secretAccessKey: 'moto-secret' };
let moto;
let server;
let s3;
let rekognition;

before(async () => {
  let endpoint;
  ({ moto, endpoint } = await startMoto());
  s3 = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
  ({ server, endpoint: rekognitionEndpoint } = await startServer([
    '--port', '0', '--log-level', 'warn', '--s3-endpoint', endpoint, '--s3-region', 'us-east-1',
    '--s3-access-key-id', credentials.accessKeyId,
    '--s3-secret-access-key', credentials.secretAccessKey,
  ]));
  rekognition = new RekognitionClient({
    endpoint: rekognitionEndpoint, region: 'us-east-1', credentials, maxAttempts: 1,
  });
});
let rekognitionEndpoint;

after(async () => {
  s3?.destroy();
  rekognition?.destroy();
  await stopServer(server);
  stopMoto(moto);
});

test('a pipeline written against AWS runs unchanged against the mock and moto_server', async () => {
  for (const bucket of ['js-media-in', 'js-media-out']) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  await s3.send(new PutObjectCommand({
    Bucket: 'js-media-in', Key: 'img/ok.jpg', Body: readFileSync(path.join(images, 'ok-100x100.jpg')),
  }));
  await s3.send(new PutObjectCommand({
    Bucket: 'js-media-in', Key: 'img/rkm-label-smoking-72.5_rkm-content-illustrated-90.jpg',
    Body: readFileSync(path.join(images, 'ok-100x100.jpg')),
  }));
  await s3.send(new PutObjectCommand({
    Bucket: 'js-media-in', Key: 'img/small.png', Body: readFileSync(path.join(images, 'small-40x40.png')),
  }));
  const manifest = ['img/ok.jpg', 'img/small.png', 'img/missing.jpg',
    'img/rkm-label-smoking-72.5_rkm-content-illustrated-90.jpg']
    .map((key) => JSON.stringify({ 'source-ref': `s3://js-media-in/${key}` })).join('\n') + '\n';
  await s3.send(new PutObjectCommand({ Bucket: 'js-media-in', Key: 'manifest.jsonl', Body: manifest }));

  const { JobId } = await rekognition.send(new StartMediaAnalysisJobCommand({
    OperationsConfig: { DetectModerationLabels: { MinConfidence: 60 } },
    Input: { S3Object: { Bucket: 'js-media-in', Name: 'manifest.jsonl' } },
    OutputConfig: { S3Bucket: 'js-media-out', S3KeyPrefix: 'out/' },
  }));
  let job;
  for (let polls = 0; ; polls += 1) {
    job = await rekognition.send(new GetMediaAnalysisJobCommand({ JobId }));
    if (job.Status === 'SUCCEEDED' || job.Status === 'FAILED') break;
    assert.ok(polls < 200, 'the job did not finish');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(job.Status, 'SUCCEEDED');
  assert.equal(job.Results.S3Object.Name, `out/${JobId}-results.jsonl`);

  const read = async (object) => (await s3.send(new GetObjectCommand({
    Bucket: object.Bucket, Key: object.Name,
  }))).Body.transformToString();
  const lines = (await read(job.Results.S3Object)).trim().split('\n').map((l) => JSON.parse(l));
  // The image named by the rkm- convention comes back scripted, as DetectModerationLabels answers.
  const label = (Name, ParentName, TaxonomyLevel) => ({
    Confidence: 72.5, Name, ParentName, TaxonomyLevel,
  });
  assert.deepEqual(lines, [{
    'source-ref': 's3://js-media-in/img/ok.jpg',
    'detect-moderation-labels': { ModerationLabels: [], ModerationModelVersion: '7.0', ContentTypes: [] },
  }, {
    'source-ref': 's3://js-media-in/img/rkm-label-smoking-72.5_rkm-content-illustrated-90.jpg',
    'detect-moderation-labels': {
      ModerationLabels: [
        label('Smoking', 'Drugs & Tobacco Paraphernalia & Use', 3),
        label('Drugs & Tobacco Paraphernalia & Use', 'Drugs & Tobacco', 2),
        label('Drugs & Tobacco', '', 1),
      ],
      ModerationModelVersion: '7.0',
      ContentTypes: [{ Confidence: 90, Name: 'Illustrated' }],
    },
  }]);
  const summary = JSON.parse(await read(job.ManifestSummary.S3Object));
  assert.deepEqual(summary.statistics,
    { 'total-json-lines': 4, 'valid-json-lines': 2, 'invalid-json-lines': 2 });
  assert.deepEqual(summary.errors.map((e) => [e['line-numer'], e.code]),
    [[2, 'ERROR_INVALID_IMAGE_DIMENSION'], [3, 'ERROR_NO_SUCH_KEY']]);
});
