// Code under test in the example suites: what an application using Rekognition might hold.
import { setTimeout as delay } from 'node:timers/promises';
import {
  GetMediaAnalysisJobCommand,
  StartMediaAnalysisJobCommand,
  paginateListMediaAnalysisJobs,
} from '@aws-sdk/client-rekognition';

// Polls GetMediaAnalysisJob every `intervalMs` until the job is terminal; resolves to it.
export async function waitForJob(client, jobId, {
  intervalMs = 5000, timeoutMs = 3600000, sleep = delay,
} = {}) {
  for (let waited = 0; ; waited += intervalMs) {
    const job = await client.send(new GetMediaAnalysisJobCommand({ JobId: jobId }));
    if (job.Status === 'SUCCEEDED' || job.Status === 'FAILED') return job;
    if (waited >= timeoutMs) {
      throw new Error(`job ${jobId} still ${job.Status} after ${timeoutMs} ms`);
    }
    await sleep(intervalMs);
  }
}

// The JobIds of every FAILED job, over all pages.
export async function failedJobIds(client) {
  const ids = [];
  for await (const page of paginateListMediaAnalysisJobs({ client, pageSize: 10 }, {})) {
    const failed = page.MediaAnalysisJobs.filter((job) => job.Status === 'FAILED');
    ids.push(...failed.map((job) => job.JobId));
  }
  return ids;
}

// Starts a moderation job over s3://media-in/<manifestKey>; resolves to its JobId.
export async function startModeration(client, manifestKey) {
  const { JobId } = await client.send(new StartMediaAnalysisJobCommand({
    JobName: 'nightly-moderation',
    OperationsConfig: { DetectModerationLabels: { MinConfidence: 60 } },
    Input: { S3Object: { Bucket: 'media-in', Name: manifestKey } },
    OutputConfig: { S3Bucket: 'media-out', S3KeyPrefix: 'moderation/' },
  }));
  return JobId;
}
