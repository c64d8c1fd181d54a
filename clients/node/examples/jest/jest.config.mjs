// Jest runs these test files as ES modules (`node --experimental-vm-modules`, no transform).
export default {
  globalSetup: './jest.global-setup.mjs',
  globalTeardown: './jest.global-teardown.mjs',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/*.jest.mjs'],
  transform: {},
};
