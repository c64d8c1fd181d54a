// One mock for a whole Jest or Vitest run, started before the test files and stopped after.
//
// Test files run in workers that inherit the environment, so the setup hands the mock over as
// variables: REKOGNITION_MOCK_URL (for connectMock() in a test file) and, unless
// `awsEnvironment: false`, AWS_ENDPOINT_URL_REKOGNITION and static credentials, so that code
// under test which builds its own RekognitionClient reaches the mock unmodified.
import { mockFromEnvironment, URL_ENV } from './rekognition_mock.mjs';

// Jest runs globalSetup and globalTeardown in one process: the mock and the variables it
// replaced wait here in between.
const STATE = Symbol.for('rekognition-mock.global-setup');

// Starts (or finds) the run's mock and exports its variables; resolves to a teardown function
// (Vitest calls it; Jest calls globalTeardown).
export async function globalSetup(options = {}) {
  // Only our options: called straight as Jest's or Vitest's hook it gets their config instead.
  const { awsEnvironment = true, args, fixtures, binary, env, startTimeoutMs } = options;
  const mock = await mockFromEnvironment({ args, fixtures, binary, env, startTimeoutMs });
  const variables = { [URL_ENV]: mock.endpoint, ...(awsEnvironment && mock.awsEnvironment()) };
  const replaced = Object.fromEntries(Object.keys(variables).map((k) => [k, process.env[k]]));
  Object.assign(process.env, variables);
  globalThis[STATE] = { mock, replaced };
  return globalTeardown;
}

// Stops the mock globalSetup started and puts the environment back as it was.
export async function globalTeardown() {
  const state = globalThis[STATE];
  if (!state) return;
  delete globalThis[STATE];
  for (const [name, value] of Object.entries(state.replaced)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await state.mock.stop();
}
