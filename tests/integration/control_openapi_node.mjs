// Calls every public method of the Node control client (clients/node/mock_control.mjs) with sample
// arguments against the recording server at argv[2], for test_control_openapi.py. Before each call
// it sends GET /__mark?method=<name>, so the recorder knows which method sent what. Prints
// {"methods": [public method names], "sampled": [names called]} as JSON.
import { MockControl } from '../../clients/node/mock_control.mjs';

const endpoint = process.argv[2];
const control = new MockControl(endpoint);
const job = {
  JobId: 'job-1', Status: 'SUCCEEDED', CreationTimestamp: 1900000000,
  OperationsConfig: { DetectModerationLabels: { MinConfidence: 50 } },
  Input: { S3Object: { Bucket: 'media-in', Name: 'manifest.jsonl' } },
  OutputConfig: { S3Bucket: 'media-out' },
};
const scope = { accountId: '111122223333', region: 'eu-west-1' };
const rule = { SourceRef: 's3://media-in/a.jpg', Labels: [{ Name: 'Weapons', Confidence: 90 }] };
// Every filter the request log takes, as a test passes them.
const filters = {
  Operation: 'StartMediaAnalysisJob', AccountId: '111122223333', Region: 'eu-west-1',
  Status: '4xx', ErrorType: '*', ClientRequestToken: 'token-1', JobName: 'job', Unroutable: 'false',
  RequestId: 'request-1', Since: 'request-0',
};

// Each public method's calls: lists of arguments.
const SAMPLES = {
  health: [[]],
  waitReady: [[{ timeoutMs: 2000 }]],
  reset: [[], [{ ...scope, reloadFixtures: false }]],
  seedJobs: [[[job], scope], [{ MediaAnalysisJobs: [job], ModerationRules: [rule] }]],
  jobs: [[scope]],
  jobsPage: [[{ maxResults: 10, nextToken: 'token', status: 'FAILED', contains: 'nightly',
                jobId: 'job-1', includeLifecycle: true, ...scope }]],
  setJobStatus: [['job-1', 'FAILED', { failureCode: 'INVALID_MANIFEST', failureMessage: 'no', ...scope }]],
  paceJob: [['job-1', 2, scope]],
  results: [['job-1', scope]],
  resultsPage: [['job-1', { maxLines: 10, nextToken: 'token', ...scope }]],
  iterResults: [['job-1', { pageLines: 10, ...scope }]],
  manifestSummary: [['job-1', scope]],
  image: [['media-in', 'photos/a.png', { versionId: 'v1' }]],
  advanceClock: [[60]],
  addFault: [[{ operation: 'ListMediaAnalysisJobs', error: 'ThrottlingException', count: 2, latencyMs: 5 }],
             [{ error: 'InternalServerError', probability: 0.5, seed: 7 }],
             [{ error: 'ThrottlingException', ratePerSecond: 2, burst: 4,
                latency: { P50: 1, P95: 2, P99: 3, Max: 4 }, seed: 1, forSeconds: 60 }]],
  faults: [[]],
  clearFaults: [[], ['f-1']],
  requests: [[{ limit: 5, Include: 'Latency,Bodies', ...filters }]],
  countRequests: [[filters]],
  clearRequests: [[]],
  setModerationRules: [[[rule], scope]],
  moderationRules: [[scope]],
  clearModerationRules: [[scope]],
  usage: [[scope]],
  setQuota: [['StartMediaAnalysisJob', 2, { burst: 4 }]],
  quotas: [[]],
  clearQuotas: [[], ['StartMediaAnalysisJob']],
};

const methods = Object.getOwnPropertyNames(MockControl.prototype)
  .filter((name) => name !== 'constructor' && !name.startsWith('#'));
const sampled = [];
for (const [name, calls] of Object.entries(SAMPLES)) {
  if (typeof control[name] !== 'function') continue; // reported by the test: a sample of no method
  for (const args of calls) {
    await fetch(`${endpoint}/__mark?method=${encodeURIComponent(name)}`);
    const result = control[name](...args);
    // An async generator (iterResults) sends its requests as it is read.
    if (result && typeof result[Symbol.asyncIterator] === 'function') {
      for await (const _ of result); // eslint-disable-line no-unused-vars
    } else {
      await result;
    }
  }
  sampled.push(name);
}
process.stdout.write(JSON.stringify({ methods, sampled }));
