// Test helpers for rekognition-mock: start (or find) the mock, AWS SDK clients for it, its control
// plane, and globalSetup/globalTeardown for Jest and Vitest. See the repository's README.
export { ControlError, MockControl, MockNotReady } from './mock_control.mjs';
export { BINARY_ENV, MockProcess, MockStartError, findBinary } from './mock_process.mjs';
export {
  RekognitionMock, URL_ENV, connectMock, mockFromEnvironment, startMock,
} from './rekognition_mock.mjs';
export { globalSetup, globalTeardown } from './global_setup.mjs';
