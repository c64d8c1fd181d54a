// The control plane (`/_mock/...` on the API's own port) as async calls, over fetch (Node >= 18).
//
// Each method is one endpoint of the "Control plane for tests" table (docs/control-plane.md);
// call() reaches any other. Scopes are named as the server names them: { accountId, region }
// become AccountId and Region, and leaving them out means the server's default
// (--default-account, us-east-1).
import { setTimeout as delay } from 'node:timers/promises';

// A control-plane answer other than 2xx: `status`, the server's `error` code and its message.
export class ControlError extends Error {
  constructor(method, path, status, error, message) {
    super(`${method} ${path}: ${status} ${error}: ${message}`);
    this.status = status;
    this.error = error;
  }
}

// The mock did not answer its health check in time.
export class MockNotReady extends Error {}

function scope({ accountId, region } = {}) {
  return {
    ...(accountId !== undefined && { AccountId: accountId }),
    ...(region !== undefined && { Region: region }),
  };
}

const quote = encodeURIComponent;

export class MockControl {
  // Control-plane client for the mock at `endpoint` (e.g. "http://127.0.0.1:9595").
  constructor(endpoint) {
    this.endpoint = endpoint.replace(/\/+$/, '');
  }

  // One request; resolves to its decoded JSON (its bytes if `raw`), rejects with ControlError.
  async call(method, path, { body, query, raw = false } = {}) {
    const { bytes } = await this.#request(method, path, { body, query });
    return raw ? bytes : JSON.parse(new TextDecoder().decode(bytes));
  }

  // One request; resolves to { bytes, headers } of its answer, rejects with ControlError.
  async #request(method, path, { body, query }) {
    const present = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== null);
    const url = this.endpoint + path + (present.length ? `?${new URLSearchParams(present)}` : '');
    // JSON.stringify writes the SDK's Date timestamps as ISO-8601, which fixtures accept.
    const response = await fetch(url, {
      method,
      ...(body !== undefined && {
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      }),
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = () => new TextDecoder().decode(bytes);
    if (!response.ok) {
      let answer = {};
      try {
        answer = JSON.parse(text());
      } catch {}
      throw new ControlError(method, path, response.status, answer.Error ?? 'HTTPError',
                             answer.Message ?? text());
    }
    return { bytes, headers: response.headers };
  }

  // GET /_mock/health: status, version, store, clock offset, jobs per scope.
  health() {
    return this.call('GET', '/_mock/health');
  }

  // Poll health until it says ready, at most `timeoutMs`; resolves to it or rejects MockNotReady.
  async waitReady({ timeoutMs = 15000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let pause = 10;
    let last;
    for (;;) {
      try {
        const answer = await this.health();
        if (answer.Status === 'ready') return answer;
        last = `health says ${answer.Status}`;
      } catch (error) {
        // --no-control-plane: only the liveness ping answers.
        if (error instanceof ControlError && error.status === 404) {
          const ping = await this.call('GET', '/_mock/ping');
          if (ping.Status === 'ready') return ping;
        }
        last = error.cause?.code ?? error.message; // ECONNREFUSED while not up yet
      }
      if (Date.now() + pause > deadline) {
        throw new MockNotReady(`${this.endpoint} not ready after ${timeoutMs} ms: ${last}`);
      }
      await delay(pause);
      pause = Math.min(pause * 2, 200);
    }
  }

  // POST /_mock/reset: every scope (or one) back to the start-up fixtures, faults, log, clock.
  reset({ accountId, region, reloadFixtures = true } = {}) {
    const body = scope({ accountId, region });
    if (!reloadFixtures) body.ReloadFixtures = false;
    return this.call('POST', '/_mock/reset', { body });
  }

  // POST /_mock/jobs: store jobs (an array, or a fixture document), all or nothing.
  seedJobs(jobs, { accountId, region } = {}) {
    const document = Array.isArray(jobs) ? { MediaAnalysisJobs: jobs } : { ...jobs };
    const body = { ...document, ...scope({ accountId, region }) };
    return this.call('POST', '/_mock/jobs', { body });
  }

  // GET /_mock/jobs: a scope's jobs in the fixture format, as the API shows them now.
  async jobs({ accountId, region } = {}) {
    const query = scope({ accountId, region });
    return (await this.call('GET', '/_mock/jobs', { query })).MediaAnalysisJobs;
  }

  // GET /_mock/jobs?MaxResults=&NextToken=&Status=&Contains=&JobId=&Include=Lifecycle: the whole
  // answer, a page of the jobs that match (filters apply before paging) with the NextToken of the
  // next page while more follow and, with `includeLifecycle`, their Lifecycles.
  jobsPage({ maxResults, nextToken, status, contains, jobId, includeLifecycle = false,
             accountId, region } = {}) {
    const query = {
      MaxResults: maxResults, NextToken: nextToken, Status: status, Contains: contains, JobId: jobId,
      ...(includeLifecycle && { Include: 'Lifecycle' }),
      ...scope({ accountId, region }),
    };
    return this.call('GET', '/_mock/jobs', { query });
  }

  // POST /_mock/jobs/{JobId}/status: force a status (FAILED with an optional code and message).
  setJobStatus(jobId, status, { failureCode, failureMessage, accountId, region } = {}) {
    const details = {
      ...(failureCode !== undefined && { Code: failureCode }),
      ...(failureMessage !== undefined && { Message: failureMessage }),
    };
    const body = {
      Status: status,
      ...(Object.keys(details).length && { FailureDetails: details }),
      ...scope({ accountId, region }),
    };
    return this.call('POST', `/_mock/jobs/${quote(jobId)}/status`, { body });
  }

  // POST /_mock/jobs/{JobId}/progress: move the job one state per `pollsPerState` Gets from now.
  paceJob(jobId, pollsPerState, { accountId, region } = {}) {
    const body = { PollsPerState: pollsPerState, ...scope({ accountId, region }) };
    return this.call('POST', `/_mock/jobs/${quote(jobId)}/progress`, { body });
  }

  // GET /_mock/jobs/{JobId}/results: the results file's bytes (needs an object store).
  results(jobId, { accountId, region } = {}) {
    const query = scope({ accountId, region });
    return this.call('GET', `/_mock/jobs/${quote(jobId)}/results`, { query, raw: true });
  }

  // GET /_mock/jobs/{JobId}/results?MaxLines=&NextToken=: a page of the results file's lines (at
  // most 1 MiB); resolves to { bytes, nextToken }, nextToken null after the last page.
  async resultsPage(jobId, { maxLines = 100, nextToken, accountId, region } = {}) {
    const query = { MaxLines: maxLines, NextToken: nextToken, ...scope({ accountId, region }) };
    const { bytes, headers } = await this.#request('GET', `/_mock/jobs/${quote(jobId)}/results`,
      { query });
    return { bytes, nextToken: headers.get('x-mock-next-token') };
  }

  // Each line of the results file (a string, newline dropped), a page at a time: a large file
  // is never held whole.
  async* iterResults(jobId, { pageLines = 1000, accountId, region } = {}) {
    let nextToken;
    do {
      const page = await this.resultsPage(jobId, { maxLines: pageLines, nextToken, accountId, region });
      yield* new TextDecoder().decode(page.bytes).split('\n').filter((line) => line !== '');
      ({ nextToken } = page);
    } while (nextToken);
  }

  // GET /_mock/jobs/{JobId}/manifest-summary: the summary file's bytes.
  manifestSummary(jobId, { accountId, region } = {}) {
    const query = scope({ accountId, region });
    return this.call('GET', `/_mock/jobs/${quote(jobId)}/manifest-summary`, { query, raw: true });
  }

  // GET /_mock/images?Bucket=&Key=[&VersionId=]: an image the object store holds, as the browser
  // view shows a results line's source-ref (JPEG or PNG only); resolves to its bytes.
  image(bucket, key, { versionId } = {}) {
    const query = { Bucket: bucket, Key: key, VersionId: versionId };
    return this.call('GET', '/_mock/images', { query, raw: true });
  }

  // POST /_mock/clock/advance: move the lifecycle clock; resolves to the total offset in seconds.
  async advanceClock(seconds) {
    const body = { Seconds: seconds };
    return (await this.call('POST', '/_mock/clock/advance', { body })).ClockOffsetSeconds;
  }

  // POST /_mock/faults: a rule (exactly one of count, probability or ratePerSecond; latency a
  // { P50, P95, P99, Max } profile in ms; forSeconds to expire); resolves to its Id.
  async addFault({
    operation = '*', error, count, probability, seed, latencyMs, ratePerSecond, burst, latency,
    forSeconds,
  } = {}) {
    const optional = { Error: error, Count: count, Probability: probability, Seed: seed,
                       LatencyMs: latencyMs, RatePerSecond: ratePerSecond, Burst: burst,
                       Latency: latency, ForSeconds: forSeconds };
    const body = { Operation: operation };
    for (const [name, value] of Object.entries(optional)) {
      if (value !== undefined) body[name] = value;
    }
    return (await this.call('POST', '/_mock/faults', { body })).Id;
  }

  // GET /_mock/faults: the rules, in the order they are tried.
  async faults() {
    return (await this.call('GET', '/_mock/faults')).Faults;
  }

  // DELETE /_mock/faults[/{Id}]: remove one rule or all; resolves to how many went.
  async clearFaults(faultId) {
    const path = faultId === undefined ? '/_mock/faults' : `/_mock/faults/${quote(faultId)}`;
    return (await this.call('DELETE', path)).FaultsCleared;
  }

  // POST /_mock/quotas: at most `ratePerSecond` calls of `operation` a second per account and
  // region (burst: calls at once, default the rate); more are throttled.
  async setQuota(operation, ratePerSecond, { burst } = {}) {
    const body = { Operation: operation, RatePerSecond: ratePerSecond };
    if (burst !== undefined) body.Burst = burst;
    return this.call('POST', '/_mock/quotas', { body });
  }

  // GET /_mock/quotas: the quotas, with how many calls each throttled.
  async quotas() {
    return (await this.call('GET', '/_mock/quotas')).Quotas;
  }

  // DELETE /_mock/quotas[/{operation}]: drop one quota or all; resolves to how many went.
  async clearQuotas(operation) {
    const path = operation === undefined ? '/_mock/quotas' : `/_mock/quotas/${quote(operation)}`;
    return (await this.call('DELETE', path)).QuotasCleared;
  }

  // GET /_mock/requests: the last AWS calls, oldest first; other `filters` go as query parameters.
  async requests({ limit, ...filters } = {}) {
    const query = { Limit: limit, ...filters };
    return (await this.call('GET', '/_mock/requests', { query })).Requests;
  }

  // GET /_mock/requests/count: how many logged calls match `filters` (docs/control-plane.md).
  async countRequests(filters = {}) {
    return (await this.call('GET', '/_mock/requests/count', { query: filters })).Count;
  }

  // DELETE /_mock/requests: forget the logged calls.
  async clearRequests() {
    await this.call('DELETE', '/_mock/requests');
  }

  // POST /_mock/moderation-rules: replace the scope's rules; resolves to how many were set.
  async setModerationRules(rules, { accountId, region } = {}) {
    const body = { ...scope({ accountId, region }), ModerationRules: rules };
    return (await this.call('POST', '/_mock/moderation-rules', { body })).RulesSet;
  }

  // GET /_mock/moderation-rules: the scope's rules, in the order they are tried.
  async moderationRules({ accountId, region } = {}) {
    const query = scope({ accountId, region });
    return (await this.call('GET', '/_mock/moderation-rules', { query })).ModerationRules;
  }

  // DELETE /_mock/moderation-rules: drop the scope's rules; resolves to how many went.
  async clearModerationRules({ accountId, region } = {}) {
    const query = scope({ accountId, region });
    return (await this.call('DELETE', '/_mock/moderation-rules', { query })).RulesCleared;
  }

  // GET /_mock/usage: what the scope used since the start or its last reset (images processed,
  // lines refused, API calls per operation, and per job).
  async usage({ accountId, region } = {}) {
    return this.call('GET', '/_mock/usage', { query: scope({ accountId, region }) });
  }
}
