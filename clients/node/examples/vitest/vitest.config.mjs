// The README's Vitest setup: the Jest example's global setup file serves Vitest unchanged,
// since Vitest takes the teardown that globalSetup returns.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./vitest.global-setup.mjs'],
    include: ['*.vitest.mjs'], // not *.test.mjs: node --test in clients/node would run it
  },
});
