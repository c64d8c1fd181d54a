// The Vitest setup of docs/helpers.md: vitest.global-setup.mjs is the Jest example's global setup
// as is, since Vitest takes the teardown that globalSetup returns instead of a teardown file.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./vitest.global-setup.mjs'],
    include: ['*.vitest.mjs'], // not *.test.mjs: node --test in clients/node would run it
  },
});
