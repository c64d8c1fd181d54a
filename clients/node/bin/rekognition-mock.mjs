#!/usr/bin/env node
// `npx rekognition-mock ...`: runs the server the platform package installed (or
// $REKOGNITION_MOCK_BIN) with these arguments, passing signals on and exiting as it exits.
import { spawn } from 'node:child_process';

import { MockStartError, findBinary } from '../mock_process.mjs';

let binary;
try {
  binary = findBinary(undefined, process.env, { searchPath: false });
} catch (error) {
  if (!(error instanceof MockStartError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const child = spawn(binary, process.argv.slice(2), { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal); // die of it as the server did
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
