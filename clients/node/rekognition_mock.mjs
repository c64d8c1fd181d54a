// A ready mock for a test suite: its endpoint, SDK clients for it, its control plane.
//
// Where the mock comes from is the caller's choice or the environment's: REKOGNITION_MOCK_URL
// names one already running (a container, a CI service, a Jest/Vitest globalSetup), otherwise
// the binary is started on a free port. Either way nothing resolves before the mock is ready.
import { MockControl } from './mock_control.mjs';
import { MockProcess } from './mock_process.mjs';

export const URL_ENV = 'REKOGNITION_MOCK_URL';
const DEFAULT_REGION = 'us-east-1'; // the control plane's default scope, so seeds and clients agree
const SECRET = 'test';

export class RekognitionMock {
  // The mock at `endpoint`, owning `server` (a MockProcess) if given; see startMock, connectMock.
  constructor(endpoint, server) {
    this.endpoint = endpoint.replace(/\/+$/, '');
    this.process = server;
    this.control = new MockControl(this.endpoint);
  }

  // True when this object started the server (and stop() will end it).
  get owned() {
    return this.process !== undefined;
  }

  // Client configuration for any AWS SDK v3 client: `new RekognitionClient(mock.clientConfig())`.
  clientConfig({ accountId, region = DEFAULT_REGION } = {}) {
    // A 12-digit access key id is the account the caller acts in; anything else is the
    // server's --default-account (docs/sdks.md: Accounts and regions).
    return {
      endpoint: this.endpoint,
      region,
      credentials: { accessKeyId: accountId ?? 'test', secretAccessKey: SECRET },
    };
  }

  // A `new ClientClass(...)` for this mock: mock.client(RekognitionClient, { maxAttempts: 1 }).
  // The class comes from the caller, so the SDK is the test suite's own copy and version.
  client(ClientClass, { accountId, region, ...overrides } = {}) {
    return new ClientClass({ ...this.clientConfig({ accountId, region }), ...overrides });
  }

  // Environment variables that send unmodified AWS SDK code (JS v3, boto3, the CLI) to this mock.
  awsEnvironment({ accountId, region = DEFAULT_REGION } = {}) {
    return {
      AWS_ENDPOINT_URL_REKOGNITION: this.endpoint,
      AWS_ACCESS_KEY_ID: accountId ?? 'test',
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
    };
  }

  // Back to the start-up fixtures: jobs, faults, request log and clock (every scope).
  reset() {
    return this.control.reset();
  }

  // The started server's log lines so far ('' for a mock given by URL).
  logs() {
    return this.process?.logs() ?? '';
  }

  // Stops the server if this object started it; a mock given by URL is left running.
  async stop() {
    await this.process?.stop();
  }
}

async function ready(mock, timeoutMs) {
  try {
    await mock.control.waitReady({ timeoutMs });
    return mock;
  } catch (error) {
    await mock.stop();
    throw error;
  }
}

// Starts the binary on a free port with `fixtures` files and extra CLI `args`; resolves when ready.
export async function startMock({
  args = [], fixtures = [], binary, env, startTimeoutMs = 15000,
} = {}) {
  const fixtureArgs = fixtures.flatMap((file) => ['--fixtures', String(file)]);
  const server = await MockProcess.start({
    args: [...fixtureArgs, ...args], binary, env, startTimeoutMs,
  });
  return ready(new RekognitionMock(server.endpoint, server), startTimeoutMs);
}

// The mock already running at `url` (default $REKOGNITION_MOCK_URL), once ready; stop() leaves it.
export async function connectMock(url = process.env[URL_ENV], { readyTimeoutMs = 15000 } = {}) {
  if (!url) throw new Error(`connectMock: no url given and ${URL_ENV} is not set`);
  return ready(new RekognitionMock(url), readyTimeoutMs);
}

// $REKOGNITION_MOCK_URL's mock if set (it brings its own fixtures), else startMock(options).
export function mockFromEnvironment(options = {}, environ = process.env) {
  return environ[URL_ENV]
    ? connectMock(environ[URL_ENV], { readyTimeoutMs: options.startTimeoutMs })
    : startMock(options);
}
